// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - ending a channel's transfers before their time: a timeout, a
 * fatal signal to a stream, or unbind (dmaxfer_chan_abort(),
 * dmaxfer_chan_end(), dmaxfer_chan_kick()); and waiting for one to end.
 *
 * What the controller says of each cookie is read first, the callbacks of
 * cookies that read complete are waited for (bounded), then the channel is
 * terminated synchronously (with a grace period where the controller has
 * no device_synchronize) and only then are the transfers ended: no callback
 * of a transfer ended here runs afterwards. A transfer whose outcome could
 * not be confirmed never ends as a success.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dmaengine.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include "dmaxfer.h"

/*
 * Where a transfer stands before the channel is terminated: what the
 * controller's driver says of its cookie, turned into the errno and
 * residue it ends with. Called with xc->lock held.
 */
static void dmaxfer_abort_read(struct dmaxfer_chan *xc, struct dmaxfer_xfer *x)
{
	struct dma_tx_state state = { .residue = x->len };
	enum dma_status st;

	x->residue_unknown = false;
	if (!x->issued) {
		/* Never issued: nothing moved, whatever the driver says. */
		x->abort_error = x->expired ? -ETIMEDOUT : -ECANCELED;
		x->residue = x->len;
		return;
	}
	st = dmaengine_tx_status(xc->chan, x->cookie, &state);
	if (st == DMA_COMPLETE) {
		/*
		 * The cookie completed; its outcome (error, short) is only in
		 * the callback, awaited next: see dmaxfer_abort_unconfirmed().
		 */
		x->abort_error = 0;
		x->residue = 0;
		return;
	}
	x->abort_error = st == DMA_ERROR ? -EIO :
			 x->expired ? -ETIMEDOUT : -ECANCELED;
	if (xc->caps.residue_granularity == DMA_RESIDUE_GRANULARITY_DESCRIPTOR ||
	    !state.residue) {
		/*
		 * A DESCRIPTOR granularity driver leaves the residue of a
		 * cookie in flight as dma_cookie_status() set it (0), and so
		 * does any driver that cannot find the cookie: how much
		 * moved is unknown. Report none, and say so.
		 */
		x->residue_unknown = true;
		x->residue = x->len;
		return;
	}
	x->residue = min_t(u32, state.residue, x->len);
}

/* Is a transfer in flight whose cookie read complete still without callback? */
static bool dmaxfer_abort_callbacks_due(struct dmaxfer_chan *xc)
{
	struct dmaxfer_xfer *x;
	unsigned long flags;
	bool due = false;

	spin_lock_irqsave(&xc->lock, flags);
	list_for_each_entry(x, &xc->inflight, node) {
		if (x->issued && !x->abort_error) {
			due = true;
			break;
		}
	}
	spin_unlock_irqrestore(&xc->lock, flags);
	return due;
}

/*
 * A cookie that read complete, whose callback did not come within the
 * abort's wait: virt-dma providers complete the cookie before the callback
 * that carries an error or a residue, so success cannot be confirmed. End
 * it as failed with nothing known to have moved. Called with xc->lock held.
 */
static void dmaxfer_abort_unconfirmed(struct dmaxfer_xfer *x)
{
	if (!x->issued || x->abort_error)
		return;
	x->abort_error = -EIO;
	x->residue_unknown = true;
	x->residue = x->len;
}

/*
 * terminate_sync(), retried: a controller's driver may refuse while its
 * hardware is busy. Returns its last error.
 */
static int dmaxfer_chan_terminate(struct dmaxfer_chan *xc)
{
	int tries, ret;

	for (tries = 0;; tries++) {
		ret = dmaengine_terminate_sync(xc->chan);
		if (!ret || tries == DMAXFER_TERMINATE_TRIES - 1)
			return ret;
		dev_err_ratelimited(xc->xd->dev, "%s: terminate failed (%d), retrying\n",
				    xc->name, ret);
		usleep_range(1000, 2000);
	}
}

/**
 * dmaxfer_chan_abort() - end every transfer in flight on a channel
 * @xc: the channel
 *
 * Pauses the channel (where the controller can) so that the residues read
 * next are final, records each in-flight transfer's state, terminates the
 * channel synchronously and ends those transfers: -EIO if it reported an
 * error, -ETIMEDOUT for those marked @expired and -ECANCELED for the rest.
 * A transfer whose cookie the controller reported complete is given
 * %DMAXFER_ABORT_CB_WAIT_MS for its callback, which carries its outcome;
 * if the callback does not come, the transfer ends with -EIO and
 * @residue_unknown, nothing known to have moved. A transfer whose outcome
 * was not confirmed never ends with 0; where the controller's residue
 * granularity cannot say how much moved, the transfer is marked
 * @residue_unknown and reports nothing moved.
 *
 * After it returns no callback of this channel runs any more, and the
 * channel takes new transfers: transfers submitted after it returned are
 * never ended by it. If the controller refuses to terminate
 * %DMAXFER_TERMINATE_TRIES times, the channel is marked @broken (new
 * submissions fail with -EIO) and the transfers end with -EIO; see
 * Documentation/driver.rst for what that cannot guarantee. Must be called
 * with @xc->io_lock held.
 */
