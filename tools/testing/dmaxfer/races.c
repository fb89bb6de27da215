// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: races around a transfer's deadline, looped (DMAXFER_ITERS
 * times, default 20): what an independent client hit.
 *
 * - close_at_deadline_*: a use-after-free of the per-file object (KASAN:
 *   slab-use-after-free in dmasim_work -> dmaxfer_callback -> ... ->
 *   __wake_up) when a file is closed while one of its transfers ends, at
 *   its deadline or by itself. Each shape is its own case.
 * - timeout_status_*: a timed-out transfer must end with -ETIMEDOUT (never
 *   -ECANCELED: no other transfer timed out), and a transfer submitted
 *   right after it was reaped must not be cancelled by a late watchdog.
 *
 * A kernel bug shows in the kernel log (KASAN, UBSAN, WARNING, BUG, lockdep) and
 * in /sys/kernel/warn_count (KASAN reports count there too): each case
 * reads both, and fails on either. Part of dmaxfer_test.c.
 */

/*
 * The device's timeout for the loops: DMAXFER_RACE_TIMEOUT_MS, when set,
 * replaces it (through sysfs) for the case, so that long loops are
 * shorter; the old value is put back at the end. Returns the old value, 0
 * if nothing was changed.
 */
static uint64_t race_timeout(FIXTURE_DATA(dmaxfer) *self)
{
	const char *v = getenv("DMAXFER_RACE_TIMEOUT_MS");
	char path[256];
	uint64_t old, ms = v && *v ? strtoull(v, NULL, 0) : 0;
	uint32_t c;

	dev_sysfs("timeout_ms", path, sizeof(path));
	if (!ms || read_u64(path, &old) || write_u64(path, ms))
		return 0;
	saved_timeout_ms = old;		/* the teardown puts it back too */
	for (c = 0; c < NCHANS; c++)
		info(self->fd, c, &self->ci[c]);
	return old;
}

static void race_timeout_restore(FIXTURE_DATA(dmaxfer) *self, uint64_t old)
{
	char path[256];
	uint32_t c;

	if (!old)
		return;
	write_u64(dev_sysfs("timeout_ms", path, sizeof(path)), old);
	saved_timeout_ms = 0;
	for (c = 0; c < NCHANS; c++)
		info(self->fd, c, &self->ci[c]);
}

struct race_state {
	int kmsg;
	uint64_t warns;
	double t0;
	uint64_t old_tmo;
};

/*
 * @deadline: the loop waits for deadlines, so DMAXFER_RACE_TIMEOUT_MS
 * shortens it. A loop of transfers that must complete keeps the device's
 * timeout: a short one would end them -ETIMEDOUT on a loaded host.
 */
static void race_begin(FIXTURE_DATA(dmaxfer) *self, struct race_state *rs, bool deadline)
{
	rs->old_tmo = deadline ? race_timeout(self) : 0;
	rs->kmsg = kmsg_open();
	rs->warns = warn_count();
	rs->t0 = now_s();
}

/* After a loop: the kernel log is clean, nothing warned, the device works. */
static void race_end(struct __test_metadata *_metadata, FIXTURE_DATA(dmaxfer) *self,
		     struct race_state *rs, const char *what, unsigned int n)
{
	char line[512];

	TH_LOG("%s: %u iterations in %.1f s (timeout %u ms)", what, n, now_s() - rs->t0,
	       self->ci[self->loop ? RX : TX].timeout_ms);
	/* A report printed by a worker may come a little later. */
	usleep(200000);
	EXPECT_FALSE(kmsg_trouble(rs->kmsg, line, sizeof(line))) {
		TH_LOG("kernel: %s", line);
	}
	if (rs->warns != UINT64_MAX) {
		EXPECT_EQ(rs->warns, warn_count()) {
			TH_LOG("/sys/kernel/warn_count went from %llu to %llu",
			       (unsigned long long)rs->warns,
			       (unsigned long long)warn_count());
		}
	}
	if (rs->kmsg >= 0)
		close(rs->kmsg);
	race_timeout_restore(self, rs->old_tmo);
	if (self->loop)
		fifo_flush();
	EXPECT_EQ(0, quick_xfer(self->fd, self->ci, self->loop));
}

