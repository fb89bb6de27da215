// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.h - private header of dmaxfer_fuzz (fuzz_*.c): the limits, the list
 * of operations, the state of workers and files, the options and the
 * functions the parts share. fuzz_main.c describes the tool.
 */
#ifndef DMAXFER_FUZZ_H
#define DMAXFER_FUZZ_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dmaxfer.h>

#include "pattern.h"

#define TX		DMAXFER_CHAN_TX
#define RX		DMAXFER_CHAN_RX
#define MAXW		64		/* workers in all processes */
#define NFD		3		/* private files per worker */
#define MAXB		8		/* pool buffers tracked per file */
#define MAXX		160		/* outstanding transfers tracked per file */
#define NERR		136
#define ARENA		(1024 * 1024)
#define SHIDS		(1u << 20)	/* ids tracked on a shared file */
#define RING		16
#define PG		4096UL

#define RESIZE(cmd, n)	_IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), (n))

/* ---- operations and the histogram ---------------------------------------- */

#define OPS(X) X(open) X(close) X(info) X(info_bad) X(alloc) X(alloc_bad) \
	X(free) X(free_bad) X(sub_pool) X(sub_uptr) X(sub_bad) X(wait_id) \
	X(wait_any) X(wait_bad) X(sync) X(sync_bad) X(mmap) X(mmap_bad) \
	X(munmap) X(mremap) X(touch) X(read) X(write) X(rw_bad) X(poll) \
	X(fork) X(child) X(raw_ioctl) X(sh_submit) X(sh_wait) X(check)
#define OP_ENUM(n) OP_##n,
#define OP_NAME(n) #n,
enum { OPS(OP_ENUM) NR_OPS };
extern const char *const op_names[];

/* Counters shared between processes: word-sized, for 32-bit atomics. */
typedef unsigned long cnt_t;

struct wslot {
	cnt_t start_ms;			/* ms since t0, + 1; 0: not in an operation */
	volatile int op;
	volatile int pid, tid;
};

struct shared {
	pthread_rwlock_t datalock;	/* write-held by the data check */
	volatile int stop;
	cnt_t violations;
	cnt_t hist[NR_OPS][NERR];
	cnt_t op_ms[NR_OPS];		/* time spent in each operation */
	cnt_t checks, verified, stall_ms;
	struct wslot w[MAXW];
};
extern struct shared *sh;

/* ---- options (fuzz_main.c) ------------------------------------------------- */

extern const char *dev0, *dev1;
extern const char *simdir;
extern uint64_t seed, budget;
extern double tbound, alarm_s, check_every;
extern int nthreads, nprocs, verbose;
extern bool no_streams;		/* unbind mode: no read()/write() in the load */
extern bool do_data;
extern uint64_t t_end_ns, t0_ns;

/* ---- the state of files and workers ------------------------------------------ */

struct file_t;

struct xrec {
	uint64_t id, len, udata;
	uint32_t chan;
};

struct pbuf {
	uint32_t id, chan;
	uint64_t len, off;
	char *map;
	size_t maplen;
};

struct file_t {
	int fd, oflags, dev;
	bool raw;			/* records not tracked */
	bool idfail;			/* a submit may have used an id */
	uint64_t last_id;
	struct dmaxfer_chan_info ci[2];
	struct pbuf b[MAXB];
	int nb;
	struct xrec x[MAXX];
	int nx;
};

struct orphan {
	char *map;
	size_t len;
};

struct shfile {
	pthread_mutex_t lock;
	int fd;
	uint8_t *submitted, *reaped;	/* bitmaps over ids */
	uint64_t nsub, nreap;
	uint32_t align;			/* of pointers and lengths, both channels */
};

struct ringent {
	int op, err;
	uint64_t a, b;
};

