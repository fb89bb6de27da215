// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test - kselftest of the /dev/dmaxfer<N> user-space ABI:
 * the ioctls of <linux/dmaxfer.h>, mmap() of pool buffers and poll().
 *
 * Environment:
 *   DMAXFER_DEV=/dev/dmaxferN   the device (default /dev/dmaxfer0)
 *   DMAXFER_LOOPBACK=1          rx returns what tx sent (dmasim): rx
 *                               transfers are fed by tx, and the tests
 *                               that check data run
 *   DMAXFER_FIFO_FLUSH=PATH     loopback only: file to write to empty the
 *                               loopback FIFO before and after each test
 *                               (default: every
 *                               /sys/kernel/debug/dmasim/<dev>/fifo_flush)
 *
 * Without DMAXFER_LOOPBACK no test assumes anything about what rx reads,
 * only that an rx transfer completes by itself (a peripheral that always
 * has data, as zynq's fixed word). With it, rx transfers must be fed: the
 * tests feed them with write() on tx, and a transfer that has to stay in
 * flight for a while is an rx from the empty FIFO. Without it, such a
 * transfer is a long tx (256 KiB: about 1 s through QEMU zynq's UART0);
 * if it ends before the test could see it in flight, the test is skipped.
 *
 * Output is TAP, from the kernel's kselftest_harness.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <linux/dmaxfer.h>

#include "pattern.h"		/* tools/dmaxfer: the stream the host can check */

/* The harness's SIGALRM handler does not use all its parameters. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop
/*
 * TEST_F() expands to a setjmp() in a function whose locals GCC suspects
 * (wrongly: they are not changed after setjmp) of being clobbered.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define TX		DMAXFER_CHAN_TX
#define RX		DMAXFER_CHAN_RX
#define NCHANS		2
#define SLOW_TX_LEN	(256 * 1024)
#define SLOW_RX_LEN	(64 * 1024)
#define QUICK_LEN	64
#define GIB4		(1ULL << 32)
/* timeout_record sends this seed's stream (tools/dmaxfer/pattern.c) */
#define TIMEOUT_SEED	4242

/* The same ioctl with another argument size. */
#define RESIZE(cmd, n)	_IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), (n))

/* ---- plain helpers: no harness macros, usable in forked children -------- */

static const char *dev_path(void)
{
	const char *d = getenv("DMAXFER_DEV");

	return d && *d ? d : "/dev/dmaxfer0";
}

static bool loopback_env(void)
{
	const char *v = getenv("DMAXFER_LOOPBACK");

	return v && !strcmp(v, "1");
}

static void write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, s, strlen(s)) < 0) {
		/* best effort */
	}
	close(fd);
}

/*
 * The driver's debugfs fault knob: the next n issue calls of the device
 * under test issue nothing, so what is submitted stays queued. 0 or errno
 * (ENOENT without debugfs or without the knob).
 */
static int hold_issue(unsigned int n)
{
	const char *d = dev_path(), *b = strrchr(d, '/');
	char path[256], val[16];
	int fd, r = 0;

	snprintf(path, sizeof(path), "/sys/kernel/debug/dmaxfer/%s/hold_issue",
		 b ? b + 1 : d);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	snprintf(val, sizeof(val), "%u", n);
	if (write(fd, val, strlen(val)) < 0)
		r = errno;
	close(fd);
	return r;
}

/* Empty the simulator's loopback FIFO (best effort). */
static void fifo_flush(void)
{
	const char *p = getenv("DMAXFER_FIFO_FLUSH");
	const char *root = "/sys/kernel/debug/dmasim";
	struct dirent *de;
	char path[512];
	DIR *d;

	if (p && *p) {
		write_str(p, "1");
		return;
	}
	d = opendir(root);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/fifo_flush", root, de->d_name);
		write_str(path, "1");
	}
	closedir(d);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t round_up(size_t v, size_t to)
{
	return (v + to - 1) / to * to;
}

/* ioctl() as 0 or the errno it failed with. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static int info(int fd, uint32_t chan, struct dmaxfer_chan_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->chan = chan;
	return xioctl(fd, DMAXFER_IOC_INFO, ci);
}

static int buf_alloc(int fd, uint32_t chan, uint64_t len, uint32_t *id, uint64_t *off)
{
	struct dmaxfer_buf_alloc a;
	int r;

	memset(&a, 0, sizeof(a));
	a.length = len;
	a.chan = chan;
	r = xioctl(fd, DMAXFER_IOC_BUF_ALLOC, &a);
	if (!r) {
		*id = a.id;
		if (off)
			*off = a.mmap_offset;
	}
	return r;
}

static int buf_free(int fd, uint32_t id)
{
	struct dmaxfer_buf_free f;

	memset(&f, 0, sizeof(f));
	f.id = id;
	return xioctl(fd, DMAXFER_IOC_BUF_FREE, &f);
}

/* MAP_SHARED read-write mapping of a pool buffer, or MAP_FAILED. */
static void *buf_map(int fd, uint64_t off, size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
}

static int submit_buf(int fd, uint32_t chan, uint32_t buf_id, uint64_t off,
		      uint64_t len, uint64_t user_data, uint64_t *id)
{
	struct dmaxfer_xfer_req r;
	int e;

	memset(&r, 0, sizeof(r));
	r.chan = chan;
	r.buf_id = buf_id;
	r.offset = off;
	r.length = len;
	r.user_data = user_data;
	e = xioctl(fd, DMAXFER_IOC_SUBMIT, &r);
	if (!e && id)
		*id = r.id;
	return e;
}

static int submit_ptr64(int fd, uint32_t chan, uint64_t ptr, uint64_t len,
			uint64_t user_data, uint64_t *id)
{
	struct dmaxfer_xfer_req r;
	int e;

	memset(&r, 0, sizeof(r));
	r.chan = chan;
	r.flags = DMAXFER_XFER_USER_PTR;
	r.user_ptr = ptr;
	r.length = len;
	r.user_data = user_data;
	e = xioctl(fd, DMAXFER_IOC_SUBMIT, &r);
	if (!e && id)
		*id = r.id;
	return e;
}

static int submit_ptr(int fd, uint32_t chan, const void *p, uint64_t len,
		      uint64_t user_data, uint64_t *id)
{
	return submit_ptr64(fd, chan, (uint64_t)(uintptr_t)p, len, user_data, id);
}

static int wait_id(int fd, uint64_t id, uint32_t flags, struct dmaxfer_completion *c)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->flags = flags;
	return xioctl(fd, DMAXFER_IOC_WAIT, c);
}

static int wait_any(int fd, uint32_t flags, struct dmaxfer_completion *c)
{
	return wait_id(fd, 0, flags | DMAXFER_WAIT_ANY, c);
}

static int sync_buf(int fd, uint32_t id, uint32_t flags, uint64_t off, uint64_t len)
{
	struct dmaxfer_sync s;

	memset(&s, 0, sizeof(s));
	s.buf_id = id;
	s.flags = flags;
	s.offset = off;
	s.length = len;
	return xioctl(fd, DMAXFER_IOC_SYNC, &s);
}

/* Private anonymous read-write memory, zeroed and faulted in, or MAP_FAILED. */
static void *anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		memset(p, 0, len);
	return p;
}

