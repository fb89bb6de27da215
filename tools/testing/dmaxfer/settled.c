// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: the settled behaviour (Documentation/uapi.rst, "Settled
 * behaviour"): one case per decision, named after what it checks; the
 * number of the decision is in each comment. Part of dmaxfer_test.c.
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

/* The dmasim debugfs knob of the channel behind channel c (its "dmaNchanM"). */
static const char *sim_knob(const struct dmaxfer_chan_info *ci, uint32_t c,
			    const char *knob, char *path, size_t len)
{
	const char *p = strstr(ci[c].dma_chan, "chan");
	struct dirent *de;
	DIR *d = opendir(DMASIM_DBG);

	path[0] = 0;
	if (!d || !p)
		goto out;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, len, "%s/%s/chan%d/%s", DMASIM_DBG, de->d_name, atoi(p + 4),
			 knob);
		if (!access(path, F_OK))
			break;
		path[0] = 0;
	}
out:
	if (d)
		closedir(d);
	return path;
}

/*
 * 9: close() returns at once with transfers in flight (and with a mapping
 * alive); they run on: an orphaned rx still takes its bytes, an orphaned
 * tx still sends them.
 */
TEST_F_TIMEOUT(dmaxfer, close_returns_at_once, 60)
{
	double t, dt, limit;
	uint64_t off, level, bw0 = 0;
	char knob[512];
	struct stuck s;
	uint32_t id;
	uint8_t *p;
	int fd2;

	if (!can_stick(self))
		SKIP(return, NO_STUCK);
	/* A transfer in flight, no mapping: close() is the release. */
	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	START_STUCK(&s, fd2);
	limit = s.tmo / 4 < 0.25 ? s.tmo / 4 : 0.25;
	t = now_s();
	EXPECT_EQ(0, close(fd2));
	dt = now_s() - t;
	note_orphans(s.t0 + s.tmo);
	EXPECT_LT(dt, limit) {
		TH_LOG("close() with a transfer in flight took %.3f s (deadline in %.3f s)",
		       dt, s.t0 + s.tmo - t);
	}
	if (self->loop) {
		/* The orphaned rx takes what comes before its deadline. */
		feed(_metadata, self, s.len, 16);
		t = now_s();
		do {
			usleep(5000);
			ASSERT_EQ(0, fifo_level(&level));
		} while (level && now_s() - t < 0.5);
		EXPECT_EQ(0ULL, level) {
			TH_LOG("the rx in flight at close did not take its %llu bytes",
			       (unsigned long long)s.len);
		}
	}
	/* Let the orphan end before the next one. */
	sleep_until(s.t0 + s.tmo + 0.3);
	stuck_free(&s);
	if (self->loop)
		fifo_flush();

	/* With a pool mapping alive: close() returns, then munmap() is the release. */
	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, buf_alloc(fd2, any_chan(self), self->pg, &id, &off));
	p = buf_map(fd2, off, self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)p);
	START_STUCK(&s, fd2);
	t = now_s();
	EXPECT_EQ(0, close(fd2));
	note_orphans(s.t0 + s.tmo);
	p[0] = 1;	/* the mapping lives on */
	EXPECT_EQ(0, munmap(p, self->pg));
	dt = now_s() - t;
	EXPECT_LT(dt, limit) {
		TH_LOG("close() and munmap() with a transfer in flight took %.3f s (deadline in %.3f s)",
		       dt, s.t0 + s.tmo - t);
	}
	sleep_until(s.t0 + s.tmo + 0.3);
	stuck_free(&s);

	/* The orphaned tx sends its bytes, slowly (dmasim's bandwidth cap). */
	if (!self->loop || !sim_knob(self->ci, TX, "bandwidth_kbps", knob, sizeof(knob))[0])
		return;
	{
		/* 16 KiB at 2 Mbit/s: 65 ms, well within the deadline even if slowed */
		size_t len = 16 * 1024;
		uint8_t *m = anon(len), *back = anon(len);

		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)back);
		fill(m, len, 17);
		fifo_flush();
		ASSERT_EQ(0, read_u64(knob, &bw0));
		ASSERT_EQ(0, write_u64(knob, 2000));
		fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd2);
		ASSERT_EQ(0, submit_ptr(fd2, TX, m, len, 0, NULL));
		t = now_s();
		EXPECT_EQ(0, close(fd2));
		note_orphans(t + s.tmo);
		dt = now_s() - t;
		EXPECT_LT(dt, limit) {
			TH_LOG("close() with a slow tx in flight took %.3f s", dt);
		}
		munmap(m, len);		/* the pinned pages stay the device's */
		do {
			usleep(10000);
			ASSERT_EQ(0, fifo_level(&level));
		} while (level < len && now_s() - t < s.tmo + 0.5);
		write_u64(knob, bw0);
		EXPECT_EQ(len, level) {
			TH_LOG("the tx in flight at close sent %llu of %zu bytes",
			       (unsigned long long)level, len);
		}
		if (level == len) {
			EXPECT_EQ((ssize_t)len, read(self->fd, back, len));
			EXPECT_EQ(-1, check_fill(back, len, 17));
		}
		munmap(back, len);
	}
}

