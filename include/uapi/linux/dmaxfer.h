/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmaxfer user-space ABI: /dev/dmaxfer<N>.
 *
 * read() and write() move data through the "rx" and "tx" channels with a
 * copy. The ioctls below add a per-open pool of coherent DMA buffers that
 * can be mmap()ed, zero-copy transfers from any user address, asynchronous
 * submission with completion records, and poll().
 *
 * Rules for every ioctl (the model is <linux/dma-heap.h>):
 * - The argument is one of the structs below. Its size is encoded in the
 *   command, so a struct can grow at its end in a later version:
 *   - any size from the struct's first published size (DMAXFER_*_SIZE_VER0
 *     below) upwards is accepted;
 *   - a caller built against an older, shorter struct gets the fields it
 *     does not know treated as zero, and only the bytes it passed are
 *     written back;
 *   - a newer, longer struct is accepted if every byte the kernel does not
 *     know is zero, and refused with E2BIG otherwise;
 *   - a struct shorter than its first published size is refused with
 *     EINVAL. The command's number and direction must match (ENOTTY).
 * - Every field named reserved* must be zero, and unknown flag bits must be
 *   clear: EINVAL otherwise. They may gain a meaning later.
 * - No kernel pointer and no physical or bus address is ever returned.
 */
#ifndef _UAPI_LINUX_DMAXFER_H
#define _UAPI_LINUX_DMAXFER_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DMAXFER_ABI_VERSION	2	/* 2: DMAXFER_IOC_SUBMIT_BATCH, DMAXFER_IOC_WAIT_BATCH */

/* Channel ids */
#define DMAXFER_CHAN_TX		0	/* memory to peripheral */
#define DMAXFER_CHAN_RX		1	/* peripheral to memory */

/**
 * struct dmaxfer_chan_info - DMAXFER_IOC_INFO: what a channel can do
 * @chan: in: DMAXFER_CHAN_TX or DMAXFER_CHAN_RX
 * @flags: out: DMAXFER_INFO_PRESENT: the node has this channel;
 *	DMAXFER_INFO_PAUSE: the controller can pause, and the channel is
 *	paused before the residues are read at termination. For a channel
 *	the node does not have, @flags is 0 and only @chan and @abi_version
 *	are set.
 * @abi_version: out: DMAXFER_ABI_VERSION
 * @bus_width: out: bytes per peripheral access; lengths, zero-copy
 *	addresses and pool offsets must be multiples of it
 * @maxburst: out: peripheral accesses per burst (from the device tree)
 * @addr_widths: out: widths the controller supports on the peripheral
 *	side, bit n = 2^n bytes
 * @max_burst: out: the controller's largest burst, 0 if it does not say
 * @max_seg_size: out: largest scatter-gather segment the driver builds
 * @residue_granularity: out: DMAXFER_RESIDUE_DESCRIPTOR (the controller
 *	cannot say how much of a transfer it ended early moved: such records
 *	carry DMAXFER_RESULT_RESIDUE_UNKNOWN), DMAXFER_RESIDUE_SEGMENT or
 *	DMAXFER_RESIDUE_BURST
 * @timeout_ms: out: the device's current per-transfer timeout: a transfer
 *	not done after this long is terminated
 * @max_xfer_len: out: largest single transfer, in bytes (64 MiB)
 * @queue_depth: out: asynchronous transfers one open file may have per
 *	channel, in flight or ended and not yet reaped
 * @dma_chan: out: dmaengine channel name, NUL-terminated
 * @rx_align: out: alignment in bytes of both ends (start and length) of
 *	an rx zero-copy buffer: the DMA cache line size where the controller
 *	is not DMA-coherent (the CPU's partial lines at either end would be
 *	lost), else the bus width (EINVAL otherwise)
 * @reserved0: in: zero
 * @reserved: in: zero
 */
struct dmaxfer_chan_info {
	__u32 chan;
	__u32 flags;
	__u32 abi_version;
	__u32 bus_width;
	__u32 maxburst;
	__u32 addr_widths;
	__u32 max_burst;
	__u32 max_seg_size;
	__u32 residue_granularity;
	__u32 timeout_ms;
	__u32 max_xfer_len;
	__u32 queue_depth;
	char dma_chan[32];
	__u32 rx_align;
	__u32 reserved0;
	__u64 reserved[3];
};

#define DMAXFER_INFO_PRESENT	(1U << 0)	/* the device tree has this channel */
#define DMAXFER_INFO_PAUSE	(1U << 1)	/* paused before the residue is read */

