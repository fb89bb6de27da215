// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz - seeded fuzzer of the /dev/dmaxfer<N> user-space ABI.
 *
 *   dmaxfer_fuzz [-d DEV] [-e DEV2] [-s SEED] [-n OPS] [-T SECONDS]
 *                [-j THREADS] [-P PROCS] [-a ALARM_S] [-S SIMDIR] [-v]
 *   dmaxfer_fuzz unbind [-d DEV] [-j THREADS] [-T SECONDS] [-s SEED]
 *
 * Fuzz mode: PROCS processes of THREADS workers each drive random
 * sequences of every ioctl, mmap/munmap/mremap of pool buffers, read,
 * write, poll, fork and close/reopen, with valid and invalid arguments,
 * until OPS operations were done in total or SECONDS passed. Worker w
 * (0 .. PROCS*THREADS-1) draws everything from its own PRNG seeded from
 * SEED + w, so the sequence of operations each worker tries is a function
 * of the seed; the interleaving of the workers is not.
 *
 * Invariants checked from user space (a violation makes the exit status 1):
 *  - every errno is one documented for that call and that argument;
 *  - a completion record names a transfer of this file that was submitted
 *    and not reaped yet, with its channel, user_data and length;
 *    status 0 means residue 0; records of one channel come in submission
 *    order; WAIT_ANY says ENODATA only when nothing is outstanding;
 *  - poll() reports POLLIN exactly when a record is ready (checked on
 *    files only one worker uses);
 *  - data: with dmasim's debugfs (SIMDIR), worker 0 periodically takes
 *    the FIFO for itself (every other worker is held off by a
 *    process-shared rwlock and every dmasim channel must go idle), flushes
 *    it and checks that what it sends comes back byte for byte, through
 *    write()/read(), pool buffers and user pages;
 *  - no operation takes longer than ALARM_S seconds (a watchdog, since
 *    alarm() is per process): then it prints the stuck worker, its
 *    kernel stack, asks sysrq for the blocked tasks and exits 3.
 *
 * Unbind mode (scripts/guest/virt64-unbind.sh): THREADS workers transfer
 * on their own files, with pool buffers mapped and records left unreaped,
 * until the device is unbound (the script does it, then sends SIGUSR1);
 * then every file is checked against the post-unbind semantics and one
 * DMAXFER-RESULT line is printed per check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dmaxfer.h>

#include "pattern.h"

#define TX		DMAXFER_CHAN_TX
#define RX		DMAXFER_CHAN_RX
#define MAXW		64		/* workers in all processes */
#define NFD		3		/* private files per worker */
#define MAXB		8		/* pool buffers tracked per file */
#define MAXX		160		/* outstanding transfers tracked per file */
#define NERR		136
#define ARENA		(1024 * 1024)
#define SHIDS		(1u << 20)	/* ids tracked on a shared file */
#define RING		16
#define PG		4096UL

#define RESIZE(cmd, n)	_IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), (n))

/* ---- operations and the histogram ---------------------------------------- */

#define OPS(X) X(open) X(close) X(info) X(info_bad) X(alloc) X(alloc_bad) \
	X(free) X(free_bad) X(sub_pool) X(sub_uptr) X(sub_bad) X(wait_id) \
	X(wait_any) X(wait_bad) X(sync) X(sync_bad) X(mmap) X(mmap_bad) \
	X(munmap) X(mremap) X(touch) X(read) X(write) X(rw_bad) X(poll) \
	X(fork) X(child) X(raw_ioctl) X(sh_submit) X(sh_wait) X(check)
#define OP_ENUM(n) OP_##n,
#define OP_NAME(n) #n,
enum { OPS(OP_ENUM) NR_OPS };
static const char *const op_names[] = { OPS(OP_NAME) };

/* Counters shared between processes: word-sized, for 32-bit atomics. */
typedef unsigned long cnt_t;

struct wslot {
	cnt_t start_ms;			/* ms since t0, + 1; 0: not in an operation */
	volatile int op;
	volatile int pid, tid;
};

struct shared {
	pthread_rwlock_t datalock;	/* write-held by the data check */
	volatile int stop;
	cnt_t violations;
	cnt_t hist[NR_OPS][NERR];
	cnt_t op_ms[NR_OPS];		/* time spent in each operation */
	cnt_t checks, verified, stall_ms;
	struct wslot w[MAXW];
};
static struct shared *sh;

/* ---- options --------------------------------------------------------------- */

