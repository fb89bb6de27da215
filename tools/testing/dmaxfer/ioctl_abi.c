// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: INFO, the ioctl rules (commands, struct sizes, pointers), reserved fields and flags.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

/* ---- INFO ----------------------------------------------------------------- */

TEST_F(dmaxfer, info_present)
{
	uint32_t c;

	for (c = 0; c < NCHANS; c++) {
		const struct dmaxfer_chan_info *i = &self->ci[c];
		unsigned int lg = 0;

		EXPECT_EQ(c, i->chan);
		EXPECT_EQ((__u32)DMAXFER_ABI_VERSION, i->abi_version);
		EXPECT_EQ(0ULL, i->reserved0 | i->reserved[0] | i->reserved[1] | i->reserved[2]);
		EXPECT_EQ(0U, i->flags & ~(DMAXFER_INFO_PRESENT | DMAXFER_INFO_PAUSE));
		if (!self->has[c]) {
			TH_LOG("%s: not in the device tree", c == TX ? "tx" : "rx");
			continue;
		}
		TH_LOG("%s: %.32s width %u maxburst %u widths 0x%x max_burst %u seg %u residue %u timeout %u ms max %u depth %u%s",
		       c == TX ? "tx" : "rx", i->dma_chan, i->bus_width, i->maxburst,
		       i->addr_widths, i->max_burst, i->max_seg_size,
		       i->residue_granularity, i->timeout_ms, i->max_xfer_len,
		       i->queue_depth, i->flags & DMAXFER_INFO_PAUSE ? " pause" : "");
		/* bus_width: 1, 2, 4 or 8 (the binding's widths), a power of two */
		EXPECT_TRUE(i->bus_width && !(i->bus_width & (i->bus_width - 1)));
		EXPECT_GE(8U, i->bus_width);
		while ((1U << lg) < i->bus_width)
			lg++;
		/* bit n = 2^n bytes, not dmaengine's BIT(bytes) */
		EXPECT_NE(0U, i->addr_widths & (1U << lg)) {
			TH_LOG("addr_widths 0x%x lacks bit %u for the %u-byte bus width",
			       i->addr_widths, lg, i->bus_width);
		}
		EXPECT_GT(256U, i->addr_widths);
		EXPECT_LE(1U, i->maxburst);
		EXPECT_GE(2U, i->residue_granularity);
		EXPECT_LT(0U, i->timeout_ms);
		EXPECT_LE(i->bus_width, i->max_xfer_len);
		EXPECT_LT(0U, i->max_seg_size);
		EXPECT_LE(1U, i->queue_depth);
		if (c == RX) {
			/* both ends of an rx zero-copy buffer: a power of two, whole accesses */
			EXPECT_LE(i->bus_width, i->rx_align);
			EXPECT_TRUE(i->rx_align && !(i->rx_align & (i->rx_align - 1))) {
				TH_LOG("rx_align %u", i->rx_align);
			}
		}
		EXPECT_NE((uintptr_t)NULL, (uintptr_t)(memchr(i->dma_chan, 0, sizeof(i->dma_chan))));
		EXPECT_NE(0, i->dma_chan[0]);
	}
}

TEST_F(dmaxfer, info_bad_chan)
{
	static const uint32_t bad[] = { 2, 3, 0x100, 0x80000000u, 0xffffffffu };
	struct dmaxfer_chan_info ci;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		memset(&ci, 0, sizeof(ci));
		ci.chan = bad[k];
		EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_INFO, &ci)) {
			TH_LOG("chan %u", bad[k]);
		}
	}
}

TEST_F(dmaxfer, info_reserved)
{
	struct dmaxfer_chan_info ci;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(ci.reserved); k++) {
		memset(&ci, 0, sizeof(ci));
		ci.chan = any_chan(self);
		ci.reserved[k] = 1;
		EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_INFO, &ci));
		ci.reserved[k] = 1ULL << 63;
		EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_INFO, &ci));
	}
	memset(&ci, 0, sizeof(ci));
	ci.chan = any_chan(self);
	ci.reserved0 = 1;
	EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_INFO, &ci));
}

/* ---- every ioctl: command, size and argument pointer ---------------------- */

enum { I_INFO, I_ALLOC, I_FREE, I_SUBMIT, I_WAIT, I_SYNC, I_SUBMIT_BATCH, I_WAIT_BATCH, NR_IOCS };

