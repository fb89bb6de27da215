// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: the settled behaviour (Documentation/uapi.rst, "Settled
 * behaviour"), decisions 9 to 16: close() with transfers in flight, the
 * order of WAIT_ANY records, open modes, the published struct sizes,
 * unknown residue, rx zero-copy alignment. One case per decision, named
 * after what it checks; the number of the decision is in each comment.
 * Part of dmaxfer_test.c, after settled_queue_mem.c.
 */

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
	ASSERT_EQ(0, submit_ptr(self->fd, c2, m, quick_len(&self->ci[c2]), 0x2, &later));
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
	ASSERT_EQ(0, submit_ptr(wo, TX, m, quick_len(&self->ci[RX]), 0, &xid));
	ASSERT_EQ(0, wait_id(wo, xid, 0, &comp));
	EXPECT_EQ(0, comp.status);
	/* Loopback: wo's bytes (rx's length is a multiple of tx's width). */
	ASSERT_EQ(0, submit_ptr(ro, RX, m, quick_len(&self->ci[RX]), 0, &xid));
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
		a = coh ? bw : dma_align_expected();
	}
	if (coh >= 0) {
		/* What the board's script says must agree with the driver. */
		EXPECT_EQ(coh ? bw : dma_align_expected(), a) {
			TH_LOG("rx_align %zu, bus width %zu, DMAXFER_COHERENT=%d, DMAXFER_DMA_ALIGN=%zu",
			       a, bw, coh, dma_align_expected());
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