/*
 * An address range of len bytes with nothing mapped, or NULL. Nothing may
 * be mapped between this and its use: the new mapping could land there.
 */
static void *hole(size_t len)
{
	void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, len);
	return p;
}

/*
 * Anonymous memory whose pages are not physically contiguous, so that a
 * zero-copy transfer from it has a segment per page. A controller that
 * moves a whole segment within the call that starts it (QEMU's PL330
 * does) then still has the transfer in flight for a while. Even pages of
 * a faulted-in region first, then the odd ones: neighbours were two
 * pages apart. MAP_FAILED on failure; munmap() it as anon() memory.
 */
static void *scattered(size_t len, size_t pg)
{
	size_t n = round_up(len, pg) / pg, half = (n + 1) / 2, i;
	uint8_t *src, *dst;

	src = anon(n * pg);
	if (src == MAP_FAILED)
		return MAP_FAILED;
	dst = mmap(NULL, n * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dst == MAP_FAILED) {
		munmap(src, n * pg);
		return MAP_FAILED;
	}
	for (i = 0; i < n; i++) {
		size_t from = i < half ? 2 * i : 2 * (i - half) + 1;

		if (mremap(src + from * pg, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst + i * pg) == MAP_FAILED) {
			munmap(dst, n * pg);
			munmap(src, n * pg);
			return MAP_FAILED;
		}
	}
	munmap(src, n * pg);
	return dst;
}

/* A byte pattern that depends on the seed and the position. */
static void fill(void *p, size_t len, uint32_t seed)
{
	uint8_t *b = p;
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (uint8_t)(x >> 16);
	}
}

/* First offset where p differs from the pattern, or -1. */
static long check_fill(const void *p, size_t len, uint32_t seed)
{
	const uint8_t *b = p;
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		if (b[i] != (uint8_t)(x >> 16))
			return (long)i;
	}
	return -1;
}

/* First offset in [from, to) of p that is not c, or -1. */
static long check_byte(const void *p, size_t from, size_t to, uint8_t c)
{
	const uint8_t *b = p;
	size_t i;

	for (i = from; i < to; i++)
		if (b[i] != c)
			return (long)i;
	return -1;
}

static size_t quick_len(const struct dmaxfer_chan_info *ci)
{
	return round_up(QUICK_LEN, ci->bus_width ? ci->bus_width : 1);
}

/* write() all of len bytes, 0 or errno. */
static int write_all(int fd, const void *p, size_t len)
{
	ssize_t w = write(fd, p, len);

	if (w == (ssize_t)len)
		return 0;
	return w < 0 ? errno : EIO;
}

/*
 * A transfer that stays in flight until slow_finish(): on a loopback
 * device an rx from the empty FIFO, which waits for its bytes; otherwise
 * a long tx. A long tx from the pool queues behind a zero-copy one (the
 * "leader", reaped by slow_finish() too): a controller may move a
 * single-segment transfer, as a coherent buffer is, within the call that
 * starts it - QEMU's PL330 does - and it would never be seen in flight.
 */
struct slow {
	int fd;
	uint32_t chan;
	uint64_t len;
	uint64_t id;
	struct dmaxfer_completion early;	/* the record, if it ended at once */
	uint32_t buf_id;	/* pool buffer, 0 if user memory */
	uint64_t mmap_offset;
	void *mem;		/* pool mapping or anonymous memory */
	size_t mem_len;
	bool lead;		/* there is a leader, not reaped yet */
	uint64_t lead_id;
	void *lead_mem;
	bool fed;
};

/*
 * 0: in flight; -1: already done (its record is ready); -2: no way to keep
 * one in flight (no tx, no loopback); else an errno.
 */
static int slow_start(struct slow *s, int fd, const struct dmaxfer_chan_info *ci,
		      bool loop, bool pool, size_t pg)
{
	struct dmaxfer_completion c;
	int r;

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	if (loop) {
		s->chan = RX;
		s->len = SLOW_RX_LEN;
	} else {
		if (!(ci[TX].flags & DMAXFER_INFO_PRESENT))
			return -2;
		s->chan = TX;
		s->len = SLOW_TX_LEN;
		if (s->len > ci[TX].max_xfer_len)
			s->len = ci[TX].max_xfer_len;
		s->len -= s->len % (ci[TX].bus_width ? ci[TX].bus_width : 1);
	}
	s->mem_len = round_up(s->len, pg);
	if (pool) {
		r = buf_alloc(fd, s->chan, s->mem_len, &s->buf_id, &s->mmap_offset);
		if (r)
			return r;
		s->mem = buf_map(fd, s->mmap_offset, s->mem_len);
	} else {
		s->mem = scattered(s->mem_len, pg);
	}
	if (s->mem == MAP_FAILED) {
		s->mem = NULL;
		return errno;
	}
	if (s->chan == TX)
		fill(s->mem, s->len, 7);
	if (pool && !loop && ci[TX].queue_depth > 1) {
		s->lead_mem = scattered(s->mem_len, pg);
		if (s->lead_mem == MAP_FAILED) {
			s->lead_mem = NULL;
			return errno;
		}
		r = submit_ptr(fd, s->chan, s->lead_mem, s->len, 0x1ead, &s->lead_id);
		if (r)
			return r;
		s->lead = true;
	}
	if (pool)
		r = submit_buf(fd, s->chan, s->buf_id, 0, s->len, 0x5105, &s->id);
	else
		r = submit_ptr(fd, s->chan, s->mem, s->len, 0x5105, &s->id);
	if (r)
		return r;
	r = wait_id(fd, s->id, DMAXFER_WAIT_NONBLOCK, &c);
	if (r == EAGAIN)
		return 0;
	s->early = c;
	return r ? r : -1;
}

static void slow_unmap(struct slow *s);

/*
 * slow_start(), tried again (a few times) when the transfer ended at once:
 * on QEMU the CPU the test needs is the one that emulates the controller.
 */
static int slow_start_retry(struct slow *s, int fd, const struct dmaxfer_chan_info *ci,
			    bool loop, bool pool, size_t pg)
{
	struct dmaxfer_completion c;
	int tries, r = -1;

	for (tries = 0; tries < 4; tries++) {
		r = slow_start(s, fd, ci, loop, pool, pg);
		if (r != -1 || s->early.status)
			return r;
		/* Its record is reaped; the leader's is still to come. */
		if (s->lead)
			wait_id(fd, s->lead_id, 0, &c);
		slow_unmap(s);
		if (s->buf_id)
			buf_free(fd, s->buf_id);
	}
	return r;
}

/* Loopback: give the rx transfer its bytes (a write() on tx): 0 or errno. */
static int slow_release(struct slow *s, uint32_t seed)
{
	void *buf;
	int r;

	if (s->chan != RX || s->fed)
		return 0;
	s->fed = true;
	buf = anon(s->len);
	if (buf == MAP_FAILED)
		return errno;
	fill(buf, s->len, seed);
	r = write_all(s->fd, buf, s->len);
	munmap(buf, s->len);
	return r;
}

/*
 * Release it and reap its record (and the leader's, which must be good):
 * 0, the errno of WAIT, or EIO for a bad leader record.
 */
