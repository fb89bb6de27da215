// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: channel numbers, lengths and alignment, buffer ids, ranges and user pointers.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

/* ---- channels ------------------------------------------------------------- */

TEST_F(dmaxfer, chan_out_of_range)
{
	static const uint32_t bad[] = { 2, 3, 0x80000000u, 0xffffffffu };
	uint32_t buf, id;
	unsigned int k;
	uint8_t *mem;

	mem = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(mem));
	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		EXPECT_EQ(EINVAL, buf_alloc(self->fd, bad[k], self->pg, &id, NULL)) {
			TH_LOG("BUF_ALLOC chan %u", bad[k]);
		}
		EXPECT_EQ(EINVAL, submit_buf(self->fd, bad[k], buf, 0, 8, 0, NULL)) {
			TH_LOG("SUBMIT pool chan %u", bad[k]);
		}
		EXPECT_EQ(EINVAL, submit_ptr(self->fd, bad[k], mem, 8, 0, NULL)) {
			TH_LOG("SUBMIT user_ptr chan %u", bad[k]);
		}
	}
	expect_idle(_metadata, self->fd);
	munmap(mem, self->pg);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

TEST_F(dmaxfer, chan_absent)
{
	uint32_t c, buf, id;
	uint8_t *mem;

	if (self->has[TX] && self->has[RX])
		SKIP(return, "the device tree has both channels: ENODEV cannot be provoked");
	c = self->has[TX] ? RX : TX;
	mem = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(mem));
	EXPECT_EQ(0U, self->ci[c].flags & DMAXFER_INFO_PRESENT);
	EXPECT_EQ(ENODEV, buf_alloc(self->fd, c, self->pg, &id, NULL));
	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	EXPECT_EQ(ENODEV, submit_buf(self->fd, c, buf, 0, 8, 0, NULL));
	EXPECT_EQ(ENODEV, submit_ptr(self->fd, c, mem, 8, 0, NULL));
	expect_idle(_metadata, self->fd);
	munmap(mem, self->pg);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

/* ---- lengths and alignment ------------------------------------------------ */

TEST_F(dmaxfer, alloc_length_bad)
{
	uint32_t c = any_chan(self), id;
	uint64_t big[] = { GIB4, GIB4 + self->pg, UINT64_MAX,
			   (uint64_t)self->ci[c].max_xfer_len + 1 };
	unsigned int k;

	EXPECT_EQ(EINVAL, buf_alloc(self->fd, c, 0, &id, NULL));
	for (k = 0; k < ARRAY_SIZE(big); k++) {
		EXPECT_EQ(E2BIG, buf_alloc(self->fd, c, big[k], &id, NULL)) {
			TH_LOG("BUF_ALLOC of %llu bytes (max_xfer_len %u)",
			       (unsigned long long)big[k], self->ci[c].max_xfer_len);
		}
	}
}

TEST_F(dmaxfer, submit_length_bad)
{
	uint32_t c, buf;
	uint8_t *mem;

	mem = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(mem));
	for (c = 0; c < NCHANS; c++) {
		uint32_t bw = self->ci[c].bus_width;
		/* all multiples of the bus width */
		uint64_t big[] = { GIB4 + bw,
				   ((uint64_t)self->ci[c].max_xfer_len / bw + 1) * bw,
				   UINT64_MAX - bw + 1 };
		unsigned int k;
		int r;

		if (!self->has[c])
			continue;
		ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, buf, 0, 0, 0, NULL));
		EXPECT_EQ(EINVAL, submit_ptr(self->fd, c, mem, 0, 0, NULL));
		for (k = 0; k < ARRAY_SIZE(big); k++) {
			EXPECT_EQ(E2BIG, submit_ptr(self->fd, c, mem, big[k], 0, NULL)) {
				TH_LOG("%s user_ptr length %llu (max_xfer_len %u)",
				       c == TX ? "tx" : "rx", (unsigned long long)big[k],
				       self->ci[c].max_xfer_len);
			}
			/* Also beyond the buffer: E2BIG first, as with USER_PTR (decision 4). */
			r = submit_buf(self->fd, c, buf, 0, big[k], 0, NULL);
			EXPECT_EQ(E2BIG, r) {
				TH_LOG("%s pool length %llu: %s", c == TX ? "tx" : "rx",
				       (unsigned long long)big[k], strerror(r));
			}
		}
		EXPECT_EQ(0, buf_free(self->fd, buf));
	}
	expect_idle(_metadata, self->fd);
	munmap(mem, self->pg);
}

