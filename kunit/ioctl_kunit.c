// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the INFO ioctl's translation of the controller's address widths
 * (dmaxfer_widths_to_abi()).
 *
 * dmaengine reports the widths a channel takes as BIT(bytes) in a u32
 * (struct dma_slave_caps), so 1, 2, 3, 4, 8 and 16 bytes can be named;
 * 32, 64 and 128 bytes cannot (BIT(32) and above do not fit). The ABI sets
 * bit n for 2^n bytes. Every width, and every other bit of the u32, is
 * tried: on a kernel with UBSAN_SHIFT an out-of-range shift in the
 * translation fails the case that made it.
 */
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/dmaengine.h>
#include <linux/log2.h>
#include <linux/module.h>

#include "acct_gate.h"
#include "dmaxfer.h"

/* Every width dmaengine defines that a u32 of BIT(bytes) can hold. */
static const struct {
	enum dma_slave_buswidth width;
	u32 abi;
} widths[] = {
	{ DMA_SLAVE_BUSWIDTH_1_BYTE, BIT(0) },
	{ DMA_SLAVE_BUSWIDTH_2_BYTES, BIT(1) },
	{ DMA_SLAVE_BUSWIDTH_3_BYTES, 0 },	/* no ABI bit: dropped */
	{ DMA_SLAVE_BUSWIDTH_4_BYTES, BIT(2) },
	{ DMA_SLAVE_BUSWIDTH_8_BYTES, BIT(3) },
	{ DMA_SLAVE_BUSWIDTH_16_BYTES, BIT(4) },
};

/* All five widths the ABI can name: 1, 2, 4, 8 and 16 bytes. */
#define ABI_ALL	GENMASK(4, 0)

static void widths_each_alone(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(widths); i++)
		KUNIT_EXPECT_EQ_MSG(test, dmaxfer_widths_to_abi(BIT(widths[i].width)),
				    widths[i].abi, "%u bytes", widths[i].width);
}

static void widths_all_together(struct kunit *test)
{
	u32 caps = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(widths); i++)
		caps |= BIT(widths[i].width);
	KUNIT_EXPECT_EQ(test, dmaxfer_widths_to_abi(caps), ABI_ALL);
	/* 3 bytes next to 4: only 4 is reported. */
	KUNIT_EXPECT_EQ(test, dmaxfer_widths_to_abi(BIT(DMA_SLAVE_BUSWIDTH_3_BYTES) |
						   BIT(DMA_SLAVE_BUSWIDTH_4_BYTES)),
			BIT(2));
}

/* Each bit of the u32 alone: only a power of two up to 16 sets an ABI bit. */
static void widths_every_bit(struct kunit *test)
{
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		u32 want = bit && bit <= 16 && is_power_of_2(bit) ? BIT(ilog2(bit)) : 0;

		KUNIT_EXPECT_EQ_MSG(test, dmaxfer_widths_to_abi(BIT(bit)), want,
				    "caps BIT(%u)", bit);
	}
}

static void widths_nothing_else(struct kunit *test)
{
	/* No width, and DMA_SLAVE_BUSWIDTH_UNDEFINED (0 bytes). */
	KUNIT_EXPECT_EQ(test, dmaxfer_widths_to_abi(0), 0U);
	KUNIT_EXPECT_EQ(test, dmaxfer_widths_to_abi(BIT(DMA_SLAVE_BUSWIDTH_UNDEFINED)), 0U);
	/* Every bit set: the five ABI widths, never bits 5..31 (32 bytes and up). */
	KUNIT_EXPECT_EQ(test, dmaxfer_widths_to_abi(U32_MAX), ABI_ALL);
	/* Every bit but the widths: nothing. */
	KUNIT_EXPECT_EQ(test, dmaxfer_widths_to_abi(U32_MAX & ~(BIT(1) | BIT(2) | BIT(4) |
								BIT(8) | BIT(16))), 0U);
}

static int widths_init(struct kunit *test)
{
	return dmaxfer_kunit_gate(test, "dmaxfer_info_widths");
}

static struct kunit_case widths_cases[] = {
	KUNIT_CASE(widths_each_alone),
	KUNIT_CASE(widths_all_together),
	KUNIT_CASE(widths_every_bit),
	KUNIT_CASE(widths_nothing_else),
	{}
};

static struct kunit_suite widths_suite = {
	.name = "dmaxfer_info_widths",
	.init = widths_init,
	.test_cases = widths_cases,
};

kunit_test_suite(widths_suite);
