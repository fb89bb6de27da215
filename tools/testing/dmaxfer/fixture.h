// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: the fixture, shared by every case, and its record checks.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

/* ---- the fixture ---------------------------------------------------------- */

FIXTURE(dmaxfer) {
	int fd;
	struct dmaxfer_chan_info ci[NCHANS];
	bool has[NCHANS];
	bool loop;		/* DMAXFER_LOOPBACK=1 and both channels */
	size_t pg;
};

FIXTURE_SETUP(dmaxfer)
{
	uint32_t c;

	self->pg = (size_t)sysconf(_SC_PAGESIZE);
	self->fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	if (self->fd < 0 && (errno == ENOENT || errno == ENXIO || errno == ENODEV))
		SKIP(return, "%s: %s", dev_path(), strerror(errno));
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", dev_path(), strerror(errno));
	}
	for (c = 0; c < NCHANS; c++) {
		ASSERT_EQ(0, info(self->fd, c, &self->ci[c])) {
			TH_LOG("DMAXFER_IOC_INFO(%u): %s", c, strerror(errno));
		}
		self->has[c] = self->ci[c].flags & DMAXFER_INFO_PRESENT;
		if (self->has[c] && !self->ci[c].bus_width)
			self->ci[c].bus_width = 1;	/* checked in info_present */
	}
	ASSERT_TRUE(self->has[TX] || self->has[RX]);
	self->loop = loopback_env() && self->has[TX] && self->has[RX];
	if (self->loop)
		fifo_flush();
}

FIXTURE_TEARDOWN(dmaxfer)
{
	hold_issue(0);		/* in case a test that held its issue failed */
	restore_timeout();
	if (self->fd >= 0)
		close(self->fd);
	if (self->loop)
		fifo_flush();
}

/* A channel that moves data by itself: tx, or rx if there is no tx. */
static uint32_t any_chan(FIXTURE_DATA(dmaxfer) *self)
{
	return self->has[TX] ? TX : RX;
}

#define START_SLOW(s, fd, pool) do {						\
	int __r = slow_start_retry(s, fd, self->ci, self->loop, pool, self->pg); \
	if (__r == -2)								\
		SKIP(return, "no transfer stays in flight: no tx, and not a loopback device"); \
	if (__r == -1 && !(s)->early.status)					\
		SKIP(return, "a %llu-byte %s transfer %s ended before it could be seen in flight", \
		     (unsigned long long)(s)->len,				\
		     (s)->chan == TX ? "tx" : "rx", pool ? "from the pool" : "zero-copy"); \
	ASSERT_EQ(0, (s)->early.status) {					\
		TH_LOG("a %llu-byte %s transfer %s failed at once: %s, %llu bytes moved", \
		       (unsigned long long)(s)->len, (s)->chan == TX ? "tx" : "rx", \
		       pool ? "from the pool" : "zero-copy",			\
		       strerror(-(s)->early.status),				\
		       (unsigned long long)(s)->early.bytes);			\
	}									\
	ASSERT_EQ(0, __r) {							\
		TH_LOG("starting a long transfer: %s", strerror(__r));		\
	}									\
	if ((s)->held)								\
		TH_LOG("every try ended at once: the %s transfer is held unissued", \
		       (s)->chan == TX ? "tx" : "rx");				\
} while (0)

/* Reap one record with ANY and check it is a good one for id/len. */
static void expect_record(struct __test_metadata *_metadata,
			  const struct dmaxfer_completion *c, uint64_t id,
			  uint32_t chan, uint64_t len, uint64_t user_data)
{
	EXPECT_EQ(id, c->id);
	EXPECT_EQ(chan, c->chan);
	EXPECT_EQ(0, c->status) {
		TH_LOG("transfer %llu: status %d (%s)", (unsigned long long)id,
		       c->status, strerror(-c->status));
	}
	EXPECT_EQ(len, c->bytes);
	EXPECT_EQ(0ULL, c->residue);
	EXPECT_EQ(user_data, c->user_data);
	EXPECT_EQ(0U, c->result_flags);	/* ended complete: nothing unknown */
	EXPECT_EQ(0ULL, c->reserved[0]);
	EXPECT_EQ(0ULL, c->reserved[1]);
}

/* Nothing in flight and no record left: ANY gives ENODATA. */
static void expect_idle(struct __test_metadata *_metadata, int fd)
{
	struct dmaxfer_completion c;

	EXPECT_EQ(ENODATA, wait_any(fd, 0, &c));
	EXPECT_EQ(ENODATA, wait_any(fd, DMAXFER_WAIT_NONBLOCK, &c));
}

/* Loopback: send len bytes on tx, for rx transfers to take. */
static void feed(struct __test_metadata *_metadata, FIXTURE_DATA(dmaxfer) *self,
		 size_t len, uint32_t seed)
{
	void *b;

	if (!self->loop)
		return;
	b = anon(round_up(len, self->pg));
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(b));
	fill(b, len, seed);
	ASSERT_EQ(0, write_all(self->fd, b, len));
	munmap(b, round_up(len, self->pg));
}

