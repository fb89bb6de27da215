// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz operations: open/close of a worker's files and the
 * checks of completion records (WAIT, WAIT_ANY).
 */
#include "fuzz.h"

/* ---- files ------------------------------------------------------------------------ */

void file_forget(struct worker *w, struct file_t *f)
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

void op_open(struct worker *w, struct file_t *f, bool raw)
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

int find_x(struct file_t *f, uint64_t id)
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

void check_record(struct worker *w, struct file_t *f, const struct dmaxfer_completion *c,
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

void do_wait(struct worker *w, struct file_t *f, bool any, bool nb, uint64_t id)
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
