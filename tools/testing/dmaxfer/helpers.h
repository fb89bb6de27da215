// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: includes, constants and plain helpers (no harness macros,
 * usable in forked children), and the transfers kept in flight.
 * Part of dmaxfer_test.c.
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

/*
 * A short transfer on the channel of @ci: QUICK_LEN bytes, rounded up to
 * the bus width and, for rx, to INFO's rx_align (zero-copy rx must end on
 * the DMA cache line: 128 bytes on arm64 before Linux 6.5).
 */
static size_t quick_len(const struct dmaxfer_chan_info *ci)
{
	size_t a = ci->bus_width ? ci->bus_width : 1;

	if (ci->chan == DMAXFER_CHAN_RX && ci->rx_align > a)
		a = ci->rx_align;
	return round_up(QUICK_LEN, a);
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
	bool held;		/* tx held unissued (hold_issue), see slow_release() */
	uint64_t kick_id;	/* held: the short tx that issued it, 0 if none */
	void *kick_mem;
	size_t kick_len;
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
	/*
	 * Every try ended at once (QEMU's BCM2835 runs a chain inside the
	 * register write that starts it). Where the driver has the
	 * hold_issue knob, hold the tx (and its leader) unissued instead, so
	 * that the case runs rather than skips; slow_release() issues it.
	 */
	if (loop || hold_issue(pool && ci[TX].queue_depth > 1 ? 2 : 1))
		return r;
	r = slow_start(s, fd, ci, loop, pool, pg);
	if (r) {
		hold_issue(0);
		return r;
	}
	s->held = true;
	s->kick_len = quick_len(&ci[TX]);
	return 0;
}

/* Loopback: give the rx transfer its bytes (a write() on tx): 0 or errno. */
static int slow_release(struct slow *s, uint32_t seed)
{
	void *buf;
	int r;

	if (s->held && !s->fed) {
		/* A held tx is issued by the next submission: a short one. */
		s->fed = true;
		hold_issue(0);
		s->kick_mem = anon(s->kick_len);
		if (s->kick_mem == MAP_FAILED) {
			s->kick_mem = NULL;
			return errno;
		}
		fill(s->kick_mem, s->kick_len, seed);
		return submit_ptr(s->fd, TX, s->kick_mem, s->kick_len, 0x6c1c, &s->kick_id);
	}
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

/* A blocking WAIT for @id, restarted after EINTR: 0 or its errno. */
static int wait_id_restart(int fd, uint64_t id, struct dmaxfer_completion *c)
{
	int r;

	do
		r = wait_id(fd, id, 0, c);
	while (r == EINTR);
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
	r = wait_id_restart(s->fd, s->id, c);
	if (!r && s->kick_id) {
		r = wait_id_restart(s->fd, s->kick_id, &lc);
		s->kick_id = 0;
		if (!r && (lc.status || lc.bytes != s->kick_len))
			r = EIO;
	}
	if (r || !s->lead)
		return r;
	s->lead = false;
	r = wait_id_restart(s->fd, s->lead_id, &lc);
	return r ? r : lc.status || lc.bytes != s->len ? EIO : 0;
}

static void slow_unmap(struct slow *s)
{
	if (s->mem)
		munmap(s->mem, s->mem_len);
	if (s->lead_mem)
		munmap(s->lead_mem, s->mem_len);
	if (s->kick_mem)
		munmap(s->kick_mem, s->kick_len);
	s->mem = NULL;
	s->lead_mem = NULL;
	s->kick_mem = NULL;
}