static const struct {
	const char *name;
	unsigned long cmd;
	size_t size;
} iocs[NR_IOCS] = {
	[I_INFO] = { "INFO", DMAXFER_IOC_INFO, sizeof(struct dmaxfer_chan_info) },
	[I_ALLOC] = { "BUF_ALLOC", DMAXFER_IOC_BUF_ALLOC, sizeof(struct dmaxfer_buf_alloc) },
	[I_FREE] = { "BUF_FREE", DMAXFER_IOC_BUF_FREE, sizeof(struct dmaxfer_buf_free) },
	[I_SUBMIT] = { "SUBMIT", DMAXFER_IOC_SUBMIT, sizeof(struct dmaxfer_xfer_req) },
	[I_WAIT] = { "WAIT", DMAXFER_IOC_WAIT, sizeof(struct dmaxfer_completion) },
	[I_SYNC] = { "SYNC", DMAXFER_IOC_SYNC, sizeof(struct dmaxfer_sync) },
	[I_SUBMIT_BATCH] = { "SUBMIT_BATCH", DMAXFER_IOC_SUBMIT_BATCH,
			     sizeof(struct dmaxfer_submit_batch) },
	[I_WAIT_BATCH] = { "WAIT_BATCH", DMAXFER_IOC_WAIT_BATCH,
			   sizeof(struct dmaxfer_wait_batch) },
};

/* The one-element arrays of valid_arg()'s batches. */
static struct dmaxfer_xfer_req batch_req1[1];
static struct dmaxfer_completion batch_rec1[1];

/*
 * A valid argument for ioctl k: for BUF_FREE a fresh spare buffer, for
 * WAIT a transfer whose record is ready. *spare gets the buffer BUF_FREE
 * would free, *xid the transfer WAIT would reap.
 */
static void valid_arg(struct __test_metadata *_metadata, FIXTURE_DATA(dmaxfer) *self,
		      int k, void *arg, uint32_t buf, uint32_t *spare, uint64_t *xid)
{
	uint32_t c = any_chan(self);
	size_t ql = quick_len(&self->ci[c]);

	memset(arg, 0, 4096);
	switch (k) {
	case I_INFO: {
		struct dmaxfer_chan_info *a = arg;

		a->chan = c;
		break;
	}
	case I_ALLOC: {
		struct dmaxfer_buf_alloc *a = arg;

		a->length = self->pg;
		a->chan = c;
		break;
	}
	case I_FREE: {
		struct dmaxfer_buf_free *a = arg;

		ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, spare, NULL));
		a->id = *spare;
		break;
	}
	case I_SUBMIT: {
		struct dmaxfer_xfer_req *a = arg;

		if (c == RX)
			feed(_metadata, self, ql, 1);
		a->chan = c;
		a->buf_id = buf;
		a->length = ql;
		a->user_data = 77;
		break;
	}
	case I_WAIT: {
		struct dmaxfer_completion *a = arg;
		struct pollfd p = { .fd = self->fd, .events = POLLIN };

		if (c == RX)
			feed(_metadata, self, ql, 1);
		ASSERT_EQ(0, submit_buf(self->fd, c, buf, 0, ql, 78, xid));
		ASSERT_EQ(1, poll(&p, 1, 10000));	/* the record is ready */
		a->id = *xid;
		break;
	}
	case I_SYNC: {
		struct dmaxfer_sync *a = arg;

		a->buf_id = buf;
		a->flags = DMAXFER_SYNC_START | DMAXFER_SYNC_READ;
		a->length = self->pg;
		break;
	}
	case I_SUBMIT_BATCH: {
		struct dmaxfer_submit_batch *a = arg;

		if (c == RX)
			feed(_metadata, self, ql, 1);
		memset(batch_req1, 0, sizeof(batch_req1));
		batch_req1[0].chan = c;
		batch_req1[0].buf_id = buf;
		batch_req1[0].length = ql;
		batch_req1[0].user_data = 79;
		a->reqs = (uintptr_t)batch_req1;
		a->nr = 1;
		a->elem_size = sizeof(batch_req1[0]);
		break;
	}
	case I_WAIT_BATCH: {
		struct dmaxfer_wait_batch *a = arg;
		struct pollfd p = { .fd = self->fd, .events = POLLIN };

		if (c == RX)
			feed(_metadata, self, ql, 1);
		ASSERT_EQ(0, submit_buf(self->fd, c, buf, 0, ql, 80, xid));
		ASSERT_EQ(1, poll(&p, 1, 10000));	/* the record is ready */
		memset(batch_rec1, 0, sizeof(batch_rec1));
		a->recs = (uintptr_t)batch_rec1;
		a->max = 1;
		a->elem_size = sizeof(batch_rec1[0]);
		break;
	}
	}
}

