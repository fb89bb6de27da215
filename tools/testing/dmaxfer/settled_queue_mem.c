// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: the settled behaviour (Documentation/uapi.rst, "Settled
 * behaviour"), decisions 1 to 8: WAIT_ANY when idle, queue slots held
 * until reaped, buffer ranges and lengths, the memory a transfer or a
 * read() may use, transfer ids. One case per decision, named after what it
 * checks; the number of the decision is in each comment. Part of
 * dmaxfer_test.c (settled_close_abi.c has the rest).
 */

/* The sysfs counter FILE of channel c ("tx/transfers"): value, or UINT64_MAX. */
static uint64_t chan_stat(uint32_t c, const char *file)
{
	char name[64], path[256];
	uint64_t v;

	snprintf(name, sizeof(name), "%s/%s", c == TX ? "tx" : "rx", file);
	return read_u64(dev_sysfs(name, path, sizeof(path)), &v) ? UINT64_MAX : v;
}

/* 1: ENODATA when nothing is in flight and nothing is ready; EAGAIN only while something is in flight. */
TEST_F(dmaxfer, wait_any_idle_enodata)
{
	struct dmaxfer_completion c;
	struct stuck s;

	EXPECT_EQ(ENODATA, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &c));
	EXPECT_EQ(ENODATA, wait_any(self->fd, 0, &c));
	if (!can_stick(self))
		SKIP(return, NO_STUCK);
	START_STUCK(&s, self->fd);
	EXPECT_EQ(EAGAIN, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &c));
	ASSERT_EQ(0, wait_id(self->fd, s.id, 0, &c));
	EXPECT_EQ(ENODATA, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &c));
	stuck_free(&s);
}

/* 2: an ended, unreaped transfer holds its queue slot until it is reaped. */
TEST_F_TIMEOUT(dmaxfer, queue_depth_counts_unreaped, 60)
{
	uint32_t c = any_chan(self), buf;
	unsigned int qd = self->ci[c].queue_depth, k;
	size_t ql = quick_len(&self->ci[c]);
	struct dmaxfer_completion comp;
	uint64_t before, now, xid;
	double t0;
	uint8_t *m;

	if (qd > 64)
		SKIP(return, "queue depth %u: too many to fill", qd);
	before = chan_stat(c, "transfers");
	if (before == UINT64_MAX)
		SKIP(return, "no sysfs %s/transfers counter: cannot tell that every transfer ended",
		     c == TX ? "tx" : "rx");
	m = anon(round_up(qd * ql, self->pg));
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	if (c == RX)
		feed(_metadata, self, (qd + 1) * ql, 7);
	for (k = 0; k < qd; k++) {
		ASSERT_EQ(0, submit_ptr(self->fd, c, m + k * ql, ql, k, NULL)) {
			TH_LOG("transfer %u of %u: %s", k + 1, qd, strerror(errno));
		}
	}
	/* All of them end, none is reaped. */
	t0 = now_s();
	do {
		usleep(10000);
		now = chan_stat(c, "transfers");
	} while (now - before < qd && now_s() - t0 < 10);
	ASSERT_LE(before + qd, now) {
		TH_LOG("only %llu of %u transfers ended in 10 s",
		       (unsigned long long)(now - before), qd);
	}
	EXPECT_EQ(EBUSY, submit_ptr(self->fd, c, m, ql, 0xb, &xid)) {
		TH_LOG("%u records unreaped, queue depth %u: a submission was accepted", qd, qd);
		wait_id(self->fd, xid, 0, &comp);
	}
	EXPECT_EQ(EBUSY, submit_buf(self->fd, c, buf, 0, ql, 0xb, &xid)) {
		wait_id(self->fd, xid, 0, &comp);
	}
	/* One reaped: one slot. */
	ASSERT_EQ(0, wait_any(self->fd, 0, &comp));
	EXPECT_EQ(0, comp.status);
	EXPECT_EQ(0, submit_ptr(self->fd, c, m, ql, 0xc, &xid));
	for (k = 0; k < qd; k++) {
		ASSERT_EQ(0, wait_any(self->fd, 0, &comp));
		EXPECT_EQ(0, comp.status);
	}
	expect_idle(_metadata, self->fd);
	EXPECT_EQ(0, buf_free(self->fd, buf));
	munmap(m, round_up(qd * ql, self->pg));
}

