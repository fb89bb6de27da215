// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - the misc character device: write() sends, read() receives.
 *
 * A read() or write() is cut into transfers of at most xfer_size bytes, and
 * up to queue_depth of them are in flight at once, so the controller never
 * waits for the CPU to copy the next chunk. The kernel buffer of each chunk
 * starts at the same offset within a page as the user's buffer, so that user
 * buffers at odd offsets exercise odd offsets in the sg tables too.
 */
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dmaxfer.h"

static unsigned int xfer_size = SZ_256K;
module_param(xfer_size, uint, 0644);
MODULE_PARM_DESC(xfer_size, "Largest single DMA transfer of read()/write(), bytes");

struct workqueue_struct *dmaxfer_wq;

unsigned int dmaxfer_queue_depth = 8;
module_param_named(queue_depth, dmaxfer_queue_depth, uint, 0644);
MODULE_PARM_DESC(queue_depth,
		 "Transfers in flight per read()/write(), and per open file and channel (1 to 64)");

/* One chunk of a stream: its pages are reused for the chunks that follow. */
struct dmaxfer_slot {
	struct dmaxfer_xfer x;
	struct page **pages;
	unsigned int npages;		/* allocated pages */
	size_t upos;			/* offset of the chunk in the user buffer */
};

static void dmaxfer_slot_free(struct dmaxfer_slot *s)
{
	unsigned int i;

	for (i = 0; i < s->npages; i++)
		__free_page(s->pages[i]);
	kfree(s->pages);
}

/* Make sure the slot has pages for a chunk of @need pages. */
static int dmaxfer_slot_grow(struct dmaxfer_slot *s, unsigned int need,
			     unsigned int max)
{
	if (!s->pages) {
		s->pages = kcalloc(max, sizeof(*s->pages), GFP_KERNEL);
		if (!s->pages)
			return -ENOMEM;
	}
	while (s->npages < need) {
		/* Zeroed: what a lying controller leaves unwritten must not leak. */
		s->pages[s->npages] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!s->pages[s->npages])
			return -ENOMEM;
		s->npages++;
	}
	return 0;
}

/* Copy between the user buffer and a chunk's pages, starting at @off. */
static int dmaxfer_copy_chunk(struct page **pages, unsigned int off,
			      char __user *ubuf, size_t len, bool to_pages)
{
	unsigned int i = 0;

	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		void *kaddr = page_address(pages[i]) + off;
		unsigned long left;

		if (to_pages)
			left = copy_from_user(kaddr, ubuf, n);
		else
			left = copy_to_user(ubuf, kaddr, n);
		if (left)
			return -EFAULT;
		ubuf += n;
		len -= n;
		off = 0;
		i++;
	}
	return 0;
}

/*
 * Move @count bytes between @ubuf and the channel's FIFO. Returns the
 * bytes moved in order before the first failure, or that failure's errno
 * when no byte moved (-ERESTARTSYS for a fatal signal).
 *
 * Its waits are killable and freezable (dmaxfer_xfer_wait()): neither the
 * freezer's fake signal nor a handled signal cuts a stream, a fatal
 * signal aborts the channel.
 */
