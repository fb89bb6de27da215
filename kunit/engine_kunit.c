// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the transfer engine against dmasim, the simulated controller.
 *
 * dmasim's loopback FIFO makes every tx -> rx round trip checkable byte for
 * byte, and it touches memory only through the DMA addresses it is given.
 * Booted with swiotlb=force every streaming mapping bounces, so the bytes
 * reach the CPU only through dma_sync_*_for_cpu(): the sync cases, and
 * the negative control that skips the sync on purpose, are meaningful only
 * then and skip otherwise.
 *
 * No case here counts mappings: nothing exports DMA-API debug's counters to
 * a module. The accounting gate (acct_gate.c) stops after each case, and
 * scripts/guest/kunit.sh checks from user space that the live DMA-API debug
 * entries and FOLL_PIN pages are back where they were before it, error and
 * timeout paths included.
 *
 * Needs dmasim loaded with two free channels (dts/virt64-dmasim.dtso gives
 * it four; the bound dmaxfer node uses two).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>

#include "acct_gate.h"
#include "dmasim_api.h"
#include "dmaxfer.h"
#include "engine_kunit.h"

static void sim_fault(struct kunit *test, struct dmaxfer_chan *xc, const char *fault)
{
	KUNIT_ASSERT_EQ(test, dmasim_set_fault(xc->chan, fault), 0);
}

static int eng_init(struct kunit *test)
{
	return eng_setup(test, "dmaxfer_engine");
}

static void fill(struct page **pages, u8 seed)
{
	int i, j;

	for (i = 0; i < NPAGES; i++) {
		u8 *p = page_address(pages[i]);

		for (j = 0; j < PAGE_SIZE; j++)
			p[j] = (u8)(seed + i * 7 + j * 13 + (j >> 8));
	}
}

static void poison(struct page **pages, u8 v)
{
	int i;

	for (i = 0; i < NPAGES; i++)
		memset(page_address(pages[i]), v, PAGE_SIZE);
}

static bool same(struct page **a, struct page **b)
{
	int i;

	for (i = 0; i < NPAGES; i++)
		if (memcmp(page_address(a[i]), page_address(b[i]), PAGE_SIZE))
			return false;
	return true;
}

/* One transfer start to end; returns its error, *residue its residue. */
static int xfer(struct kunit *test, struct dmaxfer_chan *xc, struct page **pages,
		size_t len, u32 *residue)
{
	struct dmaxfer_xfer x;
	int ret;

	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x, xc, pages, NPAGES, 0, len), 0);
	ret = dmaxfer_xfer_submit(&x);
	if (!ret) {
		mutex_lock(&xc->io_lock);
		ret = dmaxfer_xfer_wait(&x, msecs_to_jiffies(xc->xd->timeout_ms));
		mutex_unlock(&xc->io_lock);
	}
	if (residue)
		*residue = x.residue;
	KUNIT_EXPECT_FALSE(test, x.mapped);
	dmaxfer_xfer_fini(&x);
	return ret;
}

/* tx then rx: the CPU must see what the device got, byte for byte. */
static void eng_round_trip(struct kunit *test)
{
	struct eng_ctx *c = test->priv;

	fill(c->txp, 1);
	poison(c->rxp, 0xa5);
	KUNIT_ASSERT_EQ(test, xfer(test, c->tx, c->txp, LEN, NULL), 0);
	KUNIT_ASSERT_EQ(test, xfer(test, c->rx, c->rxp, LEN, NULL), 0);
	KUNIT_EXPECT_TRUE(test, same(c->txp, c->rxp));
}

/*
 * The plain completion callback (callback.c: what pl330 gets) ends the
 * transfers as callback_result does, on a provider that could call either.
 */
static void eng_plain_callback_round_trip(struct kunit *test)
{
	struct eng_ctx *c = test->priv;

	c->tx->plain_callback = true;
	c->rx->plain_callback = true;
	fill(c->txp, 9);
	poison(c->rxp, 0xa5);
	KUNIT_ASSERT_EQ(test, xfer(test, c->tx, c->txp, LEN, NULL), 0);
	KUNIT_ASSERT_EQ(test, xfer(test, c->rx, c->rxp, LEN, NULL), 0);
	KUNIT_EXPECT_TRUE(test, same(c->txp, c->rxp));
}

