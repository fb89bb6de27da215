// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: reserved fields and unknown flags of every ioctl.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables); valid_arg() and no_effect() are
 * ioctl_abi.c's.
 */

/* ---- reserved fields and flags -------------------------------------------- */

TEST_F(dmaxfer, reserved_nonzero)
{
	static const uint64_t vals[] = { 1, 1ULL << 31, 1ULL << 63 };
	uint32_t c = any_chan(self), buf, spare = 0;
	uint8_t arg[4096] __attribute__((aligned(8)));
	uint64_t xid = 0;
	unsigned int v, r;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	for (v = 0; v < ARRAY_SIZE(vals); v++) {
		uint32_t v32 = (uint32_t)(vals[v] | (vals[v] >> 32));

		/* BUF_ALLOC: reserved0, reserved[] */
		for (r = 0; r < 3; r++) {
			struct dmaxfer_buf_alloc *a = (void *)arg;

			valid_arg(_metadata, self, I_ALLOC, arg, buf, &spare, &xid);
			if (r == 2)
				a->reserved0 = v32;
			else
				a->reserved[r] = vals[v];
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_BUF_ALLOC, arg)) {
				TH_LOG("BUF_ALLOC reserved field %u = 0x%llx", r,
				       (unsigned long long)vals[v]);
			}
		}
		/* BUF_FREE: reserved[] */
		for (r = 0; r < 2; r++) {
			struct dmaxfer_buf_free *a = (void *)arg;

			valid_arg(_metadata, self, I_FREE, arg, buf, &spare, &xid);
			a->reserved[r] = vals[v];
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_BUF_FREE, arg));
			no_effect(_metadata, self, I_FREE, spare, xid);
		}
		/* SUBMIT: reserved0, reserved[] */
		for (r = 0; r < 3; r++) {
			struct dmaxfer_xfer_req *a = (void *)arg;

			valid_arg(_metadata, self, I_SUBMIT, arg, buf, &spare, &xid);
			if (r == 2)
				a->reserved0 = v32;
			else
				a->reserved[r] = vals[v];
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_SUBMIT, arg)) {
				TH_LOG("SUBMIT reserved field %u = 0x%llx", r,
				       (unsigned long long)vals[v]);
			}
			no_effect(_metadata, self, I_SUBMIT, spare, xid);
			/* The same with a user pointer. */
			a->flags = DMAXFER_XFER_USER_PTR;
			a->buf_id = 0;
			a->user_ptr = (uintptr_t)arg;
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_SUBMIT, arg));
			no_effect(_metadata, self, I_SUBMIT, spare, xid);
		}
		/* WAIT: reserved[]; result_flags (was reserved0) is out only, ignored on input */
		for (r = 0; r < 3; r++) {
			struct dmaxfer_completion *a = (void *)arg;

			valid_arg(_metadata, self, I_WAIT, arg, buf, &spare, &xid);
			if (r == 2) {
				a->result_flags = v32;
				EXPECT_EQ(0, xioctl(self->fd, DMAXFER_IOC_WAIT, arg)) {
					TH_LOG("WAIT with result_flags 0x%x on input: %s", v32,
					       strerror(errno));
				}
				EXPECT_EQ(xid, a->id);
				EXPECT_EQ(0U, a->result_flags);
				continue;
			}
			a->reserved[r] = vals[v];
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_WAIT, arg)) {
				TH_LOG("WAIT reserved field %u = 0x%llx", r,
				       (unsigned long long)vals[v]);
			}
			no_effect(_metadata, self, I_WAIT, spare, xid);
		}
		/* SYNC: reserved[] */
		for (r = 0; r < 2; r++) {
			struct dmaxfer_sync *a = (void *)arg;

			valid_arg(_metadata, self, I_SYNC, arg, buf, &spare, &xid);
			a->reserved[r] = vals[v];
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_SYNC, arg));
		}
	}
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

TEST_F(dmaxfer, flags_unknown)
{
	uint8_t arg[4096] __attribute__((aligned(8)));
	uint32_t buf, spare = 0;
	uint64_t xid = 0;
	unsigned int bit;

	ASSERT_EQ(0, buf_alloc(self->fd, any_chan(self), self->pg, &buf, NULL));
	for (bit = 0; bit < 32; bit++) {
		uint32_t f = 1U << bit;

		valid_arg(_metadata, self, I_ALLOC, arg, buf, &spare, &xid);
		((struct dmaxfer_buf_alloc *)arg)->flags = f;
		EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_BUF_ALLOC, arg)) {
			TH_LOG("BUF_ALLOC flags 0x%x", f);
		}

		valid_arg(_metadata, self, I_FREE, arg, buf, &spare, &xid);
		((struct dmaxfer_buf_free *)arg)->flags = f;
		EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_BUF_FREE, arg)) {
			TH_LOG("BUF_FREE flags 0x%x", f);
		}
		no_effect(_metadata, self, I_FREE, spare, xid);

		if (f & ~DMAXFER_XFER_USER_PTR) {
			valid_arg(_metadata, self, I_SUBMIT, arg, buf, &spare, &xid);
			((struct dmaxfer_xfer_req *)arg)->flags = f;
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_SUBMIT, arg)) {
				TH_LOG("SUBMIT flags 0x%x", f);
			}
			no_effect(_metadata, self, I_SUBMIT, spare, xid);
		}

		if (f & ~(DMAXFER_WAIT_ANY | DMAXFER_WAIT_NONBLOCK)) {
			valid_arg(_metadata, self, I_WAIT, arg, buf, &spare, &xid);
			((struct dmaxfer_completion *)arg)->flags = f;
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_WAIT, arg)) {
				TH_LOG("WAIT flags 0x%x", f);
			}
			no_effect(_metadata, self, I_WAIT, spare, xid);
			/* ANY with nothing in flight is ENODATA, unless the flags are bad. */
			valid_arg(_metadata, self, I_INFO, arg, buf, &spare, &xid);
			((struct dmaxfer_completion *)arg)->flags =
				f | DMAXFER_WAIT_ANY | DMAXFER_WAIT_NONBLOCK;
			EXPECT_EQ(EINVAL, xioctl(self->fd, DMAXFER_IOC_WAIT, arg));
		}

		if (f & ~(DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE | DMAXFER_SYNC_END)) {
			EXPECT_EQ(EINVAL, sync_buf(self->fd, buf, f | DMAXFER_SYNC_READ, 0,
						   self->pg)) {
				TH_LOG("SYNC flags 0x%x", f | DMAXFER_SYNC_READ);
			}
		}
	}
	/* SYNC: READ and/or WRITE is required, as for DMA_BUF_IOCTL_SYNC. */
	EXPECT_EQ(EINVAL, sync_buf(self->fd, buf, DMAXFER_SYNC_START, 0, self->pg));
	EXPECT_EQ(EINVAL, sync_buf(self->fd, buf, DMAXFER_SYNC_END, 0, self->pg));
	EXPECT_EQ(0, buf_free(self->fd, buf));
}