static int slow_finish(struct slow *s, struct dmaxfer_completion *c)
{
	struct dmaxfer_completion lc;
	int r = slow_release(s, 11);

	if (r)
		return r;
	do
		r = wait_id(s->fd, s->id, 0, c);
	while (r == EINTR);
	if (r || !s->lead)
		return r;
	s->lead = false;
	do
		r = wait_id(s->fd, s->lead_id, 0, &lc);
	while (r == EINTR);
	return r ? r : lc.status || lc.bytes != s->len ? EIO : 0;
}

static void slow_unmap(struct slow *s)
{
	if (s->mem)
		munmap(s->mem, s->mem_len);
	if (s->lead_mem)
		munmap(s->lead_mem, s->mem_len);
	s->mem = NULL;
	s->lead_mem = NULL;
}

/* ---- the fixture ---------------------------------------------------------- */

FIXTURE(dmaxfer) {
	int fd;
	struct dmaxfer_chan_info ci[NCHANS];
	bool has[NCHANS];
	bool loop;		/* DMAXFER_LOOPBACK=1 and both channels */
	size_t pg;
};

FIXTURE_SETUP(dmaxfer)
{
	uint32_t c;

	self->pg = (size_t)sysconf(_SC_PAGESIZE);
	self->fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	if (self->fd < 0 && (errno == ENOENT || errno == ENXIO || errno == ENODEV))
		SKIP(return, "%s: %s", dev_path(), strerror(errno));
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", dev_path(), strerror(errno));
	}
	for (c = 0; c < NCHANS; c++) {
		ASSERT_EQ(0, info(self->fd, c, &self->ci[c])) {
			TH_LOG("DMAXFER_IOC_INFO(%u): %s", c, strerror(errno));
		}
		self->has[c] = self->ci[c].flags & DMAXFER_INFO_PRESENT;
		if (self->has[c] && !self->ci[c].bus_width)
			self->ci[c].bus_width = 1;	/* checked in info_present */
	}
	ASSERT_TRUE(self->has[TX] || self->has[RX]);
	self->loop = loopback_env() && self->has[TX] && self->has[RX];
	if (self->loop)
		fifo_flush();
}

FIXTURE_TEARDOWN(dmaxfer)
{
	hold_issue(0);		/* in case a test that held its issue failed */
	if (self->fd >= 0)
		close(self->fd);
	if (self->loop)
		fifo_flush();
}

/* A channel that moves data by itself: tx, or rx if there is no tx. */
static uint32_t any_chan(FIXTURE_DATA(dmaxfer) *self)
{
	return self->has[TX] ? TX : RX;
}

#define START_SLOW(s, fd, pool) do {						\
	int __r = slow_start_retry(s, fd, self->ci, self->loop, pool, self->pg); \
	if (__r == -2)								\
		SKIP(return, "no transfer stays in flight: no tx, and not a loopback device"); \
	if (__r == -1 && !(s)->early.status)					\
		SKIP(return, "a %llu-byte %s transfer %s ended before it could be seen in flight", \
		     (unsigned long long)(s)->len,				\
		     (s)->chan == TX ? "tx" : "rx", pool ? "from the pool" : "zero-copy"); \
	ASSERT_EQ(0, (s)->early.status) {					\
		TH_LOG("a %llu-byte %s transfer %s failed at once: %s, %llu bytes moved", \
		       (unsigned long long)(s)->len, (s)->chan == TX ? "tx" : "rx", \
		       pool ? "from the pool" : "zero-copy",			\
		       strerror(-(s)->early.status),				\
		       (unsigned long long)(s)->early.bytes);			\
	}									\
	ASSERT_EQ(0, __r) {							\
		TH_LOG("starting a long transfer: %s", strerror(__r));		\
	}									\
} while (0)

/* Reap one record with ANY and check it is a good one for id/len. */
static void expect_record(struct __test_metadata *_metadata,
			  const struct dmaxfer_completion *c, uint64_t id,
			  uint32_t chan, uint64_t len, uint64_t user_data)
{
	EXPECT_EQ(id, c->id);
	EXPECT_EQ(chan, c->chan);
	EXPECT_EQ(0, c->status) {
		TH_LOG("transfer %llu: status %d (%s)", (unsigned long long)id,
		       c->status, strerror(-c->status));
	}
	EXPECT_EQ(len, c->bytes);
	EXPECT_EQ(0ULL, c->residue);
	EXPECT_EQ(user_data, c->user_data);
	EXPECT_EQ(0U, c->result_flags);
	EXPECT_EQ(0ULL, c->reserved[0]);
	EXPECT_EQ(0ULL, c->reserved[1]);
}

/* Nothing in flight and no record left: ANY gives ENODATA. */
static void expect_idle(struct __test_metadata *_metadata, int fd)
{
	struct dmaxfer_completion c;

	EXPECT_EQ(ENODATA, wait_any(fd, 0, &c));
	EXPECT_EQ(ENODATA, wait_any(fd, DMAXFER_WAIT_NONBLOCK, &c));
}

/* Loopback: send len bytes on tx, for rx transfers to take. */
static void feed(struct __test_metadata *_metadata, FIXTURE_DATA(dmaxfer) *self,
		 size_t len, uint32_t seed)
{
	void *b;

	if (!self->loop)
		return;
	b = anon(round_up(len, self->pg));
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(b));
	fill(b, len, seed);
	ASSERT_EQ(0, write_all(self->fd, b, len));
	munmap(b, round_up(len, self->pg));
}

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
}

/* ---- every ioctl: command, size and argument pointer ---------------------- */

