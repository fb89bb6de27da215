// SPDX-License-Identifier: GPL-2.0
/*
 * dmasim - simulated DMA Engine provider: platform driver and the
 * dmaengine operations. See dmasim.h for the design.
 *
 * Descriptors: prep copies the sg list's DMA addresses into a dmasim_desc
 * (like a hardware descriptor chain) on "allocated", if the channel's pool
 * has one left; tx_submit assigns the cookie and moves it to "submitted"
 * (or, mode submit_fail, frees it and returns an error);
 * issue_pending moves "submitted" to "issued" and kicks the engine, which
 * makes the oldest issued descriptor "active". terminate_all drops them
 * all, with those ended whose callbacks have not run (as virt-dma does),
 * and completes their cookies (so that tx_status reads them as complete)
 * unless the channel's "terminate" mode is in_progress; no callback runs
 * for them. A descriptor is freed after its callback or when terminated;
 * DMA_CTRL_REUSE is not supported.
 */
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/of.h>
#include <linux/of_dma.h>
#include <linux/overflow.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "cookie.h"
#include "dmasim.h"

static unsigned int max_seg_size = SZ_64K;
module_param(max_seg_size, uint, 0444);
MODULE_PARM_DESC(max_seg_size,
		 "Largest sg segment a descriptor accepts, bytes (dma_set_max_seg_size)");

static unsigned int fifo_size = SZ_1M;
module_param(fifo_size, uint, 0444);
MODULE_PARM_DESC(fifo_size,
		 "Bytes in each controller's loopback FIFO (rounded up to a power of 2)");

static bool dmasim_width_ok(enum dma_slave_buswidth w)
{
	return w < BITS_PER_LONG && (DMASIM_BUSWIDTHS & BIT(w));
}

static int dmasim_alloc_chan_resources(struct dma_chan *chan)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	dma_cookie_init(chan);
	memset(&sc->cfg, 0, sizeof(sc->cfg));
	sc->paused = false;
	sc->next = 0;
	spin_unlock_irqrestore(&sc->lock, flags);
	dmasim_cb_reset_cookie(sc);
	return 0;
}

/**
 * dmasim_terminate_all() - drop every descriptor of a channel
 * @chan: the channel
 *
 * Once it returns, no byte moves for the dropped descriptors, and their
 * callbacks are not called, even those of descriptors that had ended. Their
 * cookies read as complete, or (mode terminate = in_progress) stay as they
 * were: in progress, with a residue of 0 since the descriptor is gone,
 * until a later cookie completes. A callback already under way may still
 * run: device_synchronize waits for it. Any context.
 *
 * Return: 0.
 */
static int dmasim_terminate_all(struct dma_chan *chan)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);
	struct dmasim_desc *d, *tmp;
	unsigned long flags;
	LIST_HEAD(head);
	bool complete;

	spin_lock_irqsave(&sc->lock, flags);
	complete = sc->mode.terminate == DMASIM_TERM_COMPLETE;
	if (sc->active) {
		list_add_tail(&sc->active->node, &head);
		sc->active = NULL;
	}
	list_splice_tail_init(&sc->issued, &head);
	list_splice_tail_init(&sc->submitted, &head);
	list_for_each_entry(d, &head, node) {
		if (complete)
			dma_cookie_complete(&d->tx);
		sc->stats.terminated++;
	}
	/* Ended ones: held (cookie not complete yet) and queued (complete). */
	list_for_each_entry(d, &sc->held, node) {
		if (complete)
			dma_cookie_complete(&d->tx);
		sc->stats.terminated++;
	}
	dmasim_cb_splice_locked(sc, &head);
	/* Prepared, never submitted: no cookie. */
	list_splice_tail_init(&sc->allocated, &head);
	sc->paused = false;
	sc->next = 0;
	hrtimer_try_to_cancel(&sc->timer);
	spin_unlock_irqrestore(&sc->lock, flags);

	list_for_each_entry_safe(d, tmp, &head, node) {
		list_del(&d->node);
		dmasim_desc_free(sc, d);
	}
	return 0;
}

/*
 * Terminated descriptors are gone; wait for the callbacks under way, in
 * whichever context they run (callback.c).
 */
