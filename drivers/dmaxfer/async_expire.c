// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - deadlines of asynchronous transfers: the per-file watchdog and
 * the expiry that WAIT, the watchdog and a closed file's worker share.
 *
 * A transfer past its deadline (submission + timeout_ms) gets its channel
 * terminated (dmaxfer_chan_abort()). One expiry causes one abort: the
 * check is repeated under the channel's io_lock, which every abort holds,
 * so a second check finds the first one's work done and a transfer
 * submitted after an abort is never ended by it. Workers never sleep on
 * io_lock (a stream may hold it for a whole timeout): they look again a
 * little later, so they never hold up the freezer at system sleep.
 */
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "dmaxfer.h"
#include "async.h"

/**
 * dmaxfer_async_arm() - have the watchdog look at a deadline
 * @f: an open file, its lock held
 * @deadline: jiffies
 *
 * Arms the watchdog for @deadline unless it already fires earlier:
 * queue_delayed_work() alone would keep a later timer.
 */
void dmaxfer_async_arm(struct dmaxfer_file *f, unsigned long deadline)
{
	unsigned long now = jiffies;

	if (f->closed)
		return;	/* the release worker watches the deadlines now */
	if (delayed_work_pending(&f->watchdog) &&
	    !time_before(deadline, f->watchdog_at))
		return;
	f->watchdog_at = deadline;
	mod_delayed_work(system_freezable_wq, &f->watchdog,
			 time_after(deadline, now) ? deadline - now + 1 : 0);
}

/*
 * Mark every asynchronous transfer in flight on @xc, of any file, that is
 * past its deadline, so that the abort ends each with -ETIMEDOUT rather
 * than -ECANCELED; returns how many are @f's. Called with the channel's
 * io_lock held, so that no abort runs meanwhile: a transfer an earlier
 * abort ended is no longer in flight and no longer counts.
 */
static unsigned int dmaxfer_async_mark_expired(struct dmaxfer_file *f,
					       struct dmaxfer_chan *xc)
{
	unsigned long now = jiffies, flags;
	struct dmaxfer_xfer *x;
	unsigned int n = 0;

	spin_lock_irqsave(&xc->lock, flags);
	list_for_each_entry(x, &xc->inflight, node) {
		struct dmaxfer_async *a;

		/* Streams have no deadline of their own here. */
		if (x->on_done != dmaxfer_async_done)
			continue;
		/* In flight, so alive: reaping comes after the end. */
		a = container_of(x, struct dmaxfer_async, x);
		if (!time_after_eq(now, READ_ONCE(a->deadline)))
			continue;
		x->expired = true;
		if (a->f == f)
			n++;
	}
	spin_unlock_irqrestore(&xc->lock, flags);
	return n;
}

/**
 * dmaxfer_async_expire() - terminate the channels of overdue transfers
 * @f: the file whose deadlines are looked at
 * @how: how to wait for a channel's io_lock
 *
 * Terminates every channel on which a transfer of @f is past its
 * deadline; those transfers end with -ETIMEDOUT, others in flight on the
 * channel with -ECANCELED (-ETIMEDOUT if past their own deadline). With
 * DMAXFER_EXPIRE_TRY a channel whose io_lock is taken (a stream, another
 * abort) is left for later: the watchdog and a closed file's worker never
 * sleep on it, so they never hold up system sleep, and a NONBLOCK WAIT
 * does not block.
 *
 * Return: the jiffies until the next deadline (MAX_SCHEDULE_TIMEOUT if
 * nothing is pending; at most DMAXFER_EXPIRE_RETRY when a channel was left
 * for later), 0 to be called again, or -ERESTARTSYS when a signal came
 * while waiting for a channel (DMAXFER_EXPIRE_INTR).
 */
long dmaxfer_async_expire(struct dmaxfer_file *f, enum dmaxfer_expire_lock how)
{
	long next = MAX_SCHEDULE_TIMEOUT;
	struct dmaxfer_async *a;
	unsigned long flags;
	int d;

	for (d = 0; d < DMAXFER_NR_DIRS; d++) {
		struct dmaxfer_chan *xc = f->xd->chans[d];
		unsigned long now = jiffies;
		bool expired = false;
		unsigned int n = 0;

		if (!xc)
			continue;
		/*
		 * A cheap look first, without the channel's io_lock. Every
		 * transfer is looked at: the list is in submission order, and
		 * deadlines need not be (timeout_ms may change in between).
		 */
		spin_lock_irqsave(&f->lock, flags);
		list_for_each_entry(a, &f->pending, fnode) {
			if (a->d != d || READ_ONCE(a->x.finished))
				continue;
			if (time_after_eq(now, a->deadline))
				expired = true;
			else
				next = min_t(long, next, a->deadline - now);
		}
		spin_unlock_irqrestore(&f->lock, flags);
		if (!expired)
			continue;

		if (how == DMAXFER_EXPIRE_TRY) {
			if (!mutex_trylock(&xc->io_lock)) {
				next = min_t(long, next, DMAXFER_EXPIRE_RETRY);
				continue;
			}
		} else if (mutex_lock_interruptible(&xc->io_lock)) {
			/*
			 * WAIT may be behind another file's stream here: a
			 * signal (or the freezer) gets it out, and the call
			 * restarts.
			 */
			return -ERESTARTSYS;
		}
		if (!xc->gone) {
			n = dmaxfer_async_mark_expired(f, xc);
			if (n)
				dmaxfer_chan_abort(xc);
		}
		mutex_unlock(&xc->io_lock);
		if (n)
			dev_warn_ratelimited(f->xd->dev,
					     "%s: %u asynchronous transfer(s) timed out\n",
					     xc->name, n);
		next = 0;	/* look again: later transfers may be pending */
	}
	return next;
}

/**
 * dmaxfer_async_watchdog() - end what nobody waits for
 * @work: the file's watchdog
 */
void dmaxfer_async_watchdog(struct work_struct *work)
{
	struct dmaxfer_file *f = container_of(to_delayed_work(work),
					      struct dmaxfer_file, watchdog);
	unsigned long flags;
	long next;

	while (!(next = dmaxfer_async_expire(f, DMAXFER_EXPIRE_TRY)))
		;
	if (next > 0 && next != MAX_SCHEDULE_TIMEOUT) {
		spin_lock_irqsave(&f->lock, flags);
		dmaxfer_async_arm(f, jiffies + next);
		spin_unlock_irqrestore(&f->lock, flags);
	}
}
