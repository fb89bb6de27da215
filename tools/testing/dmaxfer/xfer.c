// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: transfers and completion records.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

/* ---- transfers ------------------------------------------------------------ */

/* From a pool buffer, each channel: whole, part, across a page boundary. */
TEST_F(dmaxfer, xfer_pool)
{
	uint32_t c;

	for (c = 0; c < NCHANS; c++) {
		uint64_t bw = self->ci[c].bus_width, len = 4 * self->pg, off, xid;
		uint64_t parts[][2] = { { 0, quick_len(&self->ci[c]) },
					{ self->pg - 8 * bw, 16 * bw },
					{ 0, len } };
		struct dmaxfer_completion comp;
		unsigned int k;
		uint32_t id;
		uint8_t *p;

		if (!self->has[c])
			continue;
		ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
		p = buf_map(self->fd, off, len);
		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
		ASSERT_EQ(0, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_WRITE, 0, len));
		fill(p, len, 51);
		ASSERT_EQ(0, sync_buf(self->fd, id, DMAXFER_SYNC_END | DMAXFER_SYNC_WRITE, 0, len));
		for (k = 0; k < ARRAY_SIZE(parts); k++) {
			if (c == RX)
				feed(_metadata, self, parts[k][1], 52 + k);
			ASSERT_EQ(0, submit_buf(self->fd, c, id, parts[k][0], parts[k][1],
						0xabc0 + k, &xid)) {
				TH_LOG("%s pool offset %llu length %llu: %s", c == TX ? "tx" : "rx",
				       (unsigned long long)parts[k][0],
				       (unsigned long long)parts[k][1], strerror(errno));
			}
			ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
			expect_record(_metadata, &comp, xid, c, parts[k][1], 0xabc0 + k);
		}
		ASSERT_EQ(0, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, len));
		if (c == TX) {	/* the device only read it */
			EXPECT_EQ(-1, check_fill(p, len, 51));
		}
		ASSERT_EQ(0, sync_buf(self->fd, id, DMAXFER_SYNC_END | DMAXFER_SYNC_READ, 0, len));
		EXPECT_EQ(0, munmap(p, len));
		EXPECT_EQ(0, buf_free(self->fd, id));
		expect_idle(_metadata, self->fd);
	}
}

/*
 * Zero-copy from user memory, each channel, across page boundaries. For
 * rx the memory around the windows is poisoned and must stay so.
 */
TEST_F(dmaxfer, xfer_user_ptr)
{
	uint32_t c;

	for (c = 0; c < NCHANS; c++) {
		/* rx: both ends on the DMA alignment (decision 16), tx: the bus width */
		uint64_t bw = zc_align(self->ci, c), xid, n;
		size_t len = 4 * self->pg;
		struct dmaxfer_completion comp;
		uint64_t win[][2] = { { self->pg - 8 * bw, 16 * bw },
				      { 2 * self->pg + 4 * bw, self->pg },
				      { 3 * self->pg + 16 * bw, 4 * bw } };
		unsigned int k;
		uint8_t *m, *h;

		if (!self->has[c])
			continue;
		m = anon(len);
		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
		if (c == TX)
			fill(m, len, 61);
		else
			memset(m, 0xa5, len);
		for (k = 0; k < ARRAY_SIZE(win); k++) {
			if (c == RX)
				feed(_metadata, self, win[k][1], 62 + k);
			ASSERT_EQ(0, submit_ptr(self->fd, c, m + win[k][0], win[k][1], k, &xid)) {
				TH_LOG("%s user_ptr +%llu length %llu: %s", c == TX ? "tx" : "rx",
				       (unsigned long long)win[k][0],
				       (unsigned long long)win[k][1], strerror(errno));
			}
			ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
			expect_record(_metadata, &comp, xid, c, win[k][1], k);
		}
		if (c == TX) {
			EXPECT_EQ(-1, check_fill(m, len, 61));
		} else {
			EXPECT_EQ(-1, check_byte(m, 0, win[0][0], 0xa5));
			EXPECT_EQ(-1, check_byte(m, win[0][0] + win[0][1], win[1][0], 0xa5));
			EXPECT_EQ(-1, check_byte(m, win[1][0] + win[1][1], win[2][0], 0xa5));
			EXPECT_EQ(-1, check_byte(m, win[2][0] + win[2][1], len, 0xa5)) {
				TH_LOG("rx wrote outside its window");
			}
		}
		munmap(m, len);

		/* From the heap, as malloc() gives it. */
		n = 100 * bw;
		h = malloc(n + bw);
		ASSERT_NE((uintptr_t)NULL, (uintptr_t)(h));
		memset(h, 0, n + bw);
		h += (bw - (uintptr_t)h % bw) % bw;
		if (c == RX)
			feed(_metadata, self, n, 69);
		ASSERT_EQ(0, submit_ptr(self->fd, c, h, n, 9, &xid));
		ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
		expect_record(_metadata, &comp, xid, c, n, 9);
		expect_idle(_metadata, self->fd);
	}
}

