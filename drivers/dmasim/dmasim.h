/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmasim - a simulated DMA Engine provider, private definitions.
 *
 * dmasim lets DMA Engine slave clients run on machines without a DMA
 * controller (QEMU arm64 "virt"), in the spirit of gpio-sim and netdevsim.
 * A device-tree node with compatible "dmaxfer,dmasim" and #dma-cells = <1>
 * (the cell is the channel index) gives a controller of "dma-channels"
 * channels (default 4) doing DMA_SLAVE, MEM_TO_DEV and DEV_TO_MEM only.
 *
 * The peripheral: ONE loopback FIFO in memory per controller (fifo_size
 * module parameter, default 1 MiB), shared by all its channels. MEM_TO_DEV
 * on any channel appends to it, DEV_TO_MEM on any channel takes from it,
 * so a "tx" channel feeds an "rx" channel. The FIFO address in the slave
 * configuration is accepted and ignored. The FIFO is a byte stream: a
 * transfer that finds it empty (DEV_TO_MEM) or full (MEM_TO_DEV) is not
 * failed but waits, in progress, until another channel makes room or data,
 * or until it is terminated: an rx transfer with no writer behind it ends
 * only by the client's timeout, as on hardware whose peripheral stays mute.
 *
 * The engine: one work item per channel on a per-controller workqueue
 * moves the active descriptor at most a page at a time, with the channel's
 * lock held, so that pause and terminate_all take effect between two
 * chunks, as a hardware channel stops between two bursts. Memory is only
 * reached through the DMA addresses of the sg list (dma_to_phys() and the
 * linear map), so a missing dma_sync_*() or a swiotlb bounce buffer behaves
 * as on real hardware. An hrtimer wakes the work for latency_us and
 * bandwidth_kbps (see debugfs.c).
 *
 * Completions: a descriptor that ends goes on the channel's callback queue
 * (@cbq), its cookie complete; one of three contexts takes it from there,
 * invokes the client's callback with no dmasim lock held, and frees it:
 * the engine's work, a tasklet, or a hard-IRQ hrtimer (see callback.c).
 *
 * Hostile modes (modes.c): per-channel knobs, in debugfs and through
 * dmasim_set_mode() (dmasim_api.h), that make the channel behave like the
 * awkward real providers: residue granularity, callback context, what
 * terminate_all does to cookies, a bounded descriptor pool, random start
 * delays, completions out of submission order, completions held back, and
 * a refused submission.
 *
 * Files: core.c (platform driver, dmaengine operations), engine.c (the
 * FIFO and the copy loop), callback.c (completion delivery), modes.c (the
 * hostile modes), debugfs.c (controls and fault injection).
 *
 * Unbinding the controller while clients hold its channels is not
 * supported (there is no device_release): unbind the clients first. The
 * module cannot be unloaded while channels are held.
 */
#ifndef _DMASIM_H
#define _DMASIM_H

#include <linux/dmaengine.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/kfifo.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/prandom.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/workqueue.h>

#include "dmaxfer_compat.h"

struct dentry;
struct device;

#define DMASIM_MAX_CHANS	32
#define DMASIM_BUSWIDTHS	(BIT(DMA_SLAVE_BUSWIDTH_1_BYTE) | \
				 BIT(DMA_SLAVE_BUSWIDTH_2_BYTES) | \
				 BIT(DMA_SLAVE_BUSWIDTH_4_BYTES) | \
				 BIT(DMA_SLAVE_BUSWIDTH_8_BYTES))
#define DMASIM_MAX_BURST	256

/*
 * One-shot faults, set in debugfs: the next descriptor the channel starts
 * takes the fault and the channel's setting returns to DMASIM_FAULT_NONE.
 */
enum dmasim_fault {
	DMASIM_FAULT_NONE,
	DMASIM_FAULT_ERROR,	/* no byte moved, READ/WRITE_FAILED, residue len */
	DMASIM_FAULT_SHORT,	/* len / 2 bytes moved, NOERROR, residue the rest */
	DMASIM_FAULT_HANG,	/* never completes: only terminate ends it */
	DMASIM_FAULT_NODATA,	/* no byte moved, NOERROR, residue 0 (a lie) */
	DMASIM_NR_FAULTS,
};

/* Where a channel invokes its clients' callbacks (knob "callback"). */
enum dmasim_cb_ctx {
	DMASIM_CB_WORK,		/* the engine's work item (process context) */
	DMASIM_CB_BH,		/* a tasklet (softirq) */
	DMASIM_CB_HARDIRQ,	/* a hard-IRQ hrtimer */
	DMASIM_NR_CB_CTX,
};

/* What terminate_all does to the cookies it drops (knob "terminate"). */
enum dmasim_term {
	DMASIM_TERM_COMPLETE,	/* marks them complete */
	DMASIM_TERM_IN_PROGRESS, /* leaves them, as virt-dma providers do */
	DMASIM_NR_TERM,
};

