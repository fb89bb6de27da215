// SPDX-License-Identifier: GPL-2.0
/*
 * dmasim - completion delivery: the descriptor pool, the reorder mode's
 * held descriptors, and the callback queue with its three contexts.
 *
 * The engine ends a descriptor with the channel's lock held
 * (dmasim_desc_done_locked()). In order (the default), its cookie is
 * completed at once and it goes on the callback queue, due now or
 * complete_delay_us later. With reorder = N > 1 it is held instead, its
 * cookie still in progress (residue: what was not moved), until N have
 * ended or the first has been held DMASIM_REORDER_HOLD_US (a client that
 * queues one transfer at a time must not wait for ever, and one that
 * queues them faster than the engine ends them sees them reordered); then
 * the held cookies are completed together and the descriptors queued in a
 * random order, so the callbacks come out of submission order while a
 * cookie that reads complete has always moved its data (the engine moves
 * in order).
 *
 * The queue is emptied, each callback invoked with no dmasim lock held
 * (dmaengine_desc_get_callback_invoke()), by the channel's callback
 * context:
 *
 *   work     the engine's work item, after each of its steps;
 *   bh       a tasklet, as virt-dma providers do;
 *   hardirq  @cb_timer, an hrtimer in hard-IRQ mode, as providers that
 *            complete from their interrupt handler do. On PREEMPT_RT an
 *            interrupt handler is force-threaded and clients' callbacks
 *            take spinlock_t, so there the timer expires in softirq
 *            context instead, like the threaded handler would run.
 *
 * Only @cb_lock (raw) is taken from the hrtimer, and the descriptor is
 * freed there by kfree(), which !PREEMPT_RT allows from hard IRQ.
 * @cb_timer also wakes the work or the tasklet when a delayed callback is
 * due. The callback context can change only while the channel has no
 * descriptor (modes.c), so one context at a time empties the queue, in
 * queue order.
 */
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "cookie.h"
#include "dmasim.h"

#define DMASIM_CB_TIMER_MODE	(IS_ENABLED(CONFIG_PREEMPT_RT) ?	\
				 HRTIMER_MODE_ABS_SOFT : HRTIMER_MODE_ABS_HARD)

/**
 * dmasim_desc_get() - take a descriptor from the channel's pool
 * @sc: the channel
 *
 * The pool is a count: with pool_size N, at most N descriptors exist at
 * once, from prep until freed after their callback or by terminate_all.
 *
 * Return: true, or false if the pool is empty. Any context.
 */
bool dmasim_desc_get(struct dmasim_chan *sc)
{
	u32 max = READ_ONCE(sc->mode.pool_size);
	int n = atomic_read(&sc->ndesc);

	do {
		if (max && n >= max)
			return false;
	} while (!atomic_try_cmpxchg(&sc->ndesc, &n, n + 1));
	return true;
}

/**
 * dmasim_desc_free() - free a descriptor and give it back to the pool
 * @sc: the channel
 * @d: the descriptor, on no list, or NULL (only the pool count goes back)
 */
void dmasim_desc_free(struct dmasim_chan *sc, struct dmasim_desc *d)
{
	kfree(d);
	atomic_dec(&sc->ndesc);
}

/* Wake the callback context for a queue whose first entry is due at @due. */
static void dmasim_cb_arm(struct dmasim_chan *sc, ktime_t due)
{
	u32 ctx = READ_ONCE(sc->mode.callback);

	if (ctx == DMASIM_CB_HARDIRQ || ktime_after(due, ktime_get()))
		hrtimer_start(&sc->cb_timer, due, DMASIM_CB_TIMER_MODE);
	else if (ctx == DMASIM_CB_BH)
		tasklet_schedule(&sc->tasklet);
	else
		dmasim_engine_kick(sc);
}

/* Queue an ended descriptor, cookie complete, for its callback. */
static void dmasim_cbq_add_locked(struct dmasim_chan *sc, struct dmasim_desc *d)
{
	u32 delay = sc->mode.complete_delay_us;
	ktime_t due = ktime_add_us(ktime_get(), delay);
	unsigned long flags;
	bool first;

	lockdep_assert_held(&sc->lock);
	/* Monotonic, so that the queue's first entry is the first due. */
	if (ktime_before(due, sc->last_due))
		due = sc->last_due;
	sc->last_due = due;
	d->due = due;

	raw_spin_lock_irqsave(&sc->cb_lock, flags);
	first = list_empty(&sc->cbq);
	list_add_tail(&d->node, &sc->cbq);
	/* The work delivers after its step: wake only someone else. */
	if (first && (sc->mode.callback != DMASIM_CB_WORK || delay))
		dmasim_cb_arm(sc, due);
	raw_spin_unlock_irqrestore(&sc->cb_lock, flags);
}

