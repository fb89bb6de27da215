// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: deadlines that are not in submission order, expiry behind
 * a stream (one abort for one expiry), and system sleep with a closed
 * file's transfer and a stream in flight. Loopback only: rx transfers stay in flight until tx feeds them.
 * Part of dmaxfer_test.c.
 */

/*
 * A transfer submitted after timeout_ms was lowered times out at its own
 * deadline, although one submitted before it (with an hour's timeout) is
 * still in flight ahead of it: expiry looks at every transfer, not only at
 * the oldest.
 */
TEST_F_TIMEOUT(dmaxfer, deadline_out_of_order, 60)
{
	struct dmaxfer_completion c;
	uint64_t ida, idb;
	double t0;
	uint8_t *m;

	if (!self->loop)
		SKIP(return, "needs a loopback device: rx must stay in flight");
	m = anon(2 * 4096);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	ASSERT_EQ(0, set_timeout_ms(3600000));
	ASSERT_EQ(0, submit_ptr(self->fd, RX, m, quick_len(&self->ci[RX]), 1, &ida));
	ASSERT_EQ(0, set_timeout_ms(300));
	ASSERT_EQ(0, submit_ptr(self->fd, RX, m + 4096, quick_len(&self->ci[RX]), 2, &idb));
	t0 = now_s();
	ASSERT_EQ(0, wait_id(self->fd, idb, 0, &c));
	EXPECT_EQ(-ETIMEDOUT, c.status);
	EXPECT_GT(5.0, now_s() - t0) {
		TH_LOG("the 300 ms transfer ended after %.1f s", now_s() - t0);
	}
	/* The same abort ended the older one, not past its deadline. */
	ASSERT_EQ(0, wait_id(self->fd, ida, 0, &c));
	EXPECT_EQ(-ECANCELED, c.status);
	munmap(m, 2 * 4096);
}

/*
 * WAIT_NONBLOCK for a file whose transfer is overdue, while another file's
 * read() holds the channel (waiting for data): it returns at once, EAGAIN,
 * rather than wait behind the stream to terminate the channel itself.
 */
TEST_F_TIMEOUT(dmaxfer, nonblock_behind_stream, 60)
{
	struct reader b = { .len = 64 };
	struct dmaxfer_completion c;
	pthread_t th;
	double t0, dt;
	uint64_t id;
	uint8_t *m;

	if (!self->loop)
		SKIP(return, "needs a loopback device: rx must stay in flight");
	m = anon(4096);
	b.buf = anon(4096);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)b.buf);
	ASSERT_EQ(0, set_timeout_ms(1000));
	ASSERT_EQ(0, submit_ptr(self->fd, RX, m, quick_len(&self->ci[RX]), 1, &id));
	b.fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, b.fd);
	usleep(300 * 1000);
	ASSERT_EQ(0, pthread_create(&th, NULL, read_thread, &b));
	/* Past the async deadline, before the read's own. */
	usleep(900 * 1000);
	t0 = now_s();
	/* The helpers return the errno. */
	EXPECT_EQ(EAGAIN, wait_id(self->fd, id, DMAXFER_WAIT_NONBLOCK, &c));
	dt = now_s() - t0;
	EXPECT_GT(0.1, dt) {
		TH_LOG("WAIT_NONBLOCK took %.3f s behind the stream", dt);
	}
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* The read timed out: the channel's abort ended the async one too. */
	EXPECT_EQ(-1, b.r);
	ASSERT_EQ(0, wait_id(self->fd, id, 0, &c));
	EXPECT_NE(0, c.status);
	close(b.fd);
	munmap(m, 4096);
	munmap(b.buf, 4096);
}

struct blocked_wait {
	int fd;
	uint64_t id;
	int r;
	struct dmaxfer_completion c;
};

static void *blocked_wait_thread(void *arg)
{
	struct blocked_wait *w = arg;

	w->r = wait_id(w->fd, w->id, 0, &w->c);
	return NULL;
}

struct blocked_submit {
	int fd;
	uint8_t *buf;
	size_t len;
	uint64_t id;
	int r;
};

static void *blocked_submit_thread(void *arg)
{
	struct blocked_submit *bs = arg;

	bs->r = submit_ptr(bs->fd, RX, bs->buf, bs->len, 2, &bs->id);
	return NULL;
}

/*
 * One expiry, one abort, in a fixed order: another file's read() holds
 * the rx channel (waiting for data) when
 *   1. a SUBMIT queues for the channel (t = 0.6 s), then
 *   2. a blocking WAIT for this file's overdue rx sees the expiry without
 *      the channel lock and queues behind it (t = 1.5 s, the deadline);
 *   3. the read() times out and aborts the channel, which ends the
 *      overdue rx too (t = 1.8 s); the SUBMIT, first in the queue, starts
 *      its transfer;
 *   4. the WAIT gets the lock and must find nothing left to expire.
 * A second abort there ends the new transfer with -ECANCELED (what an
 * independent client saw); it must time out at its own deadline instead.
 */
