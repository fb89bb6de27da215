// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - ioctl dispatch and the small ioctls (INFO, BUF_*, SYNC).
 *
 * The struct size is taken from the command, as <linux/dma-heap.h> does,
 * so that structs can grow: every size from a struct's first published
 * size up is accepted. copy_struct_from_user() zero-extends a shorter
 * struct and refuses a longer one whose extra bytes are not zero (-E2BIG);
 * only the caller's bytes are written back. Below the first published
 * size is -EINVAL. Every reserved field must be zero, so that it can gain
 * a meaning later.
 */
#include <linux/dmaengine.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/nospec.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/dmaxfer.h>

#include "dmaxfer.h"

union dmaxfer_ioc_arg {
	struct dmaxfer_chan_info info;
	struct dmaxfer_buf_alloc alloc;
	struct dmaxfer_buf_free free;
	struct dmaxfer_xfer_req req;
	struct dmaxfer_completion comp;
	struct dmaxfer_sync sync;
	struct dmaxfer_submit_batch sbatch;
	/* Kernel-only: WAIT's record stays held until it was copied out. */
	struct {
		struct dmaxfer_completion comp;
		struct dmaxfer_async *held;
	} wait;
	/* Kernel-only: so do WAIT_BATCH's, until the count was. */
	struct {
		struct dmaxfer_wait_batch wb;
		struct dmaxfer_async **held;
		unsigned int nheld;
	} wbatch;
};

/**
 * dmaxfer_widths_to_abi() - translate dmaengine address widths for INFO
 * @caps: dmaengine's mask, bit n set for a width of n bytes
 *
 * A u32 mask can only hold widths up to 31 bytes, so of the power-of-two
 * widths 1 to 16 bytes are representable; 3 bytes has no ABI bit and is
 * dropped, as is every other bit.
 *
 * Return: the ABI's mask, bit n set for a width of 2^n bytes.
 */
u32 dmaxfer_widths_to_abi(u32 caps)
{
	u32 out = 0;
	unsigned int bytes;

	for (bytes = 1; bytes < 32; bytes <<= 1)
		if (caps & BIT(bytes))
			out |= BIT(ilog2(bytes));
	return out;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_widths_to_abi);

static int dmaxfer_ioc_info(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg)
{
	struct dmaxfer_chan_info *in = &arg->info;
	struct dmaxfer_chan *xc;
	u32 chan = in->chan;

	if (chan >= DMAXFER_NR_DIRS || in->reserved0 || !ZEROED(in->reserved))
		return -EINVAL;
	memset(in, 0, sizeof(*in));
	in->chan = chan;
	in->abi_version = DMAXFER_ABI_VERSION;
	xc = f->xd->chans[array_index_nospec(chan, DMAXFER_NR_DIRS)];
	if (!xc)
		return 0;

	in->flags = DMAXFER_INFO_PRESENT;
	if (xc->caps.cmd_pause)
		in->flags |= DMAXFER_INFO_PAUSE;
	in->bus_width = xc->props.bus_width;
	in->maxburst = xc->props.maxburst;
	in->addr_widths = dmaxfer_widths_to_abi(chan == DMAXFER_TX ?
						xc->caps.dst_addr_widths :
						xc->caps.src_addr_widths);
	in->max_burst = xc->caps.max_burst;
	in->max_seg_size = dmaxfer_chan_max_seg(xc);
	switch (xc->caps.residue_granularity) {
	case DMA_RESIDUE_GRANULARITY_BURST:
		in->residue_granularity = DMAXFER_RESIDUE_BURST;
		break;
	case DMA_RESIDUE_GRANULARITY_SEGMENT:
		in->residue_granularity = DMAXFER_RESIDUE_SEGMENT;
		break;
	default:
		in->residue_granularity = DMAXFER_RESIDUE_DESCRIPTOR;
	}
	in->timeout_ms = READ_ONCE(f->xd->timeout_ms);
	in->max_xfer_len = DMAXFER_MAX_XFER;
	in->queue_depth = dmaxfer_depth();
	in->rx_align = dmaxfer_rx_align(xc);
	strscpy(in->dma_chan, dma_chan_name(xc->chan), sizeof(in->dma_chan));
	return 0;
}

