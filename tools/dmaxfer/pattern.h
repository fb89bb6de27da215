/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seeded pseudo-random byte stream shared by the guest (which sends it) and
 * the host (which regenerates it to check what the peripheral received).
 * The stream depends on the seed only, never on how it is cut into writes.
 */
#ifndef DMAXFER_PATTERN_H
#define DMAXFER_PATTERN_H

#include <stddef.h>
#include <stdint.h>

struct pattern {
	uint64_t state;
	uint64_t word;
	unsigned int left;	/* bytes of word not yet used */
};

void pattern_init(struct pattern *p, uint64_t seed);
void pattern_fill(struct pattern *p, uint8_t *buf, size_t len);

#endif