/**
 * dmasim_flush_held_locked() - report the descriptors the reorder mode held
 * @sc: the channel, lock held
 *
 * Completes their cookies (in cookie order: the cookie watermark only
 * moves forward), then queues them for their callbacks in a random order.
 */
void dmasim_flush_held_locked(struct dmasim_chan *sc)
{
	struct dmasim_desc *d;

	lockdep_assert_held(&sc->lock);
	list_for_each_entry(d, &sc->held, node)
		dma_cookie_complete(&d->tx);
	while (sc->nheld) {
		u32 k = prandom_u32_state(&sc->rnd) % sc->nheld;

		list_for_each_entry(d, &sc->held, node)
			if (!k--)
				break;
		list_del_init(&d->node);
		sc->nheld--;
		dmasim_cbq_add_locked(sc, d);
	}
}

/**
 * dmasim_held_idle_locked() - the engine stops with descriptors held
 * @sc: the channel, lock held, @nheld > 0
 *
 * Reports them if the first has been held long enough, else makes sure the
 * engine's hrtimer wakes the work by then.
 */
void dmasim_held_idle_locked(struct dmasim_chan *sc)
{
	ktime_t due = ktime_add_us(sc->held_since, DMASIM_REORDER_HOLD_US);

	lockdep_assert_held(&sc->lock);
	if (!ktime_before(ktime_get(), due) || sc->mode.reorder <= 1) {
		dmasim_flush_held_locked(sc);
		return;
	}
	if (!hrtimer_is_queued(&sc->timer) ||
	    ktime_before(due, hrtimer_get_expires(&sc->timer)))
		hrtimer_start(&sc->timer, due, HRTIMER_MODE_ABS);
}

/**
 * dmasim_desc_done_locked() - a descriptor ended
 * @sc: the channel, lock held
 * @d: the descriptor, off every list, @d->res set
 */
void dmasim_desc_done_locked(struct dmasim_chan *sc, struct dmasim_desc *d)
{
	lockdep_assert_held(&sc->lock);
	if (sc->mode.reorder > 1) {
		list_add_tail(&d->node, &sc->held);
		if (!sc->nheld++)
			sc->held_since = ktime_get();
		if (sc->nheld >= sc->mode.reorder)
			dmasim_flush_held_locked(sc);
		return;
	}
	dma_cookie_complete(&d->tx);
	dmasim_cbq_add_locked(sc, d);
}

/* Count a callback about to run, in the context it runs in; cb_lock held. */
static void dmasim_cb_count_locked(struct dmasim_chan *sc, struct dmasim_desc *d)
{
	struct dmasim_cb_stats *st = &sc->cbstats;

	if (in_hardirq())
		st->ctx[DMASIM_CB_HARDIRQ]++;
	else if (in_serving_softirq())
		st->ctx[DMASIM_CB_BH]++;
	else
		st->ctx[DMASIM_CB_WORK]++;
	if (d->cookie < st->last_cookie)
		st->out_of_order++;
	st->last_cookie = d->cookie;
}

/**
 * dmasim_cb_reset_cookie() - the channel's cookies start again
 * @sc: the channel (its client allocated it again)
 */
void dmasim_cb_reset_cookie(struct dmasim_chan *sc)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sc->cb_lock, flags);
	sc->cbstats.last_cookie = 0;
	raw_spin_unlock_irqrestore(&sc->cb_lock, flags);
}

/**
 * dmasim_cb_stats_get() - a snapshot of the callback counters
 * @sc: the channel
 * @st: filled
 */
void dmasim_cb_stats_get(struct dmasim_chan *sc, struct dmasim_cb_stats *st)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sc->cb_lock, flags);
	*st = sc->cbstats;
	raw_spin_unlock_irqrestore(&sc->cb_lock, flags);
}

