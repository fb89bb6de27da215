// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - the memory of an asynchronous transfer: the user's own pages,
 * pinned for as long as the DMA runs (zero-copy), or a range of one of the
 * file's coherent pool buffers; and the checks of a request against its
 * channel.
 *
 * Pins outlive the syscall, so they are FOLL_LONGTERM: the kernel then
 * refuses writable pins of file-backed mappings (EFAULT), so a zero-copy
 * rx into an mmap()ed regular file is refused; anonymous, shmem and
 * hugetlb memory are fine. They are charged to RLIMIT_MEMLOCK (limits.c).
 */
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/dmaxfer.h>

#include "dmaxfer.h"
#include "async.h"

/* Free everything a transfer holds; it is on no list and not in flight. */
void dmaxfer_async_free(struct dmaxfer_async *a)
{
	bool rx = a->d == DMAXFER_RX;

	dmaxfer_xfer_unmap(&a->x);
	dmaxfer_xfer_fini(&a->x);
	if (a->pages) {
		/* The device wrote into rx pages: tell the mm they are dirty. */
		unpin_user_pages_dirty_lock(a->pages, a->npages, rx);
		kvfree(a->pages);
		dmaxfer_pin_uncharge(a->mm, a->npages);
		mmdrop(a->mm);
	}
	if (a->buf) {
		unsigned long flags;

		spin_lock_irqsave(&a->f->lock, flags);
		a->buf->users--;
		spin_unlock_irqrestore(&a->f->lock, flags);
		dmaxfer_buf_put(a->buf);
	}
	kfree(a);
}

/**
 * dmaxfer_rx_align() - alignment of both ends of an rx zero-copy buffer
 * @xc: the channel
 *
 * On a device that is not DMA-coherent the CPU's cache lines that the
 * buffer shares with its neighbours are invalidated when the transfer
 * ends: CPU writes to the rest of such a line while the DMA runs would be
 * lost, so both ends must lie on a cache line boundary. Coherent devices
 * only need the bus width.
 *
 * Return: the alignment in bytes, a power of two.
 */
unsigned int dmaxfer_rx_align(struct dmaxfer_chan *xc)
{
	unsigned int align = xc->props.bus_width;

	if (!dev_is_dma_coherent(xc->dma_dev))
		align = max(align, (unsigned int)dma_get_cache_alignment());
	return align;
}

/* Pin the user's pages for a zero-copy transfer and build its table. */
int dmaxfer_async_pin(struct dmaxfer_async *a, struct dmaxfer_chan *xc,
		      u64 uptr, size_t len)
{
	unsigned long start = uptr & PAGE_MASK;
	unsigned int off = offset_in_page(uptr);
	/* The pages stay pinned after the syscall returns. */
	unsigned int gup = FOLL_LONGTERM | (a->d == DMAXFER_RX ? FOLL_WRITE : 0);
	int n, ret;

	if (!uptr || uptr != (unsigned long)uptr || !access_ok(u64_to_user_ptr(uptr), len))
		return -EFAULT;
	a->npages = DIV_ROUND_UP(off + len, PAGE_SIZE);
	ret = dmaxfer_pin_charge(current->mm, a->npages);
	if (ret)
		return ret;
	a->mm = current->mm;
	mmgrab(a->mm);
	a->pages = kvmalloc_array(a->npages, sizeof(*a->pages), GFP_KERNEL);
	if (!a->pages) {
		ret = -ENOMEM;
		goto uncharge;
	}
	/*
	 * GUP stops short at the first page it cannot pin and says why only
	 * when it pins nothing: go on from there until done or an error.
	 */
	for (n = 0; n < a->npages; n += ret) {
		ret = pin_user_pages_fast(start + ((unsigned long)n << PAGE_SHIFT),
					  a->npages - n, gup, &a->pages[n]);
		if (ret <= 0)
			break;
	}
	if (n < a->npages) {
		if (n)
			unpin_user_pages(a->pages, n);
		n = ret < 0 ? ret : -EFAULT;
	}
	if (n != a->npages) {
		/* Unmapped, read-only, PFN-mapped (a pool mapping), file-backed rx. */
		ret = n < 0 && n != -EFAULT ? n : -EFAULT;
		goto free;
	}
	ret = dmaxfer_xfer_init(&a->x, xc, a->pages, a->npages, off, len);
	if (!ret)
		return 0;
	unpin_user_pages(a->pages, a->npages);
free:
	kvfree(a->pages);
	a->pages = NULL;
uncharge:
	dmaxfer_pin_uncharge(current->mm, a->npages);
	if (a->mm)
		mmdrop(a->mm);
	a->mm = NULL;
	return ret;
}

/* The pool buffer range of a transfer, checked, and its table. */
int dmaxfer_async_pool(struct dmaxfer_async *a, struct dmaxfer_chan *xc,
		       const struct dmaxfer_xfer_req *req)
{
	struct dmaxfer_file *f = a->f;
	unsigned long flags;
	int ret;

	a->buf = dmaxfer_buf_get(f, req->buf_id);
	if (!a->buf)
		return -ENOENT;
	/* Within the length the user asked for, not the rounded-up pages. */
	if (a->buf->dma_dev != xc->dma_dev || !a->buf->cpu ||
	    req->offset > a->buf->len || req->length > a->buf->len - req->offset ||
	    !IS_ALIGNED(req->offset, xc->props.bus_width)) {
		ret = -EINVAL;
		goto put;
	}
	ret = dmaxfer_xfer_init_coherent(&a->x, xc, a->buf->dma + req->offset,
					 req->length);
	if (ret)
		goto put;
	spin_lock_irqsave(&f->lock, flags);
	a->buf->users++;
	spin_unlock_irqrestore(&f->lock, flags);
	return 0;
put:
	dmaxfer_buf_put(a->buf);
	a->buf = NULL;
	return ret;
}

/* Check a request against its channel; 0 or the documented errno. */
int dmaxfer_async_check(struct dmaxfer_file *f, struct dmaxfer_chan *xc,
			const struct dmaxfer_xfer_req *req)
{
	bool uptr = req->flags & DMAXFER_XFER_USER_PTR;
	unsigned int align;

	if (!xc)
		return -ENODEV;
	if (!(f->fmode & (req->chan == DMAXFER_CHAN_TX ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (!req->length)
		return -EINVAL;
	if (req->length > DMAXFER_MAX_XFER)
		return -E2BIG;
	/* Bus widths are powers of two (of.c checks). */
	if (!IS_ALIGNED(req->length, xc->props.bus_width))
		return -EINVAL;
	if (!uptr)
		return req->user_ptr ? -EINVAL : 0;
	if (req->buf_id || req->offset)
		return -EINVAL;
	align = req->chan == DMAXFER_CHAN_RX ? dmaxfer_rx_align(xc) :
					       xc->props.bus_width;
	if (!IS_ALIGNED(req->user_ptr, align) || !IS_ALIGNED(req->length, align))
		return -EINVAL;
	return 0;
}

