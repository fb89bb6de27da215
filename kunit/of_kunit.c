// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: device-tree parsing of every binding property, good and bad.
 *
 * Each case builds a real node under / with an of_changeset, attaches it
 * to a KUnit device and runs the driver's parser on it, checking the
 * values it returns or the error it refuses the node with.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/property.h>

#include "acct_gate.h"
#include "dmaxfer.h"

struct of_ctx {
	struct of_changeset cs;
	struct device_node *np;
	struct device *dev;
	bool applied;
};

static int of_init(struct kunit *test)
{
	struct device_node *root;
	struct of_ctx *c;

	KUNIT_ASSERT_EQ(test, dmaxfer_kunit_gate(test, "dmaxfer_of"), 0);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	root = of_find_node_by_path("/");
	if (!root)
		kunit_skip(test, "no live device tree");
	of_changeset_init(&c->cs);
	c->np = of_changeset_create_node(&c->cs, root, "dmaxfer-kunit");
	of_node_put(root);
	KUNIT_ASSERT_NOT_NULL(test, c->np);
	KUNIT_ASSERT_EQ(test, of_changeset_add_prop_string(&c->cs, c->np, "compatible",
							   "dmaxfer,kunit-only"), 0);
	c->dev = kunit_device_register(test, "dmaxfer-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(c->dev));
	test->priv = c;
	return 0;
}

static void of_exit(struct kunit *test)
{
	struct of_ctx *c = test->priv;

	if (!c)
		return;
	if (c->dev)
		device_set_node(c->dev, NULL);
	if (c->applied)
		of_changeset_revert(&c->cs);
	of_changeset_destroy(&c->cs);
	/* of_changeset_create_node() gave us a reference of our own. */
	of_node_put(c->np);
}

static void prop_u32(struct kunit *test, const char *name, u32 v)
{
	struct of_ctx *c = test->priv;

	KUNIT_ASSERT_EQ(test, of_changeset_add_prop_u32(&c->cs, c->np, name, v), 0);
}

static void prop_u32s(struct kunit *test, const char *name, const u32 *v, int n)
{
	struct of_ctx *c = test->priv;

	KUNIT_ASSERT_EQ(test, of_changeset_add_prop_u32_array(&c->cs, c->np, name, v, n), 0);
}

static void prop_strs(struct kunit *test, const char *name, const char * const *v, int n)
{
	struct of_ctx *c = test->priv;

	KUNIT_ASSERT_EQ(test, of_changeset_add_prop_string_array(&c->cs, c->np, name, v, n), 0);
}

/* Apply the node and make it the device's. */
static struct device *node_dev(struct kunit *test)
{
	struct of_ctx *c = test->priv;

	KUNIT_ASSERT_EQ(test, of_changeset_apply(&c->cs), 0);
	c->applied = true;
	device_set_node(c->dev, of_fwnode_handle(c->np));
	return c->dev;
}

static void of_tx_all_properties(struct kunit *test)
{
	struct dmaxfer_chan_props p;

	prop_u32(test, "dmaxfer,tx-fifo-addr", 0xe0000030);
	prop_u32(test, "dmaxfer,tx-bus-width", 1);
	prop_u32(test, "dmaxfer,tx-maxburst", 16);
	KUNIT_ASSERT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "tx", &p), 0);
	KUNIT_EXPECT_EQ(test, p.fifo_addr, 0xe0000030ULL);
	KUNIT_EXPECT_EQ(test, p.bus_width, 1U);
	KUNIT_EXPECT_EQ(test, p.maxburst, 16U);
}

static void of_rx_defaults(struct kunit *test)
{
	struct dmaxfer_chan_props p;

	prop_u32(test, "dmaxfer,rx-fifo-addr", 0x10000000);
	KUNIT_ASSERT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "rx", &p), 0);
	KUNIT_EXPECT_EQ(test, p.fifo_addr, 0x10000000ULL);
	KUNIT_EXPECT_EQ(test, p.bus_width, 4U);
	KUNIT_EXPECT_EQ(test, p.maxburst, 1U);
}

static void of_fifo_addr_64bit(struct kunit *test)
{
	static const u32 cells[] = { 0x1, 0x20000008 };
	struct dmaxfer_chan_props p;

	prop_u32s(test, "dmaxfer,tx-fifo-addr", cells, 2);
	prop_u32(test, "dmaxfer,tx-bus-width", 8);
	KUNIT_ASSERT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "tx", &p), 0);
	KUNIT_EXPECT_EQ(test, p.fifo_addr, 0x120000008ULL);
	KUNIT_EXPECT_EQ(test, p.bus_width, 8U);
}