/* FROM_DEVICE: the device's bytes reach the CPU through the sync only. */
static void eng_sync_for_cpu_shows_device_bytes(struct kunit *test)
{
	struct eng_ctx *c = test->priv;

	if (!is_swiotlb_force_bounce(c->rx->dma_dev))
		kunit_skip(test, "needs swiotlb=force: without bouncing a sync is invisible");
	fill(c->txp, 2);
	poison(c->rxp, 0);
	KUNIT_ASSERT_EQ(test, xfer(test, c->tx, c->txp, LEN, NULL), 0);
	KUNIT_ASSERT_EQ(test, xfer(test, c->rx, c->rxp, LEN, NULL), 0);
	KUNIT_EXPECT_TRUE(test, same(c->txp, c->rxp));
}

/*
 * Negative control: with the sync for the CPU skipped (the test-only fault
 * hook), the CPU must see stale bytes. This proves the case above can fail.
 */
static void eng_negative_control_skipped_sync_is_detected(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	u8 *p;

	if (!is_swiotlb_force_bounce(c->rx->dma_dev))
		kunit_skip(test, "needs swiotlb=force: without bouncing a sync is invisible");
	fill(c->txp, 3);
	poison(c->rxp, 0x5a);
	KUNIT_ASSERT_EQ(test, xfer(test, c->tx, c->txp, LEN, NULL), 0);
	dmaxfer_test_skip_cpu_sync = true;
	KUNIT_ASSERT_EQ(test, xfer(test, c->rx, c->rxp, LEN, NULL), 0);
	dmaxfer_test_skip_cpu_sync = false;
	p = page_address(c->rxp[0]);
	KUNIT_EXPECT_FALSE(test, same(c->txp, c->rxp));
	KUNIT_EXPECT_EQ(test, p[0], 0x5a);
}

/* TO_DEVICE: CPU rewrites the buffer, re-submits: the device sees the new bytes. */
static void eng_resubmit_sends_new_bytes(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	unsigned long tmo = msecs_to_jiffies(1000);
	struct dmaxfer_xfer x;
	int round;

	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x, c->tx, c->txp, NPAGES, 0, LEN), 0);
	for (round = 0; round < 2; round++) {
		fill(c->txp, 10 + round);
		reinit_completion(&x.done);
		x.finished = false;
		x.error = 0;
		KUNIT_ASSERT_EQ(test, dmaxfer_xfer_submit(&x), 0);
		mutex_lock(&c->tx->io_lock);
		KUNIT_EXPECT_EQ(test, dmaxfer_xfer_wait(&x, tmo), 0);
		mutex_unlock(&c->tx->io_lock);
		poison(c->rxp, 0);
		KUNIT_ASSERT_EQ(test, xfer(test, c->rx, c->rxp, LEN, NULL), 0);
		KUNIT_EXPECT_TRUE_MSG(test, same(c->txp, c->rxp), "round %d", round);
	}
	dmaxfer_xfer_fini(&x);
}

static void eng_error_fault(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	u32 residue;

	fill(c->txp, 4);
	sim_fault(test, c->tx, "error");
	KUNIT_EXPECT_EQ(test, xfer(test, c->tx, c->txp, LEN, &residue), -EIO);
	KUNIT_EXPECT_EQ(test, residue, (u32)LEN);
	KUNIT_EXPECT_EQ(test, c->tx->stats.errors, 1ULL);
	/* The channel goes on. */
	eng_round_trip(test);
}

