// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: the kernel-side state the tests read and set - sysfs,
 * debugfs, module parameters, the kernel log - and the loop counts.
 * Plain helpers, usable in forked children. Part of dmaxfer_test.c.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#define PARAMS		"/sys/module/dmaxfer/parameters"
#define DMASIM_DBG	"/sys/kernel/debug/dmasim"

/* Iterations of the race loops: DMAXFER_ITERS, default 20. */
static unsigned int iters(void)
{
	const char *v = getenv("DMAXFER_ITERS");
	long n = v && *v ? strtol(v, NULL, 0) : 0;

	return n > 0 ? (unsigned int)n : 20;
}

/* The device's DMA coherence from DMAXFER_COHERENT: 1, 0, or -1 (not said). */
static int coherent_env(void)
{
	const char *v = getenv("DMAXFER_COHERENT");

	if (!v || !*v)
		return -1;
	return strcmp(v, "0") ? 1 : 0;
}

/* The name of the device under test: "dmaxfer0". */
static const char *dev_name(void)
{
	const char *d = dev_path(), *b = strrchr(d, '/');

	return b ? b + 1 : d;
}

/* Read an unsigned number from a file: 0, or errno. */
static int read_u64(const char *path, uint64_t *v)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? errno : EIO;
	buf[n] = 0;
	*v = strtoull(buf, NULL, 0);
	return 0;
}

/* Write a number to a file: 0, or errno. */
static int write_u64(const char *path, uint64_t v)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return errno;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	if (write(fd, buf, strlen(buf)) < 0)
		r = errno;
	close(fd);
	return r;
}

/* A file of the device's sysfs directory (the platform device): path. */
static const char *dev_sysfs(const char *file, char *path, size_t len)
{
	snprintf(path, len, "/sys/class/misc/%s/device/%s", dev_name(), file);
	return path;
}

/*
 * A device timeout a case changed (races.c), 0 if none: the fixture's
 * teardown puts it back should the case have failed half-way.
 */
static uint64_t saved_timeout_ms;

static void restore_timeout(void)
{
	char path[256];

	if (saved_timeout_ms)
		write_u64(dev_sysfs("timeout_ms", path, sizeof(path)), saved_timeout_ms);
	saved_timeout_ms = 0;
}

/* Sets the device timeout for the rest of the case; the teardown puts it back. */
static int set_timeout_ms(uint64_t ms)
{
	char path[256];
	uint64_t old;

	dev_sysfs("timeout_ms", path, sizeof(path));
	if (read_u64(path, &old))
		return -1;
	if (!saved_timeout_ms)
		saved_timeout_ms = old;	/* the teardown puts it back */
	return write_u64(path, ms);
}

/*
 * Transfers left in flight by a closed file (decision 9) run on until
 * their deadline, and an expiry aborts its whole channel: a later case
 * that needs its own transfer to time out alone first waits for them.
 * Cases run in forked children, so the latest such deadline
 * (CLOCK_MONOTONIC seconds) is kept in a file.
 */
#define ORPHANS_FILE	"/tmp/dmaxfer_test.orphans"

static void note_orphans(double deadline)
{
	double old = 0;
	FILE *f = fopen(ORPHANS_FILE, "r");

	if (f) {
		if (fscanf(f, "%lf", &old) != 1)
			old = 0;
		fclose(f);
	}
	if (deadline <= old)
		return;
	f = fopen(ORPHANS_FILE, "w");
	if (f) {
		fprintf(f, "%.6f\n", deadline);
		fclose(f);
	}
}

