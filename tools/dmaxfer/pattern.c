// SPDX-License-Identifier: GPL-2.0
#include "pattern.h"

/* splitmix64 spreads a small seed over the whole state. */
void pattern_init(struct pattern *p, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	p->state = (z ^ (z >> 31)) | 1;
	p->left = 0;
	p->word_bytes = 1;
	p->lane = 0;
	p->cur = 0;
}

/*
 * Word mode, before the first pattern_fill(): 1 (off), 2, 4 or 8 bytes
 * per stream byte, the bus widths a FIFO can have. Returns -1 otherwise.
 */
int pattern_set_word(struct pattern *p, unsigned int word_bytes)
{
	if (word_bytes != 1 && word_bytes != 2 && word_bytes != 4 && word_bytes != 8)
		return -1;
	p->word_bytes = word_bytes;
	p->lane = 0;
	return 0;
}

/* xorshift64*, little-endian bytes of each output word. */
static uint8_t pattern_next(struct pattern *p)
{
	uint8_t b;

	if (!p->left) {
		p->state ^= p->state >> 12;
		p->state ^= p->state << 25;
		p->state ^= p->state >> 27;
		p->word = p->state * 0x2545f4914f6cdd1dULL;
		p->left = 8;
	}
	b = (uint8_t)p->word;
	p->word >>= 8;
	p->left--;
	return b;
}

void pattern_fill(struct pattern *p, uint8_t *buf, size_t len)
{
	if (p->word_bytes == 1) {
		while (len--)
			*buf++ = pattern_next(p);
		return;
	}
	/* The lane carries over, so a cut inside a word changes nothing. */
	while (len--) {
		if (!p->lane)
			p->cur = pattern_next(p);
		*buf++ = p->lane ? (uint8_t)~p->cur : p->cur;
		p->lane = (p->lane + 1) % p->word_bytes;
	}
}