static const char *dev0 = "/dev/dmaxfer0", *dev1;
static const char *simdir = "/sys/kernel/debug/dmasim/dmasim";
static uint64_t seed = 1, budget = 100000;
static double tbound = 90, alarm_s = 10, check_every = 3.0;
static int nthreads = 4, nprocs = 2, verbose;
static bool no_streams;		/* unbind mode: no read()/write() in the load */
static bool do_data;
static uint64_t t_end_ns, t0_ns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static cnt_t now_ms1(void)
{
	return (cnt_t)((now_ns() - t0_ns) / 1000000) + 1;
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* ---- PRNG: splitmix64 seeding, xorshift64* ---------------------------------- */

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct file_t;

struct xrec {
	uint64_t id, len, udata;
	uint32_t chan;
};

struct pbuf {
	uint32_t id, chan;
	uint64_t len, off;
	char *map;
	size_t maplen;
};

struct file_t {
	int fd, oflags, dev;
	bool raw;			/* records not tracked */
	bool idfail;			/* a submit may have used an id */
	uint64_t last_id;
	struct dmaxfer_chan_info ci[2];
	struct pbuf b[MAXB];
	int nb;
	struct xrec x[MAXX];
	int nx;
};

struct orphan {
	char *map;
	size_t len;
};

struct shfile {
	pthread_mutex_t lock;
	int fd;
	uint8_t *submitted, *reaped;	/* bitmaps over ids */
	uint64_t nsub, nreap;
	uint32_t align;			/* of pointers and lengths, both channels */
};

/* rx_align of a file's rx channel (at least 4, the bus width here). */
static uint32_t rx_align_of(int fd)
{
	struct dmaxfer_chan_info ci;

	memset(&ci, 0, sizeof(ci));
	ci.chan = DMAXFER_CHAN_RX;
	if (ioctl(fd, DMAXFER_IOC_INFO, &ci) || ci.rx_align < 4)
		return 4;
	return ci.rx_align;
}

struct ringent {
	int op, err;
	uint64_t a, b;
};

struct worker {
	int idx;
	uint64_t rng, ops, budget;
	struct file_t f[NFD + 1];	/* f[NFD]: the raw file */
	struct orphan orph[16];
	int norph;
	char *arena;			/* user memory for USER_PTR, read, write */
	char *ro, *none;		/* a read-only and an inaccessible page */
	struct shfile *shf;
	struct ringent ring[RING];
	unsigned int rpos;
	bool checker, child;
	int chkfd;
	uint64_t next_check;
	uint64_t chk_seed;
};

static uint64_t rnd(struct worker *w)
{
	uint64_t x = w->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	w->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t rn(struct worker *w, uint64_t n)
{
	return n ? rnd(w) % n : 0;
}

static bool chance(struct worker *w, unsigned int pct)
{
	return rn(w, 100) < pct;
}

/* ---- reporting ---------------------------------------------------------------- */

static const struct { int e; const char *n; } errnames[] = {
	{ 0, "ok" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { ENODEV, "ENODEV" },
	{ EINVAL, "EINVAL" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
	{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { ENOSYS, "ENOSYS" },
	{ ENODATA, "ENODATA" }, { EOVERFLOW, "EOVERFLOW" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ ECANCELED, "ECANCELED" },
};

static const char *ename(int e, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].e == e)
			return errnames[i].n;
	snprintf(buf, n, "E%d", e);
	return buf;
}

static void hist(int op, int err)
{
	if (err < 0 || err >= NERR)
		err = NERR - 1;
	__atomic_fetch_add(&sh->hist[op][err], 1, __ATOMIC_RELAXED);
}

/* Async-signal-safe enough for a forked child: no malloc, no stdio lock. */
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0 && write(2, buf, n) < 0)
		return;
}

static void dump_ring(struct worker *w)
{
	unsigned int i;
	char b[16];

	for (i = 0; i < RING; i++) {
		struct ringent *r = &w->ring[(w->rpos + i) % RING];

		if (r->op < 0)
			continue;
		say("  worker %d recent: %-10s a=%#" PRIx64 " b=%#" PRIx64 " -> %s\n",
		    w->idx, op_names[r->op], r->a, r->b, ename(r->err, b, sizeof(b)));
	}
}

/*
 * Each kind of violation (its format string) is printed in full the first
 * few times only, so that one recurring violation does not drown the rest.
 */
#define NKINDS 64
static struct {
	const char *fmt;
	uint64_t n;
} kinds[NKINDS];
static pthread_mutex_t kinds_lock = PTHREAD_MUTEX_INITIALIZER;

static void viol(struct worker *w, const char *fmt, ...)
{
	char buf[400];
	uint64_t n = 0;
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	__atomic_fetch_add(&sh->violations, 1, __ATOMIC_RELAXED);
	if (!w->child) {
		pthread_mutex_lock(&kinds_lock);
		for (i = 0; i < NKINDS; i++) {
			if (!kinds[i].fmt)
				kinds[i].fmt = fmt;
			if (kinds[i].fmt == fmt) {
				n = ++kinds[i].n;
				break;
			}
		}
		pthread_mutex_unlock(&kinds_lock);
	}
	if (n > 3)
		return;
	say("DMAXFER-FUZZ VIOLATION (seed %" PRIu64 ", worker %d, op %" PRIu64 "): %s\n",
	    seed, w->idx, w->ops, buf);
	dump_ring(w);
}

static void op_begin(struct worker *w, int op)
{
	struct wslot *s = &sh->w[w->idx];

	s->op = op;
	__atomic_store_n(&s->start_ms, now_ms1(), __ATOMIC_RELEASE);
}

static void op_end(struct worker *w, int op, int err, uint64_t a, uint64_t b)
{
	struct wslot *s = &sh->w[w->idx];
	struct ringent *r = &w->ring[w->rpos++ % RING];
	cnt_t t = __atomic_load_n(&s->start_ms, __ATOMIC_RELAXED);

	if (t)
		__atomic_fetch_add(&sh->op_ms[op], now_ms1() - t, __ATOMIC_RELAXED);
	__atomic_store_n(&s->start_ms, 0, __ATOMIC_RELEASE);
	r->op = op;
	r->err = err;
	r->a = a;
	r->b = b;
	hist(op, err);
	w->ops++;
	if (verbose > 1)
		say("w%d #%" PRIu64 " %s a=%#" PRIx64 " b=%#" PRIx64 " err=%d\n",
		    w->idx, w->ops, op_names[op], a, b, err);
}

/* The errno must be in the zero-terminated list (0 = success is implied). */
static bool expect(struct worker *w, const char *what, int err, const int *ok)
{
	char b[16];

	if (!err)
		return true;
	for (; *ok; ok++)
		if (*ok == err)
			return true;
	viol(w, "%s failed with %s, not a documented errno here", what,
	     ename(err, b, sizeof(b)));
	return false;
}

#define ERRS(...) ((const int[]){ __VA_ARGS__, 0 })

/* ---- small wrappers ------------------------------------------------------------ */

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static bool present(struct file_t *f, int c)
{
	return c >= 0 && c < 2 && (f->ci[c].flags & DMAXFER_INFO_PRESENT);
}

static uint32_t bw(struct file_t *f, int c)
{
	return present(f, c) && f->ci[c].bus_width ? f->ci[c].bus_width : 4;
}

/* Alignment of a zero-copy buffer: rx_align for rx (cache lines), else the bus width. */
static uint32_t ualign(struct file_t *f, int c)
{
	uint32_t a = bw(f, c);

	if (c == RX && present(f, c) && f->ci[c].rx_align > a)
		a = f->ci[c].rx_align;
	return a;
}

static bool can_tx(struct file_t *f)
{
	return (f->oflags & O_ACCMODE) != O_RDONLY;
}

static bool can_rx(struct file_t *f)
{
	return (f->oflags & O_ACCMODE) != O_WRONLY;
}

/* May channel @c be used by this file's mode (tx: FMODE_WRITE, rx: FMODE_READ)? */
static bool mode_ok(struct file_t *f, int c)
{
	return c == TX ? can_tx(f) : can_rx(f);
}

/* A length: mostly small, sometimes up to 256 KiB, a multiple of @b. */
static uint64_t rlen(struct worker *w, uint32_t b, uint64_t max)
{
	uint64_t n, k;

	k = rn(w, 100);
	if (k < 2)
		n = rn(w, 262144);
	else if (k < 10)
		n = rn(w, 65536);
	else
		n = rn(w, 4096);
	n -= n % b;
	if (!n)
		n = b;
	if (max && n > max)
		n = max - max % b;
	return n ? n : b;
}

/* ---- files ------------------------------------------------------------------------ */

static void file_forget(struct worker *w, struct file_t *f)
{
	int i;

	/* Mappings outlive the file: keep them to touch and unmap later. */
	for (i = 0; i < f->nb; i++) {
		if (f->b[i].map && w->norph < 16) {
			w->orph[w->norph].map = f->b[i].map;
			w->orph[w->norph++].len = f->b[i].maplen;
		} else if (f->b[i].map) {
			munmap(f->b[i].map, f->b[i].maplen);
		}
	}
	f->fd = -1;
	f->nb = 0;
	f->nx = 0;
}

static int file_open(struct worker *w, struct file_t *f, bool raw)
{
	static const int modes[] = { O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR,
				     O_RDONLY, O_WRONLY };
	int c, fd, flags, err;

	flags = modes[rn(w, 8)] | O_CLOEXEC;
	if (chance(w, 10))
		flags |= O_NONBLOCK;
	f->dev = dev1 && chance(w, 15);
	fd = open(f->dev ? dev1 : dev0, flags);
	if (fd < 0)
		return errno;
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->oflags = flags;
	f->raw = raw;
	for (c = 0; c < 2; c++) {
		f->ci[c].chan = c;
		err = xioctl(fd, DMAXFER_IOC_INFO, &f->ci[c]);
		if (err) {
			viol(w, "INFO of channel %d on a fresh file: %s", c, strerror(err));
			memset(&f->ci[c], 0, sizeof(f->ci[c]));
		} else if (present(f, c) && c == RX &&
			   (f->ci[c].rx_align < f->ci[c].bus_width ||
			    f->ci[c].rx_align & (f->ci[c].rx_align - 1))) {
			viol(w, "INFO of rx: rx_align %u with bus width %u", f->ci[c].rx_align,
			     f->ci[c].bus_width);
		} else if (f->ci[c].abi_version != DMAXFER_ABI_VERSION ||
			   (present(f, c) && (!f->ci[c].bus_width || f->ci[c].bus_width & (f->ci[c].bus_width - 1) ||
					      !f->ci[c].queue_depth || !f->ci[c].max_xfer_len))) {
			viol(w, "INFO of channel %d: abi %u bus_width %u queue_depth %u max_xfer_len %u",
			     c, f->ci[c].abi_version, f->ci[c].bus_width,
			     f->ci[c].queue_depth, f->ci[c].max_xfer_len);
		}
	}
	return 0;
}

static void op_open(struct worker *w, struct file_t *f, bool raw)
{
	uint64_t t0;
	int err;

	op_begin(w, OP_close);
	if (f->fd >= 0) {
		t0 = now_ns();
		err = close(f->fd) ? errno : 0;
		/* close() must not wait for transfers in flight much. */
		if (!err && now_ns() - t0 > 5000000000ull)
			viol(w, "close() took %.1f s", (now_ns() - t0) / 1e9);
		op_end(w, OP_close, err, f->nx, 0);
		if (err)
			viol(w, "close: %s", strerror(err));
		file_forget(w, f);
	} else {
		op_end(w, OP_close, 0, 0, 0);
	}
	if (chance(w, 20) && !raw)
		return;		/* leave the slot closed for a while */
	op_begin(w, OP_open);
	err = file_open(w, f, raw);
	op_end(w, OP_open, err, 0, 0);
	if (err) {
		f->fd = -1;
		expect(w, "open", err, ERRS(ENOMEM, EMFILE));
	}
}

/* ---- completion records ------------------------------------------------------------ */

static int find_x(struct file_t *f, uint64_t id)
{
	int i;

	for (i = 0; i < f->nx; i++)
		if (f->x[i].id == id)
			return i;
	return -1;
}

static void drop_x(struct file_t *f, int i)
{
	f->x[i] = f->x[--f->nx];
}

static void check_record(struct worker *w, struct file_t *f, const struct dmaxfer_completion *c,
			 bool any, uint64_t want_id)
{
	struct xrec *x;
	int i, j;

	if (f->raw)
		return;
	if (!any && c->id != want_id) {
		viol(w, "WAIT for id %" PRIu64 " returned the record of id %" PRIu64,
		     want_id, (uint64_t)c->id);
		return;
	}
	i = find_x(f, c->id);
	if (i < 0) {
		viol(w, "record for id %" PRIu64 ", which this file never submitted or already reaped (last id %" PRIu64 ")",
		     (uint64_t)c->id, f->last_id);
		return;
	}
	x = &f->x[i];
	if (c->chan != x->chan || c->user_data != x->udata)
		viol(w, "record %" PRIu64 ": chan %u user_data %#" PRIx64 ", submitted chan %u user_data %#" PRIx64,
		     (uint64_t)c->id, c->chan, (uint64_t)c->user_data, x->chan, x->udata);
	if (c->bytes + c->residue != x->len || c->bytes > x->len)
		viol(w, "record %" PRIu64 ": bytes %" PRIu64 " + residue %" PRIu64 " != length %" PRIu64,
		     (uint64_t)c->id, (uint64_t)c->bytes, (uint64_t)c->residue, x->len);
	if (c->status != 0 && c->status != -ETIMEDOUT && c->status != -EIO &&
	    c->status != -ECANCELED)
		viol(w, "record %" PRIu64 ": status %d", (uint64_t)c->id, c->status);
	if (!c->status && c->residue)
		viol(w, "record %" PRIu64 ": status 0 with residue %" PRIu64,
		     (uint64_t)c->id, (uint64_t)c->residue);
	if (c->result_flags & ~DMAXFER_RESULT_RESIDUE_UNKNOWN)
		viol(w, "record %" PRIu64 ": unknown result_flags %#x",
		     (uint64_t)c->id, c->result_flags);
	if ((c->result_flags & DMAXFER_RESULT_RESIDUE_UNKNOWN) && (c->bytes || !c->status))
		viol(w, "record %" PRIu64 ": RESIDUE_UNKNOWN with bytes %" PRIu64 " status %d",
		     (uint64_t)c->id, (uint64_t)c->bytes, c->status);
	if (c->reserved[0] || c->reserved[1])
		viol(w, "record %" PRIu64 ": reserved fields not zero", (uint64_t)c->id);
	/* Records of one channel are ready in submission order. */
	if (any)
		for (j = 0; j < f->nx; j++)
			if (f->x[j].chan == x->chan && f->x[j].id < x->id)
				viol(w, "WAIT_ANY returned id %" PRIu64 " on channel %u before older id %" PRIu64,
				     x->id, x->chan, f->x[j].id);
	drop_x(f, i);
}

static void do_wait(struct worker *w, struct file_t *f, bool any, bool nb, uint64_t id)
{
	struct dmaxfer_completion c;
	int err;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.flags = (any ? DMAXFER_WAIT_ANY : 0) | (nb ? DMAXFER_WAIT_NONBLOCK : 0);
	/* Only flags and reserved are checked on input: the rest is ignored. */
	if (chance(w, 20)) {
		c.status = (int32_t)rnd(w);
		c.chan = rnd(w);
		c.bytes = rnd(w);
		c.result_flags = rnd(w);
	}
	op_begin(w, any ? OP_wait_any : OP_wait_id);
	err = xioctl(f->fd, DMAXFER_IOC_WAIT, &c);
	op_end(w, any ? OP_wait_any : OP_wait_id, err, id, c.flags);
	if (!err) {
		check_record(w, f, &c, any, id);
		return;
	}
	if (f->raw) {
		expect(w, "WAIT (raw file)", err, ERRS(EAGAIN, ENOENT, ENODATA));
		return;
	}
	if (any) {
		if (err == ENODATA && f->nx)
			viol(w, "WAIT_ANY: ENODATA with %d transfers outstanding (oldest id %" PRIu64 ")",
			     f->nx, f->x[0].id);
		else if (err == EAGAIN && !f->nx)
			viol(w, "WAIT_ANY|NONBLOCK: EAGAIN with nothing outstanding (want ENODATA)");
		else if (err == EAGAIN && !nb)
			viol(w, "WAIT_ANY without NONBLOCK: EAGAIN");
		else
			expect(w, "WAIT_ANY", err, ERRS(EAGAIN, ENODATA));
	} else {
		bool known = find_x(f, id) >= 0;

		if (known && err == ENOENT)
			viol(w, "WAIT id %" PRIu64 ": ENOENT for a transfer submitted and not reaped", id);
		else if (!known && err != ENOENT)
			viol(w, "WAIT id %" PRIu64 " (never submitted or reaped): %s, want ENOENT",
			     id, strerror(err));
		else if (err == EAGAIN && !nb)
			viol(w, "WAIT without NONBLOCK: EAGAIN");
		else
			expect(w, "WAIT id", err, ERRS(EAGAIN, ENOENT));
	}
}

/* ---- pool buffers ----------------------------------------------------------------- */

static void op_alloc(struct worker *w, struct file_t *f)
{
	struct dmaxfer_buf_alloc a;
	int err, c = rn(w, 2);

	if (f->nb >= MAXB)
		return;
	memset(&a, 0, sizeof(a));
	a.chan = c;
	a.length = chance(w, 95) ? 1 + rn(w, 16384) : 1 + rn(w, 1024 * 1024);
	op_begin(w, OP_alloc);
	err = xioctl(f->fd, DMAXFER_IOC_BUF_ALLOC, &a);
	op_end(w, OP_alloc, err, a.length, c);
	if (!present(f, c)) {
		if (err != ENODEV)
			viol(w, "BUF_ALLOC on absent channel %d: %s, want ENODEV", c, strerror(err));
		return;
	}
	if (err) {
		expect(w, "BUF_ALLOC", err, ERRS(ENOMEM, ENOSPC));
		return;
	}
	if (!a.id || a.mmap_offset % PG) {
		viol(w, "BUF_ALLOC: id %u mmap_offset %#" PRIx64, a.id, (uint64_t)a.mmap_offset);
		return;
	}
	f->b[f->nb].id = a.id;
	f->b[f->nb].chan = c;
	f->b[f->nb].len = a.length;
	f->b[f->nb].off = a.mmap_offset;
	f->b[f->nb].map = NULL;
	f->nb++;
}

static void op_alloc_bad(struct worker *w, struct file_t *f)
{
	struct dmaxfer_buf_alloc a;
	int err, want, k = rn(w, 6);

	memset(&a, 0, sizeof(a));
	a.length = 4096;
	a.chan = TX;
	switch (k) {
	case 0: a.length = 0; want = EINVAL; break;
	case 1: a.length = (uint64_t)f->ci[TX].max_xfer_len + 1 + rn(w, 1ull << 40); want = E2BIG; break;
	case 2: a.flags = 1u << rn(w, 32); want = EINVAL; break;
	case 3: a.reserved0 = 1 + rn(w, 1000); want = EINVAL; break;
	case 4: a.reserved[rn(w, 2)] = 1ull << rn(w, 64); want = EINVAL; break;
	default: a.chan = 2 + rn(w, 1u << 31); want = EINVAL; break;
	}
	if (k == 1 && !present(f, TX))
		want = ENODEV;
	op_begin(w, OP_alloc_bad);
	err = xioctl(f->fd, DMAXFER_IOC_BUF_ALLOC, &a);
	op_end(w, OP_alloc_bad, err, k, a.length);
	if (err != want) {
		viol(w, "BUF_ALLOC bad case %d: %s, want %s", k, err ? strerror(err) : "success",
		     strerror(want));
		if (!err)	/* do not leak it into the accounting */
			ioctl(f->fd, DMAXFER_IOC_BUF_FREE, &(struct dmaxfer_buf_free){ .id = a.id });
	}
}

static void op_free(struct worker *w, struct file_t *f)
{
	struct dmaxfer_buf_free fr;
	int i, err;

	if (!f->nb)
		return;
	i = rn(w, f->nb);
	memset(&fr, 0, sizeof(fr));
	fr.id = f->b[i].id;
	op_begin(w, OP_free);
	err = xioctl(f->fd, DMAXFER_IOC_BUF_FREE, &fr);
	op_end(w, OP_free, err, fr.id, 0);
	if (err) {
		expect(w, "BUF_FREE", err, ERRS(EBUSY));
		return;
	}
	/* The mapping keeps the memory: touch it later, unmap it later. */
	if (f->b[i].map && w->norph < 16) {
		w->orph[w->norph].map = f->b[i].map;
		w->orph[w->norph++].len = f->b[i].maplen;
	} else if (f->b[i].map) {
		munmap(f->b[i].map, f->b[i].maplen);
	}
	f->b[i] = f->b[--f->nb];
}

static void op_free_bad(struct worker *w, struct file_t *f)
{
	struct dmaxfer_buf_free fr;
	int err, want, k = rn(w, 3);

	memset(&fr, 0, sizeof(fr));
	fr.id = f->nb ? f->b[rn(w, f->nb)].id : 1;
	switch (k) {
	case 0: fr.id = 100000 + rn(w, 1u << 30); want = ENOENT; break;	/* foreign */
	case 1: fr.flags = 1 + rn(w, 1000); want = EINVAL; break;
	default: fr.reserved[rn(w, 2)] = 1 + rnd(w) % 1000; want = EINVAL; break;
	}
	op_begin(w, OP_free_bad);
	err = xioctl(f->fd, DMAXFER_IOC_BUF_FREE, &fr);
	op_end(w, OP_free_bad, err, k, fr.id);
	if (err != want)
		viol(w, "BUF_FREE bad case %d (id %u): %s, want %s", k, fr.id,
		     err ? strerror(err) : "success", strerror(want));
}

static void op_sync(struct worker *w, struct file_t *f, bool bad)
{
	struct dmaxfer_sync s;
	struct pbuf *b;
	uint64_t size;
	int err, want = 0, k = -1;

	if (!f->nb)
		return;
	b = &f->b[rn(w, f->nb)];
	size = b->len;		/* the length asked for, not the pages */
	memset(&s, 0, sizeof(s));
	s.buf_id = b->id;
	s.flags = (chance(w, 50) ? DMAXFER_SYNC_END : DMAXFER_SYNC_START) | (1 + rn(w, 3));
	s.offset = rn(w, size);
	s.length = 1 + rn(w, size - s.offset);
	if (bad) {
		k = rn(w, 7);
		want = EINVAL;
		switch (k) {
		case 0: s.flags = (1u << (3 + rn(w, 29))) | DMAXFER_SYNC_READ; break;
		case 1: s.flags &= DMAXFER_SYNC_END; break;	/* neither READ nor WRITE */
		case 2: s.length = 0; break;
		case 3: s.offset = size + rn(w, 1ull << 40); s.length = 1; break;
		case 4: s.length = size - s.offset + 1 + rn(w, 4096); break;
		case 5: s.reserved[rn(w, 2)] = 1; break;
		default: s.buf_id = 200000 + rn(w, 1000); want = ENOENT; break;
		}
	}
	op_begin(w, bad ? OP_sync_bad : OP_sync);
	err = xioctl(f->fd, DMAXFER_IOC_SYNC, &s);
	op_end(w, bad ? OP_sync_bad : OP_sync, err, s.offset, s.length);
	if (err != want)
		viol(w, "SYNC %s case %d (off %" PRIu64 " len %" PRIu64 " of %" PRIu64 ", flags %#x): %s, want %s",
		     bad ? "bad" : "valid", k, (uint64_t)s.offset, (uint64_t)s.length, size,
		     s.flags, err ? strerror(err) : "success", want ? strerror(want) : "success");
}

/* ---- mmap ---------------------------------------------------------------------------- */

static void op_mmap(struct worker *w, struct file_t *f)
{
	struct pbuf *b;
	size_t size, len;
	void *p;
	int err, prot = PROT_READ | PROT_WRITE, want_acc = 0;

	if (!f->nb)
		return;
	b = &f->b[rn(w, f->nb)];
	if (b->map)
		return;
	size = (b->len + PG - 1) & ~(PG - 1);
	len = chance(w, 70) ? size : 1 + rn(w, size);
	if (chance(w, 20))
		prot = PROT_READ;
	if (!can_rx(f) || (!can_tx(f) && (prot & PROT_WRITE)))
		want_acc = EACCES;
	op_begin(w, OP_mmap);
	p = mmap(NULL, len, prot, MAP_SHARED, f->fd, (off_t)b->off);
	err = p == MAP_FAILED ? errno : 0;
	op_end(w, OP_mmap, err, b->off, len);
	if (want_acc) {
		if (err != EACCES)
			viol(w, "mmap of a file opened %#x with prot %d: %s, want EACCES",
			     f->oflags, prot, err ? strerror(err) : "success");
		if (!err)
			munmap(p, len);
		return;
	}
	if (err) {
		if (expect(w, "mmap", err, ERRS(ENOMEM)))
			return;
		{
			struct dmaxfer_sync sy = { .buf_id = b->id, .flags = DMAXFER_SYNC_READ,
						   .offset = 0, .length = b->len };

			say("  mmap diagnostics: buffer id %u len %" PRIu64 " chan %u off %#" PRIx64
			    " file flags %#x dev %d, map len %zu prot %d: SYNC of the whole length: %s\n",
			    b->id, b->len, b->chan, b->off, f->oflags, f->dev, len, prot,
			    xioctl(f->fd, DMAXFER_IOC_SYNC, &sy) ? strerror(errno) : "ok");
			p = mmap(NULL, PG, PROT_READ, MAP_SHARED, f->fd, (off_t)b->off);
			say("  mmap diagnostics: one page read-only: %s\n",
			    p == MAP_FAILED ? strerror(errno) : "ok");
			if (p != MAP_FAILED)
				munmap(p, PG);
		}
		return;
	}
	/* Zeroed or written by us or the device: just readable. */
	(void)*(volatile char *)p;
	if (!(prot & PROT_WRITE)) {
		munmap(p, len);
		return;
	}
	b->map = p;
	b->maplen = (len + PG - 1) & ~(PG - 1);
}

static void op_mmap_bad(struct worker *w, struct file_t *f)
{
	size_t size = PG;
	off_t off = 0;
	void *p;
	int err, k = rn(w, 5), flags = MAP_SHARED;

	if (f->nb) {
		struct pbuf *b = &f->b[rn(w, f->nb)];

		size = (b->len + PG - 1) & ~(PG - 1);
		off = (off_t)b->off;
	}
	switch (k) {
	case 0: flags = MAP_PRIVATE; break;
	case 1: off += PG * (1 + rn(w, 16)); break;			/* not a buffer start */
	case 2: size += PG * (1 + rn(w, 16)); break;			/* longer than the buffer */
	case 3: off = (off_t)(PG * rn(w, 1u << 20)) | (off_t)((uint64_t)rn(w, 64) << 32); break;
	default: off = 0; break;					/* offset 0: no buffer has id 0 */
	}
	if (k == 3 && f->nb)
		return;	/* might hit a buffer by chance */
	op_begin(w, OP_mmap_bad);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, f->fd, off);
	err = p == MAP_FAILED ? errno : 0;
	op_end(w, OP_mmap_bad, err, (uint64_t)off, size);
	if (!err) {
		viol(w, "mmap bad case %d (off %#" PRIx64 ", len %zu): succeeded",
		     k, (uint64_t)off, size);
		munmap(p, size);
		return;
	}
	expect(w, "mmap (bad)", err, ERRS(EINVAL, EACCES, ENOMEM, EOVERFLOW));
}

