// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - a DMA Engine slave client that moves data between memory and a
 * peripheral FIFO, bound by device tree.
 *
 * Probe: check the node, hold its clocks, request the "tx" and/or "rx"
 * channels, check the controller's caps against the node and configure the
 * channels, then create /dev/dmaxfer<id>. Everything is device-managed, so
 * every error path and unbind unwind in reverse order.
 */
#include <linux/clk.h>
#include <linux/dmaengine.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/property.h>
#include <linux/slab.h>

#include "dmaxfer.h"

static unsigned int timeout_ms = 3000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms,
		 "Per-transfer timeout in ms, unless the node sets dmaxfer,timeout-ms");

static DEFINE_IDA(dmaxfer_ida);

static const char *const dmaxfer_chan_names[DMAXFER_NR_DIRS] = {
	[DMAXFER_TX] = "tx",
	[DMAXFER_RX] = "rx",
};

static void dmaxfer_dev_release(struct kref *ref)
{
	struct dmaxfer_dev *xd = container_of(ref, struct dmaxfer_dev, ref);
	int d;

	for (d = 0; d < DMAXFER_NR_DIRS; d++)
		if (xd->chans[d])
			put_device(xd->chans[d]->dma_dev);
	kfree(xd);
}

/**
 * dmaxfer_dev_put() - drop a reference to a device
 * @xd: the device; freed with the last reference
 */
void dmaxfer_dev_put(struct dmaxfer_dev *xd)
{
	kref_put(&xd->ref, dmaxfer_dev_release);
}

static void dmaxfer_put_action(void *data)
{
	dmaxfer_dev_put(data);
}

static void dmaxfer_ida_action(void *data)
{
	struct dmaxfer_dev *xd = data;

	ida_free(&dmaxfer_ida, xd->id);
}

static void dmaxfer_kick_action(void *data)
{
	struct dmaxfer_dev *xd = data;
	int d;

	for (d = 0; d < DMAXFER_NR_DIRS; d++)
		if (xd->chans[d])
			dmaxfer_chan_kick(xd->chans[d]);
}

static void dmaxfer_chan_release(void *data)
{
	struct dmaxfer_chan *xc = data;

	/*
	 * Unbind ended the transfers in flight already (cdev.c); this is for
	 * a probe that failed after the channel was requested.
	 */
	dmaxfer_chan_end(xc);
	dma_release_channel(xc->chan);
}

/* Request, check and configure the channel of direction @d, if listed. */
static int dmaxfer_probe_chan(struct dmaxfer_dev *xd, enum dmaxfer_dir d)
{
	struct device *dev = xd->dev;
	const char *name = dmaxfer_chan_names[d];
	struct dmaxfer_chan *xc;
	int ret;

	if (device_property_match_string(dev, "dma-names", name) < 0)
		return 0;

	/* Embedded in xd: open files keep it alive after unbind. */
	xc = &xd->chan_store[d];
	dmaxfer_chan_init(xc, xd, d);

	/* Before the channel: a bad node should not hold a channel. */
	ret = dmaxfer_of_parse_chan(dev, name, &xc->props);
	if (ret)
		return ret;

	xc->chan = dma_request_chan(dev, name);
	if (IS_ERR(xc->chan))
		return dev_err_probe(dev, PTR_ERR(xc->chan),
				     "%s: cannot get DMA channel\n", name);
	ret = devm_add_action_or_reset(dev, dmaxfer_chan_release, xc);
	if (ret)
		return ret;

	ret = dmaxfer_chan_setup(xc);
	if (ret)
		return ret;
	/*
	 * The controller must outlive its client, in unbind and in system
	 * sleep: unbinding the controller unbinds this device first, this
	 * device suspends before it and resumes after it, and it is probed
	 * again when the controller comes back. A managed link stays until
	 * either device goes; adding it again at the next probe finds it.
	 */
	if (!device_link_add(dev, xc->dma_dev, DL_FLAG_AUTOPROBE_CONSUMER))
		return dev_err_probe(dev, -EINVAL, "%s: cannot link to %s\n",
				     name, dev_name(xc->dma_dev));
	/* Files may unmap after unbind: keep the DMA device's struct. */
	get_device(xc->dma_dev);
	xd->chans[d] = xc;
	return 0;
}