TEST_F(dmaxfer, submit_misaligned)
{
	uint32_t c, buf;
	bool tested = false;
	uint8_t *mem;

	mem = anon(2 * self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(mem));
	for (c = 0; c < NCHANS; c++) {
		uint32_t bw = self->ci[c].bus_width, k;

		if (!self->has[c] || bw == 1)
			continue;
		tested = true;
		ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
		for (k = 1; k < bw; k++) {
			/* length not a multiple of the bus width */
			EXPECT_EQ(EINVAL, submit_buf(self->fd, c, buf, 0, 4 * bw + k, 0, NULL)) {
				TH_LOG("%s pool length %u, bus width %u", c == TX ? "tx" : "rx",
				       4 * bw + k, bw);
			}
			EXPECT_EQ(EINVAL, submit_ptr(self->fd, c, mem, 4 * bw + k, 0, NULL));
			EXPECT_EQ(EINVAL, submit_ptr(self->fd, c, mem, k, 0, NULL));
			/* user address not a multiple of the bus width */
			EXPECT_EQ(EINVAL, submit_ptr(self->fd, c, mem + k, 4 * bw, 0, NULL)) {
				TH_LOG("%s user_ptr %p, bus width %u", c == TX ? "tx" : "rx",
				       mem + k, bw);
			}
			EXPECT_EQ(EINVAL, submit_ptr(self->fd, c, mem + self->pg - k, 4 * bw,
						     0, NULL));
		}
		EXPECT_EQ(0, buf_free(self->fd, buf));
	}
	expect_idle(_metadata, self->fd);
	munmap(mem, 2 * self->pg);
	if (!tested)
		SKIP(return, "every channel has a 1-byte bus width: nothing is misaligned");
}

/* ---- buffer ids and ranges ------------------------------------------------ */

TEST_F(dmaxfer, buf_id_unknown)
{
	static const uint32_t bad[] = { 0, 0x7fff, 0x12345678, 0xffffffffu };
	uint32_t c = any_chan(self), buf;
	unsigned int k;

	/* One real buffer, so the ids below are unknown among known ones. */
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		if (bad[k] == buf)
			continue;
		EXPECT_EQ(ENOENT, buf_free(self->fd, bad[k])) {
			TH_LOG("BUF_FREE id %u", bad[k]);
		}
		EXPECT_EQ(ENOENT, submit_buf(self->fd, c, bad[k], 0, quick_len(&self->ci[c]),
					     0, NULL)) {
			TH_LOG("SUBMIT buf_id %u", bad[k]);
		}
		EXPECT_EQ(ENOENT, sync_buf(self->fd, bad[k],
					   DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, 1)) {
			TH_LOG("SYNC buf_id %u", bad[k]);
		}
	}
	EXPECT_EQ(0, buf_free(self->fd, buf));
	/* Freed: unknown now. */
	EXPECT_EQ(ENOENT, buf_free(self->fd, buf));
	EXPECT_EQ(ENOENT, submit_buf(self->fd, c, buf, 0, quick_len(&self->ci[c]), 0, NULL));
	EXPECT_EQ(ENOENT, sync_buf(self->fd, buf, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, 1));
	expect_idle(_metadata, self->fd);
}

/* Buffers, transfers and mmap offsets belong to one open file. */
TEST_F(dmaxfer, other_file)
{
	uint32_t c = any_chan(self), buf;
	struct dmaxfer_completion comp;
	uint64_t off, xid;
	void *p;
	int fd2;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, &off));
	if (c == RX)
		feed(_metadata, self, quick_len(&self->ci[c]), 3);
	ASSERT_EQ(0, submit_buf(self->fd, c, buf, 0, quick_len(&self->ci[c]), 5, &xid));
	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	/* fd2 has no buffer and no transfer of its own. */
	EXPECT_EQ(ENOENT, buf_free(fd2, buf));
	EXPECT_EQ(ENOENT, submit_buf(fd2, c, buf, 0, quick_len(&self->ci[c]), 0, NULL));
	EXPECT_EQ(ENOENT, sync_buf(fd2, buf, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, 1));
	EXPECT_EQ(ENOENT, wait_id(fd2, xid, DMAXFER_WAIT_NONBLOCK, &comp));
	EXPECT_EQ(ENOENT, wait_id(fd2, xid, 0, &comp));
	EXPECT_EQ(ENODATA, wait_any(fd2, 0, &comp));
	p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	close(fd2);
	/* All still fine on the owner's side. */
	ASSERT_EQ(0, wait_id(self->fd, xid, 0, &comp));
	expect_record(_metadata, &comp, xid, c, quick_len(&self->ci[c]), 5);
	EXPECT_EQ(0, sync_buf(self->fd, buf, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, 1));
	p = buf_map(self->fd, off, self->pg);
	EXPECT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	if (p != MAP_FAILED)
		munmap(p, self->pg);
	EXPECT_EQ(0, buf_free(self->fd, buf));
	expect_idle(_metadata, self->fd);
}

