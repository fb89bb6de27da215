// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - DMAXFER_IOC_SUBMIT_BATCH and DMAXFER_IOC_WAIT_BATCH: several
 * transfers started, or several records reaped, per system call.
 *
 * Both are loops over what DMAXFER_IOC_SUBMIT and DMAXFER_IOC_WAIT do for
 * one, so a batch means nothing new to the transfers: the same checks,
 * queue slots, deadlines and exactly one record each. What is new is the
 * partial result, defined in <uapi/linux/dmaxfer.h>: a batch stops at the
 * first request that cannot start, and says how many did; the records a
 * WAIT_BATCH hands out stay held until its count reached user space, so
 * that a count that could not be written back loses none of them.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/dmaxfer.h>

#include "dmaxfer.h"

#define ZEROED(field) (!memchr_inv(&(field), 0, sizeof(field)))

/* The element size is the caller's: from the first published size up. */
static bool dmaxfer_batch_elem_ok(u32 esz, u32 size0)
{
	return esz >= size0 && esz <= DMAXFER_BATCH_ELEM_MAX;
}

/*
 * The array must lie in this task's address space as a whole: on a
 * 32-bit kernel a u64 address beyond it would otherwise be truncated.
 */
static bool dmaxfer_batch_array_ok(u64 base, u32 n, u32 esz)
{
	u64 end = base + (u64)n * esz;

	return end >= base && end == (unsigned long)end &&
	       access_ok(u64_to_user_ptr(base), end - base);
}

/*
 * One request of the array into @req, with SUBMIT's checks of the
 * reserved fields; and its @id written back unchanged, which proves the
 * element writable before anything starts.
 */
static int dmaxfer_batch_get_req(struct dmaxfer_xfer_req *req,
				 struct dmaxfer_xfer_req __user *ureq, u32 esz)
{
	int ret;

	ret = copy_struct_from_user(req, sizeof(*req), ureq, esz);
	if (ret)
		return ret;
	if (req->reserved0 || !ZEROED(req->reserved))
		return -EINVAL;
	if (put_user(req->id, &ureq->id))
		return -EFAULT;
	return 0;
}

/**
 * dmaxfer_submit_batch() - DMAXFER_IOC_SUBMIT_BATCH
 * @f: the file
 * @b: the batch, as copied in; @done and @error are set
 *
 * All requests are read and checked first (so that a bad array costs no
 * transfer: a request that cannot be read ends the batch before it),
 * then started one by one through dmaxfer_async_submit(). Called under
 * the device's rwsem, as SUBMIT is.
 *
 * Return: 0 if at least one request started; else the errno of the first
 * request (-ERESTARTSYS restarts the call: nothing has started).
 */
int dmaxfer_submit_batch(struct dmaxfer_file *f, struct dmaxfer_submit_batch *b)
{
	struct dmaxfer_xfer_req __user *ureq;
	struct dmaxfer_xfer_req *reqs;
	unsigned int n, i;
	int err = 0, ret;

	if (!b->nr || b->nr > DMAXFER_BATCH_MAX || b->flags || b->reserved0 ||
	    !ZEROED(b->reserved) ||
	    !dmaxfer_batch_elem_ok(b->elem_size, DMAXFER_XFER_REQ_SIZE_VER0))
		return -EINVAL;
	if (!dmaxfer_batch_array_ok(b->reqs, b->nr, b->elem_size))
		return -EFAULT;
	reqs = kcalloc(b->nr, sizeof(*reqs), GFP_KERNEL);
	if (!reqs)
		return -ENOMEM;

	/* The requests that can be read and written back: reqs[0..n-1]. */
	for (n = 0; n < b->nr; n++) {
		ureq = u64_to_user_ptr(b->reqs + (u64)n * b->elem_size);
		err = dmaxfer_batch_get_req(&reqs[n], ureq, b->elem_size);
		if (err)
			break;
	}

	for (i = 0; i < n; i++) {
		ret = dmaxfer_async_submit(f, &reqs[i]);
		if (ret) {
			/* Restarting would start the first @i again. */
			err = i && ret == -ERESTARTSYS ? -EINTR : ret;
			break;
		}
		ureq = u64_to_user_ptr(b->reqs + (u64)i * b->elem_size);
		if (put_user(reqs[i].id, &ureq->id)) {
			/* It runs; its record comes through WAIT_ANY. */
			err = -EFAULT;
			i++;
			break;
		}
	}
	kfree(reqs);
	if (!i)
		return err;
	b->done = i;
	b->error = err;	/* 0 only if all of them started */
	return 0;
}

/**
 * dmaxfer_wait_batch() - DMAXFER_IOC_WAIT_BATCH
 * @f: the file
 * @b: the batch, as copied in; @count is set
 * @held: out: the records handed out, for dmaxfer_wait_batch_end(); an
 *	array of @b->count, or NULL
 *
 * The first record is waited for as WAIT with DMAXFER_WAIT_ANY and the
 * caller's flags; the others only taken if ready. Each is written to the
 * array at once, but freed only by dmaxfer_wait_batch_end(), once the
 * count has reached user space. Works after unbind, as WAIT does.
 *
 * Return: 0 with at least one record, or WAIT's errno.
 */
int dmaxfer_wait_batch(struct dmaxfer_file *f, struct dmaxfer_wait_batch *b,
		       struct dmaxfer_async ***held)
{
	struct dmaxfer_completion __user *urec;
	struct dmaxfer_completion c;
	struct dmaxfer_async **h;
	size_t ksz = sizeof(c);
	unsigned int n;
	int ret = 0;

	*held = NULL;
	if (!b->max || b->max > DMAXFER_BATCH_MAX || b->flags & ~DMAXFER_WAIT_NONBLOCK ||
	    !ZEROED(b->reserved) ||
	    !dmaxfer_batch_elem_ok(b->elem_size, DMAXFER_COMPLETION_SIZE_VER0))
		return -EINVAL;
	if (!dmaxfer_batch_array_ok(b->recs, b->max, b->elem_size))
		return -EFAULT;
	h = kcalloc(b->max, sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;

	for (n = 0; n < b->max; n++) {
		memset(&c, 0, sizeof(c));
		c.flags = DMAXFER_WAIT_ANY | (n ? DMAXFER_WAIT_NONBLOCK : b->flags);
		ret = dmaxfer_async_wait(f, &c, &h[n]);
		if (ret)
			break;
		urec = u64_to_user_ptr(b->recs + (u64)n * b->elem_size);
		if (copy_to_user(urec, &c, min_t(size_t, ksz, b->elem_size)) ||
		    (b->elem_size > ksz &&
		     clear_user((u8 __user *)urec + ksz, b->elem_size - ksz))) {
			/* Back to the head of the done list: the next call gets it. */
			dmaxfer_async_wait_end(f, h[n], false);
			ret = -EFAULT;
			break;
		}
	}
	if (!n) {
		kfree(h);
		return ret;
	}
	b->count = n;
	*held = h;
	return 0;
}

/**
 * dmaxfer_wait_batch_end() - free the records of a WAIT_BATCH, or take them back
 * @f: the file
 * @held: the records dmaxfer_wait_batch() handed out (freed here)
 * @count: how many
 * @delivered: the count reached user space
 *
 * Taken back newest first, each to the head of the done list, so that the
 * oldest is the next one out again.
 */
void dmaxfer_wait_batch_end(struct dmaxfer_file *f, struct dmaxfer_async **held,
			    unsigned int count, bool delivered)
{
	unsigned int i;

	for (i = count; i-- > 0;)
		dmaxfer_async_wait_end(f, held[i], delivered);
	kfree(held);
}
