/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmasim - what other kernel modules (tests) may call.
 */
#ifndef _DMASIM_API_H
#define _DMASIM_API_H

struct dma_chan;

int dmasim_set_fault(struct dma_chan *chan, const char *name);

#endif /* _DMASIM_API_H */