static void op_munmap(struct worker *w, struct file_t *f)
{
	struct pbuf *b;
	size_t cut;

	if (w->norph && chance(w, 50)) {
		int i = rn(w, w->norph);

		op_begin(w, OP_munmap);
		if (munmap(w->orph[i].map, w->orph[i].len))
			viol(w, "munmap of an orphaned mapping: %s", strerror(errno));
		op_end(w, OP_munmap, 0, 1, w->orph[i].len);
		w->orph[i] = w->orph[--w->norph];
		return;
	}
	if (!f->nb)
		return;
	b = &f->b[rn(w, f->nb)];
	if (!b->map)
		return;
	/* Sometimes only the head: the mapping splits, the rest stays. */
	cut = b->maplen > PG && chance(w, 30) ? PG * (1 + rn(w, b->maplen / PG - 1)) : b->maplen;
	op_begin(w, OP_munmap);
	if (munmap(b->map, cut))
		viol(w, "munmap: %s", strerror(errno));
	op_end(w, OP_munmap, 0, 0, cut);
	if (cut == b->maplen) {
		b->map = NULL;
	} else {
		/* The tail is no longer at the buffer's start: keep it aside. */
		if (w->norph < 16) {
			w->orph[w->norph].map = b->map + cut;
			w->orph[w->norph++].len = b->maplen - cut;
		} else {
			munmap(b->map + cut, b->maplen - cut);
		}
		b->map = NULL;
	}
}

static void op_mremap(struct worker *w, struct file_t *f)
{
	struct pbuf *b;
	void *p;
	size_t nl;
	int err, k = rn(w, 3);

	if (!f->nb)
		return;
	b = &f->b[rn(w, f->nb)];
	if (!b->map)
		return;
	nl = k == 0 ? b->maplen + PG * (1 + rn(w, 4)) :
	     k == 1 && b->maplen > PG ? b->maplen - PG : b->maplen;
	op_begin(w, OP_mremap);
	p = mremap(b->map, b->maplen, nl, k == 2 ? MREMAP_MAYMOVE : 0);
	err = p == MAP_FAILED ? errno : 0;
	op_end(w, OP_mremap, err, k, nl);
	if (k == 0) {
		/* VM_DONTEXPAND: growing is refused. */
		if (!err) {
			viol(w, "mremap grew a pool mapping from %zu to %zu bytes", b->maplen, nl);
			b->maplen = nl;
		} else {
			expect(w, "mremap (grow)", err, ERRS(EFAULT, ENOMEM, EINVAL));
		}
		return;
	}
	if (err) {
		expect(w, "mremap", err, ERRS(ENOMEM, EINVAL, EFAULT));
		return;
	}
	b->map = p;
	b->maplen = nl;
}

static void op_touch(struct worker *w, struct file_t *f)
{
	char *p = NULL;
	size_t len = 0;

	if (w->norph && chance(w, 30)) {
		int i = rn(w, w->norph);

		p = w->orph[i].map;
		len = w->orph[i].len;
	} else if (f->nb) {
		struct pbuf *b = &f->b[rn(w, f->nb)];

		p = b->map;
		len = b->maplen;
	}
	if (!p)
		return;
	op_begin(w, OP_touch);
	if (chance(w, 50)) {
		size_t o = rn(w, len), n = 1 + rn(w, len - o);

		memset(p + o, (int)rn(w, 256), n > 4096 ? 4096 : n);
	} else {
		(void)*(volatile char *)(p + rn(w, len));
	}
	op_end(w, OP_touch, 0, len, 0);
}

/* ---- transfers ------------------------------------------------------------------------ */

static void track_submit(struct worker *w, struct file_t *f, struct dmaxfer_xfer_req *r)
{
	if (f->raw)
		return;
	if (!r->id || r->id <= f->last_id)
		viol(w, "SUBMIT returned id %" PRIu64 " after id %" PRIu64,
		     (uint64_t)r->id, f->last_id);
	if (!f->last_id && !f->idfail && r->id != 1)
		viol(w, "the first transfer of a file got id %" PRIu64 ", not 1", (uint64_t)r->id);
	f->last_id = r->id;
	f->x[f->nx].id = r->id;
	f->x[f->nx].chan = r->chan;
	f->x[f->nx].len = r->length;
	f->x[f->nx].udata = r->user_data;
	f->nx++;
}

/* The errno of a valid SUBMIT: a full queue, memory, a failed mapping. */
static void submit_result(struct worker *w, struct file_t *f, struct dmaxfer_xfer_req *r,
			  int err, const char *what)
{
	if (!err) {
		if (!mode_ok(f, r->chan))
			viol(w, "%s on channel %u of a file opened %s: succeeded, want EBADF",
			     what, r->chan, can_tx(f) ? "O_WRONLY" : "O_RDONLY");
		track_submit(w, f, r);
		return;
	}
	if (err == EIO || err == ENOMEM)
		f->idfail = true;
	if (!mode_ok(f, r->chan) && err == EBADF)
		return;
	expect(w, what, err, ERRS(EBUSY, ENOMEM, EIO));
}