/* 3: "in the buffer" means the length asked for, not the page-rounded size. */
TEST_F(dmaxfer, range_is_requested_length)
{
	uint32_t c;

	for (c = 0; c < NCHANS; c++) {
		uint64_t bw = self->ci[c].bus_width, len = self->pg / 2 - bw, off, xid;
		struct dmaxfer_completion comp;
		uint32_t id;
		void *p;

		if (!self->has[c])
			continue;
		len -= len % bw;
		ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
		/* Beyond the length asked for, inside the page: refused. */
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, id, 0, len + bw, 0, NULL)) {
			TH_LOG("%s: pool transfer of %llu bytes from a %llu-byte buffer",
			       c == TX ? "tx" : "rx", (unsigned long long)(len + bw),
			       (unsigned long long)len);
		}
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, id, len, bw, 0, NULL));
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, id, self->pg - bw, bw, 0, NULL));
		EXPECT_EQ(EINVAL, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
					   0, len + 1)) {
			TH_LOG("SYNC of %llu bytes of a %llu-byte buffer",
			       (unsigned long long)(len + 1), (unsigned long long)len);
		}
		EXPECT_EQ(EINVAL, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
					   len, 1));
		EXPECT_EQ(EINVAL, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
					   self->pg - 1, 1));
		/* Up to it: fine. */
		EXPECT_EQ(0, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, len));
		EXPECT_EQ(0, sync_buf(self->fd, id, DMAXFER_SYNC_END | DMAXFER_SYNC_READ,
				      len - 1, 1));
		if (c == RX)
			feed(_metadata, self, len, 8);
		ASSERT_EQ(0, submit_buf(self->fd, c, id, 0, len, 3, &xid));
		ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
		expect_record(_metadata, &comp, xid, c, len, 3);
		/* The whole page still maps. */
		p = buf_map(self->fd, off, self->pg);
		EXPECT_NE((uintptr_t)MAP_FAILED, (uintptr_t)p);
		if (p != MAP_FAILED)
			munmap(p, self->pg);
		EXPECT_EQ(0, buf_free(self->fd, id));
		/* A 1-byte buffer is 1 byte. */
		ASSERT_EQ(0, buf_alloc(self->fd, c, 1, &id, NULL));
		EXPECT_EQ(0, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_WRITE, 0, 1));
		EXPECT_EQ(EINVAL, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_WRITE,
					   0, 2));
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, id, 0, bw == 1 ? 2 : bw, 0, NULL));
		EXPECT_EQ(0, buf_free(self->fd, id));
	}
	expect_idle(_metadata, self->fd);
}

/* 4: a pool transfer longer than max_xfer_len is E2BIG, as with USER_PTR. */
TEST_F(dmaxfer, pool_submit_e2big)
{
	uint32_t c, buf;

	for (c = 0; c < NCHANS; c++) {
		uint64_t bw = self->ci[c].bus_width;
		uint64_t big[] = { ((uint64_t)self->ci[c].max_xfer_len / bw + 1) * bw,
				   GIB4 + bw, UINT64_MAX - bw + 1 };
		unsigned int k;

		if (!self->has[c])
			continue;
		ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
		for (k = 0; k < ARRAY_SIZE(big); k++) {
			EXPECT_EQ(E2BIG, submit_buf(self->fd, c, buf, 0, big[k], 0, NULL)) {
				TH_LOG("%s pool length %llu (max_xfer_len %u)", c == TX ? "tx" : "rx",
				       (unsigned long long)big[k], self->ci[c].max_xfer_len);
			}
		}
		EXPECT_EQ(0, buf_free(self->fd, buf));
	}
	expect_idle(_metadata, self->fd);
}

