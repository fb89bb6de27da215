// SPDX-License-Identifier: GPL-2.0
/*
 * dmasim - the engine: the loopback FIFO and the copy loop.
 *
 * Each channel has a work item. A run of it takes steps, each with the
 * channel's lock held: start the next issued descriptor, or move one chunk
 * (at most up to the next page boundary) of the active one between its
 * memory and the FIFO, or end it (callback.c takes it from there; in the
 * "work" callback context the work itself then invokes the callbacks,
 * without the lock). The run ends when the channel is idle, paused,
 * waiting for the FIFO (another channel's progress kicks it again) or
 * waiting for its hrtimer (latency, bandwidth, random delay).
 */
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/kfifo.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "cookie.h"
#include "dmasim.h"

static void dmasim_fifo_free(void *data)
{
	struct kfifo *fifo = data;

	kfifo_free(fifo);
}

/**
 * dmasim_fifo_init() - allocate the loopback FIFO (device-managed)
 * @sd: the controller
 * @size: bytes; rounded up to a power of two
 *
 * Return: 0 or a negative errno.
 */
int dmasim_fifo_init(struct dmasim_dev *sd, unsigned int size)
{
	int ret;

	spin_lock_init(&sd->fifo_lock);
	ret = kfifo_alloc(&sd->fifo, size, GFP_KERNEL);
	if (ret)
		return ret;
	return devm_add_action_or_reset(sd->dev, dmasim_fifo_free, &sd->fifo);
}

/**
 * dmasim_fifo_level() - bytes in the loopback FIFO
 * @sd: the controller
 *
 * Return: the number of bytes a DEV_TO_MEM transfer could take now.
 */
unsigned int dmasim_fifo_level(struct dmasim_dev *sd)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&sd->fifo_lock, flags);
	n = kfifo_len(&sd->fifo);
	spin_unlock_irqrestore(&sd->fifo_lock, flags);
	return n;
}

/* Kick the channels that wait for the FIFO to change. */
static void dmasim_kick_waiters(struct dmasim_dev *sd)
{
	unsigned int i;

	for (i = 0; i < sd->nr_chans; i++) {
		struct dmasim_chan *sc = &sd->chans[i];

		if (READ_ONCE(sc->fifo_wait)) {
			WRITE_ONCE(sc->fifo_wait, false);
			dmasim_engine_kick(sc);
		}
	}
}

/**
 * dmasim_fifo_flush() - drop every byte in the loopback FIFO
 * @sd: the controller
 *
 * MEM_TO_DEV transfers waiting for room go on.
 */
void dmasim_fifo_flush(struct dmasim_dev *sd)
{
	unsigned long flags;

	spin_lock_irqsave(&sd->fifo_lock, flags);
	kfifo_reset(&sd->fifo);
	spin_unlock_irqrestore(&sd->fifo_lock, flags);
	dmasim_kick_waiters(sd);
}

/**
 * dmasim_engine_kick() - make the channel's engine look at its work
 * @sc: the channel
 *
 * Any context. A kick with nothing to do is harmless.
 */
void dmasim_engine_kick(struct dmasim_chan *sc)
{
	queue_work(sc->sd->wq, &sc->work);
}

static enum hrtimer_restart dmasim_timer_fn(struct hrtimer *timer)
{
	dmasim_engine_kick(container_of(timer, struct dmasim_chan, timer));
	return HRTIMER_NORESTART;
}

/* How late a step under a bandwidth cap may be and still catch up. */
#define DMASIM_BW_SLACK_MS	10

/*
 * Bytes moved in one step under a bandwidth cap: about 1 ms worth, at least
 * 64 bytes (so a slow channel does not take a timer per byte).
 */
static u32 dmasim_bw_chunk(u32 kbps)
{
	return clamp_t(u32, kbps / 8, 64, PAGE_SIZE);
}

