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
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/dmaxfer.h>

#include "dmaxfer.h"
#include "async.h"

/*
 * The element size is the caller's: from the first published size up, and
 * a multiple of 8, so that every element's u64 fields stay aligned.
 */
static bool dmaxfer_batch_elem_ok(u32 esz, u32 size0)
{
	return esz >= size0 && esz <= DMAXFER_BATCH_ELEM_MAX && IS_ALIGNED(esz, 8);
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
 * One request of the array into @req, with every check SUBMIT makes before
 * it takes anything (reserved fields, channel, flags, length, alignment,
 * the file's mode); and its @id written back unchanged, which proves the
 * element writable before anything starts.
 */
static int dmaxfer_batch_get_req(struct dmaxfer_file *f, struct dmaxfer_xfer_req *req,
				 struct dmaxfer_xfer_req __user *ureq, u32 esz)
{
	int ret;

	ret = copy_struct_from_user(req, sizeof(*req), ureq, esz);
	if (ret)
		return ret;
	if (req->reserved0 || !ZEROED(req->reserved) || req->chan >= DMAXFER_NR_DIRS ||
	    req->flags & ~DMAXFER_XFER_USER_PTR)
		return -EINVAL;
	ret = dmaxfer_async_check(f, f->xd->chans[array_index_nospec(req->chan,
								     DMAXFER_NR_DIRS)], req);
	if (ret)
		return ret;
	if (put_user(req->id, &ureq->id))
		return -EFAULT;
	return 0;
}

/**
 * dmaxfer_batch_submit() - DMAXFER_IOC_SUBMIT_BATCH
 * @f: the file
 * @b: the batch, as copied in; @done and @error are set
 *
 * All requests are read and checked first: a malformed, unreadable or
 * unwritable one fails the whole call and nothing starts. Then they are
 * started one by one through dmaxfer_async_submit(), and the first that
 * cannot start (queue full, no such buffer, no memory, pages that cannot
 * be pinned, a signal) ends the batch. Called under the device's rwsem,
 * as SUBMIT is.
 *
 * Return: 0 if at least one request started; else the errno of the first
 * check that failed, or of the first request (-ERESTARTSYS restarts the
 * call: nothing has started).
 */
int dmaxfer_batch_submit(struct dmaxfer_file *f, struct dmaxfer_submit_batch *b)
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

	for (n = 0; n < b->nr; n++) {
		ureq = u64_to_user_ptr(b->reqs + (u64)n * b->elem_size);
		err = dmaxfer_batch_get_req(f, &reqs[n], ureq, b->elem_size);
		if (err) {
			kfree(reqs);
			return err;
		}
	}

	for (i = 0; i < n; i++) {
		ret = dmaxfer_async_submit(f, &reqs[i]);
		if (ret) {
			/* Restarting would start the first @i again. */
			err = (i && ret == -ERESTARTSYS) ? -EINTR : ret;
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
 * dmaxfer_batch_wait() - DMAXFER_IOC_WAIT_BATCH
 * @f: the file
 * @b: the batch, as copied in; @count is set
 * @held: out: the records handed out, for dmaxfer_batch_wait_end(), oldest
 *	first: the @b->count written to the array, then possibly one that
 *	could not be written
 * @nheld: out: how many @held holds
 *
 * The first record is waited for as WAIT with DMAXFER_WAIT_ANY and the
 * caller's flags; the others only taken if ready. Each is written to the
 * array at once, but freed only by dmaxfer_batch_wait_end(), once the
 * count has reached user space; one that could not be written is kept
 * too, so that it goes back behind the others, not before them. Works
 * after unbind, as WAIT does.
 *
 * Return: 0 with at least one record, or WAIT's errno.
 */
int dmaxfer_batch_wait(struct dmaxfer_file *f, struct dmaxfer_wait_batch *b,
		       struct dmaxfer_async ***held, unsigned int *nheld)
{
	struct dmaxfer_completion __user *urec;
	struct dmaxfer_completion c;
	struct dmaxfer_async **h;
	size_t ksz = sizeof(c);
	unsigned int n;
	int ret = 0;

	*held = NULL;
	*nheld = 0;
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
		/* The record's flags are an input of WAIT's: none in a batch. */
		c.flags = 0;
		urec = u64_to_user_ptr(b->recs + (u64)n * b->elem_size);
		if (copy_to_user(urec, &c, min_t(size_t, ksz, b->elem_size)) ||
		    (b->elem_size > ksz &&
		     clear_user((u8 __user *)urec + ksz, b->elem_size - ksz))) {
			if (!n) {
				/* Back to the head of the done list: the next call gets it. */
				dmaxfer_async_wait_end(f, h[0], false);
				kfree(h);
				return -EFAULT;
			}
			/* Kept: it goes back after the ones before it. */
			*nheld = 1;
			break;
		}
	}
	if (!n) {
		kfree(h);
		return ret;
	}
	b->count = n;
	*nheld += n;
	*held = h;
	return 0;
}

/**
 * dmaxfer_batch_wait_end() - free the records of a WAIT_BATCH, or take them back
 * @f: the file
 * @held: the records dmaxfer_batch_wait() handed out, oldest first (the
 *	array is freed here)
 * @count: how many of them reached the array
 * @nheld: how many @held holds (@count, or @count + 1)
 * @delivered: the count reached user space
 *
 * Delivered: the @count records are freed, and one that could not be
 * written goes back. Not delivered: all go back. Back means to the head of
 * the done list, in their order, at once (dmaxfer_async_put_back()).
 */
void dmaxfer_batch_wait_end(struct dmaxfer_file *f, struct dmaxfer_async **held,
			    unsigned int count, unsigned int nheld, bool delivered)
{
	unsigned int i;

	if (delivered) {
		for (i = 0; i < count; i++)
			dmaxfer_async_wait_end(f, held[i], true);
		if (nheld > count)
			dmaxfer_async_put_back(f, held + count, nheld - count);
	} else {
		dmaxfer_async_put_back(f, held, nheld);
	}
	kfree(held);
}