static void of_fifo_addr_missing(struct kunit *test)
{
	struct dmaxfer_chan_props p;

	/* An rx address does not make a tx channel. */
	prop_u32(test, "dmaxfer,rx-fifo-addr", 0x1000);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "tx", &p), -EINVAL);
}

static void of_fifo_addr_three_cells(struct kunit *test)
{
	static const u32 cells[] = { 0, 1, 2 };
	struct dmaxfer_chan_props p;

	prop_u32s(test, "dmaxfer,tx-fifo-addr", cells, 3);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "tx", &p), -EINVAL);
}

static void of_bus_width_invalid(struct kunit *test)
{
	struct dmaxfer_chan_props p;

	prop_u32(test, "dmaxfer,tx-fifo-addr", 0x1000);
	prop_u32(test, "dmaxfer,tx-bus-width", 3);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "tx", &p), -EINVAL);
}

static void of_fifo_misaligned_for_width(struct kunit *test)
{
	struct dmaxfer_chan_props p;

	prop_u32(test, "dmaxfer,tx-fifo-addr", 0x1002);
	prop_u32(test, "dmaxfer,tx-bus-width", 4);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "tx", &p), -EINVAL);
}

static void of_maxburst_zero(struct kunit *test)
{
	struct dmaxfer_chan_props p;

	prop_u32(test, "dmaxfer,tx-fifo-addr", 0x1000);
	prop_u32(test, "dmaxfer,tx-maxburst", 0);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "tx", &p), -EINVAL);
}

static void of_maxburst_too_big(struct kunit *test)
{
	struct dmaxfer_chan_props p;

	prop_u32(test, "dmaxfer,tx-fifo-addr", 0x1000);
	prop_u32(test, "dmaxfer,tx-maxburst", 257);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_parse_chan(node_dev(test), "tx", &p), -EINVAL);
}

static void of_dma_names_both(struct kunit *test)
{
	static const char * const names[] = { "tx", "rx" };

	prop_strs(test, "dma-names", names, 2);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_check_dma_names(node_dev(test)), 2);
}

static void of_dma_names_unknown(struct kunit *test)
{
	static const char * const names[] = { "rx", "foo" };

	prop_strs(test, "dma-names", names, 2);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_check_dma_names(node_dev(test)), -EINVAL);
}

static void of_dma_names_absent(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dmaxfer_of_check_dma_names(node_dev(test)), 0);
}

static void of_timeout(struct kunit *test)
{
	prop_u32(test, "dmaxfer,timeout-ms", 250);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_timeout_ms(node_dev(test), 3000), 250U);
}

static void of_timeout_default(struct kunit *test)
{
	struct device *dev = node_dev(test);

	KUNIT_EXPECT_EQ(test, dmaxfer_of_timeout_ms(dev, 3000), 3000U);
}

static void of_timeout_zero_means_default(struct kunit *test)
{
	prop_u32(test, "dmaxfer,timeout-ms", 0);
	KUNIT_EXPECT_EQ(test, dmaxfer_of_timeout_ms(node_dev(test), 1234), 1234U);
}

static struct kunit_case of_cases[] = {
	KUNIT_CASE(of_tx_all_properties),
	KUNIT_CASE(of_rx_defaults),
	KUNIT_CASE(of_fifo_addr_64bit),
	KUNIT_CASE(of_fifo_addr_missing),
	KUNIT_CASE(of_fifo_addr_three_cells),
	KUNIT_CASE(of_bus_width_invalid),
	KUNIT_CASE(of_fifo_misaligned_for_width),
	KUNIT_CASE(of_maxburst_zero),
	KUNIT_CASE(of_maxburst_too_big),
	KUNIT_CASE(of_dma_names_both),
	KUNIT_CASE(of_dma_names_unknown),
	KUNIT_CASE(of_dma_names_absent),
	KUNIT_CASE(of_timeout),
	KUNIT_CASE(of_timeout_default),
	KUNIT_CASE(of_timeout_zero_means_default),
	{}
};

static struct kunit_suite of_suite = {
	.name = "dmaxfer_of",
	.init = of_init,
	.exit = of_exit,
	.test_cases = of_cases,
};

kunit_test_suite(of_suite);