#define DMAXFER_RESIDUE_DESCRIPTOR	0	/* only 0 or the whole length */
#define DMAXFER_RESIDUE_SEGMENT		1
#define DMAXFER_RESIDUE_BURST		2

/**
 * struct dmaxfer_buf_alloc - DMAXFER_IOC_BUF_ALLOC: a coherent DMA buffer
 * @length: in: bytes, 1 to max_xfer_len; the buffer is rounded up to pages
 * @chan: in: the channel whose DMA controller will use the buffer
 * @flags: in: zero
 * @id: out: buffer id, unique within this open file, never 0
 * @reserved0: in: zero
 * @mmap_offset: out: the offset to pass to mmap() to map this buffer
 *	(ENOSPC: no more buffers in this file; 62 on 32-bit systems)
 * @reserved: in: zero
 *
 * The memory is zeroed before it can be mapped, belongs to the open file
 * and is freed by DMAXFER_IOC_BUF_FREE or close, once no mapping and no
 * transfer uses it any more.
 */
struct dmaxfer_buf_alloc {
	__u64 length;
	__u32 chan;
	__u32 flags;
	__u32 id;
	__u32 reserved0;
	__u64 mmap_offset;
	__u64 reserved[2];
};

/**
 * struct dmaxfer_buf_free - DMAXFER_IOC_BUF_FREE
 * @id: in: a buffer of this open file
 * @flags: in: zero
 * @reserved: in: zero
 */
struct dmaxfer_buf_free {
	__u32 id;
	__u32 flags;
	__u64 reserved[2];
};

/**
 * struct dmaxfer_xfer_req - DMAXFER_IOC_SUBMIT: start a transfer
 * @chan: in: DMAXFER_CHAN_TX or DMAXFER_CHAN_RX
 * @flags: in: DMAXFER_XFER_* bits
 * @buf_id: in: the pool buffer, unless DMAXFER_XFER_USER_PTR
 * @reserved0: in: zero
 * @offset: in: start in the pool buffer (unless DMAXFER_XFER_USER_PTR)
 * @user_ptr: in: with DMAXFER_XFER_USER_PTR, the data's user address: the
 *	pages are pinned and used in place, nothing is copied
 * @length: in: bytes, a multiple of bus_width, at most max_xfer_len
 * @user_data: in: returned as is in the completion record
 * @id: out: transfer id, unique within this open file; the first is 1,
 *	0 is never a transfer id
 * @reserved: in: zero
 */
struct dmaxfer_xfer_req {
	__u32 chan;
	__u32 flags;
	__u32 buf_id;
	__u32 reserved0;
	__u64 offset;
	__u64 user_ptr;
	__u64 length;
	__u64 user_data;
	__u64 id;
	__u64 reserved[2];
};

#define DMAXFER_XFER_USER_PTR	(1U << 0)

/**
 * struct dmaxfer_completion - DMAXFER_IOC_WAIT: reap a completion record
 * @id: in: the transfer to wait for (unless DMAXFER_WAIT_ANY);
 *	out: the transfer this record is for
 * @flags: in: DMAXFER_WAIT_* bits
 * @status: out: 0, or a negative errno: ETIMEDOUT (terminated after
 *	its deadline), EIO (the controller reported an error or a short
 *	transfer; or an abort found its cookie complete but the callback
 *	that carries the outcome did not come within 100 ms, and then
 *	DMAXFER_RESULT_RESIDUE_UNKNOWN is set and @bytes is 0; or the
 *	channel could not be terminated), ECANCELED (terminated for
 *	something else: another transfer on the channel, of this or another
 *	file, past its deadline; a read() or write() on the channel whose
 *	transfer timed out or failed, or that got a fatal signal; the device
 *	going away; or the controller reported it aborted). Closing the file
 *	terminates nothing. A transfer whose success the controller did not
 *	confirm is never 0.
 * @chan: out: the channel
 * @result_flags: out: DMAXFER_RESULT_RESIDUE_UNKNOWN: the transfer ended
 *	early on a controller whose residue granularity is
 *	DMAXFER_RESIDUE_DESCRIPTOR, which cannot say how much of it moved;
 *	@bytes is then 0, a lower bound (ignored on input)
 * @bytes: out: bytes moved; with DMAXFER_RESULT_RESIDUE_UNKNOWN a lower
 *	bound
 * @residue: out: bytes not known to have moved (bytes + residue = length)
 * @user_data: out: as given at submission
 * @reserved: in: zero
 *
 * Each transfer yields exactly one record. With DMAXFER_WAIT_ANY the oldest
 * ready record is returned; records of one channel come in submission
 * order. Without DMAXFER_WAIT_NONBLOCK the call sleeps until a record is
 * ready; a transfer past its deadline is terminated first. Errors of the
 * call itself: EAGAIN (NONBLOCK, something in flight, nothing ready),
 * ENOENT (@id neither pending nor ready), ENODATA (ANY, nothing pending
 * or ready), EINTR (signal; the transfers go on and can be waited for
 * again).
 */