/* Offsets around the deadline, in ms, cycled through by the loops. */
static double deadline_jitter(unsigned int i)
{
	static const int ms[] = { -30, -10, -4, -2, -1, 0, 1, 2, 4, 10 };

	return ms[i % ARRAY_SIZE(ms)] / 1000.0;
}

/*
 * From 2 ms before the deadline to 8 ms after it, in 0.5 ms steps: where a
 * WAIT that begins then meets the file's watchdog, which runs a jiffy or
 * two after the deadline (4 ms at HZ=250, 10 ms at HZ=100).
 */
static double watchdog_sweep(unsigned int i)
{
	return -0.002 + (i % 21) * 0.0005;
}

/* (a) A transfer in flight; the file is closed just before (or at) its deadline. */
TEST_F_TIMEOUT(dmaxfer, close_at_deadline_inflight, 3600)
{
	unsigned int n = iters(), i;
	struct race_state rs;
	double worst = 0, prev = 0;

	if (!can_stick(self))
		SKIP(return, NO_STUCK);
	race_begin(self, &rs, true);
	for (i = 0; i < n; i++) {
		struct stuck s;
		double t;
		int fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);

		ASSERT_LE(0, fd2);
		/*
		 * The last one, orphaned by its close, ends at its deadline by
		 * aborting the channel: stuck_start() waits for that (settle()).
		 */
		START_STUCK(&s, fd2);
		sleep_until(s.t0 + s.tmo + deadline_jitter(i));
		t = now_s();
		EXPECT_EQ(0, close(fd2));
		t = now_s() - t;
		if (t > worst)
			worst = t;
		prev = s.t0 + s.tmo;
		note_orphans(prev);
		stuck_free(&s);
	}
	sleep_until(prev + 0.3);
	TH_LOG("longest close(): %.3f s", worst);
	race_end(_metadata, self, &rs, "close at the deadline", n);
}

/* (b) The timed-out record is reaped, then the file is closed at once. */
TEST_F_TIMEOUT(dmaxfer, close_at_deadline_reaped, 3600)
{
	unsigned int n = iters(), i, odd = 0;
	struct dmaxfer_completion c;
	struct race_state rs;

	if (!can_stick(self))
		SKIP(return, NO_STUCK);
	race_begin(self, &rs, true);
	for (i = 0; i < n; i++) {
		struct stuck s;
		int fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);

		ASSERT_LE(0, fd2);
		START_STUCK(&s, fd2);
		/* Alternately: WAIT by id, WAIT ANY, NONBLOCK after the deadline. */
		if (i % 3 == 2) {
			sleep_until(s.t0 + s.tmo + 0.002);
			while (wait_any(fd2, DMAXFER_WAIT_NONBLOCK, &c) == EAGAIN)
				usleep(500);
		} else {
			ASSERT_EQ(0, wait_id(fd2, i % 3 ? 0 : s.id,
					     i % 3 ? DMAXFER_WAIT_ANY : 0, &c));
		}
		EXPECT_EQ(0, close(fd2));
		if (c.status != -ETIMEDOUT)
			odd++;
		stuck_free(&s);
	}
	if (odd)	/* timeout_status_* asserts this */
		TH_LOG("%u of %u records were not -ETIMEDOUT", odd, n);
	race_end(_metadata, self, &rs, "reap then close", n);
}

struct waiter {
	int fd;
	int r;
	struct dmaxfer_completion c;
};

/*
 * The WAIT runs in a task that shares the memory and the file table (a
 * thread, made with clone() directly: no futex is needed to join it).
 */
static int wait_task(void *arg)
{
	struct waiter *w = arg;

	w->r = wait_any(w->fd, 0, &w->c);
	return 0;
}

