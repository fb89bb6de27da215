// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: DMAXFER_IOC_SUBMIT_BATCH and DMAXFER_IOC_WAIT_BATCH, their
 * partial results above all (<uapi/linux/dmaxfer.h>). The size, pointer
 * and direction rules of both structs are checked with every other ioctl
 * (ioctl_abi.c).
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

/* ---- batched submission and reaping --------------------------------------- */

static int submit_batch(int fd, void *reqs, uint32_t nr, uint32_t esz,
			struct dmaxfer_submit_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->reqs = (uintptr_t)reqs;
	b->nr = nr;
	b->elem_size = esz;
	return xioctl(fd, DMAXFER_IOC_SUBMIT_BATCH, b);
}

static int wait_batch(int fd, void *recs, uint32_t max, uint32_t esz, uint32_t flags,
		      struct dmaxfer_wait_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->recs = (uintptr_t)recs;
	b->max = max;
	b->elem_size = esz;
	b->flags = flags;
	return xioctl(fd, DMAXFER_IOC_WAIT_BATCH, b);
}

/* A quick pool transfer on channel c as element i of a request array. */
static void batch_req(struct dmaxfer_xfer_req *r, uint32_t c, uint32_t buf,
		      const struct dmaxfer_chan_info *ci, uint64_t user_data)
{
	memset(r, 0, sizeof(*r));
	r->chan = c;
	r->buf_id = buf;
	r->length = quick_len(ci);
	r->user_data = user_data;
}

/*
 * Reap with WAIT_BATCH until the @n transfers of @ids have a record each:
 * every one exactly once, complete, with its user_data (0x5000 + index).
 */
static void reap_batch(struct __test_metadata *_metadata, FIXTURE_DATA(dmaxfer) *self,
		       const uint64_t *ids, unsigned int n, uint32_t c)
{
	struct dmaxfer_completion recs[DMAXFER_BATCH_MAX];
	struct dmaxfer_wait_batch wb;
	bool seen[DMAXFER_BATCH_MAX] = { false };
	unsigned int got = 0, i, k;

	while (got < n) {
		ASSERT_EQ(0, wait_batch(self->fd, recs, DMAXFER_BATCH_MAX, sizeof(recs[0]), 0,
					&wb)) {
			TH_LOG("WAIT_BATCH after %u of %u records: %s", got, n, strerror(errno));
		}
		ASSERT_LE(1U, wb.count);
		ASSERT_GE(n - got, wb.count);
		for (k = 0; k < wb.count; k++) {
			for (i = 0; i < n && ids[i] != recs[k].id; i++)
				;
			ASSERT_GT(n, i) {
				TH_LOG("a record for %llu, which is not ours",
				       (unsigned long long)recs[k].id);
			}
			EXPECT_FALSE(seen[i]);
			seen[i] = true;
			expect_record(_metadata, &recs[k], ids[i], c, quick_len(&self->ci[c]),
				      0x5000 + i);
		}
		got += wb.count;
	}
	expect_idle(_metadata, self->fd);
}