/**
 * dmasim_deliver() - invoke the callbacks that are due
 * @sc: the channel
 *
 * From the channel's callback context only. Each callback runs with no
 * dmasim lock held; the descriptor is freed after it (a client that
 * prepares from its callback finds the pool one short, as with virt-dma).
 * A callback not yet due re-arms @cb_timer.
 */
void dmasim_deliver(struct dmasim_chan *sc)
{
	for (;;) {
		struct dmasim_desc *d;
		unsigned long flags;
		ktime_t due = 0;

		raw_spin_lock_irqsave(&sc->cb_lock, flags);
		d = list_first_entry_or_null(&sc->cbq, struct dmasim_desc, node);
		if (d && ktime_after(d->due, ktime_get())) {
			due = d->due;
			d = NULL;
			hrtimer_start(&sc->cb_timer, due, DMASIM_CB_TIMER_MODE);
		} else if (d) {
			list_del_init(&d->node);
			dmasim_cb_count_locked(sc, d);
		}
		raw_spin_unlock_irqrestore(&sc->cb_lock, flags);
		if (!d)
			return;
		dmaengine_desc_get_callback_invoke(&d->tx, &d->res);
		dmasim_desc_free(sc, d);
	}
}

static enum hrtimer_restart dmasim_cb_timer_fn(struct hrtimer *timer)
{
	struct dmasim_chan *sc = container_of(timer, struct dmasim_chan, cb_timer);

	switch (READ_ONCE(sc->mode.callback)) {
	case DMASIM_CB_HARDIRQ:
		dmasim_deliver(sc);
		break;
	case DMASIM_CB_BH:
		tasklet_schedule(&sc->tasklet);
		break;
	default:
		dmasim_engine_kick(sc);
		break;
	}
	return HRTIMER_NORESTART;
}

static void dmasim_tasklet_fn(struct tasklet_struct *t)
{
	struct dmasim_chan *sc = from_tasklet(sc, t, tasklet);

	dmasim_deliver(sc);
}

/**
 * dmasim_cb_splice_locked() - take every queued callback (terminate_all)
 * @sc: the channel, lock held
 * @head: the descriptors go to its tail; their callbacks will not run
 */
void dmasim_cb_splice_locked(struct dmasim_chan *sc, struct list_head *head)
{
	unsigned long flags;

	lockdep_assert_held(&sc->lock);
	list_splice_tail_init(&sc->held, head);
	sc->nheld = 0;
	raw_spin_lock_irqsave(&sc->cb_lock, flags);
	list_splice_tail_init(&sc->cbq, head);
	raw_spin_unlock_irqrestore(&sc->cb_lock, flags);
}

/**
 * dmasim_cb_sync() - wait for the callbacks under way (device_synchronize)
 * @sc: the channel
 *
 * Waits for every context that may be invoking a callback of @sc: the
 * hrtimer (hard-IRQ mode, and the wake-ups of the others), then the
 * tasklet it may have scheduled, then the work. Callbacks queued since
 * (descriptors submitted after terminate_all) get their wake-up back.
 * Process context.
 */
void dmasim_cb_sync(struct dmasim_chan *sc)
{
	struct dmasim_desc *d;
	unsigned long flags;

	hrtimer_cancel(&sc->cb_timer);
	tasklet_kill(&sc->tasklet);
	flush_work(&sc->work);

	raw_spin_lock_irqsave(&sc->cb_lock, flags);
	d = list_first_entry_or_null(&sc->cbq, struct dmasim_desc, node);
	if (d)
		dmasim_cb_arm(sc, d->due);
	raw_spin_unlock_irqrestore(&sc->cb_lock, flags);
}

/**
 * dmasim_cb_init() - set up a channel's completion delivery
 * @sc: the channel
 */
void dmasim_cb_init(struct dmasim_chan *sc)
{
	raw_spin_lock_init(&sc->cb_lock);
	INIT_LIST_HEAD(&sc->held);
	INIT_LIST_HEAD(&sc->cbq);
	atomic_set(&sc->ndesc, 0);
	hrtimer_setup(&sc->cb_timer, dmasim_cb_timer_fn, CLOCK_MONOTONIC,
		      DMASIM_CB_TIMER_MODE);
	tasklet_setup(&sc->tasklet, dmasim_tasklet_fn);
}
