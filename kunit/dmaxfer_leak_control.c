// SPDX-License-Identifier: GPL-2.0
/*
 * The negative control of the mapping accounting: two KUnit cases that leak
 * on purpose, one streaming DMA mapping and one FOLL_PIN page.
 *
 * scripts/guest/kunit.sh compares, from user space, DMA-API debug's live
 * entries and /proc/vmstat's FOLL_PIN pages before and after each KUnit
 * case, at the accounting gate of dmaxfer_kunit.ko (acct_gate.c), which
 * these cases go through too. Here each case passes, and its accounting
 * must not: the host judge turns "moved by exactly one" into a pass ("the
 * accounting caught the planted leak") and anything else into a failure. Without this
 * module, a check that could never fail would look the same as one that
 * finds nothing.
 *
 * Never load this module outside that run: every load leaks a page, a
 * bounce buffer slot and a DMA-API debug entry until the next boot.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>

#include "acct_gate.h"

static bool is_dmasim(struct dma_chan *chan, void *param)
{
	return !strcmp(dev_driver_string(chan->device->dev), "dmasim");
}

/*
 * One page mapped for the device on dmasim's platform device and never
 * unmapped. The device outlives the module, so the stale DMA-API debug
 * entry never points at freed memory; the page is never freed either.
 */
static void leaks_one_dma_mapping(struct kunit *test)
{
	struct dma_chan *chan;
	dma_cap_mask_t mask;
	struct device *dev;
	struct page *page;
	dma_addr_t dma;

	dma_cap_zero(mask);
	dma_cap_set(DMA_SLAVE, mask);
	chan = dma_request_channel(mask, is_dmasim, NULL);
	if (!chan)
		kunit_skip(test, "no free dmasim channel (load dmasim first)");
	dev = chan->device->dev;
	dma_release_channel(chan);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, dma));
}

/*
 * One page of a KUnit user mapping pinned with FOLL_PIN and never
 * unpinned: nr_foll_pin_acquired moves, nr_foll_pin_released does not.
 */
static void leaks_one_foll_pin(struct kunit *test)
{
	struct page *page;
	unsigned long uaddr;

	uaddr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_TRUE(test, uaddr && !IS_ERR_VALUE(uaddr));
	/* FOLL_WRITE faults a page of its own in: the zero page is not counted. */
	KUNIT_ASSERT_EQ(test, pin_user_pages_fast(uaddr, 1, FOLL_WRITE, &page), 1);
}

/* The same gate as the real cases: dmaxfer_kunit.ko must be loaded. */
static int leak_init(struct kunit *test)
{
	return dmaxfer_kunit_gate(test, "dmaxfer_leak_control");
}

static struct kunit_case leak_cases[] = {
	KUNIT_CASE(leaks_one_dma_mapping),
	KUNIT_CASE(leaks_one_foll_pin),
	{}
};

static struct kunit_suite leak_suite = {
	.name = "dmaxfer_leak_control",
	.init = leak_init,
	.test_cases = leak_cases,
};

kunit_test_suite(leak_suite);

MODULE_DESCRIPTION("Negative control of the dmaxfer KUnit mapping accounting: leaks on purpose");
MODULE_LICENSE("GPL");
