/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaxfer - private definitions shared by the driver's files.
 *
 * The driver has three layers, one file each:
 *   of.c    - device-tree properties of one channel (pure parsing)
 *   xfer.c  - the transfer engine: sg tables, streaming DMA mapping,
 *             descriptors, completion, timeout and termination
 *   cdev.c  - the misc character device (read()/write())
 * and core.c, the platform driver that ties them together.
 */
#ifndef _DMAXFER_H
#define _DMAXFER_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/dmaengine.h>
#include <linux/dma-direction.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/sizes.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "dmaxfer_compat.h"

struct address_space;
struct device;
struct file;
struct mm_struct;
struct poll_table_struct;
struct vm_area_struct;

enum dmaxfer_dir {
	DMAXFER_TX,		/* MEM_TO_DEV, dma-names = "tx" */
	DMAXFER_RX,		/* DEV_TO_MEM, dma-names = "rx" */
	DMAXFER_NR_DIRS,
};

/**
 * struct dmaxfer_chan_props - device-tree description of one channel
 * @fifo_addr: address of the peripheral's data register, untranslated: it
 *	goes to dma_slave_config.dst_addr/src_addr as is (for most providers
 *	the CPU physical address, see Documentation/binding.rst)
 * @bus_width: width of one peripheral access, in bytes (1, 2, 4 or 8)
 * @maxburst: accesses per burst, in units of @bus_width
 */
struct dmaxfer_chan_props {
	u64 fifo_addr;
	u32 bus_width;
	u32 maxburst;
};

/**
 * struct dmaxfer_stats - per-channel counters, exported in sysfs
 * @transfers: transfers that completed without error
 * @bytes: bytes moved by all transfers, including partial ones
 * @errors: transfers that ended in an error (timeouts included)
 * @timeouts: transfers that timed out
 * @last_residue: residue of the last transfer that ended
 * @last_error: errno of the last failed transfer (0: none yet)
 * @last_nents: mapped scatter-gather entries of the last transfer
 * @max_nents: the largest @last_nents seen
 * @inflight: transfers in flight now
 * @max_inflight: the largest @inflight seen
 * @copied: payload bytes the CPU copied (read()/write()); the zero-copy
 *	and pool paths never add to it
 * @aborts: times the channel was terminated to end transfers early
 * @lost: bytes a read() took from the FIFO but could not copy to its
 *	buffer (it became unwritable during the read)
 */
struct dmaxfer_stats {
	u64 transfers;
	u64 bytes;
	u64 errors;
	u64 timeouts;
	u32 last_residue;
	int last_error;
	u32 last_nents;
	u32 max_nents;
	u32 inflight;
	u32 max_inflight;
	u64 copied;
	u64 aborts;
	u64 lost;
};

struct dmaxfer_dev;

/*
 * How long an abort waits for the callbacks of cookies the controller
 * reported complete (they carry the outcome), and how often it tries to
 * terminate a channel before marking it broken.
 */
#define DMAXFER_ABORT_CB_WAIT_MS	100
#define DMAXFER_TERMINATE_TRIES		3

/**
 * struct dmaxfer_chan - one slave channel and its state
 * @xd: the device this channel belongs to
 * @name: "tx" or "rx"
 * @dir: dmaengine direction of every transfer on this channel
 * @map_dir: streaming DMA direction matching @dir
 * @chan: the dmaengine channel
 * @dma_dev: the device that does the DMA (mappings are made on it)
 * @props: what the device tree said about this channel
 * @cfg: the slave configuration applied to @chan
 * @caps: what the controller reported for @chan
 * @io_lock: serialises the users of the channel (one stream at a time)
 * @lock: protects @inflight and @stats; taken from the completion callback
 * @inflight: submitted transfers, oldest first
 * @unissued: transfers were submitted since the last issue_pending
 * @gone: the channel was released (device unbound); under @io_lock
 * @broken: the controller refused to terminate it: submissions fail with
 *	-EIO until the device is rebound; set under @io_lock
 * @kicked: the device is unbinding: streams give up, nothing new starts
 * @sleep_paused: paused by system suspend, to be resumed
 * @plain_callback: the controller's driver gets the plain callback, not
 *	callback_result (callback.c)
 * @ended: transfers of the channel that have ended (written under @lock)
 * @wq: woken whenever a transfer of the channel ends, and by a kick
 * @stats: counters
 */