TEST_F_TIMEOUT(dmaxfer, wait_behind_stream_one_abort, 60)
{
	struct reader b = { .len = 64 };
	struct blocked_wait w = { .fd = self->fd };
	struct blocked_submit bs = { .fd = self->fd };
	struct dmaxfer_completion c;
	pthread_t tr, tw, ts;
	uint8_t *m;

	if (!self->loop)
		SKIP(return, "needs a loopback device: rx must stay in flight");
	m = anon(2 * 4096);
	b.buf = anon(4096);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)b.buf);
	bs.buf = m + 4096;
	bs.len = quick_len(&self->ci[RX]);
	ASSERT_EQ(0, set_timeout_ms(1500));
	ASSERT_EQ(0, submit_ptr(self->fd, RX, m, quick_len(&self->ci[RX]), 1, &w.id));
	ASSERT_EQ(0, pthread_create(&tw, NULL, blocked_wait_thread, &w));
	b.fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, b.fd);
	usleep(300 * 1000);
	ASSERT_EQ(0, pthread_create(&tr, NULL, read_thread, &b));
	usleep(300 * 1000);
	ASSERT_EQ(0, pthread_create(&ts, NULL, blocked_submit_thread, &bs));
	ASSERT_EQ(0, pthread_join(tr, NULL));
	ASSERT_EQ(0, pthread_join(ts, NULL));
	ASSERT_EQ(0, pthread_join(tw, NULL));
	EXPECT_EQ(-1, b.r);
	EXPECT_EQ(ETIMEDOUT, b.err);
	EXPECT_EQ(0, w.r);
	EXPECT_NE(0, w.c.status);
	ASSERT_EQ(0, bs.r);
	ASSERT_EQ(0, wait_id(self->fd, bs.id, 0, &c));
	EXPECT_EQ(-ETIMEDOUT, c.status) {
		TH_LOG("the transfer submitted behind the stream ended %d (%s)", c.status,
		       strerror(-c.status));
	}
	close(b.fd);
	munmap(m, 2 * 4096);
	munmap(b.buf, 4096);
}

/*
 * System sleep (DMAXFER_SLEEP=1 only: the case suspends the machine, and
 * needs the PL031 RTC's alarm): a closed file's rx with a minute to its
 * deadline, and a read() waiting for data, holding the channel. Neither
 * may make the freezer fail (the release worker used to sleep until the
 * deadline in a freezable workqueue, which fails every suspend for that
 * long). After resume both transfers get their data.
 */
TEST_F_TIMEOUT(dmaxfer, freeze_with_closed_rx_and_stream, 120)
{
	struct reader b = { .len = 4096 };
	uint8_t *m, *tx;
	pthread_t th;
	int fd1, rtc;

	if (!getenv("DMAXFER_SLEEP"))
		SKIP(return, "suspends the system: DMAXFER_SLEEP=1 only (virt64-sleep)");
	if (!self->loop)
		SKIP(return, "needs a loopback device: rx must stay in flight");
	m = anon(4096);
	b.buf = anon(4096);
	tx = anon(8192);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)tx);
	fill(tx, 8192, 77);
	ASSERT_EQ(0, set_timeout_ms(60000));
	fd1 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd1);
	ASSERT_EQ(0, submit_ptr(fd1, RX, m, 4096, 1, NULL));
	EXPECT_EQ(0, close(fd1));
	b.fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, b.fd);
	ASSERT_EQ(0, pthread_create(&th, NULL, read_thread, &b));
	usleep(200 * 1000);

	write_str("/sys/class/rtc/rtc0/wakealarm", "0");
	write_str("/sys/class/rtc/rtc0/wakealarm", "+2");
	rtc = open("/sys/power/state", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, rtc);
	EXPECT_EQ(6, write(rtc, "freeze", 6)) {
		TH_LOG("suspend failed: %s (see the freezer's messages)", strerror(errno));
	}
	close(rtc);

	/* The closed file's rx takes the first 4 KiB, the read() the next. */
	ASSERT_EQ(0, write_all(self->fd, tx, 8192));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(4096, b.r) {
		TH_LOG("read(): %zd, %s", b.r, strerror(b.err));
	}
	EXPECT_EQ(0, memcmp(b.buf, tx + 4096, 4096));
	close(b.fd);
	munmap(m, 4096);
	munmap(b.buf, 4096);
	munmap(tx, 8192);
}
