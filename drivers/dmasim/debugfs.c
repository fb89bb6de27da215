// SPDX-License-Identifier: GPL-2.0
/*
 * dmasim - debugfs controls, under /sys/kernel/debug/dmasim/<device>/:
 *
 *   fifo_level           r   bytes in the loopback FIFO
 *   fifo_flush           w   any write empties the FIFO
 *   chanN/bandwidth_kbps rw  throughput cap in kbit/s (1 = 125 bytes/s);
 *                            0 = unlimited (the default)
 *   chanN/latency_us     rw  delay before each descriptor starts moving
 *   chanN/fault          rw  none|error|short|hang|nodata, one-shot: the
 *                            next descriptor the channel starts takes it
 *                            and the file reads "none" again
 *   chanN/stats          r   transfers, errors, terminated, bytes,
 *                            pool_empty, descs (in use), callbacks run in
 *                            each context (cb_work, cb_bh, cb_hardirq),
 *                            out_of_order (callbacks whose cookie was
 *                            below the one before), state
 *   chanN/modes          r   every hostile mode; chanN/<mode> rw sets one
 *                            (residue, callback, terminate, pool_size,
 *                            delay_max_us, seed, reorder, complete_delay_us,
 *                            submit_fail: see modes.c)
 *
 * N is the channel index, the cell of "dmas = <&sim N>".
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dmasim.h"
#include "dmasim_api.h"

static struct dentry *dmasim_debugfs_root;

static const char *const dmasim_fault_names[DMASIM_NR_FAULTS] = {
	[DMASIM_FAULT_NONE] = "none",
	[DMASIM_FAULT_ERROR] = "error",
	[DMASIM_FAULT_SHORT] = "short",
	[DMASIM_FAULT_HANG] = "hang",
	[DMASIM_FAULT_NODATA] = "nodata",
};

static int dmasim_fault_show(struct seq_file *s, void *unused)
{
	struct dmasim_chan *sc = s->private;
	enum dmasim_fault f;
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	f = sc->fault;
	spin_unlock_irqrestore(&sc->lock, flags);
	seq_printf(s, "%s\n", dmasim_fault_names[f]);
	return 0;
}

static int dmasim_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, dmasim_fault_show, inode->i_private);
}

/**
 * dmasim_set_fault() - arm a one-shot fault on a dmasim channel
 * @chan: a channel of a dmasim controller
 * @name: none, error, short, hang or nodata
 *
 * The same as writing @name to the channel's debugfs "fault" file, for
 * in-kernel tests (KUnit), which cannot write debugfs files.
 *
 * Return: 0, or -EINVAL for an unknown name or a channel not of dmasim.
 */
int dmasim_set_fault(struct dma_chan *chan, const char *name)
{
	struct dmasim_chan *sc;
	unsigned long flags;
	int f;

	if (!dmasim_is_dmasim_chan(chan))
		return -EINVAL;
	f = sysfs_match_string(dmasim_fault_names, name);
	if (f < 0)
		return f;
	sc = to_dmasim_chan(chan);
	spin_lock_irqsave(&sc->lock, flags);
	sc->fault = f;
	spin_unlock_irqrestore(&sc->lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(dmasim_set_fault);

static ssize_t dmasim_fault_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct dmasim_chan *sc = file_inode(file)->i_private;
	unsigned long flags;
	char buf[16];
	int f;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	f = sysfs_match_string(dmasim_fault_names, buf);
	if (f < 0)
		return f;

	spin_lock_irqsave(&sc->lock, flags);
	sc->fault = f;
	spin_unlock_irqrestore(&sc->lock, flags);
	return count;
}

static const struct file_operations dmasim_fault_fops = {
	.owner = THIS_MODULE,
	.open = dmasim_fault_open,
	.read = seq_read,
	.write = dmasim_fault_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int dmasim_stats_show(struct seq_file *s, void *unused)
{
	struct dmasim_chan *sc = s->private;
	struct dmasim_cb_stats cb;
	struct dmasim_stats st;
	const char *state;
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	st = sc->stats;
	if (sc->paused)
		state = "paused";
	else if (sc->active || !list_empty(&sc->issued) || sc->nheld)
		state = "busy";
	else
		state = "idle";
	spin_unlock_irqrestore(&sc->lock, flags);

	seq_printf(s, "transfers %llu\nerrors %llu\nterminated %llu\nbytes %llu\n",
		   st.transfers, st.errors, st.terminated, st.bytes);
	dmasim_cb_stats_get(sc, &cb);
	seq_printf(s, "pool_empty %llu\ndescs %d\n", st.pool_empty,
		   atomic_read(&sc->ndesc));
	seq_printf(s, "cb_work %llu\ncb_bh %llu\ncb_hardirq %llu\nout_of_order %llu\n",
		   cb.ctx[DMASIM_CB_WORK], cb.ctx[DMASIM_CB_BH],
		   cb.ctx[DMASIM_CB_HARDIRQ], cb.out_of_order);
	seq_printf(s, "state %s\n", state);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmasim_stats);

static int dmasim_fifo_level_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "%u\n", dmasim_fifo_level(s->private));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmasim_fifo_level);

static ssize_t dmasim_fifo_flush_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	dmasim_fifo_flush(file_inode(file)->i_private);
	return count;
}

static const struct file_operations dmasim_fifo_flush_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dmasim_fifo_flush_write,
	.llseek = noop_llseek,
};

/**
 * dmasim_debugfs_init() - create /sys/kernel/debug/dmasim (module init)
 */
void dmasim_debugfs_init(void)
{
	dmasim_debugfs_root = debugfs_create_dir("dmasim", NULL);
}

/**
 * dmasim_debugfs_exit() - remove /sys/kernel/debug/dmasim (module exit)
 */
void dmasim_debugfs_exit(void)
{
	debugfs_remove(dmasim_debugfs_root);
}

static void dmasim_debugfs_remove(void *data)
{
	debugfs_remove(data);
}

/**
 * dmasim_debugfs_add() - create a controller's directory (device-managed)
 * @sd: the controller
 *
 * Debugfs failures are ignored, as debugfs wants. The directory goes away
 * on unbind before the controller's state; debugfs_remove() waits for the
 * file operations under way.
 *
 * Return: 0, or -ENOMEM if the devm action cannot be added.
 */
int dmasim_debugfs_add(struct dmasim_dev *sd)
{
	unsigned int i;
	char name[16];

	sd->dbg = debugfs_create_dir(dev_name(sd->dev), dmasim_debugfs_root);
	debugfs_create_file("fifo_level", 0444, sd->dbg, sd,
			    &dmasim_fifo_level_fops);
	debugfs_create_file("fifo_flush", 0200, sd->dbg, sd,
			    &dmasim_fifo_flush_fops);
	for (i = 0; i < sd->nr_chans; i++) {
		struct dmasim_chan *sc = &sd->chans[i];
		struct dentry *dir;

		snprintf(name, sizeof(name), "chan%u", i);
		dir = debugfs_create_dir(name, sd->dbg);
		debugfs_create_u32("bandwidth_kbps", 0644, dir, &sc->bandwidth_kbps);
		debugfs_create_u32("latency_us", 0644, dir, &sc->latency_us);
		debugfs_create_file("fault", 0644, dir, sc, &dmasim_fault_fops);
		debugfs_create_file("stats", 0444, dir, sc, &dmasim_stats_fops);
		dmasim_modes_debugfs_add(sc, dir);
	}
	return devm_add_action_or_reset(sd->dev, dmasim_debugfs_remove, sd->dbg);
}