struct dmaxfer_completion {
	__u64 id;
	__u32 flags;
	__s32 status;
	__u32 chan;
	__u32 result_flags;
	__u64 bytes;
	__u64 residue;
	__u64 user_data;
	__u64 reserved[2];
};

#define DMAXFER_WAIT_ANY	(1U << 0)
#define DMAXFER_WAIT_NONBLOCK	(1U << 1)

/*
 * The transfer ended before it completed and the controller cannot say how
 * much of it moved (its residue granularity is DMAXFER_RESIDUE_DESCRIPTOR):
 * @bytes is a lower bound (0), @residue the rest of the length.
 */
#define DMAXFER_RESULT_RESIDUE_UNKNOWN	(1U << 0)

/**
 * struct dmaxfer_sync - DMAXFER_IOC_SYNC: bracket CPU access to a buffer
 * @buf_id: in: a pool buffer of this open file
 * @flags: in: DMAXFER_SYNC_START or DMAXFER_SYNC_END, with DMAXFER_SYNC_READ
 *	and/or DMAXFER_SYNC_WRITE, as DMA_BUF_IOCTL_SYNC
 * @offset: in: start of the range
 * @length: in: bytes, at least 1; the range must lie in the buffer
 * @reserved: in: zero
 *
 * Pool buffers are coherent, so this orders the CPU's accesses against the
 * device's (a memory barrier) and checks the range; it keeps programs
 * correct should a later version hand out non-coherent buffers.
 */
struct dmaxfer_sync {
	__u32 buf_id;
	__u32 flags;
	__u64 offset;
	__u64 length;
	__u64 reserved[2];
};

#define DMAXFER_SYNC_READ	(1U << 0)
#define DMAXFER_SYNC_WRITE	(1U << 1)
#define DMAXFER_SYNC_START	(0U << 2)
#define DMAXFER_SYNC_END	(1U << 2)

/**
 * struct dmaxfer_submit_batch - DMAXFER_IOC_SUBMIT_BATCH: start transfers
 * @reqs: in: user address of an array of @nr requests, each a struct
 *	dmaxfer_xfer_req of @elem_size bytes; out: the id of each request
 *	that started, in that element's id field
 * @nr: in: requests in the array, 1 to DMAXFER_BATCH_MAX
 * @elem_size: in: bytes per element: a multiple of 8, from
 *	DMAXFER_XFER_REQ_SIZE_VER0 to DMAXFER_BATCH_ELEM_MAX; each element
 *	follows the size rule of the header (a longer one is refused with
 *	E2BIG unless its extra bytes are zero)
 * @flags: in: zero
 * @done: out: how many requests started: reqs[0] to reqs[@done - 1],
 *	in array order, as if each had been given to DMAXFER_IOC_SUBMIT
 * @error: out: 0 if all @nr started; else the negative errno that
 *	DMAXFER_IOC_SUBMIT would have returned for reqs[@done], which did
 *	not start, nor did those after it: EBUSY (the channel's queue is
 *	full), ENOENT (no such buffer), ENOMEM, EFAULT (zero-copy memory
 *	that cannot be pinned), ENODEV, EINTR (a signal, or the freezer)
 * @reserved0: in: zero
 * @reserved: in: zero
 *
 * First every element is read and checked as SUBMIT checks a request
 * before it takes anything (reserved fields, channel, flags, length and
 * alignment, the file's mode), and proved writable: if one fails, the call
 * fails with its errno (EINVAL, E2BIG, EBADF, ENODEV, EFAULT) and nothing
 * starts. Then the requests start in order, and the first that cannot
 * ends the batch. If none started the call fails with that request's
 * errno, as DMAXFER_IOC_SUBMIT would, and @done and @error are not set;
 * else it returns 0, and @done and @error say how far it got. A request
 * that started yields its record as any other (DMAXFER_IOC_WAIT or
 * DMAXFER_IOC_WAIT_BATCH). Only if the array stops being writable during
 * the call can a started request's id fail to reach it: the batch then
 * ends after that request with @error EFAULT, and its record comes
 * through DMAXFER_WAIT_ANY. If the header itself cannot be written back
 * (the call fails with EFAULT), the ids in the array tell what started:
 * zero them before the call.
 */