TEST_F(dmaxfer, wait_by_id)
{
	uint32_t c = any_chan(self), id;
	size_t ql = quick_len(&self->ci[c]);
	struct dmaxfer_completion comp;
	uint64_t x[3];
	unsigned int k;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &id, NULL));
	if (c == RX)
		feed(_metadata, self, 3 * ql, 70);
	for (k = 0; k < 3; k++) {
		ASSERT_EQ(0, submit_buf(self->fd, c, id, k * ql, ql, 100 + k, &x[k]));
	}
	/* Any order, by id. */
	ASSERT_EQ(0, wait_id(self->fd, x[2], 0, &comp));
	expect_record(_metadata, &comp, x[2], c, ql, 102);
	ASSERT_EQ(0, wait_id(self->fd, x[0], 0, &comp));
	expect_record(_metadata, &comp, x[0], c, ql, 100);
	/* x[1] ended before x[2]: ready. */
	ASSERT_EQ(0, wait_id(self->fd, x[1], DMAXFER_WAIT_NONBLOCK, &comp));
	expect_record(_metadata, &comp, x[1], c, ql, 101);
	/* Reaped: unknown now. */
	for (k = 0; k < 3; k++) {
		EXPECT_EQ(ENOENT, wait_id(self->fd, x[k], 0, &comp));
		EXPECT_EQ(ENOENT, wait_id(self->fd, x[k], DMAXFER_WAIT_NONBLOCK, &comp));
	}
	expect_idle(_metadata, self->fd);
	EXPECT_EQ(0, buf_free(self->fd, id));
}

TEST_F(dmaxfer, wait_nothing)
{
	static const uint64_t ids[] = { 0, 1, 2, 12345, 1ULL << 40, UINT64_MAX };
	struct dmaxfer_completion comp;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(ids); k++) {
		EXPECT_EQ(ENOENT, wait_id(self->fd, ids[k], 0, &comp)) {
			TH_LOG("WAIT id %llu with no transfer", (unsigned long long)ids[k]);
		}
		EXPECT_EQ(ENOENT, wait_id(self->fd, ids[k], DMAXFER_WAIT_NONBLOCK, &comp));
	}
	expect_idle(_metadata, self->fd);
}

/*
 * N transfers, reaped with ANY: one record each, in submission order,
 * then ENODATA.
 */