/**
 * dmasim_move() - move one chunk of the active descriptor
 * @sc: the channel, lock held
 * @d: its active descriptor, with bytes left to move
 * @now: the time of this step
 *
 * The memory is reached only through the segment's DMA address, as a
 * device would: translated to a physical address and read or written
 * through the linear map (a highmem page, on 32-bit, is mapped for the
 * chunk). A chunk never crosses a page boundary, so one pfn covers it.
 *
 * Return: bytes moved, 0 if the FIFO is empty (DEV_TO_MEM) or full
 * (MEM_TO_DEV) and the channel now waits for a kick, or -EFAULT if the
 * address is not RAM.
 */
static int dmasim_move(struct dmasim_chan *sc, struct dmasim_desc *d, ktime_t now)
{
	struct dmasim_dev *sd = sc->sd;
	struct dmasim_seg *seg = &d->segs[d->seg];
	dma_addr_t addr = seg->addr + d->seg_off;
	phys_addr_t phys = dma_to_phys(sd->dev, addr);
	u32 bw = READ_ONCE(sc->bandwidth_kbps);
	struct page *page;
	unsigned int n;
	void *va;

	if (!pfn_valid(PHYS_PFN(phys))) {
		dev_err_ratelimited(sd->dev, "%s: DMA address %pad is not RAM\n",
				    dma_chan_name(&sc->chan), &addr);
		return -EFAULT;
	}
	page = pfn_to_page(PHYS_PFN(phys));
	if (PageHighMem(page))
		va = kmap_local_page(page) + offset_in_page(phys);
	else
		va = phys_to_virt(phys);

	n = min(d->limit - d->moved, seg->len - d->seg_off);
	n = min_t(unsigned int, n, PAGE_SIZE - offset_in_page(phys));
	if (bw)
		n = min(n, dmasim_bw_chunk(bw));

	spin_lock(&sd->fifo_lock);
	if (d->dir == DMA_MEM_TO_DEV)
		n = kfifo_in(&sd->fifo, va, n);
	else
		n = kfifo_out(&sd->fifo, va, n);
	/* Under fifo_lock: whoever changes the FIFO next sees the flag. */
	if (!n)
		WRITE_ONCE(sc->fifo_wait, true);
	spin_unlock(&sd->fifo_lock);
	if (PageHighMem(page))
		kunmap_local(va);
	if (!n)
		return 0;

	d->moved += n;
	d->seg_off += n;
	if (d->seg_off == seg->len) {
		d->seg++;
		d->seg_off = 0;
	}
	sc->stats.bytes += n;
	if (bw) {
		/*
		 * n bytes at bw kbit/s take n * 8 * 10^6 / bw ns, from when
		 * the chunk was due: a step a little late (the work's
		 * scheduling) catches up, one long idle does not make a burst.
		 */
		ktime_t due = sc->next;

		if (ktime_before(due, ktime_sub_ms(now, DMASIM_BW_SLACK_MS)))
			due = now;
		sc->next = ktime_add_ns(due, div_u64((u64)n * 8 * NSEC_PER_MSEC, bw));
	}
	return n;
}

enum dmasim_step {
	DMASIM_STEP_IDLE,	/* nothing to do until kicked */
	DMASIM_STEP_WAIT,	/* nothing to do until the hrtimer fires */
	DMASIM_STEP_MOVED,	/* moved a chunk */
	DMASIM_STEP_DONE,	/* a descriptor ended */
};

/*
 * Take the next issued descriptor, with the channel's one-shot fault, and
 * its start delay: latency_us plus a random 0..delay_max_us.
 */
static struct dmasim_desc *dmasim_start_next(struct dmasim_chan *sc, ktime_t now)
{
	u32 dmax = sc->mode.delay_max_us;
	struct dmasim_desc *d;
	u64 delay;

	d = list_first_entry_or_null(&sc->issued, struct dmasim_desc, node);
	if (!d)
		return NULL;
	list_del_init(&d->node);
	sc->active = d;
	d->fault = sc->fault;
	sc->fault = DMASIM_FAULT_NONE;
	d->limit = d->fault == DMASIM_FAULT_SHORT ? d->len / 2 : d->len;
	delay = READ_ONCE(sc->latency_us);
	if (dmax)
		delay += prandom_u32_state(&sc->rnd) % (dmax + 1);
	if (delay)
		sc->next = ktime_add_us(now, delay);
	return d;
}