static ssize_t dmaxfer_stream(struct dmaxfer_chan *xc, char __user *ubuf,
			      size_t count)
{
	bool tx = xc->dir == DMA_MEM_TO_DEV;
	unsigned int depth = dmaxfer_depth();
	size_t chunk = clamp_t(size_t, READ_ONCE(xfer_size), PAGE_SIZE, DMAXFER_MAX_XFER);
	unsigned int maxpages = DIV_ROUND_UP(chunk, PAGE_SIZE) + 1;
	unsigned long timeout = msecs_to_jiffies(READ_ONCE(xc->xd->timeout_ms));
	unsigned int head = 0, inflight = 0, i;
	struct dmaxfer_slot *ring;
	size_t pos = 0, done = 0, orphaned = 0, lost = 0, moved;
	bool stalled = false;
	u64 seen;
	long left;
	unsigned long flags;
	int err = 0, werr = 0;

	chunk = round_down(chunk, xc->props.bus_width);
	ring = kcalloc(depth, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;

	while ((pos < count && !err) || inflight) {
		struct dmaxfer_slot *s;

		if (!err && READ_ONCE(xc->kicked)) {
			err = -ENODEV;	/* unbinding: submit nothing more */
			continue;	/* and end only what is in flight */
		}
		if (pos < count && !err && !stalled && inflight < depth) {
			/* Keep the memory side aligned to the bus width. */
			unsigned int off = round_down(offset_in_page(ubuf + pos),
						      xc->props.bus_width);
			size_t len = min(count - pos, chunk);

			s = &ring[(head + inflight) % depth];
			err = dmaxfer_slot_grow(s, DIV_ROUND_UP(off + len, PAGE_SIZE),
						maxpages);
			if (!err && tx)
				err = dmaxfer_copy_chunk(s->pages, off, ubuf + pos,
							 len, true);
			if (!err)
				err = dmaxfer_xfer_init(&s->x, xc, s->pages,
							s->npages, off, len);
			if (err)
				continue;
			seen = READ_ONCE(xc->ended);
			err = dmaxfer_xfer_submit(&s->x);
			if (err) {
				dmaxfer_xfer_fini(&s->x);
				if (err != -EBUSY)
					continue;
				/* No descriptor left: wait for one to free up. */
				err = 0;
				if (inflight) {
					stalled = true;
					continue;
				}
				left = dmaxfer_chan_wait_end_stream(xc, seen, timeout);
				/* Held by others' transfers, or a fatal signal. */
				if (left < 0)
					err = -EINTR;
				else if (!left)
					err = -EBUSY;
				continue;
			}
			s->upos = pos;
			pos += len;
			inflight++;
			continue;
		}

		/* Queue full, or nothing more to submit: end the oldest. */
		stalled = false;
		s = &ring[head];
		if (dmaxfer_xfer_wait(&s->x, timeout) && inflight > 1)
			dmaxfer_chan_abort(xc);	/* stop the rest behind it */
		/*
		 * Transfers end in order, so every one in flight precedes a
		 * failure to submit (err): they count. Only after a transfer
		 * itself failed (werr) is what moves next out of order.
		 */
		moved = s->x.len - s->x.residue;
		if (werr) {
			orphaned += moved;
			if (!tx)
				lost += moved;
		} else {
			if (!tx && dmaxfer_copy_chunk(s->pages, s->x.offset,
						      ubuf + s->upos, moved, false)) {
				/* Taken from the FIFO, and nowhere to put it. */
				werr = -EFAULT;
				lost += moved;
			} else {
				done += moved;
			}
			if (!werr)
				werr = s->x.error;
			if (werr)
				err = werr;	/* submit nothing more */
		}
		dmaxfer_xfer_fini(&s->x);
		head = (head + 1) % depth;
		inflight--;
	}

	for (i = 0; i < depth; i++)
		dmaxfer_slot_free(&ring[i]);
	kfree(ring);
	if (orphaned)
		dev_warn_ratelimited(xc->xd->dev,
				     "%s: %zu bytes moved behind a failed transfer, not reported in the return value\n",
				     xc->name, orphaned);
	if (lost)
		dev_warn_ratelimited(xc->xd->dev,
				     "%s: %zu bytes read from the device could not be delivered (rx/lost_bytes)\n",
				     xc->name, lost);
	/* This path copies every byte: the zero-copy proof counts on it. */
	spin_lock_irqsave(&xc->lock, flags);
	xc->stats.copied += tx ? pos : done;
	xc->stats.lost += lost;
	spin_unlock_irqrestore(&xc->lock, flags);
	if (done)
		return done;
	err = werr ?: err;
	/* A fatal signal, nothing moved: the value never reaches user space. */
	return err == -EINTR ? -ERESTARTSYS : err;
}

static ssize_t dmaxfer_io(struct file *file, char __user *ubuf, size_t count,
			  enum dmaxfer_dir d)
{
	struct dmaxfer_file *f = file->private_data;
	struct dmaxfer_dev *xd = f->xd;
	struct dmaxfer_chan *xc;
	ssize_t ret;

	if (!count)
		return 0;
	down_read(&xd->rwsem);
	if (xd->dead) {
		ret = -ENODEV;
		goto out;
	}
	xc = xd->chans[d];
	if (!xc) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (count % xc->props.bus_width) {
		dev_dbg_ratelimited(xd->dev, "%s: %zu bytes is not a multiple of the %u-byte bus width\n",
				    xc->name, count, xc->props.bus_width);
		ret = -EINVAL;
		goto out;
	}
	/*
	 * Nothing may be taken from the FIFO that cannot be delivered: check
	 * (without writing) that the whole buffer is writable first.
	 */
	if (d == DMAXFER_RX && fault_in_safe_writeable(ubuf, count)) {
		ret = -EFAULT;
		goto out;
	}
	/* Nothing done yet: a signal (or the freezer) restarts the call. */
	if (mutex_lock_interruptible(&xc->io_lock)) {
		ret = -ERESTARTSYS;
		goto out;
	}
	ret = dmaxfer_stream(xc, ubuf, count);
	mutex_unlock(&xc->io_lock);
out:
	up_read(&xd->rwsem);
	return ret;
}

static ssize_t dmaxfer_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	/* dmaxfer_stream() only reads from ubuf in this direction. */
	return dmaxfer_io(file, (char __user *)ubuf, count, DMAXFER_TX);
}

