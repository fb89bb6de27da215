/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmasim - the dmaengine provider helpers it uses, copied from the
 * kernel's private drivers/dma/dmaengine.h (identical from Linux 6.1 to
 * 6.12), because kernel header packages ship include/ only and dmasim
 * must build against them. Only what dmasim calls, with the original's
 * kernel-doc; dmaengine_desc_get_callback_invoke() folds in the two
 * helpers it calls there. Keep them in step with drivers/dma/dmaengine.h.
 */
#ifndef _DMASIM_COOKIE_H
#define _DMASIM_COOKIE_H

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/dmaengine.h>

/**
 * dma_cookie_init - initialize the cookies for a DMA channel
 * @chan: dma channel to initialize
 */
static inline void dma_cookie_init(struct dma_chan *chan)
{
	chan->cookie = DMA_MIN_COOKIE;
	chan->completed_cookie = DMA_MIN_COOKIE;
}

/**
 * dma_cookie_assign - assign a DMA engine cookie to the descriptor
 * @tx: descriptor needing cookie
 *
 * Assign a unique non-zero per-channel cookie to the descriptor.
 * Note: caller is expected to hold a lock to prevent concurrency.
 *
 * Return: the cookie.
 */
static inline dma_cookie_t dma_cookie_assign(struct dma_async_tx_descriptor *tx)
{
	struct dma_chan *chan = tx->chan;
	dma_cookie_t cookie;

	cookie = chan->cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	chan->cookie = cookie;
	tx->cookie = cookie;

	return cookie;
}

/**
 * dma_cookie_complete - complete a descriptor
 * @tx: descriptor to complete
 *
 * Mark this descriptor complete by updating the channels completed
 * cookie marker.  Zero the descriptors cookie to prevent accidental
 * repeated completions.
 *
 * Note: caller is expected to hold a lock to prevent concurrency.
 */
static inline void dma_cookie_complete(struct dma_async_tx_descriptor *tx)
{
	/*
	 * The original BUG()s. A warning is enough to fail every run of the
	 * harness (scripts/judge.sh), and the test kernel survives to say
	 * what else went wrong.
	 */
	if (WARN_ON_ONCE(tx->cookie < DMA_MIN_COOKIE))
		return;
	tx->chan->completed_cookie = tx->cookie;
	tx->cookie = 0;
}

/**
 * dma_cookie_status - report cookie status
 * @chan: dma channel
 * @cookie: cookie we are interested in
 * @state: dma_tx_state structure to return last/used cookies
 *
 * Report the status of the cookie, filling in the state structure if
 * non-NULL.  No locking is required.
 *
 * Return: DMA_COMPLETE or DMA_IN_PROGRESS.
 */
static inline enum dma_status dma_cookie_status(struct dma_chan *chan,
						dma_cookie_t cookie,
						struct dma_tx_state *state)
{
	dma_cookie_t used, complete;

	used = chan->cookie;
	complete = chan->completed_cookie;
	barrier();
	if (state) {
		state->last = complete;
		state->used = used;
		state->residue = 0;
		state->in_flight_bytes = 0;
	}
	return dma_async_is_complete(cookie, complete, used);
}

/**
 * dma_set_residue - set the residue of a status report
 * @state: the report, or NULL
 * @residue: bytes left
 */
static inline void dma_set_residue(struct dma_tx_state *state, u32 residue)
{
	if (state)
		state->residue = residue;
}

/**
 * dmaengine_desc_get_callback_invoke - call a descriptor's callback
 * @tx: dma async tx descriptor
 * @result: transaction result, or NULL for success with no residue
 *
 * The callback with a result if the client set one, else the plain one,
 * if any. Locking is dependent on the driver.
 */
static inline void
dmaengine_desc_get_callback_invoke(struct dma_async_tx_descriptor *tx,
				   const struct dmaengine_result *result)
{
	static const struct dmaengine_result dummy_result = {
		.result = DMA_TRANS_NOERROR,
		.residue = 0,
	};
	dma_async_tx_callback_result callback_result = tx->callback_result;
	dma_async_tx_callback callback = tx->callback;
	void *param = tx->callback_param;

	if (callback_result)
		callback_result(param, result ? result : &dummy_result);
	else if (callback)
		callback(param);
}

#endif /* _DMASIM_COOKIE_H */
