// SPDX-License-Identifier: GPL-2.0
/*
 * dmasim - hostile modes: per-channel knobs that make a channel behave
 * like the awkward real providers. Each is a file under
 * /sys/kernel/debug/dmasim/<device>/chanN/, and can be set from the
 * kernel (KUnit) with dmasim_set_mode(); chanN/modes lists them all.
 * They survive the client's release and request of the channel (a
 * rebind), and are reset only by dmasim_reset_modes() or a rebind of
 * dmasim itself.
 *
 *   residue            descriptor|segment|burst (default burst). What
 *                      tx_status reports for a cookie not complete:
 *                      descriptor: 0, whatever moved (the trap of
 *                      providers that leave it to dma_cookie_status());
 *                      segment: only whole segments count; burst: the
 *                      bytes moved, rounded down to whole bursts. Takes
 *                      effect at once in tx_status, and in the
 *                      residue_granularity of the next dma_get_slave_caps()
 *                      on the channel: a client that read its caps at
 *                      probe (dmaxfer does) must be rebound to see it.
 *   callback           work|bh|hardirq (default work): the context of the
 *                      clients' callbacks: the engine's work item, a
 *                      tasklet, or a hard-IRQ hrtimer (callback.c).
 *                      Refused (EBUSY) while the channel has descriptors.
 *   terminate          complete|in_progress (default complete): whether
 *                      terminate_all completes the cookies it drops, or
 *                      leaves them in progress as virt-dma providers do.
 *   pool_size          descriptors the channel can have at once, from prep
 *                      to the end of their callback or terminate_all; prep
 *                      returns NULL beyond it. 0: unbounded (default).
 *   delay_max_us       each descriptor starts after a random delay of 0 to
 *                      this (on top of latency_us); 0: none (default).
 *   seed               seed of the channel's random numbers (delays,
 *                      reordering); writing it restarts the sequence.
 *   reorder            N > 1: completions are held back until N have ended,
 *                      or the first has waited 5 ms, and are then reported
 *                      in random order. 0 or 1: in order (default). Data
 *                      still moves in submission order.
 *   complete_delay_us  each completion (callback) comes this long after
 *                      the descriptor ended, its cookie already complete:
 *                      set on one channel only, it holds that channel's
 *                      completions back relative to the others'.
 *   submit_fail        N > 0: the Nth tx_submit from now on the channel is
 *                      refused: it returns -EBUSY as its cookie (as
 *                      xilinx_dma's does on a cyclic channel) and frees
 *                      the descriptor itself, which then belongs to the
 *                      provider (client.rst), so no callback comes for it.
 *                      Each tx_submit counts down; the knob reads 0 again
 *                      once one was refused. 0: none (default).
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dmasim.h"
#include "dmasim_api.h"

static const char *const dmasim_residue_names[] = {
	[DMA_RESIDUE_GRANULARITY_DESCRIPTOR] = "descriptor",
	[DMA_RESIDUE_GRANULARITY_SEGMENT] = "segment",
	[DMA_RESIDUE_GRANULARITY_BURST] = "burst",
};

static const char *const dmasim_cb_names[DMASIM_NR_CB_CTX] = {
	[DMASIM_CB_WORK] = "work",
	[DMASIM_CB_BH] = "bh",
	[DMASIM_CB_HARDIRQ] = "hardirq",
};

static const char *const dmasim_term_names[DMASIM_NR_TERM] = {
	[DMASIM_TERM_COMPLETE] = "complete",
	[DMASIM_TERM_IN_PROGRESS] = "in_progress",
};

/**
 * struct dmasim_knob - one mode
 * @name: the debugfs file and the dmasim_set_mode() name
 * @off: offset of its u32 in struct dmasim_mode
 * @names: the values' names, or NULL for a number
 * @n: number of @names, or the largest number allowed
 * @def: the default
 */
struct dmasim_knob {
	const char *name;
	size_t off;
	const char *const *names;
	u32 n;
	u32 def;
};

#define DMASIM_KNOB(_name)	\
	.name = #_name, .off = offsetof(struct dmasim_mode, _name)

static const struct dmasim_knob dmasim_knobs[DMASIM_NR_KNOBS] = {
	{ DMASIM_KNOB(residue), .names = dmasim_residue_names,
	  .n = ARRAY_SIZE(dmasim_residue_names),
	  .def = DMA_RESIDUE_GRANULARITY_BURST },
	{ DMASIM_KNOB(callback), .names = dmasim_cb_names,
	  .n = ARRAY_SIZE(dmasim_cb_names), .def = DMASIM_CB_WORK },
	{ DMASIM_KNOB(terminate), .names = dmasim_term_names,
	  .n = ARRAY_SIZE(dmasim_term_names), .def = DMASIM_TERM_COMPLETE },
	{ DMASIM_KNOB(pool_size), .n = 65536 },
	{ DMASIM_KNOB(delay_max_us), .n = USEC_PER_SEC },
	{ DMASIM_KNOB(seed), .n = U32_MAX },
	{ DMASIM_KNOB(reorder), .n = 64 },
	{ DMASIM_KNOB(complete_delay_us), .n = USEC_PER_SEC },
	{ DMASIM_KNOB(submit_fail), .n = 65536 },
};