enum { I_INFO, I_ALLOC, I_FREE, I_SUBMIT, I_WAIT, I_SYNC, NR_IOCS };

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
};

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
	if (k == I_WAIT) {
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
		_IOWR(DMAXFER_IOC_MAGIC, 0x06, struct dmaxfer_chan_info),
		_IOWR(DMAXFER_IOC_MAGIC, 0x07, struct dmaxfer_xfer_req),
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
		/* WAIT: reserved[] (result_flags is out only) */
		for (r = 0; r < 2; r++) {
			struct dmaxfer_completion *a = (void *)arg;

			valid_arg(_metadata, self, I_WAIT, arg, buf, &spare, &xid);
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
			/* Also beyond the buffer: E2BIG or EINVAL, the ABI does not say which. */
			r = submit_buf(self->fd, c, buf, 0, big[k], 0, NULL);
			EXPECT_TRUE(r == E2BIG || r == EINVAL) {
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
		bw = self->ci[c].bus_width;
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

/* ---- pool buffers and mmap ------------------------------------------------ */

TEST_F(dmaxfer, buf_alloc_ids)
{
	uint32_t c = any_chan(self), ids[16];
	uint64_t offs[16];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		ASSERT_EQ(0, buf_alloc(self->fd, c, (i + 1) * self->pg / 2, &ids[i], &offs[i]));
		EXPECT_NE(0U, ids[i]);
		EXPECT_EQ(0ULL, offs[i] % self->pg) {
			TH_LOG("mmap_offset 0x%llx is not page-aligned",
			       (unsigned long long)offs[i]);
		}
		for (j = 0; j < i; j++) {
			EXPECT_NE(ids[j], ids[i]);
			EXPECT_NE(offs[j], offs[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(0, buf_free(self->fd, ids[i]));
	}
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(ENOENT, buf_free(self->fd, ids[i]));
	}
}

/* Pool memory is zeroed at allocation, every time, to the end of the page. */
TEST_F(dmaxfer, buf_zeroed)
{
	uint32_t c = any_chan(self), id;
	size_t sizes[] = { 1, 100, self->pg, 3 * self->pg + 5, 65536 };
	unsigned int round, k;

	for (round = 0; round < 3; round++) {
		for (k = 0; k < ARRAY_SIZE(sizes); k++) {
			size_t maplen = round_up(sizes[k], self->pg);
			uint64_t off;
			uint8_t *p;

			ASSERT_EQ(0, buf_alloc(self->fd, c, sizes[k], &id, &off));
			p = buf_map(self->fd, off, maplen);
			ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
			EXPECT_EQ(-1, check_byte(p, 0, maplen, 0)) {
				TH_LOG("%zu-byte buffer, round %u: byte %ld not zero", sizes[k],
				       round, check_byte(p, 0, maplen, 0));
			}
			memset(p, 0xa5, maplen);	/* dirty it for the next round */
			EXPECT_EQ(0, munmap(p, maplen));
			EXPECT_EQ(0, buf_free(self->fd, id));
		}
	}
}

TEST_F(dmaxfer, mmap_happy)
{
	uint32_t c = any_chan(self), id;
	uint8_t *a, *b, *first;
	uint64_t off;
	size_t len = 2 * self->pg;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
	a = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(a));
	fill(a, len, 41);
	/* A second mapping shows the same memory. */
	b = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(b));
	EXPECT_EQ(-1, check_fill(b, len, 41));
	b[len - 1] ^= 0xff;
	EXPECT_EQ(a[len - 1], b[len - 1]);
	/* A mapping shorter than the buffer is fine. */
	first = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, (off_t)off);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(first));
	EXPECT_EQ(0, memcmp(first, a, self->pg));
	EXPECT_EQ(0, munmap(first, self->pg));
	EXPECT_EQ(0, munmap(b, len));
	EXPECT_EQ(0, munmap(a, len));
	/* And it can be mapped again after all mappings went. */
	a = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(a));
	EXPECT_EQ(-1, check_fill(a, len - 1, 41));
	EXPECT_EQ(0, munmap(a, len));
	EXPECT_EQ(0, buf_free(self->fd, id));
}

TEST_F(dmaxfer, mmap_beyond_buffer)
{
	uint32_t c = any_chan(self), id, id1;
	uint64_t off, off1;
	void *p;

	ASSERT_EQ(0, buf_alloc(self->fd, c, 2 * self->pg, &id, &off));
	p = mmap(NULL, 3 * self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, 3 * self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	/* A 1-byte buffer is a page: one page maps, two do not. */
	ASSERT_EQ(0, buf_alloc(self->fd, c, 1, &id1, &off1));
	p = buf_map(self->fd, off1, self->pg);
	EXPECT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		TH_LOG("mapping the page of a 1-byte buffer: %s", strerror(errno));
	}
	if (p != MAP_FAILED)
		munmap(p, self->pg);
	p = buf_map(self->fd, off1, 2 * self->pg);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, 2 * self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, buf_free(self->fd, id));
	EXPECT_EQ(0, buf_free(self->fd, id1));
}

TEST_F(dmaxfer, mmap_wrong_offset)
{
	uint32_t c = any_chan(self), id, gone_id;
	uint64_t off, gone_off, bad[4];
	unsigned int k;
	void *p;

	ASSERT_EQ(0, buf_alloc(self->fd, c, 2 * self->pg, &id, &off));
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &gone_id, &gone_off));
	ASSERT_EQ(0, buf_free(self->fd, gone_id));
	bad[0] = off + self->pg;		/* inside the buffer, not its start */
	bad[1] = gone_off;			/* a freed buffer's */
	bad[2] = off ? 0 : 64 * self->pg;	/* not a buffer's */
	/* Below 4 GiB: above, a 32-bit kernel's VFS refuses it (EOVERFLOW) first. */
	bad[3] = (uint64_t)self->pg << 18;
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		if (bad[k] == off)
			continue;
		p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, (off_t)bad[k]);
		EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
			TH_LOG("mmap at offset 0x%llx", (unsigned long long)bad[k]);
			munmap(p, self->pg);
		}
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(0, buf_free(self->fd, id));
	/* Freed and unmapped: its offset is gone too. */
	p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dmaxfer, mmap_private_refused)
{
	uint32_t c = any_chan(self), id;
	uint64_t off;
	void *p;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &id, &off));
	p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, self->pg, PROT_READ, MAP_PRIVATE, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, buf_free(self->fd, id));
}

/*
 * A mapping split in two (munmap of its middle page) holds the buffer in
 * each piece: both keep showing the memory after BUF_FREE, until the last
 * piece goes.
 */
TEST_F(dmaxfer, mmap_split)
{
	uint32_t c = any_chan(self), id, id2;
	size_t pg = self->pg, len = 3 * pg;
	uint64_t off, off2;
	uint8_t *p, *ref;

	ref = malloc(len);
	ASSERT_TRUE(ref != NULL);
	fill(ref, len, 47);
	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
	p = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	memcpy(p, ref, len);
	ASSERT_EQ(0, munmap(p + pg, pg));
	EXPECT_EQ(0, buf_free(self->fd, id));
	/* The id is gone from the pool, the memory is not. */
	EXPECT_EQ(ENOENT, buf_free(self->fd, id));
	EXPECT_EQ(0, memcmp(p, ref, pg));
	EXPECT_EQ(0, memcmp(p + 2 * pg, ref + 2 * pg, pg));
	EXPECT_EQ(0, munmap(p, pg));
	/* The last piece alone still holds it, past a new allocation. */
	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id2, &off2));
	EXPECT_EQ(0, memcmp(p + 2 * pg, ref + 2 * pg, pg));
	EXPECT_EQ(0, munmap(p + 2 * pg, pg));
	EXPECT_EQ(0, buf_free(self->fd, id2));
	free(ref);
}

/* VM_DONTEXPAND: the mapping cannot grow past the buffer. */
TEST_F(dmaxfer, mremap_grow_refused)
{
	uint32_t c = any_chan(self), id;
	size_t len = 2 * self->pg;
	uint8_t *p, *q;
	uint64_t off;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
	p = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	fill(p, len, 43);
	q = mremap(p, len, 2 * len, MREMAP_MAYMOVE);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)((void *)q)) {
		TH_LOG("mremap grew a pool mapping from %zu to %zu bytes", len, 2 * len);
		p = q;
	}
	q = mremap(p, len, len + self->pg, 0);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)((void *)q)) {
		TH_LOG("mremap grew a pool mapping in place");
	}
	/* Still mapped as before. */
	EXPECT_EQ(-1, check_fill(p, len, 43));
	EXPECT_EQ(0, munmap(p, len));
	EXPECT_EQ(0, buf_free(self->fd, id));
}