/* 5: rx into read-only memory, tx from PROT_NONE or unmapped memory: EFAULT; tx from read-only memory works. */
TEST_F(dmaxfer, zero_copy_protection)
{
	size_t pg = self->pg;
	uint8_t *ro, *none;
	void *gone;
	uint32_t c;

	ro = anon(pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)ro);
	fill(ro, pg, 12);
	ASSERT_EQ(0, mprotect(ro, pg, PROT_READ));
	none = anon(pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)none);
	ASSERT_EQ(0, mprotect(none, pg, PROT_NONE));
	gone = hole(pg);
	ASSERT_NE((uintptr_t)NULL, (uintptr_t)gone);
	for (c = 0; c < NCHANS; c++) {
		size_t len = round_up(256, zc_align(self->ci, c));

		if (!self->has[c])
			continue;
		EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, none, len, 0, NULL)) {
			TH_LOG("%s from PROT_NONE memory", c == TX ? "tx" : "rx");
		}
		EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, gone, len, 0, NULL)) {
			TH_LOG("%s from unmapped memory", c == TX ? "tx" : "rx");
		}
		if (c == RX) {
			EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, ro, len, 0, NULL)) {
				TH_LOG("rx into read-only memory");
			}
		} else {
			struct dmaxfer_completion comp;
			uint64_t xid;

			ASSERT_EQ(0, submit_ptr(self->fd, c, ro, len, 5, &xid)) {
				TH_LOG("tx from read-only memory: %s", strerror(errno));
			}
			ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
			expect_record(_metadata, &comp, xid, c, len, 5);
		}
	}
	expect_idle(_metadata, self->fd);
	munmap(ro, pg);
	munmap(none, pg);
}

/* 6: read() into memory it cannot write takes nothing from the FIFO. */
TEST_F(dmaxfer, read_unwritable_takes_nothing)
{
	size_t pg = self->pg, len = 2 * pg;
	uint64_t level;
	uint8_t *ro, *half, *buf;
	void *gone;

	if (!self->loop)
		SKIP(return, "needs a loopback device: the FIFO's level shows what a read took");
	if (fifo_level(&level))
		SKIP(return, "no FIFO level in debugfs (dmasim/<dev>/fifo_level)");
	ro = anon(len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)ro);
	ASSERT_EQ(0, mprotect(ro, len, PROT_READ));
	half = anon(len);	/* the second page cannot be written */
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)half);
	ASSERT_EQ(0, mprotect(half + pg, pg, PROT_READ));
	buf = anon(len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)buf);
	gone = hole(len);
	ASSERT_NE((uintptr_t)NULL, (uintptr_t)gone);

	feed(_metadata, self, len, 13);
	ASSERT_EQ(0, fifo_level(&level));
	ASSERT_EQ(len, level);
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, ro, len));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, fifo_level(&level));
	EXPECT_EQ(len, level) {
		TH_LOG("a read() into read-only memory took %llu bytes from the FIFO",
		       (unsigned long long)(len - level));
	}
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, half, len));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, fifo_level(&level));
	EXPECT_EQ(len, level) {
		TH_LOG("a read() whose second page is read-only took %llu bytes",
		       (unsigned long long)(len - level));
	}
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, gone, len));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, fifo_level(&level));
	EXPECT_EQ(len, level);
	/* What is there is intact. */
	if (level == len) {
		EXPECT_EQ((ssize_t)len, read(self->fd, buf, len));
		EXPECT_EQ(-1, check_fill(buf, len, 13));
	}
	munmap(ro, len);
	munmap(half, len);
	munmap(buf, len);
}

struct reader {
	int fd;
	uint8_t *buf;
	size_t len;
	ssize_t r;
	int err;
};

static void *read_thread(void *arg)
{
	struct reader *rd = arg;

	rd->r = read(rd->fd, rd->buf, rd->len);
	rd->err = rd->r < 0 ? errno : 0;
	return NULL;
}

/*
 * 6: the buffer of a read() in progress becomes unwritable: what could not
 * be copied is counted in rx/lost_bytes; the read returns what it copied
 * before, or EFAULT.
 */