struct worker {
	int idx;
	uint64_t rng, ops, budget;
	struct file_t f[NFD + 1];	/* f[NFD]: the raw file */
	struct orphan orph[16];
	int norph;
	char *arena;			/* user memory for USER_PTR, read, write */
	char *ro, *none;		/* a read-only and an inaccessible page */
	struct shfile *shf;
	struct ringent ring[RING];
	unsigned int rpos;
	bool checker, child;
	int chkfd;
	uint64_t next_check;
	uint64_t chk_seed;
};

#define ERRS(...) ((const int[]){ __VA_ARGS__, 0 })

/* fuzz_data_check.c */
int sim_idle(void);
void data_check(struct worker *w);

/* fuzz_main.c */

/* fuzz_ops_file.c */
void file_forget(struct worker *w, struct file_t *f);
void op_open(struct worker *w, struct file_t *f, bool raw);
int find_x(struct file_t *f, uint64_t id);
void check_record(struct worker *w, struct file_t *f, const struct dmaxfer_completion *c,
		  bool any, uint64_t want_id);
void do_wait(struct worker *w, struct file_t *f, bool any, bool nb, uint64_t id);

/* fuzz_ops_fork.c */
void op_fork(struct worker *w);

/* fuzz_ops_mem.c */
void op_alloc(struct worker *w, struct file_t *f);
void op_alloc_bad(struct worker *w, struct file_t *f);
void op_free(struct worker *w, struct file_t *f);
void op_free_bad(struct worker *w, struct file_t *f);
void op_sync(struct worker *w, struct file_t *f, bool bad);
void op_mmap(struct worker *w, struct file_t *f);
void op_mmap_bad(struct worker *w, struct file_t *f);
void op_munmap(struct worker *w, struct file_t *f);
void op_mremap(struct worker *w, struct file_t *f);
void op_touch(struct worker *w, struct file_t *f);

/* fuzz_ops_shared.c */
void op_sh_submit(struct worker *w);
void op_sh_wait(struct worker *w);
void sh_final(struct worker *w);

/* fuzz_ops_xfer.c */
void op_sub_pool(struct worker *w, struct file_t *f);
void op_sub_uptr(struct worker *w, struct file_t *f);
void op_sub_bad(struct worker *w, struct file_t *f);
void op_wait(struct worker *w, struct file_t *f);
void op_rw(struct worker *w, struct file_t *f, bool tx);
void op_rw_bad(struct worker *w, struct file_t *f);
void op_poll(struct worker *w, struct file_t *f);
void op_raw(struct worker *w, struct file_t *f);

/* fuzz_report.c */
const char *ename(int e, char *buf, size_t n);
void hist(int op, int err);
void say(const char *fmt, ...);
void viol(struct worker *w, const char *fmt, ...);
void op_begin(struct worker *w, int op);
void op_end(struct worker *w, int op, int err, uint64_t a, uint64_t b);
bool expect(struct worker *w, const char *what, int err, const int *ok);

/* fuzz_run.c */
void print_summary(double secs);
void *shared_alloc(size_t n);
int fuzz_main(void);

/* fuzz_unbind.c */
int unbind_main(void);

/* fuzz_util.c */
uint64_t now_ns(void);
cnt_t now_ms1(void);
pid_t gettid_(void);
uint64_t splitmix(uint64_t x);
uint32_t rx_align_of(int fd);
uint64_t rnd(struct worker *w);
uint64_t rn(struct worker *w, uint64_t n);
bool chance(struct worker *w, unsigned int pct);
int xioctl(int fd, unsigned long cmd, void *arg);
bool present(struct file_t *f, int c);
uint32_t bw(struct file_t *f, int c);
uint32_t ualign(struct file_t *f, int c);
bool can_tx(struct file_t *f);
bool can_rx(struct file_t *f);
bool mode_ok(struct file_t *f, int c);
uint64_t rlen(struct worker *w, uint32_t b, uint64_t max);

/* fuzz_watchdog.c */
void *watchdog_main(void *arg);

/* fuzz_worker.c */
void *worker_main(void *arg);

#endif /* DMAXFER_FUZZ_H */