static int dmaxfer_ioc_alloc(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg)
{
	struct dmaxfer_buf_alloc *a = &arg->alloc;
	struct dmaxfer_chan *xc;

	if (a->chan >= DMAXFER_NR_DIRS || a->flags || a->reserved0 ||
	    !ZEROED(a->reserved) || !a->length)
		return -EINVAL;
	xc = f->xd->chans[array_index_nospec(a->chan, DMAXFER_NR_DIRS)];
	if (!xc)
		return -ENODEV;
	if (a->length > DMAXFER_MAX_XFER)
		return -E2BIG;
	return dmaxfer_pool_alloc(f, xc, a->length, &a->id, &a->mmap_offset);
}

static int dmaxfer_ioc_free(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg)
{
	struct dmaxfer_buf_free *fr = &arg->free;

	if (fr->flags || !ZEROED(fr->reserved))
		return -EINVAL;
	return dmaxfer_pool_free(f, fr->id);
}

static int dmaxfer_ioc_submit(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg)
{
	struct dmaxfer_xfer_req *req = &arg->req;

	if (req->reserved0 || !ZEROED(req->reserved))
		return -EINVAL;
	return dmaxfer_async_submit(f, req);
}

static int dmaxfer_ioc_wait(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg)
{
	arg->wait.held = NULL;
	if (!ZEROED(arg->wait.comp.reserved))
		return -EINVAL;
	return dmaxfer_async_wait(f, &arg->wait.comp, &arg->wait.held);
}

static void dmaxfer_ioc_wait_end(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg,
				 bool delivered)
{
	dmaxfer_async_wait_end(f, arg->wait.held, delivered);
}

static int dmaxfer_ioc_submit_batch(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg)
{
	return dmaxfer_batch_submit(f, &arg->sbatch);
}

static int dmaxfer_ioc_wait_batch(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg)
{
	return dmaxfer_batch_wait(f, &arg->wbatch.wb, &arg->wbatch.held, &arg->wbatch.nheld);
}

static void dmaxfer_ioc_wait_batch_end(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg,
				       bool delivered)
{
	dmaxfer_batch_wait_end(f, arg->wbatch.held, arg->wbatch.wb.count, arg->wbatch.nheld,
			       delivered);
}

static int dmaxfer_ioc_sync(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg)
{
	const u32 valid = DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE | DMAXFER_SYNC_END;
	struct dmaxfer_sync *s = &arg->sync;
	struct dmaxfer_buf *b;
	int ret = 0;

	if (s->flags & ~valid || !(s->flags & (DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE)) ||
	    !ZEROED(s->reserved) || !s->length)
		return -EINVAL;
	b = dmaxfer_buf_get(f, s->buf_id);
	if (!b)
		return -ENOENT;
	/* Within the length the user asked for, not the rounded-up pages. */
	if (s->offset > b->len || s->length > b->len - s->offset) {
		ret = -EINVAL;
	} else if (s->flags & DMAXFER_SYNC_END) {
		/* CPU writes done: make them visible before the device reads. */
		dma_wmb();
	} else {
		/* CPU access begins: order it after the device's writes. */
		dma_rmb();
	}
	dmaxfer_buf_put(b);
	return ret;
}

/**
 * struct dmaxfer_ioc - one ioctl
 * @cmd: the command, with the current struct size
 * @size0: the struct's first published size: the smallest accepted
 * @fn: the handler
 * @after_unbind: also runs once the device has unbound (it only gives
 *	back what the file holds)
 * @end: after a successful @fn, told whether the result reached user
 *	space, so that what it hands out is not lost when it did not
 */
struct dmaxfer_ioc {
	unsigned int cmd;
	unsigned int size0;
	int (*fn)(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg);
	bool after_unbind;
	void (*end)(struct dmaxfer_file *f, union dmaxfer_ioc_arg *arg, bool delivered);
};