static void op_sub_pool(struct worker *w, struct file_t *f)
{
	struct dmaxfer_xfer_req r;
	struct pbuf *b;
	uint64_t size;
	uint32_t c, b_w;
	bool past;
	int err;

	if (!f->nb || f->nx >= MAXX)
		return;
	b = &f->b[rn(w, f->nb)];
	c = chance(w, 50) ? b->chan : rn(w, 2);
	if (!present(f, c))
		return;
	b_w = bw(f, c);
	size = b->len;		/* the range must lie within the length asked for */
	if (size < b_w)
		return;
	memset(&r, 0, sizeof(r));
	r.chan = c;
	r.buf_id = b->id;
	r.offset = rn(w, size / b_w) * b_w;
	if (size - r.offset < b_w)
		r.offset = 0;
	r.length = rlen(w, b_w, size - r.offset);
	if (r.offset + r.length > size)
		return;
	past = chance(w, 5);
	if (past)	/* beyond the length asked for, maybe within the page */
		r.length = (size - r.offset + b_w) / b_w * b_w;
	r.user_data = rnd(w);
	op_begin(w, OP_sub_pool);
	err = xioctl(f->fd, DMAXFER_IOC_SUBMIT, &r);
	op_end(w, OP_sub_pool, err, r.length, c);
	if (past) {
		if (err != EINVAL && err != EBUSY && !(err == EBADF && !mode_ok(f, c)))
			viol(w, "SUBMIT pool range %" PRIu64 "+%" PRIu64 " past the buffer's %" PRIu64 " bytes: %s, want EINVAL",
			     (uint64_t)r.offset, (uint64_t)r.length, size, err ? strerror(err) : "success");
		if (!err)
			track_submit(w, f, &r);
		return;
	}
	submit_result(w, f, &r, err, "SUBMIT (pool)");
}

static void op_sub_uptr(struct worker *w, struct file_t *f)
{
	struct dmaxfer_xfer_req r;
	uint32_t c = rn(w, 2), b_w;
	uint64_t off;
	int err, k = rn(w, 10);

	if (!present(f, c) || f->nx >= MAXX)
		return;
	b_w = ualign(f, c);
	memset(&r, 0, sizeof(r));
	r.chan = c;
	r.flags = DMAXFER_XFER_USER_PTR;
	r.length = rlen(w, b_w, ARENA / 2);
	off = rn(w, (ARENA - r.length) / b_w) * b_w;
	r.user_ptr = (uint64_t)(uintptr_t)(w->arena + off);
	r.user_data = rnd(w);
	/* Memory that cannot be pinned: a pool mapping (PFN map), read-only for rx. */
	if (k == 0 && f->nb && f->b[0].map) {
		r.user_ptr = (uint64_t)(uintptr_t)f->b[0].map;
		r.length = b_w;
	} else if (k == 1 && c == RX) {
		r.user_ptr = (uint64_t)(uintptr_t)w->ro;
		r.length = b_w;
	} else {
		k = -1;
	}
	op_begin(w, OP_sub_uptr);
	err = xioctl(f->fd, DMAXFER_IOC_SUBMIT, &r);
	op_end(w, OP_sub_uptr, err, r.length, c);
	if (k >= 0) {
		/* The queue slot is taken, and the mode checked, before pinning. */
		if (err != EFAULT && err != EBUSY && !(err == EBADF && !mode_ok(f, c)))
			viol(w, "SUBMIT USER_PTR %s: %s, want EFAULT",
			     k ? "rx into read-only memory" : "from a pool mapping",
			     err ? strerror(err) : "success");
		if (!err)
			track_submit(w, f, &r);
		return;
	}
	submit_result(w, f, &r, err, "SUBMIT (USER_PTR)");
}

static void op_sub_bad(struct worker *w, struct file_t *f)
{
	struct dmaxfer_xfer_req r;
	uint32_t b_w = bw(f, TX);
	int err, want = EINVAL, k = rn(w, 16), c;

	memset(&r, 0, sizeof(r));
	c = present(f, TX) ? TX : RX;
	r.chan = c;
	r.length = b_w;
	r.flags = DMAXFER_XFER_USER_PTR;
	r.user_ptr = (uint64_t)(uintptr_t)w->arena;
	switch (k) {
	case 0: r.chan = 2 + rn(w, 1u << 31); break;
	case 1: r.flags |= 1u << (1 + rn(w, 31)); break;
	case 2: r.reserved0 = 1; break;
	case 3: r.reserved[rn(w, 2)] = 1ull << rn(w, 64); break;
	case 4: r.length = 0; break;
	case 5: if (b_w == 1) return; r.length = b_w + 1 + rn(w, b_w - 1); break;
	case 6: r.length = (uint64_t)f->ci[c].max_xfer_len + b_w * (1 + rn(w, 1000)); want = E2BIG; break;
	case 7: r.length = ~0ull - rn(w, 16) * b_w; r.length -= r.length % b_w; want = E2BIG; break;
	case 8: r.buf_id = 1 + rn(w, 10); break;
	case 9: r.offset = b_w; break;
	case 10: if (b_w == 1) return; r.user_ptr += 1 + rn(w, b_w - 1); break;
	case 11: r.user_ptr = 0; want = EFAULT; break;
	case 12: r.user_ptr = (uint64_t)(uintptr_t)w->none; want = EFAULT; break;
	case 13: r.user_ptr = sizeof(long) == 8 ? 0xffff800000000000ull : 0xc0000000ull; want = EFAULT; break;
	case 14: r.flags = 0; r.user_ptr = 0; r.buf_id = 300000 + rn(w, 1000); want = ENOENT; break;
	default: r.flags = 0; /* pool transfer with user_ptr set */ break;
	}
	if (!present(f, c) && k != 0)
		want = ENODEV;
	op_begin(w, OP_sub_bad);
	err = xioctl(f->fd, DMAXFER_IOC_SUBMIT, &r);
	op_end(w, OP_sub_bad, err, k, r.length);
	if (!err) {
		viol(w, "SUBMIT bad case %d succeeded (id %" PRIu64 ")", k, (uint64_t)r.id);
		track_submit(w, f, &r);
		return;
	}
	if (err == want)
		return;
	/* Argument checks may come in another order than this table's. */
	if (err == EBADF && !mode_ok(f, c))
		return;
	if (k == 12 && err == EBUSY)
		return;		/* queue full before the pages are looked at */
	if ((k == 11 || k == 12 || k == 13 || k == 14) && err == EBUSY)
		return;
	viol(w, "SUBMIT bad case %d (chan %u flags %#x len %#" PRIx64 " uptr %#" PRIx64 " buf %u off %" PRIu64 "): %s, want %s",
	     k, r.chan, r.flags, (uint64_t)r.length, (uint64_t)r.user_ptr, r.buf_id,
	     (uint64_t)r.offset, strerror(err), strerror(want));
}

static void op_wait(struct worker *w, struct file_t *f)
{
	int k = rn(w, 10);

	/* Mostly NONBLOCK: a blocking WAIT on an rx from the empty FIFO sleeps until the timeout. */
	if (k < 4 && f->nx) {
		do_wait(w, f, false, chance(w, 85), f->x[rn(w, f->nx)].id);
	} else if (k < 8) {
		do_wait(w, f, true, chance(w, 85) || !f->nx, 0);
	} else if (k == 8) {
		/* Never submitted here (or reaped already): ENOENT. */
		uint64_t id = chance(w, 50) ? f->last_id + 1 + rn(w, 1000) : rn(w, f->last_id + 1);

		if (find_x(f, id) < 0)
			do_wait(w, f, false, chance(w, 50), id);
	} else {
		struct dmaxfer_completion c;
		int err, kk = rn(w, 2);

		memset(&c, 0, sizeof(c));
		c.flags = DMAXFER_WAIT_NONBLOCK | DMAXFER_WAIT_ANY;
		if (kk)
			c.flags |= 1u << (2 + rn(w, 30));
		else
			c.reserved[rn(w, 2)] = 1;
		op_begin(w, OP_wait_bad);
		err = xioctl(f->fd, DMAXFER_IOC_WAIT, &c);
		op_end(w, OP_wait_bad, err, kk, c.flags);
		if (err != EINVAL) {
			viol(w, "WAIT with %s: %s, want EINVAL", kk ? "unknown flags" : "reserved set",
			     err ? strerror(err) : "success");
			if (!err)
				check_record(w, f, &c, true, 0);
		}
	}
}

static void op_rw(struct worker *w, struct file_t *f, bool tx)
{
	int c = tx ? TX : RX, op = tx ? OP_write : OP_read, err;
	uint32_t b_w = bw(f, c);
	size_t len = rlen(w, b_w, tx ? 65536 : 4096);
	char *p = w->arena + rn(w, ARENA - len);
	ssize_t n;

	op_begin(w, op);
	n = tx ? write(f->fd, p, len) : read(f->fd, p, len);
	err = n < 0 ? errno : 0;
	op_end(w, op, err, len, (uint64_t)n);
	if (!present(f, c)) {
		if (err != EOPNOTSUPP && !(err == EBADF && !mode_ok(f, c)))
			viol(w, "%s on absent channel: %s, want EOPNOTSUPP", tx ? "write" : "read",
			     err ? strerror(err) : "success");
		return;
	}
	if (!mode_ok(f, c)) {
		if (err != EBADF)
			viol(w, "%s on a file opened %#x: %s, want EBADF", tx ? "write" : "read",
			     f->oflags, err ? strerror(err) : "success");
		return;
	}
	if (!err && (size_t)n > len)
		viol(w, "%s of %zu returned %zd", tx ? "write" : "read", len, n);
	if (!err && n % b_w)
		viol(w, "%s of %zu returned %zd, not a multiple of the bus width", tx ? "write" : "read",
		     len, n);
	if (err)
		expect(w, tx ? "write" : "read", err, ERRS(ETIMEDOUT, EIO, ECANCELED, ENOMEM));
}

static void op_rw_bad(struct worker *w, struct file_t *f)
{
	bool tx = chance(w, 50);
	int c = tx ? TX : RX, err, k = rn(w, 4), want;
	uint32_t b_w = bw(f, c);
	size_t len = b_w * (1 + rn(w, 16));
	char *p = w->arena;
	ssize_t n;

	want = EFAULT;
	switch (k) {
	case 0: if (b_w == 1) return; len += 1 + rn(w, b_w - 1); want = EINVAL; p = w->arena; break;
	case 1: p = NULL; break;
	case 2: p = w->none; len = b_w; break;
	default: p = w->ro; len = b_w; if (tx) return; break;	/* rx into read-only memory */
	}
	if (!present(f, c))
		want = EOPNOTSUPP;
	if (!mode_ok(f, c))
		want = EBADF;
	op_begin(w, OP_rw_bad);
	n = tx ? write(f->fd, p, len) : read(f->fd, p, len);
	err = n < 0 ? errno : 0;
	op_end(w, OP_rw_bad, err, k, len);
	/* A bad rx buffer faults only after the DMA, which may have failed first. */
	if (!tx && want == EFAULT && (err == ETIMEDOUT || err == ECANCELED || err == EIO))
		return;
	if (err != want)
		viol(w, "%s bad case %d (len %zu): %s, want %s", tx ? "write" : "read", k, len,
		     err ? strerror(err) : "success", strerror(want));
}

static void op_poll(struct worker *w, struct file_t *f)
{
	struct pollfd p = { .fd = f->fd, .events = POLLIN | POLLOUT | POLLPRI };
	int n, err;

	op_begin(w, OP_poll);
	n = poll(&p, 1, chance(w, 97) ? 0 : (int)rn(w, 20));
	err = n < 0 ? errno : 0;
	op_end(w, OP_poll, err, p.revents, 0);
	if (err) {
		viol(w, "poll: %s", strerror(err));
		return;
	}
	if (p.revents & ~(POLLIN | POLLRDNORM)) {
		viol(w, "poll: revents %#x", p.revents);
		return;
	}
	if (f->raw)
		return;
	if ((p.revents & POLLIN) && !f->nx) {
		viol(w, "poll: POLLIN with nothing outstanding");
		return;
	}
	/* Readable: a record is ready, so a non-blocking WAIT_ANY must get it. */
	if (p.revents & POLLIN) {
		struct dmaxfer_completion c;

		memset(&c, 0, sizeof(c));
		c.flags = DMAXFER_WAIT_ANY | DMAXFER_WAIT_NONBLOCK;
		op_begin(w, OP_wait_any);
		err = xioctl(f->fd, DMAXFER_IOC_WAIT, &c);
		op_end(w, OP_wait_any, err, 0, c.flags);
		if (err)
			viol(w, "poll said POLLIN, then WAIT_ANY|NONBLOCK: %s", strerror(err));
		else
			check_record(w, f, &c, true, 0);
	}
}