static ssize_t dmaxfer_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return dmaxfer_io(file, ubuf, count, DMAXFER_RX);
}

static int dmaxfer_open(struct inode *inode, struct file *file)
{
	struct miscdevice *misc = file->private_data;
	struct dmaxfer_dev *xd = container_of(misc, struct dmaxfer_dev, miscdev);
	struct dmaxfer_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	spin_lock_init(&f->lock);
	xa_init_flags(&f->bufs, XA_FLAGS_ALLOC1);
	dmaxfer_async_init(f);
	f->fmode = file->f_mode;
	f->mapping = file->f_mapping;
	atomic_long_set(&f->pool_bytes, 0);
	/* misc_open() holds misc_mtx: the device cannot be deregistered now. */
	kref_get(&xd->ref);
	f->xd = xd;
	mutex_lock(&xd->files_lock);
	list_add_tail(&f->node, &xd->files);
	mutex_unlock(&xd->files_lock);
	file->private_data = f;
	return stream_open(inode, file);
}

/**
 * dmaxfer_file_free() - free a closed file with nothing in flight
 * @f: the file, its records reaped
 */
void dmaxfer_file_free(struct dmaxfer_file *f)
{
	struct dmaxfer_dev *xd = f->xd;

	mutex_lock(&xd->files_lock);
	list_del(&f->node);
	mutex_unlock(&xd->files_lock);
	dmaxfer_pool_destroy(f);
	dmaxfer_dev_put(xd);
	kfree(f);
}

static int dmaxfer_release(struct inode *inode, struct file *file)
{
	struct dmaxfer_file *f = file->private_data;
	struct dmaxfer_dev *xd = f->xd;
	bool idle;

	mutex_lock(&xd->files_lock);
	/*
	 * Under f->lock too, with the look at what is in flight: once the
	 * file is closed, the last end queues the worker (async.c), so the
	 * worker alone may free a file that was not idle here. In-flight DMA
	 * must end before its memory can go, but close() does not wait for
	 * it (deadlines may be an hour away): the worker does. It is queued
	 * here, before the lock is dropped, and @f is not touched after:
	 * the moment the lock goes, the last end may queue the worker, and
	 * the worker free @f (KASAN, fc9: release() queued the work of a
	 * file the worker had freed).
	 */
	spin_lock_irq(&f->lock);
	f->closed = true;
	idle = list_empty(&f->pending);
	if (!idle)
		mod_delayed_work(dmaxfer_wq, &f->release_work, 0);
	spin_unlock_irq(&f->lock);
	mutex_unlock(&xd->files_lock);
	if (!idle)
		return 0;
	/*
	 * Nothing in flight, so nothing queues the worker: @f is ours. A
	 * watchdog under way still holds it; the worker then frees it.
	 */
	cancel_delayed_work(&f->watchdog);
	if (work_busy(&f->watchdog.work)) {
		mod_delayed_work(dmaxfer_wq, &f->release_work, 0);
		return 0;
	}
	dmaxfer_async_release(f);
	dmaxfer_file_free(f);
	return 0;
}

