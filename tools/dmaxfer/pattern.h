/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seeded pseudo-random byte stream shared by the guest (which sends it) and
 * the host (which regenerates it to check what the peripheral received).
 * The stream depends on the seed only, never on how it is cut into writes.
 *
 * Word mode (pattern_set_word()): one stream byte per N-byte word, for a
 * FIFO that keeps only the low byte of each access (QEMU's PL011 behind
 * the BCM2835 DMA, which only makes 32-bit accesses). Byte 0 of word i,
 * the lowest-addressed and, little-endian, the low byte, is stream byte
 * i; bytes 1 to N-1 are its complement. A peripheral that keeps the low
 * byte therefore receives exactly the plain stream, and one that keeps
 * any other byte lane receives no byte of it.
 */
#ifndef DMAXFER_PATTERN_H
#define DMAXFER_PATTERN_H

#include <stddef.h>
#include <stdint.h>

struct pattern {
	uint64_t state;
	uint64_t word;
	unsigned int left;	/* bytes of word not yet used */
	unsigned int word_bytes; /* bytes per stream byte: 1, or word mode */
	unsigned int lane;	/* word mode: byte of the current word */
	uint8_t cur;		/* word mode: the current stream byte */
};

void pattern_init(struct pattern *p, uint64_t seed);
int pattern_set_word(struct pattern *p, unsigned int word_bytes);
void pattern_fill(struct pattern *p, uint8_t *buf, size_t len);

#endif