/*
 * After ioctl k failed: it must have had no effect. The spare buffer
 * still exists (and is freed now), the ready record is still there (and
 * is reaped now), nothing was submitted.
 */
static void no_effect(struct __test_metadata *_metadata, FIXTURE_DATA(dmaxfer) *self,
		      int k, uint32_t spare, uint64_t xid)
{
	struct dmaxfer_completion c;

	if (k == I_FREE) {
		EXPECT_EQ(0, buf_free(self->fd, spare));
	}
	if (k == I_WAIT || k == I_WAIT_BATCH) {
		EXPECT_EQ(0, wait_id(self->fd, xid, DMAXFER_WAIT_NONBLOCK, &c));
	}
	EXPECT_EQ(ENODATA, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &c)) {
		TH_LOG("%s: a refused call left a transfer behind", iocs[k].name);
		while (!wait_any(self->fd, 0, &c))
			;
	}
}

TEST_F(dmaxfer, ioctl_unknown_cmd)
{
	static const unsigned long bad[] = {
		_IOWR(DMAXFER_IOC_MAGIC, 0x08, struct dmaxfer_chan_info),
		_IOWR(DMAXFER_IOC_MAGIC, 0x09, struct dmaxfer_xfer_req),
		_IOWR(DMAXFER_IOC_MAGIC, 0x3f, char[64]),
		_IOWR(DMAXFER_IOC_MAGIC, 0xff, char[64]),
		_IOWR(DMAXFER_IOC_MAGIC + 1, 0x00, struct dmaxfer_chan_info),
		_IOWR(0x00, 0x00, struct dmaxfer_chan_info),
		/* the right type and number, the wrong direction */
		_IOR(DMAXFER_IOC_MAGIC, 0x00, struct dmaxfer_chan_info),
		_IOW(DMAXFER_IOC_MAGIC, 0x00, struct dmaxfer_chan_info),
		_IO(DMAXFER_IOC_MAGIC, 0x00),
		_IOW(DMAXFER_IOC_MAGIC, 0x01, struct dmaxfer_buf_alloc),
		_IOWR(DMAXFER_IOC_MAGIC, 0x02, struct dmaxfer_buf_free),
		_IOR(DMAXFER_IOC_MAGIC, 0x02, struct dmaxfer_buf_free),
		_IOW(DMAXFER_IOC_MAGIC, 0x03, struct dmaxfer_xfer_req),
		_IOR(DMAXFER_IOC_MAGIC, 0x04, struct dmaxfer_completion),
		_IOWR(DMAXFER_IOC_MAGIC, 0x05, struct dmaxfer_sync),
		_IO(DMAXFER_IOC_MAGIC, 0x05),
		_IOW(DMAXFER_IOC_MAGIC, 0x06, struct dmaxfer_submit_batch),
		_IOR(DMAXFER_IOC_MAGIC, 0x07, struct dmaxfer_wait_batch),
		0x5401,		/* TCGETS */
	};
	uint8_t arg[4096] __attribute__((aligned(8)));
	uint32_t buf, spare = 0;
	uint64_t xid = 0;
	unsigned int k;

	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		/* A valid argument of the ioctl with that number. */
		int nr = _IOC_NR(bad[k]) < NR_IOCS ? (int)_IOC_NR(bad[k]) : I_INFO;

		valid_arg(_metadata, self, nr, arg, buf, &spare, &xid);
		EXPECT_EQ(ENOTTY, xioctl(self->fd, bad[k], arg)) {
			TH_LOG("cmd 0x%08lx", bad[k]);
		}
		no_effect(_metadata, self, nr, spare, xid);
	}
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