struct dmaxfer_chan {
	struct dmaxfer_dev *xd;
	const char *name;
	enum dma_transfer_direction dir;
	enum dma_data_direction map_dir;
	struct dma_chan *chan;
	struct device *dma_dev;
	struct dmaxfer_chan_props props;
	struct dma_slave_config cfg;
	struct dma_slave_caps caps;
	struct mutex io_lock;	/* one stream at a time */
	spinlock_t lock;	/* inflight, stats; callback context */
	struct list_head inflight;
	bool unissued;
	bool gone;
	bool broken;
	bool kicked;
	bool sleep_paused;
	bool plain_callback;
	u64 ended;
	wait_queue_head_t wq;
	struct dmaxfer_stats stats;
};

/**
 * struct dmaxfer_dev - one bound dmaxfer device
 * @dev: the platform device
 * @ref: held by the driver binding and by every open file
 * @rwsem: read-held by every file operation, write-held to unbind
 * @dead: set once unbinding started; file operations then fail
 * @chans: the channels, NULL where the device tree has none
 * @chan_store: storage of @chans, alive as long as @ref
 * @timeout_ms: per-transfer timeout
 * @id: instance number, as in /dev/dmaxfer<id>
 * @miscdev: the character device
 * @name: name of @miscdev, "dmaxfer<id>"
 * @files_lock: protects @files, @bufs, @mappers and @revoked
 * @files: files not yet freed (struct dmaxfer_file): open ones, to
 *	revoke their mappings, and closed ones with transfers still ending
 * @bufs: every pool buffer whose memory is still allocated
 * @mappers: the processes that map pool buffers (pool.c)
 * @revoked: unbind took the pool away: no mapping may be made
 * @hold_issue: issue_pending calls still to skip (test knob, only in
 *	builds with DMAXFER_TEST_HOOKS)
 */
struct dmaxfer_dev {
	struct device *dev;
	struct kref ref;
	struct rw_semaphore rwsem;
	bool dead;
	struct dmaxfer_chan *chans[DMAXFER_NR_DIRS];
	struct dmaxfer_chan chan_store[DMAXFER_NR_DIRS];
	u32 timeout_ms;
	int id;
	struct miscdevice miscdev;
	char name[16];
	struct mutex files_lock;	/* files, bufs, mappers, revoked */
	struct list_head files;
	struct list_head bufs;
	struct list_head mappers;
	bool revoked;
#ifdef DMAXFER_TEST_HOOKS
	atomic_t hold_issue;
#endif
};

/* Test knob: skip this issue_pending? Constant false in production builds. */
static inline bool dmaxfer_test_hold_issue(struct dmaxfer_dev *xd)
{
#ifdef DMAXFER_TEST_HOOKS
	return atomic_add_unless(&xd->hold_issue, -1, 0);
#else
	return false;
#endif
}