/* (c) One thread sleeps in WAIT, another closes the file around the deadline. */
TEST_F_TIMEOUT(dmaxfer, close_at_deadline_waiting, 3600)
{
	size_t stack_len = 256 * 1024;
	unsigned int n = iters(), i;
	struct race_state rs;
	uint8_t *stack;

	if (!can_stick(self))
		SKIP(return, NO_STUCK);
	stack = anon(stack_len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)stack);
	race_begin(self, &rs, true);
	for (i = 0; i < n; i++) {
		struct waiter w = { 0 };
		struct stuck s;
		int st;
		pid_t pid;

		w.fd = open(dev_path(), O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, w.fd);
		START_STUCK(&s, w.fd);
		pid = clone(wait_task, stack + stack_len, CLONE_VM | CLONE_FILES | SIGCHLD, &w);
		ASSERT_LT(0, pid);
		sleep_until(s.t0 + s.tmo + deadline_jitter(i));
		/* The WAIT in progress holds the file: release follows its return. */
		EXPECT_EQ(0, close(w.fd));
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		/* A WAIT that started after the close finds no file: EBADF. */
		EXPECT_TRUE(w.r == 0 || w.r == EBADF) {
			TH_LOG("WAIT beside close: %s", strerror(w.r));
		}
		stuck_free(&s);
	}
	munmap(stack, stack_len);
	race_end(_metadata, self, &rs, "WAIT in one thread, close in another", n);
}

struct feeder {
	int fd;
	size_t len;
	double at;
	int r;
};

static void *feed_thread(void *arg)
{
	struct feeder *f = arg;
	uint8_t *b = anon(round_up(f->len, 4096));

	if (b == MAP_FAILED) {
		f->r = errno;
		return NULL;
	}
	sleep_until(f->at);
	f->r = write_all(f->fd, b, f->len);
	munmap(b, round_up(f->len, 4096));
	return NULL;
}

/*
 * (d) The transfers end by themselves - the controller's completions, from
 * its worker, one after another - while the file is being released:
 * loopback only (another file's write() feeds the rx transfers). A
 * release that waits for them is woken by each completion; the last one
 * must not meet a file that is already gone (the reported KASAN
 * slab-use-after-free in __wake_up came from the controller's worker).
 */
TEST_F_TIMEOUT(dmaxfer, close_at_completion, 3600)
{
	/* No deadline to wait for: an iteration is short, so ten times as many. */
	unsigned int n = 10 * iters(), i, qd = self->ci[RX].queue_depth;
	/* The unit of the rx sizes: 64 bytes, or rx_align if larger. */
	size_t u = zc_align(self->ci, RX) > 64 ? zc_align(self->ci, RX) : 64;
	struct race_state rs;
	uint8_t *m;

	if (!self->loop)
		SKIP(return, "needs a loopback device: the close must meet rx transfers that the FIFO completes");
	if (qd > 16)
		qd = 16;
	race_begin(self, &rs, false);
	/*
	 * Each iteration feeds exactly what its transfers take, and the FIFO
	 * is not flushed between iterations: a transfer of a closed file that
	 * has not had its bytes yet still gets them, in order. Each uses
	 * memory of its own: the transfers of closed files keep theirs mapped
	 * until they end, and DMA-API debug warns about more than 7
	 * overlapping mappings of one cache line.
	 */
	for (i = 0; i < n; i++) {
		struct feeder fe = { .fd = self->fd };
		/* The last one's size varies: so does the gap between the last two ends. */
		size_t last = u * (1 + i % 32);
		unsigned int k;
		pthread_t th;
		int fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);

		ASSERT_LE(0, fd2);
		m = anon(16 * 8192);
		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
		for (k = 0; k < qd; k++) {
			ASSERT_EQ(0, submit_ptr(fd2, RX, m + k * 8192, k + 1 < qd ? u : last, k,
						NULL));
		}
		fe.len = (qd - 1) * u + last;
		fe.at = now_s() + 0.01;
		ASSERT_EQ(0, pthread_create(&th, NULL, feed_thread, &fe));
		/* Mostly before the feed, so that the release waits for them. */
		sleep_until(fe.at - 0.004 + (i % 11) * 0.0005);
		EXPECT_EQ(0, close(fd2));
		ASSERT_EQ(0, pthread_join(th, NULL));
		EXPECT_EQ(0, fe.r);
		munmap(m, 16 * 8192);	/* pages in use stay pinned */
	}
	note_orphans(now_s() + self->ci[RX].timeout_ms / 1000.0);
	race_end(_metadata, self, &rs, "close at the controller's completions", n);
}

/*
 * A lone transfer past its own deadline: -ETIMEDOUT, never -ECANCELED,
 * however its record is reaped (blocking WAIT that meets the watchdog,
 * WAIT after the deadline, poll() then NONBLOCK).
 */