/* VM_DONTCOPY: a child does not inherit the mapping. */
TEST_F(dmaxfer, mmap_not_inherited)
{
	uint32_t c = any_chan(self), id;
	uint64_t off;
	uint8_t *p;
	int status;
	pid_t pid;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &id, &off));
	p = buf_map(self->fd, off, self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	p[0] = 0x42;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		unsigned char vec[1];

		/* ENOMEM: nothing is mapped there. */
		if (mincore(p, self->pg, vec) == -1 && errno == ENOMEM)
			_exit(0);
		_exit(1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("the child inherited the pool mapping");
	}
	EXPECT_EQ(0x42, p[0]);
	EXPECT_EQ(0, munmap(p, self->pg));
	EXPECT_EQ(0, buf_free(self->fd, id));
}

/* BUF_FREE of a mapped buffer: the id goes, the memory stays mapped. */
TEST_F(dmaxfer, free_while_mapped)
{
	uint32_t c = any_chan(self), id;
	size_t len = 2 * self->pg;
	uint64_t off;
	uint8_t *p;
	void *q;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
	p = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	fill(p, len, 44);
	EXPECT_EQ(0, buf_free(self->fd, id));
	EXPECT_EQ(-1, check_fill(p, len, 44));
	memset(p, 0x5a, len);
	EXPECT_EQ(ENOENT, submit_buf(self->fd, c, id, 0, quick_len(&self->ci[c]), 0, NULL));
	EXPECT_EQ(ENOENT, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, 1));
	EXPECT_EQ(ENOENT, buf_free(self->fd, id));
	q = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(q)) {
		munmap(q, self->pg);
	}
	EXPECT_EQ(0, munmap(p, len));
	expect_idle(_metadata, self->fd);
}

/* The mapping outlives the file. */
TEST_F(dmaxfer, mapping_outlives_close)
{
	uint32_t c = any_chan(self), id;
	size_t len = 2 * self->pg;
	uint64_t off;
	uint8_t *p;
	int fd2;

	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, buf_alloc(fd2, c, len, &id, &off));
	p = buf_map(fd2, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	fill(p, len, 45);
	EXPECT_EQ(0, close(fd2));
	EXPECT_EQ(-1, check_fill(p, len, 45));
	fill(p, len, 46);
	EXPECT_EQ(-1, check_fill(p, len, 46));
	EXPECT_EQ(0, munmap(p, len));
}

TEST_F(dmaxfer, sync_happy)
{
	static const uint32_t flags[] = {
		DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
		DMAXFER_SYNC_START | DMAXFER_SYNC_WRITE,
		DMAXFER_SYNC_START | DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE,
		DMAXFER_SYNC_END | DMAXFER_SYNC_READ,
		DMAXFER_SYNC_END | DMAXFER_SYNC_WRITE,
		DMAXFER_SYNC_END | DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE,
	};
	uint32_t c = any_chan(self), id;
	uint64_t len = 2 * self->pg;
	uint64_t ranges[][2] = { { 0, 1 }, { self->pg - 1, 2 }, { 0, len }, { len - 1, 1 } };
	unsigned int f, r;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, NULL));
	for (f = 0; f < ARRAY_SIZE(flags); f++)
		for (r = 0; r < ARRAY_SIZE(ranges); r++) {
			EXPECT_EQ(0, sync_buf(self->fd, id, flags[f], ranges[r][0], ranges[r][1])) {
				TH_LOG("SYNC flags 0x%x offset %llu length %llu", flags[f],
				       (unsigned long long)ranges[r][0],
				       (unsigned long long)ranges[r][1]);
			}
		}
	EXPECT_EQ(0, buf_free(self->fd, id));
}

TEST_F(dmaxfer, sync_bad_range)
{
	uint32_t c = any_chan(self), id;
	uint64_t len = 2 * self->pg;
	uint64_t ranges[][2] = {
		{ 0, 0 }, { len, 1 }, { 0, len + 1 }, { len - 1, 2 }, { 1ULL << 63, 1 },
		{ UINT64_MAX, 2 }, { 1, UINT64_MAX },
	};
	unsigned int r;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, NULL));
	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		EXPECT_EQ(EINVAL, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
					   ranges[r][0], ranges[r][1])) {
			TH_LOG("SYNC offset 0x%llx length 0x%llx of a %llu-byte buffer",
			       (unsigned long long)ranges[r][0],
			       (unsigned long long)ranges[r][1], (unsigned long long)len);
		}
	}
	EXPECT_EQ(0, buf_free(self->fd, id));
}

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
		uint64_t bw = self->ci[c].bus_width, xid, n;
		size_t len = 4 * self->pg;
		struct dmaxfer_completion comp;
		uint64_t win[][2] = { { self->pg - 8 * bw, 16 * bw },
				      { 2 * self->pg + 4 * bw, self->pg },
				      { 3 * self->pg + 64 * bw, 4 * bw } };
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
	len = 16 * bw;
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

/* ---- transfers in flight -------------------------------------------------- */

