// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz: the worker: the mix of operations and the loop that draws
 * them from the worker's PRNG.
 */
#include "fuzz.h"

/* ---- the worker ----------------------------------------------------------------- */

static struct file_t *pick_file(struct worker *w)
{
	struct file_t *f = &w->f[rn(w, NFD)];

	if (f->fd < 0)
		op_open(w, f, false);
	return f->fd >= 0 ? f : NULL;
}

/*
 * The mix, in thousandths. Cheap calls dominate so that a run reaches its
 * operation count on a debug kernel under TCG; transfers, mappings and
 * streams, which cost milliseconds there, are a fifth of it.
 */
enum {
	C_REOPEN, C_RAW_REOPEN, C_FORK, C_RAW, C_SH_SUB, C_SH_WAIT, C_INFO, C_INFO_BAD,
	C_ALLOC, C_ALLOC_BAD, C_FREE, C_FREE_BAD, C_SUB_POOL, C_SUB_UPTR, C_SUB_BAD,
	C_WAIT, C_SYNC, C_SYNC_BAD, C_MMAP, C_MMAP_BAD, C_MUNMAP, C_MREMAP, C_TOUCH,
	C_RW, C_RW_BAD, C_POLL, C_NR
};
static const unsigned short weights[C_NR] = {
	[C_REOPEN] = 8, [C_RAW_REOPEN] = 3, [C_FORK] = 1, [C_RAW] = 150,
	[C_SH_SUB] = 12, [C_SH_WAIT] = 25, [C_INFO] = 50, [C_INFO_BAD] = 40,
	[C_ALLOC] = 18, [C_ALLOC_BAD] = 40, [C_FREE] = 15, [C_FREE_BAD] = 30,
	[C_SUB_POOL] = 28, [C_SUB_UPTR] = 24, [C_SUB_BAD] = 100, [C_WAIT] = 120,
	[C_SYNC] = 50, [C_SYNC_BAD] = 50, [C_MMAP] = 14, [C_MMAP_BAD] = 8,
	[C_MUNMAP] = 10, [C_MREMAP] = 4, [C_TOUCH] = 30, [C_RW] = 12, [C_RW_BAD] = 28,
	[C_POLL] = 130,
};

static void op_info(struct worker *w, struct file_t *f, bool bad)
{
	struct dmaxfer_chan_info ci;
	int err, c = rn(w, 2), kk = rn(w, 2);

	memset(&ci, 0, sizeof(ci));
	ci.chan = c;
	if (bad && kk)
		ci.chan = 2 + rn(w, 1u << 31);
	else if (bad && chance(w, 25))
		ci.reserved0 = 1 + rn(w, 100);
	else if (bad)
		ci.reserved[rn(w, 3)] = 1 + rn(w, 100);
	op_begin(w, bad ? OP_info_bad : OP_info);
	err = xioctl(f->fd, DMAXFER_IOC_INFO, &ci);
	op_end(w, bad ? OP_info_bad : OP_info, err, c, kk);
	if (bad) {
		if (err != EINVAL)
			viol(w, "INFO with %s: %s, want EINVAL", kk ? "channel >= 2" : "reserved set",
			     err ? strerror(err) : "success");
	} else if (err) {
		viol(w, "INFO of channel %d: %s", c, strerror(err));
	} else if (memcmp(&ci, &f->ci[c], offsetof(struct dmaxfer_chan_info, timeout_ms))) {
		viol(w, "INFO of channel %d changed", c);
	}
}

