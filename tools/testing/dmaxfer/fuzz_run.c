// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz fuzz mode: the processes of workers, the shared counters
 * and the summary.
 */
#include "fuzz.h"

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

void print_summary(double secs)
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

void *shared_alloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int fuzz_main(void)
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
