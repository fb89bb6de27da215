// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - command-line tool for the dmaxfer driver.
 *
 *   dmaxfer send   [-d DEV] -s SEED -n BYTES [-w SIZES] [-o OFFSET]
 *   dmaxfer recv   [-d DEV] -n BYTES [-o OFFSET] [-e BYTE] [-g GUARD]
 *   dmaxfer gen    -s SEED -n BYTES            (stream to stdout)
 *   dmaxfer verify -s SEED -n BYTES [-k SKIP] FILE
 *   dmaxfer info   [-d DEV] [--json]
 *   dmaxfer loop   [-d DEV] -s SEED -n BYTES [-b BLOCK] [-q DEPTH]
 *                  [--zero-copy|--pool] [--tx-only]
 *   dmaxfer bench  [-d DEV] [-c tx|rx] [--sizes LIST] [--depths LIST]
 *                  [-t SECONDS|-i ITERATIONS] [--mode zero-copy|pool|write]
 *                  [--json] [--loopback]
 *
 * send and recv use write() and read(); info, loop and bench use the
 * ioctls of <linux/dmaxfer.h> through libdmaxfer.
 *
 * Exit status: 0 success, 1 data mismatch, 2 usage, 3 I/O error,
 * 4 a transfer failed after part of the data moved (the count is printed).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
static const char *const mode_names[] = { "pool", "zero-copy", "write" };

/* Long-only options: values that are not short options. */
#define OPT_ZERO_COPY	'Z'
#define OPT_POOL	'P'
#define OPT_SIZES	'S'
#define OPT_DEPTHS	'D'
#define OPT_MODE	'M'
#define OPT_JSON	'J'
#define OPT_TX_ONLY	'T'
#define OPT_LOOPBACK	'L'

struct opts {
	const char *dev;
	uint64_t seed;
	uint64_t size;
	size_t sizes[MAX_SIZES];
	int nsizes;
	size_t offset;
	uint64_t skip;
	int expect;		/* recv: expected byte, -1: none */
	size_t guard;
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
	enum bench_mode mode;
	int json;
	int loopback;
};

static void usage(FILE *f)
{
	fputs("usage: dmaxfer COMMAND [options]\n"
	      "  send   [-d DEV] -s SEED -n BYTES [-w SIZE,SIZE,...] [-o OFFSET]\n"
	      "         write the seeded stream to DEV in writes of the given sizes\n"
	      "         (cycled), from a buffer OFFSET bytes into a page\n"
	      "  recv   [-d DEV] -n BYTES [-o OFFSET] [-e BYTE] [-g GUARD]\n"
	      "         read BYTES from DEV into a buffer poisoned with 0xa5 and\n"
	      "         guarded by GUARD bytes each side; check every byte is BYTE\n"
	      "         and every guard byte untouched\n"
	      "  gen    -s SEED -n BYTES        print the stream to stdout\n"
	      "  verify -s SEED -n BYTES [-k SKIP] FILE\n"
	      "         compare FILE, from byte SKIP, with the stream\n"
	      "  info   [-d DEV] [--json]\n"
	      "         print what both channels can do (DMAXFER_IOC_INFO)\n"
	      "  loop   [-d DEV] -s SEED -n BYTES [-b BLOCK] [-q DEPTH]\n"
	      "         [--pool|--zero-copy] [--tx-only]\n"
	      "         send the seeded stream on tx in BLOCK-byte transfers, DEPTH\n"
	      "         in flight (SUBMIT/WAIT), from pool buffers (default) or in\n"
	      "         place from user memory; if DEV has rx (and not --tx-only),\n"
	      "         receive as many bytes and check them against the stream\n"
	      "         (a loopback device); defaults: -b 65536, -q min(8, queue depth)\n"
	      "  bench  [-d DEV] [-c tx|rx] [--sizes 4096,65536,1048576] [--depths 1,8]\n"
	      "         [-t SECONDS | -i ITERATIONS] [--mode pool|zero-copy|write]\n"
	      "         [--json] [--loopback]\n"
	      "         for each size and depth keep DEPTH transfers in flight for\n"
	      "         SECONDS (default 2) or ITERATIONS transfers; report MB/s,\n"
	      "         transfers/s, latency p50/p99 (submit to reaped completion, us)\n"
	      "         and CPU time per transfer; --mode write times write()/read()\n"
	      "         (depth 1 only); --json prints one object per line;\n"
	      "         --loopback runs a helper process that keeps the other\n"
	      "         channel going (drains tx, feeds rx), for loopback devices;\n"
	      "         every transfer must end within the channel's timeout\n"
	      "sizes take a K, M or G suffix (binary) where noted as BLOCK or LIST.\n"
	      "exit status: 0 ok, 1 data mismatch, 2 usage, 3 I/O error,\n"
	      "             4 transfer failed part-way (bytes moved are printed)\n", f);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_sizes(struct opts *o, char *arg)
{
	char *tok, *save = NULL;

	o->nsizes = 0;
	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long long v = strtoull(tok, &end, 0);

		if (*end || !v || o->nsizes == MAX_SIZES)
			return -1;
		o->sizes[o->nsizes++] = v;
	}
	return o->nsizes ? 0 : -1;
}

static uint8_t *alloc_at_offset(size_t len, size_t offset, void **base)
{
	long pg = sysconf(_SC_PAGESIZE);

	if (posix_memalign(base, pg, len + offset + pg))
		return NULL;
	return (uint8_t *)*base + offset;
}