static void one_op(struct worker *w)
{
	struct file_t *f;
	unsigned int k = rn(w, 1000), c;

	for (c = 0; c < C_NR - 1 && k >= weights[c]; c++)
		k -= weights[c];
	switch (c) {
	case C_REOPEN:
		op_open(w, &w->f[rn(w, NFD)], false);
		return;
	case C_RAW_REOPEN:
		op_open(w, &w->f[NFD], true);
		return;
	case C_FORK:
		op_fork(w);
		return;
	case C_RAW:
		if (w->f[NFD].fd < 0)
			op_open(w, &w->f[NFD], true);
		if (w->f[NFD].fd >= 0)
			op_raw(w, &w->f[NFD]);
		return;
	case C_SH_SUB:
		op_sh_submit(w);
		return;
	case C_SH_WAIT:
		op_sh_wait(w);
		return;
	}
	f = pick_file(w);
	if (!f)
		return;
	switch (c) {
	case C_INFO: op_info(w, f, false); break;
	case C_INFO_BAD: op_info(w, f, true); break;
	case C_ALLOC: op_alloc(w, f); break;
	case C_ALLOC_BAD: op_alloc_bad(w, f); break;
	case C_FREE: op_free(w, f); break;
	case C_FREE_BAD: op_free_bad(w, f); break;
	case C_SUB_POOL: op_sub_pool(w, f); break;
	case C_SUB_UPTR: op_sub_uptr(w, f); break;
	case C_SUB_BAD: op_sub_bad(w, f); break;
	case C_WAIT: op_wait(w, f); break;
	case C_SYNC: op_sync(w, f, false); break;
	case C_SYNC_BAD: op_sync(w, f, true); break;
	case C_MMAP: op_mmap(w, f); break;
	case C_MMAP_BAD: op_mmap_bad(w, f); break;
	case C_MUNMAP: op_munmap(w, f); break;
	case C_MREMAP: op_mremap(w, f); break;
	case C_TOUCH: op_touch(w, f); break;
	/* More tx than rx: an rx from the empty FIFO waits for the timeout. */
	case C_RW: op_rw(w, f, rn(w, 5) != 0); break;
	case C_RW_BAD: op_rw_bad(w, f); break;
	default: op_poll(w, f); break;
	}
}

static bool keep_going(struct worker *w)
{
	return !sh->stop && w->ops < w->budget && now_ns() < t_end_ns;
}

void *worker_main(void *arg)
{
	struct worker *w = arg;
	int i;

	sh->w[w->idx].pid = getpid();
	sh->w[w->idx].tid = gettid_();
	for (i = 0; i < RING; i++)
		w->ring[i].op = -1;
	for (i = 0; i <= NFD; i++)
		w->f[i].fd = -1;
	w->arena = mmap(NULL, ARENA + 2 * PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->arena == MAP_FAILED) {
		viol(w, "mmap of the arena: %s", strerror(errno));
		return NULL;
	}
	/* The arena ends at an inaccessible page, then a read-only one. */
	w->none = w->arena + ARENA;
	w->ro = w->none + PG;
	memset(w->arena, 0x11, ARENA + 2 * PG);
	mprotect(w->ro, PG, PROT_READ);
	mprotect(w->none, PG, PROT_NONE);
	if (w->checker) {
		w->chkfd = open(dev0, O_RDWR | O_CLOEXEC);
		if (w->chkfd < 0) {
			viol(w, "open %s: %s", dev0, strerror(errno));
			w->checker = false;
		}
		w->next_check = now_ns() + (uint64_t)(check_every * 1e9 / 2);
	}
	while (keep_going(w)) {
		if (w->checker && now_ns() >= w->next_check) {
			data_check(w);
			w->next_check = now_ns() + (uint64_t)(check_every * 1e9);
		}
		pthread_rwlock_rdlock(&sh->datalock);
		one_op(w);
		pthread_rwlock_unlock(&sh->datalock);
	}
	/* Reap what our private files have left, checking each record. */
	for (i = 0; i < NFD; i++) {
		struct file_t *f = &w->f[i];
		int tries = 2 * f->nx + 8;

		while (f->fd >= 0 && f->nx && !sh->stop && tries--)
			do_wait(w, f, chance(w, 50), false, f->x[0].id);
		if (f->fd >= 0) {
			close(f->fd);
			file_forget(w, f);
		}
	}
	if (w->f[NFD].fd >= 0)
		close(w->f[NFD].fd);
	if (w->checker && !sh->stop)
		data_check(w);	/* the FIFO still loops back after everything */
	return NULL;
}