/* 11: WAIT_ANY returns records in the order they became ready. */
TEST_F_TIMEOUT(dmaxfer, wait_any_ready_order, 60)
{
	struct pollfd pf = { .fd = self->fd, .events = POLLIN };
	struct dmaxfer_completion comp;
	uint64_t first, later;
	uint32_t c2;
	uint8_t *m;
	struct stuck s;

	if (!can_stick(self))
		SKIP(return, NO_STUCK);
	/* The stuck one first, then a quick one on the other channel. */
	c2 = self->loop ? TX : RX;
	if (!self->has[c2])
		SKIP(return, "needs both channels");
	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	START_STUCK(&s, self->fd);
	ASSERT_EQ(0, submit_ptr(self->fd, c2, m, 64, 0x2, &later));
	ASSERT_EQ(1, poll(&pf, 1, 5000));
	ASSERT_EQ(0, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &comp));
	EXPECT_EQ(later, comp.id) {
		TH_LOG("the first record ready was %llu, WAIT_ANY gave %llu",
		       (unsigned long long)later, (unsigned long long)comp.id);
	}
	/* On a loopback device the tx fed 64 of the rx's bytes: give it the rest. */
	if (self->loop)
		feed(_metadata, self, s.len - 64, 18);
	first = s.id;
	ASSERT_EQ(0, wait_any(self->fd, 0, &comp));
	EXPECT_EQ(first, comp.id);
	if (!self->loop) {
		/* Held tx: it timed out */
		EXPECT_EQ(-ETIMEDOUT, comp.status);
	} else {
		EXPECT_EQ(0, comp.status);
	}
	expect_idle(_metadata, self->fd);
	stuck_free(&s);
	munmap(m, self->pg);
}

