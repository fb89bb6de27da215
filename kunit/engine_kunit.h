/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit: what the engine suites share (engine_kunit.c, abort_kunit.c).
 */
#ifndef _DMAXFER_ENGINE_KUNIT_H
#define _DMAXFER_ENGINE_KUNIT_H

#include <linux/mm.h>

#include "dmaxfer.h"

struct kunit;

#define NPAGES	4
#define LEN	(NPAGES * PAGE_SIZE)

/**
 * struct eng_ctx - one case's device, channels and pages
 * @xd: the device, registered as a KUnit device
 * @tx: its tx channel, on dmasim
 * @rx: its rx channel, on dmasim
 * @txp: pages to send from
 * @rxp: pages to receive into
 */
struct eng_ctx {
	struct dmaxfer_dev xd;
	struct dmaxfer_chan *tx, *rx;
	struct page *txp[NPAGES], *rxp[NPAGES];
};

int eng_setup(struct kunit *test, const char *suite);
void eng_exit(struct kunit *test);

#endif /* _DMAXFER_ENGINE_KUNIT_H */
