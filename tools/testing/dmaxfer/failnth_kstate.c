// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_failnth: arming fail-nth, and the kernel state checked around
 * each iteration (DMA-API debug entries, pinned pages, warnings).
 */
#include "failnth.h"

/* ---- fail-nth ------------------------------------------------------------ */

int arm_nth(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	return write(fnfd, s, len) == len ? 0 : -1;
}

/* What is left of the armed N (0: the fault was injected); resets it to 0. */
long disarm_nth(void)
{
	char s[32];
	ssize_t n = pread(fnfd, s, sizeof(s) - 1, 0);
	long left;

	if (n <= 0)
		return -1;
	s[n] = 0;
	left = strtol(s, NULL, 10);
	if (left && write(fnfd, "0", 1) != 1)
		return -1;
	return left;
}

/* ---- what is checked around each iteration ------------------------------ */

static long long pins(void)
{
	return vmstat("nr_foll_pin_acquired") - vmstat("nr_foll_pin_released");
}

/*
 * The pin counters are vmstat node counters: each CPU keeps a delta that
 * is folded in only past a threshold or once a second, so a page pinned
 * on one CPU and unpinned on the other can look like a leak (or a
 * negative one) for a while. When they differ from @want, fold them
 * (stat_refresh, a work item on every CPU: too slow for every reading)
 * and read again.
 */
static long long pins_settled(long long want)
{
	long long n = pins();

	if (n == want || write_file("/proc/sys/vm/stat_refresh", "1"))
		return n;
	return pins();
}

bool kstate_read(struct kstate *k, const struct kstate *base)
{
	char off[8] = "";
	bool ok = true;

	if (read_file("/sys/kernel/debug/dma-api/disabled", off, sizeof(off)))
		ok = false;
	k->dma_off = off[0] != 'N';
	k->dma_live = read_num("/sys/kernel/debug/dma-api/nr_total_entries", &ok) -
		      read_num("/sys/kernel/debug/dma-api/num_free_entries", &ok);
	if (!base)
		write_file("/proc/sys/vm/stat_refresh", "1");
	k->pins = base ? pins_settled(base->pins) : pins();
	k->warns = read_num("/sys/kernel/warn_count", &ok);
	k->dma_errors = read_num("/sys/kernel/debug/dma-api/error_count", &ok);
	return ok && vmstat("nr_foll_pin_acquired") >= 0;
}

/*
 * Read the counters after a clean-up, until the mappings and pins are back
 * to @base or 3 s have passed: a file closed with transfers in flight may
 * end them in a worker after close() returned.
 */
bool kstate_settle(struct kstate *k, const struct kstate *base)
{
	int i;

	for (i = 0; i < 300; i++) {
		if (!kstate_read(k, base))
			return false;
		if (k->dma_live == base->dma_live && k->pins == base->pins)
			break;
		usleep(10000);
	}
	return true;
}

/* The kernel's count of injected faults: "times" counts down. */
void fi_times(long long *slab, long long *page)
{
	*slab = read_num("/sys/kernel/debug/failslab/times", NULL);
	*page = read_num("/sys/kernel/debug/fail_page_alloc/times", NULL);
}

