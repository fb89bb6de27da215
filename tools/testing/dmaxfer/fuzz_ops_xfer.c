// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz operations: transfers (SUBMIT from pool buffers and user
 * pointers, WAIT), read()/write(), poll() and raw ioctls.
 */
#include "fuzz.h"

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

void op_sub_pool(struct worker *w, struct file_t *f)
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

void op_sub_uptr(struct worker *w, struct file_t *f)
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

void op_sub_bad(struct worker *w, struct file_t *f)
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

void op_wait(struct worker *w, struct file_t *f)
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

void op_rw(struct worker *w, struct file_t *f, bool tx)
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

void op_rw_bad(struct worker *w, struct file_t *f)
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

void op_poll(struct worker *w, struct file_t *f)
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
void op_raw(struct worker *w, struct file_t *f)
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
