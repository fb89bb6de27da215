// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz: clocks, the PRNG (splitmix64 seeding, xorshift64*) and
 * small wrappers: ioctl errno, channel capabilities, random lengths.
 */
#include "fuzz.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

cnt_t now_ms1(void)
{
	return (cnt_t)((now_ns() - t0_ns) / 1000000) + 1;
}

pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* ---- PRNG: splitmix64 seeding, xorshift64* ---------------------------------- */

uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* rx_align of a file's rx channel (at least 4, the bus width here). */
uint32_t rx_align_of(int fd)
{
	struct dmaxfer_chan_info ci;

	memset(&ci, 0, sizeof(ci));
	ci.chan = DMAXFER_CHAN_RX;
	if (ioctl(fd, DMAXFER_IOC_INFO, &ci) || ci.rx_align < 4)
		return 4;
	return ci.rx_align;
}

uint64_t rnd(struct worker *w)
{
	uint64_t x = w->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	w->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t rn(struct worker *w, uint64_t n)
{
	return n ? rnd(w) % n : 0;
}

bool chance(struct worker *w, unsigned int pct)
{
	return rn(w, 100) < pct;
}

/* ---- small wrappers ------------------------------------------------------------ */

int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

bool present(struct file_t *f, int c)
{
	return c >= 0 && c < 2 && (f->ci[c].flags & DMAXFER_INFO_PRESENT);
}

uint32_t bw(struct file_t *f, int c)
{
	return present(f, c) && f->ci[c].bus_width ? f->ci[c].bus_width : 4;
}

/* Alignment of a zero-copy buffer: rx_align for rx (cache lines), else the bus width. */
uint32_t ualign(struct file_t *f, int c)
{
	uint32_t a = bw(f, c);

	if (c == RX && present(f, c) && f->ci[c].rx_align > a)
		a = f->ci[c].rx_align;
	return a;
}

bool can_tx(struct file_t *f)
{
	return (f->oflags & O_ACCMODE) != O_RDONLY;
}

bool can_rx(struct file_t *f)
{
	return (f->oflags & O_ACCMODE) != O_WRONLY;
}

/* May channel @c be used by this file's mode (tx: FMODE_WRITE, rx: FMODE_READ)? */
bool mode_ok(struct file_t *f, int c)
{
	return c == TX ? can_tx(f) : can_rx(f);
}

/* A length: mostly small, sometimes up to 256 KiB, a multiple of @b. */
uint64_t rlen(struct worker *w, uint32_t b, uint64_t max)
{
	uint64_t n, k;

	k = rn(w, 100);
	if (k < 2)
		n = rn(w, 262144);
	else if (k < 10)
		n = rn(w, 65536);
	else
		n = rn(w, 4096);
	n -= n % b;
	if (!n)
		n = b;
	if (max && n > max)
		n = max - max % b;
	return n ? n : b;
}
