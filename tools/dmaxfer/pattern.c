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
}

/* xorshift64*, little-endian bytes of each output word. */
void pattern_fill(struct pattern *p, uint8_t *buf, size_t len)
{
	while (len--) {
		if (!p->left) {
			p->state ^= p->state >> 12;
			p->state ^= p->state << 25;
			p->state ^= p->state >> 27;
			p->word = p->state * 0x2545f4914f6cdd1dULL;
			p->left = 8;
		}
		*buf++ = (uint8_t)p->word;
		p->word >>= 8;
		p->left--;
	}
}