/**
 * struct dmasim_mode - a channel's hostile modes, see modes.c
 * @residue: enum dma_residue_granularity reported and applied
 * @callback: enum dmasim_cb_ctx
 * @terminate: enum dmasim_term
 * @pool_size: descriptors the channel can have at once, 0: unbounded
 * @delay_max_us: each descriptor starts after a random 0..this delay
 * @seed: seed of the channel's random numbers (delays, reordering)
 * @reorder: completions are held back until this many have ended (or the
 *	first has waited DMASIM_REORDER_HOLD_US), then reported in random
 *	order; 0 or 1: in order
 * @complete_delay_us: each completion is reported this long after the
 *	descriptor ended
 * @submit_fail: the tx_submit this many from now is refused, once (counts
 *	down; 0: none)
 *
 * Every field is a u32, so that modes.c handles them alike.
 */
struct dmasim_mode {
	u32 residue;
	u32 callback;
	u32 terminate;
	u32 pool_size;
	u32 delay_max_us;
	u32 seed;
	u32 reorder;
	u32 complete_delay_us;
	u32 submit_fail;
};

#define DMASIM_NR_KNOBS	9

/* The longest the reorder mode holds a completion back for more to come. */
#define DMASIM_REORDER_HOLD_US	5000

/**
 * struct dmasim_seg - one hardware segment, copied from the sg list at prep
 * @addr: DMA address of the memory side
 * @len: bytes
 */
struct dmasim_seg {
	dma_addr_t addr;
	u32 len;
};

/**
 * struct dmasim_desc - one prepared slave transfer
 * @tx: the dmaengine descriptor
 * @node: entry in the channel's allocated, submitted, issued, held or
 *	callback list
 * @res: the result passed to the callback
 * @cookie: the cookie tx_submit gave (dma_cookie_complete() clears @tx's)
 * @due: when the callback is due (complete_delay_us)
 * @dir: DMA_MEM_TO_DEV or DMA_DEV_TO_MEM
 * @fault: the fault this descriptor took when it started
 * @burst: bytes of one burst on the device side (BURST residue)
 * @len: total bytes
 * @limit: bytes to move before completing (@len, less for a short fault)
 * @moved: bytes moved so far
 * @seg: index of the segment being moved
 * @seg_off: bytes of @segs[@seg] already moved
 * @nsegs: number of @segs
 * @segs: the segments
 */
struct dmasim_desc {
	struct dma_async_tx_descriptor tx;
	struct list_head node;
	struct dmaengine_result res;
	dma_cookie_t cookie;
	ktime_t due;
	enum dma_transfer_direction dir;
	enum dmasim_fault fault;
	u32 burst;
	u32 len;
	u32 limit;
	u32 moved;
	unsigned int seg;
	u32 seg_off;
	unsigned int nsegs;
	struct dmasim_seg segs[] __counted_by(nsegs);
};

/**
 * struct dmasim_stats - per-channel counters, in debugfs
 * @transfers: descriptors completed without error
 * @errors: descriptors completed with an error
 * @terminated: descriptors dropped by terminate_all
 * @bytes: bytes moved
 * @pool_empty: preps refused because the descriptor pool was empty
 */
struct dmasim_stats {
	u64 transfers;
	u64 errors;
	u64 terminated;
	u64 bytes;
	u64 pool_empty;
};

/**
 * struct dmasim_cb_stats - what the callback contexts did, in debugfs
 * @ctx: callbacks invoked in each context (enum dmasim_cb_ctx), as found
 *	by in_hardirq() and in_serving_softirq() when they ran
 * @out_of_order: callbacks whose cookie was below the previous one's
 * @last_cookie: the cookie of the last callback
 */
struct dmasim_cb_stats {
	u64 ctx[DMASIM_NR_CB_CTX];
	u64 out_of_order;
	dma_cookie_t last_cookie;
};

struct dmasim_dev;
struct dmasim_chan;

/**
 * struct dmasim_knob_ref - what a debugfs knob file points at
 * @sc: the channel
 * @knob: index in modes.c's knob table
 */
struct dmasim_knob_ref {
	struct dmasim_chan *sc;
	unsigned int knob;
};

