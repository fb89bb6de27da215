// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: data through a loopback, and the mmap offset space.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

/* ---- data: only where rx returns what tx sent ----------------------------- */

TEST_F_TIMEOUT(dmaxfer, loopback_data, 60)
{
	size_t len = 65536, ql = 4096, pg = self->pg;
	uint32_t tbuf, rbuf, k, kt = 0, kr = 0;
	struct dmaxfer_completion comp;
	uint64_t toff, roff, xt, xr;
	uint8_t *tp, *rp, *um;
	long bad;

	if (!self->loop)
		SKIP(return, "needs DMAXFER_LOOPBACK=1 and both channels (rx returns what tx sent)");
	ASSERT_EQ(0, buf_alloc(self->fd, TX, len, &tbuf, &toff));
	ASSERT_EQ(0, buf_alloc(self->fd, RX, len, &rbuf, &roff));
	tp = buf_map(self->fd, toff, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(tp));
	rp = buf_map(self->fd, roff, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(rp));
	um = anon(len + 2 * pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(um));

	/* Pool tx -> zero-copy rx (guarded), rx submitted first. */
	memset(um, 0xa5, len + 2 * pg);
	ASSERT_EQ(0, sync_buf(self->fd, tbuf, DMAXFER_SYNC_START | DMAXFER_SYNC_WRITE, 0, len));
	fill(tp, len, 91);
	ASSERT_EQ(0, sync_buf(self->fd, tbuf, DMAXFER_SYNC_END | DMAXFER_SYNC_WRITE, 0, len));
	ASSERT_EQ(0, submit_ptr(self->fd, RX, um + pg, len, 2, &xr));
	ASSERT_EQ(0, submit_buf(self->fd, TX, tbuf, 0, len, 1, &xt));
	ASSERT_EQ(0, wait_id(self->fd, xt, 0, &comp));
	expect_record(_metadata, &comp, xt, TX, len, 1);
	ASSERT_EQ(0, wait_id(self->fd, xr, 0, &comp));
	expect_record(_metadata, &comp, xr, RX, len, 2);
	bad = check_fill(um + pg, len, 91);
	EXPECT_EQ(-1, bad) {
		TH_LOG("pool tx -> user rx: first bad byte at %ld", bad);
	}
	EXPECT_EQ(-1, check_byte(um, 0, pg, 0xa5));
	EXPECT_EQ(-1, check_byte(um, pg + len, len + 2 * pg, 0xa5));

	/* Zero-copy tx from an odd place -> pool rx. */
	fill(um + 12 * self->ci[TX].bus_width, len, 92);
	ASSERT_EQ(0, submit_ptr(self->fd, TX, um + 12 * self->ci[TX].bus_width, len, 3, &xt));
	ASSERT_EQ(0, submit_buf(self->fd, RX, rbuf, 0, len, 4, &xr));
	ASSERT_EQ(0, wait_id(self->fd, xr, 0, &comp));
	expect_record(_metadata, &comp, xr, RX, len, 4);
	ASSERT_EQ(0, wait_id(self->fd, xt, 0, &comp));
	expect_record(_metadata, &comp, xt, TX, len, 3);
	ASSERT_EQ(0, sync_buf(self->fd, rbuf, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, len));
	bad = check_fill(rp, len, 92);
	EXPECT_EQ(-1, bad) {
		TH_LOG("user tx -> pool rx: first bad byte at %ld", bad);
	}
	ASSERT_EQ(0, sync_buf(self->fd, rbuf, DMAXFER_SYNC_END | DMAXFER_SYNC_READ, 0, len));

	/* Pipelined: 4 KiB pieces, several in flight each way, records in order. */
	memset(um, 0, len + 2 * pg);
	for (k = 0; k < len / ql; k++)
		fill(tp + k * ql, ql, 100 + k);
	while (kr < len / ql) {
		while (kt < len / ql && kt - kr < 4 &&
		       kt < self->ci[TX].queue_depth + kr && kt - kr < self->ci[RX].queue_depth) {
			ASSERT_EQ(0, submit_buf(self->fd, TX, tbuf, kt * ql, ql, kt, NULL));
			ASSERT_EQ(0, submit_ptr(self->fd, RX, um + kt * ql, ql, 1000 + kt, NULL));
			kt++;
		}
		ASSERT_EQ(0, wait_any(self->fd, 0, &comp));
		ASSERT_EQ(0, comp.status);
		if (comp.chan == RX) {
			EXPECT_EQ(1000ULL + kr, comp.user_data);
			EXPECT_EQ(-1, check_fill(um + kr * ql, ql, 100 + kr)) {
				TH_LOG("piece %u", kr);
			}
			kr++;
		}
	}
	while (!wait_any(self->fd, 0, &comp)) {	/* the last tx records */
		EXPECT_EQ((uint32_t)TX, comp.chan);
	}
	expect_idle(_metadata, self->fd);

	munmap(um, len + 2 * pg);
	munmap(tp, len);
	munmap(rp, len);
	EXPECT_EQ(0, buf_free(self->fd, tbuf));
	EXPECT_EQ(0, buf_free(self->fd, rbuf));
}

/* ---- mmap offsets on a 32-bit kernel ------------------------------------ */

/*
 * A file that allocates and frees buffers for a long time must still get
 * offsets it can mmap(). A 32-bit kernel's VFS refuses a character
 * device's mmap offsets at or beyond 4 GiB (EOVERFLOW, file_mmap_ok()),
 * so BUF_ALLOC must reuse offsets or fail itself, not hand out those.
 * Offsets are spaced by the largest buffer (id * max_xfer_len, pool.c),
 * so without reuse 4 GiB of them run out after 4 GiB / max_xfer_len
 * buffers, whatever their size: one page each shows it, without 4 GiB of
 * zeroing (25 s on the emulated debug kernel).
 */
TEST_F(dmaxfer, mmap_offset_space)
{
	uint32_t c = any_chan(self), id;
	uint64_t off, size = self->pg, rounds;
	unsigned int n;
	void *p;
	int r;

	if (sizeof(long) != 4)
		SKIP(return, "64-bit: mmap offsets cannot run out");
	ASSERT_NE((uint64_t)0, self->ci[c].max_xfer_len);
	rounds = GIB4 / self->ci[c].max_xfer_len + 2;
	for (n = 0; n < rounds; n++) {
		r = buf_alloc(self->fd, c, size, &id, &off);
		ASSERT_EQ(0, r) {
			TH_LOG("buffer %u of %llu: %s", n, (unsigned long long)rounds,
			       strerror(r));
		}
		ASSERT_GT(GIB4, off + size) {
			TH_LOG("buffer %u: offset 0x%llx at or past 4 GiB", n,
			       (unsigned long long)off);
		}
		p = buf_map(self->fd, off, size);
		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)p) {
			TH_LOG("buffer %u: mmap at offset 0x%llx: %s", n,
			       (unsigned long long)off, strerror(errno));
			buf_free(self->fd, id);
		}
		munmap(p, size);
		ASSERT_EQ(0, buf_free(self->fd, id));
	}
}

