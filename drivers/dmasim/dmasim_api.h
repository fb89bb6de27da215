/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmasim - what other kernel modules (tests) may call. Each function
 * takes a channel of a dmasim controller and returns -EINVAL for any other
 * channel. See drivers/dmasim/modes.c for the modes and their values.
 */
#ifndef _DMASIM_API_H
#define _DMASIM_API_H

#include <linux/types.h>

struct dma_chan;

/* One-shot fault: none, error, short, hang or nodata. */
int dmasim_set_fault(struct dma_chan *chan, const char *name);

/*
 * Hostile modes, by name (the debugfs file of chanN/) and value:
 *   "residue"            "descriptor" | "segment" | "burst"
 *   "callback"           "work" | "bh" | "hardirq"  (-EBUSY while in use)
 *   "terminate"          "complete" | "in_progress"
 *   "pool_size"          "0" (unbounded) .. "65536"
 *   "delay_max_us"       "0" .. "1000000"
 *   "seed"               any u32
 *   "reorder"            "0" | "1" (in order) .. "64"
 *   "complete_delay_us"  "0" .. "1000000"
 *   "submit_fail"        "0" (none) .. "65536": the Nth tx_submit from now
 *                        returns -EBUSY, once (dmasim frees the descriptor)
 * A residue change shows in the next dma_get_slave_caps() of the channel.
 */
int dmasim_set_mode(struct dma_chan *chan, const char *knob, const char *value);
int dmasim_get_mode(struct dma_chan *chan, const char *knob, char *buf,
		    size_t size);
int dmasim_reset_modes(struct dma_chan *chan);
/* Descriptors prepared and not yet freed: 0 on an idle, synced channel. */
int dmasim_desc_in_use(struct dma_chan *chan);

#endif /* _DMASIM_API_H */
