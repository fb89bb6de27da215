// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - command-line tool for the dmaxfer driver.
 *
 *   dmaxfer send   [-d DEV] -s SEED -n BYTES [-w SIZES] [-o OFFSET] [--word N]
 *   dmaxfer recv   [-d DEV] -n BYTES [-o OFFSET] [-e BYTE|-e WORD] [-g GUARD]
 *                  [--mode read|zero-copy|pool] [--plant-overrun K]
 *   dmaxfer gen    -s SEED -n BYTES [--word N] (stream to stdout)
 *   dmaxfer verify -s SEED -n BYTES [-k SKIP] [--word N] FILE
 *   dmaxfer info   [-d DEV] [--json]
 *   dmaxfer loop   [-d DEV] -s SEED -n BYTES [-b BLOCK] [-q DEPTH]
 *                  [--zero-copy|--pool] [--tx-only] [--word N]
 *   dmaxfer bench  [-d DEV] [-c tx|rx] [--sizes LIST] [--depths LIST]
 *                  [-t SECONDS|-i ITERATIONS] [--mode zero-copy|pool|write]
 *                  [--json] [--loopback]
 *
 * send uses write(), recv read() or the ioctls; info, loop and bench use
 * the ioctls of <linux/dmaxfer.h> through libdmaxfer.
 *
 * Exit status: 0 success, 1 data mismatch, 2 usage, 3 I/O error,
 * 4 a transfer failed after part of the data moved (the count is printed).
 *
 * This file: usage, option parsing and main(). The commands are in
 * cmd_*.c, what they share in cli_*.c, around the private header
 * dmaxfer_cli.h.
 */
#include "dmaxfer_cli.h"

const char *const mode_names[] = { "pool", "zero-copy", "write" };

static void usage(FILE *f)
{
	fputs("usage: dmaxfer COMMAND [options]\n"
	      "  send   [-d DEV] -s SEED -n BYTES [-w SIZE,SIZE,...] [-o OFFSET] [--word N]\n"
	      "         write the seeded stream to DEV in writes of the given sizes\n"
	      "         (cycled), from a buffer OFFSET bytes into a page\n"
	      "  recv   [-d DEV] -n BYTES [-o OFFSET] [-e BYTE|-e WORD] [-g GUARD]\n"
	      "         [--mode read|zero-copy|pool]\n"
	      "         one rx of BYTES into a window OFFSET bytes into a page, with\n"
	      "         GUARD bytes directly before and after it, all poisoned with\n"
	      "         0xa5; then check every guard byte is untouched and, with -e,\n"
	      "         every window byte. -e BYTE (0x00 to 0xff): every byte is\n"
	      "         BYTE; -e WORD, written as 8 hex digits (0x3c5a96e1): the\n"
	      "         32-bit little-endian WORD repeats every 4 bytes (window byte\n"
	      "         i is byte i % 4 of WORD, 0xe1 0x96 0x5a 0x3c ...), so a\n"
	      "         swapped byte lane fails. --mode read (default): read(), the\n"
	      "         DMA writes the driver's pages and the guards check the copy;\n"
	      "         zero-copy: SUBMIT USER_PTR, the DMA writes the window itself\n"
	      "         (OFFSET and BYTES multiples of INFO's rx_align); pool: SUBMIT\n"
	      "         on a pool buffer at the window's offset, guards in the buffer.\n"
	      "         --plant-overrun K (zero-copy, pool; K <= GUARD): the guards'\n"
	      "         negative control: the DMA runs K bytes past both window ends\n"
	      "  gen    -s SEED -n BYTES [--word N]   print the stream to stdout\n"
	      "  verify -s SEED -n BYTES [-k SKIP] [--word N] FILE\n"
	      "         compare FILE, from byte SKIP, with the stream\n"
	      "  info   [-d DEV] [--json]\n"
	      "         print what both channels can do (DMAXFER_IOC_INFO)\n"
	      "  loop   [-d DEV] -s SEED -n BYTES [-b BLOCK] [-q DEPTH]\n"
	      "         [--pool|--zero-copy] [--tx-only] [--word N]\n"
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
	      "--word N (send, gen, verify, loop): one stream byte per N-byte word\n"
	      "         (N = 1, 2, 4, 8; default 1), for a FIFO that keeps only the low\n"
	      "         byte of each access: byte 0 of word i is stream byte i, the\n"
	      "         others its complement. BYTES counts the words' bytes (the DMA),\n"
	      "         a whole number of words; verify then expects FILE to hold the\n"
	      "         BYTES / N low bytes, and names offsets in FILE\n"
	      "sizes take a K, M or G suffix (binary) where noted as BLOCK or LIST.\n"
	      "exit status: 0 ok, 1 data mismatch, 2 usage, 3 I/O error,\n"
	      "             4 transfer failed part-way (bytes moved are printed)\n", f);
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
	{ "send", "dsnwokegW" },	/* send, recv, gen and verify took */
	{ "recv", "dsnwokegMO" },	/* every option of the first version */
	{ "gen", "dsnwokegW" },
	{ "verify", "dsnwokegW" },
	{ "info", "dJ" },
	{ "loop", "dsnbqZPTW" },
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
		{ "word", required_argument, NULL, OPT_WORD },
		{ "plant-overrun", required_argument, NULL, OPT_PLANT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .dev = "/dev/dmaxfer0", .expect = -1, .nsizes = 1,
			  .sizes = { 65536 },
			  .nbsizes = 3, .bsizes = { 4096, 65536, 1048576 },
			  .ndepths = 2, .depths = { 1, 8 }, .seconds = 2.0,
			  .word = 1 };
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
			/* 8 hex digits: a 32-bit word; else a byte. */
			o.expect_word = strlen(optarg) == 10 && !strncasecmp(optarg, "0x", 2);
			if (parse_u64(optarg, &v) || v > (o.expect_word ? UINT32_MAX : 255))
				goto bad;
			o.expect = (int64_t)v;
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
			/* read is recv's name for write: read() on rx. */
			for (k = 0; k < 3 && strcmp(optarg, mode_names[k]) &&
			     !(k == MODE_WRITE && !strcmp(optarg, "read")); k++)
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
		case OPT_WORD:
			if (parse_u64(optarg, &v) || (v != 1 && v != 2 && v != 4 && v != 8))
				goto bad;
			o.word = (unsigned int)v;
			break;
		case OPT_PLANT:
			if (parse_u64(optarg, &v) || !v || v > (1 << 20))
				goto bad;
			o.plant = v;
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
	if (!strcmp(cmd, "recv")) {
		if (!seen[OPT_MODE])
			o.mode = MODE_WRITE;	/* read() */
		return o.size ? cmd_recv(&o) : (usage(stderr), EXIT_USAGE);
	}
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
