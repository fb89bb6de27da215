/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaxfer - an asynchronous transfer, shared by async.c (its life: submit,
 * completion, reaping), async_expire.c (its deadline) and async_mem.c (its
 * memory: pinned user pages or a range of a pool buffer).
 */
#ifndef _DMAXFER_ASYNC_H
#define _DMAXFER_ASYNC_H

#include "dmaxfer.h"

struct dmaxfer_xfer_req;

/**
 * struct dmaxfer_async - one asynchronous transfer
 * @x: the engine's transfer
 * @fnode: entry in the file's pending or done list
 * @f: the file that submitted it
 * @id: transfer id within @f
 * @user_data: returned in the completion record
 * @d: channel
 * @deadline: jiffies after which it is terminated
 * @buf: the pool buffer (pool transfers)
 * @pages: the pinned user pages (zero-copy transfers)
 * @npages: number of @pages
 * @mm: the mm @pages are charged to (zero-copy transfers), mmgrab()bed
 */
struct dmaxfer_async {
	struct dmaxfer_xfer x;
	struct list_head fnode;
	struct dmaxfer_file *f;
	u64 id;
	u64 user_data;
	enum dmaxfer_dir d;
	unsigned long deadline;
	struct dmaxfer_buf *buf;
	struct page **pages;
	unsigned int npages;
	struct mm_struct *mm;
};

int dmaxfer_async_check(struct dmaxfer_file *f, struct dmaxfer_chan *xc,
			const struct dmaxfer_xfer_req *req);
int dmaxfer_async_pin(struct dmaxfer_async *a, struct dmaxfer_chan *xc,
		      u64 uptr, size_t len);
int dmaxfer_async_pool(struct dmaxfer_async *a, struct dmaxfer_chan *xc,
		       const struct dmaxfer_xfer_req *req);
void dmaxfer_async_free(struct dmaxfer_async *a);
void dmaxfer_async_done(struct dmaxfer_xfer *x);

/* How dmaxfer_async_expire() may wait for a channel's io_lock. */
enum dmaxfer_expire_lock {
	DMAXFER_EXPIRE_INTR,	/* blocking WAIT: a signal restarts the call */
	DMAXFER_EXPIRE_TRY,	/* never wait: the caller retries later */
};

/* How soon a worker that found io_lock taken looks again. */
#define DMAXFER_EXPIRE_RETRY	max(1, HZ / 50)

void dmaxfer_async_arm(struct dmaxfer_file *f, unsigned long deadline);
long dmaxfer_async_expire(struct dmaxfer_file *f, enum dmaxfer_expire_lock how);
void dmaxfer_async_watchdog(struct work_struct *work);

#endif /* _DMAXFER_ASYNC_H */
