/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaxfer_cli.h - private header of the dmaxfer tool (dmaxfer.c, cli_*.c,
 * cmd_*.c): exit statuses, the parsed options, transfer slots and the
 * functions the parts share. dmaxfer.c describes the commands.
 */
#ifndef DMAXFER_CLI_H
#define DMAXFER_CLI_H

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "libdmaxfer.h"
#include "pattern.h"

#define EXIT_MISMATCH	1
#define EXIT_USAGE	2
#define EXIT_IO		3
#define EXIT_SHORT	4
#define MAX_SIZES	64

enum bench_mode { MODE_POOL, MODE_ZERO_COPY, MODE_WRITE };
extern const char *const mode_names[];

/* Long-only options: values that are not short options. */
#define OPT_ZERO_COPY	'Z'
#define OPT_POOL	'P'
#define OPT_SIZES	'S'
#define OPT_DEPTHS	'D'
#define OPT_MODE	'M'
#define OPT_JSON	'J'
#define OPT_TX_ONLY	'T'
#define OPT_LOOPBACK	'L'
#define OPT_WORD	'W'
#define OPT_PLANT	'O'

struct opts {
	const char *dev;
	uint64_t seed;
	uint64_t size;
	size_t sizes[MAX_SIZES];
	int nsizes;
	size_t offset;
	uint64_t skip;
	int64_t expect;		/* recv: expected byte or word, -1: none */
	int expect_word;	/* recv: expect is a 32-bit word, per 4 bytes */
	size_t guard;
	size_t plant;		/* recv: --plant-overrun, the guards' negative control */
	/* loop */
	uint64_t block;
	unsigned int depth;	/* 0: default */
	int zero_copy;
	int tx_only;
	/* bench */
	uint32_t chan;
	uint64_t bsizes[MAX_SIZES];
	int nbsizes;
	unsigned int depths[MAX_SIZES];
	int ndepths;
	double seconds;
	uint64_t iters;		/* 0: run for seconds */
	enum bench_mode mode;	/* bench; recv: read (MODE_WRITE), zero-copy, pool */
	int json;
	int loopback;
	/* send, gen, verify, loop: bytes per stream byte (pattern.h) */
	unsigned int word;
};

struct slot {
	uint8_t *mem;		/* the data: pool mapping or user memory */
	struct dmaxfer_buf buf;	/* pool mode */
	void *alloc;		/* zero-copy mode: free() this */
	uint64_t pos;		/* stream offset of the transfer */
	uint64_t len;
	double t;		/* submission time */
};

/* cli_slots.c */
void slots_fini(int fd, struct slot *s, unsigned int n);
struct slot *slots_init(int fd, uint32_t chan, unsigned int n, size_t size,
			int zero_copy);
int slot_submit(int fd, uint32_t chan, struct slot *s, uint64_t len,
		uint64_t user_data, int zero_copy);
int reap(int fd, struct dmaxfer_completion *c);
void drain(int fd);
const char *status_str(int32_t status);

/* cli_util.c */
double now(void);
int open_dev(const char *dev);
int get_infos(int fd, const char *dev, struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS]);
int parse_size(const char *s, uint64_t *v);
int parse_size_list(char *arg, uint64_t *out, int *n, uint64_t max);
size_t round_up(size_t v, size_t to);
int pattern_start(struct pattern *p, const struct opts *o);

/* cmd_bench.c */
int cmd_bench(const struct opts *o);

/* cmd_info.c */
int cmd_info(const struct opts *o);

/* cmd_loop.c */
int cmd_loop(const struct opts *o);

/* cmd_recv.c */
int cmd_recv(const struct opts *o);

/* cmd_stream.c */
int parse_sizes(struct opts *o, char *arg);
int cmd_send(const struct opts *o);
int cmd_gen(const struct opts *o);
int cmd_verify(const struct opts *o, const char *path);

#endif /* DMAXFER_CLI_H */