/* Any command with any size and pointer, on the raw file. */
static void op_raw(struct worker *w, struct file_t *f)
{
	static const unsigned int vsz[] = { DMAXFER_CHAN_INFO_SIZE_VER0, DMAXFER_BUF_ALLOC_SIZE_VER0,
		DMAXFER_BUF_FREE_SIZE_VER0, DMAXFER_XFER_REQ_SIZE_VER0,
		DMAXFER_COMPLETION_SIZE_VER0, DMAXFER_SYNC_SIZE_VER0 };
	static const unsigned int dirs[] = { _IOC_READ | _IOC_WRITE, _IOC_WRITE, _IOC_WRITE,
		_IOC_READ | _IOC_WRITE, _IOC_READ | _IOC_WRITE, _IOC_WRITE };
	static __thread uint64_t argbuf[2048];
	unsigned int nr = rn(w, 8), dir, size, type = DMAXFER_IOC_MAGIC;
	unsigned long cmd;
	char *arg = (char *)argbuf;
	int err, k = rn(w, 8), want = 0;
	unsigned int i;

	if (nr < 6) {
		dir = chance(w, 85) ? dirs[nr] : (unsigned int)rn(w, 4);
		size = vsz[nr];
	} else {
		dir = rn(w, 4);
		size = rn(w, 256);
	}
	switch (rn(w, 6)) {
	case 0: size = rn(w, size); break;				/* too short */
	case 1: size += 8 * (1 + rn(w, 64)); break;			/* longer, tail 0 */
	case 2: size += 8 * (1 + rn(w, 64)); want = E2BIG; break;	/* longer, tail set */
	case 3: size = rn(w, 1u << 14); break;
	default: break;
	}
	if (chance(w, 3))
		type = rn(w, 256);
	cmd = _IOC(dir, type, nr, size);
	memset(argbuf, 0, sizeof(argbuf));
	/* Mostly zeros (valid-ish), sometimes random words. */
	for (i = 0; i < 16; i++)
		if (chance(w, 15))
			argbuf[i] = chance(w, 50) ? rnd(w) : rn(w, 16);
	if (want == E2BIG && size > vsz[nr < 6 ? nr : 0])
		arg[size - 1 - rn(w, size - (nr < 6 ? vsz[nr] : 0))] = 1;
	switch (k) {
	case 0: arg = NULL; break;
	case 1: arg = w->none; break;
	case 2: arg = w->ro; break;
	case 3: arg = w->none - (size ? 1 + rn(w, size) : 0); break;	/* straddles into PROT_NONE */
	default: break;
	}
	if (k == 3)
		memset(arg, 0, w->none - arg);
	op_begin(w, OP_raw_ioctl);
	err = xioctl(f->fd, cmd, arg);
	op_end(w, OP_raw_ioctl, err, cmd, k);
	expect(w, "raw ioctl", err, ERRS(ENOTTY, EINVAL, E2BIG, EFAULT, ENODEV, ENOENT, EBUSY,
					 ENOMEM, ENOSPC, EAGAIN, ENODATA, EIO, EBADF));
}

/* ---- the shared file: several threads of one process submit and reap ------------ */

static void sh_mark(uint8_t *map, uint64_t id)
{
	map[id / 8] |= 1u << (id % 8);
}

static bool sh_test(uint8_t *map, uint64_t id)
{
	return map[id / 8] & (1u << (id % 8));
}

static void op_sh_submit(struct worker *w)
{
	struct shfile *s = w->shf;
	struct dmaxfer_xfer_req r;
	int err, c = rn(w, 2);

	memset(&r, 0, sizeof(r));
	r.chan = c;
	r.flags = DMAXFER_XFER_USER_PTR;
	r.length = rlen(w, s->align, 16384);
	r.user_ptr = (uint64_t)(uintptr_t)(w->arena + ARENA / 2 +
					   rn(w, (ARENA / 2 - r.length) / s->align) * s->align);
	r.user_data = rnd(w);
	op_begin(w, OP_sh_submit);
	err = xioctl(s->fd, DMAXFER_IOC_SUBMIT, &r);
	op_end(w, OP_sh_submit, err, r.length, c);
	if (err) {
		expect(w, "SUBMIT (shared file)", err, ERRS(EBUSY, ENOMEM, EIO, ENODEV));
		return;
	}
	pthread_mutex_lock(&s->lock);
	if (!r.id || r.id >= SHIDS)
		viol(w, "SUBMIT on the shared file: id %" PRIu64, (uint64_t)r.id);
	else if (sh_test(s->submitted, r.id))
		viol(w, "SUBMIT on the shared file returned id %" PRIu64 " twice", (uint64_t)r.id);
	else
		sh_mark(s->submitted, r.id);
	s->nsub++;
	pthread_mutex_unlock(&s->lock);
}

static void sh_reaped(struct worker *w, struct dmaxfer_completion *c)
{
	struct shfile *s = w->shf;

	pthread_mutex_lock(&s->lock);
	if (!c->id || c->id >= SHIDS)
		viol(w, "record on the shared file for id %" PRIu64, (uint64_t)c->id);
	else if (sh_test(s->reaped, c->id))
		viol(w, "record for id %" PRIu64 " reaped twice on the shared file", (uint64_t)c->id);
	else
		sh_mark(s->reaped, c->id);
	s->nreap++;
	pthread_mutex_unlock(&s->lock);
	if (c->bytes + c->residue == 0 || c->bytes + c->residue > 16384 || (!c->status && c->residue))
		viol(w, "shared-file record %" PRIu64 ": bytes %" PRIu64 " residue %" PRIu64 " status %d",
		     (uint64_t)c->id, (uint64_t)c->bytes, (uint64_t)c->residue, c->status);
}

static void op_sh_wait(struct worker *w)
{
	struct shfile *s = w->shf;
	struct dmaxfer_completion c;
	bool any = chance(w, 70);
	int err;

	memset(&c, 0, sizeof(c));
	c.flags = (any ? DMAXFER_WAIT_ANY : 0) | (chance(w, 90) ? DMAXFER_WAIT_NONBLOCK : 0);
	pthread_mutex_lock(&s->lock);
	c.id = 1 + rn(w, s->nsub + 4);
	pthread_mutex_unlock(&s->lock);
	op_begin(w, OP_sh_wait);
	err = xioctl(s->fd, DMAXFER_IOC_WAIT, &c);
	op_end(w, OP_sh_wait, err, c.id, c.flags);
	if (!err)
		sh_reaped(w, &c);
	else
		expect(w, "WAIT (shared file)", err, ERRS(EAGAIN, ENOENT, ENODATA));
}

/* After every worker of the process is done: every record reaped was submitted. */
static void sh_final(struct worker *w)
{
	struct shfile *s = w->shf;
	struct dmaxfer_completion c;
	uint64_t id, bad = 0;

	/* Reap what is left, then compare. */
	for (;;) {
		memset(&c, 0, sizeof(c));
		c.flags = DMAXFER_WAIT_ANY;
		if (xioctl(s->fd, DMAXFER_IOC_WAIT, &c))
			break;
		sh_reaped(w, &c);
	}
	for (id = 0; id < SHIDS; id++) {
		if (sh_test(s->reaped, id) && !sh_test(s->submitted, id)) {
			if (!bad++)
				viol(w, "shared file: a record for id %" PRIu64 ", never submitted", id);
		}
		if (sh_test(s->submitted, id) && !sh_test(s->reaped, id)) {
			if (!bad++)
				viol(w, "shared file: transfer %" PRIu64 " never got a record", id);
		}
	}
	if (s->nsub != s->nreap && !bad)
		viol(w, "shared file: %" PRIu64 " submitted, %" PRIu64 " records", s->nsub, s->nreap);
}

/* ---- fork: the child does a few operations and exits --------------------------- */

static void child_ops(struct worker *w)
{
	struct file_t nf;
	int i, n = 2 + rn(w, 8), fd, k;

	w->child = true;
	/* Inherited files: only what does not reap or add records of the parent. */
	for (i = 0; i < NFD; i++) {
		struct file_t *f = &w->f[i];

		if (f->fd < 0)
			continue;
		if (chance(w, 50)) {
			struct pollfd p = { .fd = f->fd, .events = POLLIN };

			op_begin(w, OP_child);
			if (poll(&p, 1, 0) < 0)
				viol(w, "child: poll on an inherited file: %s", strerror(errno));
			op_end(w, OP_child, 0, 0, 0);
		}
		if (f->nb && chance(w, 50) && can_rx(f) && can_tx(f)) {
			/* A mapping made in the child of the parent's buffer. */
			void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd,
				       (off_t)f->b[0].off);

			op_begin(w, OP_child);
			op_end(w, OP_child, p == MAP_FAILED ? errno : 0, 1, 0);
			if (p != MAP_FAILED)
				*(volatile char *)p = 1;
		}
		if (chance(w, 30))
			close(f->fd);
	}
	/* A file of its own, left with transfers in flight at exit. */
	fd = open(dev0, O_RDWR);
	if (fd < 0)
		_exit(0);
	memset(&nf, 0, sizeof(nf));
	nf.fd = fd;
	nf.oflags = O_RDWR;
	nf.raw = true;
	for (k = 0; k < 2; k++) {
		nf.ci[k].chan = k;
		ioctl(fd, DMAXFER_IOC_INFO, &nf.ci[k]);
	}
	for (i = 0; i < n; i++) {
		switch (rn(w, 5)) {
		case 0: op_alloc(w, &nf); break;
		case 1: op_sub_uptr(w, &nf); break;
		case 2: op_sub_pool(w, &nf); break;
		case 3: op_mmap(w, &nf); break;
		default: op_rw(w, &nf, true); break;
		}
	}
	_exit(0);
}

