// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: close, exit, two processes, timeouts.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

static int quick_xfer(int fd, const struct dmaxfer_chan_info *ci, bool loop)
{
	uint32_t c = ci[TX].flags & DMAXFER_INFO_PRESENT ? TX : RX;
	size_t ql = quick_len(&ci[c]);
	struct dmaxfer_completion comp;
	uint8_t m[256] __attribute__((aligned(8))) = { 0 };
	uint64_t xid;
	int r;

	if (c == RX && loop && write_all(fd, m, ql))
		return -1;
	r = submit_ptr(fd, c, m, ql, 0x9, &xid);
	if (r)
		return r;
	r = wait_id(fd, xid, 0, &comp);
	if (r)
		return r;
	return comp.status ? -comp.status : comp.bytes == ql ? 0 : EIO;
}

/* close() with transfers in flight: no hang, no crash, the device works on. */
TEST_F_TIMEOUT(dmaxfer, close_during_transfer, 90)
{
	struct dmaxfer_chan_info ci;
	struct slow s1, s2 = { 0 };
	double t0, dt, limit;
	unsigned int k, qd, inflight;
	uint8_t *m;
	int fd2, fd3, r;

	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	START_SLOW(&s1, fd2, true);
	if (s1.held) {
		/*
		 * The hold ends at the next submission (the second long
		 * transfer below), and a controller that ends a chain inside
		 * the register write (QEMU's BCM2835) would then leave
		 * nothing in flight for close() to meet: a pass would say
		 * nothing.
		 */
		EXPECT_EQ(0, slow_release(&s1, 71));
		EXPECT_EQ(0, close(fd2));
		slow_unmap(&s1);
		munmap(m, self->pg);
		settle();
		SKIP(return, "every transfer ended at once, and a held one would be issued by the next submission");
	}
	qd = self->ci[s1.chan].queue_depth;
	/* A second long one from user memory, and short ones behind. */
	inflight = s1.lead ? 2 : 1;
	if (inflight < qd) {
		r = slow_start(&s2, fd2, self->ci, self->loop, false, self->pg);
		ASSERT_TRUE(r <= 0) {
			TH_LOG("second long transfer: %s", strerror(r));
		}
		inflight++;
	}
	for (k = 0; inflight < qd && k < 4; k++, inflight++) {
		ASSERT_EQ(0, submit_ptr(fd2, s1.chan, m, quick_len(&self->ci[s1.chan]), k, NULL));
	}
	limit = 2.0 * self->ci[s1.chan].timeout_ms / 1000 + 5;
	/*
	 * The file is released when its last user goes: close() here, or the
	 * munmap() of the pool buffer (the mapping holds the file).
	 */
	t0 = now_s();
	EXPECT_EQ(0, close(fd2));
	note_orphans(t0 + self->ci[s1.chan].timeout_ms / 1000.0);
	/* The pool mapping outlives the file. */
	memset(s1.mem, 0x33, s1.len);
	slow_unmap(&s1);
	if (s2.mem)
		slow_unmap(&s2);
	dt = now_s() - t0;
	EXPECT_LT(dt, limit) {
		TH_LOG("close() and munmap() took %.1f s", dt);
	}
	TH_LOG("close() and munmap() with %u transfers in flight took %.3f s", inflight, dt);
	munmap(m, self->pg);

	/* The other open file and a new one both work, once the orphans ended. */
	settle();
	EXPECT_EQ(0, quick_xfer(self->fd, self->ci, self->loop));
	fd3 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd3);
	EXPECT_EQ(0, info(fd3, any_chan(self), &ci));
	EXPECT_EQ(0, quick_xfer(fd3, self->ci, self->loop));
	close(fd3);
}

