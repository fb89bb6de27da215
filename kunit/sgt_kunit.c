// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: scatter-gather table construction (dmaxfer_sgt_build()).
 *
 * Each case checks the table entry by entry: page, offset and length of
 * every segment, that no segment exceeds the limit, and that the segments
 * cover exactly the requested bytes in order.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/scatterlist.h>

#include "acct_gate.h"
#include "dmaxfer.h"

#define NPAGES 8

struct sgt_ctx {
	struct page *block;		/* NPAGES physically contiguous pages */
	struct page *pages[NPAGES];
	struct sg_table sgt;
	bool built;
};

static int sgt_init(struct kunit *test)
{
	struct sgt_ctx *c;
	int i;

	KUNIT_ASSERT_EQ(test, dmaxfer_kunit_gate(test, "dmaxfer_sgt"), 0);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->block = alloc_pages(GFP_KERNEL, ilog2(NPAGES));
	KUNIT_ASSERT_NOT_NULL(test, c->block);
	for (i = 0; i < NPAGES; i++)
		c->pages[i] = c->block + i;
	test->priv = c;
	return 0;
}

static void sgt_exit(struct kunit *test)
{
	struct sgt_ctx *c = test->priv;

	if (c->built)
		sg_free_table(&c->sgt);
	__free_pages(c->block, ilog2(NPAGES));
}

/* Reverse the pages so that no two neighbours are contiguous. */
static void sgt_scatter(struct sgt_ctx *c)
{
	int i;

	for (i = 0; i < NPAGES; i++)
		c->pages[i] = c->block + NPAGES - 1 - i;
}

static int sgt_build(struct kunit *test, unsigned int npages,
		     unsigned int off, size_t len, unsigned int max_seg)
{
	struct sgt_ctx *c = test->priv;
	int ret;

	ret = dmaxfer_sgt_build(&c->sgt, c->pages, npages, off, len, max_seg,
				GFP_KERNEL);
	c->built = !ret;
	return ret;
}

struct seg { struct page *page; unsigned int off, len; };

static void sgt_expect(struct kunit *test, const struct seg *exp, int n)
{
	struct sgt_ctx *c = test->priv;
	struct scatterlist *sg;
	int i;

	KUNIT_ASSERT_EQ(test, c->sgt.orig_nents, n);
	for_each_sgtable_sg(&c->sgt, sg, i) {
		KUNIT_EXPECT_PTR_EQ_MSG(test, sg_page(sg), exp[i].page, "entry %d", i);
		KUNIT_EXPECT_EQ_MSG(test, sg->offset, exp[i].off, "entry %d", i);
		KUNIT_EXPECT_EQ_MSG(test, sg->length, exp[i].len, "entry %d", i);
	}
}

static void sgt_one_page(struct kunit *test)
{
	struct sgt_ctx *c = test->priv;
	const struct seg exp[] = { { c->pages[0], 0, 100 } };

	KUNIT_ASSERT_EQ(test, sgt_build(test, 1, 0, 100, SZ_64K), 0);
	sgt_expect(test, exp, ARRAY_SIZE(exp));
}

static void sgt_odd_offset_page_crossing(struct kunit *test)
{
	struct sgt_ctx *c = test->priv;
	unsigned int off = PAGE_SIZE - 96;
	struct seg exp[2];

	sgt_scatter(c);
	exp[0] = (struct seg){ c->pages[0], off, 96 };
	exp[1] = (struct seg){ c->pages[1], 0, 104 };
	KUNIT_ASSERT_EQ(test, sgt_build(test, 2, off, 200, SZ_64K), 0);
	sgt_expect(test, exp, ARRAY_SIZE(exp));
}

static void sgt_contiguous_pages_merge(struct kunit *test)
{
	struct sgt_ctx *c = test->priv;
	const struct seg exp[] = { { c->pages[0], 3, 4 * PAGE_SIZE - 3 } };

	KUNIT_ASSERT_EQ(test, sgt_build(test, 4, 3, 4 * PAGE_SIZE - 3, SZ_1M), 0);
	sgt_expect(test, exp, ARRAY_SIZE(exp));
}