TEST_F_TIMEOUT(dmaxfer, read_unwritable_midway, 60)
{
	uint64_t chunk = 256 * 1024, lost0, lost1, level;
	struct reader rd = { .fd = self->fd };
	char path[256];
	pthread_t th;
	size_t len;

	if (!self->loop)
		SKIP(return, "needs a loopback device: the read must wait for bytes fed later");
	if (fifo_level(&level))
		SKIP(return, "no FIFO level in debugfs (dmasim/<dev>/fifo_level)");
	lost0 = chan_stat(RX, "lost_bytes");
	ASSERT_NE(UINT64_MAX, lost0) {
		TH_LOG("%s: missing", dev_sysfs("rx/lost_bytes", path, sizeof(path)));
	}
	read_u64(PARAMS "/xfer_size", &chunk);
	len = 2 * round_up(chunk, self->pg);
	rd.len = len;
	rd.buf = anon(len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)rd.buf);
	ASSERT_EQ(0, pthread_create(&th, NULL, read_thread, &rd));
	usleep(100000);		/* the read is under way, waiting for bytes */
	ASSERT_EQ(0, mprotect(rd.buf + len / 2, len / 2, PROT_READ));
	feed(_metadata, self, len, 14);
	ASSERT_EQ(0, pthread_join(th, NULL));
	lost1 = chan_stat(RX, "lost_bytes");
	ASSERT_EQ(0, fifo_level(&level));
	TH_LOG("read() of %zu bytes: %zd (%s), lost_bytes +%llu, %llu left in the FIFO",
	       len, rd.r, rd.r < 0 ? strerror(rd.err) : "ok",
	       (unsigned long long)(lost1 - lost0), (unsigned long long)level);
	EXPECT_TRUE(rd.r >= 0 ? (size_t)rd.r < len : rd.err == EFAULT);
	/* Every byte taken from the FIFO was either returned or counted lost. */
	EXPECT_EQ(len - level, (rd.r > 0 ? (uint64_t)rd.r : 0) + (lost1 - lost0));
	EXPECT_LT(0ULL, lost1 - lost0);
	if (rd.r > 0) {
		EXPECT_EQ(-1, check_fill(rd.buf, rd.r, 14));
	}
	munmap(rd.buf, len);
}

/* 7: a pool mapping is not USER_PTR memory (EFAULT): use the pool SUBMIT. */
TEST_F(dmaxfer, user_ptr_from_pool_mapping)
{
	uint32_t c;

	for (c = 0; c < NCHANS; c++) {
		uint64_t off;
		uint32_t id;
		uint8_t *p;

		if (!self->has[c])
			continue;
		ASSERT_EQ(0, buf_alloc(self->fd, c, 2 * self->pg, &id, &off));
		p = buf_map(self->fd, off, 2 * self->pg);
		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)p);
		EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, p, self->pg, 0, NULL)) {
			TH_LOG("%s: USER_PTR into a pool mapping", c == TX ? "tx" : "rx");
		}
		EXPECT_EQ(0, munmap(p, 2 * self->pg));
		EXPECT_EQ(0, buf_free(self->fd, id));
	}
	expect_idle(_metadata, self->fd);
}

/* 8: transfer ids start at 1; 0 is never one. */
TEST_F(dmaxfer, ids_start_at_one)
{
	uint32_t c = any_chan(self);
	size_t ql = quick_len(&self->ci[c]);
	struct dmaxfer_completion comp;
	uint64_t x1, x2;
	uint8_t *m;
	int fd2;

	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	if (c == RX)
		feed(_metadata, self, 2 * ql, 15);
	ASSERT_EQ(0, submit_ptr(fd2, c, m, ql, 1, &x1));
	ASSERT_EQ(0, submit_ptr(fd2, c, m, ql, 2, &x2));
	EXPECT_EQ(1ULL, x1);
	EXPECT_EQ(2ULL, x2);
	EXPECT_EQ(ENOENT, wait_id(fd2, 0, 0, &comp));
	EXPECT_EQ(ENOENT, wait_id(fd2, 0, DMAXFER_WAIT_NONBLOCK, &comp));
	ASSERT_EQ(0, wait_id(fd2, x1, 0, &comp));
	EXPECT_EQ(x1, comp.id);
	ASSERT_EQ(0, wait_id(fd2, x2, 0, &comp));
	EXPECT_EQ(x2, comp.id);
	expect_idle(_metadata, fd2);
	close(fd2);
	munmap(m, self->pg);
}