static void dmasim_synchronize(struct dma_chan *chan)
{
	dmasim_cb_sync(to_dmasim_chan(chan));
}

static void dmasim_free_chan_resources(struct dma_chan *chan)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);

	dmasim_terminate_all(chan);
	dmasim_engine_stop(sc);
}

static int dmasim_config(struct dma_chan *chan, struct dma_slave_config *cfg)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);
	unsigned long flags;

	/* Unset (UNDEFINED) widths are allowed here; prep needs its side's. */
	if ((cfg->src_addr_width && !dmasim_width_ok(cfg->src_addr_width)) ||
	    (cfg->dst_addr_width && !dmasim_width_ok(cfg->dst_addr_width)))
		return -EINVAL;
	if (cfg->src_maxburst > DMASIM_MAX_BURST ||
	    cfg->dst_maxburst > DMASIM_MAX_BURST)
		return -EINVAL;

	spin_lock_irqsave(&sc->lock, flags);
	sc->cfg = *cfg;
	spin_unlock_irqrestore(&sc->lock, flags);
	return 0;
}

/*
 * A refused submission (mode submit_fail) frees the descriptor here: once
 * submitted it is the provider's, and the client must not touch it again.
 */
static dma_cookie_t dmasim_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct dmasim_chan *sc = to_dmasim_chan(tx->chan);
	struct dmasim_desc *d = to_dmasim_desc(tx);
	dma_cookie_t cookie;
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&sc->lock, flags);
	n = sc->mode.submit_fail;
	if (n)
		WRITE_ONCE(sc->mode.submit_fail, n - 1);
	if (n == 1) {
		list_del(&d->node);
		spin_unlock_irqrestore(&sc->lock, flags);
		dev_dbg(sc->sd->dev, "%s: submission refused (submit_fail)\n",
			dma_chan_name(tx->chan));
		dmasim_desc_free(sc, d);
		return -EBUSY;
	}
	cookie = dma_cookie_assign(tx);
	d->cookie = cookie;
	list_move_tail(&d->node, &sc->submitted);
	spin_unlock_irqrestore(&sc->lock, flags);
	return cookie;
}

/**
 * dmasim_prep_slave_sg() - prepare a descriptor over a mapped sg list
 * @chan: the channel
 * @sgl: the sg list, already mapped for this controller's device
 * @sg_len: number of mapped entries
 * @dir: DMA_MEM_TO_DEV or DMA_DEV_TO_MEM; anything else is refused
 * @flags: DMA_PREP_* / DMA_CTRL_* flags
 * @context: unused
 *
 * Like a real controller, refuses what it could not do: no slave
 * configuration for the device side, an empty entry, an entry above the
 * max segment size, or a total length the device-side bus width does not
 * divide. The memory side has no alignment constraint (the engine packs).
 * Also returns NULL when the channel's descriptor pool (mode pool_size) is
 * empty, as a provider with a fixed descriptor ring does.
 *
 * Return: the descriptor, or NULL. Any context (GFP_NOWAIT).
 */