static void op_fork(struct worker *w)
{
	pid_t pid;
	int st;

	op_begin(w, OP_fork);
	pid = fork();
	if (pid == 0) {
		sh->w[w->idx].pid = getpid();
		sh->w[w->idx].tid = gettid_();
		child_ops(w);
	}
	if (pid < 0) {
		op_end(w, OP_fork, errno, 0, 0);
		return;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sh->w[w->idx].pid = getpid();
	sh->w[w->idx].tid = gettid_();
	op_end(w, OP_fork, 0, (uint64_t)pid, (uint64_t)st);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		viol(w, "forked child ended with status %#x", st);
}

/* ---- the data check: the loopback FIFO to ourselves --------------------------- */

static int sim_write(const char *name, const char *val)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", simdir, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static long sim_read_num(const char *name)
{
	char path[256], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", simdir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/* 1: every dmasim channel idle; 0: one busy; -1: cannot tell. */
static int sim_idle(void)
{
	char path[256], buf[512];
	int i, fd, seen = 0;
	ssize_t n;

	for (i = 0; i < 32; i++) {
		snprintf(path, sizeof(path), "%s/chan%d/stats", simdir, i);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			break;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return -1;
		buf[n] = 0;
		seen++;
		if (!strstr(buf, "state idle"))
			return 0;
	}
	return seen ? 1 : -1;
}

static void fill_pattern(uint64_t s, void *p, size_t n)
{
	struct pattern pt;

	pattern_init(&pt, s);
	pattern_fill(&pt, p, n);
}

static int wait_id(int fd, uint64_t id, struct dmaxfer_completion *c)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	return xioctl(fd, DMAXFER_IOC_WAIT, c);
}

static bool chk_submit_wait(struct worker *w, int fd, struct dmaxfer_xfer_req *r, const char *what)
{
	struct dmaxfer_completion c;
	int err;

	err = xioctl(fd, DMAXFER_IOC_SUBMIT, r);
	if (err) {
		viol(w, "data check: %s SUBMIT of %" PRIu64 " bytes: %s", what,
		     (uint64_t)r->length, strerror(err));
		return false;
	}
	err = wait_id(fd, r->id, &c);
	if (err || c.status || c.bytes != r->length) {
		viol(w, "data check: %s of %" PRIu64 " bytes: WAIT %s, status %d, bytes %" PRIu64,
		     what, (uint64_t)r->length, err ? strerror(err) : "ok", c.status,
		     (uint64_t)c.bytes);
		return false;
	}
	return true;
}

static void data_check(struct worker *w)
{
	static char *src, *dst, *pool_tx, *pool_rx;
	static struct dmaxfer_buf_alloc ba[2];
	static uint32_t align;
	struct dmaxfer_xfer_req r;
	int fd = w->chkfd, i, tries, pth = 0, pathrx = 0;
	size_t len = 0;
	long lvl;
	ssize_t n;
	uint64_t t0 = now_ns();

	if (!src) {
		align = rx_align_of(fd);
		src = mmap(NULL, 2 * 262144, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		dst = src + 262144;
		for (i = 0; i < 2; i++) {
			memset(&ba[i], 0, sizeof(ba[i]));
			ba[i].length = 262144;
			ba[i].chan = i;
			if (xioctl(fd, DMAXFER_IOC_BUF_ALLOC, &ba[i])) {
				viol(w, "data check: BUF_ALLOC: %s", strerror(errno));
				return;
			}
		}
		pool_tx = mmap(NULL, 262144, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)ba[0].mmap_offset);
		pool_rx = mmap(NULL, 262144, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)ba[1].mmap_offset);
		if (src == MAP_FAILED || pool_tx == MAP_FAILED || pool_rx == MAP_FAILED) {
			viol(w, "data check: mmap failed");
			return;
		}
	}
	pthread_rwlock_wrlock(&sh->datalock);
	/* Everyone else is out of the driver; their transfers end by the timeout. */
	for (tries = 0; (i = sim_idle()) == 0 && tries < 500; tries++)
		usleep(10000);
	__atomic_fetch_add(&sh->stall_ms, (cnt_t)((now_ns() - t0) / 1000000), __ATOMIC_RELAXED);
	if (i != 1) {
		viol(w, "data check: dmasim channels still busy %.1f s after every worker stopped",
		     (now_ns() - t0) / 1e9);
		goto out;
	}
	op_begin(w, OP_check);
	sim_write("fifo_flush", "1");
	lvl = sim_read_num("fifo_level");
	if (lvl != 0) {
		viol(w, "data check: FIFO level %ld after a flush", lvl);
		goto end;
	}
	len = 4 * (1 + rn(w, 65536));
	len = (len + align - 1) / align * align;	/* rx zero-copy: whole cache lines */
	w->chk_seed++;
	fill_pattern(seed * 1000003 + w->chk_seed, src, len);
	pth = rn(w, 3);
	pathrx = rn(w, 3);
	/* tx: write(), pool or user pages */
	memset(&r, 0, sizeof(r));
	r.chan = TX;
	r.length = len;
	if (pth == 0) {
		n = write(fd, src, len);
		if (n != (ssize_t)len) {
			viol(w, "data check: write of %zu: %zd (%s)", len, n, strerror(errno));
			goto end;
		}
	} else if (pth == 1) {
		memcpy(pool_tx, src, len);
		r.buf_id = ba[0].id;
		if (!chk_submit_wait(w, fd, &r, "pool tx"))
			goto end;
	} else {
		r.flags = DMAXFER_XFER_USER_PTR;
		r.user_ptr = (uint64_t)(uintptr_t)src;
		if (!chk_submit_wait(w, fd, &r, "zero-copy tx"))
			goto end;
	}
	lvl = sim_read_num("fifo_level");
	if (lvl != (long)len) {
		viol(w, "data check: FIFO level %ld after sending %zu bytes (path %d)", lvl, len, pth);
		goto end;
	}
	memset(dst, 0xa5, len);
	memset(&r, 0, sizeof(r));
	r.chan = RX;
	r.length = len;
	if (pathrx == 0) {
		n = read(fd, dst, len);
		if (n != (ssize_t)len) {
			viol(w, "data check: read of %zu: %zd (%s)", len, n, strerror(errno));
			goto end;
		}
	} else if (pathrx == 1) {
		memset(pool_rx, 0x5a, len);
		r.buf_id = ba[1].id;
		if (!chk_submit_wait(w, fd, &r, "pool rx"))
			goto end;
		memcpy(dst, pool_rx, len);
	} else {
		r.flags = DMAXFER_XFER_USER_PTR;
		r.user_ptr = (uint64_t)(uintptr_t)dst;
		if (!chk_submit_wait(w, fd, &r, "zero-copy rx"))
			goto end;
	}
	if (memcmp(src, dst, len)) {
		for (i = 0; i < (int)len && src[i] == dst[i]; i++)
			;
		viol(w, "data check: %zu bytes sent (path %d) and read back (path %d) differ from byte %d (sent %02x, got %02x)",
		     len, pth, pathrx, i, (uint8_t)src[i], (uint8_t)dst[i]);
		goto end;
	}
	__atomic_fetch_add(&sh->checks, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sh->verified, len, __ATOMIC_RELAXED);
end:
	op_end(w, OP_check, 0, len, pth * 3 + pathrx);
out:
	pthread_rwlock_unlock(&sh->datalock);
}

/* ---- the worker ----------------------------------------------------------------- */

static struct file_t *pick_file(struct worker *w)
{
	struct file_t *f = &w->f[rn(w, NFD)];

	if (f->fd < 0)
		op_open(w, f, false);
	return f->fd >= 0 ? f : NULL;
}

/*
 * The mix, in thousandths. Cheap calls dominate so that a run reaches its
 * operation count on a debug kernel under TCG; transfers, mappings and
 * streams, which cost milliseconds there, are a fifth of it.
 */
enum {
	C_REOPEN, C_RAW_REOPEN, C_FORK, C_RAW, C_SH_SUB, C_SH_WAIT, C_INFO, C_INFO_BAD,
	C_ALLOC, C_ALLOC_BAD, C_FREE, C_FREE_BAD, C_SUB_POOL, C_SUB_UPTR, C_SUB_BAD,
	C_WAIT, C_SYNC, C_SYNC_BAD, C_MMAP, C_MMAP_BAD, C_MUNMAP, C_MREMAP, C_TOUCH,
	C_RW, C_RW_BAD, C_POLL, C_NR
};
static const unsigned short weights[C_NR] = {
	[C_REOPEN] = 8, [C_RAW_REOPEN] = 3, [C_FORK] = 1, [C_RAW] = 150,
	[C_SH_SUB] = 12, [C_SH_WAIT] = 25, [C_INFO] = 50, [C_INFO_BAD] = 40,
	[C_ALLOC] = 18, [C_ALLOC_BAD] = 40, [C_FREE] = 15, [C_FREE_BAD] = 30,
	[C_SUB_POOL] = 28, [C_SUB_UPTR] = 24, [C_SUB_BAD] = 100, [C_WAIT] = 120,
	[C_SYNC] = 50, [C_SYNC_BAD] = 50, [C_MMAP] = 14, [C_MMAP_BAD] = 8,
	[C_MUNMAP] = 10, [C_MREMAP] = 4, [C_TOUCH] = 30, [C_RW] = 12, [C_RW_BAD] = 28,
	[C_POLL] = 130,
};

static void op_info(struct worker *w, struct file_t *f, bool bad)
{
	struct dmaxfer_chan_info ci;
	int err, c = rn(w, 2), kk = rn(w, 2);

	memset(&ci, 0, sizeof(ci));
	ci.chan = c;
	if (bad && kk)
		ci.chan = 2 + rn(w, 1u << 31);
	else if (bad && chance(w, 25))
		ci.reserved0 = 1 + rn(w, 100);
	else if (bad)
		ci.reserved[rn(w, 3)] = 1 + rn(w, 100);
	op_begin(w, bad ? OP_info_bad : OP_info);
	err = xioctl(f->fd, DMAXFER_IOC_INFO, &ci);
	op_end(w, bad ? OP_info_bad : OP_info, err, c, kk);
	if (bad) {
		if (err != EINVAL)
			viol(w, "INFO with %s: %s, want EINVAL", kk ? "channel >= 2" : "reserved set",
			     err ? strerror(err) : "success");
	} else if (err) {
		viol(w, "INFO of channel %d: %s", c, strerror(err));
	} else if (memcmp(&ci, &f->ci[c], offsetof(struct dmaxfer_chan_info, timeout_ms))) {
		viol(w, "INFO of channel %d changed", c);
	}
}

static void one_op(struct worker *w)
{
	struct file_t *f;
	unsigned int k = rn(w, 1000), c;

	for (c = 0; c < C_NR - 1 && k >= weights[c]; c++)
		k -= weights[c];
	switch (c) {
	case C_REOPEN:
		op_open(w, &w->f[rn(w, NFD)], false);
		return;
	case C_RAW_REOPEN:
		op_open(w, &w->f[NFD], true);
		return;
	case C_FORK:
		op_fork(w);
		return;
	case C_RAW:
		if (w->f[NFD].fd < 0)
			op_open(w, &w->f[NFD], true);
		if (w->f[NFD].fd >= 0)
			op_raw(w, &w->f[NFD]);
		return;
	case C_SH_SUB:
		op_sh_submit(w);
		return;
	case C_SH_WAIT:
		op_sh_wait(w);
		return;
	}
	f = pick_file(w);
	if (!f)
		return;
	switch (c) {
	case C_INFO: op_info(w, f, false); break;
	case C_INFO_BAD: op_info(w, f, true); break;
	case C_ALLOC: op_alloc(w, f); break;
	case C_ALLOC_BAD: op_alloc_bad(w, f); break;
	case C_FREE: op_free(w, f); break;
	case C_FREE_BAD: op_free_bad(w, f); break;
	case C_SUB_POOL: op_sub_pool(w, f); break;
	case C_SUB_UPTR: op_sub_uptr(w, f); break;
	case C_SUB_BAD: op_sub_bad(w, f); break;
	case C_WAIT: op_wait(w, f); break;
	case C_SYNC: op_sync(w, f, false); break;
	case C_SYNC_BAD: op_sync(w, f, true); break;
	case C_MMAP: op_mmap(w, f); break;
	case C_MMAP_BAD: op_mmap_bad(w, f); break;
	case C_MUNMAP: op_munmap(w, f); break;
	case C_MREMAP: op_mremap(w, f); break;
	case C_TOUCH: op_touch(w, f); break;
	/* More tx than rx: an rx from the empty FIFO waits for the timeout. */
	case C_RW: op_rw(w, f, rn(w, 5) != 0); break;
	case C_RW_BAD: op_rw_bad(w, f); break;
	default: op_poll(w, f); break;
	}
}

static bool keep_going(struct worker *w)
{
	return !sh->stop && w->ops < w->budget && now_ns() < t_end_ns;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int i;

	sh->w[w->idx].pid = getpid();
	sh->w[w->idx].tid = gettid_();
	for (i = 0; i < RING; i++)
		w->ring[i].op = -1;
	for (i = 0; i <= NFD; i++)
		w->f[i].fd = -1;
	w->arena = mmap(NULL, ARENA + 2 * PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->arena == MAP_FAILED) {
		viol(w, "mmap of the arena: %s", strerror(errno));
		return NULL;
	}
	/* The arena ends at an inaccessible page, then a read-only one. */
	w->none = w->arena + ARENA;
	w->ro = w->none + PG;
	memset(w->arena, 0x11, ARENA + 2 * PG);
	mprotect(w->ro, PG, PROT_READ);
	mprotect(w->none, PG, PROT_NONE);
	if (w->checker) {
		w->chkfd = open(dev0, O_RDWR | O_CLOEXEC);
		if (w->chkfd < 0) {
			viol(w, "open %s: %s", dev0, strerror(errno));
			w->checker = false;
		}
		w->next_check = now_ns() + (uint64_t)(check_every * 1e9 / 2);
	}
	while (keep_going(w)) {
		if (w->checker && now_ns() >= w->next_check) {
			data_check(w);
			w->next_check = now_ns() + (uint64_t)(check_every * 1e9);
		}
		pthread_rwlock_rdlock(&sh->datalock);
		one_op(w);
		pthread_rwlock_unlock(&sh->datalock);
	}
	/* Reap what our private files have left, checking each record. */
	for (i = 0; i < NFD; i++) {
		struct file_t *f = &w->f[i];
		int tries = 2 * f->nx + 8;

		while (f->fd >= 0 && f->nx && !sh->stop && tries--)
			do_wait(w, f, chance(w, 50), false, f->x[0].id);
		if (f->fd >= 0) {
			close(f->fd);
			file_forget(w, f);
		}
	}
	if (w->f[NFD].fd >= 0)
		close(w->f[NFD].fd);
	if (w->checker && !sh->stop)
		data_check(w);	/* the FIFO still loops back after everything */
	return NULL;
}