TEST_F(dmaxfer, wait_nonblock)
{
	struct dmaxfer_completion comp;
	struct slow s;

	START_SLOW(&s, self->fd, false);
	EXPECT_EQ(EAGAIN, wait_id(self->fd, s.id, DMAXFER_WAIT_NONBLOCK, &comp));
	EXPECT_EQ(EAGAIN, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &comp));
	/* An id that is not in flight, while one is. */
	EXPECT_EQ(ENOENT, wait_id(self->fd, s.id + 1000, DMAXFER_WAIT_NONBLOCK, &comp));
	EXPECT_EQ(ENOENT, wait_id(self->fd, s.id + 1000, 0, &comp));
	ASSERT_EQ(0, slow_finish(&s, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	expect_idle(_metadata, self->fd);
	slow_unmap(&s);
}

static volatile sig_atomic_t got_alarm;

static void on_alarm(int sig)
{
	(void)sig;
	got_alarm = 1;
}

/* A signal ends a blocking WAIT with EINTR; the transfer goes on. */
TEST_F(dmaxfer, wait_eintr)
{
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct dmaxfer_completion comp;
	struct slow s;
	int r;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	if (!self->loop && self->has[TX] && !hold_issue(1)) {
		/*
		 * QEMU's PL330 runs a transfer to its end before the CPU can
		 * take the signal: hold it unissued so that the wait is sure
		 * to block. A second submission then issues both.
		 */
		size_t len = quick_len(&self->ci[TX]), off = round_up(len, self->pg);
		uint64_t id, kid;
		uint8_t *m = anon(2 * off);

		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
		fill(m, 2 * off, 5);
		r = submit_ptr(self->fd, TX, m, len, 0x5105, &id);
		if (r)
			hold_issue(0);
		ASSERT_EQ(0, r);
		got_alarm = 0;
		ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
		r = wait_id(self->fd, id, 0, &comp);
		hold_issue(0);
		EXPECT_EQ(EINTR, r);
		EXPECT_TRUE(got_alarm);
		ASSERT_EQ(0, submit_ptr(self->fd, TX, m + off, len, 0x5106, &kid));
		do
			r = wait_id(self->fd, id, 0, &comp);
		while (r == EINTR);
		ASSERT_EQ(0, r);
		expect_record(_metadata, &comp, id, TX, len, 0x5105);
		do
			r = wait_id(self->fd, kid, 0, &comp);
		while (r == EINTR);
		ASSERT_EQ(0, r);
		expect_record(_metadata, &comp, kid, TX, len, 0x5106);
		expect_idle(_metadata, self->fd);
		munmap(m, 2 * off);
		return;
	}
	START_SLOW(&s, self->fd, false);
	got_alarm = 0;
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	r = wait_id(self->fd, s.id, 0, &comp);
	if (r == 0 && !got_alarm)
		SKIP(return, "the transfer ended before the signal came");
	EXPECT_EQ(EINTR, r);
	EXPECT_TRUE(got_alarm);
	/* Still in flight, or done: either way its record is still to come. */
	ASSERT_EQ(0, slow_finish(&s, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	expect_idle(_metadata, self->fd);
	slow_unmap(&s);
}

/* poll(): POLLIN once a record is ready, not before, not after it is reaped. */
TEST_F_TIMEOUT(dmaxfer, poll_completion, 60)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	struct dmaxfer_completion comp;
	double t0, limit;
	struct slow s;
	pid_t feeder = 0;

	EXPECT_EQ(0, poll(&p, 1, 0));
	START_SLOW(&s, self->fd, false);
	p.revents = 0;
	EXPECT_EQ(0, poll(&p, 1, 0));
	EXPECT_EQ(0, p.revents & POLLIN);
	if (s.chan == RX) {
		/* Loopback: the bytes come from a child while we sleep in poll(). */
		feeder = fork();
		ASSERT_LE(0, feeder);
		if (!feeder) {
			usleep(200000);
			_exit(slow_release(&s, 73) ? 1 : 0);
		}
		s.fed = true;
	}
	limit = self->ci[s.chan].timeout_ms + 10000;
	t0 = now_s();
	ASSERT_EQ(1, poll(&p, 1, (int)limit));
	EXPECT_NE(0, p.revents & POLLIN);
	EXPECT_LT(now_s() - t0, limit / 1000 - 5);
	if (feeder) {
		int st;

		ASSERT_EQ(feeder, waitpid(feeder, &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
	}
	ASSERT_EQ(0, wait_any(self->fd, DMAXFER_WAIT_NONBLOCK, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	p.revents = 0;
	EXPECT_EQ(0, poll(&p, 1, 0));
	expect_idle(_metadata, self->fd);
	slow_unmap(&s);
}

TEST_F(dmaxfer, buf_free_busy)
{
	struct dmaxfer_completion comp;
	struct slow s;

	START_SLOW(&s, self->fd, true);
	EXPECT_EQ(EBUSY, buf_free(self->fd, s.buf_id));
	ASSERT_EQ(0, slow_finish(&s, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	/* Done: it can go now, mapped or not. */
	EXPECT_EQ(0, buf_free(self->fd, s.buf_id));
	slow_unmap(&s);
	expect_idle(_metadata, self->fd);
}

/* munmap() of the pool buffer while the device uses it: the transfer is fine. */
TEST_F(dmaxfer, munmap_in_flight)
{
	struct dmaxfer_completion comp;
	struct slow s;
	uint8_t *p;

	START_SLOW(&s, self->fd, true);
	slow_unmap(&s);
	ASSERT_EQ(0, slow_release(&s, 74));
	ASSERT_EQ(0, slow_finish(&s, &comp));
	expect_record(_metadata, &comp, s.id, s.chan, s.len, 0x5105);
	/* The buffer is still there, with what the transfer left in it. */
	p = buf_map(self->fd, s.mmap_offset, s.mem_len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	ASSERT_EQ(0, sync_buf(self->fd, s.buf_id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0,
			      s.len));
	/* tx: what we wrote; loopback rx: what was sent */
	EXPECT_EQ(-1, check_fill(p, s.len, s.chan == TX ? 7 : 74));
	ASSERT_EQ(0, sync_buf(self->fd, s.buf_id, DMAXFER_SYNC_END | DMAXFER_SYNC_READ, 0,
			      s.len));
	EXPECT_EQ(0, munmap(p, s.mem_len));
	EXPECT_EQ(0, buf_free(self->fd, s.buf_id));
	expect_idle(_metadata, self->fd);
}

/*
 * queue_depth transfers in flight on a channel: one more is EBUSY on that
 * channel, for this file only.
 */
TEST_F_TIMEOUT(dmaxfer, queue_depth_busy, 60)
{
	uint32_t c, other, buf;
	unsigned int qd, k, kc, n = 0, total;
	struct dmaxfer_completion comp;
	uint64_t *ids, xid, fed = 0;
	size_t ql, mlen, pos;
	bool inorder = true, held = false;
	char order[512];
	double t0;
	int r;
	struct slow s;
	uint8_t *m;
	int fd2;

	/*
	 * Everything is prepared first: while a transfer runs on QEMU, the
	 * CPU is slow (it emulates the controller), page faults included.
	 */
	c = self->loop ? RX : any_chan(self);
	other = !c;
	qd = self->ci[c].queue_depth;
	if (qd > 1024)
		SKIP(return, "queue depth %u: too many to fill", qd);
	ql = quick_len(&self->ci[c]);
	mlen = round_up(qd * ql + ql, self->pg);
	m = anon(mlen);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	ids = calloc(qd + 1, sizeof(*ids));
	ASSERT_NE((uintptr_t)NULL, (uintptr_t)(ids));
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &buf, NULL));
	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);

	/*
	 * The first transfer is long; those behind it stay in flight as long
	 * as it does (a channel's transfers end in order). Where the driver's
	 * hold_issue knob exists, nothing is issued until the queue has been
	 * shown full: QEMU's PL330 may otherwise end the long one first.
	 */
	if (!self->loop && c == TX)
		held = !hold_issue(qd + 8);
	t0 = now_s();
	START_SLOW(&s, self->fd, false);
	ASSERT_EQ(c, s.chan);
	ids[n++] = s.id;
	for (k = n; k < qd; k++) {
		ASSERT_EQ(0, submit_ptr(self->fd, c, m + k * ql, ql, k, &ids[n])) {
			TH_LOG("transfer %u of a queue depth of %u: %s", k + 1, qd, strerror(errno));
		}
		n++;
	}
	r = submit_ptr(self->fd, c, m, ql, 0xb, &xid);
	if (!r) {
		/* Fine only if the queue had room: the long one had ended. */
		ids[n++] = xid;
		ASSERT_NE(EAGAIN, wait_id(self->fd, s.id, DMAXFER_WAIT_NONBLOCK, &comp)) {
			TH_LOG("%u transfers in flight with a queue depth of %u", qd + 1, qd);
		}
		TH_LOG("the long transfer ended while the queue was filled, after %.3f s",
		       now_s() - t0);
		while (!wait_any(self->fd, 0, &comp))
			;
		/* QEMU's PL330 keeps the CPU while it moves data: user space
		 * may not run again before the transfer ends. */
		SKIP(return, "the long transfer ended before the queue could be filled");
	}
	EXPECT_EQ(EBUSY, r);
	EXPECT_EQ(EBUSY, submit_buf(self->fd, c, buf, 0, ql, 0, NULL));
	total = n;
	/* The next submission, fd2's, issues everything held. */
	if (held)
		hold_issue(0);

	/* Another file has its own queue. */
	EXPECT_EQ(0, submit_ptr(fd2, c, m + qd * ql, ql, 0, &xid));

	/* The other channel has its own queue; on a loopback device it feeds c. */
	if (self->has[other]) {
		size_t olen = ql;

		if (self->loop) {
			olen = s.len + (qd - 1) * ql + ql;
			fed = olen;
		}
		ASSERT_EQ(0, submit_ptr(self->fd, other, m, olen, 0xfeed, NULL)) {
			TH_LOG("the %s channel while %s is full: %s", other == TX ? "tx" : "rx",
			       c == TX ? "tx" : "rx", strerror(errno));
		}
		total++;
	}
	if (self->loop && !fed) {
		ASSERT_EQ(0, slow_release(&s, 75));
	}
	/* c's records in submission order; the other channel's wherever. */
	for (k = 0, kc = 0, pos = 0; k < total; k++) {
		ASSERT_EQ(0, wait_any(self->fd, 0, &comp));
		EXPECT_EQ(0, comp.status);
		pos += snprintf(order + pos, sizeof(order) - pos, " %s%llu",
				comp.chan == c ? "" : "other:", (unsigned long long)comp.id);
		if (comp.chan == other) {
			EXPECT_EQ(0xfeedULL, comp.user_data);
			continue;
		}
		ASSERT_GT(n, kc);
		EXPECT_EQ(ids[kc], comp.id) {
			inorder = false;
		}
		kc++;
	}
	if (!inorder)
		TH_LOG("records in this order:%s (submitted: %llu, then %llu to %llu)", order,
		       (unsigned long long)ids[0], (unsigned long long)ids[1],
		       (unsigned long long)ids[n - 1]);
	EXPECT_EQ(0, buf_free(self->fd, buf));
	ASSERT_EQ(0, wait_any(fd2, 0, &comp));
	EXPECT_EQ(xid, comp.id);
	EXPECT_EQ(0, comp.status);
	expect_idle(_metadata, fd2);
	expect_idle(_metadata, self->fd);
	close(fd2);
	free(ids);
	munmap(m, mlen);
	slow_unmap(&s);
}

/* A quick transfer on fd works: 0, or a message. */
static int quick_xfer(int fd, const struct dmaxfer_chan_info *ci, bool loop)
{
	uint32_t c = ci[TX].flags & DMAXFER_INFO_PRESENT ? TX : RX;
	size_t ql = quick_len(&ci[c]);
	struct dmaxfer_completion comp;
	uint8_t m[256] __attribute__((aligned(8))) = { 0 };
	uint64_t xid;
	int r;

	if (c == RX && loop && write_all(fd, m, ql))
		return -1;
	r = submit_ptr(fd, c, m, ql, 0x9, &xid);
	if (r)
		return r;
	r = wait_id(fd, xid, 0, &comp);
	if (r)
		return r;
	return comp.status ? -comp.status : comp.bytes == ql ? 0 : EIO;
}

/* close() with transfers in flight: no hang, no crash, the device works on. */
TEST_F_TIMEOUT(dmaxfer, close_during_transfer, 90)
{
	struct dmaxfer_chan_info ci;
	struct slow s1, s2 = { 0 };
	double t0, dt, limit;
	unsigned int k, qd, inflight;
	uint8_t *m;
	int fd2, fd3, r;

	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	m = anon(self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	START_SLOW(&s1, fd2, true);
	qd = self->ci[s1.chan].queue_depth;
	/* A second long one from user memory, and short ones behind. */
	inflight = s1.lead ? 2 : 1;
	if (inflight < qd) {
		r = slow_start(&s2, fd2, self->ci, self->loop, false, self->pg);
		ASSERT_TRUE(r <= 0) {
			TH_LOG("second long transfer: %s", strerror(r));
		}
		inflight++;
	}
	for (k = 0; inflight < qd && k < 4; k++, inflight++) {
		ASSERT_EQ(0, submit_ptr(fd2, s1.chan, m, quick_len(&self->ci[s1.chan]), k, NULL));
	}
	limit = 2.0 * self->ci[s1.chan].timeout_ms / 1000 + 5;
	/*
	 * The file is released when its last user goes: close() here, or the
	 * munmap() of the pool buffer (the mapping holds the file).
	 */
	t0 = now_s();
	EXPECT_EQ(0, close(fd2));
	/* The pool mapping outlives the file. */
	memset(s1.mem, 0x33, s1.len);
	slow_unmap(&s1);
	if (s2.mem)
		slow_unmap(&s2);
	dt = now_s() - t0;
	EXPECT_LT(dt, limit) {
		TH_LOG("close() and munmap() took %.1f s", dt);
	}
	TH_LOG("close() and munmap() with %u transfers in flight took %.3f s", inflight, dt);
	munmap(m, self->pg);

	/* The other open file and a new one both work. */
	EXPECT_EQ(0, quick_xfer(self->fd, self->ci, self->loop));
	fd3 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd3);
	EXPECT_EQ(0, info(fd3, any_chan(self), &ci));
	EXPECT_EQ(0, quick_xfer(fd3, self->ci, self->loop));
	close(fd3);
}

/* A process exits with transfers in flight and its pool mapped. */
TEST_F_TIMEOUT(dmaxfer, exit_during_transfer, 90)
{
	double t0, limit = 2.0 * self->ci[any_chan(self)].timeout_ms / 1000 + 10;
	int status = 0, fd3;
	pid_t pid, w;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct slow s1, s2;
		int fd = open(dev_path(), O_RDWR | O_CLOEXEC);

		if (fd < 0)
			_exit(2);
		if (slow_start(&s1, fd, self->ci, self->loop, true, self->pg) > 0)
			_exit(3);
		if (slow_start(&s2, fd, self->ci, self->loop, false, self->pg) > 0)
			_exit(4);
		_exit(0);	/* no close, no munmap, no wait */
	}
	t0 = now_s();
	while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now_s() - t0 < limit)
		usleep(10000);
	ASSERT_EQ(pid, w) {
		TH_LOG("the process did not end in %.0f s", limit);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("child status 0x%x", status);
	}
	EXPECT_EQ(0, quick_xfer(self->fd, self->ci, self->loop));
	fd3 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd3);
	EXPECT_EQ(0, quick_xfer(fd3, self->ci, self->loop));
	close(fd3);
}

/*
 * One process's share of two_processes: rounds of pool and zero-copy
 * transfers on each channel, on its own open file. 0, or the line that
 * failed.
 */
static int worker(const struct dmaxfer_chan_info *ci, size_t pg)
{
	bool has_rx = ci[RX].flags & DMAXFER_INFO_PRESENT;
	bool has_tx = ci[TX].flags & DMAXFER_INFO_PRESENT;
	unsigned int round, k, n;
	struct dmaxfer_completion comp;
	uint64_t ids[4];
	uint32_t buf[NCHANS] = { 0 };
	uint8_t *m;
	size_t len = 256;
	int fd, ret = 0;

	fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return __LINE__;
	m = anon(pg);
	if (m == MAP_FAILED)
		return __LINE__;
	for (round = 0; round < 8 && !ret; round++) {
		n = 0;
		/* tx before rx: on a loopback device tx feeds rx */
		if (has_tx) {
			if (buf_alloc(fd, TX, pg, &buf[TX], NULL) ||
			    submit_buf(fd, TX, buf[TX], 0, len, n, &ids[n]))
				ret = __LINE__;
			n++;
			if (!ret && submit_ptr(fd, TX, m, len, n, &ids[n]))
				ret = __LINE__;
			n++;
		}
		if (has_rx && !ret) {
			if (buf_alloc(fd, RX, pg, &buf[RX], NULL) ||
			    submit_buf(fd, RX, buf[RX], 0, len, n, &ids[n]))
				ret = __LINE__;
			n++;
			if (!ret && submit_ptr(fd, RX, m + len, len, n, &ids[n]))
				ret = __LINE__;
			n++;
		}
		for (k = 0; k < n && !ret; k++) {
			if (wait_id(fd, ids[k], 0, &comp))
				ret = __LINE__;
			else if (comp.status || comp.bytes != len || comp.user_data != k)
				ret = __LINE__;
		}
		for (k = 0; k < NCHANS && !ret; k++)
			if (buf[k] && buf_free(fd, buf[k]))
				ret = __LINE__;
	}
	if (!ret && wait_any(fd, 0, &comp) != ENODATA)
		ret = __LINE__;
	close(fd);
	munmap(m, pg);
	return ret;
}

/* Two processes, each with its own open file, transfer at the same time. */
TEST_F_TIMEOUT(dmaxfer, two_processes, 90)
{
	int status, r;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(worker(self->ci, self->pg) ? 1 : 0);
	r = worker(self->ci, self->pg);
	EXPECT_EQ(0, r) {
		TH_LOG("parent failed at line %d", r);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("child status 0x%x", status);
	}
}

/*
 * A transfer that cannot finish in timeout_ms ends with ETIMEDOUT and an
 * exact count; one queued behind it ends too; the channel works on.
 */
TEST_F_TIMEOUT(dmaxfer, timeout_record, 120)
{
	struct dmaxfer_completion comp;
	uint64_t len, bw, id1, id2;
	double t0, dt, tmo;
	struct pattern p;
	uint64_t more;
	uint32_t c;
	uint8_t *m;
	size_t mlen;

	if (self->loop) {
		c = RX;		/* from the empty FIFO: nothing comes */
		len = 4096;
	} else if (self->has[TX]) {
		c = TX;		/* longer than the timeout through a slow peripheral */
		len = 2 * 1024 * 1024;
		if (len > self->ci[TX].max_xfer_len)
			len = self->ci[TX].max_xfer_len;
	} else {
		SKIP(return, "no transfer that outlasts the timeout: rx only, no loopback");
	}
	bw = self->ci[c].bus_width;
	len -= len % bw;
	tmo = self->ci[c].timeout_ms / 1000.0;
	mlen = round_up(len + 64, self->pg);
	m = scattered(mlen, self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(m));
	/*
	 * The seeded stream of the dmaxfer tool: a host that captures what
	 * the peripheral got can check that exactly comp.bytes of it arrived
	 * (the "tx: N of" line below).
	 */
	pattern_init(&p, TIMEOUT_SEED);
	pattern_fill(&p, m, mlen);
	ASSERT_EQ(0, submit_ptr(self->fd, c, m, len, 1, &id1));
	ASSERT_EQ(0, submit_ptr(self->fd, c, m + len, 4 * bw, 2, &id2));
	t0 = now_s();
	ASSERT_EQ(0, wait_id(self->fd, id1, 0, &comp));
	dt = now_s() - t0;
	TH_LOG("%s: %llu of %llu bytes moved, status %d, ended after %.2f s (timeout %.1f s), stream seed %u",
	       c == TX ? "tx" : "rx", (unsigned long long)comp.bytes,
	       (unsigned long long)len, comp.status, dt, tmo, TIMEOUT_SEED);
	if (!comp.status && !self->loop)
		SKIP(return, "%llu bytes took %.1f s, and the timeout is %.1f s: not exceeded",
		     (unsigned long long)len, dt, tmo);
	EXPECT_EQ(-ETIMEDOUT, comp.status) {
		TH_LOG("status %d (%s)", comp.status, strerror(-comp.status));
	}
	EXPECT_EQ(len, comp.bytes + comp.residue);
	if (comp.bytes == len)	/* the controller could not be stopped in time */
		TH_LOG("note: ETIMEDOUT, yet every byte moved");
	if (self->loop) {
		EXPECT_EQ(0ULL, comp.bytes);
	}
	EXPECT_EQ(1ULL, comp.user_data);
	/* Not a hang: ended about when the deadline came (some slack for QEMU). */
	EXPECT_LT(dt, 2 * tmo + 5);
	/* The one behind: cancelled, timed out or done, but accounted for. */
	ASSERT_EQ(0, wait_id(self->fd, id2, 0, &comp));
	EXPECT_TRUE(comp.status == 0 || comp.status == -ECANCELED ||
		    comp.status == -ETIMEDOUT) {
		TH_LOG("status %d (%s)", comp.status, strerror(-comp.status));
	}
	EXPECT_EQ(4 * bw, comp.bytes + comp.residue);
	more = comp.bytes;
	expect_idle(_metadata, self->fd);
	munmap(m, mlen);
	EXPECT_EQ(0, quick_xfer(self->fd, self->ci, self->loop));
	if (c == TX) {	/* for a host that counts what the peripheral got */
		more += quick_len(&self->ci[TX]);
		TH_LOG("tx: then %llu more bytes moved (the transfer behind it, then one to check the channel)",
		       (unsigned long long)more);
	}
}

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

/* ---- last: it churns through GiBs of buffers ---------------------------- */

/*
 * A file that allocates and frees buffers for a long time must still get
 * offsets it can mmap(). A 32-bit kernel's VFS refuses a character
 * device's mmap offsets at or beyond 4 GiB (EOVERFLOW, file_mmap_ok()),
 * so BUF_ALLOC must reuse offsets or fail itself, not hand out those.
 */
TEST_F_TIMEOUT(dmaxfer, mmap_offset_space, 300)
{
	uint32_t c = any_chan(self), id;
	uint64_t off, total = 0, size = 4 << 20;
	unsigned int n = 0;
	void *p;
	int r;

	if (sizeof(long) != 4)
		SKIP(return, "64-bit: mmap offsets cannot run out");
	if (size > self->ci[c].max_xfer_len)
		size = self->ci[c].max_xfer_len & ~(uint64_t)(self->pg - 1);
	while (total < GIB4 + 2 * size) {
		r = buf_alloc(self->fd, c, size, &id, &off);
		if (r == ENOMEM && !n && size > 256 * 1024) {
			size /= 2;
			continue;
		}
		if (r == ENOSPC) {
			TH_LOG("BUF_ALLOC: ENOSPC after %u buffers of %llu bytes", n,
			       (unsigned long long)size);
			break;
		}
		ASSERT_EQ(0, r) {
			TH_LOG("buffer %u of %llu bytes: %s", n, (unsigned long long)size,
			       strerror(r));
		}
		p = buf_map(self->fd, off, size);
		ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)p) {
			TH_LOG("buffer %u, %llu MiB allocated and freed before: mmap at offset 0x%llx: %s",
			       n, (unsigned long long)(total >> 20), (unsigned long long)off,
			       strerror(errno));
			buf_free(self->fd, id);
		}
		munmap(p, size);
		ASSERT_EQ(0, buf_free(self->fd, id));
		total += size;
		n++;
	}
}

TEST_HARNESS_MAIN