/**
 * struct dmasim_chan - one simulated channel
 * @chan: the dmaengine channel
 * @sd: the controller
 * @lock: protects the cookies, the lists but @cbq, @active, @nheld, @cfg,
 *	@paused, @fault, @next, @last_due, @rnd, @mode and @stats; the engine
 *	moves data with it held
 * @cfg: the last slave configuration
 * @allocated: descriptors prepared, not yet submitted
 * @submitted: descriptors submitted, not yet issued
 * @issued: descriptors issued, not yet started
 * @active: the descriptor being moved, or NULL
 * @held: descriptors ended, held back by the reorder mode (cookies not
 *	yet complete)
 * @nheld: number of @held
 * @held_since: when the first of @held ended
 * @paused: set by device_pause, cleared by resume and terminate_all
 * @fault: the fault the next descriptor takes
 * @next: the engine moves nothing before this time (latency, bandwidth)
 * @fifo_wait: the engine found the FIFO empty or full and waits for a kick
 * @work: the engine
 * @timer: kicks @work at @next
 * @cb_lock: protects @cbq and @cbstats; nests inside @lock; raw, because the hard-IRQ
 *	hrtimer @cb_timer takes it
 * @cbq: descriptors ended, cookies complete, callbacks not yet invoked
 * @last_due: @due of the last descriptor queued on @cbq (kept monotonic)
 * @cb_timer: delivers the callbacks in hard-IRQ mode, and wakes the
 *	delivering context when a delayed callback is due
 * @tasklet: delivers the callbacks in BH mode
 * @cbstats: callback counters
 * @ndesc: descriptors allocated and not yet freed (the pool in use)
 * @rnd: random state, seeded by @mode.seed
 * @mode: the hostile modes
 * @knob_ref: what the debugfs knob files point at
 * @bandwidth_kbps: throughput cap in kbit/s, 0: none (debugfs)
 * @latency_us: delay before each descriptor starts moving (debugfs)
 * @stats: counters
 */
struct dmasim_chan {
	struct dma_chan chan;
	struct dmasim_dev *sd;
	spinlock_t lock;	/* see above */
	struct dma_slave_config cfg;
	struct list_head allocated;
	struct list_head submitted;
	struct list_head issued;
	struct dmasim_desc *active;
	struct list_head held;
	unsigned int nheld;
	ktime_t held_since;
	bool paused;
	enum dmasim_fault fault;
	ktime_t next;
	bool fifo_wait;
	struct work_struct work;
	struct hrtimer timer;
	raw_spinlock_t cb_lock;	/* see above */
	struct list_head cbq;
	ktime_t last_due;
	struct hrtimer cb_timer;
	struct tasklet_struct tasklet;
	struct dmasim_cb_stats cbstats;
	atomic_t ndesc;
	struct rnd_state rnd;
	struct dmasim_mode mode;
	struct dmasim_knob_ref knob_ref[DMASIM_NR_KNOBS];
	u32 bandwidth_kbps;
	u32 latency_us;
	struct dmasim_stats stats;
};

/**
 * struct dmasim_dev - one simulated controller
 * @dev: the platform device
 * @dma: the dmaengine device
 * @wq: runs the channels' engines
 * @fifo_lock: protects @fifo; nests inside a channel's lock
 * @fifo: the loopback FIFO shared by all channels
 * @dbg: debugfs directory of this controller
 * @nr_chans: number of @chans
 * @chans: the channels
 */
struct dmasim_dev {
	struct device *dev;
	struct dma_device dma;
	struct workqueue_struct *wq;
	spinlock_t fifo_lock;	/* see above */
	struct kfifo fifo;
	struct dentry *dbg;
	unsigned int nr_chans;
	struct dmasim_chan chans[] __counted_by(nr_chans);
};

static inline struct dmasim_chan *to_dmasim_chan(struct dma_chan *chan)
{
	return container_of(chan, struct dmasim_chan, chan);
}

static inline struct dmasim_desc *to_dmasim_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct dmasim_desc, tx);
}

/* engine.c */
int dmasim_fifo_init(struct dmasim_dev *sd, unsigned int size);
unsigned int dmasim_fifo_level(struct dmasim_dev *sd);
void dmasim_fifo_flush(struct dmasim_dev *sd);
void dmasim_engine_init(struct dmasim_chan *sc);
void dmasim_engine_kick(struct dmasim_chan *sc);
void dmasim_engine_stop(struct dmasim_chan *sc);

/* callback.c */
void dmasim_cb_init(struct dmasim_chan *sc);
void dmasim_desc_done_locked(struct dmasim_chan *sc, struct dmasim_desc *d);
void dmasim_flush_held_locked(struct dmasim_chan *sc);
void dmasim_held_idle_locked(struct dmasim_chan *sc);
void dmasim_deliver(struct dmasim_chan *sc);
void dmasim_cb_sync(struct dmasim_chan *sc);
void dmasim_cb_splice_locked(struct dmasim_chan *sc, struct list_head *head);
void dmasim_cb_reset_cookie(struct dmasim_chan *sc);
void dmasim_cb_stats_get(struct dmasim_chan *sc, struct dmasim_cb_stats *st);
bool dmasim_desc_get(struct dmasim_chan *sc);
void dmasim_desc_free(struct dmasim_chan *sc, struct dmasim_desc *d);

/* modes.c */
void dmasim_modes_init(struct dmasim_chan *sc);
void dmasim_modes_debugfs_add(struct dmasim_chan *sc, struct dentry *dir);
bool dmasim_is_dmasim_chan(struct dma_chan *chan);

/* debugfs.c */
void dmasim_debugfs_init(void);
void dmasim_debugfs_exit(void);
int dmasim_debugfs_add(struct dmasim_dev *sd);

#endif /* _DMASIM_H */