static const struct dmaxfer_ioc dmaxfer_iocs[] = {
	{ DMAXFER_IOC_INFO, DMAXFER_CHAN_INFO_SIZE_VER0, dmaxfer_ioc_info },
	{ DMAXFER_IOC_BUF_ALLOC, DMAXFER_BUF_ALLOC_SIZE_VER0, dmaxfer_ioc_alloc },
	{ DMAXFER_IOC_BUF_FREE, DMAXFER_BUF_FREE_SIZE_VER0, dmaxfer_ioc_free, true },
	{ DMAXFER_IOC_SUBMIT, DMAXFER_XFER_REQ_SIZE_VER0, dmaxfer_ioc_submit },
	{ DMAXFER_IOC_WAIT, DMAXFER_COMPLETION_SIZE_VER0, dmaxfer_ioc_wait, true,
	  dmaxfer_ioc_wait_end },
	{ DMAXFER_IOC_SYNC, DMAXFER_SYNC_SIZE_VER0, dmaxfer_ioc_sync },
	{ DMAXFER_IOC_SUBMIT_BATCH, DMAXFER_SUBMIT_BATCH_SIZE_VER0, dmaxfer_ioc_submit_batch },
	{ DMAXFER_IOC_WAIT_BATCH, DMAXFER_WAIT_BATCH_SIZE_VER0, dmaxfer_ioc_wait_batch, true,
	  dmaxfer_ioc_wait_batch_end },
};

/**
 * dmaxfer_ioctl() - the ioctls of <uapi/linux/dmaxfer.h>
 * @file: the open file
 * @cmd: command; its size field gives the caller's struct size
 * @arg: user pointer to the struct
 *
 * Return: 0 or a negative errno, as documented in the UAPI header.
 */
long dmaxfer_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dmaxfer_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;
	unsigned int nr = _IOC_NR(cmd), usize = _IOC_SIZE(cmd);
	const struct dmaxfer_ioc *ioc;
	union dmaxfer_ioc_arg k;
	unsigned int ksize, osize;
	int ret;

	if (_IOC_TYPE(cmd) != DMAXFER_IOC_MAGIC || nr >= ARRAY_SIZE(dmaxfer_iocs))
		return -ENOTTY;
	ioc = &dmaxfer_iocs[array_index_nospec(nr, ARRAY_SIZE(dmaxfer_iocs))];
	if (_IOC_DIR(cmd) != _IOC_DIR(ioc->cmd))
		return -ENOTTY;
	ksize = _IOC_SIZE(ioc->cmd);
	if (usize < ioc->size0)
		return -EINVAL;
	ret = copy_struct_from_user(&k, ksize, uarg, usize);
	if (ret)
		return ret;
	/* What is written back: the caller's bytes, of those the kernel knows. */
	osize = min(usize, ksize);
	/*
	 * The result must be deliverable before anything starts: a SUBMIT
	 * whose id cannot be returned must not run. Writing the argument
	 * back unchanged proves the memory writable.
	 */
	if ((_IOC_DIR(cmd) & _IOC_READ) && copy_to_user(uarg, &k, osize))
		return -EFAULT;

	if (ioc->after_unbind) {
		/* Nothing here reaches the channels but through io_lock. */
		ret = ioc->fn(f, &k);
	} else {
		down_read(&f->xd->rwsem);
		ret = f->xd->dead ? -ENODEV : ioc->fn(f, &k);
		up_read(&f->xd->rwsem);
	}
	if (ret)
		return ret;
	/*
	 * A SUBMIT whose id could not be written back still runs: its
	 * record comes through WAIT_ANY.
	 */
	if ((_IOC_DIR(cmd) & _IOC_READ) && copy_to_user(uarg, &k, osize))
		ret = -EFAULT;
	if (ioc->end)
		ioc->end(f, &k, !ret);
	return ret;
}
