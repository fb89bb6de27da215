// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - bounds on what user space can make the kernel hold.
 *
 * Three limits, each with its own errno:
 * - pinned pages of zero-copy transfers count against the submitting
 *   process's RLIMIT_MEMLOCK in mm->pinned_vm, as RDMA's ib_umem_get()
 *   does, unless it has CAP_IPC_LOCK (ENOMEM);
 * - the pool buffers of one open file are capped at pool_max_bytes
 *   (ENOSPC), because one file may otherwise take all coherent memory;
 * - pinned and pool bytes of all files together are capped at
 *   total_max_bytes (ENOMEM), because a per-file cap times RLIMIT_NOFILE
 *   is no bound, and RLIMIT_MEMLOCK does not cover the pool.
 */
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>

#include "dmaxfer.h"

static unsigned long pool_max_bytes = SZ_128M;
module_param(pool_max_bytes, ulong, 0644);
MODULE_PARM_DESC(pool_max_bytes,
		 "Pool (BUF_ALLOC) bytes one open file may hold (ENOSPC beyond)");

static unsigned long total_max_bytes = SZ_256M;
module_param(total_max_bytes, ulong, 0644);
MODULE_PARM_DESC(total_max_bytes,
		 "Pinned and pool bytes of all open files together (ENOMEM beyond)");

static atomic_long_t dmaxfer_total_bytes = ATOMIC_LONG_INIT(0);

/*
 * Add @bytes to @c unless that takes it above @max. A compare-and-swap
 * loop, not add-then-check: on 32-bit a long holds 2 GiB, and concurrent
 * charges of 64 MiB could wrap a transient sum and slip past the cap.
 */
static bool dmaxfer_charge_bounded(atomic_long_t *c, size_t bytes, long max)
{
	long old = atomic_long_read(c);

	do {
		if (bytes > (size_t)max || old > max - (long)bytes)
			return false;
	} while (!atomic_long_try_cmpxchg(c, &old, old + (long)bytes));
	return true;
}

/**
 * dmaxfer_total_charge() - charge bytes to the global limit
 * @bytes: bytes about to be pinned or allocated
 *
 * Return: 0, or -ENOMEM when total_max_bytes would be exceeded.
 */
int dmaxfer_total_charge(size_t bytes)
{
	long max = min_t(unsigned long, READ_ONCE(total_max_bytes), LONG_MAX);

	if (!dmaxfer_charge_bounded(&dmaxfer_total_bytes, bytes, max)) {
		pr_warn_ratelimited("dmaxfer: total_max_bytes (%ld) reached\n", max);
		return -ENOMEM;
	}
	return 0;
}

/**
 * dmaxfer_total_uncharge() - give bytes back to the global limit
 * @bytes: as charged by dmaxfer_total_charge()
 */
void dmaxfer_total_uncharge(size_t bytes)
{
	atomic_long_sub(bytes, &dmaxfer_total_bytes);
}

/**
 * dmaxfer_pool_charge() - charge a file's pool, and the global limit
 * @pool_bytes: the file's pool counter
 * @bytes: size of the new buffer
 *
 * Uncharge with atomic_long_sub() on @pool_bytes and
 * dmaxfer_total_uncharge().
 *
 * Return: 0, -ENOSPC (the file's pool_max_bytes) or -ENOMEM (global).
 */
int dmaxfer_pool_charge(atomic_long_t *pool_bytes, size_t bytes)
{
	long max = min_t(unsigned long, READ_ONCE(pool_max_bytes), LONG_MAX);
	int ret;

	if (!dmaxfer_charge_bounded(pool_bytes, bytes, max))
		return -ENOSPC;
	ret = dmaxfer_total_charge(bytes);
	if (ret)
		atomic_long_sub(bytes, pool_bytes);
	return ret;
}

/**
 * dmaxfer_pin_charge() - charge pages about to be pinned
 * @mm: the submitting process's mm (the caller holds a mmgrab() on it)
 * @npages: pages
 *
 * Charges @mm->pinned_vm against RLIMIT_MEMLOCK (unless CAP_IPC_LOCK) and
 * the global limit.
 *
 * Return: 0 or -ENOMEM.
 */
int dmaxfer_pin_charge(struct mm_struct *mm, unsigned long npages)
{
	unsigned long lim = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	s64 pinned = atomic64_add_return(npages, &mm->pinned_vm);
	int ret;

	if (pinned > lim && !capable(CAP_IPC_LOCK)) {
		atomic64_sub(npages, &mm->pinned_vm);
		return -ENOMEM;
	}
	ret = dmaxfer_total_charge((size_t)npages << PAGE_SHIFT);
	if (ret)
		atomic64_sub(npages, &mm->pinned_vm);
	return ret;
}

/**
 * dmaxfer_pin_uncharge() - undo dmaxfer_pin_charge()
 * @mm: as charged
 * @npages: as charged
 */
void dmaxfer_pin_uncharge(struct mm_struct *mm, unsigned long npages)
{
	atomic64_sub(npages, &mm->pinned_vm);
	dmaxfer_total_uncharge((size_t)npages << PAGE_SHIFT);
}