static void print_summary(double secs);

/* ---- the watchdog: no operation may take longer than alarm_s ------------------- */

static void dump_stack_of(int pid, int tid)
{
	char path[64], buf[2048];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", pid, tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = 0;
		say("DMAXFER-FUZZ stack of %d/%d:\n%s", pid, tid, buf);
	}
}

static void *watchdog_main(void *arg)
{
	int nw = *(int *)arg, i, fd;

	for (;;) {
		usleep(200000);
		for (i = 0; i < nw; i++) {
			cnt_t t = __atomic_load_n(&sh->w[i].start_ms, __ATOMIC_ACQUIRE);

			if (!t || now_ms1() - t < (cnt_t)(alarm_s * 1000))
				continue;
			say("DMAXFER-FUZZ HANG (seed %" PRIu64 "): worker %d (pid %d tid %d) in %s for %.1f s\n",
			    seed, i, sh->w[i].pid, sh->w[i].tid, op_names[sh->w[i].op],
			    (now_ms1() - t) / 1e3);
			__atomic_fetch_add(&sh->violations, 1, __ATOMIC_RELAXED);
			dump_stack_of(sh->w[i].pid, sh->w[i].tid);
			fd = open("/proc/sysrq-trigger", O_WRONLY);
			if (fd >= 0) {
				if (write(fd, "w", 1) < 0)
					say("sysrq: %s\n", strerror(errno));
				close(fd);
			}
			say("DMAXFER-FUZZ: exiting on the hang\n");
			print_summary(0);
			for (i = 0; i < nw; i++)
				if (sh->w[i].pid && sh->w[i].pid != getpid())
					kill(sh->w[i].pid, SIGKILL);
			_exit(3);
		}
	}
	return NULL;
}

/* ---- one process of workers -------------------------------------------------------- */

static void run_process(int p)
{
	struct worker *ws = calloc(nthreads, sizeof(*ws));
	pthread_t *th = calloc(nthreads, sizeof(*th));
	struct shfile *s = calloc(1, sizeof(*s));
	uint64_t per = budget / (nprocs * nthreads), extra = budget % (nprocs * nthreads);
	int t;

	if (!ws || !th || !s) {
		say("out of memory\n");
		exit(2);
	}
	pthread_mutex_init(&s->lock, NULL);
	s->submitted = calloc(SHIDS / 8, 1);
	s->reaped = calloc(SHIDS / 8, 1);
	s->fd = open(dev0, O_RDWR | O_CLOEXEC);
	if (s->fd < 0 || !s->submitted || !s->reaped) {
		say("open %s: %s\n", dev0, strerror(errno));
		exit(2);
	}
	s->align = rx_align_of(s->fd);
	for (t = 0; t < nthreads; t++) {
		struct worker *w = &ws[t];

		w->idx = p * nthreads + t;
		w->rng = splitmix(seed + w->idx) | 1;
		w->budget = per + ((uint64_t)w->idx < extra);
		w->shf = s;
		w->checker = do_data && w->idx == 0;
		if (pthread_create(&th[t], NULL, worker_main, w)) {
			say("pthread_create failed\n");
			exit(2);
		}
	}
	for (t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	if (!sh->stop)
		sh_final(&ws[0]);
	close(s->fd);
}

static void print_summary(double secs)
{
	uint64_t total = 0, n;
	char line[1024], b[16];
	int o, e, len;

	for (o = 0; o < NR_OPS; o++)
		for (e = 0; e < NERR; e++)
			total += sh->hist[o][e];
	if (secs <= 0)
		secs = (now_ns() - t0_ns) / 1e9;
	printf("DMAXFER-FUZZ: seed %" PRIu64 ", %d process(es) x %d thread(s): %" PRIu64
	       " operations in %.1f s (%.0f/s), %lu data checks (%lu bytes verified, %lu ms waiting for the FIFO), %lu violations\n",
	       seed, nprocs, nthreads, total, secs, total / (secs > 0 ? secs : 1),
	       sh->checks, sh->verified, sh->stall_ms, sh->violations);
	printf("%-10s %8s %8s  by result\n", "op", "count", "ms");
	for (o = 0; o < NR_OPS; o++) {
		uint64_t sum = 0;

		len = 0;
		for (e = 0; e < NERR; e++) {
			n = sh->hist[o][e];
			if (!n)
				continue;
			sum += n;
			len += snprintf(line + len, sizeof(line) - len, " %s:%" PRIu64,
					e == NERR - 1 ? "other" : ename(e, b, sizeof(b)), n);
			if (len >= (int)sizeof(line))
				len = sizeof(line) - 1;
		}
		if (sum)
			printf("%-10s %8" PRIu64 " %8lu %s\n", op_names[o], sum, sh->op_ms[o], line);
	}
	fflush(stdout);
}

static void *shared_alloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int fuzz_main(void)
{
	pthread_rwlockattr_t ra;
	pthread_t wd;
	uint64_t t0 = t0_ns = now_ns();
	int p, st, nw = nprocs * nthreads, bad = 0;
	pid_t *pids;
	struct stat stt;

	if (nw > MAXW || nw < 1) {
		fprintf(stderr, "at most %d workers\n", MAXW);
		return 2;
	}
	sh = shared_alloc(sizeof(*sh));
	pids = calloc(nprocs, sizeof(*pids));
	if (!sh || !pids)
		return 2;
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setpshared(&ra, PTHREAD_PROCESS_SHARED);
	/* The data check must not starve behind the workers. */
	pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&sh->datalock, &ra);
	do_data = simdir && *simdir && !stat(simdir, &stt) && sim_idle() >= 0;
	t_end_ns = t0 + (uint64_t)(tbound * 1e9);
	printf("DMAXFER-FUZZ: %s%s%s, seed %" PRIu64 ", budget %" PRIu64 " operations, at most %.0f s, %d x %d workers, data check %s\n",
	       dev0, dev1 ? " + " : "", dev1 ? dev1 : "", seed, budget, tbound, nprocs, nthreads,
	       do_data ? simdir : "off (no dmasim debugfs)");
	fflush(stdout);
	if (pthread_create(&wd, NULL, watchdog_main, &nw))
		return 2;
	for (p = 1; p < nprocs; p++) {
		pids[p] = fork();
		if (pids[p] == 0) {
			run_process(p);
			_exit(0);
		}
	}
	run_process(0);
	for (p = 1; p < nprocs; p++) {
		if (waitpid(pids[p], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			say("DMAXFER-FUZZ: worker process %d ended with status %#x\n", p, st);
			bad = 1;
		}
	}
	print_summary((now_ns() - t0) / 1e9);
	return sh->violations || bad ? 1 : 0;
}

/* ==== unbind mode ================================================================== */

/*
 * Each worker owns files with pool buffers (mapped), transfers in flight
 * and records it leaves unreaped. It transfers until a call fails with
 * ENODEV (the device was unbound), then checks the post-unbind semantics
 * of its files. Results are aggregated per check and printed as
 * DMAXFER-RESULT lines by the main thread.
 */

enum {
	U_RECORDS, U_NO_FOREIGN, U_CANCELED, U_ENODATA, U_BUF_FREE, U_ENODEV_IOCTL,
	U_ENODEV_RW, U_ENODEV_MMAP, U_POLL, U_SIGBUS, U_MUNMAP, U_CLOSE, U_SAW_ENODEV,
	U_LOAD, U_NR
};
static const char *const u_names[U_NR] = {
	"one-record-per-transfer", "no-foreign-records", "cut-off-are-ecanceled",
	"wait-then-enodata", "buf-free-works", "ioctls-enodev", "read-write-enodev",
	"new-mmap-enodev", "poll-hup-err", "mapping-revoked-sigbus", "munmap-safe",
	"close-quick", "transfers-saw-enodev", "load-errnos",
};
static struct {
	uint64_t pass, fail;
	char why[256];
	pthread_mutex_t lock;
} ures[U_NR];
static volatile sig_atomic_t unbound;
static __thread sigjmp_buf bus_jmp;
static __thread volatile int bus_armed;

static void ucheck(int k, bool ok, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&ures[k].lock);
	if (ok) {
		ures[k].pass++;
	} else {
		if (!ures[k].fail++) {
			va_start(ap, fmt);
			vsnprintf(ures[k].why, sizeof(ures[k].why), fmt, ap);
			va_end(ap);
		}
	}
	pthread_mutex_unlock(&ures[k].lock);
}

static void on_usr1(int sig)
{
	(void)sig;
	unbound = 1;
}

static void on_bus(int sig)
{
	(void)sig;
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	signal(SIGBUS, SIG_DFL);
	raise(SIGBUS);
}

/* Does touching @p raise SIGBUS? */
static bool touch_bus(volatile char *p)
{
	if (sigsetjmp(bus_jmp, 1)) {
		bus_armed = 0;
		return true;
	}
	bus_armed = 1;
	(void)*p;
	*p = 1;
	bus_armed = 0;
	return false;
}

struct ufile {
	int fd;
	uint32_t bufid[2];
	uint64_t off[2];
	char *map[2];
	uint64_t ids[512];
	int nids;	/* submitted, not reaped */
	uint64_t last;
};

struct uworker {
	int idx;
	uint64_t rng;
	struct ufile f[2];
	char *arena;
	uint64_t nsub, nrec;
	uint32_t align;
};

static uint64_t urnd(struct uworker *u)
{
	u->rng ^= u->rng >> 12;
	u->rng ^= u->rng << 25;
	u->rng ^= u->rng >> 27;
	return u->rng * 0x2545f4914f6cdd1dull;
}

static int u_find(struct ufile *f, uint64_t id)
{
	int i;

	for (i = 0; i < f->nids; i++)
		if (f->ids[i] == id)
			return i;
	return -1;
}

#define ULEN 16384

/* One step of load: submit or reap or stream; returns the errno that ended it. */
static int u_step(struct uworker *u, struct ufile *f)
{
	struct dmaxfer_xfer_req r;
	struct dmaxfer_completion c;
	int k = urnd(u) % 8, err, i;
	ssize_t n;

	switch (k) {
	case 0: case 1: case 2:
		if (f->nids >= 6)
			goto reap;
		memset(&r, 0, sizeof(r));
		r.chan = urnd(u) % 2;
		r.length = u->align * (1 + urnd(u) % (ULEN / u->align));
		if (urnd(u) % 2) {
			r.buf_id = f->bufid[r.chan];
		} else {
			r.flags = DMAXFER_XFER_USER_PTR;
			r.user_ptr = (uint64_t)(uintptr_t)(u->arena + (urnd(u) % 16) * ULEN);
		}
		r.user_data = r.chan;
		err = xioctl(f->fd, DMAXFER_IOC_SUBMIT, &r);
		if (err == EBUSY)
			return 0;
		if (err)
			return err;
		f->ids[f->nids++] = r.id;
		f->last = r.id;
		u->nsub++;
		return 0;
	case 3: case 4:
reap:
		/* Leave some unreaped: only reap when there are more than 3. */
		if (f->nids <= 3)
			return 0;
		memset(&c, 0, sizeof(c));
		c.flags = DMAXFER_WAIT_ANY | DMAXFER_WAIT_NONBLOCK;
		err = xioctl(f->fd, DMAXFER_IOC_WAIT, &c);
		if (err == EAGAIN)
			return 0;
		if (err)
			return err;
		i = u_find(f, c.id);
		ucheck(U_NO_FOREIGN, i >= 0, "before unbind: record for id %" PRIu64 " not outstanding",
		       (uint64_t)c.id);
		if (i >= 0)
			f->ids[i] = f->ids[--f->nids];
		u->nrec++;
		return 0;
	case 5:
		if (no_streams)
			return 0;
		n = write(f->fd, u->arena, 4 * (1 + urnd(u) % 1024));
		return n < 0 ? errno : 0;
	case 6:
		if (no_streams)
			return 0;
		n = read(f->fd, u->arena, 4 * (1 + urnd(u) % 256));
		return n < 0 ? errno : 0;
	default:
		if (f->map[0])
			f->map[0][urnd(u) % ULEN] = 1;
		return 0;
	}
}