static struct dma_async_tx_descriptor *
dmasim_prep_slave_sg(struct dma_chan *chan, struct scatterlist *sgl,
		     unsigned int sg_len, enum dma_transfer_direction dir,
		     unsigned long flags, void *context)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);
	struct device *dev = sc->sd->dev;
	unsigned int max_seg = dma_get_max_seg_size(dev);
	enum dma_slave_buswidth width;
	struct scatterlist *sg;
	u32 burst;
	struct dmasim_desc *d;
	unsigned long lflags;
	u64 total = 0;
	unsigned int i;

	if (dir != DMA_MEM_TO_DEV && dir != DMA_DEV_TO_MEM) {
		dev_dbg(dev, "%s: direction %d not supported\n",
			dma_chan_name(chan), dir);
		return NULL;
	}
	if (!sgl || !sg_len)
		return NULL;

	spin_lock_irqsave(&sc->lock, lflags);
	width = dir == DMA_MEM_TO_DEV ? sc->cfg.dst_addr_width :
					sc->cfg.src_addr_width;
	burst = dir == DMA_MEM_TO_DEV ? sc->cfg.dst_maxburst :
					sc->cfg.src_maxburst;
	spin_unlock_irqrestore(&sc->lock, lflags);
	if (!dmasim_width_ok(width)) {
		dev_err_ratelimited(dev, "%s: no slave config with a %s bus width\n",
				    dma_chan_name(chan),
				    dir == DMA_MEM_TO_DEV ? "dst" : "src");
		return NULL;
	}

	if (!dmasim_desc_get(sc)) {
		spin_lock_irqsave(&sc->lock, lflags);
		sc->stats.pool_empty++;
		spin_unlock_irqrestore(&sc->lock, lflags);
		dev_dbg(dev, "%s: descriptor pool empty\n", dma_chan_name(chan));
		return NULL;
	}
	d = kzalloc(struct_size(d, segs, sg_len), GFP_NOWAIT);
	if (!d) {
		dmasim_desc_free(sc, NULL);
		return NULL;
	}
	d->nsegs = sg_len;
	for_each_sg(sgl, sg, sg_len, i) {
		u32 len = sg_dma_len(sg);

		if (!len || len > max_seg) {
			dev_err_ratelimited(dev, "%s: sg entry %u is %u bytes (max segment %u)\n",
					    dma_chan_name(chan), i, len, max_seg);
			goto err;
		}
		d->segs[i].addr = sg_dma_address(sg);
		d->segs[i].len = len;
		total += len;
	}
	if (total > U32_MAX || (u32)total % width) {
		dev_err_ratelimited(dev, "%s: %llu bytes: above 4 GiB or not a multiple of the %u-byte bus width\n",
				    dma_chan_name(chan), total, width);
		goto err;
	}
	d->dir = dir;
	d->len = total;
	d->burst = width * max(burst, 1U);
	dma_async_tx_descriptor_init(&d->tx, chan);
	d->tx.flags = flags;
	d->tx.tx_submit = dmasim_tx_submit;
	spin_lock_irqsave(&sc->lock, lflags);
	list_add_tail(&d->node, &sc->allocated);
	spin_unlock_irqrestore(&sc->lock, lflags);
	return &d->tx;

err:
	dmasim_desc_free(sc, d);
	return NULL;
}

static void dmasim_issue_pending(struct dma_chan *chan)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	list_splice_tail_init(&sc->submitted, &sc->issued);
	spin_unlock_irqrestore(&sc->lock, flags);
	dmasim_engine_kick(sc);
}

/* What a granularity lets the residue of @d say; lock held. */
static u32 dmasim_desc_residue(struct dmasim_chan *sc, struct dmasim_desc *d)
{
	switch (sc->mode.residue) {
	case DMA_RESIDUE_GRANULARITY_DESCRIPTOR:
		return 0;	/* left as dma_cookie_status() set it */
	case DMA_RESIDUE_GRANULARITY_SEGMENT:
		return d->len - (d->moved - d->seg_off);
	default:
		if (d->moved == d->len)
			return 0;
		return d->len - rounddown(d->moved, d->burst);
	}
}

static struct dmasim_desc *dmasim_find(struct list_head *list, dma_cookie_t cookie)
{
	struct dmasim_desc *d;

	list_for_each_entry(d, list, node)
		if (d->tx.cookie == cookie)
			return d;
	return NULL;
}

/*
 * Bytes not yet moved of @cookie; lock held, cookie not complete. A cookie
 * of no descriptor (terminated, with mode terminate = in_progress) reads 0.
 */
static u32 dmasim_residue(struct dmasim_chan *sc, dma_cookie_t cookie)
{
	struct dmasim_desc *d = sc->active;

	if (!d || d->tx.cookie != cookie)
		d = dmasim_find(&sc->held, cookie);
	if (!d)
		d = dmasim_find(&sc->issued, cookie);
	if (!d)
		d = dmasim_find(&sc->submitted, cookie);
	return d ? dmasim_desc_residue(sc, d) : 0;
}