TEST_F(dmaxfer, completion_records)
{
	uint32_t c = any_chan(self), id;
	size_t ql = quick_len(&self->ci[c]);
	unsigned int n = self->ci[c].queue_depth < 8 ? self->ci[c].queue_depth : 8, k;
	struct dmaxfer_completion comp;
	uint64_t x[8];
	uint8_t *m;

	ASSERT_EQ(0, buf_alloc(self->fd, c, 8 * ql, &id, NULL));
	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	if (c == RX)
		feed(_metadata, self, n * ql, 71);
	for (k = 0; k < n; k++) {
		if (k & 1) {
			ASSERT_EQ(0, submit_ptr(self->fd, c, m, ql, 0x1000 + k, &x[k]));
		} else {
			ASSERT_EQ(0, submit_buf(self->fd, c, id, k * ql, ql, 0x1000 + k, &x[k]));
		}
	}
	for (k = 0; k < n; k++) {
		ASSERT_EQ(0, wait_any(self->fd, 0, &comp)) {
			TH_LOG("record %u of %u: %s", k, n, strerror(errno));
		}
		expect_record(_metadata, &comp, x[k], c, ql, 0x1000 + k);
	}
	expect_idle(_metadata, self->fd);
	EXPECT_EQ(ENOENT, wait_id(self->fd, x[0], 0, &comp));
	munmap(m, self->pg);
	EXPECT_EQ(0, buf_free(self->fd, id));
}

/* Both channels at once: per channel in order, every id exactly once. */
TEST_F(dmaxfer, completion_records_two_chans)
{
	unsigned int n, k, got[NCHANS] = { 0 }, total;
	uint64_t x[NCHANS][8], bw;
	struct dmaxfer_completion comp;
	uint8_t *m;
	size_t len;

	if (!self->has[TX] || !self->has[RX])
		SKIP(return, "needs both channels");
	n = self->ci[TX].queue_depth < self->ci[RX].queue_depth ?
		self->ci[TX].queue_depth : self->ci[RX].queue_depth;
	if (n > 8)
		n = 8;
	bw = self->ci[TX].bus_width > self->ci[RX].bus_width ?
		self->ci[TX].bus_width : self->ci[RX].bus_width;
	/* rx zero-copy: both ends on rx_align (128 on arm64 before 6.5). */
	len = round_up(16 * bw, zc_align(self->ci, RX));
	m = anon(2 * 8 * len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	/* On a loopback device tx k feeds rx k. */
	for (k = 0; k < n; k++) {
		ASSERT_EQ(0, submit_ptr(self->fd, TX, m + k * len, len, (0ULL << 8) | k, &x[TX][k]));
		ASSERT_EQ(0, submit_ptr(self->fd, RX, m + (8 + k) * len, len, (1ULL << 8) | k,
					&x[RX][k]));
	}
	for (total = 0; total < 2 * n; total++) {
		uint32_t ch;

		ASSERT_EQ(0, wait_any(self->fd, 0, &comp));
		ch = comp.chan;
		ASSERT_GT((uint32_t)NCHANS, ch);
		ASSERT_GT(n, got[ch]) {
			TH_LOG("more %s records than transfers", ch == TX ? "tx" : "rx");
		}
		expect_record(_metadata, &comp, x[ch][got[ch]], ch, len,
			      ((uint64_t)ch << 8) | got[ch]);
		got[ch]++;
	}
	expect_idle(_metadata, self->fd);
	munmap(m, 2 * 8 * len);
}

TEST_F(dmaxfer, ids_unique)
{
	uint32_t c = any_chan(self);
	size_t ql = quick_len(&self->ci[c]);
	unsigned int n = self->ci[c].queue_depth < 8 ? self->ci[c].queue_depth : 8;
	unsigned int r, k, i, j, cnt = 0;
	struct dmaxfer_completion comp;
	uint64_t ids[32];
	uint8_t *m;

	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	for (r = 0; r < 4; r++) {
		if (c == RX)
			feed(_metadata, self, n * ql, 72);
		for (k = 0; k < n; k++) {
			ASSERT_EQ(0, submit_ptr(self->fd, c, m, ql, 0, &ids[cnt + k]));
		}
		for (k = 0; k < n; k++) {
			ASSERT_EQ(0, wait_any(self->fd, 0, &comp));
			EXPECT_EQ(ids[cnt + k], comp.id);
		}
		cnt += n;
	}
	for (i = 0; i < cnt; i++)
		for (j = 0; j < i; j++) {
			EXPECT_NE(ids[j], ids[i]);
		}
	expect_idle(_metadata, self->fd);
	munmap(m, self->pg);
}

