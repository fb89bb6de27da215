// SPDX-License-Identifier: GPL-2.0
/*
 * failnth.h - private header of dmaxfer_failnth (failnth_*.c): the sizes
 * of the transfers, the options, the state of one call under test and the
 * functions the parts share. failnth_main.c describes the tool.
 */
#ifndef DMAXFER_FAILNTH_H
#define DMAXFER_FAILNTH_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <linux/dmaxfer.h>

#include "pattern.h"		/* tools/dmaxfer: the seeded stream */

#define PG		4096
/*
 * Pool and zero-copy transfers: 16 KiB, tx 4 bytes into a page (5 pages).
 * rx zero-copy buffers must start and end on a DMA cache line (INFO's
 * rx_align): 256 bytes into a page suits any, and still spans 5 pages.
 */
#define XLEN		(16 * 1024)
#define XOFF		4
#define RXOFF		256
/*
 * read() and write(): 12 KiB, 4 bytes into a page. With the module's
 * xfer_size at 4096 and queue_depth at 2 (the guest script sets them) this
 * is three transfers, two in flight: a fault on the third finds two in
 * flight, and the slot of the first is reused.
 */
#define RWLEN		(12 * 1024)
#define RWOFF		4
#define BUFSZ		(XLEN + 2 * PG)
#define SEED		4711

/* ---- options and buffers (failnth_main.c) ---------------------------------- */

extern const char *dev;
extern const char *simdir;
extern unsigned int max_n;
extern const char *no_alloc_ok;
extern bool quiet, count_only;
extern int fnfd;		/* /proc/thread-self/fail-nth */

extern uint8_t txbuf[BUFSZ];
extern uint8_t rxbuf[BUFSZ];

/* ---- what is checked around each iteration (failnth_kstate.c) -------------- */

struct kstate {
	long long dma_live;	/* DMA-API debug: entries in use */
	long long pins;		/* pinned pages */
	long long warns;	/* /sys/kernel/warn_count */
	long long dma_errors;	/* DMA-API debug: error_count */
	bool dma_off;		/* DMA-API debug disabled itself */
};

/* ---- the calls (failnth_calls.c) ------------------------------------------- */

struct ctx {
	int fd;
	uint32_t buf_id;
	uint64_t mmap_off;
	void *map;		/* mmap() of the pool buffer */
	void *fresh;		/* never-touched rx memory */
	uint64_t xid;		/* submitted transfer */
	struct dmaxfer_completion rec;
	long long level0;	/* FIFO level before the call */
	char why[256];		/* what the check found wrong */
};

struct call {
	const char *name;
	int (*setup)(struct ctx *c);
	long (*call)(struct ctx *c);
	/* After a success (ret >= 0), outside the fault: did it work? */
	bool (*check_ok)(struct ctx *c, long ret);
	/* After a failure: did it leave anything behind? */
	bool (*check_failed)(struct ctx *c);
	int errnos[3];		/* the clean errnos of an injected fault */
	size_t full;		/* read(), write(): a full count */
};

extern const struct call calls[];
extern const size_t ncalls;
#define NCALLS ncalls

/* ---- the sweep (failnth_sweep.c) ------------------------------------------- */

struct tally {
	unsigned int calls, iterations, injected, slab, page;
};

/* failnth_calls.c */
void teardown(struct ctx *c);

/* failnth_kstate.c */
int arm_nth(unsigned int n);
long disarm_nth(void);
bool kstate_read(struct kstate *k, const struct kstate *base);
bool kstate_settle(struct kstate *k, const struct kstate *base);
void fi_times(long long *slab, long long *page);

/* failnth_sweep.c */
void pin_cpu(void);
bool sweep(const struct call *cl, struct tally *t);
bool count(const struct call *cl);

/* failnth_util.c */
int read_file(const char *path, char *buf, size_t len);
long long read_num(const char *path, bool *ok);
int write_file(const char *path, const char *s);
long long vmstat(const char *key);
long long fifo_level(void);
void fifo_flush(void);
const char *errname(int e);
bool in_list(const char *list, const char *name);

#endif /* DMAXFER_FAILNTH_H */
