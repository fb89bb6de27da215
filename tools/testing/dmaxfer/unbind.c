// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: the device unbinds under an open file (decision 10). It
 * unbinds and rebinds the device, so it runs only with DMAXFER_UNBIND=1,
 * alone and last (the guest scripts do that). Part of dmaxfer_test.c.
 */

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/* Whether reading p raises SIGBUS. */
static bool raises_sigbus(volatile uint8_t *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	bool bus = false;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(bus_jmp, 1))
		bus = true;
	else
		(void)p[0];
	sigaction(SIGBUS, &old, NULL);
	return bus;
}

/* Write the platform device's name to its driver's bind or unbind file. */
static int driver_op(const char *pdev, const char *op)
{
	char path[512];
	int fd, r = 0;

	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/dmaxfer/%s", op);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, pdev, strlen(pdev)) < 0)
		r = errno;
	close(fd);
	return r;
}

TEST_F_TIMEOUT(dmaxfer, unbind_records, 90)
{
	struct pollfd pf = { .events = POLLIN };
	char link[512], pdev[512], path[256];
	const char *v = getenv("DMAXFER_UNBIND");
	struct dmaxfer_completion comp;
	struct dmaxfer_chan_info ci;
	uint32_t c = any_chan(self), id, x;
	uint64_t off, r1, xid;
	bool stuck_ok;
	struct stuck s = { 0 };
	uint8_t *p, *m;
	ssize_t n;
	double t0;
	int fd2;

	if (!v || strcmp(v, "1"))
		SKIP(return, "unbinds the device: runs only with DMAXFER_UNBIND=1, alone and last");
	snprintf(path, sizeof(path), "/sys/class/misc/%s/device", dev_name());
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = 0;
	snprintf(pdev, sizeof(pdev), "%s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
	stuck_ok = can_stick(self);
	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)m);

	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	pf.fd = fd2;
	ASSERT_EQ(0, buf_alloc(fd2, c, self->pg, &id, &off));
	p = buf_map(fd2, off, self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)p);
	fill(p, self->pg, 31);
	/* One ended (its record ready), one in flight. */
	if (c == RX)
		feed(_metadata, self, quick_len(&self->ci[c]), 32);
	ASSERT_EQ(0, submit_ptr(fd2, c, m, quick_len(&self->ci[c]), 1, &r1));
	ASSERT_EQ(1, poll(&pf, 1, 5000));
	if (stuck_ok)
		START_STUCK(&s, fd2);

	ASSERT_EQ(0, driver_op(pdev, "unbind")) {
		TH_LOG("unbinding %s: %s", pdev, strerror(errno));
	}
	pf.revents = 0;
	EXPECT_EQ(1, poll(&pf, 1, 0));
	EXPECT_EQ(POLLHUP | POLLERR | POLLIN, pf.revents & (POLLHUP | POLLERR | POLLIN)) {
		TH_LOG("poll() after unbind, records left: revents 0x%x", pf.revents);
	}
	/* Every transfer yields its record, then ENODATA. */
	ASSERT_EQ(0, wait_any(fd2, 0, &comp)) {
		TH_LOG("WAIT after unbind: %s", strerror(errno));
	}
	EXPECT_EQ(r1, comp.id);
	EXPECT_EQ(0, comp.status);
	if (stuck_ok) {
		ASSERT_EQ(0, wait_any(fd2, 0, &comp));
		EXPECT_EQ(s.id, comp.id);
		EXPECT_EQ(-ECANCELED, comp.status) {
			TH_LOG("the transfer cut off by the unbind: status %d (%s)", comp.status,
			       strerror(-comp.status));
		}
		EXPECT_EQ(s.len, comp.bytes + comp.residue);
		EXPECT_EQ(ENOENT, wait_id(fd2, s.id, 0, &comp));
	}
	EXPECT_EQ(ENODATA, wait_any(fd2, 0, &comp));
	EXPECT_EQ(ENODATA, wait_any(fd2, DMAXFER_WAIT_NONBLOCK, &comp));
	pf.revents = 0;
	poll(&pf, 1, 0);
	EXPECT_EQ(POLLHUP | POLLERR, pf.revents & (POLLHUP | POLLERR | POLLIN)) {
		TH_LOG("poll() after unbind, no record left: revents 0x%x", pf.revents);
	}
	/* Everything else that needs the device: ENODEV. */
	EXPECT_EQ(ENODEV, info(fd2, c, &ci));
	EXPECT_EQ(ENODEV, buf_alloc(fd2, c, self->pg, &x, NULL));
	EXPECT_EQ(ENODEV, submit_buf(fd2, c, id, 0, 64, 0, &xid));
	EXPECT_EQ(ENODEV, submit_ptr(fd2, c, m, 64, 0, &xid));
	EXPECT_EQ(ENODEV, sync_buf(fd2, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, 1));
	errno = 0;
	EXPECT_EQ(-1, read(fd2, m, 64));
	EXPECT_EQ(ENODEV, errno);
	errno = 0;
	EXPECT_EQ(-1, write(fd2, m, 64));
	EXPECT_EQ(ENODEV, errno);
	errno = 0;
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)buf_map(fd2, off, self->pg));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(0, buf_free(fd2, id));
	/* The old mapping is revoked. */
	EXPECT_TRUE(raises_sigbus(p)) {
		TH_LOG("a pool mapping still reads after unbind");
	}
	EXPECT_EQ(0, munmap(p, self->pg));
	EXPECT_EQ(0, close(fd2));
	stuck_free(&s);
	close(self->fd);
	self->fd = -1;

	/* Bind it again: the device comes back and works. */
	ASSERT_EQ(0, driver_op(pdev, "bind")) {
		TH_LOG("binding %s again: %s", pdev, strerror(errno));
	}
	t0 = now_s();
	while ((fd2 = open(dev_path(), O_RDWR | O_CLOEXEC)) < 0 && now_s() - t0 < 5)
		usleep(20000);
	ASSERT_LE(0, fd2) {
		TH_LOG("%s did not come back after the bind", dev_path());
	}
	EXPECT_EQ(0, info(fd2, c, &ci));
	EXPECT_EQ(0, quick_xfer(fd2, self->ci, self->loop));
	close(fd2);
	munmap(m, self->pg);
}