static void u_after(struct uworker *u, struct ufile *f)
{
	struct dmaxfer_completion c;
	struct dmaxfer_chan_info ci;
	struct dmaxfer_buf_alloc ba;
	struct dmaxfer_sync sy;
	struct dmaxfer_xfer_req r;
	struct dmaxfer_buf_free bf;
	struct pollfd p;
	uint64_t t0;
	int err, i, left = f->nids, canceled = 0, other = 0, b;
	bool bus;
	void *m;
	char tmp[16];

	/* Existing mappings are revoked. */
	for (b = 0; b < 2; b++) {
		if (!f->map[b])
			continue;
		bus = touch_bus(f->map[b] + 100);
		ucheck(U_SIGBUS, bus, "worker %d: a pool mapping still accessible after unbind", u->idx);
	}
	/* poll: HUP|ERR, plus IN while records remain. */
	p.fd = f->fd;
	p.events = POLLIN;
	p.revents = 0;
	err = poll(&p, 1, 0) < 0 ? errno : 0;
	ucheck(U_POLL, !err && (p.revents & (POLLHUP | POLLERR)) == (POLLHUP | POLLERR) &&
	       !!(p.revents & POLLIN) == (left > 0),
	       "worker %d: poll revents %#x with %d records outstanding (want POLLHUP|POLLERR%s)",
	       u->idx, p.revents, left, left ? "|POLLIN" : "");
	/* The other calls: ENODEV. */
	memset(&ci, 0, sizeof(ci));
	err = xioctl(f->fd, DMAXFER_IOC_INFO, &ci);
	ucheck(U_ENODEV_IOCTL, err == ENODEV, "worker %d: INFO after unbind: %s", u->idx,
	       err ? ename(err, tmp, sizeof(tmp)) : "success");
	memset(&ba, 0, sizeof(ba));
	ba.length = 4096;
	err = xioctl(f->fd, DMAXFER_IOC_BUF_ALLOC, &ba);
	ucheck(U_ENODEV_IOCTL, err == ENODEV, "worker %d: BUF_ALLOC after unbind: %s", u->idx,
	       err ? ename(err, tmp, sizeof(tmp)) : "success");
	memset(&r, 0, sizeof(r));
	r.buf_id = f->bufid[0];
	r.length = 4;
	err = xioctl(f->fd, DMAXFER_IOC_SUBMIT, &r);
	ucheck(U_ENODEV_IOCTL, err == ENODEV, "worker %d: SUBMIT after unbind: %s", u->idx,
	       err ? ename(err, tmp, sizeof(tmp)) : "success");
	if (!err)
		f->ids[f->nids++] = r.id;
	memset(&sy, 0, sizeof(sy));
	sy.buf_id = f->bufid[0];
	sy.flags = DMAXFER_SYNC_READ;
	sy.length = 4;
	err = xioctl(f->fd, DMAXFER_IOC_SYNC, &sy);
	ucheck(U_ENODEV_IOCTL, err == ENODEV, "worker %d: SYNC after unbind: %s", u->idx,
	       err ? ename(err, tmp, sizeof(tmp)) : "success");
	err = write(f->fd, u->arena, 4) < 0 ? errno : 0;
	ucheck(U_ENODEV_RW, err == ENODEV, "worker %d: write after unbind: %s", u->idx,
	       err ? ename(err, tmp, sizeof(tmp)) : "success");
	err = read(f->fd, u->arena, 4) < 0 ? errno : 0;
	ucheck(U_ENODEV_RW, err == ENODEV, "worker %d: read after unbind: %s", u->idx,
	       err ? ename(err, tmp, sizeof(tmp)) : "success");
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, (off_t)f->off[1]);
	err = m == MAP_FAILED ? errno : 0;
	ucheck(U_ENODEV_MMAP, err == ENODEV, "worker %d: new mmap after unbind: %s", u->idx,
	       err ? ename(err, tmp, sizeof(tmp)) : "success");
	if (!err)
		munmap(m, PG);
	/* Every transfer submitted yields exactly one record, then ENODATA. */
	for (i = 0; i < 600; i++) {
		memset(&c, 0, sizeof(c));
		c.flags = DMAXFER_WAIT_ANY;
		err = xioctl(f->fd, DMAXFER_IOC_WAIT, &c);
		if (err)
			break;
		b = u_find(f, c.id);
		ucheck(U_NO_FOREIGN, b >= 0, "worker %d: record for id %" PRIu64 " not outstanding",
		       u->idx, (uint64_t)c.id);
		if (b < 0)
			continue;
		f->ids[b] = f->ids[--f->nids];
		if (c.status == -ECANCELED)
			canceled++;
		else if (c.status && c.status != -ETIMEDOUT && c.status != -EIO)
			other++;
		u->nrec++;
	}
	ucheck(U_RECORDS, !f->nids, "worker %d: %d of %d transfers got no record (WAIT: %s)",
	       u->idx, f->nids, left, err ? ename(err, tmp, sizeof(tmp)) : "ok");
	ucheck(U_ENODATA, err == ENODATA, "worker %d: WAIT_ANY after the records: %s, want ENODATA",
	       u->idx, err ? ename(err, tmp, sizeof(tmp)) : "success");
	ucheck(U_CANCELED, !other, "worker %d: %d records with a status other than 0/ECANCELED/ETIMEDOUT/EIO",
	       u->idx, other);
	(void)canceled;
	for (b = 0; b < 2; b++) {
		memset(&bf, 0, sizeof(bf));
		bf.id = f->bufid[b];
		err = xioctl(f->fd, DMAXFER_IOC_BUF_FREE, &bf);
		ucheck(U_BUF_FREE, !err, "worker %d: BUF_FREE after unbind: %s", u->idx,
		       err ? ename(err, tmp, sizeof(tmp)) : "success");
	}
	for (b = 0; b < 2; b++) {
		if (!f->map[b])
			continue;
		err = munmap(f->map[b], ULEN) ? errno : 0;
		ucheck(U_MUNMAP, !err, "worker %d: munmap after unbind: %s", u->idx, strerror(err));
		f->map[b] = NULL;
	}
	t0 = now_ns();
	close(f->fd);
	ucheck(U_CLOSE, now_ns() - t0 < 2000000000ull, "worker %d: close took %.2f s", u->idx,
	       (now_ns() - t0) / 1e9);
}

static void *uworker_main(void *arg)
{
	struct uworker *u = arg;
	int i, b, err = 0, saw = 0;

	u->arena = mmap(NULL, 16 * ULEN + ULEN, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(u->arena, 0x33, 17 * ULEN);
	for (i = 0; i < 2; i++) {
		struct ufile *f = &u->f[i];

		f->fd = open(dev0, O_RDWR);
		if (f->fd < 0) {
			say("unbind worker %d: open: %s\n", u->idx, strerror(errno));
			return NULL;
		}
		for (b = 0; b < 2; b++) {
			struct dmaxfer_buf_alloc ba = { .length = ULEN, .chan = b };

			if (xioctl(f->fd, DMAXFER_IOC_BUF_ALLOC, &ba)) {
				say("unbind worker %d: BUF_ALLOC: %s\n", u->idx, strerror(errno));
				return NULL;
			}
			f->bufid[b] = ba.id;
			f->off[b] = ba.mmap_offset;
			f->map[b] = mmap(NULL, ULEN, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd,
					 (off_t)ba.mmap_offset);
			if (f->map[b] == MAP_FAILED)
				f->map[b] = NULL;
		}
	}
	u->align = rx_align_of(u->f[0].fd);
	__atomic_fetch_add(&sh->checks, 1, __ATOMIC_RELAXED);	/* ready */
	/*
	 * Transfer until the device goes. Transfers may fail on their own
	 * (a full FIFO times out, an abort cancels the others), but only
	 * ENODEV ends the load.
	 */
	while (!sh->stop && !saw) {
		for (i = 0; i < 2 && !saw; i++) {
			err = u_step(u, &u->f[i]);
			if (err == ENODEV)
				saw = 1;
			else if (err && err != ETIMEDOUT && err != ECANCELED && err != EIO &&
				 err != ENOMEM && err != EAGAIN)
				ucheck(U_LOAD, false, "worker %d: %s during the load", u->idx,
				       strerror(err));
		}
		if (unbound && !saw) {
			/* Unbound, but no call of ours failed yet: ask the device. */
			struct dmaxfer_chan_info ci = { .chan = 0 };

			if (xioctl(u->f[0].fd, DMAXFER_IOC_INFO, &ci) == ENODEV)
				saw = 1;
		}
		if (now_ns() > t_end_ns)
			break;
	}
	ucheck(U_SAW_ENODEV, saw, "worker %d: no ENODEV within the time bound", u->idx);
	ucheck(U_LOAD, true, "");
	/*
	 * A submit fails with ENODEV as soon as the unbind starts: check the
	 * post-unbind state only once the unbind is over (SIGUSR1).
	 */
	while (!unbound && now_ns() < t_end_ns)
		usleep(10000);
	for (i = 0; i < 2; i++)
		u_after(u, &u->f[i]);
	return NULL;
}

static int unbind_main(void)
{
	struct uworker *us = calloc(nthreads, sizeof(*us));
	pthread_t *th = calloc(nthreads, sizeof(*th));
	struct sigaction sa;
	int t, k, bad = 0;
	uint64_t nsub = 0, nrec = 0;

	t0_ns = now_ns();
	sh = shared_alloc(sizeof(*sh));
	if (!us || !th || !sh)
		return 2;
	for (k = 0; k < U_NR; k++)
		pthread_mutex_init(&ures[k].lock, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_bus;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	t_end_ns = now_ns() + (uint64_t)(tbound * 1e9);
	for (t = 0; t < nthreads; t++) {
		us[t].idx = t;
		us[t].rng = splitmix(seed + t) | 1;
		pthread_create(&th[t], NULL, uworker_main, &us[t]);
	}
	/* Ready: every worker has its files, buffers and mappings. */
	while (__atomic_load_n(&sh->checks, __ATOMIC_RELAXED) < (cnt_t)nthreads &&
	       now_ns() < t_end_ns)
		usleep(10000);
	printf("DMAXFER-UNBIND-READY %d workers\n", nthreads);
	fflush(stdout);
	for (t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	for (t = 0; t < nthreads; t++) {
		nsub += us[t].nsub;
		nrec += us[t].nrec;
	}
	printf("DMAXFER-INFO: unbind: %" PRIu64 " transfers submitted, %" PRIu64 " records reaped\n",
	       nsub, nrec);
	for (k = 0; k < U_NR; k++) {
		if (!ures[k].pass && !ures[k].fail)
			continue;
		if (ures[k].fail) {
			bad = 1;
			printf("DMAXFER-RESULT: FAIL unbind-%s: %" PRIu64 " of %" PRIu64 " failed; first: %s\n",
			       u_names[k], ures[k].fail, ures[k].fail + ures[k].pass, ures[k].why);
		} else {
			printf("DMAXFER-RESULT: PASS unbind-%s\n", u_names[k]);
		}
	}
	fflush(stdout);
	return bad;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: dmaxfer_fuzz [unbind] [-d DEV] [-e DEV2] [-s SEED] [-n OPS] [-T SECONDS]\n"
		"                    [-j THREADS] [-P PROCS] [-a ALARM_S] [-S SIMDIR|''] [-c CHECK_S] [-v]\n"
		"       unbind mode: -R leaves read()/write() out of the load\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool unbind = false;
	int o;

	if (argc > 1 && !strcmp(argv[1], "unbind")) {
		unbind = true;
		argv++;
		argc--;
		nthreads = 8;
		tbound = 60;
	}
	while ((o = getopt(argc, argv, "d:e:s:n:T:j:P:a:S:c:vR")) != -1) {
		switch (o) {
		case 'd': dev0 = optarg; break;
		case 'e': dev1 = *optarg ? optarg : NULL; break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': budget = strtoull(optarg, NULL, 0); break;
		case 'T': tbound = atof(optarg); break;
		case 'j': nthreads = atoi(optarg); break;
		case 'P': nprocs = atoi(optarg); break;
		case 'a': alarm_s = atof(optarg); break;
		case 'S': simdir = optarg; break;
		case 'c': check_every = atof(optarg); break;
		case 'v': verbose++; break;
		case 'R': no_streams = true; break;
		default: usage();
		}
	}
	if (nthreads < 1 || nprocs < 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	return unbind ? unbind_main() : fuzz_main();
}
