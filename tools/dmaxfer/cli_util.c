// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer tool: helpers shared by the commands: the clock, opening the
 * device and reading INFO of both channels, parsing sizes.
 */
#include "dmaxfer_cli.h"

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- helpers shared by info, loop and bench ---------------------------- */

int open_dev(const char *dev)
{
	int fd = dmaxfer_open(dev, O_RDWR);

	if (fd < 0)
		fprintf(stderr, "dmaxfer: %s: %s\n", dev, strerror(errno));
	return fd;
}

/* Both channels' info; 0, or EXIT_IO with a message. */
int get_infos(int fd, const char *dev, struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS])
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

int parse_size(const char *s, uint64_t *v)
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
int parse_size_list(char *arg, uint64_t *out, int *n, uint64_t max)
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

size_t round_up(size_t v, size_t to)
{
	return (v + to - 1) / to * to;
}

/*
 * The seeded stream of the options: seed, and word mode (--word). The
 * length must be whole words: a partial word has no low byte to check.
 * Returns 0, or EXIT_USAGE after a message.
 */
int pattern_start(struct pattern *p, const struct opts *o)
{
	pattern_init(p, o->seed);
	if (pattern_set_word(p, o->word)) {
		fprintf(stderr, "dmaxfer: --word must be 1, 2, 4 or 8\n");
		return EXIT_USAGE;
	}
	if (o->size % o->word) {
		fprintf(stderr, "dmaxfer: -n %llu is not a whole number of %u-byte words\n",
			(unsigned long long)o->size, o->word);
		return EXIT_USAGE;
	}
	return 0;
}