/* 12: O_RDONLY cannot send, O_WRONLY cannot receive (EBADF); INFO and BUF_ALLOC work on any. */
TEST_F(dmaxfer, open_mode)
{
	struct dmaxfer_chan_info ci;
	struct dmaxfer_completion comp;
	uint8_t *m;
	uint64_t xid;
	uint32_t id;
	int ro, wo;

	if (!self->has[TX] || !self->has[RX])
		SKIP(return, "needs both channels");
	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	ro = open(dev_path(), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ro);
	wo = open(dev_path(), O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, wo);

	EXPECT_EQ(0, info(ro, TX, &ci));
	EXPECT_EQ(0, info(wo, RX, &ci));
	ASSERT_EQ(0, buf_alloc(ro, TX, self->pg, &id, NULL));
	EXPECT_EQ(EBADF, submit_buf(ro, TX, id, 0, 64, 0, NULL)) {
		TH_LOG("pool tx on an O_RDONLY file");
	}
	EXPECT_EQ(EBADF, submit_ptr(ro, TX, m, 64, 0, NULL)) {
		TH_LOG("zero-copy tx on an O_RDONLY file");
	}
	errno = 0;
	EXPECT_EQ(-1, write(ro, m, 64));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, buf_free(ro, id));
	ASSERT_EQ(0, buf_alloc(wo, RX, self->pg, &id, NULL));
	EXPECT_EQ(EBADF, submit_buf(wo, RX, id, 0, 64, 0, NULL)) {
		TH_LOG("pool rx on an O_WRONLY file");
	}
	EXPECT_EQ(EBADF, submit_ptr(wo, RX, m, 64, 0, NULL)) {
		TH_LOG("zero-copy rx on an O_WRONLY file");
	}
	errno = 0;
	EXPECT_EQ(-1, read(wo, m, 64));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, buf_free(wo, id));
	/* Each can do its own direction. */
	ASSERT_EQ(0, submit_ptr(wo, TX, m, 64, 0, &xid));
	ASSERT_EQ(0, wait_id(wo, xid, 0, &comp));
	EXPECT_EQ(0, comp.status);
	ASSERT_EQ(0, submit_ptr(ro, RX, m, 64, 0, &xid));	/* loopback: wo's bytes */
	ASSERT_EQ(0, wait_id(ro, xid, 0, &comp));
	EXPECT_EQ(0, comp.status);
	expect_idle(_metadata, ro);
	expect_idle(_metadata, wo);
	close(ro);
	close(wo);
	munmap(m, self->pg);
}

/* 13: the first published sizes are today's, and accepted; one byte less is not. */
TEST_F(dmaxfer, struct_size_ver0)
{
	uint8_t arg[256] __attribute__((aligned(8))) = { 0 };
	struct dmaxfer_chan_info *ci = (void *)arg;

	EXPECT_EQ((size_t)DMAXFER_CHAN_INFO_SIZE_VER0, sizeof(struct dmaxfer_chan_info));
	EXPECT_EQ((size_t)DMAXFER_BUF_ALLOC_SIZE_VER0, sizeof(struct dmaxfer_buf_alloc));
	EXPECT_EQ((size_t)DMAXFER_BUF_FREE_SIZE_VER0, sizeof(struct dmaxfer_buf_free));
	EXPECT_EQ((size_t)DMAXFER_XFER_REQ_SIZE_VER0, sizeof(struct dmaxfer_xfer_req));
	EXPECT_EQ((size_t)DMAXFER_COMPLETION_SIZE_VER0, sizeof(struct dmaxfer_completion));
	EXPECT_EQ((size_t)DMAXFER_SYNC_SIZE_VER0, sizeof(struct dmaxfer_sync));
	ci->chan = any_chan(self);
	EXPECT_EQ(0, xioctl(self->fd, RESIZE(DMAXFER_IOC_INFO, DMAXFER_CHAN_INFO_SIZE_VER0), arg));
	EXPECT_EQ(EINVAL, xioctl(self->fd, RESIZE(DMAXFER_IOC_INFO,
						   DMAXFER_CHAN_INFO_SIZE_VER0 - 1), arg));
}

/*
 * 14: a transfer that ended early on a controller with DESCRIPTOR residue
 * granularity: status not 0, bytes 0 (a lower bound), residue = length,
 * DMAXFER_RESULT_RESIDUE_UNKNOWN.
 */