/**
 * struct dmaxfer_xfer - one transfer between memory pages and the FIFO
 * @node: entry in the channel's in-flight list
 * @xc: the channel
 * @pages: memory of the transfer (the caller owns the pages)
 * @npages: number of @pages
 * @offset: offset of the first byte in the first page of @pages
 * @len: bytes to move
 * @sgt: the scatter-gather table over @pages
 * @cookie: dmaengine cookie once submitted
 * @done: completed when the transfer has ended, whatever the outcome
 * @finished: set, under @xc->lock, by whichever ends the transfer first
 * @mapped: @sgt is mapped on @xc->dma_dev
 * @issued: issue_pending was called after its submission
 * @coherent: @sgt holds DMA addresses of coherent memory: never mapped
 * @expired: past its deadline: an abort ends it with -ETIMEDOUT, not
 *	-ECANCELED; under @xc->lock
 * @residue_unknown: it ended early on a controller whose residue
 *	granularity cannot say how much moved; @residue is then the length
 * @error: 0, or the errno the transfer ended with
 * @abort_error: the errno an abort in progress will end it with
 * @residue: bytes not moved
 * @on_done: if set, called (under @xc->lock, any context) once it ended
 */
struct dmaxfer_xfer {
	struct list_head node;
	struct dmaxfer_chan *xc;
	struct page **pages;
	unsigned int npages;
	unsigned int offset;
	size_t len;
	struct sg_table sgt;
	dma_cookie_t cookie;
	struct completion done;
	bool finished;
	bool mapped;
	bool issued;
	bool coherent;
	bool expired;
	bool residue_unknown;
	int error;
	int abort_error;
	u32 residue;
	void (*on_done)(struct dmaxfer_xfer *x);
};

/**
 * struct dmaxfer_buf - a coherent DMA buffer of an open file's pool
 * @ref: held by the pool, by each mapping and by each transfer using it
 * @dma_dev: the device it was allocated on
 * @node: entry in the device's @bufs while the memory is allocated
 * @xd: the device (its @files_lock protects @cpu and @node)
 * @cpu: kernel address; NULL once the memory was freed (unbind)
 * @dma: DMA address (never shown to user space)
 * @size: bytes, a whole number of pages
 * @len: bytes the user asked for: transfers and syncs must lie within
 * @charged: bytes charged to the file's pool and the global limit
 * @pool_bytes: the owning file's pool counter, to uncharge at the end
 * @id: id within the file
 * @pgoff: mmap offset, in pages
 * @users: transfers in flight from this buffer; under the file's @lock
 */
struct dmaxfer_buf {
	struct kref ref;
	struct device *dma_dev;
	struct list_head node;
	struct dmaxfer_dev *xd;
	void *cpu;
	dma_addr_t dma;
	size_t size;
	size_t len;
	size_t charged;
	atomic_long_t *pool_bytes;
	u32 id;
	unsigned long pgoff;
	unsigned int users;
};

/**
 * struct dmaxfer_file - state of one open file
 * @xd: the device
 * @lock: protects @bufs, @pending, @done and the counters;
 *	taken from completion callbacks (after the channel's lock)
 * @bufs: pool buffers by id
 * @pending: asynchronous transfers in flight, oldest first
 * @done: ended transfers not yet reaped, in the order they ended
 * @nqueued: per channel, transfers submitted and not yet reaped (in
 *	@pending or @done): bounded by queue_depth
 * @next_id: id of the next transfer
 * @done_seq: counts transfers that ended; waiters sleep until it changes
 * @wq: woken when a transfer of this file ends
 * @watchdog: terminates channels on which a transfer is past its deadline
 * @watchdog_at: when @watchdog fires, if pending (under @lock)
 * @fmode: the file's f_mode: tx needs FMODE_WRITE, rx FMODE_READ
 * @mapping: the file's address space, to revoke its mappings at unbind
 * @node: entry in the device's @files, until the file is freed
 * @closed: release() ran: @mapping may be gone, nothing is mapped (set
 *	under @files_lock of the device and @lock)
 * @pool_bytes: bytes of this file's pool buffers still allocated
 * @release_work: ends what is still in flight after close, then frees;
 *	queued again for the next deadline, or at once by the last end
 */