TEST_F(dmaxfer, ioctl_struct_short)
{
	uint8_t arg[4096] __attribute__((aligned(8)));
	uint32_t buf, spare = 0;
	uint64_t xid = 0;
	int k;

	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	for (k = 0; k < NR_IOCS; k++) {
		size_t sizes[] = { iocs[k].size - 1, iocs[k].size - 8, iocs[k].size / 2, 4, 0 };
		unsigned int n;

		for (n = 0; n < ARRAY_SIZE(sizes); n++) {
			valid_arg(_metadata, self, k, arg, buf, &spare, &xid);
			EXPECT_EQ(EINVAL, xioctl(self->fd, RESIZE(iocs[k].cmd, sizes[n]), arg)) {
				TH_LOG("%s with a %zu-byte struct (the ABI's is %zu)",
				       iocs[k].name, sizes[n], iocs[k].size);
			}
			no_effect(_metadata, self, k, spare, xid);
		}
	}
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

TEST_F(dmaxfer, ioctl_struct_long_nonzero)
{
	uint8_t arg[4096] __attribute__((aligned(8)));
	uint32_t buf, spare = 0;
	uint64_t xid = 0;
	int k;

	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	for (k = 0; k < NR_IOCS; k++) {
		static const size_t extra[] = { 8, 512 };
		unsigned int n, where;

		for (n = 0; n < ARRAY_SIZE(extra); n++) {
			for (where = 0; where < 2; where++) {
				size_t at = iocs[k].size + (where ? extra[n] - 1 : 0);

				valid_arg(_metadata, self, k, arg, buf, &spare, &xid);
				arg[at] = 0x01;
				EXPECT_EQ(E2BIG, xioctl(self->fd,
						RESIZE(iocs[k].cmd, iocs[k].size + extra[n]), arg)) {
					TH_LOG("%s with %zu extra bytes, byte %zu not zero",
					       iocs[k].name, extra[n], at);
				}
				no_effect(_metadata, self, k, spare, xid);
			}
		}
	}
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

TEST_F(dmaxfer, ioctl_struct_long_zero)
{
	uint8_t arg[4096] __attribute__((aligned(8)));
	uint32_t buf, spare = 0;
	uint64_t xid = 0;
	int k;

	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	for (k = 0; k < NR_IOCS; k++) {
		static const size_t extra[] = { 8, 512 };
		unsigned int n;

		for (n = 0; n < ARRAY_SIZE(extra); n++) {
			struct dmaxfer_completion c;
			size_t sz = iocs[k].size + extra[n];

			valid_arg(_metadata, self, k, arg, buf, &spare, &xid);
			ASSERT_EQ(0, xioctl(self->fd, RESIZE(iocs[k].cmd, sz), arg)) {
				TH_LOG("%s with %zu zero extra bytes: %s", iocs[k].name,
				       extra[n], strerror(errno));
			}
			/* The kernel may copy its extra bytes back: as zeros. */
			EXPECT_EQ(-1, check_byte(arg, iocs[k].size, sz, 0));
			switch (k) {
			case I_INFO:
				EXPECT_EQ((__u32)DMAXFER_ABI_VERSION,
					  ((struct dmaxfer_chan_info *)arg)->abi_version);
				break;
			case I_ALLOC: {
				struct dmaxfer_buf_alloc *a = (void *)arg;

				EXPECT_NE(0U, a->id);
				EXPECT_EQ(0, buf_free(self->fd, a->id));
				break;
			}
			case I_FREE:	/* it is gone */
				EXPECT_EQ(ENOENT, buf_free(self->fd, spare));
				break;
			case I_SUBMIT: {
				struct dmaxfer_xfer_req *a = (void *)arg;
				uint32_t ch = any_chan(self);

				ASSERT_EQ(0, wait_id(self->fd, a->id, 0, &c));
				expect_record(_metadata, &c, a->id, ch,
					      quick_len(&self->ci[ch]), 77);
				break;
			}
			case I_WAIT: {
				uint32_t ch = any_chan(self);

				expect_record(_metadata, (void *)arg, xid, ch,
					      quick_len(&self->ci[ch]), 78);
				break;
			}
			case I_SUBMIT_BATCH: {
				struct dmaxfer_submit_batch *a = (void *)arg;
				uint32_t ch = any_chan(self);

				EXPECT_EQ(1U, a->done);
				EXPECT_EQ(0, a->error);
				ASSERT_EQ(0, wait_id(self->fd, batch_req1[0].id, 0, &c));
				expect_record(_metadata, &c, batch_req1[0].id, ch,
					      quick_len(&self->ci[ch]), 79);
				break;
			}
			case I_WAIT_BATCH: {
				struct dmaxfer_wait_batch *a = (void *)arg;
				uint32_t ch = any_chan(self);

				EXPECT_EQ(1U, a->count);
				expect_record(_metadata, &batch_rec1[0], xid, ch,
					      quick_len(&self->ci[ch]), 80);
				break;
			}
			}
			expect_idle(_metadata, self->fd);
		}
	}
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

TEST_F(dmaxfer, ioctl_bad_pointer)
{
	uint8_t arg[4096] __attribute__((aligned(8)));
	uint32_t buf, spare = 0;
	uint64_t xid = 0;
	uint8_t *two;
	void *gone;
	int k;

	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	/* A read-write page followed by an inaccessible one. */
	two = anon(2 * self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(two));
	ASSERT_EQ(0, mprotect(two + self->pg, self->pg, PROT_NONE));
	/* Last: a later mmap() could land in the hole. */
	gone = hole(self->pg);
	ASSERT_NE((uintptr_t)NULL, (uintptr_t)(gone));
	for (k = 0; k < NR_IOCS; k++) {
		uint8_t *straddle = two + self->pg - iocs[k].size / 2;

		valid_arg(_metadata, self, k, arg, buf, &spare, &xid);
		EXPECT_EQ(EFAULT, xioctl(self->fd, iocs[k].cmd, NULL)) {
			TH_LOG("%s(NULL)", iocs[k].name);
		}
		EXPECT_EQ(EFAULT, xioctl(self->fd, iocs[k].cmd, gone)) {
			TH_LOG("%s(unmapped)", iocs[k].name);
		}
		/* The valid struct, cut off by the inaccessible page. */
		memcpy(straddle, arg, iocs[k].size / 2);
		EXPECT_EQ(EFAULT, xioctl(self->fd, iocs[k].cmd, straddle)) {
			TH_LOG("%s(struct running into an inaccessible page)", iocs[k].name);
		}
		no_effect(_metadata, self, k, spare, xid);
	}
	munmap(two, 2 * self->pg);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

/*
 * A read-only argument: INFO cannot return its result (EFAULT); BUF_FREE
 * and SYNC only read theirs (_IOW) and work.
 */
TEST_F(dmaxfer, ioctl_readonly_arg)
{
	struct dmaxfer_completion c;
	uint32_t buf, spare;
	uint64_t xid;
	void *ro;

	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	ro = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(ro));

	valid_arg(_metadata, self, I_INFO, ro, buf, &spare, &xid);
	ASSERT_EQ(0, mprotect(ro, self->pg, PROT_READ));
	EXPECT_EQ(EFAULT, xioctl(self->fd, DMAXFER_IOC_INFO, ro));

	ASSERT_EQ(0, mprotect(ro, self->pg, PROT_READ | PROT_WRITE));
	valid_arg(_metadata, self, I_SYNC, ro, buf, &spare, &xid);
	ASSERT_EQ(0, mprotect(ro, self->pg, PROT_READ));
	EXPECT_EQ(0, xioctl(self->fd, DMAXFER_IOC_SYNC, ro));

	ASSERT_EQ(0, mprotect(ro, self->pg, PROT_READ | PROT_WRITE));
	valid_arg(_metadata, self, I_FREE, ro, buf, &spare, &xid);
	ASSERT_EQ(0, mprotect(ro, self->pg, PROT_READ));
	EXPECT_EQ(0, xioctl(self->fd, DMAXFER_IOC_BUF_FREE, ro));
	EXPECT_EQ(ENOENT, buf_free(self->fd, spare));

	/*
	 * SUBMIT cannot return the id: EFAULT. Whether the transfer went
	 * is not said; if it did, its record must be there.
	 */
	ASSERT_EQ(0, mprotect(ro, self->pg, PROT_READ | PROT_WRITE));
	valid_arg(_metadata, self, I_SUBMIT, ro, buf, &spare, &xid);
	ASSERT_EQ(0, mprotect(ro, self->pg, PROT_READ));
	EXPECT_EQ(EFAULT, xioctl(self->fd, DMAXFER_IOC_SUBMIT, ro));
	if (!wait_any(self->fd, 0, &c))
		TH_LOG("SUBMIT with a read-only argument: the transfer went (status %d)",
		       c.status);
	expect_idle(_metadata, self->fd);
	munmap(ro, self->pg);
	EXPECT_EQ(0, buf_free(self->fd, buf));
}