static int dmaxfer_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct clk_bulk_data *clks;
	struct dmaxfer_dev *xd;
	int ret, d;

	xd = kzalloc(sizeof(*xd), GFP_KERNEL);
	if (!xd)
		return -ENOMEM;
	kref_init(&xd->ref);
	init_rwsem(&xd->rwsem);
	mutex_init(&xd->files_lock);
	INIT_LIST_HEAD(&xd->files);
	INIT_LIST_HEAD(&xd->bufs);
	INIT_LIST_HEAD(&xd->mappers);
	xd->dev = dev;
	ret = devm_add_action_or_reset(dev, dmaxfer_put_action, xd);
	if (ret)
		return ret;

	if (!device_property_present(dev, "dmas"))
		return dev_err_probe(dev, -EINVAL, "missing required property dmas\n");
	ret = dmaxfer_of_check_dma_names(dev);
	if (ret < 0)
		return ret;
	if (!ret)
		return dev_err_probe(dev, -EINVAL,
				     "missing dma-names: need \"tx\" and/or \"rx\"\n");

	/* The peripheral's clocks, so that its FIFO is alive while we move data. */
	ret = devm_clk_bulk_get_all_enabled(dev, &clks);
	if (ret < 0)
		return dev_err_probe(dev, ret, "cannot enable clocks\n");

	xd->timeout_ms = dmaxfer_of_timeout_ms(dev, timeout_ms);

	for (d = 0; d < DMAXFER_NR_DIRS; d++) {
		ret = dmaxfer_probe_chan(xd, d);
		if (ret)
			return ret;
	}

	ret = ida_alloc(&dmaxfer_ida, GFP_KERNEL);
	if (ret < 0)
		return ret;
	xd->id = ret;
	ret = devm_add_action_or_reset(dev, dmaxfer_ida_action, xd);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, xd);
	ret = dmaxfer_cdev_register(xd);
	if (ret)
		return dev_err_probe(dev, ret, "cannot register the char device\n");
	if (IS_ENABLED(CONFIG_DEBUG_FS)) {
		ret = dmaxfer_debugfs_add(xd);
		if (ret)
			return ret;
	}
	/* Last, so that it runs first at unbind: streams and benches give up. */
	ret = devm_add_action_or_reset(dev, dmaxfer_kick_action, xd);
	if (ret)
		return ret;

	for (d = 0; d < DMAXFER_NR_DIRS; d++) {
		struct dmaxfer_chan *xc = xd->chans[d];

		if (xc)
			dev_info(dev, "%s: %s %s %#llx, %u-byte bus, burst %u, max segment %u\n",
				 xd->name, xc->name, dma_chan_name(xc->chan),
				 xc->props.fifo_addr, xc->props.bus_width,
				 xc->props.maxburst, dmaxfer_chan_max_seg(xc));
	}
	return 0;
}

/*
 * System sleep: the channels are paused, so that transfers and streams in
 * flight stop where they are and go on after resume, rather than run into
 * a controller that is suspending (the device link makes it suspend after
 * this device and resume before it). jiffies do not advance while the
 * system sleeps, so the deadlines of the paused transfers are kept. A
 * controller that cannot pause is left to finish what it runs; what its
 * own suspend does to transfers in flight then ends them with the status
 * it reports (their records say so).
 */
static int dmaxfer_suspend(struct device *dev)
{
	struct dmaxfer_dev *xd = dev_get_drvdata(dev);
	int d, ret;

	for (d = 0; d < DMAXFER_NR_DIRS; d++) {
		struct dmaxfer_chan *xc = xd->chans[d];

		/*
		 * Only where the controller can resume too: pl330's "pause"
		 * kills the channel, and its transfers would never restart.
		 */
		if (!xc)
			continue;
		xc->sleep_paused = false;
		if (!xc->caps.cmd_pause || !xc->caps.cmd_resume)
			continue;
		ret = dmaengine_pause(xc->chan);
		if (ret)
			dev_warn(dev, "%s: pause for suspend failed (%d)\n",
				 xc->name, ret);
		else
			xc->sleep_paused = true;
	}
	return 0;
}

static int dmaxfer_resume(struct device *dev)
{
	struct dmaxfer_dev *xd = dev_get_drvdata(dev);
	int d, ret;

	for (d = 0; d < DMAXFER_NR_DIRS; d++) {
		struct dmaxfer_chan *xc = xd->chans[d];

		/* Resuming a channel that is not paused is not allowed. */
		if (!xc || !xc->sleep_paused)
			continue;
		xc->sleep_paused = false;
		ret = dmaengine_resume(xc->chan);
		if (ret)
			dev_warn(dev, "%s: resume failed (%d)\n", xc->name, ret);
	}
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(dmaxfer_pm_ops, dmaxfer_suspend, dmaxfer_resume);

static const struct of_device_id dmaxfer_of_match[] = {
	{ .compatible = "dmaxfer,slave-dma-client" },
	{ }
};
MODULE_DEVICE_TABLE(of, dmaxfer_of_match);

static struct platform_driver dmaxfer_driver = {
	.probe = dmaxfer_probe,
	.driver = {
		.name = "dmaxfer",
		.of_match_table = dmaxfer_of_match,
		.dev_groups = dmaxfer_groups,
		.pm = pm_sleep_ptr(&dmaxfer_pm_ops),
	},
};

static int __init dmaxfer_init(void)
{
	int ret;

	/*
	 * Nodes are matched by compatible only (of_match_table): without a
	 * device tree nothing binds, and loading should not look as if it
	 * had worked.
	 */
	if (!IS_ENABLED(CONFIG_OF))
		pr_warn("dmaxfer: this kernel has no device tree (CONFIG_OF=n): no device will bind\n");
	ret = dmaxfer_wq_init();
	if (ret)
		return ret;
	if (IS_ENABLED(CONFIG_DEBUG_FS))
		dmaxfer_debugfs_init();
	ret = platform_driver_register(&dmaxfer_driver);
	if (ret) {
		if (IS_ENABLED(CONFIG_DEBUG_FS))
			dmaxfer_debugfs_exit();
		dmaxfer_wq_exit();
	}
	return ret;
}
module_init(dmaxfer_init);

static void __exit dmaxfer_exit(void)
{
	platform_driver_unregister(&dmaxfer_driver);
	/* After the unbinds: closed files' workers have nothing left to wait for. */
	dmaxfer_wq_exit();
	if (IS_ENABLED(CONFIG_DEBUG_FS))
		dmaxfer_debugfs_exit();
}
module_exit(dmaxfer_exit);

MODULE_DESCRIPTION("DMA Engine slave client between memory and a peripheral FIFO");
MODULE_AUTHOR("The dmaxfer developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(DMAXFER_VERSION);
