// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - asynchronous transfers of an open file: DMAXFER_IOC_SUBMIT,
 * DMAXFER_IOC_WAIT and poll().
 *
 * A submitted transfer sits on the file's pending list; the completion
 * callback moves it to the done list and wakes the file's waiters. Only
 * reaping (WAIT) gives the memory back to the CPU (sync, unmap, unpin),
 * in process context. A transfer past its deadline (submission time +
 * timeout) is terminated by WAIT, by the file's watchdog or after close,
 * whichever comes first, so a hung controller never hangs a process and
 * poll() users hear about it too. One expiry causes one abort: the check
 * is repeated under the channel's io_lock, which every abort holds, so a
 * second check finds the first one's work done and a transfer submitted
 * after an abort is never ended by it.
 *
 * Lifetime: a transfer in flight keeps its file alive, because release()
 * hands a file with transfers in flight to a worker (close never waits for
 * the DMA) that frees it only after the last of them has been ended and
 * reaped. The completion callback does all it does to the file under the
 * file's lock, the wake-up included, and the worker takes that lock before
 * it frees the file.
 */
#include <linux/align.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/freezer.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <uapi/linux/dmaxfer.h>

#include "dmaxfer.h"
#include "async.h"

/*
 * From the completion callback, under the channel's lock: any context.
 * Records are published in submission order per channel, whatever order
 * the controller's driver completes descriptors in (pl330 has been seen
 * to complete a long scatter-gather transfer after shorter ones queued
 * behind it): a transfer that ended waits on the pending list until every
 * earlier one of its channel has ended too.
 */
void dmaxfer_async_done(struct dmaxfer_xfer *x)
{
	struct dmaxfer_async *a = container_of(x, struct dmaxfer_async, x), *b, *tmp;
	struct dmaxfer_file *f = a->f;
	bool moved = false;

	spin_lock(&f->lock);
	list_for_each_entry_safe(b, tmp, &f->pending, fnode) {
		if (b->d != a->d)
			continue;
		if (!b->x.finished)
			break;
		list_move_tail(&b->fnode, &f->done);
		f->done_seq++;
		moved = true;
	}
	/*
	 * Under the lock: the moment it is dropped, a closing file's worker
	 * may see nothing pending and free @f.
	 */
	if (moved)
		wake_up_all(&f->wq);
	/* A closed file's worker frees it once nothing is in flight. */
	if (moved && f->closed && list_empty(&f->pending))
		mod_delayed_work(dmaxfer_wq, &f->release_work, 0);
	spin_unlock(&f->lock);
}

/* A file closed with transfers in flight: end them, then free it. */
static void dmaxfer_release_work(struct work_struct *work)
{
	struct dmaxfer_file *f = container_of(to_delayed_work(work),
					      struct dmaxfer_file, release_work);

	if (!dmaxfer_async_release(f))
		return;
	/*
	 * The last end may have queued this work again before the file
	 * went idle; nothing can queue it after that.
	 */
	cancel_delayed_work(&f->release_work);
	dmaxfer_file_free(f);
}

/**
 * dmaxfer_async_init() - set up the asynchronous state of a new file
 * @f: the file
 */
void dmaxfer_async_init(struct dmaxfer_file *f)
{
	INIT_LIST_HEAD(&f->pending);
	INIT_LIST_HEAD(&f->done);
	init_waitqueue_head(&f->wq);
	INIT_DELAYED_WORK(&f->watchdog, dmaxfer_async_watchdog);
	INIT_DELAYED_WORK(&f->release_work, dmaxfer_release_work);
}

/**
 * dmaxfer_depth() - transfers one file may have queued per channel
 *
 * Return: the queue_depth module parameter, clamped to 1..64.
 */
unsigned int dmaxfer_depth(void)
{
	return clamp(READ_ONCE(dmaxfer_queue_depth), 1U, 64U);
}

/**
 * dmaxfer_async_submit() - DMAXFER_IOC_SUBMIT
 * @f: the file
 * @req: the request, reserved fields already checked; @req->id is set
 *
 * Return: 0, or the errno documented in <uapi/linux/dmaxfer.h>.
 */