struct dmaxfer_submit_batch {
	__u64 reqs;
	__u32 nr;
	__u32 elem_size;
	__u32 flags;
	__u32 done;
	__s32 error;
	__u32 reserved0;
	__u64 reserved[2];
};

/**
 * struct dmaxfer_wait_batch - DMAXFER_IOC_WAIT_BATCH: reap several records
 * @recs: in: user address of an array of @max elements, each a struct
 *	dmaxfer_completion of @elem_size bytes; out: the records, each with
 *	its flags 0 and the bytes past the record the kernel knows zeroed
 * @max: in: records wanted at most, 1 to DMAXFER_BATCH_MAX
 * @elem_size: in: bytes per element: a multiple of 8, from
 *	DMAXFER_COMPLETION_SIZE_VER0 to DMAXFER_BATCH_ELEM_MAX
 * @flags: in: DMAXFER_WAIT_NONBLOCK or zero
 * @count: out: records written, recs[0] to recs[@count - 1]
 * @reserved: in: zero
 *
 * As DMAXFER_IOC_WAIT with DMAXFER_WAIT_ANY: waits (unless
 * DMAXFER_WAIT_NONBLOCK) until a record is ready, then returns it and
 * every other one ready by then, up to @max, oldest first, without
 * waiting again. Errors are WAIT's, when no record was returned: EAGAIN,
 * ENODATA, EINTR, EFAULT; and EINVAL, ENOMEM. No record is lost: one
 * that cannot be written ends the batch before it and is the next one
 * out, and the records written are freed only once @count has reached
 * user space (if it cannot, they are all the next ones out again).
 */
struct dmaxfer_wait_batch {
	__u64 recs;
	__u32 max;
	__u32 elem_size;
	__u32 flags;
	__u32 count;
	__u64 reserved[2];
};

/* Elements per batch, and the largest element size accepted. */
#define DMAXFER_BATCH_MAX	64
#define DMAXFER_BATCH_ELEM_MAX	4096

/* The first published size of each struct: every size from it up is accepted. */
#define DMAXFER_CHAN_INFO_SIZE_VER0	112
#define DMAXFER_BUF_ALLOC_SIZE_VER0	48
#define DMAXFER_BUF_FREE_SIZE_VER0	24
#define DMAXFER_XFER_REQ_SIZE_VER0	72
#define DMAXFER_COMPLETION_SIZE_VER0	64
#define DMAXFER_SYNC_SIZE_VER0		40
#define DMAXFER_SUBMIT_BATCH_SIZE_VER0	48
#define DMAXFER_WAIT_BATCH_SIZE_VER0	40

#define DMAXFER_IOC_MAGIC	0xDA
#define DMAXFER_IOC_INFO	_IOWR(DMAXFER_IOC_MAGIC, 0x00, struct dmaxfer_chan_info)
#define DMAXFER_IOC_BUF_ALLOC	_IOWR(DMAXFER_IOC_MAGIC, 0x01, struct dmaxfer_buf_alloc)
#define DMAXFER_IOC_BUF_FREE	_IOW(DMAXFER_IOC_MAGIC, 0x02, struct dmaxfer_buf_free)
#define DMAXFER_IOC_SUBMIT	_IOWR(DMAXFER_IOC_MAGIC, 0x03, struct dmaxfer_xfer_req)
#define DMAXFER_IOC_WAIT	_IOWR(DMAXFER_IOC_MAGIC, 0x04, struct dmaxfer_completion)
#define DMAXFER_IOC_SYNC	_IOW(DMAXFER_IOC_MAGIC, 0x05, struct dmaxfer_sync)
#define DMAXFER_IOC_SUBMIT_BATCH _IOWR(DMAXFER_IOC_MAGIC, 0x06, struct dmaxfer_submit_batch)
#define DMAXFER_IOC_WAIT_BATCH	_IOWR(DMAXFER_IOC_MAGIC, 0x07, struct dmaxfer_wait_batch)

#endif /* _UAPI_LINUX_DMAXFER_H */