struct dmaxfer_file {
	struct dmaxfer_dev *xd;
	spinlock_t lock;	/* see above */
	struct xarray bufs;
	struct list_head pending;
	struct list_head done;
	unsigned int nqueued[DMAXFER_NR_DIRS];
	u64 next_id;
	u64 done_seq;
	wait_queue_head_t wq;
	struct delayed_work watchdog;
	unsigned long watchdog_at;
	fmode_t fmode;
	struct address_space *mapping;
	struct list_head node;
	bool closed;
	atomic_long_t pool_bytes;
	struct delayed_work release_work;
};

/* Bytes from @addr up to the next @boundary crossing (mask + 1 aligned). */
static inline size_t dmaxfer_to_boundary(u64 addr, unsigned long boundary)
{
	u64 left = (u64)boundary - (addr & boundary);

	/* A mask of all ones (no boundary) would overflow "+ 1". */
	return left >= SIZE_MAX ? SIZE_MAX : (size_t)left + 1;
}

/* of.c */
int dmaxfer_of_parse_chan(struct device *dev, const char *name,
			  struct dmaxfer_chan_props *props);
int dmaxfer_of_check_dma_names(struct device *dev);
u32 dmaxfer_of_timeout_ms(struct device *dev, u32 def);

/* sgt.c */
int dmaxfer_sgt_build(struct sg_table *sgt, struct page **pages,
		      unsigned int npages, unsigned int offset, size_t len,
		      unsigned int max_seg, gfp_t gfp);
int dmaxfer_sgt_build_bounded(struct sg_table *sgt, struct page **pages,
			      unsigned int npages, unsigned int offset, size_t len,
			      unsigned int max_seg, unsigned long boundary, gfp_t gfp);
unsigned int dmaxfer_chan_max_seg(struct dmaxfer_chan *xc);

/* xfer.c */
void dmaxfer_chan_init(struct dmaxfer_chan *xc, struct dmaxfer_dev *xd,
		       enum dmaxfer_dir d);
int dmaxfer_chan_setup(struct dmaxfer_chan *xc);
int dmaxfer_xfer_init(struct dmaxfer_xfer *x, struct dmaxfer_chan *xc,
		      struct page **pages, unsigned int npages,
		      unsigned int offset, size_t len);
int dmaxfer_xfer_init_coherent(struct dmaxfer_xfer *x, struct dmaxfer_chan *xc,
			       dma_addr_t addr, size_t len);
int dmaxfer_xfer_submit(struct dmaxfer_xfer *x);
void dmaxfer_xfer_unmap(struct dmaxfer_xfer *x);
void dmaxfer_chan_issue(struct dmaxfer_chan *xc);
int dmaxfer_xfer_wait(struct dmaxfer_xfer *x, unsigned long timeout);
void dmaxfer_xfer_fini(struct dmaxfer_xfer *x);
void dmaxfer_chan_abort(struct dmaxfer_chan *xc);
/* xfer.c, for xfer_abort.c: account an ended transfer, xc->lock held. */
void dmaxfer_finish_locked(struct dmaxfer_xfer *x, int error, u32 residue);
void dmaxfer_callback(void *param, const struct dmaengine_result *res);
void dmaxfer_chan_quirks(struct dmaxfer_chan *xc);
void dmaxfer_desc_set_callback(struct dmaxfer_chan *xc,
			       struct dma_async_tx_descriptor *desc,
			       struct dmaxfer_xfer *x);
void dmaxfer_chan_kick(struct dmaxfer_chan *xc);
void dmaxfer_chan_end(struct dmaxfer_chan *xc);
long dmaxfer_chan_wait_end(struct dmaxfer_chan *xc, u64 seen, long timeout);
long dmaxfer_chan_wait_end_stream(struct dmaxfer_chan *xc, u64 seen, long timeout);

/* cdev.c */
int dmaxfer_cdev_register(struct dmaxfer_dev *xd);
void dmaxfer_dev_put(struct dmaxfer_dev *xd);
extern unsigned int dmaxfer_queue_depth;
unsigned int dmaxfer_depth(void);
void dmaxfer_file_free(struct dmaxfer_file *f);
int dmaxfer_wq_init(void);
void dmaxfer_wq_exit(void);
extern struct workqueue_struct *dmaxfer_wq;

