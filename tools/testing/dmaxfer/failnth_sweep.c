// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_failnth: the sweep of one call over N = 1, 2, ... and the
 * count of its fault-checked allocations (-c).
 */
#include "failnth.h"
#include "verdict.h"

/* ---- the sweep ----------------------------------------------------------- */

/*
 * DMA-API debug tracks the cachelines of every DMA_FROM_DEVICE mapping in
 * a radix tree whose nodes it allocates with GFP_ATOMIC in the mapping
 * call, and switches itself off for good when that fails ("cacheline
 * tracking ENOMEM, dma-debug disabled"): a fault injected there would
 * blind every later mapping check. Such an allocation that fails falls
 * back to the CPU's radix-tree preload pool, which alloc_pid() refills
 * (idr_preload()). So the sweep runs on one CPU, and a vfork() before
 * each call fills that CPU's pool again: the fault is then absorbed.
 */
void pin_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void refill_preload(void)
{
	pid_t pid = vfork();

	if (!pid)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void say_result(const char *verdict, const char *name, const char *why)
{
	count_verdict();
	printf("DMAXFER-RESULT: %s faultinj-%s%s%s\n", verdict, name, why[0] ? ": " : "",
	       why);
}

/* Keep the first failure's reason only. */
__attribute__((format(printf, 3, 4)))
static void note(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (dst[0])
		return;
	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

/* Append to @dst. */
__attribute__((format(printf, 3, 4)))
static void add(char *dst, size_t len, const char *fmt, ...)
{
	size_t used = strlen(dst);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + used, len - used, fmt, ap);
	va_end(ap);
}

bool sweep(const struct call *cl, struct tally *t)
{
	char fail[320] = "", outcomes[160] = "", leak[200] = "";
	unsigned int n, last = 0, nerr[3] = { 0 }, nshort = 0, nabsorbed = 0;
	unsigned int injected = 0, slab = 0, page = 0;
	struct kstate k0, k;
	bool done = false;
	long left = 0;
	size_t i;

	if (!kstate_read(&k0, NULL)) {
		say_result("FAIL", cl->name, "cannot read the DMA-API debug or vmstat counters");
		return false;
	}
	for (n = 1; n <= max_n && !done; n++) {
		struct ctx c = { .fd = -1 };
		long long s0, p0, s1, p1;
		bool inj, ok = true;
		char line[480] = "";
		long ret;
		int err;

		if (cl->setup && cl->setup(&c)) {
			note(fail, sizeof(fail), "set-up failed at N=%u: %s", n, errname(errno));
			teardown(&c);
			break;
		}
		refill_preload();
		fi_times(&s0, &p0);
		if (arm_nth(n)) {
			note(fail, sizeof(fail), "cannot write fail-nth");
			teardown(&c);
			break;
		}
		ret = cl->call(&c);
		err = errno;
		left = disarm_nth();
		fi_times(&s1, &p1);
		last = n;
		t->iterations++;
		if (left < 0) {
			note(fail, sizeof(fail), "cannot read fail-nth back");
			teardown(&c);
			break;
		}
		inj = left == 0;
		if (inj) {
			injected++;
			slab += s0 - s1;
			page += p0 - p1;
			add(line, sizeof(line), "fault injected (%s)",
			    s0 - s1 ? "slab" : p0 - p1 ? "page" : "?");
		} else {
			add(line, sizeof(line), "no fault left (%ld of %u unused)", left, n);
			done = true;
		}
		/* The kernel's count must agree with fail-nth. */
		if ((s0 - s1) + (p0 - p1) != (inj ? 1 : 0)) {
			ok = false;
			add(line, sizeof(line), ", but failslab/fail_page_alloc counted %lld/%lld",
			    s0 - s1, p0 - p1);
		}

		if (ret < 0) {
			for (i = 0; i < 3 && cl->errnos[i]; i++)
				if (cl->errnos[i] == err)
					break;
			add(line, sizeof(line), ", failed with %s (%d)", errname(err), err);
			if (!inj) {
				ok = false;
				add(line, sizeof(line), " without a fault");
			} else if (i < 3 && cl->errnos[i]) {
				nerr[i]++;
			} else {
				ok = false;
				add(line, sizeof(line), ": not a clean errno for this call");
			}
			if (inj && cl->check_failed && !cl->check_failed(&c)) {
				ok = false;
				add(line, sizeof(line), "; left something behind: %s", c.why);
			}
		} else {
			bool short_io = cl->full && ret != (long)cl->full;

			if (!inj)
				add(line, sizeof(line), ", succeeded, returned %ld", ret);
			else if (short_io)
				nshort++, add(line, sizeof(line), ", short count %ld", ret);
			else
				nabsorbed++, add(line, sizeof(line),
						 ", absorbed: succeeded, returned %ld", ret);
			if (short_io && !inj) {
				ok = false;
				add(line, sizeof(line), " (short without a fault)");
			}
			if (cl->check_ok && !cl->check_ok(&c, ret)) {
				ok = false;
				add(line, sizeof(line), "; but %s", c.why);
			}
		}
		teardown(&c);
		if (!kstate_settle(&k, &k0)) {
			note(fail, sizeof(fail), "cannot read the counters after N=%u", n);
			break;
		}
		if (k.dma_live != k0.dma_live || k.pins != k0.pins) {
			ok = false;
			add(line, sizeof(line),
			    "; LEAK: DMA-API live entries %+lld, pinned pages %+lld after clean-up",
			    k.dma_live - k0.dma_live, k.pins - k0.pins);
			if (!leak[0])
				snprintf(leak, sizeof(leak),
					 "N=%u: DMA-API live entries %+lld, pinned pages %+lld",
					 n, k.dma_live - k0.dma_live, k.pins - k0.pins);
		}
		if (k.dma_off && !k0.dma_off) {
			ok = false;
			add(line, sizeof(line),
			    "; DMA-API debug disabled itself (kernel log above): no mapping is checked from here on");
			k0.dma_off = true;
		}
		if (k.warns != k0.warns || k.dma_errors != k0.dma_errors) {
			ok = false;
			add(line, sizeof(line),
			    "; kernel warn_count %+lld, DMA-API error_count %+lld (kernel log above)",
			    k.warns - k0.warns, k.dma_errors - k0.dma_errors);
			k0.warns = k.warns;
			k0.dma_errors = k.dma_errors;
		}
		if (!ok)
			note(fail, sizeof(fail), "N=%u: %s", n, line);
		if (!ok || !quiet)
			printf("DMAXFER-INFO: fi %s N=%u: %s%s\n", cl->name, n, line,
			       ok ? "" : " [FAIL]");
	}
	if (!done)
		note(fail, sizeof(fail), "still failing at N=%u", last);

	for (i = 0; i < 3 && cl->errnos[i]; i++)
		if (nerr[i])
			add(outcomes, sizeof(outcomes), "%s%s x%u", outcomes[0] ? ", " : "",
			    errname(cl->errnos[i]), nerr[i]);
	if (nshort)
		add(outcomes, sizeof(outcomes), "%sshort count x%u", outcomes[0] ? ", " : "",
		    nshort);
	if (nabsorbed)
		add(outcomes, sizeof(outcomes), "%sabsorbed x%u", outcomes[0] ? ", " : "",
		    nabsorbed);
	if (done)
		printf("DMAXFER-INFO: fi %s: succeeded at N=%u after %u injected faults "
		       "(slab %u, page %u), %ld fault-checked allocations%s%s\n",
		       cl->name, last, injected, slab, page, (long)last - left,
		       outcomes[0] ? "; outcomes: " : "", outcomes);
	else
		printf("DMAXFER-INFO: fi %s: stopped at N=%u after %u injected faults "
		       "(slab %u, page %u)%s%s\n", cl->name, last, injected, slab, page,
		       outcomes[0] ? "; outcomes: " : "", outcomes);
	if (kstate_read(&k, &k0))
		printf("DMAXFER-INFO: fi %s: DMA-API live entries %lld (before the sweep %lld), "
		       "pinned pages %lld (before %lld)\n",
		       cl->name, k.dma_live, k0.dma_live, k.pins, k0.pins);
	t->injected += injected;
	t->slab += slab;
	t->page += page;
	t->calls++;

	if (leak[0])
		note(fail, sizeof(fail), "leak at %s", leak);
	if (fail[0]) {
		say_result("FAIL", cl->name, fail);
		return false;
	}
	if (!injected) {
		if (in_list(no_alloc_ok, cl->name)) {
			printf("DMAXFER-INFO: fi %s: no fault injected: the call makes no "
			       "fault-checked allocation\n", cl->name);
			say_result("SKIP", cl->name,
				   "no fault-checked allocation to fail in this call");
			return true;
		}
		say_result("FAIL", cl->name,
			   "no fault injected: the call made no fault-checked allocation");
		return false;
	}
	say_result("PASS", cl->name, "");
	return true;
}

/*
 * -c: count the fault-checked allocations of one call without failing any
 * (an N larger than the call can reach), to compare fault settings.
 */
bool count(const struct call *cl)
{
	struct ctx c = { .fd = -1 };
	long ret, left;

	if (cl->setup && cl->setup(&c)) {
		teardown(&c);
		printf("DMAXFER-INFO: fi count %s: set-up failed\n", cl->name);
		return false;
	}
	if (arm_nth(1000000))
		return false;
	ret = cl->call(&c);
	left = disarm_nth();
	/* Reap and check what it started, so that nothing outlives it. */
	if (ret >= 0 && left > 0 && cl->check_ok && !cl->check_ok(&c, ret))
		printf("DMAXFER-INFO: fi count %s: %s\n", cl->name, c.why);
	teardown(&c);
	if (ret < 0 || left <= 0) {
		printf("DMAXFER-INFO: fi count %s: failed (%ld, fail-nth %ld)\n", cl->name,
		       ret, left);
		return false;
	}
	printf("DMAXFER-INFO: fi count %s %ld\n", cl->name, 1000000 - left);
	return true;
}