static u32 *dmasim_knob_val(struct dmasim_chan *sc, unsigned int k)
{
	return (u32 *)((char *)&sc->mode + dmasim_knobs[k].off);
}

static int dmasim_knob_find(const char *name)
{
	unsigned int k;

	for (k = 0; k < DMASIM_NR_KNOBS; k++)
		if (!strcmp(dmasim_knobs[k].name, name))
			return k;
	return -EINVAL;
}

/* Set knob @k to @v (already range-checked); lock held. */
static int dmasim_knob_store_locked(struct dmasim_chan *sc, unsigned int k, u32 v)
{
	u32 *val = dmasim_knob_val(sc, k);

	lockdep_assert_held(&sc->lock);
	/* One context at a time empties the callback queue (callback.c). */
	if (val == &sc->mode.callback && v != *val && atomic_read(&sc->ndesc))
		return -EBUSY;
	WRITE_ONCE(*val, v);
	if (val == &sc->mode.seed)
		prandom_seed_state(&sc->rnd, v);
	return 0;
}

/* Parse @buf for knob @k and set it. */
static int dmasim_knob_set(struct dmasim_chan *sc, unsigned int k, const char *buf)
{
	const struct dmasim_knob *kb = &dmasim_knobs[k];
	unsigned long flags;
	int ret;
	u32 v;

	if (kb->names) {
		ret = __sysfs_match_string(kb->names, kb->n, buf);
		if (ret < 0)
			return ret;
		v = ret;
	} else {
		ret = kstrtou32(buf, 0, &v);
		if (ret)
			return ret;
		if (v > kb->n)
			return -ERANGE;
	}
	spin_lock_irqsave(&sc->lock, flags);
	ret = dmasim_knob_store_locked(sc, k, v);
	spin_unlock_irqrestore(&sc->lock, flags);
	/* The engine reports what reorder held if it now has nothing to do. */
	if (!ret)
		dmasim_engine_kick(sc);
	return ret;
}

/* Print knob @k's value into @buf. */
static int dmasim_knob_show(struct dmasim_chan *sc, unsigned int k, char *buf,
			    size_t size)
{
	const struct dmasim_knob *kb = &dmasim_knobs[k];
	u32 v = READ_ONCE(*dmasim_knob_val(sc, k));

	if (kb->names)
		return snprintf(buf, size, "%s", v < kb->n ? kb->names[v] : "?");
	return snprintf(buf, size, "%u", v);
}

/**
 * dmasim_modes_init() - set a channel's modes to their defaults
 * @sc: the channel, not yet in use
 */
void dmasim_modes_init(struct dmasim_chan *sc)
{
	unsigned int k;

	for (k = 0; k < DMASIM_NR_KNOBS; k++) {
		*dmasim_knob_val(sc, k) = dmasim_knobs[k].def;
		sc->knob_ref[k].sc = sc;
		sc->knob_ref[k].knob = k;
	}
	prandom_seed_state(&sc->rnd, sc->mode.seed);
}

/**
 * dmasim_is_dmasim_chan() - whether a channel is one of dmasim's
 * @chan: any dmaengine channel
 *
 * Return: true if dmasim's driver is bound to the channel's controller.
 */
bool dmasim_is_dmasim_chan(struct dma_chan *chan)
{
	return chan && chan->device && chan->device->dev &&
	       !strcmp(dev_driver_string(chan->device->dev), "dmasim");
}

/**
 * dmasim_set_mode() - set one hostile mode of a dmasim channel
 * @chan: a channel of a dmasim controller
 * @knob: the mode's name: residue, callback, terminate, pool_size,
 *	delay_max_us, seed, reorder, complete_delay_us or submit_fail
 * @value: the value, as written to the debugfs file of that name
 *
 * The same as writing @value to chanN/@knob in debugfs (see the top of
 * modes.c for each knob), for in-kernel tests. Process or atomic context.
 *
 * Return: 0; -EINVAL for a channel not of dmasim, an unknown knob or
 * value; -ERANGE for a number above the knob's limit; -EBUSY to change
 * the callback context while the channel has descriptors.
 */
int dmasim_set_mode(struct dma_chan *chan, const char *knob, const char *value)
{
	int k;

	if (!dmasim_is_dmasim_chan(chan) || !value)
		return -EINVAL;
	k = dmasim_knob_find(knob);
	if (k < 0)
		return k;
	return dmasim_knob_set(to_dmasim_chan(chan), k, value);
}
EXPORT_SYMBOL_GPL(dmasim_set_mode);