/* A whole batch starts, in order, and its records come back in batches. */
TEST_F(dmaxfer, batch_submit_and_reap)
{
	uint32_t c = any_chan(self), buf;
	struct dmaxfer_xfer_req reqs[16];
	struct dmaxfer_submit_batch b;
	uint64_t ids[16];
	unsigned int n = 16, i;

	if (n > self->ci[c].queue_depth)
		n = self->ci[c].queue_depth;
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	for (i = 0; i < n; i++)
		batch_req(&reqs[i], c, buf, &self->ci[c], 0x5000 + i);
	if (c == RX)
		feed(_metadata, self, n * quick_len(&self->ci[c]), 3);
	ASSERT_EQ(0, submit_batch(self->fd, reqs, n, sizeof(reqs[0]), &b)) {
		TH_LOG("SUBMIT_BATCH of %u: %s", n, strerror(errno));
	}
	EXPECT_EQ(n, b.done);
	EXPECT_EQ(0, b.error);
	for (i = 0; i < n; i++) {
		ids[i] = reqs[i].id;
		EXPECT_NE(0ULL, ids[i]);
		if (i) {
			EXPECT_LT(ids[i - 1], ids[i]);	/* started in array order */
		}
	}
	reap_batch(_metadata, self, ids, n, c);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

/*
 * A batch longer than the channel's queue: the first queue_depth start,
 * the next is EBUSY (its slot is taken until a record is reaped), and
 * none after it starts or gets an id.
 */
TEST_F(dmaxfer, batch_partial_queue_full)
{
	uint32_t c = any_chan(self), buf, depth = self->ci[c].queue_depth;
	struct dmaxfer_xfer_req reqs[DMAXFER_BATCH_MAX];
	struct dmaxfer_submit_batch b;
	uint64_t ids[DMAXFER_BATCH_MAX];
	unsigned int n, i;

	if (depth + 2 > DMAXFER_BATCH_MAX)
		SKIP(return, "queue_depth %u: a batch cannot outgrow it", depth);
	n = depth + 2;
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	for (i = 0; i < n; i++)
		batch_req(&reqs[i], c, buf, &self->ci[c], 0x5000 + i);
	if (c == RX)
		feed(_metadata, self, depth * quick_len(&self->ci[c]), 4);
	ASSERT_EQ(0, submit_batch(self->fd, reqs, n, sizeof(reqs[0]), &b));
	EXPECT_EQ(depth, b.done);
	EXPECT_EQ(-EBUSY, b.error);
	for (i = 0; i < n; i++) {
		ids[i] = reqs[i].id;
		if (i < depth) {
			EXPECT_NE(0ULL, ids[i]);
		} else {
			EXPECT_EQ(0ULL, ids[i]);	/* not started: untouched */
		}
	}
	reap_batch(_metadata, self, ids, depth, c);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

/*
 * A malformed request anywhere fails the whole call with its errno, as
 * SUBMIT would, and nothing starts; one that is well-formed but cannot
 * start (no such buffer) ends the batch there, the ones before it run.
 */
TEST_F(dmaxfer, batch_bad_request_midway)
{
	uint32_t c = any_chan(self), buf;
	struct {
		struct dmaxfer_xfer_req r;
		uint64_t tail;	/* elements one word longer than the kernel's */
	} reqs[3];
	struct dmaxfer_submit_batch b;
	unsigned int bad, i;
	uint64_t ids[1];

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	for (bad = 0; bad < 5; bad++) {
		int want = bad == 3 ? E2BIG : EINVAL;

		memset(reqs, 0, sizeof(reqs));
		for (i = 0; i < 3; i++)
			batch_req(&reqs[i].r, c, buf, &self->ci[c], 0x5000 + i);
		switch (bad) {
		case 0:
			reqs[1].r.reserved0 = 1;
			break;
		case 1:
			reqs[2].r.chan = 7;
			break;
		case 2:
			reqs[1].r.length = 0;
			break;
		case 3:
			reqs[2].tail = 1;
			break;
		case 4:
			reqs[0].r.reserved[0] = 1;
			break;
		}
		EXPECT_EQ(want, submit_batch(self->fd, reqs, 3, sizeof(reqs[0]), &b)) {
			TH_LOG("bad element, case %u", bad);
		}
		for (i = 0; i < 3; i++) {
			EXPECT_EQ(0ULL, reqs[i].r.id);
		}
		expect_idle(_metadata, self->fd);
	}

	/* Well-formed, but no such buffer: the batch ends at it. */
	memset(reqs, 0, sizeof(reqs));
	for (i = 0; i < 3; i++)
		batch_req(&reqs[i].r, c, buf, &self->ci[c], 0x5000 + i);
	reqs[1].r.buf_id = buf + 1000;
	if (c == RX)
		feed(_metadata, self, quick_len(&self->ci[c]), 5);
	ASSERT_EQ(0, submit_batch(self->fd, reqs, 3, sizeof(reqs[0]), &b));
	EXPECT_EQ(1U, b.done);
	EXPECT_EQ(-ENOENT, b.error);
	EXPECT_EQ(0ULL, reqs[1].r.id);
	EXPECT_EQ(0ULL, reqs[2].r.id);
	ids[0] = reqs[0].r.id;
	reap_batch(_metadata, self, ids, 1, c);
	/* The same as the first one: the call fails as SUBMIT, nothing starts. */
	reqs[0].r.buf_id = buf + 1000;
	reqs[0].r.id = 0;
	EXPECT_EQ(ENOENT, submit_batch(self->fd, reqs, 3, sizeof(reqs[0]), &b));
	expect_idle(_metadata, self->fd);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

/*
 * Wait until @n more transfers of channel c ended (its sysfs counter),
 * so that their records are all ready. False if there is no counter.
 */
static bool all_ended(uint32_t c, uint64_t before, unsigned int n)
{
	double t0 = now_s();
	uint64_t now;

	do {
		now = chan_stat(c, "transfers");
		if (now == UINT64_MAX)
			return false;
		if (now - before >= n)
			return true;
		usleep(10000);
	} while (now_s() - t0 < 10);
	return false;
}

/* Several ready records come in one call, oldest first; the rest stay. */
TEST_F(dmaxfer, batch_wait_many_in_order)
{
	uint32_t c = any_chan(self), buf;
	struct dmaxfer_completion recs[8];
	struct dmaxfer_wait_batch wb;
	unsigned int n = 8, i;
	uint64_t ids[8], before;

	if (n > self->ci[c].queue_depth)
		n = self->ci[c].queue_depth;
	if (n < 2)
		SKIP(return, "queue_depth %u: one record at a time", n);
	before = chan_stat(c, "transfers");
	if (before == UINT64_MAX)
		SKIP(return, "no sysfs transfers counter: cannot tell that every record is ready");
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	if (c == RX)
		feed(_metadata, self, n * quick_len(&self->ci[c]), 11);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, submit_buf(self->fd, c, buf, 0, quick_len(&self->ci[c]),
					0x5000 + i, &ids[i]));
	}
	ASSERT_TRUE(all_ended(c, before, n)) {
		TH_LOG("%u transfers did not all end in 10 s", n);
	}
	ASSERT_EQ(0, wait_batch(self->fd, recs, n - 1, sizeof(recs[0]), DMAXFER_WAIT_NONBLOCK,
				&wb));
	ASSERT_EQ(n - 1, wb.count);
	for (i = 0; i < n - 1; i++) {
		expect_record(_metadata, &recs[i], ids[i], c, quick_len(&self->ci[c]),
			      0x5000 + i);
		EXPECT_EQ(0U, recs[i].flags);
	}
	ASSERT_EQ(0, wait_batch(self->fd, recs, n, sizeof(recs[0]), DMAXFER_WAIT_NONBLOCK, &wb));
	ASSERT_EQ(1U, wb.count);
	expect_record(_metadata, &recs[0], ids[n - 1], c, quick_len(&self->ci[c]),
		      0x5000 + n - 1);
	expect_idle(_metadata, self->fd);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

/* The batch header's own checks: nothing starts. */
TEST_F(dmaxfer, batch_header_invalid)
{
	uint32_t c = any_chan(self), buf;
	struct dmaxfer_xfer_req reqs[DMAXFER_BATCH_MAX + 1];
	struct dmaxfer_completion recs[2];
	struct dmaxfer_submit_batch b;
	struct dmaxfer_wait_batch wb;
	unsigned int i;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	for (i = 0; i < ARRAY_SIZE(reqs); i++)
		batch_req(&reqs[i], c, buf, &self->ci[c], 0x5000 + i);
	EXPECT_EQ(EINVAL, submit_batch(self->fd, reqs, 0, sizeof(reqs[0]), &b));
	EXPECT_EQ(EINVAL, submit_batch(self->fd, reqs, DMAXFER_BATCH_MAX + 1,
				       sizeof(reqs[0]), &b));
	EXPECT_EQ(EINVAL, submit_batch(self->fd, reqs, 1, DMAXFER_XFER_REQ_SIZE_VER0 - 8, &b));
	EXPECT_EQ(EINVAL, submit_batch(self->fd, reqs, 1, DMAXFER_BATCH_ELEM_MAX + 8, &b));
	EXPECT_EQ(EINVAL, submit_batch(self->fd, reqs, 1, sizeof(reqs[0]) + 4, &b));
	for (i = 0; i < 4; i++) {
		memset(&b, 0, sizeof(b));
		b.reqs = (uintptr_t)reqs;
		b.nr = 1;
		b.elem_size = sizeof(reqs[0]);
		if (i == 0)
			b.flags = 1;
		else if (i == 1)
			b.reserved0 = 1;
		else
			b.reserved[i - 2] = 1ULL << 63;
		EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_SUBMIT_BATCH, &b)) {
			TH_LOG("SUBMIT_BATCH header field %u set", i);
		}
	}
	/*
	 * Arrays that wrap around, or lie outside the address space (above
	 * 4 GiB for a 32-bit program; in the kernel's half for a 64-bit one).
	 */
	for (i = 0; i < 2; i++) {
		memset(&b, 0, sizeof(b));
		if (!i)
			b.reqs = ~0ULL - 8;
		else if (sizeof(void *) == 4)
			b.reqs = (uintptr_t)reqs | 1ULL << 32;
		else
			b.reqs = 1ULL << 63;
		b.nr = 2;
		b.elem_size = sizeof(reqs[0]);
		EXPECT_EQ(EFAULT, xioctl(self->fd, DMAXFER_IOC_SUBMIT_BATCH, &b)) {
			TH_LOG("SUBMIT_BATCH of an array at 0x%llx", (unsigned long long)b.reqs);
		}
		memset(&wb, 0, sizeof(wb));
		wb.recs = b.reqs;
		wb.max = 2;
		wb.elem_size = sizeof(recs[0]);
		if (i && sizeof(void *) == 4) {
			/* A 64-bit kernel sees an unmapped address: nothing to reap. */
			int e = xioctl(self->fd, DMAXFER_IOC_WAIT_BATCH, &wb);

			EXPECT_TRUE(e == EFAULT || e == ENODATA) {
				TH_LOG("WAIT_BATCH above 4 GiB: %s", strerror(e));
			}
		} else {
			EXPECT_EQ(EFAULT, xioctl(self->fd, DMAXFER_IOC_WAIT_BATCH, &wb));
		}
	}
	expect_idle(_metadata, self->fd);
	EXPECT_EQ(EINVAL, wait_batch(self->fd, recs, 0, sizeof(recs[0]), 0, &wb));
	EXPECT_EQ(EINVAL, wait_batch(self->fd, recs, DMAXFER_BATCH_MAX + 1, sizeof(recs[0]),
				     0, &wb));
	EXPECT_EQ(EINVAL, wait_batch(self->fd, recs, 1, DMAXFER_COMPLETION_SIZE_VER0 - 8, 0,
				     &wb));
	EXPECT_EQ(EINVAL, wait_batch(self->fd, recs, 1, DMAXFER_BATCH_ELEM_MAX + 8, 0, &wb));
	EXPECT_EQ(EINVAL, wait_batch(self->fd, recs, 1, sizeof(recs[0]) + 4, 0, &wb));
	/* ANY is implied; any other flag than NONBLOCK is refused. */
	EXPECT_EQ(EINVAL, wait_batch(self->fd, recs, 1, sizeof(recs[0]), DMAXFER_WAIT_ANY,
				     &wb));
	EXPECT_EQ(EINVAL, wait_batch(self->fd, recs, 1, sizeof(recs[0]), 1U << 31, &wb));
	memset(&wb, 0, sizeof(wb));
	wb.recs = (uintptr_t)recs;
	wb.max = 1;
	wb.elem_size = sizeof(recs[0]);
	for (i = 0; i < 2; i++) {
		wb.reserved[i] = 1;
		EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_WAIT_BATCH, &wb));
		wb.reserved[i] = 0;
	}
	/* Nothing pending: WAIT's ENODATA. */
	EXPECT_EQ(ENODATA, wait_batch(self->fd, recs, 2, sizeof(recs[0]), 0, &wb));
	EXPECT_EQ(ENODATA, wait_batch(self->fd, recs, 2, sizeof(recs[0]),
				      DMAXFER_WAIT_NONBLOCK, &wb));
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

