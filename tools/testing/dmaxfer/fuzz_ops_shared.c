// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz operations: the shared file, on which several threads of
 * one process submit and reap.
 */
#include "fuzz.h"

/* ---- the shared file: several threads of one process submit and reap ------------ */

static void sh_mark(uint8_t *map, uint64_t id)
{
	map[id / 8] |= 1u << (id % 8);
}

static bool sh_test(uint8_t *map, uint64_t id)
{
	return map[id / 8] & (1u << (id % 8));
}

void op_sh_submit(struct worker *w)
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

void op_sh_wait(struct worker *w)
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
void sh_final(struct worker *w)
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