/**
 * dmasim_step() - one step of a channel's engine
 * @sc: the channel, lock held
 *
 * A descriptor that ends goes to dmasim_desc_done_locked().
 *
 * Return: what happened.
 */
static enum dmasim_step dmasim_step(struct dmasim_chan *sc)
{
	struct dmaengine_result *res;
	ktime_t now = ktime_get();
	struct dmasim_desc *d;
	int ret;

	lockdep_assert_held(&sc->lock);
	if (sc->paused)
		return DMASIM_STEP_IDLE;
	d = sc->active;
	if (!d) {
		d = dmasim_start_next(sc, now);
		if (!d)
			return DMASIM_STEP_IDLE;
	}
	if (ktime_before(now, sc->next)) {
		hrtimer_start(&sc->timer, sc->next, HRTIMER_MODE_ABS);
		return DMASIM_STEP_WAIT;
	}

	res = &d->res;
	res->result = DMA_TRANS_NOERROR;
	switch (d->fault) {
	case DMASIM_FAULT_HANG:
		return DMASIM_STEP_IDLE;
	case DMASIM_FAULT_NODATA:
		d->moved = d->len;	/* claimed, not moved */
		break;
	case DMASIM_FAULT_ERROR:
		ret = -EIO;
		goto failed;
	default:
		if (d->moved < d->limit) {
			ret = dmasim_move(sc, d, now);
			if (ret > 0)
				return DMASIM_STEP_MOVED;
			if (!ret)
				return DMASIM_STEP_IDLE;
			goto failed;
		}
		break;
	}
	sc->stats.transfers++;
	goto complete;

failed:
	/* The memory side failed: reading it (MEM_TO_DEV) or writing it. */
	res->result = d->dir == DMA_MEM_TO_DEV ? DMA_TRANS_READ_FAILED :
						 DMA_TRANS_WRITE_FAILED;
	sc->stats.errors++;
complete:
	res->residue = d->len - d->moved;
	sc->active = NULL;
	dmasim_desc_done_locked(sc, d);
	return DMASIM_STEP_DONE;
}

static void dmasim_work(struct work_struct *work)
{
	struct dmasim_chan *sc = container_of(work, struct dmasim_chan, work);

	for (;;) {
		enum dmasim_step step;
		unsigned long flags;
		bool deliver;

		spin_lock_irqsave(&sc->lock, flags);
		step = dmasim_step(sc);
		/*
		 * Reorder mode: when the engine stops (idle, paused, hung,
		 * waiting for the FIFO or the hrtimer), what it holds is
		 * reported within DMASIM_REORDER_HOLD_US, or a client waiting
		 * for those completions would wait for ever.
		 */
		if ((step == DMASIM_STEP_IDLE || step == DMASIM_STEP_WAIT) &&
		    sc->nheld)
			dmasim_held_idle_locked(sc);
		deliver = sc->mode.callback == DMASIM_CB_WORK;
		spin_unlock_irqrestore(&sc->lock, flags);

		if (step == DMASIM_STEP_MOVED)
			dmasim_kick_waiters(sc->sd);
		if (deliver)
			dmasim_deliver(sc);
		if (step == DMASIM_STEP_IDLE || step == DMASIM_STEP_WAIT)
			break;
		cond_resched();
	}
}

/**
 * dmasim_engine_init() - set up a channel's engine
 * @sc: the channel
 */
void dmasim_engine_init(struct dmasim_chan *sc)
{
	INIT_WORK(&sc->work, dmasim_work);
	hrtimer_setup(&sc->timer, dmasim_timer_fn, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
}

/**
 * dmasim_engine_stop() - wait until a channel's engine is quiet
 * @sc: a channel with no descriptor left (terminate_all first)
 *
 * After it returns, no step and no callback of @sc runs, and none starts
 * unless something kicks the channel again.
 */
void dmasim_engine_stop(struct dmasim_chan *sc)
{
	WRITE_ONCE(sc->fifo_wait, false);
	hrtimer_cancel(&sc->cb_timer);
	tasklet_kill(&sc->tasklet);
	hrtimer_cancel(&sc->timer);
	cancel_work_sync(&sc->work);
}
