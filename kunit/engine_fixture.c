// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the engine suites' fixture (engine_kunit.c, abort_kunit.c): a
 * KUnit device with two dmasim channels set up as the driver sets up its
 * own, four pages each way, and the teardown that ends whatever a case
 * left in flight and disarms dmasim's modes.
 */
#include <kunit/test.h>
#include <linux/dmaengine.h>
#include <linux/mm.h>

#include "acct_gate.h"
#include "dmasim_api.h"
#include "dmaxfer.h"
#include "engine_kunit.h"

static bool is_dmasim(struct dma_chan *chan, void *param)
{
	return !strcmp(dev_driver_string(chan->device->dev), "dmasim");
}

static struct dmaxfer_chan *eng_chan(struct kunit *test, struct eng_ctx *c,
				     enum dmaxfer_dir d)
{
	struct dmaxfer_chan *xc = &c->xd.chan_store[d];
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_SLAVE, mask);
	xc->chan = dma_request_channel(mask, is_dmasim, NULL);
	if (!xc->chan)
		kunit_skip(test, "no free dmasim channel (load dmasim first)");
	dmaxfer_chan_init(xc, &c->xd, d);
	xc->props.fifo_addr = 0x10000000;
	xc->props.bus_width = 4;
	xc->props.maxburst = 8;
	c->xd.chans[d] = xc;
	KUNIT_ASSERT_EQ(test, dmaxfer_chan_setup(xc), 0);
	return xc;
}

/**
 * eng_setup() - a case's two dmasim channels, pages and device
 * @test: the case
 * @suite: its suite's name, for the accounting gate
 *
 * Return: 0; a case without dmasim channels is skipped.
 */
int eng_setup(struct kunit *test, const char *suite)
{
	struct eng_ctx *c;
	int i;

	KUNIT_ASSERT_EQ(test, dmaxfer_kunit_gate(test, suite), 0);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	test->priv = c;
	c->xd.dev = kunit_device_register(test, "dmaxfer-engine");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(c->xd.dev), "kunit_device_register: %ld",
			       PTR_ERR(c->xd.dev));
	c->xd.timeout_ms = 1000;
	for (i = 0; i < NPAGES; i++) {
		/* Reverse order: never physically contiguous, 4 entries. */
		c->txp[NPAGES - 1 - i] = alloc_page(GFP_KERNEL);
		c->rxp[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c->txp[NPAGES - 1 - i]);
		KUNIT_ASSERT_NOT_NULL(test, c->rxp[i]);
	}
	c->tx = eng_chan(test, c, DMAXFER_TX);
	c->rx = eng_chan(test, c, DMAXFER_RX);
	return 0;
}

/**
 * eng_exit() - end what a case left in flight, give its channels back
 * @test: the case
 */
void eng_exit(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	int d, i;

	if (!c)
		return;
	dmaxfer_test_skip_cpu_sync = false;
	for (d = 0; d < DMAXFER_NR_DIRS; d++) {
		struct dmaxfer_chan *xc = c->xd.chans[d];

		if (!xc)
			continue;
		mutex_lock(&xc->io_lock);
		dmaxfer_chan_abort(xc);
		mutex_unlock(&xc->io_lock);
		/* A case that failed half-way must not leave a mode armed. */
		dmasim_reset_modes(xc->chan);
		dma_release_channel(xc->chan);
	}
	for (i = 0; i < NPAGES; i++) {
		if (c->txp[i])
			__free_page(c->txp[i]);
		if (c->rxp[i])
			__free_page(c->rxp[i]);
	}
}