static void eng_short_fault(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	u32 residue;

	fill(c->txp, 5);
	sim_fault(test, c->tx, "short");
	KUNIT_EXPECT_EQ(test, xfer(test, c->tx, c->txp, LEN, &residue), -EIO);
	KUNIT_EXPECT_EQ(test, residue, (u32)(LEN - LEN / 2));
	/* The half that moved is the first half. */
	poison(c->rxp, 0);
	KUNIT_ASSERT_EQ(test, xfer(test, c->rx, c->rxp, LEN / 2, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(c->rxp[0]), page_address(c->txp[0]),
				     PAGE_SIZE), 0);
	eng_round_trip(test);
}

static void eng_hang_times_out_and_channel_recovers(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	u32 residue;

	c->xd.timeout_ms = 100;
	fill(c->txp, 6);
	sim_fault(test, c->tx, "hang");
	KUNIT_EXPECT_EQ(test, xfer(test, c->tx, c->txp, LEN, &residue), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, residue, (u32)LEN);
	KUNIT_EXPECT_EQ(test, c->tx->stats.timeouts, 1ULL);
	KUNIT_EXPECT_TRUE(test, list_empty(&c->tx->inflight));
	c->xd.timeout_ms = 1000;
	eng_round_trip(test);
}

/* A hung transfer with others queued behind: all end, all are reported. */
static void eng_abort_ends_the_whole_queue(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	unsigned long tmo = msecs_to_jiffies(100);
	struct dmaxfer_xfer x[3];
	int i;

	sim_fault(test, c->tx, "hang");
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x[i], c->tx, c->txp, NPAGES,
							0, PAGE_SIZE), 0);
		KUNIT_ASSERT_EQ(test, dmaxfer_xfer_submit(&x[i]), 0);
	}
	mutex_lock(&c->tx->io_lock);
	KUNIT_EXPECT_EQ(test, dmaxfer_xfer_wait(&x[0], tmo), -ETIMEDOUT);
	for (i = 1; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, dmaxfer_xfer_wait(&x[i], tmo), -ECANCELED);
		KUNIT_EXPECT_EQ(test, x[i].residue, (u32)PAGE_SIZE);
	}
	mutex_unlock(&c->tx->io_lock);
	for (i = 0; i < 3; i++)
		dmaxfer_xfer_fini(&x[i]);
	KUNIT_EXPECT_EQ(test, c->tx->stats.inflight, 0U);
}

/*
 * An abort ends its transfers only once the channel is terminated: until
 * then the controller may still run the descriptor and call back a
 * transfer whose owner has freed it. on_done looks at dmasim's descriptors
 * when it runs: none of the channel's may be left in use by then.
 */
static int eng_descs_at_done;

static void eng_note_descs(struct dmaxfer_xfer *x)
{
	eng_descs_at_done = dmasim_desc_in_use(x->xc->chan);
}

static void eng_abort_ends_after_terminate(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct dmaxfer_xfer x;

	sim_fault(test, c->tx, "hang");
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x, c->tx, c->txp, NPAGES, 0,
						PAGE_SIZE), 0);
	x.on_done = eng_note_descs;
	eng_descs_at_done = -1;
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_submit(&x), 0);
	dmaxfer_chan_issue(c->tx);
	KUNIT_EXPECT_GT(test, dmasim_desc_in_use(c->tx->chan), 0);
	mutex_lock(&c->tx->io_lock);
	dmaxfer_chan_abort(c->tx);
	mutex_unlock(&c->tx->io_lock);
	/* Ended before dmasim started it, the one-shot fault may be armed. */
	sim_fault(test, c->tx, "none");
	KUNIT_EXPECT_TRUE(test, x.finished);
	KUNIT_EXPECT_EQ(test, x.error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, eng_descs_at_done, 0);
	dmaxfer_xfer_unmap(&x);
	dmaxfer_xfer_fini(&x);
}

/*
 * Once the callback has woken the waiters, a synchronous waiter may unmap,
 * free or reuse the transfer at once (read()/write() reuse ring slots), so
 * nothing of it may be read after the wake-up. A waiter on the channel's
 * queue whose wake function runs inside that wake-up, in the callback's own
 * context, stands for the waiter that wins: it rewrites @on_done, and the
 * callback must still call the one it was given.
 */
