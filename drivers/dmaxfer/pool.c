// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - per-open pool of coherent DMA buffers, and mmap() of them.
 *
 * A buffer is allocated with dma_alloc_coherent() on the DMA controller's
 * device (the device that does the DMA, not ours) and mapped to user space
 * with dma_mmap_coherent(), which knows how the architecture mapped it.
 * Each buffer's mmap offset is its id times DMAXFER_MAX_XFER, so a mapping
 * names exactly one buffer, and ids (hence offsets) are reused: on 32-bit
 * the whole offset must stay below 4 GiB, which allows 62 buffers a file.
 * The memory lives as long as the pool, a mapping or a transfer holds a
 * reference.
 */
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "dmaxfer.h"

/* Buffer ids such that id * DMAXFER_MAX_XFER + DMAXFER_MAX_XFER fits a long. */
#define DMAXFER_BUF_IDS \
	XA_LIMIT(1, min_t(unsigned long, INT_MAX, ULONG_MAX / DMAXFER_MAX_XFER - 1))

static void dmaxfer_buf_release(struct kref *ref)
{
	struct dmaxfer_buf *b = container_of(ref, struct dmaxfer_buf, ref);

	dma_free_coherent(b->dma_dev, b->size, b->cpu, b->dma);
	put_device(b->dma_dev);
	kfree(b);
}

/**
 * dmaxfer_buf_put() - drop a reference to a pool buffer
 * @b: the buffer; its memory is freed with the last reference
 */
void dmaxfer_buf_put(struct dmaxfer_buf *b)
{
	kref_put(&b->ref, dmaxfer_buf_release);
}

/**
 * dmaxfer_buf_get() - look up a buffer of this file and take a reference
 * @f: the open file
 * @id: buffer id
 *
 * Return: the buffer, or NULL if this file has no such buffer (ids of other
 * files are not visible here).
 */
struct dmaxfer_buf *dmaxfer_buf_get(struct dmaxfer_file *f, u32 id)
{
	struct dmaxfer_buf *b;
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	b = xa_load(&f->bufs, id);
	if (b)
		kref_get(&b->ref);
	spin_unlock_irqrestore(&f->lock, flags);
	return b;
}

/**
 * dmaxfer_pool_alloc() - allocate a zeroed coherent buffer for a channel
 * @f: the open file
 * @xc: the channel whose controller will use the buffer
 * @len: bytes requested (1 to DMAXFER_MAX_XFER)
 * @id: set to the new buffer's id
 * @offset: set to the mmap offset of the buffer
 *
 * Return: 0, -E2BIG, -ENOMEM, or -ENOSPC when the mmap offsets run out.
 */
int dmaxfer_pool_alloc(struct dmaxfer_file *f, struct dmaxfer_chan *xc,
		       size_t len, u32 *id, u64 *offset)
{
	size_t size = PAGE_ALIGN(len);
	struct dmaxfer_buf *b;
	unsigned long flags;
	int ret;

	if (len > DMAXFER_MAX_XFER)
		return -E2BIG;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	kref_init(&b->ref);
	b->size = size;
	b->dma_dev = get_device(xc->dma_dev);
	/* dma_alloc_coherent() memory is zeroed: nothing stale leaks out. */
	b->cpu = dma_alloc_coherent(b->dma_dev, size, &b->dma, GFP_KERNEL);
	if (!b->cpu) {
		put_device(b->dma_dev);
		kfree(b);
		return -ENOMEM;
	}

	spin_lock_irqsave(&f->lock, flags);
	ret = xa_alloc(&f->bufs, &b->id, b, DMAXFER_BUF_IDS, GFP_ATOMIC);
	if (!ret)
		b->pgoff = (unsigned long)b->id * (DMAXFER_MAX_XFER >> PAGE_SHIFT);
	spin_unlock_irqrestore(&f->lock, flags);
	if (ret) {
		dmaxfer_buf_put(b);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	*id = b->id;
	*offset = (u64)b->pgoff << PAGE_SHIFT;
	return 0;
}

/**
 * dmaxfer_pool_free() - remove a buffer from the pool
 * @f: the open file
 * @id: buffer id
 *
 * Mappings keep the memory until they are unmapped.
 *
 * Return: 0, -ENOENT (no such buffer in this file), -EBUSY (a transfer in
 * flight uses it).
 */
int dmaxfer_pool_free(struct dmaxfer_file *f, u32 id)
{
	struct dmaxfer_buf *b;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&f->lock, flags);
	b = xa_load(&f->bufs, id);
	if (!b)
		ret = -ENOENT;
	else if (b->users)
		ret = -EBUSY;
	else
		xa_erase(&f->bufs, id);
	spin_unlock_irqrestore(&f->lock, flags);
	if (!ret)
		dmaxfer_buf_put(b);
	return ret;
}

/**
 * dmaxfer_pool_destroy() - drop the pool's references (file release)
 * @f: the open file, with no transfer left in flight
 */
void dmaxfer_pool_destroy(struct dmaxfer_file *f)
{
	struct dmaxfer_buf *b;
	unsigned long id;

	xa_for_each(&f->bufs, id, b) {
		xa_erase(&f->bufs, id);
		dmaxfer_buf_put(b);
	}
	xa_destroy(&f->bufs);
}

static void dmaxfer_vma_open(struct vm_area_struct *vma)
{
	struct dmaxfer_buf *b = vma->vm_private_data;

	kref_get(&b->ref);
}

static void dmaxfer_vma_close(struct vm_area_struct *vma)
{
	dmaxfer_buf_put(vma->vm_private_data);
}

static const struct vm_operations_struct dmaxfer_vm_ops = {
	.open = dmaxfer_vma_open,
	.close = dmaxfer_vma_close,
};

/**
 * dmaxfer_mmap() - map a pool buffer: offset and size must name one buffer
 * @file: the open file
 * @vma: the new mapping; MAP_SHARED, starting at a buffer's mmap offset and
 *	no longer than the buffer
 *
 * Return: 0, or -EINVAL for a wrong offset, size or a private mapping.
 */
int dmaxfer_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct dmaxfer_file *f = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct dmaxfer_buf *b = NULL, *it;
	unsigned long id, flags;
	int ret;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	spin_lock_irqsave(&f->lock, flags);
	xa_for_each(&f->bufs, id, it) {
		if (it->pgoff == vma->vm_pgoff) {
			b = it;
			kref_get(&b->ref);
			break;
		}
	}
	spin_unlock_irqrestore(&f->lock, flags);
	if (!b)
		return -EINVAL;
	if (len > b->size) {
		ret = -EINVAL;
		goto put;
	}
	/* Neither grown by mremap() nor inherited by fork(). */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTCOPY);
	/* dma_mmap_coherent() maps from the buffer start: offset 0 here. */
	vma->vm_pgoff = 0;
	ret = dma_mmap_coherent(b->dma_dev, vma, b->cpu, b->dma, len);
	if (ret)
		goto put;
	vma->vm_private_data = b;
	vma->vm_ops = &dmaxfer_vm_ops;
	return 0;
put:
	dmaxfer_buf_put(b);
	return ret;
}
