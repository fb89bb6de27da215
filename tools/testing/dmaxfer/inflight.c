// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: transfers in flight: NONBLOCK, EINTR, poll(), EBUSY.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

/* ---- transfers in flight -------------------------------------------------- */

/*
 * A tx transfer held unissued (the caller has set hold_issue(1)), where
 * the controller would end it before the test could see it in flight
 * (QEMU's PL330 and BCM2835): @len bytes of @m (tag 0x5105), the second
 * half of @m (from @off) for the submission that issues it.
 */
struct held {
	uint8_t *m;
	size_t len, off;
	uint64_t id;
};

/* Map, fill and submit it: 0 or an errno (the hold is dropped then). */
static int held_submit(FIXTURE_DATA(dmaxfer) *self, struct held *h)
{
	int r;

	h->len = quick_len(&self->ci[TX]);
	h->off = round_up(h->len, self->pg);
	h->m = anon(2 * h->off);
	if (h->m == MAP_FAILED) {
		hold_issue(0);
		return ENOMEM;
	}
	fill(h->m, 2 * h->off, 5);
	r = submit_ptr(self->fd, TX, h->m, h->len, 0x5105, &h->id);
	if (r)
		hold_issue(0);
	return r;
}

/*
 * With the hold dropped: a second submission (tag 0x5106) issues both;
 * both records are reaped and checked, and the file is left idle.
 */
static void held_finish(struct __test_metadata *_metadata,
			FIXTURE_DATA(dmaxfer) *self, struct held *h)
{
	struct dmaxfer_completion comp;
	uint64_t kid;

	ASSERT_EQ(0, submit_ptr(self->fd, TX, h->m + h->off, h->len, 0x5106, &kid));
	ASSERT_EQ(0, wait_id_restart(self->fd, h->id, &comp));
	expect_record(_metadata, &comp, h->id, TX, h->len, 0x5105);
	ASSERT_EQ(0, wait_id_restart(self->fd, kid, &comp));
	expect_record(_metadata, &comp, kid, TX, h->len, 0x5106);
	expect_idle(_metadata, self->fd);
	munmap(h->m, 2 * h->off);
}

