// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_failnth - systematic fault injection into the calls of
 * /dev/dmaxfer<N> with /proc/thread-self/fail-nth (see the kernel's
 * Documentation/fault-injection/fault-injection.rst).
 *
 * For each call (open, the ioctls, mmap, read, write) and N = 1, 2, ...:
 * set the call's state up, write N to fail-nth, make the call, read
 * fail-nth back. 0 means the N-th fault-checked allocation of the call was
 * failed (the fault was injected); a positive value means the call made
 * fewer than N such allocations, so it ran without a fault and the sweep of
 * that call ends. Every iteration then undoes what it set up (close,
 * munmap, FIFO flush) and checks that the kernel is back where it was:
 *
 * - a call that failed under an injected fault gave one of its clean
 *   errnos (ENOMEM; EIO where a DMA descriptor could not be prepared) and
 *   left nothing behind (a failed tx transfer sent nothing, a failed rx
 *   transfer took nothing from the FIFO);
 * - a call that succeeded (with or without a fault the kernel absorbed)
 *   did its job: the data went through, byte for byte;
 * - DMA-API debug's live entries (nr_total_entries - num_free_entries:
 *   streaming mappings and coherent buffers) and the pinned pages
 *   (nr_foll_pin_acquired - nr_foll_pin_released in /proc/vmstat) are
 *   back to their value before the sweep;
 * - /sys/kernel/warn_count (WARN, KASAN, UBSAN) and DMA-API debug's
 *   error_count did not move.
 *
 * The kernel's own count of injected faults, the decrement of "times" in
 * /sys/kernel/debug/{failslab,fail_page_alloc}/ (set it high: fail-nth
 * decrements it on each injection), must match, and tells slab faults from
 * page faults. A call into which no fault could be injected fails (it
 * proves nothing), unless it is named with -z: a call that makes no
 * fault-checked allocation at all (then SKIP).
 *
 * The environment (the guest's scripts/guest/virt64-faultinj.sh) sets up
 * failslab and fail_page_alloc so that fail-nth reaches every allocation:
 * ignore-gfp-wait=N, min-order=0, ignore-gfp-highmem=N.
 *
 * Output: lines for the QEMU harness (Documentation/testing.rst):
 * "DMAXFER-INFO: fi CALL N=n: ..." per iteration, a summary per call, and
 * "DMAXFER-RESULT: PASS|FAIL|SKIP faultinj-CALL[: why]".
 *
 * Usage: dmaxfer_failnth [-d DEV] [-s SIMDIR] [-n MAXN] [-z CALL,...]
 *        [-q] [-c] [CALL...]    (default: every call, in the order below)
 * With -c nothing is failed: each call runs once with an N it cannot
 * reach, and the allocations it made are counted ("fi count CALL K"),
 * which shows what the failslab/fail_page_alloc filters let through.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <linux/dmaxfer.h>

#include "pattern.h"		/* tools/dmaxfer: the seeded stream */

#define PG		4096
/*
 * Pool and zero-copy transfers: 16 KiB, tx 4 bytes into a page (5 pages).
 * rx zero-copy buffers must start and end on a DMA cache line (INFO's
 * rx_align): 256 bytes into a page suits any, and still spans 5 pages.
 */
#define XLEN		(16 * 1024)
#define XOFF		4
#define RXOFF		256
/*
 * read() and write(): 12 KiB, 4 bytes into a page. With the module's
 * xfer_size at 4096 and queue_depth at 2 (the guest script sets them) this
 * is three transfers, two in flight: a fault on the third finds two in
 * flight, and the slot of the first is reused.
 */
#define RWLEN		(12 * 1024)
#define RWOFF		4
#define BUFSZ		(XLEN + 2 * PG)
#define SEED		4711

static const char *dev = "/dev/dmaxfer0";
static const char *simdir = "/sys/kernel/debug/dmasim/dmasim";
static unsigned int max_n = 400;
static const char *no_alloc_ok = "";
static bool quiet, count_only;
static int fnfd = -1;		/* /proc/thread-self/fail-nth */

static uint8_t txbuf[BUFSZ] __attribute__((aligned(PG)));
static uint8_t rxbuf[BUFSZ] __attribute__((aligned(PG)));

/* ---- small helpers ------------------------------------------------------ */

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* A number file (debugfs, sysfs); -1 on error (*ok cleared). */
static long long read_num(const char *path, bool *ok)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf))) {
		if (ok)
			*ok = false;
		return -1;
	}
	return strtoll(buf, NULL, 0);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static long long vmstat(const char *key)
{
	static char buf[16384];
	size_t klen = strlen(key);
	char *p;

	if (read_file("/proc/vmstat", buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	return -1;
}

static char simpath_buf[256];
static const char *simpath(const char *file)
{
	snprintf(simpath_buf, sizeof(simpath_buf), "%s/%s", simdir, file);
	return simpath_buf;
}

static long long fifo_level(void)
{
	return read_num(simpath("fifo_level"), NULL);
}

static void fifo_flush(void)
{
	write_file(simpath("fifo_flush"), "1");
}

static const char *errname(int e)
{
	switch (e) {
	case ENOMEM: return "ENOMEM";
	case EIO: return "EIO";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case ENOENT: return "ENOENT";
	case ENOSPC: return "ENOSPC";
	case EAGAIN: return "EAGAIN";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case EINTR: return "EINTR";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECANCELED: return "ECANCELED";
	case E2BIG: return "E2BIG";
	default: return "E?";
	}
}

/* Is @name in the comma-separated @list? */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

/* ---- fail-nth ------------------------------------------------------------ */

static int arm_nth(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	return write(fnfd, s, len) == len ? 0 : -1;
}

/* What is left of the armed N (0: the fault was injected); resets it to 0. */
static long disarm_nth(void)
{
	char s[32];
	ssize_t n = pread(fnfd, s, sizeof(s) - 1, 0);
	long left;

	if (n <= 0)
		return -1;
	s[n] = 0;
	left = strtol(s, NULL, 10);
	if (left && write(fnfd, "0", 1) != 1)
		return -1;
	return left;
}

/* ---- what is checked around each iteration ------------------------------ */

struct kstate {
	long long dma_live;	/* DMA-API debug: entries in use */
	long long pins;		/* pinned pages */
	long long warns;	/* /sys/kernel/warn_count */
	long long dma_errors;	/* DMA-API debug: error_count */
	bool dma_off;		/* DMA-API debug disabled itself */
};

static long long pins(void)
{
	return vmstat("nr_foll_pin_acquired") - vmstat("nr_foll_pin_released");
}

/*
 * The pin counters are vmstat node counters: each CPU keeps a delta that
 * is folded in only past a threshold or once a second, so a page pinned
 * on one CPU and unpinned on the other can look like a leak (or a
 * negative one) for a while. When they differ from @want, fold them
 * (stat_refresh, a work item on every CPU: too slow for every reading)
 * and read again.
 */
static long long pins_settled(long long want)
{
	long long n = pins();

	if (n == want || write_file("/proc/sys/vm/stat_refresh", "1"))
		return n;
	return pins();
}

static bool kstate_read(struct kstate *k, const struct kstate *base)
{
	char off[8] = "";
	bool ok = true;

	if (read_file("/sys/kernel/debug/dma-api/disabled", off, sizeof(off)))
		ok = false;
	k->dma_off = off[0] != 'N';
	k->dma_live = read_num("/sys/kernel/debug/dma-api/nr_total_entries", &ok) -
		      read_num("/sys/kernel/debug/dma-api/num_free_entries", &ok);
	if (!base)
		write_file("/proc/sys/vm/stat_refresh", "1");
	k->pins = base ? pins_settled(base->pins) : pins();
	k->warns = read_num("/sys/kernel/warn_count", &ok);
	k->dma_errors = read_num("/sys/kernel/debug/dma-api/error_count", &ok);
	return ok && vmstat("nr_foll_pin_acquired") >= 0;
}

/*
 * Read the counters after a clean-up, until the mappings and pins are back
 * to @base or 3 s have passed: a file closed with transfers in flight may
 * end them in a worker after close() returned.
 */
static bool kstate_settle(struct kstate *k, const struct kstate *base)
{
	int i;

	for (i = 0; i < 300; i++) {
		if (!kstate_read(k, base))
			return false;
		if (k->dma_live == base->dma_live && k->pins == base->pins)
			break;
		usleep(10000);
	}
	return true;
}

/* The kernel's count of injected faults: "times" counts down. */
static void fi_times(long long *slab, long long *page)
{
	*slab = read_num("/sys/kernel/debug/failslab/times", NULL);
	*page = read_num("/sys/kernel/debug/fail_page_alloc/times", NULL);
}

/* ---- the calls ----------------------------------------------------------- */

struct ctx {
	int fd;
	uint32_t buf_id;
	uint64_t mmap_off;
	void *map;		/* mmap() of the pool buffer */
	void *fresh;		/* never-touched rx memory */
	uint64_t xid;		/* submitted transfer */
	struct dmaxfer_completion rec;
	long long level0;	/* FIFO level before the call */
	char why[256];		/* what the check found wrong */
};

struct call {
	const char *name;
	int (*setup)(struct ctx *c);
	long (*call)(struct ctx *c);
	/* After a success (ret >= 0), outside the fault: did it work? */
	bool (*check_ok)(struct ctx *c, long ret);
	/* After a failure: did it leave anything behind? */
	bool (*check_failed)(struct ctx *c);
	int errnos[3];		/* the clean errnos of an injected fault */
	size_t full;		/* read(), write(): a full count */
};

static int xopen(struct ctx *c)
{
	c->fd = open(dev, O_RDWR | O_CLOEXEC);
	return c->fd < 0 ? -1 : 0;
}

static int xalloc(struct ctx *c, uint32_t chan)
{
	struct dmaxfer_buf_alloc a = { .length = XLEN, .chan = chan };

	if (ioctl(c->fd, DMAXFER_IOC_BUF_ALLOC, &a))
		return -1;
	c->buf_id = a.id;
	c->mmap_off = a.mmap_offset;
	return 0;
}

static long submit_ptr(struct ctx *c, uint32_t chan, void *p)
{
	struct dmaxfer_xfer_req r = {
		.chan = chan,
		.flags = DMAXFER_XFER_USER_PTR,
		.user_ptr = (uintptr_t)p,
		.length = XLEN,
		.user_data = 0xfa17,
	};
	long ret = ioctl(c->fd, DMAXFER_IOC_SUBMIT, &r);

	if (!ret)
		c->xid = r.id;
	return ret;
}

/* Reap c->xid (outside the fault): it must have moved all XLEN bytes. */
static bool reap_ok(struct ctx *c)
{
	struct dmaxfer_completion w = { .id = c->xid };

	if (ioctl(c->fd, DMAXFER_IOC_WAIT, &w)) {
		snprintf(c->why, sizeof(c->why), "WAIT for the transfer failed: %s",
			 errname(errno));
		return false;
	}
	if (w.status || w.bytes != XLEN || w.user_data != 0xfa17) {
		snprintf(c->why, sizeof(c->why), "record: status %d, %llu bytes, user_data %#llx",
			 w.status, (unsigned long long)w.bytes,
			 (unsigned long long)w.user_data);
		return false;
	}
	return true;
}

/* The FIFO must hold exactly @len bytes: the next @len of txbuf + @off. */
static bool fifo_holds(struct ctx *c, size_t off, size_t len)
{
	long long lvl = fifo_level();
	ssize_t n;

	if (lvl != (long long)len) {
		snprintf(c->why, sizeof(c->why), "FIFO holds %lld bytes, want %zu", lvl, len);
		return false;
	}
	if (!len)
		return true;
	memset(rxbuf, 0x5a, len);
	n = read(c->fd, rxbuf, len);
	if (n != (ssize_t)len || memcmp(rxbuf, txbuf + off, len)) {
		snprintf(c->why, sizeof(c->why), "read back %zd of %zu bytes, %s", n, len,
			 n == (ssize_t)len ? "data differ" : errname(errno));
		return false;
	}
	return true;
}

static bool fifo_is(struct ctx *c, long long want)
{
	long long lvl = fifo_level();

	if (lvl == want)
		return true;
	snprintf(c->why, sizeof(c->why), "FIFO holds %lld bytes, want %lld", lvl, want);
	return false;
}

static bool fifo_empty(struct ctx *c)
{
	return fifo_is(c, 0);
}

static bool fifo_untouched(struct ctx *c)
{
	return fifo_is(c, c->level0);
}

/* Feed the FIFO with the rx data, outside the fault. */
static int feed(struct ctx *c, size_t off, size_t len)
{
	if (write(c->fd, txbuf + off, len) != (ssize_t)len)
		return -1;
	c->level0 = fifo_level();
	return c->level0 == (long long)len ? 0 : -1;
}

/* open */
static long call_open(struct ctx *c)
{
	c->fd = open(dev, O_RDWR | O_CLOEXEC);
	return c->fd;
}

/* DMAXFER_IOC_INFO */
static long call_info(struct ctx *c)
{
	struct dmaxfer_chan_info i = { .chan = DMAXFER_CHAN_TX };
	long ret = ioctl(c->fd, DMAXFER_IOC_INFO, &i);

	if (!ret && (!(i.flags & DMAXFER_INFO_PRESENT) || i.abi_version != DMAXFER_ABI_VERSION))
		snprintf(c->why, sizeof(c->why), "INFO: flags %#x, abi %u", i.flags,
			 i.abi_version);
	return ret;
}

static bool info_ok(struct ctx *c, long ret)
{
	(void)ret;
	return !c->why[0];
}

/* DMAXFER_IOC_BUF_ALLOC */
static long call_buf_alloc(struct ctx *c)
{
	return xalloc(c, DMAXFER_CHAN_TX);
}

/* The buffer is there, zeroed, and mappable. */
static bool buf_alloc_ok(struct ctx *c, long ret)
{
	uint8_t *p;
	size_t i;

	(void)ret;
	p = mmap(NULL, XLEN, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, (off_t)c->mmap_off);
	if (p == MAP_FAILED) {
		snprintf(c->why, sizeof(c->why), "id %u: mmap failed: %s", c->buf_id,
			 errname(errno));
		return false;
	}
	c->map = p;
	for (i = 0; i < XLEN; i++)
		if (p[i]) {
			snprintf(c->why, sizeof(c->why), "new buffer not zeroed at %zu", i);
			return false;
		}
	return c->buf_id != 0;
}

static int setup_open_alloc(struct ctx *c)
{
	return xopen(c) || xalloc(c, DMAXFER_CHAN_TX);
}

/* DMAXFER_IOC_BUF_FREE */
static long call_buf_free(struct ctx *c)
{
	struct dmaxfer_buf_free f = { .id = c->buf_id };

	return ioctl(c->fd, DMAXFER_IOC_BUF_FREE, &f);
}

static bool buf_free_ok(struct ctx *c, long ret)
{
	struct dmaxfer_buf_free f = { .id = c->buf_id };

	(void)ret;
	if (!ioctl(c->fd, DMAXFER_IOC_BUF_FREE, &f) || errno != ENOENT) {
		snprintf(c->why, sizeof(c->why), "freed buffer %u still there", c->buf_id);
		return false;
	}
	return true;
}

/* DMAXFER_IOC_SUBMIT from the pool: tx of the whole buffer */
static int setup_pool(struct ctx *c)
{
	if (setup_open_alloc(c))
		return -1;
	c->map = mmap(NULL, XLEN, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		      (off_t)c->mmap_off);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		return -1;
	}
	memcpy(c->map, txbuf, XLEN);
	return 0;
}

static long call_submit_pool(struct ctx *c)
{
	struct dmaxfer_xfer_req r = {
		.chan = DMAXFER_CHAN_TX,
		.buf_id = c->buf_id,
		.length = XLEN,
		.user_data = 0xfa17,
	};
	long ret = ioctl(c->fd, DMAXFER_IOC_SUBMIT, &r);

	if (!ret)
		c->xid = r.id;
	return ret;
}

static bool submit_tx_ok(struct ctx *c, long ret)
{
	(void)ret;
	return reap_ok(c) && fifo_holds(c, 0, XLEN);
}

/* DMAXFER_IOC_SUBMIT, zero-copy tx from txbuf + XOFF */
static long call_submit_ptr_tx(struct ctx *c)
{
	return submit_ptr(c, DMAXFER_CHAN_TX, txbuf + XOFF);
}

static bool submit_ptr_tx_ok(struct ctx *c, long ret)
{
	(void)ret;
	return reap_ok(c) && fifo_holds(c, XOFF, XLEN);
}

/* DMAXFER_IOC_SUBMIT, zero-copy rx into rxbuf + RXOFF (resident) */
static int setup_rx(struct ctx *c)
{
	if (xopen(c) || feed(c, XOFF, XLEN))
		return -1;
	memset(rxbuf, 0x5a, sizeof(rxbuf));
	return 0;
}

static long call_submit_ptr_rx(struct ctx *c)
{
	return submit_ptr(c, DMAXFER_CHAN_RX, rxbuf + RXOFF);
}

static bool rx_data(struct ctx *c, const uint8_t *p, size_t len)
{
	if (memcmp(p, txbuf + XOFF, len)) {
		snprintf(c->why, sizeof(c->why), "received data differ");
		return false;
	}
	return fifo_is(c, c->level0 - len);
}

static bool submit_ptr_rx_ok(struct ctx *c, long ret)
{
	(void)ret;
	return reap_ok(c) && rx_data(c, rxbuf + RXOFF, XLEN);
}

/*
 * The same into memory never touched: pinning has to fault the pages in
 * (anon_vma, page tables, zeroed user pages), and can fail part-way.
 */
static int setup_rx_fresh(struct ctx *c)
{
	if (xopen(c) || feed(c, XOFF, XLEN))
		return -1;
	c->fresh = mmap(NULL, XLEN + PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->fresh == MAP_FAILED) {
		c->fresh = NULL;
		return -1;
	}
	return 0;
}

static long call_submit_ptr_rx_fresh(struct ctx *c)
{
	return submit_ptr(c, DMAXFER_CHAN_RX, (uint8_t *)c->fresh + RXOFF);
}

static bool submit_ptr_rx_fresh_ok(struct ctx *c, long ret)
{
	(void)ret;
	return reap_ok(c) && rx_data(c, (uint8_t *)c->fresh + RXOFF, XLEN);
}

/* DMAXFER_IOC_WAIT for a zero-copy tx that has ended (pinned, mapped) */
static int setup_wait(struct ctx *c)
{
	struct pollfd p;

	if (xopen(c) || submit_ptr(c, DMAXFER_CHAN_TX, txbuf + XOFF))
		return -1;
	p.fd = c->fd;
	p.events = POLLIN;
	return poll(&p, 1, 5000) == 1 ? 0 : -1;
}

static long call_wait(struct ctx *c)
{
	c->rec = (struct dmaxfer_completion){ .id = c->xid };
	return ioctl(c->fd, DMAXFER_IOC_WAIT, &c->rec);
}

static bool wait_ok(struct ctx *c, long ret)
{
	(void)ret;
	if (c->rec.id != c->xid || c->rec.status || c->rec.bytes != XLEN) {
		snprintf(c->why, sizeof(c->why), "record: id %llu, status %d, %llu bytes",
			 (unsigned long long)c->rec.id, c->rec.status,
			 (unsigned long long)c->rec.bytes);
		return false;
	}
	return fifo_holds(c, XOFF, XLEN);
}

/* DMAXFER_IOC_SYNC */
static long call_sync(struct ctx *c)
{
	struct dmaxfer_sync s = {
		.buf_id = c->buf_id,
		.flags = DMAXFER_SYNC_START | DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE,
		.length = XLEN,
	};

	return ioctl(c->fd, DMAXFER_IOC_SYNC, &s);
}

/* mmap() of a pool buffer */
static long call_mmap(struct ctx *c)
{
	void *p = mmap(NULL, XLEN, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		       (off_t)c->mmap_off);

	if (p == MAP_FAILED)
		return -1;
	c->map = p;
	return 0;
}

static bool mmap_ok(struct ctx *c, long ret)
{
	uint8_t *p = c->map;
	size_t i;

	(void)ret;
	for (i = 0; i < XLEN; i++)
		if (p[i]) {
			snprintf(c->why, sizeof(c->why), "mapping not zeroed at %zu", i);
			return false;
		}
	memcpy(p, txbuf, XLEN);
	if (memcmp(p, txbuf, XLEN)) {
		snprintf(c->why, sizeof(c->why), "mapping does not keep what was written");
		return false;
	}
	return true;
}

/* read() */
static int setup_read(struct ctx *c)
{
	if (xopen(c) || feed(c, RWOFF, RWLEN))
		return -1;
	memset(rxbuf, 0x5a, sizeof(rxbuf));
	return 0;
}

static long call_read(struct ctx *c)
{
	return read(c->fd, rxbuf + RWOFF, RWLEN);
}

static bool read_ok(struct ctx *c, long ret)
{
	if (memcmp(rxbuf + RWOFF, txbuf + RWOFF, ret)) {
		snprintf(c->why, sizeof(c->why), "read %ld bytes that differ", ret);
		return false;
	}
	return fifo_is(c, c->level0 - ret);
}

/* write() */
static long call_write(struct ctx *c)
{
	return write(c->fd, txbuf + RWOFF, RWLEN);
}

static bool write_ok(struct ctx *c, long ret)
{
	/* Every transfer before the failed submission counts: exactly ret. */
	return fifo_holds(c, RWOFF, ret);
}

#define E_ALLOC		{ ENOMEM }
#define E_XFER		{ ENOMEM, EIO }	/* EIO: no DMA descriptor */

static const struct call calls[] = {
	{ .name = "open", .call = call_open, .errnos = E_ALLOC },
	{ .name = "info", .setup = xopen, .call = call_info, .check_ok = info_ok,
	  .errnos = E_ALLOC },
	{ .name = "buf-alloc", .setup = xopen, .call = call_buf_alloc,
	  .check_ok = buf_alloc_ok, .errnos = E_ALLOC },
	{ .name = "buf-free", .setup = setup_open_alloc, .call = call_buf_free,
	  .check_ok = buf_free_ok, .errnos = E_ALLOC },
	{ .name = "submit-pool", .setup = setup_pool, .call = call_submit_pool,
	  .check_ok = submit_tx_ok, .check_failed = fifo_empty, .errnos = E_XFER },
	{ .name = "submit-ptr-tx", .setup = xopen, .call = call_submit_ptr_tx,
	  .check_ok = submit_ptr_tx_ok, .check_failed = fifo_empty, .errnos = E_XFER },
	{ .name = "submit-ptr-rx", .setup = setup_rx, .call = call_submit_ptr_rx,
	  .check_ok = submit_ptr_rx_ok, .check_failed = fifo_untouched, .errnos = E_XFER },
	{ .name = "submit-ptr-rx-unfaulted", .setup = setup_rx_fresh,
	  .call = call_submit_ptr_rx_fresh, .check_ok = submit_ptr_rx_fresh_ok,
	  .check_failed = fifo_untouched, .errnos = E_XFER },
	{ .name = "wait", .setup = setup_wait, .call = call_wait, .check_ok = wait_ok,
	  .errnos = E_ALLOC },
	{ .name = "sync", .setup = setup_open_alloc, .call = call_sync, .errnos = E_ALLOC },
	{ .name = "mmap", .setup = setup_open_alloc, .call = call_mmap, .check_ok = mmap_ok,
	  .errnos = E_ALLOC },
	{ .name = "read", .setup = setup_read, .call = call_read, .check_ok = read_ok,
	  .check_failed = fifo_untouched, .errnos = E_XFER, .full = RWLEN },
	{ .name = "write", .setup = xopen, .call = call_write, .check_ok = write_ok,
	  .check_failed = fifo_empty, .errnos = E_XFER, .full = RWLEN },
};

#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static void teardown(struct ctx *c)
{
	if (c->map)
		munmap(c->map, XLEN);
	if (c->fresh)
		munmap(c->fresh, XLEN + PG);
	if (c->fd >= 0)
		close(c->fd);
	fifo_flush();
}

/* ---- the sweep ----------------------------------------------------------- */

/*
 * DMA-API debug tracks the cachelines of every DMA_FROM_DEVICE mapping in
 * a radix tree whose nodes it allocates with GFP_ATOMIC in the mapping
 * call, and switches itself off for good when that fails ("cacheline
 * tracking ENOMEM, dma-debug disabled"): a fault injected there would
 * blind every later mapping check. Such an allocation that fails falls
 * back to the CPU's radix-tree preload pool, which alloc_pid() refills
 * (idr_preload()). So the sweep runs on one CPU, and a vfork() before
 * each call fills that CPU's pool again: the fault is then absorbed.
 */
static void pin_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void refill_preload(void)
{
	pid_t pid = vfork();

	if (!pid)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

struct tally {
	unsigned int calls, iterations, injected, slab, page;
};

static void say_result(const char *verdict, const char *name, const char *why)
{
	printf("DMAXFER-RESULT: %s faultinj-%s%s%s\n", verdict, name, why[0] ? ": " : "",
	       why);
}

/* Keep the first failure's reason only. */
__attribute__((format(printf, 3, 4)))
static void note(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (dst[0])
		return;
	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

/* Append to @dst. */
__attribute__((format(printf, 3, 4)))
static void add(char *dst, size_t len, const char *fmt, ...)
{
	size_t used = strlen(dst);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + used, len - used, fmt, ap);
	va_end(ap);
}

static bool sweep(const struct call *cl, struct tally *t)
{
	char fail[320] = "", outcomes[160] = "", leak[200] = "";
	unsigned int n, last = 0, nerr[3] = { 0 }, nshort = 0, nabsorbed = 0;
	unsigned int injected = 0, slab = 0, page = 0;
	struct kstate k0, k;
	bool done = false;
	long left = 0;
	size_t i;

	if (!kstate_read(&k0, NULL)) {
		say_result("FAIL", cl->name, "cannot read the DMA-API debug or vmstat counters");
		return false;
	}
	for (n = 1; n <= max_n && !done; n++) {
		struct ctx c = { .fd = -1 };
		long long s0, p0, s1, p1;
		bool inj, ok = true;
		char line[480] = "";
		long ret;
		int err;

		if (cl->setup && cl->setup(&c)) {
			note(fail, sizeof(fail), "set-up failed at N=%u: %s", n, errname(errno));
			teardown(&c);
			break;
		}
		refill_preload();
		fi_times(&s0, &p0);
		if (arm_nth(n)) {
			note(fail, sizeof(fail), "cannot write fail-nth");
			teardown(&c);
			break;
		}
		ret = cl->call(&c);
		err = errno;
		left = disarm_nth();
		fi_times(&s1, &p1);
		last = n;
		t->iterations++;
		if (left < 0) {
			note(fail, sizeof(fail), "cannot read fail-nth back");
			teardown(&c);
			break;
		}
		inj = left == 0;
		if (inj) {
			injected++;
			slab += s0 - s1;
			page += p0 - p1;
			add(line, sizeof(line), "fault injected (%s)",
			    s0 - s1 ? "slab" : p0 - p1 ? "page" : "?");
		} else {
			add(line, sizeof(line), "no fault left (%ld of %u unused)", left, n);
			done = true;
		}
		/* The kernel's count must agree with fail-nth. */
		if ((s0 - s1) + (p0 - p1) != (inj ? 1 : 0)) {
			ok = false;
			add(line, sizeof(line), ", but failslab/fail_page_alloc counted %lld/%lld",
			    s0 - s1, p0 - p1);
		}

		if (ret < 0) {
			for (i = 0; i < 3 && cl->errnos[i]; i++)
				if (cl->errnos[i] == err)
					break;
			add(line, sizeof(line), ", failed with %s (%d)", errname(err), err);
			if (!inj) {
				ok = false;
				add(line, sizeof(line), " without a fault");
			} else if (i < 3 && cl->errnos[i]) {
				nerr[i]++;
			} else {
				ok = false;
				add(line, sizeof(line), ": not a clean errno for this call");
			}
			if (inj && cl->check_failed && !cl->check_failed(&c)) {
				ok = false;
				add(line, sizeof(line), "; left something behind: %s", c.why);
			}
		} else {
			bool short_io = cl->full && ret != (long)cl->full;

			if (!inj)
				add(line, sizeof(line), ", succeeded, returned %ld", ret);
			else if (short_io)
				nshort++, add(line, sizeof(line), ", short count %ld", ret);
			else
				nabsorbed++, add(line, sizeof(line),
						 ", absorbed: succeeded, returned %ld", ret);
			if (short_io && !inj) {
				ok = false;
				add(line, sizeof(line), " (short without a fault)");
			}
			if (cl->check_ok && !cl->check_ok(&c, ret)) {
				ok = false;
				add(line, sizeof(line), "; but %s", c.why);
			}
		}
		teardown(&c);
		if (!kstate_settle(&k, &k0)) {
			note(fail, sizeof(fail), "cannot read the counters after N=%u", n);
			break;
		}
		if (k.dma_live != k0.dma_live || k.pins != k0.pins) {
			ok = false;
			add(line, sizeof(line),
			    "; LEAK: DMA-API live entries %+lld, pinned pages %+lld after clean-up",
			    k.dma_live - k0.dma_live, k.pins - k0.pins);
			if (!leak[0])
				snprintf(leak, sizeof(leak),
					 "N=%u: DMA-API live entries %+lld, pinned pages %+lld",
					 n, k.dma_live - k0.dma_live, k.pins - k0.pins);
		}
		if (k.dma_off && !k0.dma_off) {
			ok = false;
			add(line, sizeof(line),
			    "; DMA-API debug disabled itself (kernel log above): no mapping is checked from here on");
			k0.dma_off = true;
		}
		if (k.warns != k0.warns || k.dma_errors != k0.dma_errors) {
			ok = false;
			add(line, sizeof(line),
			    "; kernel warn_count %+lld, DMA-API error_count %+lld (kernel log above)",
			    k.warns - k0.warns, k.dma_errors - k0.dma_errors);
			k0.warns = k.warns;
			k0.dma_errors = k.dma_errors;
		}
		if (!ok)
			note(fail, sizeof(fail), "N=%u: %s", n, line);
		if (!ok || !quiet)
			printf("DMAXFER-INFO: fi %s N=%u: %s%s\n", cl->name, n, line,
			       ok ? "" : " [FAIL]");
	}
	if (!done)
		note(fail, sizeof(fail), "still failing at N=%u", last);

	for (i = 0; i < 3 && cl->errnos[i]; i++)
		if (nerr[i])
			add(outcomes, sizeof(outcomes), "%s%s x%u", outcomes[0] ? ", " : "",
			    errname(cl->errnos[i]), nerr[i]);
	if (nshort)
		add(outcomes, sizeof(outcomes), "%sshort count x%u", outcomes[0] ? ", " : "",
		    nshort);
	if (nabsorbed)
		add(outcomes, sizeof(outcomes), "%sabsorbed x%u", outcomes[0] ? ", " : "",
		    nabsorbed);
	if (done)
		printf("DMAXFER-INFO: fi %s: succeeded at N=%u after %u injected faults "
		       "(slab %u, page %u), %ld fault-checked allocations%s%s\n",
		       cl->name, last, injected, slab, page, (long)last - left,
		       outcomes[0] ? "; outcomes: " : "", outcomes);
	else
		printf("DMAXFER-INFO: fi %s: stopped at N=%u after %u injected faults "
		       "(slab %u, page %u)%s%s\n", cl->name, last, injected, slab, page,
		       outcomes[0] ? "; outcomes: " : "", outcomes);
	if (kstate_read(&k, &k0))
		printf("DMAXFER-INFO: fi %s: DMA-API live entries %lld (before the sweep %lld), "
		       "pinned pages %lld (before %lld)\n",
		       cl->name, k.dma_live, k0.dma_live, k.pins, k0.pins);
	t->injected += injected;
	t->slab += slab;
	t->page += page;
	t->calls++;

	if (leak[0])
		note(fail, sizeof(fail), "leak at %s", leak);
	if (fail[0]) {
		say_result("FAIL", cl->name, fail);
		return false;
	}
	if (!injected) {
		if (in_list(no_alloc_ok, cl->name)) {
			printf("DMAXFER-INFO: fi %s: no fault injected: the call makes no "
			       "fault-checked allocation\n", cl->name);
			say_result("SKIP", cl->name, "");
			return true;
		}
		say_result("FAIL", cl->name,
			   "no fault injected: the call made no fault-checked allocation");
		return false;
	}
	say_result("PASS", cl->name, "");
	return true;
}

/*
 * -c: count the fault-checked allocations of one call without failing any
 * (an N larger than the call can reach), to compare fault settings.
 */
static bool count(const struct call *cl)
{
	struct ctx c = { .fd = -1 };
	long ret, left;

	if (cl->setup && cl->setup(&c)) {
		teardown(&c);
		printf("DMAXFER-INFO: fi count %s: set-up failed\n", cl->name);
		return false;
	}
	if (arm_nth(1000000))
		return false;
	ret = cl->call(&c);
	left = disarm_nth();
	/* Reap and check what it started, so that nothing outlives it. */
	if (ret >= 0 && left > 0 && cl->check_ok && !cl->check_ok(&c, ret))
		printf("DMAXFER-INFO: fi count %s: %s\n", cl->name, c.why);
	teardown(&c);
	if (ret < 0 || left <= 0) {
		printf("DMAXFER-INFO: fi count %s: failed (%ld, fail-nth %ld)\n", cl->name,
		       ret, left);
		return false;
	}
	printf("DMAXFER-INFO: fi count %s %ld\n", cl->name, 1000000 - left);
	return true;
}

static void usage(void)
{
	size_t i;

	fprintf(stderr,
		"usage: dmaxfer_failnth [-d DEV] [-s SIMDIR] [-n MAXN] [-z CALL,...] [-q] [-c] [CALL...]\n"
		"  -d DEV     device (default /dev/dmaxfer0, a dmasim loopback)\n"
		"  -s SIMDIR  dmasim debugfs directory with fifo_level, fifo_flush\n"
		"             (default /sys/kernel/debug/dmasim/dmasim)\n"
		"  -n MAXN    give up on a call still failing at N = MAXN (default 400)\n"
		"  -z LIST    calls that may make no fault-checked allocation (SKIP, not FAIL)\n"
		"  -q         print only the iterations that failed a check\n"
		"  -c         inject nothing: count each call's fault-checked allocations\n"
		"calls:");
	for (i = 0; i < NCALLS; i++)
		fprintf(stderr, " %s", calls[i].name);
	fprintf(stderr, "\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct tally t = { 0 };
	struct pattern p;
	unsigned int nfail = 0;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "d:s:n:z:qch")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 's': simdir = optarg; break;
		case 'n': max_n = strtoul(optarg, NULL, 0); break;
		case 'z': no_alloc_ok = optarg; break;
		case 'q': quiet = true; break;
		case 'c': count_only = true; break;
		default: usage();
		}
	}
	for (opt = optind; opt < argc; opt++) {
		for (i = 0; i < NCALLS; i++)
			if (!strcmp(argv[opt], calls[i].name))
				break;
		if (i == NCALLS)
			usage();
	}

	pattern_init(&p, SEED);
	pattern_fill(&p, txbuf, sizeof(txbuf));
	memset(rxbuf, 0x5a, sizeof(rxbuf));
	/*
	 * No page fault of our own may land inside a fail-nth window: they
	 * would consume the armed N (or, with ignore-gfp-highmem=N, fail a
	 * user page fault outside any system call and wake the OOM killer).
	 * MCL_CURRENT only: the "unfaulted" rx buffer must stay unfaulted.
	 */
	if (mlockall(MCL_CURRENT)) {
		perror("mlockall");
		return 1;
	}
	fnfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fnfd < 0) {
		perror("/proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION?)");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	pin_cpu();

	for (i = 0; i < NCALLS; i++) {
		bool want = optind == argc;

		for (opt = optind; opt < argc; opt++)
			want |= !strcmp(argv[opt], calls[i].name);
		if (!want)
			continue;
		if (count_only ? !count(&calls[i]) : !sweep(&calls[i], &t))
			nfail++;
	}
	if (count_only)
		return nfail ? 1 : 0;
	printf("DMAXFER-INFO: fi sweep size: %u calls swept, %u calls made under fail-nth, "
	       "%u faults injected (slab %u, page %u), %u calls failed a check\n",
	       t.calls, t.iterations, t.injected, t.slab, t.page, nfail);
	return nfail ? 1 : 0;
}
