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
 * reference, or until the device unbinds: then it is freed while the DMA
 * controller is still there (dmaxfer_pool_revoke()), after the mappings
 * were taken away, and the references only keep the struct.
 *
 * Every buffer is charged to its file's pool_max_bytes and to the global
 * total_max_bytes (limits.c) until its memory is freed.
 */
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "dmaxfer.h"

/* Buffer ids such that id * DMAXFER_MAX_XFER + DMAXFER_MAX_XFER fits a long. */
#define DMAXFER_BUF_PAGES	(DMAXFER_MAX_XFER >> PAGE_SHIFT)
#define DMAXFER_BUF_IDS \
	XA_LIMIT(1, min_t(unsigned long, INT_MAX, ULONG_MAX / DMAXFER_MAX_XFER - 1))

/* Free a buffer's memory, once; called with xd->files_lock held. */
static void dmaxfer_buf_free_mem(struct dmaxfer_buf *b)
{
	lockdep_assert_held(&b->xd->files_lock);
	if (!b->cpu)
		return;
	dma_free_coherent(b->dma_dev, b->size, b->cpu, b->dma);
	b->cpu = NULL;
	list_del(&b->node);
	atomic_long_sub(b->charged, b->pool_bytes);
	dmaxfer_total_uncharge(b->charged);
}

static void dmaxfer_buf_release(struct kref *ref)
{
	struct dmaxfer_buf *b = container_of(ref, struct dmaxfer_buf, ref);
	struct dmaxfer_dev *xd = b->xd;

	mutex_lock(&xd->files_lock);
	dmaxfer_buf_free_mem(b);
	mutex_unlock(&xd->files_lock);
	put_device(b->dma_dev);
	dmaxfer_dev_put(xd);
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
	struct dmaxfer_dev *xd = f->xd;
	size_t size = PAGE_ALIGN(len);
	struct dmaxfer_buf *b;
	unsigned long flags;
	int ret;

	if (len > DMAXFER_MAX_XFER)
		return -E2BIG;
	ret = dmaxfer_pool_charge(&f->pool_bytes, size);
	if (ret)
		return ret;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b) {
		ret = -ENOMEM;
		goto uncharge;
	}
	kref_init(&b->ref);
	b->size = size;
	b->len = len;
	/*
	 * User-sized: without CMA a large request fails in the page
	 * allocator, which must not WARN (a panic under panic_on_warn).
	 * dma_alloc_coherent() memory is zeroed: nothing stale leaks out.
	 */
	b->cpu = dma_alloc_coherent(xc->dma_dev, size, &b->dma,
				    GFP_KERNEL | __GFP_NOWARN);
	if (!b->cpu) {
		kfree(b);
		ret = -ENOMEM;
		goto uncharge;
	}
	b->dma_dev = get_device(xc->dma_dev);
	b->charged = size;
	b->pool_bytes = &f->pool_bytes;
	kref_get(&xd->ref);
	b->xd = xd;
	mutex_lock(&xd->files_lock);
	list_add_tail(&b->node, &xd->bufs);
	mutex_unlock(&xd->files_lock);

	spin_lock_irqsave(&f->lock, flags);
	ret = xa_alloc(&f->bufs, &b->id, b, DMAXFER_BUF_IDS, GFP_ATOMIC);
	if (!ret) {
		b->pgoff = (unsigned long)b->id * DMAXFER_BUF_PAGES;
		/* Once unlocked, another thread's BUF_FREE may free @b. */
		*id = b->id;
		*offset = (u64)b->pgoff << PAGE_SHIFT;
	}
	spin_unlock_irqrestore(&f->lock, flags);
	if (ret) {
		dmaxfer_buf_put(b);	/* uncharges */
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	return 0;

uncharge:
	atomic_long_sub(size, &f->pool_bytes);
	dmaxfer_total_uncharge(size);
	return ret;
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
	unsigned long id, flags;

	xa_for_each(&f->bufs, id, b) {
		/* f->lock, as everywhere: it is taken in softirq context. */
		spin_lock_irqsave(&f->lock, flags);
		xa_erase(&f->bufs, id);
		spin_unlock_irqrestore(&f->lock, flags);
		dmaxfer_buf_put(b);
	}
	xa_destroy(&f->bufs);
}

/*
 * The processes that map a device's buffers, so that unbind can wait for
 * an mmap() under way in each: the core links a new mapping into the
 * file's address space only after ->mmap() has returned, so a zap at
 * unbind could miss a mapping whose mmap() was ending. Taking each such
 * process's mmap_lock for writing once waits for that.
 */
struct dmaxfer_mapper {
	struct list_head node;
	struct mm_struct *mm;
	unsigned int vmas;
};

/* Count one more mapping of @mm; called with xd->files_lock held. */
static int dmaxfer_mapper_get(struct dmaxfer_dev *xd, struct mm_struct *mm)
{
	struct dmaxfer_mapper *m;

	lockdep_assert_held(&xd->files_lock);
	list_for_each_entry(m, &xd->mappers, node) {
		if (m->mm == mm) {
			m->vmas++;
			return 0;
		}
	}
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	mmgrab(mm);
	m->mm = mm;
	m->vmas = 1;
	list_add_tail(&m->node, &xd->mappers);
	return 0;
}

