// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz operations: pool buffers (BUF_ALLOC, BUF_FREE, SYNC) and
 * their mappings (mmap, munmap, mremap, touching them).
 */
#include "fuzz.h"

/* ---- pool buffers ----------------------------------------------------------------- */

void op_alloc(struct worker *w, struct file_t *f)
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

void op_alloc_bad(struct worker *w, struct file_t *f)
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

void op_free(struct worker *w, struct file_t *f)
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

void op_free_bad(struct worker *w, struct file_t *f)
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

void op_sync(struct worker *w, struct file_t *f, bool bad)
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

void op_mmap(struct worker *w, struct file_t *f)
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

void op_mmap_bad(struct worker *w, struct file_t *f)
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

void op_munmap(struct worker *w, struct file_t *f)
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

void op_mremap(struct worker *w, struct file_t *f)
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

void op_touch(struct worker *w, struct file_t *f)
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