TEST_F(dmaxfer, submit_range_beyond_buffer)
{
	uint32_t c, buf;

	for (c = 0; c < NCHANS; c++) {
		uint64_t bw, pg = self->pg;

		if (!self->has[c])
			continue;
		bw = self->ci[c].bus_width;
		/* A buffer of exactly two pages: no rounding question. */
		ASSERT_EQ(0, buf_alloc(self->fd, c, 2 * pg, &buf, NULL));
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, buf, 2 * pg, bw, 0, NULL));
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, buf, 2 * pg - bw, 2 * bw, 0, NULL));
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, buf, 0, 2 * pg + bw, 0, NULL));
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, buf, 1ULL << 63, bw, 0, NULL));
		/* offset + length wraps around */
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, buf, UINT64_MAX - bw + 1, 2 * bw,
					     0, NULL)) {
			TH_LOG("offset 0x%llx + length %llu wraps",
			       (unsigned long long)(UINT64_MAX - bw + 1),
			       (unsigned long long)(2 * bw));
		}
		EXPECT_EQ(EINVAL, submit_buf(self->fd, c, buf, UINT64_MAX - pg + 1, 2 * pg,
					     0, NULL));
		expect_idle(_metadata, self->fd);
		EXPECT_EQ(0, buf_free(self->fd, buf));
	}
}

TEST_F(dmaxfer, user_ptr_bad)
{
	uint32_t c;
	uint8_t *two, *ro;
	void *gone;

	two = anon(2 * self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(two));
	ro = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(ro));
	ASSERT_EQ(0, mprotect(ro, self->pg, PROT_READ));
	/* Last: a later mmap() could land in the hole. */
	gone = hole(2 * self->pg);
	ASSERT_NE((uintptr_t)NULL, (uintptr_t)(gone));
	for (c = 0; c < NCHANS; c++) {
		uint64_t bw, len;
		int r;

		if (!self->has[c])
			continue;
		/* rx ends aligned as the device needs (decision 16): EFAULT, not EINVAL */
		bw = zc_align(self->ci, c);
		len = 4 * bw;
		EXPECT_EQ(EFAULT, submit_ptr64(self->fd, c, 0, len, 0, NULL));
		EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, gone, len, 0, NULL));
		/* a kernel address */
		EXPECT_EQ(EFAULT, submit_ptr64(self->fd, c,
					       (uint64_t)(uintptr_t)-self->pg, len, 0, NULL));
		/* the first page mapped, the second not */
		ASSERT_EQ(0, mprotect(two + self->pg, self->pg, PROT_NONE));
		EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, two + self->pg - 2 * bw, len, 0, NULL)) {
			TH_LOG("%s: user range running into a PROT_NONE page", c == TX ? "tx" : "rx");
		}
		EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, two + self->pg, len, 0, NULL));
		ASSERT_EQ(0, mprotect(two + self->pg, self->pg, PROT_READ | PROT_WRITE));
		ASSERT_EQ(0, munmap(two + self->pg, self->pg));
		EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, two + self->pg - 2 * bw, len, 0, NULL)) {
			TH_LOG("%s: user range running into an unmapped page", c == TX ? "tx" : "rx");
		}
		two = mmap(two, 2 * self->pg, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(two));
		if (sizeof(void *) == 4) {
			/* Above 4 GiB in a 32-bit process: nothing is there. */
			r = submit_ptr64(self->fd, c, GIB4 | (uintptr_t)two, len, 0, NULL);
			EXPECT_TRUE(r == EFAULT || r == EINVAL) {
				TH_LOG("%s: user_ptr 0x%llx from a 32-bit process: %s",
				       c == TX ? "tx" : "rx",
				       (unsigned long long)(GIB4 | (uintptr_t)two), strerror(r));
			}
		}
		if (c == RX) {
			/* The device would write: read-only memory is refused. */
			EXPECT_EQ(EFAULT, submit_ptr(self->fd, c, ro, len, 0, NULL)) {
				TH_LOG("rx into read-only memory");
			}
		}
	}
	expect_idle(_metadata, self->fd);
	munmap(two, 2 * self->pg);
	munmap(ro, self->pg);
}

