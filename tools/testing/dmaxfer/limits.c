// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: resource limits (decision 15). Pinned user pages count
 * against RLIMIT_MEMLOCK unless CAP_IPC_LOCK; the pool has a per-file cap
 * (pool_max_bytes, ENOSPC) and pool + pinned bytes a global one
 * (total_max_bytes, ENOMEM); a 64 MiB BUF_ALLOC succeeds or fails with
 * ENOMEM without a kernel warning. Part of dmaxfer_test.c.
 */

/*
 * BUF_ALLOC of max_xfer_len (64 MiB): 0 or ENOMEM, never a WARN (the old
 * code reached WARN_ON_ONCE_GFP in __alloc_pages through
 * dma_alloc_attrs() without CMA). Run before anything else allocates that
 * much in this boot: the warning is printed once.
 */
TEST_F_TIMEOUT(dmaxfer, alloc_max_no_warn, 120)
{
	uint32_t c = any_chan(self), id;
	uint64_t w0 = warn_count(), len = self->ci[c].max_xfer_len, off;
	char line[512];
	uint8_t *p;
	int kmsg, r;

	if (w0 == UINT64_MAX)
		SKIP(return, "/sys/kernel/warn_count is missing: a warning could not be seen");
	kmsg = kmsg_open();
	r = buf_alloc(self->fd, c, len, &id, &off);
	TH_LOG("BUF_ALLOC of %llu bytes: %s", (unsigned long long)len, r ? strerror(r) : "ok");
	EXPECT_TRUE(r == 0 || r == ENOMEM) {
		TH_LOG("BUF_ALLOC of max_xfer_len: %s", strerror(r));
	}
	if (!r) {
		/* It is real: the last page maps and is zero. */
		p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd,
			 (off_t)(off + 0));
		EXPECT_NE((uintptr_t)MAP_FAILED, (uintptr_t)p);
		if (p != MAP_FAILED)
			munmap(p, self->pg);
		EXPECT_EQ(0, buf_free(self->fd, id));
	}
	EXPECT_EQ(w0, warn_count()) {
		TH_LOG("/sys/kernel/warn_count went from %llu to %llu",
		       (unsigned long long)w0, (unsigned long long)warn_count());
	}
	EXPECT_FALSE(kmsg_trouble(kmsg, line, sizeof(line))) {
		TH_LOG("kernel: %s", line);
	}
	if (kmsg >= 0)
		close(kmsg);
}

/*
 * In a child without CAP_IPC_LOCK and with RLIMIT_MEMLOCK = lim: the exit
 * status is 0, or the line of the first check that failed. A transfer
 * above the limit is ENOMEM; one within it works; pinned pages in flight
 * count, and are given back when the record is reaped.
 */
static int memlock_child(const struct dmaxfer_chan_info *ci, bool loop, size_t pg, size_t lim)
{
	struct rlimit rl = { .rlim_cur = lim, .rlim_max = lim };
	uint32_t c = ci[TX].flags & DMAXFER_INFO_PRESENT ? TX : RX;
	struct dmaxfer_completion comp;
	struct stuck s;
	uint64_t xid;
	uint8_t *m;
	int fd, r;

	if (drop_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &rl))
		return __LINE__;
	m = anon(4 * lim);
	if (m == MAP_FAILED)
		return __LINE__;
	fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return __LINE__;
	/* Twice the limit at once: ENOMEM. */
	if (submit_ptr(fd, c, m, 2 * lim, 0, &xid) != ENOMEM)
		return __LINE__;
	/* Half of it: fine. */
	if (c == RX && loop && write_all(fd, m, lim / 2))
		return __LINE__;
	if (submit_ptr(fd, c, m, lim / 2, 0, &xid) || wait_id(fd, xid, 0, &comp) ||
	    comp.status)
		return __LINE__;
	/* One in flight holds its pages: with it, more than the limit is ENOMEM. */
	r = stuck_start(&s, fd, ci, loop, pg);
	if (r == -2) {
		close(fd);
		return 0;	/* nothing stays in flight here: the rest cannot be shown */
	}
	if (r)
		return __LINE__;
	r = submit_ptr(fd, s.chan == RX ? TX : c, m + lim, lim - s.mem_len + pg, 0, &xid);
	if (s.chan == RX && r == 0) {
		/* tx on a loopback: it would have fed the rx. */
		return __LINE__;
	}
	if (r != ENOMEM)
		return __LINE__;
	if (wait_id(fd, s.id, 0, &comp))
		return __LINE__;
	stuck_free(&s);
	/* Reaped: its pages are given back. */
	if (submit_ptr(fd, TX, m + lim, lim - pg, 0, &xid) || wait_id(fd, xid, 0, &comp))
		return __LINE__;
	close(fd);
	return 0;
}