/* A process exits with transfers in flight and its pool mapped. */
TEST_F_TIMEOUT(dmaxfer, exit_during_transfer, 90)
{
	double t0, limit = 2.0 * self->ci[any_chan(self)].timeout_ms / 1000 + 10;
	int status = 0, fd3;
	pid_t pid, w;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct slow s1, s2;
		int fd = open(dev_path(), O_RDWR | O_CLOEXEC);

		if (fd < 0)
			_exit(2);
		if (slow_start(&s1, fd, self->ci, self->loop, true, self->pg) > 0)
			_exit(3);
		if (slow_start(&s2, fd, self->ci, self->loop, false, self->pg) > 0)
			_exit(4);
		_exit(0);	/* no close, no munmap, no wait */
	}
	t0 = now_s();
	while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now_s() - t0 < limit)
		usleep(10000);
	ASSERT_EQ(pid, w) {
		TH_LOG("the process did not end in %.0f s", limit);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("child status 0x%x", status);
	}
	note_orphans(now_s() + self->ci[any_chan(self)].timeout_ms / 1000.0);
	/* Its transfers run on until their deadline (decision 9): after them. */
	settle();
	EXPECT_EQ(0, quick_xfer(self->fd, self->ci, self->loop));
	fd3 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd3);
	EXPECT_EQ(0, quick_xfer(fd3, self->ci, self->loop));
	close(fd3);
}

/*
 * One process's share of two_processes: rounds of pool and zero-copy
 * transfers on each channel, on its own open file. 0, or the line that
 * failed.
 */
static int worker(const struct dmaxfer_chan_info *ci, size_t pg)
{
	bool has_rx = ci[RX].flags & DMAXFER_INFO_PRESENT;
	bool has_tx = ci[TX].flags & DMAXFER_INFO_PRESENT;
	unsigned int round, k, n;
	struct dmaxfer_completion comp;
	uint64_t ids[4];
	uint32_t buf[NCHANS] = { 0 };
	uint8_t *m;
	size_t len = 256;
	int fd, ret = 0;

	fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return __LINE__;
	m = anon(pg);
	if (m == MAP_FAILED)
		return __LINE__;
	for (round = 0; round < 8 && !ret; round++) {
		n = 0;
		/* tx before rx: on a loopback device tx feeds rx */
		if (has_tx) {
			if (buf_alloc(fd, TX, pg, &buf[TX], NULL) ||
			    submit_buf(fd, TX, buf[TX], 0, len, n, &ids[n]))
				ret = __LINE__;
			n++;
			if (!ret && submit_ptr(fd, TX, m, len, n, &ids[n]))
				ret = __LINE__;
			n++;
		}
		if (has_rx && !ret) {
			if (buf_alloc(fd, RX, pg, &buf[RX], NULL) ||
			    submit_buf(fd, RX, buf[RX], 0, len, n, &ids[n]))
				ret = __LINE__;
			n++;
			if (!ret && submit_ptr(fd, RX, m + len, len, n, &ids[n]))
				ret = __LINE__;
			n++;
		}
		for (k = 0; k < n && !ret; k++) {
			if (wait_id(fd, ids[k], 0, &comp)) {
				ret = __LINE__;
			} else if (comp.status || comp.bytes != len || comp.user_data != k) {
				fprintf(stderr, "# worker %d, round %u: transfer %u on %s: status %d, %llu bytes, user_data %llu\n",
					(int)getpid(), round, k, comp.chan == TX ? "tx" : "rx", comp.status,
					(unsigned long long)comp.bytes,
					(unsigned long long)comp.user_data);
				ret = __LINE__;
			}
		}
		for (k = 0; k < NCHANS && !ret; k++)
			if (buf[k] && buf_free(fd, buf[k]))
				ret = __LINE__;
	}
	if (!ret && wait_any(fd, 0, &comp) != ENODATA)
		ret = __LINE__;
	close(fd);
	munmap(m, pg);
	return ret;
}

/* Two processes, each with its own open file, transfer at the same time. */
TEST_F_TIMEOUT(dmaxfer, two_processes, 90)
{
	int status, r;
	pid_t pid;

	settle();	/* no closed file's transfer may time out on our channels */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(worker(self->ci, self->pg) ? 1 : 0);
	r = worker(self->ci, self->pg);
	EXPECT_EQ(0, r) {
		TH_LOG("parent failed at line %d", r);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("child status 0x%x", status);
	}
}