/**
 * dmasim_get_mode() - read one hostile mode of a dmasim channel
 * @chan: a channel of a dmasim controller
 * @knob: the mode's name, as for dmasim_set_mode()
 * @buf: filled with the value as the debugfs file reads, without newline
 * @size: bytes of @buf
 *
 * Return: the length of the value (as snprintf()), or -EINVAL.
 */
int dmasim_get_mode(struct dma_chan *chan, const char *knob, char *buf,
		    size_t size)
{
	int k;

	if (!dmasim_is_dmasim_chan(chan))
		return -EINVAL;
	k = dmasim_knob_find(knob);
	if (k < 0)
		return k;
	return dmasim_knob_show(to_dmasim_chan(chan), k, buf, size);
}
EXPORT_SYMBOL_GPL(dmasim_get_mode);

/**
 * dmasim_reset_modes() - put every hostile mode of a channel back
 * @chan: a channel of a dmasim controller
 *
 * Sets each knob to its default (burst, work, complete, and 0 for the
 * numbers) and restarts the random sequence from seed 0.
 *
 * Return: 0; -EINVAL for a channel not of dmasim; -EBUSY if the callback
 * context had to change while the channel has descriptors (then nothing
 * changed).
 */
int dmasim_reset_modes(struct dma_chan *chan)
{
	struct dmasim_chan *sc;
	unsigned long flags;
	unsigned int k;
	int ret = 0;

	if (!dmasim_is_dmasim_chan(chan))
		return -EINVAL;
	sc = to_dmasim_chan(chan);
	spin_lock_irqsave(&sc->lock, flags);
	if (sc->mode.callback != DMASIM_CB_WORK && atomic_read(&sc->ndesc))
		ret = -EBUSY;
	for (k = 0; !ret && k < DMASIM_NR_KNOBS; k++)
		ret = dmasim_knob_store_locked(sc, k, dmasim_knobs[k].def);
	spin_unlock_irqrestore(&sc->lock, flags);
	dmasim_engine_kick(sc);
	return ret;
}
EXPORT_SYMBOL_GPL(dmasim_reset_modes);

/**
 * dmasim_desc_in_use() - descriptors a dmasim channel holds
 * @chan: a channel of a dmasim controller
 *
 * The descriptors prepared and not yet freed (after their callback, or by
 * terminate_all): the part of the pool in use. A test that ends with the
 * channel idle and synchronized expects 0, else descriptors leaked.
 *
 * Return: the count, or -EINVAL for a channel not of dmasim.
 */
int dmasim_desc_in_use(struct dma_chan *chan)
{
	if (!dmasim_is_dmasim_chan(chan))
		return -EINVAL;
	return atomic_read(&to_dmasim_chan(chan)->ndesc);
}
EXPORT_SYMBOL_GPL(dmasim_desc_in_use);

/* --- debugfs ---------------------------------------------------------- */

static ssize_t dmasim_knob_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct dmasim_knob_ref *ref = file->private_data;
	char buf[32];
	int n;

	n = dmasim_knob_show(ref->sc, ref->knob, buf, sizeof(buf) - 1);
	buf[n++] = '\n';
	return simple_read_from_buffer(ubuf, count, ppos, buf, n);
}

static ssize_t dmasim_knob_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct dmasim_knob_ref *ref = file->private_data;
	char buf[32];
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	ret = dmasim_knob_set(ref->sc, ref->knob, strim(buf));
	return ret ? ret : count;
}

static const struct file_operations dmasim_knob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = dmasim_knob_read,
	.write = dmasim_knob_write,
	.llseek = default_llseek,
};

static int dmasim_modes_show(struct seq_file *s, void *unused)
{
	struct dmasim_chan *sc = s->private;
	unsigned int k;
	char buf[32];

	for (k = 0; k < DMASIM_NR_KNOBS; k++) {
		dmasim_knob_show(sc, k, buf, sizeof(buf));
		seq_printf(s, "%s %s\n", dmasim_knobs[k].name, buf);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmasim_modes);

/**
 * dmasim_modes_debugfs_add() - create a channel's mode files
 * @sc: the channel
 * @dir: its debugfs directory
 */
void dmasim_modes_debugfs_add(struct dmasim_chan *sc, struct dentry *dir)
{
	unsigned int k;

	for (k = 0; k < DMASIM_NR_KNOBS; k++)
		debugfs_create_file(dmasim_knobs[k].name, 0644, dir,
				    &sc->knob_ref[k], &dmasim_knob_fops);
	debugfs_create_file("modes", 0444, dir, sc, &dmasim_modes_fops);
}