TEST_F(dmaxfer, wait_nonblock)
{
	struct dmaxfer_completion comp;
	struct slow s;

	if (!self->loop && self->has[TX] && !hold_issue(1)) {
		/*
		 * A slow transfer can end between two calls, and on QEMU's
		 * BCM2835 it has ended once issue_pending returns (the model
		 * runs the chain in that register write): hold it unissued
		 * so that it is in flight for every call. A second
		 * submission then issues both.
		 */
		struct held h;

		ASSERT_EQ(0, held_submit(self, &h));
		EXPECT_EQ(EAGAIN, wait_id(self->fd, h.id, DMAXFER_WAIT_NONBLOCK, &comp));
		EXPECT_EQ(EAGAIN, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &comp));
		EXPECT_EQ(ENOENT, wait_id(self->fd, h.id + 1000, DMAXFER_WAIT_NONBLOCK, &comp));
		EXPECT_EQ(ENOENT, wait_id(self->fd, h.id + 1000, 0, &comp));
		hold_issue(0);
		held_finish(_metadata, self, &h);
		return;
	}
	START_SLOW(&s, self->fd, false);
	EXPECT_EQ(EAGAIN, wait_id(self->fd, s.id, DMAXFER_WAIT_NONBLOCK, &comp));
	EXPECT_EQ(EAGAIN, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &comp));
	/* An id that is not in flight, while one is. */
	EXPECT_EQ(ENOENT, wait_id(self->fd, s.id + 1000, DMAXFER_WAIT_NONBLOCK, &comp));
	EXPECT_EQ(ENOENT, wait_id(self->fd, s.id + 1000, 0, &comp));
	ASSERT_EQ(0, slow_finish(&s, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	expect_idle(_metadata, self->fd);
	slow_unmap(&s);
}

static volatile sig_atomic_t got_alarm;

static void on_alarm(int sig)
{
	(void)sig;
	got_alarm = 1;
}

/* A signal ends a blocking WAIT with EINTR; the transfer goes on. */
TEST_F(dmaxfer, wait_eintr)
{
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct dmaxfer_completion comp;
	struct slow s;
	int r;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	if (!self->loop && self->has[TX] && !hold_issue(1)) {
		/*
		 * QEMU's PL330 runs a transfer to its end before the CPU can
		 * take the signal: hold it unissued so that the wait is sure
		 * to block. A second submission then issues both.
		 */
		struct held h;

		ASSERT_EQ(0, held_submit(self, &h));
		got_alarm = 0;
		ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
		r = wait_id(self->fd, h.id, 0, &comp);
		hold_issue(0);
		EXPECT_EQ(EINTR, r);
		EXPECT_TRUE(got_alarm);
		held_finish(_metadata, self, &h);
		return;
	}
	START_SLOW(&s, self->fd, false);
	got_alarm = 0;
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	r = wait_id(self->fd, s.id, 0, &comp);
	if (r == 0 && !got_alarm)
		SKIP(return, "the transfer ended before the signal came");
	EXPECT_EQ(EINTR, r);
	EXPECT_TRUE(got_alarm);
	/* Still in flight, or done: either way its record is still to come. */
	ASSERT_EQ(0, slow_finish(&s, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	expect_idle(_metadata, self->fd);
	slow_unmap(&s);
}

/* poll(): POLLIN once a record is ready, not before, not after it is reaped. */
TEST_F_TIMEOUT(dmaxfer, poll_completion, 60)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	struct dmaxfer_completion comp;
	double t0, limit;
	struct slow s;
	pid_t feeder = 0;

	EXPECT_EQ(0, poll(&p, 1, 0));
	if (!self->loop && self->has[TX] && !hold_issue(1)) {
		/*
		 * As in wait_nonblock: the transfer is held unissued, so no
		 * record can be ready before poll() sleeps. A child's write()
		 * on the same channel then issues it, while poll() waits.
		 */
		struct held h;
		int st;

		ASSERT_EQ(0, held_submit(self, &h));
		p.revents = 0;
		EXPECT_EQ(0, poll(&p, 1, 0));
		EXPECT_EQ(0, p.revents & POLLIN);
		hold_issue(0);
		feeder = fork();
		ASSERT_LE(0, feeder);
		if (!feeder) {
			usleep(200000);
			_exit(write_all(self->fd, h.m + h.off, h.len) ? 1 : 0);
		}
		limit = self->ci[TX].timeout_ms + 10000;
		ASSERT_EQ(1, poll(&p, 1, (int)limit));
		EXPECT_NE(0, p.revents & POLLIN);
		ASSERT_EQ(feeder, waitpid(feeder, &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
		ASSERT_EQ(0, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &comp));
		expect_record(_metadata, &comp, h.id, TX, h.len, 0x5105);
		p.revents = 0;
		EXPECT_EQ(0, poll(&p, 1, 0));
		expect_idle(_metadata, self->fd);
		munmap(h.m, 2 * h.off);
		return;
	}
	/*
	 * Loopback: the rx waits for a child's tx, 200 ms after the fork.
	 * On a loaded host that took over a second (the 1 s timeout of the
	 * ABI boots): give the case 10 s, the point is the wake-up.
	 */
	if (self->loop)
		ASSERT_EQ(0, set_timeout_ms(10000));
	START_SLOW(&s, self->fd, false);
	p.revents = 0;
	EXPECT_EQ(0, poll(&p, 1, 0));
	EXPECT_EQ(0, p.revents & POLLIN);
	if (s.chan == RX) {
		/* Loopback: the bytes come from a child while we sleep in poll(). */
		feeder = fork();
		ASSERT_LE(0, feeder);
		if (!feeder) {
			usleep(200000);
			_exit(slow_release(&s, 73) ? 1 : 0);
		}
		s.fed = true;
	}
	limit = self->ci[s.chan].timeout_ms + 10000;
	t0 = now_s();
	ASSERT_EQ(1, poll(&p, 1, (int)limit));
	EXPECT_NE(0, p.revents & POLLIN);
	EXPECT_LT(now_s() - t0, limit / 1000 - 5);
	if (feeder) {
		int st;

		ASSERT_EQ(feeder, waitpid(feeder, &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
	}
	ASSERT_EQ(0, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	p.revents = 0;
	EXPECT_EQ(0, poll(&p, 1, 0));
	expect_idle(_metadata, self->fd);
	slow_unmap(&s);
}

TEST_F(dmaxfer, buf_free_busy)
{
	struct dmaxfer_completion comp;
	struct slow s;

	START_SLOW(&s, self->fd, true);
	EXPECT_EQ(EBUSY, buf_free(self->fd, s.buf_id));
	ASSERT_EQ(0, slow_finish(&s, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	/* Done: it can go now, mapped or not. */
	EXPECT_EQ(0, buf_free(self->fd, s.buf_id));
	slow_unmap(&s);
	expect_idle(_metadata, self->fd);
}

/* munmap() of the pool buffer while the device uses it: the transfer is fine. */
TEST_F(dmaxfer, munmap_in_flight)
{
	struct dmaxfer_completion comp;
	struct slow s;
	uint8_t *p;

	START_SLOW(&s, self->fd, true);
	slow_unmap(&s);
	ASSERT_EQ(0, slow_release(&s, 74));
	ASSERT_EQ(0, slow_finish(&s, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	/* The buffer is still there, with what the transfer left in it. */
	p = buf_map(self->fd, s.mmap_offset, s.mem_len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	ASSERT_EQ(0, sync_buf(self->fd, s.buf_id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0,
			      s.len));
	/* tx: what we wrote; loopback rx: what was sent */
	EXPECT_EQ(-1, check_fill(p, s.len, s.chan == TX ? 7 : 74));
	ASSERT_EQ(0, sync_buf(self->fd, s.buf_id, DMAXFER_SYNC_END | DMAXFER_SYNC_READ, 0,
			      s.len));
	EXPECT_EQ(0, munmap(p, s.mem_len));
	EXPECT_EQ(0, buf_free(self->fd, s.buf_id));
	expect_idle(_metadata, self->fd);
}

/*
 * queue_depth transfers in flight on a channel: one more is EBUSY on that
 * channel, for this file only.
 */
TEST_F_TIMEOUT(dmaxfer, queue_depth_busy, 60)
{
	uint32_t c, other, buf;
	unsigned int qd, k, kc, n = 0, total;
	struct dmaxfer_completion comp;
	uint64_t *ids, xid, fed = 0;
	size_t ql, mlen, pos;
	bool inorder = true, held = false;
	char order[512];
	double t0;
	int r;
	struct slow s;
	uint8_t *m;
	int fd2;

	/*
	 * Everything is prepared first: while a transfer runs on QEMU, the
	 * CPU is slow (it emulates the controller), page faults included.
	 */
	c = self->loop ? RX : any_chan(self);
	other = !c;
	qd = self->ci[c].queue_depth;
	if (qd > 1024)
		SKIP(return, "queue depth %u: too many to fill", qd);
	ql = quick_len(&self->ci[c]);
	mlen = round_up(qd * ql + ql, self->pg);
	m = anon(mlen);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	ids = calloc(qd + 1, sizeof(*ids));
	ASSERT_NE((uintptr_t)NULL, (uintptr_t)(ids));
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);

	/*
	 * The first transfer is long; those behind it stay in flight as long
	 * as it does (a channel's transfers end in order). Where the driver's
	 * hold_issue knob exists, nothing is issued until the queue has been
	 * shown full: QEMU's PL330 may otherwise end the long one first.
	 */
	if (!self->loop && c == TX)
		held = !hold_issue(qd + 8);
	t0 = now_s();
	START_SLOW(&s, self->fd, false);
	ASSERT_EQ(c, s.chan);
	ids[n++] = s.id;
	for (k = n; k < qd; k++) {
		ASSERT_EQ(0, submit_ptr(self->fd, c, m + k * ql, ql, k, &ids[n])) {
			TH_LOG("transfer %u of a queue depth of %u: %s", k + 1, qd, strerror(errno));
		}
		n++;
	}
	r = submit_ptr(self->fd, c, m, ql, 0xb, &xid);
	if (!r) {
		/* Fine only if the queue had room: the long one had ended. */
		ids[n++] = xid;
		ASSERT_NE(EAGAIN, wait_id(self->fd, s.id, DMAXFER_WAIT_NONBLOCK, &comp)) {
			TH_LOG("%u transfers in flight with a queue depth of %u", qd + 1, qd);
		}
		TH_LOG("the long transfer ended while the queue was filled, after %.3f s",
		       now_s() - t0);
		while (!wait_any(self->fd, 0, &comp))
			;
		/* QEMU's PL330 keeps the CPU while it moves data: user space
		 * may not run again before the transfer ends. */
		SKIP(return, "the long transfer ended before the queue could be filled");
	}
	EXPECT_EQ(EBUSY, r);
	EXPECT_EQ(EBUSY, submit_buf(self->fd, c, buf, 0, ql, 0, NULL));
	total = n;
	/* The next submission, fd2's, issues everything held. */
	if (held)
		hold_issue(0);

	/* Another file has its own queue. */
	EXPECT_EQ(0, submit_ptr(fd2, c, m + qd * ql, ql, 0, &xid));

	/* The other channel has its own queue; on a loopback device it feeds c. */
	if (self->has[other]) {
		/* Its own length: rx ends on rx_align (128 on arm64 before 6.5). */
		size_t olen = quick_len(&self->ci[other]);

		if (self->loop) {
			olen = s.len + (qd - 1) * ql + ql;
			fed = olen;
		}
		ASSERT_EQ(0, submit_ptr(self->fd, other, m, olen, 0xfeed, NULL)) {
			TH_LOG("the %s channel while %s is full: %s", other == TX ? "tx" : "rx",
			       c == TX ? "tx" : "rx", strerror(errno));
		}
		total++;
	}
	if (self->loop && !fed) {
		ASSERT_EQ(0, slow_release(&s, 75));
	}
	/* c's records in submission order; the other channel's wherever. */
	for (k = 0, kc = 0, pos = 0; k < total; k++) {
		ASSERT_EQ(0, wait_any(self->fd, 0, &comp));
		EXPECT_EQ(0, comp.status);
		pos += snprintf(order + pos, sizeof(order) - pos, " %s%llu",
				comp.chan == c ? "" : "other:", (unsigned long long)comp.id);
		if (comp.chan == other) {
			EXPECT_EQ(0xfeedULL, comp.user_data);
			continue;
		}
		ASSERT_GT(n, kc);
		EXPECT_EQ(ids[kc], comp.id) {
			inorder = false;
		}
		kc++;
	}
	if (!inorder)
		TH_LOG("records in this order:%s (submitted: %llu, then %llu to %llu)", order,
		       (unsigned long long)ids[0], (unsigned long long)ids[1],
		       (unsigned long long)ids[n - 1]);
	EXPECT_EQ(0, buf_free(self->fd, buf));
	ASSERT_EQ(0, wait_any(fd2, 0, &comp));
	EXPECT_EQ(xid, comp.id);
	EXPECT_EQ(0, comp.status);
	expect_idle(_metadata, fd2);
	expect_idle(_metadata, self->fd);
	close(fd2);
	free(ids);
	munmap(m, mlen);
	slow_unmap(&s);
}

/* A quick transfer on fd works: 0, or a message. */