/*
 * A transfer that cannot finish in timeout_ms ends with ETIMEDOUT and an
 * exact count; one queued behind it ends too; the channel works on.
 */
TEST_F_TIMEOUT(dmaxfer, timeout_record, 120)
{
	struct dmaxfer_completion comp;
	uint64_t len, bw, id1, id2;
	double t0, dt, tmo;
	struct pattern p;
	uint64_t more;
	uint32_t c;
	uint8_t *m;
	size_t mlen;

	if (self->loop) {
		c = RX;		/* from the empty FIFO: nothing comes */
		len = 4096;
	} else if (self->has[TX]) {
		c = TX;		/* longer than the timeout through a slow peripheral */
		len = 2 * 1024 * 1024;
		if (len > self->ci[TX].max_xfer_len)
			len = self->ci[TX].max_xfer_len;
	} else {
		SKIP(return, "no transfer that outlasts the timeout: rx only, no loopback");
	}
	bw = self->ci[c].bus_width;
	len -= len % bw;
	tmo = self->ci[c].timeout_ms / 1000.0;
	mlen = round_up(len + 64, self->pg);
	m = scattered(mlen, self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	/*
	 * The seeded stream of the dmaxfer tool: a host that captures what
	 * the peripheral got can check that exactly comp.bytes of it arrived
	 * (the "tx: N of" line below).
	 */
	pattern_init(&p, TIMEOUT_SEED);
	pattern_fill(&p, m, mlen);
	ASSERT_EQ(0, submit_ptr(self->fd, c, m, len, 1, &id1));
	/* rx: both ends on the DMA alignment (decision 16) */
	ASSERT_EQ(0, submit_ptr(self->fd, c, m + len, 4 * zc_align(self->ci, c), 2, &id2));
	t0 = now_s();
	ASSERT_EQ(0, wait_id(self->fd, id1, 0, &comp));
	dt = now_s() - t0;
	TH_LOG("%s: %llu of %llu bytes moved, status %d, ended after %.2f s (timeout %.1f s), stream seed %u",
	       c == TX ? "tx" : "rx", (unsigned long long)comp.bytes,
	       (unsigned long long)len, comp.status, dt, tmo, TIMEOUT_SEED);
	if (!comp.status && !self->loop)
		SKIP(return, "%llu bytes took %.1f s, and the timeout is %.1f s: not exceeded",
		     (unsigned long long)len, dt, tmo);
	EXPECT_EQ(-ETIMEDOUT, comp.status) {
		TH_LOG("status %d (%s)", comp.status, strerror(-comp.status));
	}
	EXPECT_EQ(len, comp.bytes + comp.residue);
	if (comp.bytes == len)	/* the controller could not be stopped in time */
		TH_LOG("note: ETIMEDOUT, yet every byte moved");
	if (self->loop) {
		EXPECT_EQ(0ULL, comp.bytes);
	}
	EXPECT_EQ(1ULL, comp.user_data);
	/* Not a hang: ended about when the deadline came (some slack for QEMU). */
	EXPECT_LT(dt, 2 * tmo + 5);
	/* The one behind: cancelled, timed out or done, but accounted for. */
	ASSERT_EQ(0, wait_id(self->fd, id2, 0, &comp));
	EXPECT_TRUE(comp.status == 0 || comp.status == -ECANCELED ||
		    comp.status == -ETIMEDOUT) {
		TH_LOG("status %d (%s)", comp.status, strerror(-comp.status));
	}
	EXPECT_EQ(4 * zc_align(self->ci, c), comp.bytes + comp.residue);
	more = comp.bytes;
	expect_idle(_metadata, self->fd);
	munmap(m, mlen);
	EXPECT_EQ(0, quick_xfer(self->fd, self->ci, self->loop));
	if (c == TX) {	/* for a host that counts what the peripheral got */
		more += quick_len(&self->ci[TX]);
		TH_LOG("tx: then %llu more bytes moved (the transfer behind it, then one to check the channel)",
		       (unsigned long long)more);
	}
}

