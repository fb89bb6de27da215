// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - the transfer engine.
 *
 * One transfer: pages -> sg_table (split to the controller's segment limit)
 * -> dma_map_sgtable() on the DMA controller's device -> sync for device
 * -> dmaengine_prep_slave_sg() -> dmaengine_submit() -> issue_pending ...
 * the completion callback (callback.c; or timeout: pause, read residue,
 * terminate_sync)
 * -> sync for CPU -> unmap.
 *
 * Mappings are made with DMA_ATTR_SKIP_CPU_SYNC and the cache maintenance
 * is done by the explicit dma_sync_sgtable_*() calls, so there is exactly
 * one place where ownership passes to the device and one where it comes
 * back to the CPU.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/errno.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/delay.h>

#include "dmaxfer.h"

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * Test-only fault hook: skip the sync for the CPU, as a buggy driver
 * would. KUnit's negative control sets it to prove the sync tests can
 * fail. Absent from kernels without KUnit.
 */
bool dmaxfer_test_skip_cpu_sync;
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_test_skip_cpu_sync);
#endif

/**
 * dmaxfer_chan_init() - initialise the software state of a channel
 * @xc: the channel, zeroed
 * @xd: its device
 * @d: its direction
 */
void dmaxfer_chan_init(struct dmaxfer_chan *xc, struct dmaxfer_dev *xd,
		       enum dmaxfer_dir d)
{
	xc->xd = xd;
	xc->name = d == DMAXFER_TX ? "tx" : "rx";
	xc->dir = d == DMAXFER_TX ? DMA_MEM_TO_DEV : DMA_DEV_TO_MEM;
	mutex_init(&xc->io_lock);
	spin_lock_init(&xc->lock);
	INIT_LIST_HEAD(&xc->inflight);
	init_waitqueue_head(&xc->wq);
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_chan_init);

static const char *const dmaxfer_width_prop[] = {
	[DMAXFER_TX] = "tx-bus-width",
	[DMAXFER_RX] = "rx-bus-width",
};

/**
 * dmaxfer_chan_setup() - check the controller's capabilities, configure
 * @xc: a channel whose @chan, @dir and @props are set
 *
 * Return: 0, or a negative errno after a message that names the device-tree
 * property the controller cannot honour.
 */
int dmaxfer_chan_setup(struct dmaxfer_chan *xc)
{
	struct device *dev = xc->xd->dev;
	enum dma_slave_buswidth width = xc->props.bus_width;
	bool tx = xc->dir == DMA_MEM_TO_DEV;
	int idx = tx ? DMAXFER_TX : DMAXFER_RX;
	u32 widths;
	int ret;

	xc->dma_dev = dmaengine_get_dma_device(xc->chan);
	xc->map_dir = tx ? DMA_TO_DEVICE : DMA_FROM_DEVICE;

	ret = dma_get_slave_caps(xc->chan, &xc->caps);
	if (ret)
		return dev_err_probe(dev, ret, "%s: controller reports no slave caps\n",
				     xc->name);
	dmaxfer_chan_quirks(xc);
	/* Without terminate, nothing could end a transfer before its memory goes. */
	if (!xc->caps.cmd_terminate)
		return dev_err_probe(dev, -EINVAL,
				     "%s: dmas: channel %s cannot be terminated\n",
				     xc->name, dma_chan_name(xc->chan));
	if (!(xc->caps.directions & BIT(xc->dir)))
		return dev_err_probe(dev, -EINVAL,
				     "%s: dmas: channel %s cannot do %s\n", xc->name,
				     dma_chan_name(xc->chan),
				     tx ? "MEM_TO_DEV" : "DEV_TO_MEM");
	widths = tx ? xc->caps.dst_addr_widths : xc->caps.src_addr_widths;
	if (!(widths & BIT(width)))
		return dev_err_probe(dev, -EINVAL,
				     "dmaxfer,%s = %u: not supported by %s (widths mask %#x)\n",
				     dmaxfer_width_prop[idx], width,
				     dma_chan_name(xc->chan), widths);
	if (xc->caps.max_burst && xc->props.maxburst > xc->caps.max_burst)
		return dev_err_probe(dev, -EINVAL,
				     "dmaxfer,%s-maxburst = %u: controller allows %u\n",
				     xc->name, xc->props.maxburst, xc->caps.max_burst);

	xc->cfg.direction = xc->dir;
	if (tx) {
		xc->cfg.dst_addr = xc->props.fifo_addr;
		xc->cfg.dst_addr_width = width;
		xc->cfg.dst_maxburst = xc->props.maxburst;
	} else {
		xc->cfg.src_addr = xc->props.fifo_addr;
		xc->cfg.src_addr_width = width;
		xc->cfg.src_maxburst = xc->props.maxburst;
	}
	ret = dmaengine_slave_config(xc->chan, &xc->cfg);
	if (ret)
		return dev_err_probe(dev, ret, "%s: slave config refused\n",
				     xc->name);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_chan_setup);

