// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what an abort reports, against dmasim.
 *
 * Needs dmasim loaded with two free channels, as the engine suite.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/dmaengine.h>
#include <linux/jiffies.h>

#include "dmasim_api.h"
#include "dmaxfer.h"
#include "engine_kunit.h"

static int abort_init(struct kunit *test)
{
	return eng_setup(test, "dmaxfer_abort");
}

/*
 * virt-dma providers (and dmasim) complete a cookie before the callback
 * that carries its outcome. A failed transfer whose cookie reads complete
 * and whose callback comes later than the abort waits for it must not end
 * as a success: its outcome was never confirmed.
 */
static void abort_late_callback_is_not_success(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct dmaxfer_chan *xc = c->tx;
	char delay[16];
	struct dmaxfer_xfer x;
	int i;

	/* The callback comes well after the abort stopped waiting for it. */
	snprintf(delay, sizeof(delay), "%u", 5 * DMAXFER_ABORT_CB_WAIT_MS * 1000);
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x, xc, c->txp, NPAGES, 0,
						PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, dmasim_set_mode(xc->chan, "complete_delay_us", delay), 0);
	KUNIT_EXPECT_EQ(test, dmasim_set_fault(xc->chan, "error"), 0);
	KUNIT_EXPECT_EQ(test, dmaxfer_xfer_submit(&x), 0);
	dmaxfer_chan_issue(xc);
	for (i = 0; i < 1000; i++) {
		if (dmaengine_tx_status(xc->chan, x.cookie, NULL) == DMA_COMPLETE)
			break;
		usleep_range(1000, 2000);
	}
	KUNIT_EXPECT_LT(test, i, 1000);
	mutex_lock(&xc->io_lock);
	dmaxfer_chan_abort(xc);
	mutex_unlock(&xc->io_lock);
	KUNIT_EXPECT_EQ(test, dmasim_reset_modes(xc->chan), 0);

	KUNIT_EXPECT_TRUE(test, x.finished);
	KUNIT_EXPECT_EQ(test, x.error, -EIO);
	KUNIT_EXPECT_TRUE(test, x.residue_unknown);
	KUNIT_EXPECT_EQ(test, x.residue, (u32)PAGE_SIZE);
	dmaxfer_xfer_unmap(&x);
	dmaxfer_xfer_fini(&x);
}

static struct kunit_case abort_cases[] = {
	KUNIT_CASE(abort_late_callback_is_not_success),
	{}
};

static struct kunit_suite abort_suite = {
	.name = "dmaxfer_abort",
	.init = abort_init,
	.exit = eng_exit,
	.test_cases = abort_cases,
};

kunit_test_suite(abort_suite);