TEST_F_TIMEOUT(dmaxfer, residue_unknown, 60)
{
	struct dmaxfer_completion comp;
	struct dmaxfer_chan_info ci;
	struct stuck s;

	if (!self->loop)
		SKIP(return, "needs dmasim (a loopback device)");
	/*
	 * The client reads the controller's caps at probe: the hostile run's
	 * residue-descriptor mode sets dmasim's knob and rebinds, then runs
	 * this case.
	 */
	ASSERT_EQ(0, info(self->fd, RX, &ci));
	if (ci.residue_granularity != DMAXFER_RESIDUE_DESCRIPTOR)
		SKIP(return, "the rx controller reports residue granularity %u, not DESCRIPTOR (runs in virt64-hostile's residue-descriptor mode)",
		     ci.residue_granularity);
	/* Half of its bytes come, then nothing: it ends at its deadline. */
	START_STUCK(&s, self->fd);
	feed(_metadata, self, s.len / 2, 19);
	ASSERT_EQ(0, wait_id(self->fd, s.id, 0, &comp));
	EXPECT_NE(0, comp.status);
	EXPECT_EQ(-ETIMEDOUT, comp.status);
	EXPECT_EQ(0ULL, comp.bytes);
	EXPECT_EQ(s.len, comp.residue);
	EXPECT_EQ((uint32_t)DMAXFER_RESULT_RESIDUE_UNKNOWN,
		  comp.result_flags & DMAXFER_RESULT_RESIDUE_UNKNOWN);
	stuck_free(&s);
	/* A complete one is exact. */
	{
		uint8_t *m = anon(self->pg);
		uint64_t xid;

		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
		fifo_flush();
		feed(_metadata, self, 256, 20);
		ASSERT_EQ(0, submit_ptr(self->fd, RX, m, 256, 21, &xid));
		ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
		expect_record(_metadata, &comp, xid, RX, 256, 21);
		munmap(m, self->pg);
	}
}

/*
 * 16: on a device that is not DMA-coherent, rx zero-copy memory must start
 * and end on the DMA cache alignment (64 on arm and arm64); tx keeps the
 * bus-width rule. On a coherent device both keep the bus-width rule.
 */
TEST_F(dmaxfer, rx_zero_copy_alignment)
{
	int coh = coherent_env();
	struct dmaxfer_completion comp;
	size_t a, bw;
	uint64_t xid;
	uint8_t *m;
	int r;

	if (!self->has[RX])
		SKIP(return, "no rx channel");
	bw = self->ci[RX].bus_width;
	a = self->ci[RX].rx_align;
	if (!a) {
		/* INFO does not say: DMAXFER_COHERENT does. */
		if (coh < 0)
			SKIP(return, "INFO has no rx_align and DMAXFER_COHERENT is not set");
		a = coh ? bw : DMA_ALIGN_DEFAULT;
	}
	if (coh >= 0) {
		/* What the board's script says must agree with the driver. */
		EXPECT_EQ(coh ? bw : (size_t)DMA_ALIGN_DEFAULT, a) {
			TH_LOG("rx_align %zu, bus width %zu, DMAXFER_COHERENT=%d", a, bw, coh);
		}
	}
	m = anon(4 * self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);
	if (a > bw) {
		/* start off by one bus access, then the end */
		EXPECT_EQ(EINVAL, submit_ptr(self->fd, RX, m + self->pg + bw, a, 0, NULL)) {
			TH_LOG("rx zero-copy %zu bytes past a %zu-byte boundary", bw, a);
		}
		EXPECT_EQ(EINVAL, submit_ptr(self->fd, RX, m + self->pg, a + bw, 0, NULL)) {
			TH_LOG("rx zero-copy of %zu bytes, alignment %zu", a + bw, a);
		}
		EXPECT_EQ(EINVAL, submit_ptr(self->fd, RX, m + self->pg - bw, 2 * bw, 0, NULL));
	} else {
		/* Coherent: the bus width is all. */
		feed(_metadata, self, 2 * bw, 22);
		r = submit_ptr(self->fd, RX, m + self->pg + bw, 2 * bw, 0, &xid);
		EXPECT_EQ(0, r);
		if (!r) {
			ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
			EXPECT_EQ(0, comp.status);
		}
	}
	/* Aligned rx works; tx at a bus-width offset works. */
	feed(_metadata, self, a, 23);
	ASSERT_EQ(0, submit_ptr(self->fd, RX, m + self->pg, a, 1, &xid));
	ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
	expect_record(_metadata, &comp, xid, RX, a, 1);
	if (self->has[TX]) {
		size_t tbw = self->ci[TX].bus_width;

		ASSERT_EQ(0, submit_ptr(self->fd, TX, m + self->pg + tbw, a + tbw, 2, &xid));
		ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
		expect_record(_metadata, &comp, xid, TX, a + tbw, 2);
		if (self->loop)
			fifo_flush();
	}
	expect_idle(_metadata, self->fd);
	munmap(m, 4 * self->pg);
}