/**
 * dmaxfer_xfer_init() - prepare a transfer over caller-owned pages
 * @x: the transfer
 * @xc: the channel
 * @pages: pages holding (tx) or receiving (rx) the data
 * @npages: number of @pages
 * @offset: offset of the first byte in the first page of @pages
 * @len: bytes to move
 *
 * Builds the sg table; nothing is mapped until dmaxfer_xfer_submit().
 * Every successful call must be paired with dmaxfer_xfer_fini().
 *
 * Return: 0, -EINVAL for a length the bus width does not divide, -ENOMEM.
 */
int dmaxfer_xfer_init(struct dmaxfer_xfer *x, struct dmaxfer_chan *xc,
		      struct page **pages, unsigned int npages,
		      unsigned int offset, size_t len)
{
	memset(x, 0, sizeof(*x));
	INIT_LIST_HEAD(&x->node);
	init_completion(&x->done);
	x->xc = xc;
	x->pages = pages;
	x->npages = npages;
	x->offset = offset;
	x->len = len;
	if (len % xc->props.bus_width)
		return -EINVAL;
	return dmaxfer_sgt_build_bounded(&x->sgt, pages, npages, offset, len,
					 dmaxfer_chan_max_seg(xc),
					 dma_get_seg_boundary(xc->dma_dev), GFP_KERNEL);
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_xfer_init);

/**
 * dmaxfer_xfer_init_coherent() - prepare a transfer over coherent memory
 * @x: the transfer
 * @xc: the channel
 * @addr: DMA address of the data, in memory from dma_alloc_coherent() on
 *	@xc->dma_dev
 * @len: bytes to move
 *
 * Coherent memory needs no mapping and no sync: the table carries the DMA
 * addresses only, split to the segment limit.
 *
 * Return: 0, -EINVAL for a length the bus width does not divide, -ENOMEM.
 */
