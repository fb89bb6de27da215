// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz - seeded fuzzer of the /dev/dmaxfer<N> user-space ABI.
 *
 *   dmaxfer_fuzz [-d DEV] [-e DEV2] [-s SEED] [-n OPS] [-T SECONDS]
 *                [-j THREADS] [-P PROCS] [-a ALARM_S] [-S SIMDIR] [-v]
 *   dmaxfer_fuzz unbind [-d DEV] [-j THREADS] [-T SECONDS] [-s SEED]
 *
 * Fuzz mode: PROCS processes of THREADS workers each drive random
 * sequences of every ioctl, mmap/munmap/mremap of pool buffers, read,
 * write, poll, fork and close/reopen, with valid and invalid arguments,
 * until OPS operations were done in total or SECONDS passed. Worker w
 * (0 .. PROCS*THREADS-1) draws everything from its own PRNG seeded from
 * SEED + w, so the sequence of operations each worker tries is a function
 * of the seed; the interleaving of the workers is not.
 *
 * Invariants checked from user space (a violation makes the exit status 1):
 *  - every errno is one documented for that call and that argument;
 *  - a completion record names a transfer of this file that was submitted
 *    and not reaped yet, with its channel, user_data and length;
 *    status 0 means residue 0; records of one channel come in submission
 *    order; WAIT_ANY says ENODATA only when nothing is outstanding;
 *  - poll() reports POLLIN exactly when a record is ready (checked on
 *    files only one worker uses);
 *  - data: with dmasim's debugfs (SIMDIR), worker 0 periodically takes
 *    the FIFO for itself (every other worker is held off by a
 *    process-shared rwlock and every dmasim channel must go idle), flushes
 *    it and checks that what it sends comes back byte for byte, through
 *    write()/read(), pool buffers and user pages;
 *  - no operation takes longer than ALARM_S seconds (a watchdog, since
 *    alarm() is per process): then it prints the stuck worker, its
 *    kernel stack, asks sysrq for the blocked tasks and exits 3.
 *
 * Unbind mode (scripts/guest/virt64-unbind.sh): THREADS workers transfer
 * on their own files, with pool buffers mapped and records left unreaped,
 * until the device is unbound (the script does it, then sends SIGUSR1);
 * then every file is checked against the post-unbind semantics and one
 * DMAXFER-RESULT line is printed per check.
 *
 * This file: the options and main(). The rest is in fuzz_*.c, around the
 * private header fuzz.h.
 */
#include "fuzz.h"

struct shared *sh;

/* ---- options --------------------------------------------------------------- */

const char *dev0 = "/dev/dmaxfer0", *dev1;
const char *simdir = "/sys/kernel/debug/dmasim/dmasim";
uint64_t seed = 1, budget = 100000;
double tbound = 90, alarm_s = 10, check_every = 3.0;
int nthreads = 4, nprocs = 2, verbose;
bool no_streams;		/* unbind mode: no read()/write() in the load */
bool do_data;
uint64_t t_end_ns, t0_ns;

static void usage(void)
{
	fprintf(stderr,
		"usage: dmaxfer_fuzz [unbind] [-d DEV] [-e DEV2] [-s SEED] [-n OPS] [-T SECONDS]\n"
		"                    [-j THREADS] [-P PROCS] [-a ALARM_S] [-S SIMDIR|''] [-c CHECK_S] [-v]\n"
		"       unbind mode: -R leaves read()/write() out of the load\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool unbind = false;
	int o;

	if (argc > 1 && !strcmp(argv[1], "unbind")) {
		unbind = true;
		argv++;
		argc--;
		nthreads = 8;
		tbound = 60;
	}
	while ((o = getopt(argc, argv, "d:e:s:n:T:j:P:a:S:c:vR")) != -1) {
		switch (o) {
		case 'd': dev0 = optarg; break;
		case 'e': dev1 = *optarg ? optarg : NULL; break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': budget = strtoull(optarg, NULL, 0); break;
		case 'T': tbound = atof(optarg); break;
		case 'j': nthreads = atoi(optarg); break;
		case 'P': nprocs = atoi(optarg); break;
		case 'a': alarm_s = atof(optarg); break;
		case 'S': simdir = optarg; break;
		case 'c': check_every = atof(optarg); break;
		case 'v': verbose++; break;
		case 'R': no_streams = true; break;
		default: usage();
		}
	}
	if (nthreads < 1 || nprocs < 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	return unbind ? unbind_main() : fuzz_main();
}
