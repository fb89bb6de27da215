// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - debugfs: a benchmark and a fault knob, under
 * /sys/kernel/debug/dmaxfer/<dev>/.
 *
 * hold_issue (only in builds with DMAXFER_TEST_HOOKS, as the test harness
 * makes them): the next N issue_pending calls are skipped, so the transfers
 * stay submitted but never start: a deterministic way to drive the
 * timeout path on any controller (QEMU's PL330 finishes whatever it
 * starts before the guest's timer can fire).
 *
 * bench: the bare in-kernel path, timed: the yardstick for user-space
 * benchmarks. /sys/kernel/debug/dmaxfer/<dev>/bench takes
 * "tx|rx SIZE COUNT DEPTH [pages|contig]", then moves COUNT transfers of
 * SIZE bytes with DEPTH in flight through the same engine calls as every
 * other path (map, sync, prep, submit, issue, wait, sync, unmap) on
 * pre-built sg tables, with no user interface in between. Each run prints
 * one "bench ..." line to the kernel log.
 *
 * The layout makes the tables the same shape as the user-space path being
 * compared, since a controller may pay per segment (QEMU's PL330 does):
 * "pages" (the default) gives one entry per page, as pinned user memory
 * does; "contig" gives one physically contiguous buffer, merged into as
 * few entries as the segment limit allows, as the coherent pool does.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dmaxfer.h"

#define BENCH_MAX_DEPTH	64
#define BENCH_MAX_SIZE	SZ_4M

struct bench_slot {
	struct dmaxfer_xfer x;
	struct page **pages;
	unsigned int npages;	/* pages allocated one by one */
	struct page *block;	/* or one block of 1 << order pages */
	unsigned int order;
};

static void bench_slot_free(struct bench_slot *s)
{
	unsigned int i;

	if (s->x.sgt.sgl)
		dmaxfer_xfer_fini(&s->x);
	for (i = 0; i < s->npages; i++)
		__free_page(s->pages[i]);
	if (s->block)
		__free_pages(s->block, s->order);
	kfree(s->pages);
}

static int bench_slot_init(struct bench_slot *s, struct dmaxfer_chan *xc,
			   size_t size, bool contig)
{
	unsigned int n = DIV_ROUND_UP(size, PAGE_SIZE), i;
	int ret;

	s->pages = kcalloc(n, sizeof(*s->pages), GFP_KERNEL);
	if (!s->pages)
		return -ENOMEM;
	if (contig) {
		s->order = get_order(size);
		s->block = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN,
				       s->order);
		if (!s->block)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			s->pages[i] = s->block + i;
		return dmaxfer_xfer_init(&s->x, xc, s->pages, n, 0, size);
	}
	for (; s->npages < n; s->npages++) {
		s->pages[s->npages] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!s->pages[s->npages])
			return -ENOMEM;
	}
	ret = dmaxfer_xfer_init(&s->x, xc, s->pages, n, 0, size);
	if (ret || s->x.sgt.orig_nents == n)
		return ret;
	/*
	 * Pages that happen to be adjacent were merged: rebuild with one
	 * entry per page, the shape pinned user memory has.
	 */
	sg_free_table(&s->x.sgt);
	return dmaxfer_sgt_build(&s->x.sgt, s->pages, n, 0, size,
				 min_t(unsigned int, PAGE_SIZE,
				       dmaxfer_chan_max_seg(xc)), GFP_KERNEL);
}

/* Make an ended transfer ready to be submitted again, same table. */
static void bench_slot_rearm(struct bench_slot *s)
{
	reinit_completion(&s->x.done);
	s->x.finished = false;
	s->x.issued = false;
	s->x.expired = false;
	s->x.residue_unknown = false;
	s->x.error = 0;
	s->x.abort_error = 0;
	s->x.residue = 0;
}