int dmaxfer_xfer_init_coherent(struct dmaxfer_xfer *x, struct dmaxfer_chan *xc,
			       dma_addr_t addr, size_t len)
{
	unsigned long boundary = dma_get_seg_boundary(xc->dma_dev);
	unsigned int max = dmaxfer_chan_max_seg(xc), n = 0, pass;
	struct scatterlist *sg = NULL;
	int ret;

	memset(x, 0, sizeof(*x));
	INIT_LIST_HEAD(&x->node);
	init_completion(&x->done);
	x->xc = xc;
	x->len = len;
	x->coherent = true;
	if (!len || len % xc->props.bus_width)
		return -EINVAL;
	/* Pass 0 counts the entries, pass 1 fills them. */
	for (pass = 0; pass < 2; pass++) {
		dma_addr_t a = addr;
		size_t left = len;

		while (left) {
			size_t seg = min_t(size_t, left, max);

			seg = min(seg, dmaxfer_to_boundary(a, boundary));
			if (pass) {
				sg_dma_address(sg) = a;
				sg_dma_len(sg) = seg;
				sg = sg_next(sg);
			} else {
				n++;
			}
			a += seg;
			left -= seg;
		}
		if (!pass) {
			ret = sg_alloc_table(&x->sgt, n, GFP_KERNEL);
			if (ret)
				return ret;
			sg = x->sgt.sgl;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_xfer_init_coherent);

/*
 * Account a transfer that has ended and tell its owner; called with
 * xc->lock held, in any context.
 */
void dmaxfer_finish_locked(struct dmaxfer_xfer *x, int error, u32 residue)
{
	void (*on_done)(struct dmaxfer_xfer *x) = x->on_done;
	struct dmaxfer_chan *xc = x->xc;
	struct dmaxfer_stats *st = &xc->stats;

	/* Read without xc->lock by the cheap expiry check (async.c). */
	WRITE_ONCE(x->finished, true);
	x->error = error;
	x->residue = min_t(u32, residue, x->len);
	list_del_init(&x->node);
	st->inflight--;
	WRITE_ONCE(xc->ended, xc->ended + 1);

	st->bytes += x->len - x->residue;
	st->last_residue = x->residue;
	if (error) {
		st->errors++;
		st->last_error = error;
		if (error == -ETIMEDOUT)
			st->timeouts++;
	} else {
		st->transfers++;
	}
	/*
	 * @on_done was loaded first: once complete() has run, a synchronous
	 * waiter may unmap and free @x at once. Only the channel, which
	 * outlives every transfer, is touched after it.
	 */
	complete(&x->done);
	wake_up_all(&xc->wq);
	if (on_done)
		on_done(x);
}

/**
 * dmaxfer_xfer_submit() - map, prepare and submit a transfer
 * @x: a transfer set up by dmaxfer_xfer_init()
 *
 * The transfer starts at the next dmaxfer_chan_issue(): submitting a batch
 * and issuing it once lets the controller chain the descriptors. On success
 * the transfer is in flight and must be ended by dmaxfer_xfer_wait(). On
 * failure nothing is left mapped or queued.
 *
 * Return: 0, -EBUSY when the controller has no descriptor left while
 * transfers are in flight on the channel (retry once one has ended), or
 * -ENOMEM/-EIO (mapping, descriptor or submission failed, or the channel
 * is @broken).
 */
int dmaxfer_xfer_submit(struct dmaxfer_xfer *x)
{
	struct dmaxfer_chan *xc = x->xc;
	struct dma_async_tx_descriptor *desc;
	unsigned long flags;
	int ret, tries;
	bool busy;

	if (READ_ONCE(xc->broken)) {
		dev_err_ratelimited(xc->xd->dev,
				    "%s: channel could not be terminated, refusing transfers\n",
				    xc->name);
		ret = -EIO;
		goto count;
	}
	if (!x->coherent) {
		ret = dma_map_sgtable(xc->dma_dev, &x->sgt, xc->map_dir,
				      DMA_ATTR_SKIP_CPU_SYNC);
		if (ret) {
			dev_err_ratelimited(xc->xd->dev, "%s: mapping %zu bytes failed (%d)\n",
					    xc->name, x->len, ret);
			goto count;
		}
		x->mapped = true;
		/* Ownership passes to the device: write back (tx) or clean (rx). */
		dma_sync_sgtable_for_device(xc->dma_dev, &x->sgt, xc->map_dir);
	}

	/*
	 * Controllers with a fixed descriptor ring (and pl330 when its
	 * atomic refill fails) return none while their descriptors are in
	 * use. With transfers in flight on the channel that is a full queue,
	 * not a failure (-EBUSY: retry once one has ended). With none, the
	 * last ones may still be on their way back to the ring after their
	 * callbacks: give them a few milliseconds before calling it -EIO.
	 */
	for (tries = 0;; tries++) {
		desc = dmaengine_prep_slave_sg(xc->chan, x->sgt.sgl, x->sgt.nents,
					       xc->dir, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		if (desc || tries == 10)
			break;
		spin_lock_irqsave(&xc->lock, flags);
		busy = !list_empty(&xc->inflight);
		spin_unlock_irqrestore(&xc->lock, flags);
		if (busy) {
			dmaxfer_xfer_unmap(x);
			return -EBUSY;
		}
		usleep_range(1000, 2000);
	}
	if (!desc) {
		dev_err_ratelimited(xc->xd->dev, "%s: no descriptor for %u entries\n",
				    xc->name, x->sgt.nents);
		ret = -EIO;
		goto unmap;
	}
	dmaxfer_desc_set_callback(xc, desc, x);

	spin_lock_irqsave(&xc->lock, flags);
	x->cookie = dmaengine_submit(desc);
	if (dma_submit_error(x->cookie)) {
		spin_unlock_irqrestore(&xc->lock, flags);
		dev_err_ratelimited(xc->xd->dev, "%s: submit failed (%d)\n",
				    xc->name, x->cookie);
		/* Acked at prep: the controller owns and frees the descriptor. */
		ret = -EIO;
		goto unmap;
	}
	list_add_tail(&x->node, &xc->inflight);
	xc->unissued = true;
	xc->stats.last_nents = x->sgt.nents;
	xc->stats.max_nents = max(xc->stats.max_nents, x->sgt.nents);
	xc->stats.inflight++;
	xc->stats.max_inflight = max(xc->stats.max_inflight, xc->stats.inflight);
	spin_unlock_irqrestore(&xc->lock, flags);
	return 0;

unmap:
	dmaxfer_xfer_unmap(x);
count:
	spin_lock_irqsave(&xc->lock, flags);
	xc->stats.errors++;
	xc->stats.last_error = ret;
	spin_unlock_irqrestore(&xc->lock, flags);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_xfer_submit);

/**
 * dmaxfer_chan_issue() - start the transfers submitted on a channel
 * @xc: the channel
 */
void dmaxfer_chan_issue(struct dmaxfer_chan *xc)
{
	struct dmaxfer_xfer *x;
	unsigned long flags;
	bool pending;

	if (dmaxfer_test_hold_issue(xc->xd))
		return;		/* test knob: leave them waiting */
	/* Some controllers (pl330) warn when issued with nothing pending. */
	spin_lock_irqsave(&xc->lock, flags);
	pending = xc->unissued;
	xc->unissued = false;
	list_for_each_entry(x, &xc->inflight, node)
		x->issued = true;
	spin_unlock_irqrestore(&xc->lock, flags);
	if (pending)
		dma_async_issue_pending(xc->chan);
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_chan_issue);

/*
 * Sleep on the channel's queue until @done(@x, @seen) holds, the channel
 * is kicked, a fatal signal comes or @timeout (jiffies) passes; returns
 * the jiffies left, 0, or -ERESTARTSYS (fatal signal).
 *
 * The waits of a stream (read()/write(), the debugfs bench) are killable,
 * not interruptible: the freezer's fake signal (freeze_task() sends it to
 * a task that is not asleep in a freezable state at that moment, and
 * TIF_SIGPENDING then stays set until the call returns) must not end a
 * stream, and nothing tells it from a handled signal while a stream runs.
 * So a handled signal waits for the stream to end (each transfer is
 * bounded by timeout_ms); a fatal one (SIGKILL, or an unhandled SIGINT
 * the kernel turns into one) ends it. TASK_KILLABLE does not count
 * against the hung-task detector.
 *
 * System sleep freezes the task in place. The caller holds the channel's
 * io_lock (and the device's rwsem), so the freeze is "unsafe" in lockdep's
 * sense, as NFS's waits are. Not every other waiter for io_lock can be
 * frozen meanwhile: the file operations that start transfers take it
 * interruptibly (and are frozen through the restart of their call) and an
 * unbind kicks the stream first, but the asynchronous expiry of the
 * watchdog and of a closed file's release worker (async.c), and the
 * debugfs bench, take it uninterruptibly: one of them blocked behind a
 * frozen stream holds up the freezer.
 */
static long dmaxfer_stream_sleep(struct dmaxfer_chan *xc,
				 bool (*done)(struct dmaxfer_chan *xc, void *arg),
				 void *arg, long timeout)
{
	DEFINE_WAIT(wait);

	for (;;) {
		prepare_to_wait(&xc->wq, &wait,
				TASK_KILLABLE | TASK_FREEZABLE_UNSAFE);
		if (done(xc, arg) || READ_ONCE(xc->kicked))
			break;
		if (fatal_signal_pending(current)) {
			timeout = -ERESTARTSYS;
			break;
		}
		if (!timeout)
			break;
		timeout = schedule_timeout(timeout);
	}
	finish_wait(&xc->wq, &wait);
	return timeout;
}

static bool dmaxfer_xfer_ended(struct dmaxfer_chan *xc, void *arg)
{
	struct dmaxfer_xfer *x = arg;

	return completion_done(&x->done);
}

static bool dmaxfer_chan_moved(struct dmaxfer_chan *xc, void *arg)
{
	u64 *seen = arg;

	return READ_ONCE(xc->ended) != *seen;
}

/**
 * dmaxfer_chan_wait_end_stream() - dmaxfer_chan_wait_end() for a stream
 * @xc: the channel
 * @seen: the channel's @ended count when the caller found it busy
 * @timeout: in jiffies
 *
 * Killable and freezable, as a stream's other waits: only a fatal signal
 * ends it early.
 *
 * Return: jiffies left (the count moved, or the channel was kicked), 0 on
 * timeout, -ERESTARTSYS on a fatal signal.
 */
long dmaxfer_chan_wait_end_stream(struct dmaxfer_chan *xc, u64 seen, long timeout)
{
	long left = dmaxfer_stream_sleep(xc, dmaxfer_chan_moved, &seen, timeout);

	/* Moved or kicked at the last jiffy is not a timeout. */
	if (!left && (dmaxfer_chan_moved(xc, &seen) || READ_ONCE(xc->kicked)))
		left = 1;
	return left;
}

/* Sleep until @x ends, the channel is kicked, a fatal signal or @timeout. */
static long dmaxfer_wait_done(struct dmaxfer_xfer *x, long timeout)
{
	return dmaxfer_stream_sleep(x->xc, dmaxfer_xfer_ended, x, timeout);
}

/**
 * dmaxfer_xfer_wait() - wait for a submitted transfer to end
 * @x: the transfer
 * @timeout: in jiffies
 *
 * The wait is killable and freezable: only a fatal signal interrupts it,
 * never the freezer. On timeout, fatal signal or kick (unbind) the whole
 * channel is aborted (a dmaengine channel cannot drop one descriptor), so
 * the other transfers in flight on it, of any file, end with -ECANCELED.
 * Either way the data is synced for the CPU and unmapped. Must be called
 * with @x->xc->io_lock held.
 *
 * Return: 0 when all @x->len bytes moved; otherwise -ETIMEDOUT, -EINTR
 * (fatal signal), -ENODEV (kicked), -EIO or -ECANCELED, with @x->residue
 * the bytes not moved.
 */
int dmaxfer_xfer_wait(struct dmaxfer_xfer *x, unsigned long timeout)
{
	struct dmaxfer_chan *xc = x->xc;
	unsigned long flags;
	long left;
	int why = 0;

	/* A transfer never issued would time out: make sure it is. */
	dmaxfer_chan_issue(xc);
	left = dmaxfer_wait_done(x, timeout);
	if (!completion_done(&x->done)) {
		why = left < 0 ? -EINTR : left ? -ENODEV : -ETIMEDOUT;
		spin_lock_irqsave(&xc->lock, flags);
		x->expired = why == -ETIMEDOUT;
		spin_unlock_irqrestore(&xc->lock, flags);
		dmaxfer_chan_abort(xc);
		/* Unless it completed in the meantime, say why it ended. */
		if (x->error == -ECANCELED)
			x->error = why;
		if (x->error)
			dev_warn_ratelimited(xc->xd->dev,
					     "%s: transfer of %zu bytes %s, residue %u%s\n",
					     xc->name, x->len,
					     why == -ETIMEDOUT ? "timed out" :
					     why == -EINTR ? "interrupted" : "cut off by unbind",
					     x->residue, x->residue_unknown ? " (unknown)" : "");
	}

	dmaxfer_xfer_unmap(x);
	return x->error;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_xfer_wait);

/**
 * dmaxfer_xfer_unmap() - give a transfer's memory back to the CPU
 * @x: a transfer that has ended (or was never submitted)
 *
 * Syncs for the CPU (for rx this is where the device's bytes become
 * visible) and unmaps. Does nothing for coherent or unmapped transfers.
 */
void dmaxfer_xfer_unmap(struct dmaxfer_xfer *x)
{
	struct dmaxfer_chan *xc = x->xc;

	if (!x->mapped)
		return;
	/* Ownership comes back to the CPU: invalidate (rx). */
	if (!dmaxfer_test_skip_cpu_sync)
		dma_sync_sgtable_for_cpu(xc->dma_dev, &x->sgt, xc->map_dir);
	dma_unmap_sgtable(xc->dma_dev, &x->sgt, xc->map_dir, DMA_ATTR_SKIP_CPU_SYNC);
	x->mapped = false;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_xfer_unmap);

/**
 * dmaxfer_xfer_fini() - free what dmaxfer_xfer_init() allocated
 * @x: a transfer that is not in flight
 */
void dmaxfer_xfer_fini(struct dmaxfer_xfer *x)
{
	WARN_ON(x->mapped);
	sg_free_table(&x->sgt);
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_xfer_fini);