/* Wait until no transfer of a closed file can be in flight any more. */
static void settle(void)
{
	struct timespec ts;
	double until = 0, now;
	FILE *f = fopen(ORPHANS_FILE, "r");

	if (!f)
		return;
	if (fscanf(f, "%lf", &until) != 1)
		until = 0;
	fclose(f);
	until += 0.2;	/* the worker's abort, a jiffy or two late */
	/* Checked again after each sleep (see sleep_until()). */
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = ts.tv_sec + ts.tv_nsec / 1e9;
		if (now >= until)
			break;
		ts.tv_sec = (time_t)(until - now);
		ts.tv_nsec = (long)((until - now - ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* /sys/kernel/warn_count, or UINT64_MAX if the kernel has none. */
static uint64_t warn_count(void)
{
	uint64_t v;

	return read_u64("/sys/kernel/warn_count", &v) ? UINT64_MAX : v;
}

/*
 * The loopback FIFO's level: DMAXFER_FIFO_LEVEL, or the first
 * dmasim/<dev>/fifo_level in debugfs. 0, or errno (ENOENT: no knob).
 */
static int fifo_level(uint64_t *v)
{
	const char *p = getenv("DMAXFER_FIFO_LEVEL");
	struct dirent *de;
	char path[512];
	int r = ENOENT;
	DIR *d;

	if (p && *p)
		return read_u64(p, v);
	d = opendir(DMASIM_DBG);
	if (!d)
		return ENOENT;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/fifo_level", DMASIM_DBG, de->d_name);
		r = read_u64(path, v);
		if (!r)
			break;
	}
	closedir(d);
	return r;
}

/*
 * The kernel log from now on: a /dev/kmsg reader positioned at its end, or
 * -1. kmsg_trouble() then reports the first record since that looks like a
 * kernel bug (KASAN, a WARNING, a BUG, a lockdep splat).
 */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static bool kmsg_trouble(int fd, char *line, size_t len)
{
	static const char *const bad[] = {
		"KASAN", "UBSAN", "BUG:", "WARNING:", "Unable to handle", "Internal error",
		"possible circular locking", "possible recursive locking",
		"inconsistent lock state", "list_del corruption", "list_add corruption",
	};
	char rec[2048];
	unsigned int k;
	ssize_t n;

	if (fd < 0)
		return false;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			return false;
		rec[n] = 0;
		for (k = 0; k < ARRAY_SIZE(bad); k++) {
			if (strstr(rec, bad[k])) {
				const char *msg = strchr(rec, ';');
				size_t m;

				msg = msg ? msg + 1 : rec;
				m = strcspn(msg, "\n");
				if (m >= len)
					m = len - 1;
				memcpy(line, msg, m);
				line[m] = 0;
				return true;
			}
		}
	}
}

/* Drop CAP_IPC_LOCK from this process's effective and permitted sets. */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return errno;
	d[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
	d[CAP_IPC_LOCK / 32].permitted &= ~(1U << (CAP_IPC_LOCK % 32));
	d[CAP_IPC_LOCK / 32].inheritable &= ~(1U << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &h, d) ? errno : 0;
}

/*
 * The alignment of both ends of a zero-copy buffer on channel c (decision
 * 16): for rx, INFO's rx_align (the DMA cache line where the device is not
 * coherent); before INFO had it, 64, which is valid on any arm device.
 */
#define DMA_ALIGN_DEFAULT	64

/*
 * The rx_align a non-coherent device must report: the kernel's
 * dma_get_cache_alignment(), which user space cannot read. The board's
 * script says it in DMAXFER_DMA_ALIGN (arm64: 128 before Linux 6.5, then
 * the cache line, 64 on QEMU's CPUs); 64 if it does not.
 */
static size_t dma_align_expected(void)
{
	const char *e = getenv("DMAXFER_DMA_ALIGN");

	return e && *e ? strtoul(e, NULL, 0) : DMA_ALIGN_DEFAULT;
}

static size_t zc_align(const struct dmaxfer_chan_info *ci, uint32_t c)
{
	size_t bw = ci[c].bus_width ? ci[c].bus_width : 1;

	if (c != RX)
		return bw;
	if (ci[RX].rx_align)
		return ci[RX].rx_align > bw ? ci[RX].rx_align : bw;
	return bw < DMA_ALIGN_DEFAULT ? DMA_ALIGN_DEFAULT : bw;
}