static int dmaxfer_bench_run(struct dmaxfer_dev *xd, enum dmaxfer_dir d,
			     size_t size, unsigned int count, unsigned int depth,
			     bool contig)
{
	struct dmaxfer_chan *xc = xd->chans[d];
	unsigned long tmo = msecs_to_jiffies(READ_ONCE(xd->timeout_ms));
	unsigned int submitted = 0, ended = 0, i;
	struct bench_slot *slots;
	u64 t0, ns, bytes = 0;
	int ret = 0;

	if (!xc)
		return -ENODEV;
	slots = kcalloc(depth, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < depth && !ret; i++)
		ret = bench_slot_init(&slots[i], xc, size, contig);
	if (ret)
		goto out;

	mutex_lock(&xc->io_lock);
	t0 = ktime_get_ns();
	while (ended < count) {
		/* Unbinding: stop submitting, end what is in flight. */
		if (!ret && READ_ONCE(xc->kicked))
			ret = -ENODEV;
		if (!ret && submitted < count && submitted - ended < depth) {
			struct bench_slot *s = &slots[submitted % depth];

			bench_slot_rearm(s);
			ret = dmaxfer_xfer_submit(&s->x);
			if (!ret)
				submitted++;
			if (ret && submitted == ended)
				break;
			continue;
		}
		if (submitted == ended)
			break;
		if (dmaxfer_xfer_wait(&slots[ended % depth].x, tmo) && !ret)
			ret = slots[ended % depth].x.error;
		bytes += slots[ended % depth].x.len - slots[ended % depth].x.residue;
		ended++;
	}
	ns = ktime_get_ns() - t0;
	mutex_unlock(&xc->io_lock);

	if (!ret)
		dev_info(xd->dev, "bench %s size=%zu count=%u depth=%u layout=%s nents=%u bytes=%llu ns=%llu KBps=%llu tps=%llu\n",
			 xc->name, size, count, depth,
			 contig ? "contig" : "pages", slots[0].x.sgt.orig_nents,
			 bytes, ns,
			 div64_u64(bytes * 1000000, ns ?: 1),
			 div64_u64((u64)count * NSEC_PER_SEC, ns ?: 1));
out:
	for (i = 0; i < depth; i++)
		bench_slot_free(&slots[i]);
	kfree(slots);
	return ret;
}

static ssize_t dmaxfer_bench_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct dmaxfer_dev *xd = file->private_data;
	unsigned int size, count, depth;
	char buf[64], dir[4], layout[8] = "pages";
	int ret, n;

	if (len >= sizeof(buf))
		return -E2BIG;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	n = sscanf(buf, "%3s %u %u %u %7s", dir, &size, &count, &depth, layout);
	if (n < 4 || (strcmp(dir, "tx") && strcmp(dir, "rx")) ||
	    (strcmp(layout, "pages") && strcmp(layout, "contig")) || !size ||
	    size > BENCH_MAX_SIZE || !count || !depth || depth > BENCH_MAX_DEPTH)
		return -EINVAL;

	down_read(&xd->rwsem);
	ret = xd->dead ? -ENODEV :
	      dmaxfer_bench_run(xd, strcmp(dir, "tx") ? DMAXFER_RX : DMAXFER_TX,
				size, count, depth, !strcmp(layout, "contig"));
	up_read(&xd->rwsem);
	return ret ? ret : len;
}

static const struct file_operations dmaxfer_bench_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dmaxfer_bench_write,
};

static struct dentry *dmaxfer_debugfs_root;

static void dmaxfer_debugfs_remove(void *data)
{
	debugfs_remove_recursive(data);
}

/**
 * dmaxfer_debugfs_add() - create /sys/kernel/debug/dmaxfer/<dev>/bench
 * @xd: the device
 *
 * Results are printed to the kernel log (one "bench ..." line a run).
 *
 * Return: 0 or a negative errno; debugfs being absent is not an error.
 */
int dmaxfer_debugfs_add(struct dmaxfer_dev *xd)
{
	struct dentry *dir;

	dir = debugfs_create_dir(xd->name, dmaxfer_debugfs_root);
	debugfs_create_file("bench", 0200, dir, xd, &dmaxfer_bench_fops);
#ifdef DMAXFER_TEST_HOOKS
	debugfs_create_atomic_t("hold_issue", 0600, dir, &xd->hold_issue);
#endif
	return devm_add_action_or_reset(xd->dev, dmaxfer_debugfs_remove, dir);
}

/**
 * dmaxfer_debugfs_init() - create /sys/kernel/debug/dmaxfer (module init)
 */
void dmaxfer_debugfs_init(void)
{
	dmaxfer_debugfs_root = debugfs_create_dir("dmaxfer", NULL);
}

/**
 * dmaxfer_debugfs_exit() - remove /sys/kernel/debug/dmaxfer (module exit)
 */
void dmaxfer_debugfs_exit(void)
{
	debugfs_remove(dmaxfer_debugfs_root);
	dmaxfer_debugfs_root = NULL;
}
