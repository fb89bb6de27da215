// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - how a descriptor's completion reaches dmaxfer.
 *
 * dmaxfer_callback() ends the transfer with the controller's result. The
 * default way in is callback_result, which carries the controller's result and
 * residue. Controller drivers that keep descriptors in a ring and reuse
 * them must clear both callback fields when they hand one out again: a
 * driver that clears only the plain callback leaves the last user's
 * callback_result and callback_param on the descriptor, and when it
 * serves as an inner link of a later chain (the client sets the callback
 * of the descriptor prep returns, the chain's last one, only) it calls
 * that stale function with a pointer to a transfer that ended long ago,
 * perhaps freed.
 *
 * pl330's pluck_desc() clears only the plain callback in Debian's 6.1.192
 * and both in its 6.12.117 (the two kernels checked). pl330 never passes
 * a result (the dmaengine core then substitutes "no error, residue 0"), so
 * on pl330 dmaxfer uses the plain callback on every kernel, which pl330
 * does clear, and loses nothing.
 *
 * What this cannot mend: pl330's descriptor pool is per controller, so on
 * such a kernel another client of the same PL330 that uses callback_result
 * (or an older dmaxfer loaded earlier in the same boot) can still leave a
 * stale callback_result on an inner link of one of dmaxfer's chains, and
 * pl330 then calls it. Reboot after upgrading the module there, and carry
 * the pl330 fix (pluck_desc() clearing callback_result) in the kernel.
 *
 * Not listed: shdma-base (SuperH) delivers only the plain callback, never
 * callback_result; the table would have to name it for dmaxfer to work
 * there at all.
 */
#include <linux/device.h>
#include <linux/dmaengine.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "dmaxfer.h"

static int dmaxfer_result_errno(const struct dmaengine_result *res)
{
	switch (res->result) {
	case DMA_TRANS_NOERROR:
		/* A short transfer is not a success, whatever the flag says. */
		return res->residue ? -EIO : 0;
	case DMA_TRANS_ABORTED:
		return -ECANCELED;
	default:
		return -EIO;
	}
}

/**
 * dmaxfer_callback() - a transfer's completion, from its controller
 * @param: the transfer (struct dmaxfer_xfer)
 * @res: the controller's result and residue
 *
 * Runs in the controller's tasklet or IRQ context. dmaxfer_desc_set_callback()
 * installs it, or a wrapper for controllers that pass no result.
 */
void dmaxfer_callback(void *param, const struct dmaengine_result *res)
{
	struct dmaxfer_xfer *x = param;
	/*
	 * @x is alive here: an abort ends what is in flight only after
	 * terminate_sync() and, where the controller has no
	 * device_synchronize, an RCU grace period, so no callback of a
	 * transfer it ended runs after its owner may free it.
	 */
	struct dmaxfer_chan *xc = x->xc;
	int error = dmaxfer_result_errno(res);
	u32 residue = res->residue;
	unsigned long flags;

	spin_lock_irqsave(&xc->lock, flags);
	/*
	 * Ended already (an abort got there first, or a late callback of a
	 * channel that could not be terminated): its record is final and
	 * may be being read by its owner. Write nothing.
	 */
	if (x->finished) {
		spin_unlock_irqrestore(&xc->lock, flags);
		return;
	}
	/*
	 * A failed transfer whose residue cannot be trusted: a DESCRIPTOR
	 * granularity controller's, or 0 (virt-dma's default, "all moved").
	 * Report nothing moved, and say so.
	 */
	if (error && (!residue || xc->caps.residue_granularity ==
				  DMA_RESIDUE_GRANULARITY_DESCRIPTOR)) {
		x->residue_unknown = true;
		residue = x->len;
	}
	dmaxfer_finish_locked(x, error, residue);
	spin_unlock_irqrestore(&xc->lock, flags);
}

/* Controller drivers (by driver name) that get the plain callback. */
static const char *const dmaxfer_plain_callback_drivers[] = {
	"dma-pl330",
};

/**
 * dmaxfer_chan_quirks() - set the quirks of a channel's controller driver
 * @xc: a channel whose @chan is set
 *
 * Sets @xc->plain_callback for the controller drivers listed above, and
 * says so once, at bind.
 */
void dmaxfer_chan_quirks(struct dmaxfer_chan *xc)
{
	/* The controller's driver is bound while we hold its channel. */
	const char *drv = dev_driver_string(xc->chan->device->dev);
	int i;

	xc->plain_callback = false;
	for (i = 0; i < ARRAY_SIZE(dmaxfer_plain_callback_drivers); i++)
		if (!strcmp(drv, dmaxfer_plain_callback_drivers[i]))
			xc->plain_callback = true;
	if (xc->plain_callback)
		dev_info(xc->xd->dev,
			 "%s: %s: plain completion callback (its driver reuses descriptors without clearing callback_result)\n",
			 xc->name, drv);
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_chan_quirks);

/*
 * What the dmaengine core passes to callback_result when the controller
 * gives no result, as pl330 never does.
 */
static void dmaxfer_plain_callback(void *param)
{
	static const struct dmaengine_result no_result = {
		.result = DMA_TRANS_NOERROR,
		.residue = 0,
	};

	dmaxfer_callback(param, &no_result);
}

/**
 * dmaxfer_desc_set_callback() - make @desc end @x when it completes
 * @xc: the channel of @x
 * @desc: the descriptor prep returned for @x, not yet submitted
 * @x: the transfer
 *
 * Sets exactly one of the two callback fields and clears the other: on a
 * reused descriptor the other may still hold an earlier user's function.
 */
void dmaxfer_desc_set_callback(struct dmaxfer_chan *xc,
			       struct dma_async_tx_descriptor *desc,
			       struct dmaxfer_xfer *x)
{
	if (xc->plain_callback) {
		desc->callback_result = NULL;
		desc->callback = dmaxfer_plain_callback;
	} else {
		desc->callback = NULL;
		desc->callback_result = dmaxfer_callback;
	}
	desc->callback_param = x;
}
