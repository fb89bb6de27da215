// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz: reporting: errno names, the histogram, violations,
 * the per-worker ring of recent operations, documented-errno checks.
 */
#include "fuzz.h"

const char *const op_names[] = { OPS(OP_NAME) };

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

const char *ename(int e, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].e == e)
			return errnames[i].n;
	snprintf(buf, n, "E%d", e);
	return buf;
}

void hist(int op, int err)
{
	if (err < 0 || err >= NERR)
		err = NERR - 1;
	__atomic_fetch_add(&sh->hist[op][err], 1, __ATOMIC_RELAXED);
}

/* Async-signal-safe enough for a forked child: no malloc, no stdio lock. */
void say(const char *fmt, ...)
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

void viol(struct worker *w, const char *fmt, ...)
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

void op_begin(struct worker *w, int op)
{
	struct wslot *s = &sh->w[w->idx];

	s->op = op;
	__atomic_store_n(&s->start_ms, now_ms1(), __ATOMIC_RELEASE);
}

void op_end(struct worker *w, int op, int err, uint64_t a, uint64_t b)
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
bool expect(struct worker *w, const char *what, int err, const int *ok)
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