static int cmd_send(const struct opts *o)
{
	size_t maxw = 0, i;
	struct pattern p;
	uint64_t done = 0;
	unsigned long writes = 0;
	double t0, dt;
	void *base;
	uint8_t *buf;
	int fd, k = 0, rc = 0;

	for (i = 0; i < (size_t)o->nsizes; i++)
		if (o->sizes[i] > maxw)
			maxw = o->sizes[i];
	buf = alloc_at_offset(maxw, o->offset, &base);
	if (!buf) {
		perror("dmaxfer: buffer");
		return EXIT_IO;
	}
	fd = open(o->dev, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "dmaxfer: %s: %s\n", o->dev, strerror(errno));
		free(base);
		return EXIT_IO;
	}
	pattern_init(&p, o->seed);
	t0 = now();
	while (done < o->size) {
		size_t n = o->sizes[k++ % o->nsizes];
		ssize_t w;

		if (n > o->size - done)
			n = o->size - done;
		pattern_fill(&p, buf, n);
		w = write(fd, buf, n);
		if (w > 0) {
			done += w;
			writes++;
		}
		if (w != (ssize_t)n) {
			/* The driver moved w bytes of this write (0 if it failed). */
			fprintf(stderr, "dmaxfer: write of %zu bytes at offset %llu: %s\n",
				n, (unsigned long long)(done - (w > 0 ? w : 0)),
				w < 0 ? strerror(errno) : "short write");
			rc = EXIT_SHORT;
			break;
		}
	}
	dt = now() - t0;
	close(fd);
	free(base);
	printf("sent %llu bytes in %lu writes in %.3f s (%.2f MB/s)\n",
	       (unsigned long long)done, writes, dt, dt > 0 ? done / dt / 1e6 : 0.0);
	return rc;
}

static int cmd_recv(const struct opts *o)
{
	size_t len = o->size, g = o->guard, i;
	void *base;
	uint8_t *buf;
	ssize_t r;
	int fd, bad = 0;

	buf = alloc_at_offset(len + 2 * g, o->offset, &base);
	if (!buf) {
		perror("dmaxfer: buffer");
		return EXIT_IO;
	}
	memset(buf, 0xa5, len + 2 * g);
	fd = open(o->dev, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "dmaxfer: %s: %s\n", o->dev, strerror(errno));
		free(base);
		return EXIT_IO;
	}
	r = read(fd, buf + g, len);
	close(fd);
	if (r != (ssize_t)len) {
		fprintf(stderr, "dmaxfer: read of %zu bytes: %s\n", len,
			r < 0 ? strerror(errno) : "short read");
		free(base);
		return EXIT_IO;
	}
	for (i = 0; i < g && !bad; i++) {
		if (buf[i] != 0xa5 || buf[g + len + i] != 0xa5) {
			fprintf(stderr, "dmaxfer: guard byte %zu %s the window overwritten\n",
				i, buf[i] != 0xa5 ? "before" : "after");
			bad = 1;
		}
	}
	for (i = 0; i < len && !bad && o->expect >= 0; i++) {
		if (buf[g + i] != o->expect) {
			fprintf(stderr, "dmaxfer: MISMATCH at offset %zu: expected 0x%02x, got 0x%02x\n",
				i, o->expect, buf[g + i]);
			bad = 1;
		}
	}
	free(base);
	if (bad)
		return EXIT_MISMATCH;
	printf("received %zu bytes%s\n", len, o->expect >= 0 ? ", all as expected" : "");
	return 0;
}

static int cmd_gen(const struct opts *o)
{
	uint8_t buf[65536];
	struct pattern p;
	uint64_t left = o->size;

	pattern_init(&p, o->seed);
	while (left) {
		size_t n = left < sizeof(buf) ? left : sizeof(buf);

		pattern_fill(&p, buf, n);
		if (fwrite(buf, 1, n, stdout) != n)
			return EXIT_IO;
		left -= n;
	}
	return fflush(stdout) ? EXIT_IO : 0;
}

static int cmd_verify(const struct opts *o, const char *path)
{
	uint8_t want[65536], got[65536];
	uint64_t pos = 0;
	struct pattern p;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "dmaxfer: %s: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	if (o->skip && fseeko(f, (off_t)o->skip, SEEK_SET)) {
		fprintf(stderr, "dmaxfer: %s: cannot skip %llu bytes\n", path,
			(unsigned long long)o->skip);
		fclose(f);
		return EXIT_IO;
	}
	pattern_init(&p, o->seed);
	while (pos < o->size) {
		size_t n = o->size - pos < sizeof(want) ? o->size - pos : sizeof(want);
		size_t r = fread(got, 1, n, f), i;

		pattern_fill(&p, want, n);
		for (i = 0; i < r; i++) {
			if (got[i] != want[i]) {
				printf("MISMATCH at offset %llu: expected 0x%02x, got 0x%02x\n",
				       (unsigned long long)(pos + i), want[i], got[i]);
				fclose(f);
				return EXIT_MISMATCH;
			}
		}
		if (r < n) {
			printf("SHORT: %llu of %llu bytes (first missing offset %llu)\n",
			       (unsigned long long)(pos + r), (unsigned long long)o->size,
			       (unsigned long long)(pos + r));
			fclose(f);
			return EXIT_MISMATCH;
		}
		pos += n;
	}
	if (fgetc(f) != EOF) {
		printf("LONG: more than %llu bytes\n", (unsigned long long)o->size);
		fclose(f);
		return EXIT_MISMATCH;
	}
	fclose(f);
	printf("OK %llu bytes match seed %llu\n", (unsigned long long)o->size,
	       (unsigned long long)o->seed);
	return 0;
}