int dmaxfer_async_submit(struct dmaxfer_file *f, struct dmaxfer_xfer_req *req)
{
	struct dmaxfer_chan *xc;
	struct dmaxfer_async *a;
	unsigned long flags, tmo, giveup;
	unsigned int d;
	u64 id, seen;
	long left;
	int ret;

	if (req->chan >= DMAXFER_NR_DIRS || req->flags & ~DMAXFER_XFER_USER_PTR)
		return -EINVAL;
	d = array_index_nospec(req->chan, DMAXFER_NR_DIRS);
	xc = f->xd->chans[d];
	ret = dmaxfer_async_check(f, xc, req);
	if (ret)
		return ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->f = f;
	a->d = d;
	a->user_data = req->user_data;
	INIT_LIST_HEAD(&a->fnode);

	/*
	 * Take a queue slot first: a full queue costs no pinning. The slot
	 * is held until the record is reaped, which bounds the records too.
	 */
	spin_lock_irqsave(&f->lock, flags);
	if (f->nqueued[d] >= dmaxfer_depth()) {
		spin_unlock_irqrestore(&f->lock, flags);
		kfree(a);
		return -EBUSY;
	}
	f->nqueued[d]++;
	spin_unlock_irqrestore(&f->lock, flags);

	ret = req->flags & DMAXFER_XFER_USER_PTR ?
		dmaxfer_async_pin(a, xc, req->user_ptr, req->length) :
		dmaxfer_async_pool(a, xc, req);
	if (ret)
		goto unslot;	/* the helpers released what they took */
	a->x.on_done = dmaxfer_async_done;

	tmo = msecs_to_jiffies(READ_ONCE(f->xd->timeout_ms));
	/* The EBUSY wait below gives up here; the DMA's deadline is set later. */
	giveup = jiffies + tmo;
	spin_lock_irqsave(&f->lock, flags);
	/* Ids start at 1: 0 is never a transfer. */
	id = ++f->next_id;
	a->id = id;
	spin_unlock_irqrestore(&f->lock, flags);
retry:
	/* Nothing started yet: a signal (or the freezer) restarts the call. */
	if (mutex_lock_interruptible(&xc->io_lock)) {
		ret = -ERESTARTSYS;
		goto free;
	}
	if (xc->gone || READ_ONCE(xc->kicked)) {
		ret = -ENODEV;
		goto unlock;
	}
	/*
	 * On the list before submission: the callback may come at once. The
	 * deadline counts from here, not from before a wait for io_lock
	 * behind a stream: a transfer is never submitted already expired.
	 */
	spin_lock_irqsave(&f->lock, flags);
	a->deadline = jiffies + tmo;
	list_add_tail(&a->fnode, &f->pending);
	spin_unlock_irqrestore(&f->lock, flags);

	seen = READ_ONCE(xc->ended);
	ret = dmaxfer_xfer_submit(&a->x);
	if (ret) {
		spin_lock_irqsave(&f->lock, flags);
		list_del_init(&a->fnode);
		/* A WAIT may have seen it pending: let it look again. */
		f->done_seq++;
		wake_up_all(&f->wq);
		spin_unlock_irqrestore(&f->lock, flags);
		if (ret != -EBUSY)
			goto unlock;
		/*
		 * The controller's descriptors are all in use: wait, without
		 * io_lock so that expiry can end what holds them, until one
		 * frees up, within this transfer's own deadline.
		 */
		mutex_unlock(&xc->io_lock);
		left = (long)(giveup - jiffies);
		if (left > 0)
			left = dmaxfer_chan_wait_end(xc, seen, left);
		if (left > 0)
			goto retry;
		ret = left < 0 ? -ERESTARTSYS : -EBUSY;
		goto free;
	}
	dmaxfer_chan_issue(xc);
	mutex_unlock(&xc->io_lock);
	/* @a may be reaped and freed by now: only the local id is used. */
	req->id = id;
	/*
	 * The watchdog ends what nobody waits for. Freezable: no expiry
	 * may reach a controller during system sleep.
	 */
	spin_lock_irqsave(&f->lock, flags);
	dmaxfer_async_arm(f, jiffies + tmo);
	spin_unlock_irqrestore(&f->lock, flags);
	return 0;

unlock:
	mutex_unlock(&xc->io_lock);
free:
	dmaxfer_async_free(a);
	a = NULL;
unslot:
	spin_lock_irqsave(&f->lock, flags);
	f->nqueued[d]--;
	spin_unlock_irqrestore(&f->lock, flags);
	kfree(a);
	return ret;
}

/* Fill a completion record from an ended transfer. */
static void dmaxfer_async_fill(struct dmaxfer_async *a, struct dmaxfer_completion *c)
{
	c->id = a->id;
	c->status = a->x.error;
	c->chan = a->d;
	c->result_flags = a->x.residue_unknown ? DMAXFER_RESULT_RESIDUE_UNKNOWN : 0;
	c->bytes = a->x.len - a->x.residue;
	c->residue = a->x.residue;
	c->user_data = a->user_data;
}