struct eng_reuser {
	struct wait_queue_entry wq;
	struct dmaxfer_xfer *x;
};

static int eng_calls_given, eng_calls_stale;

static void eng_on_done_given(struct dmaxfer_xfer *x)
{
	eng_calls_given++;
}

static void eng_on_done_stale(struct dmaxfer_xfer *x)
{
	eng_calls_stale++;
}

static int eng_reuse_on_wake(struct wait_queue_entry *wq, unsigned int mode,
			     int sync, void *key)
{
	struct eng_reuser *r = container_of(wq, struct eng_reuser, wq);

	if (completion_done(&r->x->done))
		WRITE_ONCE(r->x->on_done, eng_on_done_stale);
	return 0;
}

static void eng_on_done_loaded_before_wakeup(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct eng_reuser r = { .x = NULL };
	struct dmaxfer_xfer x;
	int ret, i;

	eng_calls_given = 0;
	eng_calls_stale = 0;
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x, c->tx, c->txp, NPAGES, 0, LEN), 0);
	x.on_done = eng_on_done_given;
	r.x = &x;
	init_waitqueue_func_entry(&r.wq, eng_reuse_on_wake);
	add_wait_queue(&c->tx->wq, &r.wq);
	ret = dmaxfer_xfer_submit(&x);
	if (!ret) {
		mutex_lock(&c->tx->io_lock);
		ret = dmaxfer_xfer_wait(&x, msecs_to_jiffies(c->xd.timeout_ms));
		mutex_unlock(&c->tx->io_lock);
	}
	remove_wait_queue(&c->tx->wq, &r.wq);
	/*
	 * The callback calls @on_done after the wake-up (it loaded it
	 * before), so this waiter may get here first: give it a second.
	 * (fc15: virt64-6.1 on a loaded host saw neither call yet.)
	 */
	for (i = 0; i < 1000 && !READ_ONCE(eng_calls_given) && !READ_ONCE(eng_calls_stale); i++)
		usleep_range(1000, 2000);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, eng_calls_given, 1);
	KUNIT_EXPECT_EQ(test, eng_calls_stale, 0);
	if (x.mapped)
		dmaxfer_xfer_unmap(&x);
	dmaxfer_xfer_fini(&x);
	/* Drain dmasim's loopback FIFO for the cases that follow. */
	KUNIT_EXPECT_EQ(test, xfer(test, c->rx, c->rxp, LEN, NULL), 0);
}

/*
 * A controller out of descriptors with nothing of ours in flight: submit
 * fails with -EIO and leaves nothing mapped (the per-case accounting sees
 * a leaked mapping too). dmasim's pool is one descriptor, held by a
 * descriptor this test prepares and never submits.
 */
static void eng_no_descriptor_unmaps(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct dma_async_tx_descriptor *held;
	struct dmaxfer_xfer x;

	KUNIT_ASSERT_EQ(test, dmasim_set_mode(c->tx->chan, "pool_size", "1"), 0);
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x, c->tx, c->txp, NPAGES, 0,
						PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, dma_map_sgtable(c->tx->dma_dev, &x.sgt, DMA_TO_DEVICE, 0), 0);
	held = dmaengine_prep_slave_sg(c->tx->chan, x.sgt.sgl, x.sgt.nents,
				       DMA_MEM_TO_DEV, DMA_CTRL_ACK);
	dma_unmap_sgtable(c->tx->dma_dev, &x.sgt, DMA_TO_DEVICE, 0);
	KUNIT_ASSERT_NOT_NULL(test, held);
	KUNIT_EXPECT_EQ(test, dmaxfer_xfer_submit(&x), -EIO);
	KUNIT_EXPECT_FALSE(test, x.mapped);
	/* A prepared, never submitted descriptor is dropped by terminate. */
	dmaengine_terminate_sync(c->tx->chan);
	if (x.mapped)
		dmaxfer_xfer_unmap(&x);
	dmaxfer_xfer_fini(&x);
	KUNIT_EXPECT_EQ(test, dmasim_reset_modes(c->tx->chan), 0);
}