/* limits.c */
int dmaxfer_total_charge(size_t bytes);
void dmaxfer_total_uncharge(size_t bytes);
int dmaxfer_pool_charge(atomic_long_t *pool_bytes, size_t bytes);
int dmaxfer_pin_charge(struct mm_struct *mm, unsigned long npages);
void dmaxfer_pin_uncharge(struct mm_struct *mm, unsigned long npages);

/* debugfs.c */
int dmaxfer_debugfs_add(struct dmaxfer_dev *xd);
void dmaxfer_debugfs_init(void);
void dmaxfer_debugfs_exit(void);

/* ioctl.c */
long dmaxfer_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
u32 dmaxfer_widths_to_abi(u32 caps);

/* pool.c */
struct dmaxfer_buf *dmaxfer_buf_get(struct dmaxfer_file *f, u32 id);
void dmaxfer_buf_put(struct dmaxfer_buf *b);
int dmaxfer_pool_alloc(struct dmaxfer_file *f, struct dmaxfer_chan *xc,
		       size_t len, u32 *id, u64 *offset);
int dmaxfer_pool_free(struct dmaxfer_file *f, u32 id);
void dmaxfer_pool_destroy(struct dmaxfer_file *f);
void dmaxfer_pool_revoke(struct dmaxfer_dev *xd);
int dmaxfer_mmap(struct file *file, struct vm_area_struct *vma);

/* async.c */
#define DMAXFER_MAX_XFER	SZ_64M
struct dmaxfer_xfer_req;
struct dmaxfer_completion;
void dmaxfer_async_init(struct dmaxfer_file *f);
int dmaxfer_async_submit(struct dmaxfer_file *f, struct dmaxfer_xfer_req *req);
struct dmaxfer_async;
int dmaxfer_async_wait(struct dmaxfer_file *f, struct dmaxfer_completion *c,
		       struct dmaxfer_async **held);
void dmaxfer_async_wait_end(struct dmaxfer_file *f, struct dmaxfer_async *a,
			    bool delivered);
void dmaxfer_async_put_back(struct dmaxfer_file *f, struct dmaxfer_async **a,
			    unsigned int n);
/* A reserved field (or array of them) is all zeros: ioctl.c, batch.c. */
#define ZEROED(field) (!memchr_inv(&(field), 0, sizeof(field)))

/* batch.c */
struct dmaxfer_submit_batch;
struct dmaxfer_wait_batch;
int dmaxfer_batch_submit(struct dmaxfer_file *f, struct dmaxfer_submit_batch *b);
int dmaxfer_batch_wait(struct dmaxfer_file *f, struct dmaxfer_wait_batch *b,
		       struct dmaxfer_async ***held, unsigned int *nheld);
void dmaxfer_batch_wait_end(struct dmaxfer_file *f, struct dmaxfer_async **held,
			    unsigned int count, unsigned int nheld, bool delivered);
__poll_t dmaxfer_async_poll(struct dmaxfer_file *f, struct file *file,
			    struct poll_table_struct *wait);
bool dmaxfer_async_idle(struct dmaxfer_file *f);
void dmaxfer_async_unmap_all(struct dmaxfer_file *f);
bool dmaxfer_async_release(struct dmaxfer_file *f);
unsigned int dmaxfer_rx_align(struct dmaxfer_chan *xc);

#if IS_ENABLED(CONFIG_KUNIT)
extern bool dmaxfer_test_skip_cpu_sync;
#else
#define dmaxfer_test_skip_cpu_sync false
#endif

extern const struct attribute_group *dmaxfer_groups[];
extern unsigned int dmaxfer_seg_size;

#endif /* _DMAXFER_H */