/* Free a reaped transfer and its queue slot. */
static void dmaxfer_async_drop(struct dmaxfer_async *a)
{
	struct dmaxfer_file *f = a->f;
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	f->nqueued[a->d]--;
	spin_unlock_irqrestore(&f->lock, flags);
	dmaxfer_async_free(a);
}

/*
 * Find the record to reap: the oldest (ANY) or the one with @id. Returns
 * it, unlinked, or NULL with *err set: 0 (wait on), -ENOENT or -ENODATA.
 */
static struct dmaxfer_async *dmaxfer_async_find(struct dmaxfer_file *f,
						bool any, u64 id, int *err)
{
	struct dmaxfer_async *a, *found = NULL;
	unsigned long flags;

	*err = 0;
	spin_lock_irqsave(&f->lock, flags);
	list_for_each_entry(a, &f->done, fnode) {
		if (any || a->id == id) {
			found = a;
			list_del_init(&a->fnode);
			/*
			 * Back to the CPU under the lock that unbind takes to
			 * unmap what is left: no DMA API call may come after
			 * the controller's unbind.
			 */
			dmaxfer_xfer_unmap(&a->x);
			break;
		}
	}
	if (!found) {
		if (any) {
			if (list_empty(&f->pending))
				*err = -ENODATA;
		} else {
			*err = -ENOENT;
			list_for_each_entry(a, &f->pending, fnode) {
				if (a->id == id) {
					*err = 0;
					break;
				}
			}
		}
	}
	spin_unlock_irqrestore(&f->lock, flags);
	return found;
}

/**
 * dmaxfer_async_wait() - DMAXFER_IOC_WAIT
 * @f: the file
 * @c: in: id and flags (reserved fields checked); out: the record
 * @held: out: the reaped transfer, for dmaxfer_async_wait_end()
 *
 * Works after the device has unbound too: every transfer still yields its
 * record (the unbind ended those in flight with -ECANCELED). The record is
 * freed only once it has reached user space: dmaxfer_async_wait_end().
 *
 * Return: 0 with a record, or the errno documented in
 * <uapi/linux/dmaxfer.h>.
 */
int dmaxfer_async_wait(struct dmaxfer_file *f, struct dmaxfer_completion *c,
		       struct dmaxfer_async **held)
{
	bool any = c->flags & DMAXFER_WAIT_ANY, nonblock;
	struct dmaxfer_async *a;
	unsigned long flags;
	u64 seq;
	long tmo;
	int err;

	/* The out fields may hold a previous record: only flags are checked. */
	if (c->flags & ~(DMAXFER_WAIT_ANY | DMAXFER_WAIT_NONBLOCK))
		return -EINVAL;

	for (;;) {
		/* Sample before looking: an end after the look changes it. */
		spin_lock_irqsave(&f->lock, flags);
		seq = f->done_seq;
		spin_unlock_irqrestore(&f->lock, flags);
		a = dmaxfer_async_find(f, any, c->id, &err);
		if (a) {
			dmaxfer_async_fill(a, c);
			*held = a;
			return 0;
		}
		if (err)
			return err;
		nonblock = c->flags & DMAXFER_WAIT_NONBLOCK;
		tmo = dmaxfer_async_expire(f, nonblock ? DMAXFER_EXPIRE_TRY :
					   DMAXFER_EXPIRE_INTR);
		if (tmo < 0)
			return tmo;
		if (!tmo)
			continue;
		if (nonblock) {
			a = dmaxfer_async_find(f, any, c->id, &err);
			if (a) {
				dmaxfer_async_fill(a, c);
				*held = a;
				return 0;
			}
			return err ? err : -EAGAIN;
		}
		/*
		 * Sleep until another transfer ends or the next deadline.
		 * Nothing was reaped yet, so a signal restarts the call (or
		 * ends it with EINTR, as the handler's SA_RESTART says), and
		 * the freezer's fake signal restarts it after system sleep.
		 */
		if (wait_event_freezable_timeout(f->wq,
						 READ_ONCE(f->done_seq) != seq,
						 tmo) < 0)
			return -ERESTARTSYS;
	}
}

/**
 * dmaxfer_async_wait_end() - free a record handed out, or take it back
 * @f: the file
 * @a: the transfer dmaxfer_async_wait() returned
 * @delivered: the record reached user space
 *
 * A record that could not be copied out (the memory went away after the
 * ioctl's first check) goes back to the head of the done list, the oldest
 * again: a transfer never yields no record.
 */