/*
 * A controller that refuses the submission (dmasim's submit_fail: its
 * tx_submit returns -EBUSY and frees the descriptor itself): submit fails
 * with -EIO, not the -EBUSY that means "retry", and leaves nothing mapped
 * (the per-case accounting would see a leaked mapping too) and nothing in
 * flight. No callback may ever end the transfer: the round trip after it
 * issues the channel again before the transfer is freed.
 */
static void eng_submit_refused_unmaps(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct dmaxfer_xfer x;
	char mode[16];

	KUNIT_ASSERT_EQ(test, dmasim_set_mode(c->tx->chan, "submit_fail", "1"), 0);
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x, c->tx, c->txp, NPAGES, 0, LEN), 0);
	KUNIT_EXPECT_EQ(test, dmaxfer_xfer_submit(&x), -EIO);
	KUNIT_EXPECT_FALSE(test, x.mapped);
	KUNIT_EXPECT_TRUE(test, list_empty(&c->tx->inflight));
	KUNIT_EXPECT_EQ(test, c->tx->stats.inflight, 0U);
	KUNIT_EXPECT_EQ(test, c->tx->stats.errors, 1ULL);
	/* dmasim freed the descriptor, and the one-shot is spent. */
	KUNIT_EXPECT_EQ(test, dmasim_desc_in_use(c->tx->chan), 0);
	KUNIT_EXPECT_GT(test, dmasim_get_mode(c->tx->chan, "submit_fail", mode,
					      sizeof(mode)), 0);
	KUNIT_EXPECT_STREQ(test, mode, "0");
	if (x.mapped)
		dmaxfer_xfer_unmap(&x);
	eng_round_trip(test);
	KUNIT_EXPECT_FALSE(test, x.finished);
	KUNIT_EXPECT_EQ(test, c->tx->stats.transfers, 1ULL);
	dmaxfer_xfer_fini(&x);
	KUNIT_EXPECT_EQ(test, dmasim_reset_modes(c->tx->chan), 0);
}

/* Transfers never issued end with their whole length as residue. */
static void eng_unissued_transfer_reports_full_residue(struct kunit *test)
{
#ifdef DMAXFER_TEST_HOOKS
	struct eng_ctx *c = test->priv;
	struct dmaxfer_xfer x;

	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init(&x, c->tx, c->txp, NPAGES, 0, LEN), 0);
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_submit(&x), 0);
	atomic_set(&c->xd.hold_issue, 1);
	mutex_lock(&c->tx->io_lock);
	KUNIT_EXPECT_EQ(test, dmaxfer_xfer_wait(&x, msecs_to_jiffies(50)), -ETIMEDOUT);
	mutex_unlock(&c->tx->io_lock);
	KUNIT_EXPECT_EQ(test, x.residue, (u32)LEN);
	dmaxfer_xfer_fini(&x);
	eng_round_trip(test);
#else
	kunit_skip(test, "needs a DMAXFER_TEST_HOOKS=y build (the hold_issue knob)");
#endif
}

/* The controller claims success but moved nothing: the bytes tell. */
static void eng_nodata_fault_is_caught_by_the_data(struct kunit *test)
{
	struct eng_ctx *c = test->priv;

	fill(c->txp, 7);
	sim_fault(test, c->tx, "nodata");
	KUNIT_EXPECT_EQ(test, xfer(test, c->tx, c->txp, LEN, NULL), 0);
	/* Nothing reached the FIFO: a read times out with the full residue. */
	c->xd.timeout_ms = 100;
	KUNIT_EXPECT_EQ(test, xfer(test, c->rx, c->rxp, LEN, NULL), -ETIMEDOUT);
	c->xd.timeout_ms = 1000;
}