/* ---- helpers shared by info, loop and bench ---------------------------- */

static int open_dev(const char *dev)
{
	int fd = dmaxfer_open(dev, O_RDWR);

	if (fd < 0)
		fprintf(stderr, "dmaxfer: %s: %s\n", dev, strerror(errno));
	return fd;
}

/* Both channels' info; 0, or EXIT_IO with a message. */
static int get_infos(int fd, const char *dev, struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS])
{
	uint32_t c;

	for (c = 0; c < DMAXFER_NR_CHANS; c++) {
		if (dmaxfer_info(fd, c, &ci[c])) {
			fprintf(stderr, "dmaxfer: %s: DMAXFER_IOC_INFO(%s): %s%s\n", dev,
				dmaxfer_chan_name(c), strerror(errno),
				errno == ENOTTY ? " (kernel without the dmaxfer ioctls?)" : "");
			return EXIT_IO;
		}
	}
	return 0;
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	unsigned int shift = 0;

	if (!*s)
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case '\0':
		return 0;
	default:
		return -1;
	}
	if (end[1] || *v > (UINT64_MAX >> shift))
		return -1;
	*v <<= shift;
	return 0;
}

/* A comma-separated list of non-zero sizes. */
static int parse_size_list(char *arg, uint64_t *out, int *n, uint64_t max)
{
	char *tok, *save = NULL;

	*n = 0;
	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;

		if (parse_size(tok, &v) || !v || v > max || *n == MAX_SIZES)
			return -1;
		out[(*n)++] = v;
	}
	return *n ? 0 : -1;
}

static size_t round_up(size_t v, size_t to)
{
	return (v + to - 1) / to * to;
}

/* ---- info ---------------------------------------------------------------- */

static void widths_str(uint32_t widths, char *buf, size_t len)
{
	size_t pos = 0;
	int n;

	buf[0] = '\0';
	for (n = 0; n < 32 && pos < len; n++) {
		if (!(widths & (1U << n)))
			continue;
		pos += snprintf(buf + pos, len - pos, "%s%llu", pos ? "," : "",
				1ULL << n);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static int cmd_info(const struct opts *o)
{
	struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS];
	char widths[128];
	uint32_t c;
	int fd, rc;

	fd = open_dev(o->dev);
	if (fd < 0)
		return EXIT_IO;
	rc = get_infos(fd, o->dev, ci);
	close(fd);
	if (rc)
		return rc;

	if (o->json) {
		printf("{\"device\":");
		json_str(o->dev);
		printf(",\"channels\":[");
		for (c = 0; c < DMAXFER_NR_CHANS; c++) {
			const struct dmaxfer_chan_info *i = &ci[c];

			/* dma_chan is NUL-terminated by the ABI; be safe anyway. */
			char name[sizeof(i->dma_chan) + 1];

			memcpy(name, i->dma_chan, sizeof(i->dma_chan));
			name[sizeof(i->dma_chan)] = '\0';
			printf("%s{\"chan\":\"%s\",\"present\":%s,\"flags\":%u,\"abi_version\":%u",
			       c ? "," : "", dmaxfer_chan_name(c),
			       dmaxfer_chan_present(i) ? "true" : "false", i->flags,
			       i->abi_version);
			if (dmaxfer_chan_present(i)) {
				printf(",\"dma_chan\":");
				json_str(name);
				printf(",\"bus_width\":%u,\"maxburst\":%u,\"addr_widths\":%u,"
				       "\"max_burst\":%u,\"max_seg_size\":%u,"
				       "\"residue_granularity\":\"%s\",\"pause\":%s,"
				       "\"timeout_ms\":%u,\"max_xfer_len\":%u,\"queue_depth\":%u",
				       i->bus_width, i->maxburst, i->addr_widths, i->max_burst,
				       i->max_seg_size,
				       dmaxfer_residue_name(i->residue_granularity),
				       (i->flags & DMAXFER_INFO_PAUSE) ? "true" : "false",
				       i->timeout_ms, i->max_xfer_len, i->queue_depth);
			}
			printf("}");
		}
		printf("]}\n");
		return fflush(stdout) ? EXIT_IO : 0;
	}

	printf("%s: dmaxfer ABI %u\n", o->dev, ci[0].abi_version);
	for (c = 0; c < DMAXFER_NR_CHANS; c++) {
		const struct dmaxfer_chan_info *i = &ci[c];

		if (!dmaxfer_chan_present(i)) {
			printf("%s: not in the device tree\n", dmaxfer_chan_name(c));
			continue;
		}
		widths_str(i->addr_widths, widths, sizeof(widths));
		printf("%s: dma channel %.*s\n", dmaxfer_chan_name(c),
		       (int)sizeof(i->dma_chan), i->dma_chan);
		printf("    bus width %u, maxburst %u; controller: widths %s, max burst %u,"
		       " residue %s%s\n", i->bus_width, i->maxburst, widths, i->max_burst,
		       dmaxfer_residue_name(i->residue_granularity),
		       (i->flags & DMAXFER_INFO_PAUSE) ? ", pause" : "");
		printf("    max segment %u, max transfer %u, queue depth %u, timeout %u ms\n",
		       i->max_seg_size, i->max_xfer_len, i->queue_depth, i->timeout_ms);
	}
	return fflush(stdout) ? EXIT_IO : 0;
}

/* ---- transfer slots: the memory of one transfer in flight ---------------- */

struct slot {
	uint8_t *mem;		/* the data: pool mapping or user memory */
	struct dmaxfer_buf buf;	/* pool mode */
	void *alloc;		/* zero-copy mode: free() this */
	uint64_t pos;		/* stream offset of the transfer */
	uint64_t len;
	double t;		/* submission time */
};

static void slots_fini(int fd, struct slot *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; s && i < n; i++) {
		if (s[i].alloc)
			free(s[i].alloc);
		else if (s[i].buf.id)
			dmaxfer_buf_destroy(fd, &s[i].buf);
	}
	free(s);
}