void dmaxfer_async_wait_end(struct dmaxfer_file *f, struct dmaxfer_async *a,
			    bool delivered)
{
	if (delivered)
		dmaxfer_async_drop(a);
	else
		dmaxfer_async_put_back(f, &a, 1);
}

/**
 * dmaxfer_async_put_back() - records handed out go back, oldest first
 * @f: the file
 * @a: the transfers dmaxfer_async_wait() returned, oldest first
 * @n: how many
 *
 * All of them at once, under one hold of the lock, at the head of the done
 * list in their order: a concurrent WAIT can take none of them out of turn.
 */
void dmaxfer_async_put_back(struct dmaxfer_file *f, struct dmaxfer_async **a,
			    unsigned int n)
{
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	while (n--)
		list_add(&a[n]->fnode, &f->done);
	f->done_seq++;
	wake_up_all(&f->wq);
	spin_unlock_irqrestore(&f->lock, flags);
}

/**
 * dmaxfer_async_poll() - poll(): readable when a record is ready
 * @f: the file
 * @file: its struct file
 * @wait: the poll table
 *
 * Return: EPOLLIN | EPOLLRDNORM when DMAXFER_IOC_WAIT would not sleep;
 * EPOLLHUP | EPOLLERR as well once the device has gone away.
 */
__poll_t dmaxfer_async_poll(struct dmaxfer_file *f, struct file *file,
			    struct poll_table_struct *wait)
{
	unsigned long flags;
	__poll_t mask = 0;

	poll_wait(file, &f->wq, wait);
	spin_lock_irqsave(&f->lock, flags);
	if (!list_empty(&f->done))
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock_irqrestore(&f->lock, flags);
	if (READ_ONCE(f->xd->dead))
		mask |= EPOLLHUP | EPOLLERR;
	return mask;
}

/**
 * dmaxfer_async_unmap_all() - give every ended transfer back to the CPU
 * @f: a file of a device that is unbinding, whose channels were ended
 *
 * Records not yet reaped keep their memory mapped until they are; after
 * unbind no DMA API call may reach the controller, so they are synced and
 * unmapped now, under the lock under which reaping does the same.
 */
void dmaxfer_async_unmap_all(struct dmaxfer_file *f)
{
	struct dmaxfer_async *a;
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	list_for_each_entry(a, &f->done, fnode)
		dmaxfer_xfer_unmap(&a->x);
	list_for_each_entry(a, &f->pending, fnode)
		if (a->x.finished)
			dmaxfer_xfer_unmap(&a->x);
	spin_unlock_irqrestore(&f->lock, flags);
}

/**
 * dmaxfer_async_idle() - has a closing file nothing in flight?
 * @f: the file
 *
 * Return: true when no transfer of @f is in flight: it can be freed now.
 */
bool dmaxfer_async_idle(struct dmaxfer_file *f)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&f->lock, flags);
	idle = list_empty(&f->pending);
	spin_unlock_irqrestore(&f->lock, flags);
	return idle;
}

/**
 * dmaxfer_async_release() - end and free every transfer of a closed file
 * @f: the file; no file operation can reach it any more
 *
 * Runs in the release worker (or in release() when nothing is in flight):
 * transfers still in flight are let run until they end or reach their
 * deadline, since the memory they use must outlive the DMA. The worker
 * never sleeps for them, so a pending close never holds up system sleep:
 * it comes back at the next deadline, or at once when the last transfer
 * ends (dmaxfer_async_done()).
 *
 * Return: true once every record is freed unread and @f may be freed;
 * false when the worker has been queued again.
 */
bool dmaxfer_async_release(struct dmaxfer_file *f)
{
	struct dmaxfer_async *a;
	unsigned long flags;
	long tmo;
	int err;

	while (!dmaxfer_async_idle(f)) {
		tmo = dmaxfer_async_expire(f, DMAXFER_EXPIRE_TRY);
		if (!tmo)
			continue;
		spin_lock_irqsave(&f->lock, flags);
		/* Not idle under the lock: the last end will queue us again. */
		if (!list_empty(&f->pending)) {
			if (tmo != MAX_SCHEDULE_TIMEOUT)
				mod_delayed_work(dmaxfer_wq, &f->release_work, tmo);
			spin_unlock_irqrestore(&f->lock, flags);
			return false;
		}
		spin_unlock_irqrestore(&f->lock, flags);
	}
	cancel_delayed_work_sync(&f->watchdog);
	while ((a = dmaxfer_async_find(f, true, 0, &err)))
		dmaxfer_async_drop(a);
	return true;
}
