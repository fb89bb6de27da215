// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz unbind mode: workers transfer until the device is unbound,
 * then check every file against the post-unbind semantics.
 */
#include "fuzz.h"
#include "verdict.h"

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

int unbind_main(void)
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
		count_verdict();
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