/* n slots of size bytes on chan; NULL (message printed) on failure. */
static struct slot *slots_init(int fd, uint32_t chan, unsigned int n, size_t size,
			       int zero_copy)
{
	size_t pg = dmaxfer_page_size();
	struct slot *s = calloc(n, sizeof(*s));
	unsigned int i;

	if (!s) {
		perror("dmaxfer: slots");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (zero_copy) {
			if (posix_memalign(&s[i].alloc, pg, round_up(size, pg))) {
				perror("dmaxfer: buffer");
				goto fail;
			}
			s[i].mem = s[i].alloc;
			memset(s[i].mem, 0, size);	/* fault the pages in */
		} else {
			if (dmaxfer_buf_create(fd, chan, size, &s[i].buf)) {
				fprintf(stderr, "dmaxfer: %zu-byte %s pool buffer: %s\n", size,
					dmaxfer_chan_name(chan), strerror(errno));
				goto fail;
			}
			s[i].mem = s[i].buf.addr;
		}
	}
	return s;
fail:
	slots_fini(fd, s, n);
	return NULL;
}

static int slot_submit(int fd, uint32_t chan, struct slot *s, uint64_t len,
		       uint64_t user_data, int zero_copy)
{
	s->len = len;
	s->t = now();
	if (zero_copy)
		return dmaxfer_submit_ptr(fd, chan, s->mem, len, user_data, NULL);
	return dmaxfer_submit_buf(fd, chan, s->buf.id, 0, len, user_data, NULL);
}

/* WAIT(ANY), retried on EINTR. */
static int reap(int fd, struct dmaxfer_completion *c)
{
	int r;

	do
		r = dmaxfer_wait_any(fd, 0, c);
	while (r && errno == EINTR);
	return r;
}

/* Reap every record still to come, so no transfer uses our memory. */
static void drain(int fd)
{
	struct dmaxfer_completion c;

	while (!reap(fd, &c))
		;
}

static const char *status_str(int32_t status)
{
	return strerror(status < 0 ? -status : status);
}

/* ---- loop ---------------------------------------------------------------- */

struct ring {
	uint32_t chan;
	struct slot *s;
	unsigned int depth, head, count;
	uint64_t next;		/* stream bytes submitted */
	uint64_t done;		/* stream bytes completed, in order */
	struct pattern p;	/* tx: the generator; rx: the expected stream */
};