void dmaxfer_chan_abort(struct dmaxfer_chan *xc)
{
	struct dmaxfer_xfer *x, *tmp;
	unsigned long flags;
	bool changed;
	u32 before;
	int tries, ret;

	lockdep_assert_held(&xc->io_lock);
	spin_lock_irqsave(&xc->lock, flags);
	changed = !list_empty(&xc->inflight);
	spin_unlock_irqrestore(&xc->lock, flags);
	if (!changed)
		return;		/* nothing to end (a second abort, unbind) */
	if (xc->caps.cmd_pause)
		dmaengine_pause(xc->chan);

	/*
	 * States first: a terminated cookie reads as complete. A segment
	 * that ended just before the pause may not be accounted by the
	 * controller's driver until its interrupt has been handled, so read
	 * until two readings agree.
	 */
	for (tries = 0; tries < 10; tries++) {
		changed = !tries;
		spin_lock_irqsave(&xc->lock, flags);
		list_for_each_entry(x, &xc->inflight, node) {
			before = x->residue;
			dmaxfer_abort_read(xc, x);
			if (x->residue != before)
				changed = true;
		}
		spin_unlock_irqrestore(&xc->lock, flags);
		if (!changed)
			break;
		usleep_range(1000, 2000);
	}

	/*
	 * A cookie that reads complete may have failed: its result is only
	 * in its callback, which terminate would drop. Give the callbacks
	 * of completed cookies a bounded moment to come; those that do not
	 * end unconfirmed (-EIO), below.
	 */
	wait_event_timeout(xc->wq, !dmaxfer_abort_callbacks_due(xc),
			   msecs_to_jiffies(DMAXFER_ABORT_CB_WAIT_MS));

	ret = dmaxfer_chan_terminate(xc);
	if (ret && !xc->broken) {
		/*
		 * The controller may still be moving data, and terminate_sync()
		 * skipped device_synchronize(): nothing on this channel can be
		 * trusted any more. The transfers end (their owners must not
		 * wait forever), but their memory is given back to the CPU
		 * while the device may still reach it.
		 */
		WRITE_ONCE(xc->broken, true);
		dev_err(xc->xd->dev,
			"%s: channel %s could not be terminated (%d): marked broken, refusing transfers; memory of the transfers in flight may still be written by the device, rebind the controller\n",
			xc->name, dma_chan_name(xc->chan), ret);
	}
	/*
	 * Without device_synchronize (pl330) terminate_sync() cannot wait
	 * for a callback the controller's tasklet has already picked up;
	 * the tasklet runs in softirq context, so a grace period does.
	 */
	if (!xc->chan->device->device_synchronize)
		synchronize_rcu();

	spin_lock_irqsave(&xc->lock, flags);
	xc->unissued = false;	/* terminate dropped the submitted ones too */
	if (!list_empty(&xc->inflight))
		xc->stats.aborts++;
	list_for_each_entry_safe(x, tmp, &xc->inflight, node) {
		dmaxfer_abort_unconfirmed(x);
		if (ret)
			x->abort_error = -EIO;
		dmaxfer_finish_locked(x, x->abort_error, x->residue);
	}
	spin_unlock_irqrestore(&xc->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_chan_abort);

/**
 * dmaxfer_chan_wait_end() - wait for some transfer of a channel to end
 * @xc: the channel
 * @seen: the channel's @ended count when the caller found it busy
 * @timeout: in jiffies
 *
 * For a submission that found the controller's descriptors all in use.
 *
 * Return: jiffies left (the count moved, or the channel was kicked), 0 on
 * timeout, -ERESTARTSYS on a signal.
 */
long dmaxfer_chan_wait_end(struct dmaxfer_chan *xc, u64 seen, long timeout)
{
	return wait_event_interruptible_timeout(xc->wq,
						READ_ONCE(xc->ended) != seen ||
						READ_ONCE(xc->kicked), timeout);
}

/**
 * dmaxfer_chan_end() - end a channel's transfers for good (unbind)
 * @xc: the channel
 *
 * Aborts what is in flight and marks the channel gone: nothing is
 * submitted or aborted on it afterwards.
 */
void dmaxfer_chan_end(struct dmaxfer_chan *xc)
{
	mutex_lock(&xc->io_lock);
	if (!xc->gone)
		dmaxfer_chan_abort(xc);
	xc->gone = true;
	mutex_unlock(&xc->io_lock);
}

/**
 * dmaxfer_chan_kick() - make the streams of a channel give up (unbind)
 * @xc: the channel
 *
 * A read() or write() waiting on a transfer of @xc aborts it and returns
 * as soon as it sees the kick, instead of holding up the unbind until its
 * transfers end. Nothing is submitted on @xc after it.
 */
void dmaxfer_chan_kick(struct dmaxfer_chan *xc)
{
	WRITE_ONCE(xc->kicked, true);
	wake_up_all(&xc->wq);
}