/**
 * dmasim_tx_status() - state and residue of a cookie
 * @chan: the channel
 * @cookie: the transfer
 * @state: filled with the cookies and the residue, may be NULL
 *
 * The residue of a cookie not complete follows the channel's residue mode:
 * BURST (the default): the bytes not moved, less the partial burst moved
 * (bursts of the device side's width times maxburst); SEGMENT: the bytes
 * of the segments not wholly moved; DESCRIPTOR: 0, whatever moved, as
 * providers that leave the residue to dma_cookie_status() report.
 *
 * Return: DMA_COMPLETE, DMA_IN_PROGRESS, or DMA_PAUSED for a transfer not
 * complete on a paused channel.
 */
static enum dma_status dmasim_tx_status(struct dma_chan *chan,
					dma_cookie_t cookie,
					struct dma_tx_state *state)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);
	enum dma_status status;
	unsigned long flags;
	u32 residue = 0;

	spin_lock_irqsave(&sc->lock, flags);
	status = dma_cookie_status(chan, cookie, state);
	if (status != DMA_COMPLETE) {
		residue = dmasim_residue(sc, cookie);
		if (sc->paused)
			status = DMA_PAUSED;
	}
	spin_unlock_irqrestore(&sc->lock, flags);
	dma_set_residue(state, residue);
	return status;
}

static int dmasim_pause(struct dma_chan *chan)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);
	unsigned long flags;

	/* The engine moves with the lock held: nothing moves after this. */
	spin_lock_irqsave(&sc->lock, flags);
	sc->paused = true;
	spin_unlock_irqrestore(&sc->lock, flags);
	return 0;
}

static int dmasim_resume(struct dma_chan *chan)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	sc->paused = false;
	spin_unlock_irqrestore(&sc->lock, flags);
	dmasim_engine_kick(sc);
	return 0;
}

/* Per-channel slave caps: the residue granularity follows the mode. */
static void dmasim_device_caps(struct dma_chan *chan, struct dma_slave_caps *caps)
{
	struct dmasim_chan *sc = to_dmasim_chan(chan);

	caps->residue_granularity = READ_ONCE(sc->mode.residue);
}

static void dmasim_destroy_wq(void *data)
{
	destroy_workqueue(data);
}

/* Runs after the dmaengine device is unregistered, before the wq goes. */
static void dmasim_stop_all(void *data)
{
	struct dmasim_dev *sd = data;
	unsigned int i;

	for (i = 0; i < sd->nr_chans; i++)
		dmasim_terminate_all(&sd->chans[i].chan);
	for (i = 0; i < sd->nr_chans; i++)
		dmasim_engine_stop(&sd->chans[i]);
}

static void dmasim_of_dma_free(void *data)
{
	of_dma_controller_free(data);
}

static void dmasim_init_dma_device(struct dmasim_dev *sd)
{
	struct dma_device *dma = &sd->dma;
	unsigned int i;

	dma->dev = sd->dev;
	INIT_LIST_HEAD(&dma->channels);
	dma_cap_set(DMA_SLAVE, dma->cap_mask);
	dma_cap_set(DMA_PRIVATE, dma->cap_mask);
	dma->directions = BIT(DMA_MEM_TO_DEV) | BIT(DMA_DEV_TO_MEM);
	dma->src_addr_widths = DMASIM_BUSWIDTHS;
	dma->dst_addr_widths = DMASIM_BUSWIDTHS;
	dma->residue_granularity = DMA_RESIDUE_GRANULARITY_BURST;
	dma->max_burst = DMASIM_MAX_BURST;
	dma->max_sg_burst = 0;

	dma->device_alloc_chan_resources = dmasim_alloc_chan_resources;
	dma->device_free_chan_resources = dmasim_free_chan_resources;
	dma->device_prep_slave_sg = dmasim_prep_slave_sg;
	dma->device_config = dmasim_config;
	dma->device_pause = dmasim_pause;
	dma->device_resume = dmasim_resume;
	dma->device_terminate_all = dmasim_terminate_all;
	dma->device_synchronize = dmasim_synchronize;
	dma->device_tx_status = dmasim_tx_status;
	dma->device_issue_pending = dmasim_issue_pending;
	dma->device_caps = dmasim_device_caps;

	for (i = 0; i < sd->nr_chans; i++) {
		struct dmasim_chan *sc = &sd->chans[i];

		sc->sd = sd;
		spin_lock_init(&sc->lock);
		INIT_LIST_HEAD(&sc->allocated);
		INIT_LIST_HEAD(&sc->submitted);
		INIT_LIST_HEAD(&sc->issued);
		dmasim_engine_init(sc);
		dmasim_cb_init(sc);
		dmasim_modes_init(sc);
		sc->chan.device = dma;
		dma_cookie_init(&sc->chan);
		/* Registration numbers the channels in list order: chan_id = i. */
		list_add_tail(&sc->chan.device_node, &dma->channels);
	}
}