static int cmd_loop(const struct opts *o)
{
	struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS];
	struct ring rings[DMAXFER_NR_CHANS];
	uint64_t n = o->size, block, mismatches = 0, bad_off = 0;
	uint8_t *want = NULL, bad_want = 0, bad_got = 0;
	unsigned int nrings, depth, r, qd;
	uint32_t bw, maxlen;
	int fd, rc, failed = 0, use_rx;

	if (!n) {
		fprintf(stderr, "dmaxfer: loop: -n BYTES is required\n");
		return EXIT_USAGE;
	}
	fd = open_dev(o->dev);
	if (fd < 0)
		return EXIT_IO;
	rc = get_infos(fd, o->dev, ci);
	if (rc)
		goto out_close;
	if (!dmaxfer_chan_present(&ci[DMAXFER_CHAN_TX])) {
		fprintf(stderr, "dmaxfer: %s has no tx channel\n", o->dev);
		rc = EXIT_IO;
		goto out_close;
	}
	use_rx = dmaxfer_chan_present(&ci[DMAXFER_CHAN_RX]) && !o->tx_only;
	nrings = use_rx ? 2 : 1;
	bw = ci[DMAXFER_CHAN_TX].bus_width;
	maxlen = ci[DMAXFER_CHAN_TX].max_xfer_len;
	qd = ci[DMAXFER_CHAN_TX].queue_depth;
	if (use_rx) {
		if (ci[DMAXFER_CHAN_RX].bus_width > bw)
			bw = ci[DMAXFER_CHAN_RX].bus_width;
		if (ci[DMAXFER_CHAN_RX].max_xfer_len < maxlen)
			maxlen = ci[DMAXFER_CHAN_RX].max_xfer_len;
		if (ci[DMAXFER_CHAN_RX].queue_depth < qd)
			qd = ci[DMAXFER_CHAN_RX].queue_depth;
	}
	if (!bw)
		bw = 1;
	block = o->block ? o->block : 65536;
	if (block > n)
		block = n;
	depth = o->depth ? o->depth : (qd < 8 ? qd : 8);
	rc = EXIT_USAGE;
	if (n % bw || block % bw) {
		fprintf(stderr, "dmaxfer: loop: BYTES and BLOCK must be multiples of the %u-byte bus width\n",
			bw);
		goto out_close;
	}
	if (block > maxlen) {
		fprintf(stderr, "dmaxfer: loop: BLOCK above the largest transfer, %u bytes\n",
			maxlen);
		goto out_close;
	}
	if (!depth || depth > qd) {
		fprintf(stderr, "dmaxfer: loop: DEPTH must be 1 to the queue depth, %u\n", qd);
		goto out_close;
	}
	rc = EXIT_IO;
	memset(rings, 0, sizeof(rings));
	for (r = 0; r < nrings; r++) {
		rings[r].chan = r;	/* ring 0 is tx, ring 1 rx */
		rings[r].depth = depth;
		pattern_init(&rings[r].p, o->seed);
		rings[r].s = slots_init(fd, r, depth, block, o->zero_copy);
		if (!rings[r].s)
			goto out_slots;
	}
	if (use_rx && !(want = malloc(block))) {
		perror("dmaxfer: buffer");
		goto out_slots;
	}

	rc = 0;
	while (!failed && (rings[0].done < n || (use_rx && rings[1].done < n))) {
		struct dmaxfer_completion c;
		struct ring *g;
		struct slot *s;

		for (r = 0; r < nrings && !failed; r++) {
			g = &rings[r];
			while (g->count < g->depth && g->next < n) {
				unsigned int i = (g->head + g->count) % g->depth;
				uint64_t len = n - g->next < block ? n - g->next : block;

				s = &g->s[i];
				s->pos = g->next;
				if (g->chan == DMAXFER_CHAN_TX) {
					if (!o->zero_copy &&
					    dmaxfer_sync(fd, s->buf.id, DMAXFER_SYNC_START |
							 DMAXFER_SYNC_WRITE, 0, len))
						goto sync_fail;
					pattern_fill(&g->p, s->mem, len);
					if (!o->zero_copy &&
					    dmaxfer_sync(fd, s->buf.id, DMAXFER_SYNC_END |
							 DMAXFER_SYNC_WRITE, 0, len))
						goto sync_fail;
				}
				if (slot_submit(fd, g->chan, s, len,
						((uint64_t)g->chan << 32) | i, o->zero_copy)) {
					fprintf(stderr, "dmaxfer: loop: submit %s %llu bytes at %llu: %s\n",
						dmaxfer_chan_name(g->chan),
						(unsigned long long)len,
						(unsigned long long)s->pos, strerror(errno));
					failed = 1;
					break;
				}
				g->next += len;
				g->count++;
			}
		}
		if (failed)
			break;

		if (reap(fd, &c)) {
			fprintf(stderr, "dmaxfer: loop: DMAXFER_IOC_WAIT: %s\n", strerror(errno));
			failed = 1;
			break;
		}
		if (c.chan >= nrings || !rings[c.chan].count ||
		    c.user_data != (((uint64_t)c.chan << 32) | rings[c.chan].head)) {
			fprintf(stderr, "dmaxfer: loop: unexpected completion record: id %llu chan %u user_data 0x%llx\n",
				(unsigned long long)c.id, c.chan,
				(unsigned long long)c.user_data);
			failed = 1;
			break;
		}
		g = &rings[c.chan];
		s = &g->s[g->head];
		if (c.status || c.bytes != s->len) {
			fprintf(stderr, "dmaxfer: loop: %s transfer of %llu bytes at offset %llu: %s, %llu bytes moved\n",
				dmaxfer_chan_name(g->chan), (unsigned long long)s->len,
				(unsigned long long)s->pos,
				c.status ? status_str(c.status) : "short transfer",
				(unsigned long long)c.bytes);
			if (c.bytes <= s->len)
				g->done += c.bytes;	/* in order: these bytes moved */
			failed = 1;
			break;
		}
		if (g->chan == DMAXFER_CHAN_RX) {
			uint64_t k;

			if (!o->zero_copy &&
			    dmaxfer_sync(fd, s->buf.id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
					 0, s->len))
				goto sync_fail;
			pattern_fill(&g->p, want, s->len);
			for (k = 0; k < s->len; k++) {
				if (s->mem[k] == want[k])
					continue;
				if (!mismatches++) {
					bad_off = s->pos + k;
					bad_want = want[k];
					bad_got = s->mem[k];
				}
			}
			if (!o->zero_copy &&
			    dmaxfer_sync(fd, s->buf.id, DMAXFER_SYNC_END | DMAXFER_SYNC_READ,
					 0, s->len))
				goto sync_fail;
		}
		g->done += s->len;
		g->head = (g->head + 1) % g->depth;
		g->count--;
		continue;
sync_fail:
		fprintf(stderr, "dmaxfer: loop: DMAXFER_IOC_SYNC: %s\n", strerror(errno));
		failed = 1;
	}
	if (failed)
		drain(fd);

	if (mismatches)
		printf("MISMATCH at offset %llu: expected 0x%02x, got 0x%02x\n",
		       (unsigned long long)bad_off, bad_want, bad_got);
	printf("loop: sent %llu bytes, received %llu bytes, %llu mismatches%s\n",
	       (unsigned long long)rings[0].done,
	       (unsigned long long)(use_rx ? rings[1].done : 0),
	       (unsigned long long)mismatches,
	       use_rx ? "" : " (tx only: check what the peripheral got)");
	if (mismatches)
		rc = EXIT_MISMATCH;
	else if (failed)
		rc = rings[0].done || rings[1].done ? EXIT_SHORT : EXIT_IO;
