// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_failnth - systematic fault injection into the calls of
 * /dev/dmaxfer<N> with /proc/thread-self/fail-nth (see the kernel's
 * Documentation/fault-injection/fault-injection.rst).
 *
 * For each call (open, the ioctls, mmap, read, write) and N = 1, 2, ...:
 * set the call's state up, write N to fail-nth, make the call, read
 * fail-nth back. 0 means the N-th fault-checked allocation of the call was
 * failed (the fault was injected); a positive value means the call made
 * fewer than N such allocations, so it ran without a fault and the sweep of
 * that call ends. Every iteration then undoes what it set up (close,
 * munmap, FIFO flush) and checks that the kernel is back where it was:
 *
 * - a call that failed under an injected fault gave one of its clean
 *   errnos (ENOMEM; EIO where a DMA descriptor could not be prepared) and
 *   left nothing behind (a failed tx transfer sent nothing, a failed rx
 *   transfer took nothing from the FIFO);
 * - a call that succeeded (with or without a fault the kernel absorbed)
 *   did its job: the data went through, byte for byte;
 * - DMA-API debug's live entries (nr_total_entries - num_free_entries:
 *   streaming mappings and coherent buffers) and the pinned pages
 *   (nr_foll_pin_acquired - nr_foll_pin_released in /proc/vmstat) are
 *   back to their value before the sweep;
 * - /sys/kernel/warn_count (WARN, KASAN, UBSAN) and DMA-API debug's
 *   error_count did not move.
 *
 * The kernel's own count of injected faults, the decrement of "times" in
 * /sys/kernel/debug/{failslab,fail_page_alloc}/ (set it high: fail-nth
 * decrements it on each injection), must match, and tells slab faults from
 * page faults. A call into which no fault could be injected fails (it
 * proves nothing), unless it is named with -z: a call that makes no
 * fault-checked allocation at all (then SKIP).
 *
 * The environment (the guest's scripts/guest/virt64-faultinj.sh) sets up
 * failslab and fail_page_alloc so that fail-nth reaches every allocation:
 * ignore-gfp-wait=N, min-order=0, ignore-gfp-highmem=N.
 *
 * Output: lines for the QEMU harness (Documentation/testing.rst):
 * "DMAXFER-INFO: fi CALL N=n: ..." per iteration, a summary per call, and
 * "DMAXFER-RESULT: PASS|FAIL|SKIP faultinj-CALL[: why]".
 *
 * Usage: dmaxfer_failnth [-d DEV] [-s SIMDIR] [-n MAXN] [-z CALL,...]
 *        [-q] [-c] [CALL...]    (default: every call, in the order below)
 * With -c nothing is failed: each call runs once with an N it cannot
 * reach, and the allocations it made are counted ("fi count CALL K"),
 * which shows what the failslab/fail_page_alloc filters let through.
 *
 * This file: the options and main(). The rest is in failnth_*.c, around
 * the private header failnth.h.
 */
#include "failnth.h"

const char *dev = "/dev/dmaxfer0";
const char *simdir = "/sys/kernel/debug/dmasim/dmasim";
unsigned int max_n = 400;
const char *no_alloc_ok = "";
bool quiet, count_only;
int fnfd = -1;		/* /proc/thread-self/fail-nth */

uint8_t txbuf[BUFSZ] __attribute__((aligned(PG)));
uint8_t rxbuf[BUFSZ] __attribute__((aligned(PG)));

static void usage(void)
{
	size_t i;

	fprintf(stderr,
		"usage: dmaxfer_failnth [-d DEV] [-s SIMDIR] [-n MAXN] [-z CALL,...] [-q] [-c] [CALL...]\n"
		"  -d DEV     device (default /dev/dmaxfer0, a dmasim loopback)\n"
		"  -s SIMDIR  dmasim debugfs directory with fifo_level, fifo_flush\n"
		"             (default /sys/kernel/debug/dmasim/dmasim)\n"
		"  -n MAXN    give up on a call still failing at N = MAXN (default 400)\n"
		"  -z LIST    calls that may make no fault-checked allocation (SKIP, not FAIL)\n"
		"  -q         print only the iterations that failed a check\n"
		"  -c         inject nothing: count each call's fault-checked allocations\n"
		"calls:");
	for (i = 0; i < NCALLS; i++)
		fprintf(stderr, " %s", calls[i].name);
	fprintf(stderr, "\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct tally t = { 0 };
	struct pattern p;
	unsigned int nfail = 0;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "d:s:n:z:qch")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 's': simdir = optarg; break;
		case 'n': max_n = strtoul(optarg, NULL, 0); break;
		case 'z': no_alloc_ok = optarg; break;
		case 'q': quiet = true; break;
		case 'c': count_only = true; break;
		default: usage();
		}
	}
	for (opt = optind; opt < argc; opt++) {
		for (i = 0; i < NCALLS; i++)
			if (!strcmp(argv[opt], calls[i].name))
				break;
		if (i == NCALLS)
			usage();
	}

	pattern_init(&p, SEED);
	pattern_fill(&p, txbuf, sizeof(txbuf));
	memset(rxbuf, 0x5a, sizeof(rxbuf));
	/*
	 * No page fault of our own may land inside a fail-nth window: they
	 * would consume the armed N (or, with ignore-gfp-highmem=N, fail a
	 * user page fault outside any system call and wake the OOM killer).
	 * MCL_CURRENT only: the "unfaulted" rx buffer must stay unfaulted.
	 */
	if (mlockall(MCL_CURRENT)) {
		perror("mlockall");
		return 1;
	}
	fnfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fnfd < 0) {
		perror("/proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION?)");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	pin_cpu();

	for (i = 0; i < NCALLS; i++) {
		bool want = optind == argc;

		for (opt = optind; opt < argc; opt++)
			want |= !strcmp(argv[opt], calls[i].name);
		if (!want)
			continue;
		if (count_only ? !count(&calls[i]) : !sweep(&calls[i], &t))
			nfail++;
	}
	if (count_only)
		return nfail ? 1 : 0;
	printf("DMAXFER-INFO: fi sweep size: %u calls swept, %u calls made under fail-nth, "
	       "%u faults injected (slab %u, page %u), %u calls failed a check\n",
	       t.calls, t.iterations, t.injected, t.slab, t.page, nfail);
	return nfail ? 1 : 0;
}