/*
 * The whole request array must be writable before anything starts: an
 * element in a read-only page fails the call, even the second one.
 */
TEST_F(dmaxfer, batch_array_unwritable)
{
	uint32_t c = any_chan(self), buf;
	struct dmaxfer_xfer_req *two;
	struct dmaxfer_submit_batch b;
	uint8_t *pages;
	uint64_t ids[2];

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	pages = anon(2 * self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(pages));
	/* The last element of the first page, then the second page. */
	two = (void *)(pages + self->pg - sizeof(*two));
	batch_req(&two[0], c, buf, &self->ci[c], 0x5000);
	batch_req(&two[1], c, buf, &self->ci[c], 0x5001);

	/* All read-only: EFAULT, nothing started. */
	ASSERT_EQ(0, mprotect(pages, 2 * self->pg, PROT_READ));
	EXPECT_EQ(EFAULT, submit_batch(self->fd, two, 2, sizeof(*two), &b));
	expect_idle(_metadata, self->fd);

	/* Only the second element read-only: still nothing starts. */
	ASSERT_EQ(0, mprotect(pages, self->pg, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EFAULT, submit_batch(self->fd, two, 2, sizeof(*two), &b));
	EXPECT_EQ(0ULL, two[0].id);
	expect_idle(_metadata, self->fd);
	/* Both writable: both start. */
	ASSERT_EQ(0, mprotect(pages + self->pg, self->pg, PROT_READ | PROT_WRITE));
	if (c == RX)
		feed(_metadata, self, 2 * quick_len(&self->ci[c]), 6);
	ASSERT_EQ(0, submit_batch(self->fd, two, 2, sizeof(*two), &b));
	EXPECT_EQ(2U, b.done);
	EXPECT_EQ(0, b.error);
	ids[0] = two[0].id;
	ids[1] = two[1].id;
	reap_batch(_metadata, self, ids, 2, c);
	munmap(pages, 2 * self->pg);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

/*
 * Records go to the array at the caller's element size, the bytes past
 * the kernel's record zeroed; a record that cannot be written is not
 * lost, but the next call's.
 */
TEST_F(dmaxfer, batch_wait_elements)
{
	uint32_t c = any_chan(self), buf;
	struct {
		struct dmaxfer_completion rec;
		uint8_t tail[24];
	} big[2];
	struct dmaxfer_completion *straddle, one;
	struct dmaxfer_wait_batch wb;
	uint64_t ids[2], before;
	uint8_t *pages;
	unsigned int i;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	/* Longer elements: the tail is zeroed. */
	if (c == RX)
		feed(_metadata, self, quick_len(&self->ci[c]), 7);
	ASSERT_EQ(0, submit_buf(self->fd, c, buf, 0, quick_len(&self->ci[c]), 0x5000,
				&ids[0]));
	memset(big, 0xff, sizeof(big));
	ASSERT_EQ(0, wait_batch(self->fd, big, 2, sizeof(big[0]), 0, &wb));
	ASSERT_EQ(1U, wb.count);
	expect_record(_metadata, &big[0].rec, ids[0], c, quick_len(&self->ci[c]), 0x5000);
	EXPECT_EQ(-1, check_byte(big[0].tail, 0, sizeof(big[0].tail), 0));
	EXPECT_EQ(-1, check_byte((uint8_t *)&big[1], 0, sizeof(big[1]), 0xff)) {
		TH_LOG("WAIT_BATCH wrote past the records it returned");
	}

	/* Two transfers; room for one record, then an inaccessible page. */
	pages = anon(2 * self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(pages));
	ASSERT_EQ(0, mprotect(pages + self->pg, self->pg, PROT_NONE));
	straddle = (void *)(pages + self->pg - sizeof(*straddle));
	before = chan_stat(c, "transfers");
	for (i = 0; i < 2; i++) {
		if (c == RX)
			feed(_metadata, self, quick_len(&self->ci[c]), 8 + i);
		ASSERT_EQ(0, submit_buf(self->fd, c, buf, 0, quick_len(&self->ci[c]),
					0x5000 + i, &ids[i]));
	}
	/* Both ready (where the counter says so): the second is taken, then put back. */
	if (before != UINT64_MAX)
		ASSERT_TRUE(all_ended(c, before, 2)) {
			TH_LOG("2 transfers did not end in 10 s");
		}
	ASSERT_EQ(0, wait_batch(self->fd, straddle, 2, sizeof(*straddle), 0, &wb));
	ASSERT_EQ(1U, wb.count);	/* never 2: the second element cannot be written */
	expect_record(_metadata, &straddle[0], ids[0], c, quick_len(&self->ci[c]), 0x5000);
	/* The other one is still there, and next. */
	ASSERT_EQ(0, wait_any(self->fd, 0, &one));
	expect_record(_metadata, &one, ids[1], c, quick_len(&self->ci[c]), 0x5001);
	expect_idle(_metadata, self->fd);

	/* No element writable: EFAULT, and the record stays. */
	if (c == RX)
		feed(_metadata, self, quick_len(&self->ci[c]), 10);
	ASSERT_EQ(0, submit_buf(self->fd, c, buf, 0, quick_len(&self->ci[c]), 0x5002, &ids[0]));
	ASSERT_EQ(0, mprotect(pages, self->pg, PROT_READ));
	EXPECT_EQ(EFAULT, wait_batch(self->fd, pages, 1, sizeof(one), 0, &wb));
	ASSERT_EQ(0, wait_id(self->fd, ids[0], 0, &one));
	expect_record(_metadata, &one, ids[0], c, quick_len(&self->ci[c]), 0x5002);
	expect_idle(_metadata, self->fd);
	munmap(pages, 2 * self->pg);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}