static void eng_coherent_round_trip(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct dmaxfer_xfer x;
	dma_addr_t dma;
	u8 *buf;
	int i;

	buf = dma_alloc_coherent(c->tx->dma_dev, LEN, &dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < LEN; i++)
		buf[i] = (u8)(i * 31);
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_init_coherent(&x, c->tx, dma, LEN), 0);
	KUNIT_EXPECT_EQ(test, x.sgt.orig_nents,
			DIV_ROUND_UP(LEN, dmaxfer_chan_max_seg(c->tx)));
	KUNIT_ASSERT_EQ(test, dmaxfer_xfer_submit(&x), 0);
	mutex_lock(&c->tx->io_lock);
	KUNIT_EXPECT_EQ(test, dmaxfer_xfer_wait(&x, msecs_to_jiffies(1000)), 0);
	mutex_unlock(&c->tx->io_lock);
	dmaxfer_xfer_fini(&x);
	poison(c->rxp, 0);
	KUNIT_ASSERT_EQ(test, xfer(test, c->rx, c->rxp, LEN, NULL), 0);
	for (i = 0; i < LEN; i++)
		if (((u8 *)page_address(c->rxp[i / PAGE_SIZE]))[i % PAGE_SIZE] != buf[i])
			break;
	KUNIT_EXPECT_EQ(test, i, (int)LEN);
	dma_free_coherent(c->tx->dma_dev, LEN, buf, dma);
}

static void eng_rejects_length_not_multiple_of_width(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct dmaxfer_xfer x;

	KUNIT_EXPECT_EQ(test, dmaxfer_xfer_init(&x, c->tx, c->txp, NPAGES, 0, 6), -EINVAL);
	dmaxfer_xfer_fini(&x);
	KUNIT_EXPECT_EQ(test, dmaxfer_xfer_init_coherent(&x, c->tx, 0, 0), -EINVAL);
	dmaxfer_xfer_fini(&x);
}

static void eng_segments_respect_limits(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	unsigned int max = dmaxfer_chan_max_seg(c->tx);

	KUNIT_EXPECT_LE(test, max, dma_get_max_seg_size(c->tx->dma_dev));
	KUNIT_EXPECT_LE(test, (size_t)max, dma_max_mapping_size(c->tx->dma_dev));
	KUNIT_EXPECT_EQ(test, max % c->tx->props.bus_width, 0U);
	dmaxfer_seg_size = 4100;	/* a multiple of the 4-byte width */
	KUNIT_EXPECT_EQ(test, dmaxfer_chan_max_seg(c->tx), 4100U);
	dmaxfer_seg_size = 4099;
	KUNIT_EXPECT_EQ(test, dmaxfer_chan_max_seg(c->tx), 4096U);
	dmaxfer_seg_size = 0;
}

static struct kunit_case eng_cases[] = {
	KUNIT_CASE(eng_round_trip),
	KUNIT_CASE(eng_plain_callback_round_trip),
	KUNIT_CASE(eng_sync_for_cpu_shows_device_bytes),
	KUNIT_CASE(eng_negative_control_skipped_sync_is_detected),
	KUNIT_CASE(eng_resubmit_sends_new_bytes),
	KUNIT_CASE(eng_error_fault),
	KUNIT_CASE(eng_short_fault),
	KUNIT_CASE(eng_hang_times_out_and_channel_recovers),
	KUNIT_CASE(eng_abort_ends_the_whole_queue),
	KUNIT_CASE(eng_abort_ends_after_terminate),
	KUNIT_CASE(eng_no_descriptor_unmaps),
	KUNIT_CASE(eng_submit_refused_unmaps),
	KUNIT_CASE(eng_on_done_loaded_before_wakeup),
	KUNIT_CASE(eng_unissued_transfer_reports_full_residue),
	KUNIT_CASE(eng_nodata_fault_is_caught_by_the_data),
	KUNIT_CASE(eng_coherent_round_trip),
	KUNIT_CASE(eng_rejects_length_not_multiple_of_width),
	KUNIT_CASE(eng_segments_respect_limits),
	{}
};

static struct kunit_suite eng_suite = {
	.name = "dmaxfer_engine",
	.init = eng_init,
	.exit = eng_exit,
	.test_cases = eng_cases,
};

kunit_test_suite(eng_suite);