out_slots:
	free(want);
	for (r = 0; r < nrings; r++)
		slots_fini(fd, rings[r].s, depth);
out_close:
	close(fd);
	return rc;
}

/* ---- bench --------------------------------------------------------------- */

struct bench_res {
	uint64_t transfers;
	uint64_t bytes;
	double seconds;
	double p50_us, p99_us;
	double cpu_us;		/* per transfer */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[n]. */
static double percentile(const double *v, uint64_t n, double q)
{
	uint64_t k;

	if (!n)
		return 0;
	k = (uint64_t)(q * n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int lat_push(double **v, uint64_t *n, uint64_t *cap, double x)
{
	if (*n == *cap) {
		uint64_t nc = *cap ? *cap * 2 : 4096;
		double *nv = realloc(*v, nc * sizeof(**v));

		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/*
 * One size x depth point. Returns 0, or an exit status (message printed).
 */
static int bench_one(int fd, const struct opts *o, uint64_t size, unsigned int depth,
		     struct bench_res *res)
{
	int zc = o->mode == MODE_ZERO_COPY, rc = 0;
	uint64_t submitted = 0, ncap = 0, nlat = 0;
	unsigned int *freelist = NULL, nfree = 0, inflight = 0, i;
	double *lat = NULL, t0, c0, t;
	struct slot *s = NULL;
	struct pattern p;

	memset(res, 0, sizeof(*res));
	if (o->mode == MODE_WRITE)
		depth = 1;
	s = slots_init(fd, o->chan, depth, size, o->mode != MODE_POOL);
	if (!s)
		return EXIT_IO;
	freelist = calloc(depth, sizeof(*freelist));
	if (!freelist) {
		slots_fini(fd, s, depth);
		return EXIT_IO;
	}
	pattern_init(&p, size);
	for (i = 0; i < depth; i++) {
		if (o->chan == DMAXFER_CHAN_TX)
			pattern_fill(&p, s[i].mem, size);
		freelist[nfree++] = depth - 1 - i;
	}

	c0 = cpu_seconds();
	t0 = now();
	for (;;) {
		struct dmaxfer_completion c;
		int more = o->iters ? submitted < o->iters : now() - t0 < o->seconds;

		if (o->mode == MODE_WRITE) {
			ssize_t r;

			if (!more)
				break;
			t = now();
			if (o->chan == DMAXFER_CHAN_TX)
				r = write(fd, s[0].mem, size);
			else
				r = read(fd, s[0].mem, size);
			submitted++;
			if (r != (ssize_t)size) {
				fprintf(stderr, "dmaxfer: bench: %s of %llu bytes: %s\n",
					o->chan == DMAXFER_CHAN_TX ? "write" : "read",
					(unsigned long long)size,
					r < 0 ? strerror(errno) : "short transfer");
				if (r > 0)
					res->bytes += r;
				rc = r > 0 || res->bytes ? EXIT_SHORT : EXIT_IO;
				break;
			}
			res->transfers++;
			res->bytes += size;
			if (lat_push(&lat, &nlat, &ncap, (now() - t) * 1e6)) {
				rc = EXIT_IO;
				break;
			}
			continue;
		}

		while (more && nfree) {
			unsigned int k = freelist[--nfree];

			if (slot_submit(fd, o->chan, &s[k], size, k, zc)) {
				fprintf(stderr, "dmaxfer: bench: submit %llu bytes: %s\n",
					(unsigned long long)size, strerror(errno));
				nfree++;
				rc = EXIT_IO;
				break;
			}
			submitted++;
			inflight++;
			more = o->iters ? submitted < o->iters : now() - t0 < o->seconds;
		}
		if (rc || !inflight)
			break;
		if (reap(fd, &c)) {
			fprintf(stderr, "dmaxfer: bench: DMAXFER_IOC_WAIT: %s\n", strerror(errno));
			rc = EXIT_IO;
			break;
		}
		t = now();
		if (c.user_data >= depth) {
			fprintf(stderr, "dmaxfer: bench: unexpected completion record, user_data 0x%llx\n",
				(unsigned long long)c.user_data);
			rc = EXIT_IO;
			break;
		}
		inflight--;
		freelist[nfree++] = (unsigned int)c.user_data;
		res->bytes += c.bytes;
		if (c.status || c.bytes != size) {
			fprintf(stderr, "dmaxfer: bench: %s transfer of %llu bytes: %s, %llu bytes moved\n",
				dmaxfer_chan_name(o->chan), (unsigned long long)size,
				c.status ? status_str(c.status) : "short transfer",
				(unsigned long long)c.bytes);
			rc = res->bytes ? EXIT_SHORT : EXIT_IO;
			break;
		}
		res->transfers++;
		if (lat_push(&lat, &nlat, &ncap, (t - s[c.user_data].t) * 1e6)) {
			perror("dmaxfer: bench");
			rc = EXIT_IO;
			break;
		}
	}
	res->seconds = now() - t0;
	res->cpu_us = res->transfers ? (cpu_seconds() - c0) * 1e6 / res->transfers : 0;
	if (inflight)
		drain(fd);
	if (nlat) {
		qsort(lat, nlat, sizeof(*lat), cmp_double);
		res->p50_us = percentile(lat, nlat, 0.50);
		res->p99_us = percentile(lat, nlat, 0.99);
	}
	free(lat);
	free(freelist);
	slots_fini(fd, s, depth);
	return rc;
}

/* A process that keeps the other channel of a loopback device busy. */
static pid_t start_peer(const char *dev, uint32_t chan)
{
	pid_t pid = fork();
	static uint8_t buf[65536];
	int fd;

	if (pid)
		return pid;
	fd = dmaxfer_open(dev, O_RDWR);
	if (fd < 0)
		_exit(EXIT_IO);
	for (;;) {
		/* Errors (a timeout when the bench stops) are not ours to report. */
		if (chan == DMAXFER_CHAN_TX) {
			if (read(fd, buf, sizeof(buf)) < 0 && errno != ETIMEDOUT && errno != EINTR)
				usleep(1000);
		} else if (write(fd, buf, sizeof(buf)) < 0 && errno != ETIMEDOUT &&
			   errno != EINTR) {
			usleep(1000);
		}
	}
}

static int cmd_bench(const struct opts *o)
{
	struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS];
	const struct dmaxfer_chan_info *i;
	pid_t peer = 0;
	int fd, rc, si, di, header = 0;

	fd = open_dev(o->dev);
	if (fd < 0)
		return EXIT_IO;
	rc = get_infos(fd, o->dev, ci);
	if (rc)
		goto out;
	i = &ci[o->chan];
	if (!dmaxfer_chan_present(i)) {
		fprintf(stderr, "dmaxfer: %s has no %s channel\n", o->dev,
			dmaxfer_chan_name(o->chan));
		rc = EXIT_IO;
		goto out;
	}
	rc = EXIT_USAGE;
	for (si = 0; si < o->nbsizes; si++) {
		if (o->bsizes[si] % (i->bus_width ? i->bus_width : 1) ||
		    o->bsizes[si] > i->max_xfer_len) {
			fprintf(stderr, "dmaxfer: bench: size %llu: not a multiple of the %u-byte bus width or above %u bytes\n",
				(unsigned long long)o->bsizes[si], i->bus_width, i->max_xfer_len);
			goto out;
		}
	}
	for (di = 0; di < o->ndepths && o->mode != MODE_WRITE; di++) {
		if (!o->depths[di] || o->depths[di] > i->queue_depth) {
			fprintf(stderr, "dmaxfer: bench: depth %u: must be 1 to the queue depth, %u\n",
				o->depths[di], i->queue_depth);
			goto out;
		}
	}
	if (o->loopback)
		peer = start_peer(o->dev, o->chan);
	if (peer < 0) {
		perror("dmaxfer: bench: fork");
		rc = EXIT_IO;
		goto out;
	}

	rc = 0;
	for (si = 0; si < o->nbsizes && !rc; si++) {
		for (di = 0; di < o->ndepths && !rc; di++) {
			unsigned int depth = o->mode == MODE_WRITE ? 1 : o->depths[di];
			struct bench_res res;
			double mbs, tps;

			if (o->mode == MODE_WRITE && di)
				break;		/* depth is always 1 */
			rc = bench_one(fd, o, o->bsizes[si], depth, &res);
			mbs = res.seconds > 0 ? res.bytes / res.seconds / 1e6 : 0;
			tps = res.seconds > 0 ? res.transfers / res.seconds : 0;
			if (o->json) {
				printf("{\"chan\":\"%s\",\"mode\":\"%s\",\"size\":%llu,\"depth\":%u,"
				       "\"transfers\":%llu,\"bytes\":%llu,\"seconds\":%.6f,"
				       "\"mb_per_s\":%.3f,\"transfers_per_s\":%.1f,"
				       "\"latency_p50_us\":%.1f,\"latency_p99_us\":%.1f,"
				       "\"cpu_us_per_transfer\":%.2f,\"ok\":%s}\n",
				       dmaxfer_chan_name(o->chan), mode_names[o->mode],
				       (unsigned long long)o->bsizes[si], depth,
				       (unsigned long long)res.transfers,
				       (unsigned long long)res.bytes, res.seconds, mbs, tps,
				       res.p50_us, res.p99_us, res.cpu_us, rc ? "false" : "true");
			} else {
				if (!header++)
					printf("%-4s %-9s %9s %5s %9s %10s %10s %9s %9s %11s\n",
					       "chan", "mode", "size", "depth", "xfers", "MB/s",
					       "xfers/s", "p50_us", "p99_us", "cpu_us/xfer");
				printf("%-4s %-9s %9llu %5u %9llu %10.2f %10.1f %9.1f %9.1f %11.2f%s\n",
				       dmaxfer_chan_name(o->chan), mode_names[o->mode],
				       (unsigned long long)o->bsizes[si], depth,
				       (unsigned long long)res.transfers, mbs, tps, res.p50_us,
				       res.p99_us, res.cpu_us, rc ? "  (failed)" : "");
			}
			fflush(stdout);
		}
	}
	if (peer > 0) {
		kill(peer, SIGKILL);
		waitpid(peer, NULL, 0);
	}
out:
	close(fd);
	return rc;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end || !*s ? -1 : 0;
}

/* The options each command takes ('h' is always allowed). */
static const struct {
	const char *name;
	const char *opts;
} commands[] = {
	{ "send", "dsnwokeg" },		/* send, recv, gen and verify took */
	{ "recv", "dsnwokeg" },		/* every option of the first version */
	{ "gen", "dsnwokeg" },
	{ "verify", "dsnwokeg" },
	{ "info", "dJ" },
	{ "loop", "dsnbqZPT" },
	{ "bench", "dcSDtiMJL" },
};

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "size", required_argument, NULL, 'n' },
		{ "writes", required_argument, NULL, 'w' },
		{ "offset", required_argument, NULL, 'o' },
		{ "skip", required_argument, NULL, 'k' },
		{ "expect", required_argument, NULL, 'e' },
		{ "guard", required_argument, NULL, 'g' },
		{ "block", required_argument, NULL, 'b' },
		{ "depth", required_argument, NULL, 'q' },
		{ "chan", required_argument, NULL, 'c' },
		{ "time", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "zero-copy", no_argument, NULL, OPT_ZERO_COPY },
		{ "pool", no_argument, NULL, OPT_POOL },
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ "depths", required_argument, NULL, OPT_DEPTHS },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "tx-only", no_argument, NULL, OPT_TX_ONLY },
		{ "loopback", no_argument, NULL, OPT_LOOPBACK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .dev = "/dev/dmaxfer0", .expect = -1, .nsizes = 1,
			  .sizes = { 65536 },
			  .nbsizes = 3, .bsizes = { 4096, 65536, 1048576 },
			  .ndepths = 2, .depths = { 1, 8 }, .seconds = 2.0 };
	const char *cmd, *allowed = NULL;
	char seen[256] = { 0 };
	unsigned int k;
	uint64_t v;
	int c;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	cmd = argv[1];
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (!strcmp(cmd, commands[k].name))
			allowed = commands[k].opts;
	optind = 2;
	while ((c = getopt_long(argc, argv, "d:s:n:w:o:k:e:g:b:q:c:t:i:h", lopts, NULL)) != -1) {
		if (c > 0 && c < 256)
			seen[c] = 1;
		switch (c) {
		case 'd':
			o.dev = optarg;
			break;
		case 's':
			if (parse_u64(optarg, &o.seed))
				goto bad;
			break;
		case 'n':
			if (parse_u64(optarg, &o.size))
				goto bad;
			break;
		case 'w':
			if (parse_sizes(&o, optarg))
				goto bad;
			break;
		case 'o':
			if (parse_u64(optarg, &v) || v >= 65536)
				goto bad;
			o.offset = v;
			break;
		case 'k':
			if (parse_u64(optarg, &o.skip))
				goto bad;
			break;
		case 'e':
			if (parse_u64(optarg, &v) || v > 255)
				goto bad;
			o.expect = (int)v;
			break;
		case 'g':
			if (parse_u64(optarg, &v) || v > (1 << 20))
				goto bad;
			o.guard = v;
			break;
		case 'b':
			if (parse_size(optarg, &o.block) || !o.block || o.block > UINT32_MAX)
				goto bad;
			break;
		case 'q':
			if (parse_u64(optarg, &v) || !v || v > 4096)
				goto bad;
			o.depth = (unsigned int)v;
			break;
		case 'c':
			if (!strcmp(optarg, "tx"))
				o.chan = DMAXFER_CHAN_TX;
			else if (!strcmp(optarg, "rx"))
				o.chan = DMAXFER_CHAN_RX;
			else
				goto bad;
			break;
		case 't': {
			char *end;

			o.seconds = strtod(optarg, &end);
			if (*end || end == optarg || !(o.seconds > 0) || o.seconds > 86400)
				goto bad;
			break;
		}
		case 'i':
			if (parse_u64(optarg, &o.iters) || !o.iters)
				goto bad;
			break;
		case OPT_ZERO_COPY:
			o.zero_copy = 1;
			break;
		case OPT_POOL:
			o.zero_copy = 0;
			break;
		case OPT_SIZES:
			if (parse_size_list(optarg, o.bsizes, &o.nbsizes, UINT32_MAX))
				goto bad;
			break;
		case OPT_DEPTHS: {
			uint64_t d[MAX_SIZES];
			int i;

			if (parse_size_list(optarg, d, &o.ndepths, 4096))
				goto bad;
			for (i = 0; i < o.ndepths; i++)
				o.depths[i] = (unsigned int)d[i];
			break;
		}
		case OPT_MODE:
			for (k = 0; k < 3 && strcmp(optarg, mode_names[k]); k++)
				;
			if (k == 3)
				goto bad;
			o.mode = (enum bench_mode)k;
			break;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_TX_ONLY:
			o.tx_only = 1;
			break;
		case OPT_LOOPBACK:
			o.loopback = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	/* An option the command does not take is a usage error. */
	for (c = 1; allowed && c < 256; c++) {
		if (seen[c] && !strchr(allowed, c)) {
			fprintf(stderr, "dmaxfer: %s does not take that option\n", cmd);
			goto bad;
		}
	}
	if (seen['t'] && seen['i'])
		goto bad;
	if (!strcmp(cmd, "send"))
		return cmd_send(&o);
	if (!strcmp(cmd, "recv"))
		return o.size ? cmd_recv(&o) : (usage(stderr), EXIT_USAGE);
	if (!strcmp(cmd, "gen"))
		return cmd_gen(&o);
	if (!strcmp(cmd, "verify") && optind == argc - 1)
		return cmd_verify(&o, argv[optind]);
	if (optind != argc)
		goto bad;
	if (!strcmp(cmd, "info"))
		return cmd_info(&o);
	if (!strcmp(cmd, "loop"))
		return cmd_loop(&o);
	if (!strcmp(cmd, "bench"))
		return cmd_bench(&o);
bad:
	usage(stderr);
	return EXIT_USAGE;
}