/* 15: zero-copy pins count against RLIMIT_MEMLOCK, unless CAP_IPC_LOCK. */
TEST_F_TIMEOUT(dmaxfer, memlock_limit, 60)
{
	size_t lim = 64 * 1024;
	struct rlimit rl;
	int status;
	pid_t pid;

	if (!self->has[TX])
		SKIP(return, "needs a tx channel (any memory, no feeding)");
	if (2 * lim > self->ci[TX].max_xfer_len)
		SKIP(return, "max_xfer_len %u is below %zu", self->ci[TX].max_xfer_len, 2 * lim);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
	{
		int line = memlock_child(self->ci, self->loop, self->pg, lim);

		if (line)
			fprintf(stderr, "# memlock child: the check at limits.c:%d failed\n", line);
		_exit(line ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("without CAP_IPC_LOCK, RLIMIT_MEMLOCK %zu: a check failed (see above), status 0x%x",
		       lim, status);
	}
	/* With CAP_IPC_LOCK the limit does not apply. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct dmaxfer_completion comp;
		uint8_t *m = anon(2 * lim);
		uint64_t xid;

		rl.rlim_cur = rl.rlim_max = lim;
		if (m == MAP_FAILED || setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(1);
		if (submit_ptr(self->fd, TX, m, 2 * lim, 0, &xid) ||
		    wait_id(self->fd, xid, 0, &comp) || comp.status)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("with CAP_IPC_LOCK, %zu bytes over a %zu-byte RLIMIT_MEMLOCK: step %d failed",
		       2 * lim, lim, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	if (self->loop)
		fifo_flush();
}

/* Set a dmaxfer module parameter for a case: its old value, or 0 with *err. */
static uint64_t set_param(const char *name, uint64_t v, int *err)
{
	char path[256];
	uint64_t old;

	snprintf(path, sizeof(path), "%s/%s", PARAMS, name);
	*err = read_u64(path, &old);
	if (!*err)
		*err = write_u64(path, v);
	return *err ? 0 : old;
}

static void put_param(const char *name, uint64_t v)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", PARAMS, name);
	write_u64(path, v);
}

#define SET_PARAM(name, v, old) do {						\
	int __e;								\
	old = set_param(name, v, &__e);						\
	if (__e == EACCES || __e == EPERM)					\
		SKIP(return, PARAMS "/%s is read-only: its cap cannot be lowered for the test", name); \
	ASSERT_EQ(0, __e) {							\
		TH_LOG(PARAMS "/%s: %s", name, strerror(__e));			\
	}									\
} while (0)

/* 15: pool_max_bytes caps one file's pool: beyond it BUF_ALLOC is ENOSPC. */
TEST_F(dmaxfer, pool_max_bytes)
{
	uint32_t c = any_chan(self), a, b, x;
	size_t cap = 16 * self->pg;
	uint64_t old;
	int fd2;

	SET_PARAM("pool_max_bytes", cap, old);
	EXPECT_EQ(0, buf_alloc(self->fd, c, cap / 2, &a, NULL));
	EXPECT_EQ(0, buf_alloc(self->fd, c, cap / 2, &b, NULL));
	EXPECT_EQ(ENOSPC, buf_alloc(self->fd, c, self->pg, &x, NULL)) {
		TH_LOG("a file with %zu pool bytes, cap %zu: one more page was allocated", cap, cap);
		buf_free(self->fd, x);
	}
	EXPECT_EQ(ENOSPC, buf_alloc(self->fd, c, 1, &x, NULL));
	/* Per file: another has its own. */
	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, buf_alloc(fd2, c, cap, &x, NULL));
	close(fd2);
	/* Freed bytes count no more. */
	EXPECT_EQ(0, buf_free(self->fd, b));
	EXPECT_EQ(0, buf_alloc(self->fd, c, cap / 2, &b, NULL));
	EXPECT_EQ(0, buf_free(self->fd, a));
	EXPECT_EQ(0, buf_free(self->fd, b));
	put_param("pool_max_bytes", old);
}

/* 15: total_max_bytes caps pool and pinned bytes of all files: beyond it ENOMEM. */
TEST_F(dmaxfer, total_max_bytes)
{
	uint32_t c = any_chan(self), a, b, x;
	size_t cap = 32 * self->pg;
	uint64_t old, xid;
	uint8_t *m;
	int fd2;

	m = anon(cap);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	SET_PARAM("total_max_bytes", cap, old);
	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, buf_alloc(self->fd, c, cap / 2, &a, NULL));
	EXPECT_EQ(0, buf_alloc(fd2, c, cap / 2, &b, NULL));
	EXPECT_EQ(ENOMEM, buf_alloc(fd2, c, self->pg, &x, NULL)) {
		TH_LOG("two files with %zu pool bytes, global cap %zu: one more page was allocated",
		       cap, cap);
		buf_free(fd2, x);
	}
	EXPECT_EQ(0, buf_free(fd2, b));
	/* Pinned bytes count too: pool cap/2 + pinned cap/2 + a page is over. */
	if (self->has[TX]) {
		struct dmaxfer_completion comp;

		EXPECT_EQ(ENOMEM, submit_ptr(fd2, TX, m, cap / 2 + self->pg, 0, &xid)) {
			TH_LOG("pool %zu + pinned %zu bytes, global cap %zu: accepted",
			       cap / 2, cap / 2 + self->pg, cap);
			wait_id(fd2, xid, 0, &comp);
		}
		EXPECT_EQ(0, submit_ptr(fd2, TX, m, cap / 2, 0, &xid));
		EXPECT_EQ(0, wait_id(fd2, xid, 0, &comp));
	}
	EXPECT_EQ(0, buf_free(self->fd, a));
	close(fd2);
	put_param("total_max_bytes", old);
	munmap(m, cap);
	if (self->loop)
		fifo_flush();
}