static int dmasim_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct dmasim_dev *sd;
	u32 nr = 4;
	int ret;

	ret = device_property_read_u32(dev, "dma-channels", &nr);
	if (ret && ret != -EINVAL)
		return dev_err_probe(dev, ret, "dma-channels: cannot read a u32\n");
	if (!nr || nr > DMASIM_MAX_CHANS)
		return dev_err_probe(dev, -EINVAL, "dma-channels = %u: must be 1 to %u\n",
				     nr, DMASIM_MAX_CHANS);
	if (!max_seg_size)
		return dev_err_probe(dev, -EINVAL, "max_seg_size must not be 0\n");

	sd = devm_kzalloc(dev, struct_size(sd, chans, nr), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->nr_chans = nr;
	sd->dev = dev;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return dev_err_probe(dev, ret, "cannot set a 64-bit DMA mask\n");
	dma_set_max_seg_size(dev, max_seg_size);

	ret = dmasim_fifo_init(sd, fifo_size);
	if (ret)
		return dev_err_probe(dev, ret, "cannot allocate a %u-byte FIFO\n",
				     fifo_size);

	sd->wq = alloc_workqueue("dmasim/%s", WQ_UNBOUND, 0, dev_name(dev));
	if (!sd->wq)
		return -ENOMEM;
	ret = devm_add_action_or_reset(dev, dmasim_destroy_wq, sd->wq);
	if (ret)
		return ret;

	dmasim_init_dma_device(sd);
	ret = devm_add_action_or_reset(dev, dmasim_stop_all, sd);
	if (ret)
		return ret;
	ret = dmaenginem_async_device_register(&sd->dma);
	if (ret)
		return dev_err_probe(dev, ret, "cannot register the DMA device\n");

	ret = of_dma_controller_register(dev->of_node, of_dma_xlate_by_chan_id,
					 &sd->dma);
	if (ret)
		return dev_err_probe(dev, ret, "cannot register the OF DMA controller\n");
	ret = devm_add_action_or_reset(dev, dmasim_of_dma_free, dev->of_node);
	if (ret)
		return ret;

	/* Debugfs is a convenience: the controller works without it. */
	ret = dmasim_debugfs_add(sd);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, sd);
	dev_info(dev, "%u channels, %u-byte loopback FIFO, max segment %u\n",
		 nr, kfifo_size(&sd->fifo), max_seg_size);
	return 0;
}

static const struct of_device_id dmasim_of_match[] = {
	{ .compatible = "dmaxfer,dmasim" },
	{ }
};
MODULE_DEVICE_TABLE(of, dmasim_of_match);

static struct platform_driver dmasim_driver = {
	.probe = dmasim_probe,
	.driver = {
		.name = "dmasim",
		.of_match_table = dmasim_of_match,
	},
};

static int __init dmasim_init(void)
{
	int ret;

	/* As dmaxfer: bound by device tree only, and DMA_OF needs OF. */
	if (!IS_ENABLED(CONFIG_OF))
		pr_warn("dmasim: this kernel has no device tree (CONFIG_OF=n): no device will bind\n");
	dmasim_debugfs_init();
	ret = platform_driver_register(&dmasim_driver);
	if (ret)
		dmasim_debugfs_exit();
	return ret;
}
module_init(dmasim_init);

static void __exit dmasim_exit(void)
{
	platform_driver_unregister(&dmasim_driver);
	dmasim_debugfs_exit();
}
module_exit(dmasim_exit);

MODULE_DESCRIPTION("Simulated DMA Engine provider with a loopback FIFO");
MODULE_AUTHOR("The dmaxfer developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(DMAXFER_VERSION);
