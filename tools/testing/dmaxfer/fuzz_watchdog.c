// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz: the watchdog: no operation may take longer than alarm_s.
 */
#include "fuzz.h"

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

void *watchdog_main(void *arg)
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