static void sgt_split_to_max_seg(struct kunit *test)
{
	struct sgt_ctx *c = test->priv;
	const unsigned int max = 5000;
	size_t len = 4 * PAGE_SIZE;
	struct scatterlist *sg;
	size_t total = 0;
	int i;

	KUNIT_ASSERT_EQ(test, sgt_build(test, 4, 0, len, max), 0);
	KUNIT_EXPECT_EQ(test, c->sgt.orig_nents, DIV_ROUND_UP(len, max));
	for_each_sgtable_sg(&c->sgt, sg, i) {
		/* Every entry starts where the previous one ended. */
		KUNIT_EXPECT_EQ(test, page_to_phys(sg_page(sg)) + sg->offset,
				page_to_phys(c->pages[0]) + total);
		KUNIT_EXPECT_LE(test, sg->length, max);
		total += sg->length;
	}
	KUNIT_EXPECT_EQ(test, total, len);
}

static void sgt_max_seg_below_page(struct kunit *test)
{
	struct sgt_ctx *c = test->priv;
	const struct seg exp[] = {
		{ c->pages[0], 100, 512 },
		{ c->pages[0], 612, 512 },
		{ c->pages[0], 1124, 476 },
	};

	KUNIT_ASSERT_EQ(test, sgt_build(test, 1, 100, 1500, 512), 0);
	sgt_expect(test, exp, ARRAY_SIZE(exp));
}

static void sgt_rejects_bad_requests(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sgt_build(test, 1, 0, 0, SZ_64K), -EINVAL);
	KUNIT_EXPECT_EQ(test, sgt_build(test, 1, PAGE_SIZE, 1, SZ_64K), -EINVAL);
	KUNIT_EXPECT_EQ(test, sgt_build(test, 1, 0, 100, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sgt_build(test, 0, 0, 1, SZ_64K), -EINVAL);
	/* One byte more than the pages hold. */
	KUNIT_EXPECT_EQ(test, sgt_build(test, 2, 1, 2 * PAGE_SIZE, SZ_64K), -EINVAL);
	/* A length past 4 GiB cannot be covered by a few pages either. */
	KUNIT_EXPECT_EQ(test, sgt_build(test, NPAGES, 0, (size_t)-1, SZ_64K), -EINVAL);
}

/* Random offsets, lengths, limits and page orders: the invariants hold. */
static void sgt_random_invariants(struct kunit *test)
{
	struct sgt_ctx *c = test->priv;
	int iter;

	for (iter = 0; iter < 200; iter++) {
		unsigned int off = get_random_u32_below(PAGE_SIZE);
		size_t len = 1 + get_random_u32_below(NPAGES * PAGE_SIZE - off);
		unsigned int max = 1 + get_random_u32_below(3 * PAGE_SIZE);
		struct scatterlist *sg;
		size_t total = 0;
		int i;

		for (i = 0; i < NPAGES; i++)	/* some runs contiguous, some not */
			c->pages[i] = c->block + (get_random_u32_below(2) ?
						  i : NPAGES - 1 - i);
		KUNIT_ASSERT_EQ(test, sgt_build(test, NPAGES, off, len, max), 0);
		for_each_sgtable_sg(&c->sgt, sg, i) {
			size_t pos = total + off;

			/* The entry holds the bytes of pages[] at this position. */
			KUNIT_ASSERT_EQ(test, page_to_phys(sg_page(sg)) + sg->offset,
					page_to_phys(c->pages[pos / PAGE_SIZE]) +
					pos % PAGE_SIZE);
			KUNIT_ASSERT_LE(test, sg->length, max);
			KUNIT_ASSERT_GT(test, sg->length, 0U);
			total += sg->length;
		}
		KUNIT_ASSERT_EQ(test, total, len);
		sg_free_table(&c->sgt);
		c->built = false;
	}
}

static struct kunit_case sgt_cases[] = {
	KUNIT_CASE(sgt_one_page),
	KUNIT_CASE(sgt_odd_offset_page_crossing),
	KUNIT_CASE(sgt_contiguous_pages_merge),
	KUNIT_CASE(sgt_split_to_max_seg),
	KUNIT_CASE(sgt_max_seg_below_page),
	KUNIT_CASE(sgt_rejects_bad_requests),
	KUNIT_CASE(sgt_random_invariants),
	{}
};

static struct kunit_suite sgt_suite = {
	.name = "dmaxfer_sgt",
	.init = sgt_init,
	.exit = sgt_exit,
	.test_cases = sgt_cases,
};

kunit_test_suite(sgt_suite);

MODULE_DESCRIPTION("KUnit tests for dmaxfer scatter-gather construction");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