TEST_F_TIMEOUT(dmaxfer, timeout_status_lone, 3600)
{
	unsigned int n = iters(), i, bad = 0;
	struct dmaxfer_completion c;
	struct race_state rs;

	if (!can_stick(self))
		SKIP(return, NO_STUCK);
	race_begin(self, &rs, true);
	for (i = 0; i < n; i++) {
		struct pollfd p = { .fd = self->fd, .events = POLLIN };
		struct stuck s;

		START_STUCK(&s, self->fd);
		switch (i % 4) {
		case 0:
			ASSERT_EQ(0, wait_id(self->fd, s.id, 0, &c));
			break;
		case 1:
		case 2:
			sleep_until(s.t0 + s.tmo + watchdog_sweep(i / 2));
			ASSERT_EQ(0, wait_id(self->fd, s.id, 0, &c));
			break;
		default:
			ASSERT_EQ(1, poll(&p, 1, (int)(s.tmo * 1000) + 5000));
			ASSERT_EQ(0, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &c));
			break;
		}
		EXPECT_EQ(s.id, c.id);
		EXPECT_EQ(-ETIMEDOUT, c.status) {
			TH_LOG("iteration %u (reaped by %s): status %d (%s)", i,
			       i % 4 == 0 ? "a blocking WAIT" : i % 4 < 3 ?
			       "WAIT around the deadline" : "poll() and NONBLOCK",
			       c.status, strerror(-c.status));
			bad++;
		}
		EXPECT_EQ(s.len, c.bytes + c.residue);
		if (self->loop) {
			EXPECT_EQ(0ULL, c.bytes);
		}
		stuck_free(&s);
		if (bad > 3)
			break;
	}
	expect_idle(_metadata, self->fd);
	race_end(_metadata, self, &rs, "lone timed-out transfer", i);
}

/*
 * A transfer submitted at once after a timed-out one was reaped, on the
 * same file and channel: its deadline is its own, nothing else timed out,
 * so it ends well (a late watchdog must not cancel it).
 */
TEST_F_TIMEOUT(dmaxfer, timeout_status_next, 3600)
{
	unsigned int n = iters(), i, bad = 0;
	struct dmaxfer_completion c;
	struct race_state rs;
	uint8_t *m;

	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	if (!can_stick(self))
		SKIP(return, NO_STUCK);
	race_begin(self, &rs, false);
	for (i = 0; i < n; i++) {
		struct feeder fe = { .fd = self->fd };
		struct stuck s;
		pthread_t th;
		uint64_t id;
		size_t len;

		START_STUCK(&s, self->fd);
		/* The WAIT begins where it may meet the watchdog. */
		sleep_until(s.t0 + s.tmo + watchdog_sweep(i));
		ASSERT_EQ(0, wait_id(self->fd, s.id, 0, &c));
		EXPECT_EQ(-ETIMEDOUT, c.status) {
			TH_LOG("iteration %u: the timed-out one ended %d (%s)", i, c.status,
			       strerror(-c.status));
		}
		len = s.chan == RX ? s.len : quick_len(&self->ci[TX]);
		/* At once: rx waits a few ms for its bytes, so a late abort would hit it. */
		ASSERT_EQ(0, submit_ptr(self->fd, s.chan, m, len, 0x4e, &id));
		if (s.chan == RX) {
			fe.len = len;
			fe.at = now_s() + 0.005;
			ASSERT_EQ(0, pthread_create(&th, NULL, feed_thread, &fe));
		}
		ASSERT_EQ(0, wait_id(self->fd, id, 0, &c));
		if (s.chan == RX) {
			ASSERT_EQ(0, pthread_join(th, NULL));
			EXPECT_EQ(0, fe.r);
		}
		EXPECT_EQ(0, c.status) {
			TH_LOG("iteration %u: the transfer after the timed-out one ended %d (%s), %llu bytes",
			       i, c.status, strerror(-c.status), (unsigned long long)c.bytes);
			bad++;
		}
		EXPECT_EQ(len, c.bytes);
		stuck_free(&s);
		if (bad > 3)
			break;
	}
	expect_idle(_metadata, self->fd);
	munmap(m, self->pg);
	race_end(_metadata, self, &rs, "transfer after a timed-out one", i);
}