/* One mapping of @mm fewer; called with xd->files_lock held. */
static void dmaxfer_mapper_put(struct dmaxfer_dev *xd, struct mm_struct *mm)
{
	struct dmaxfer_mapper *m;

	lockdep_assert_held(&xd->files_lock);
	/* Not found after an unbind took the list away. */
	list_for_each_entry(m, &xd->mappers, node) {
		if (m->mm != mm)
			continue;
		if (!--m->vmas) {
			list_del(&m->node);
			mmdrop(m->mm);
			kfree(m);
		}
		return;
	}
}

/**
 * dmaxfer_pool_revoke() - take every pool buffer of a device away (unbind)
 * @xd: the device, unbinding: no file operation runs, and every channel
 *	was aborted, so no transfer from a buffer is in flight
 *
 * No new mapping can be made once it has begun. It waits for mmap() calls
 * under way, zaps every user mapping of the device's files (an access
 * then raises SIGBUS: the mappings have no fault handler) and frees the
 * memory while the DMA controllers are still there: no DMA API call may
 * reach a controller after it has gone. The buffers' references keep the
 * structs.
 */
void dmaxfer_pool_revoke(struct dmaxfer_dev *xd)
{
	struct dmaxfer_mapper *m, *tmp;
	struct dmaxfer_buf *b, *btmp;
	struct dmaxfer_file *f;
	LIST_HEAD(mappers);

	mutex_lock(&xd->files_lock);
	xd->revoked = true;
	list_splice_init(&xd->mappers, &mappers);
	mutex_unlock(&xd->files_lock);
	/* Not under files_lock: mmap() takes it with mmap_lock held. */
	list_for_each_entry_safe(m, tmp, &mappers, node) {
		mmap_write_lock(m->mm);
		mmap_write_unlock(m->mm);
		mmdrop(m->mm);
		kfree(m);
	}

	mutex_lock(&xd->files_lock);
	list_for_each_entry(f, &xd->files, node)
		if (!f->closed)
			unmap_mapping_range(f->mapping, 0, 0, 1);
	list_for_each_entry_safe(b, btmp, &xd->bufs, node)
		dmaxfer_buf_free_mem(b);
	mutex_unlock(&xd->files_lock);
}

static void dmaxfer_vma_open(struct vm_area_struct *vma)
{
	struct dmaxfer_buf *b = vma->vm_private_data;

	/*
	 * A split or a move: the same mm, which is counted already (fork
	 * does not copy these mappings), so this allocates nothing. After
	 * an unbind took the list away there is nothing to count.
	 */
	mutex_lock(&b->xd->files_lock);
	if (!b->xd->revoked)
		dmaxfer_mapper_get(b->xd, vma->vm_mm);
	mutex_unlock(&b->xd->files_lock);
	kref_get(&b->ref);
}

static void dmaxfer_vma_close(struct vm_area_struct *vma)
{
	struct dmaxfer_buf *b = vma->vm_private_data;

	mutex_lock(&b->xd->files_lock);
	dmaxfer_mapper_put(b->xd, vma->vm_mm);
	mutex_unlock(&b->xd->files_lock);
	dmaxfer_buf_put(b);
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
 * Return: 0, -EINVAL for a wrong offset, size or a private mapping,
 * -ENODEV once the device is unbinding, -ENOMEM.
 */
int dmaxfer_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct dmaxfer_file *f = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct dmaxfer_dev *xd = f->xd;
	struct dmaxfer_buf *b;
	int ret;

	/*
	 * VM_MAYSHARE, not VM_SHARED: the core clears VM_SHARED for a shared
	 * read-only mapping of a file not open for writing.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	/* The offset names the buffer: id * DMAXFER_MAX_XFER, exactly. */
	if (vma->vm_pgoff % DMAXFER_BUF_PAGES ||
	    vma->vm_pgoff / DMAXFER_BUF_PAGES > U32_MAX)
		return -EINVAL;
	b = dmaxfer_buf_get(f, vma->vm_pgoff / DMAXFER_BUF_PAGES);
	if (!b)
		return -EINVAL;
	if (len > b->size) {
		ret = -EINVAL;
		goto put;
	}
	/* Once unbind has begun revoking, no mapping may be made. */
	mutex_lock(&xd->files_lock);
	if (xd->revoked || !b->cpu) {
		ret = -ENODEV;
		goto unlock;
	}
	ret = dmaxfer_mapper_get(xd, vma->vm_mm);
	if (ret)
		goto unlock;
	/* Neither grown by mremap() nor inherited by fork(). */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTCOPY);
	/* dma_mmap_coherent() maps from the buffer start: offset 0 here. */
	vma->vm_pgoff = 0;
	ret = dma_mmap_coherent(b->dma_dev, vma, b->cpu, b->dma, len);
	if (ret) {
		dmaxfer_mapper_put(xd, vma->vm_mm);
		goto unlock;
	}
	mutex_unlock(&xd->files_lock);
	vma->vm_private_data = b;
	vma->vm_ops = &dmaxfer_vm_ops;
	return 0;
unlock:
	mutex_unlock(&xd->files_lock);
put:
	dmaxfer_buf_put(b);
	return ret;
}