static __poll_t dmaxfer_poll(struct file *file, struct poll_table_struct *wait)
{
	struct dmaxfer_file *f = file->private_data;

	return dmaxfer_async_poll(f, file, wait);
}

static const struct file_operations dmaxfer_fops = {
	.owner = THIS_MODULE,
	.open = dmaxfer_open,
	.release = dmaxfer_release,
	.read = dmaxfer_read,
	.write = dmaxfer_write,
	.unlocked_ioctl = dmaxfer_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = dmaxfer_mmap,
	.poll = dmaxfer_poll,
};

static void dmaxfer_cdev_unregister(void *data)
{
	struct dmaxfer_dev *xd = data;
	struct dmaxfer_file *f;
	int d;

	misc_deregister(&xd->miscdev);
	/* Streams under way give up instead of holding up the unbind. */
	for (d = 0; d < DMAXFER_NR_DIRS; d++)
		if (xd->chans[d])
			dmaxfer_chan_kick(xd->chans[d]);
	/* Wait for the file operations under way, and refuse new ones. */
	down_write(&xd->rwsem);
	WRITE_ONCE(xd->dead, true);
	up_write(&xd->rwsem);
	/*
	 * No file operation runs any more, but asynchronous transfers of
	 * files still open (or closed and waited for by a release worker)
	 * may be in flight: end them all (their owners reap -ECANCELED)
	 * before any memory goes.
	 */
	for (d = 0; d < DMAXFER_NR_DIRS; d++)
		if (xd->chans[d])
			dmaxfer_chan_end(xd->chans[d]);
	/*
	 * Give the memory of records not yet reaped back to the CPU, of
	 * closed files too; poll() users hear of the unbind.
	 */
	mutex_lock(&xd->files_lock);
	list_for_each_entry(f, &xd->files, node) {
		dmaxfer_async_unmap_all(f);
		wake_up_all(&f->wq);
	}
	mutex_unlock(&xd->files_lock);
	/*
	 * No new mapping can be made now: take the existing ones away and
	 * free the pool memory while the DMA controllers are still there.
	 */
	dmaxfer_pool_revoke(xd);
}

/**
 * dmaxfer_wq_init() - create the workqueue of closed files (module init)
 *
 * Return: 0 or -ENOMEM.
 */
int dmaxfer_wq_init(void)
{
	/* Freezable: no expiry may reach a controller during system sleep. */
	dmaxfer_wq = alloc_workqueue("dmaxfer", WQ_UNBOUND | WQ_FREEZABLE, 0);
	return dmaxfer_wq ? 0 : -ENOMEM;
}

/**
 * dmaxfer_wq_exit() - wait for closed files to be freed (module exit)
 *
 * Called after the driver unregistered: every channel was aborted, so the
 * workers have nothing left to wait for.
 */
void dmaxfer_wq_exit(void)
{
	destroy_workqueue(dmaxfer_wq);
}

/**
 * dmaxfer_cdev_register() - create /dev/dmaxfer<id> (device-managed)
 * @xd: the device
 *
 * Open files keep @xd alive after unbind; their operations then fail with
 * -ENODEV, except those that give back what they hold (WAIT, BUF_FREE,
 * munmap, close) and poll(), which reports EPOLLHUP | EPOLLERR.
 *
 * Return: 0 or a negative errno.
 */
int dmaxfer_cdev_register(struct dmaxfer_dev *xd)
{
	int ret;

	snprintf(xd->name, sizeof(xd->name), "dmaxfer%d", xd->id);
	xd->miscdev.minor = MISC_DYNAMIC_MINOR;
	xd->miscdev.name = xd->name;
	xd->miscdev.fops = &dmaxfer_fops;
	xd->miscdev.parent = xd->dev;
	xd->miscdev.mode = 0600;
	ret = misc_register(&xd->miscdev);
	if (ret)
		return ret;
	return devm_add_action_or_reset(xd->dev, dmaxfer_cdev_unregister, xd);
}
