// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz operations: fork; the child does a few operations and exits.
 */
#include "fuzz.h"

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

void op_fork(struct worker *w)
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
