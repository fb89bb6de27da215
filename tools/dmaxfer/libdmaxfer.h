/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libdmaxfer - thin wrappers over the /dev/dmaxfer<N> ioctls
 * (include/uapi/linux/dmaxfer.h, the authoritative ABI).
 *
 * Every function returns 0 (or a file descriptor / an address) on success
 * and -1 (or MAP_FAILED) with errno set on failure. errno is always the
 * kernel's: where a wrapper has to clean up after a failure, the clean-up
 * does not change errno. Nothing is retried, EINTR included.
 *
 * Build with -I<top>/include/uapi and, on 32-bit targets,
 * -D_FILE_OFFSET_BITS=64 (mmap offsets are 64-bit).
 */
#ifndef LIBDMAXFER_H
#define LIBDMAXFER_H

#include <stddef.h>
#include <stdint.h>
#include <linux/dmaxfer.h>

#define DMAXFER_DEFAULT_DEV	"/dev/dmaxfer0"
#define DMAXFER_NR_CHANS	2

/**
 * struct dmaxfer_buf - a pool buffer of one open file
 * @id: the kernel's buffer id (never 0)
 * @chan: the channel it was allocated for
 * @length: the length asked for
 * @map_len: @length rounded up to pages: what dmaxfer_buf_map() maps
 * @mmap_offset: the offset to mmap() it at
 * @addr: the mapping, or NULL when not mapped
 */
struct dmaxfer_buf {
	uint32_t id;
	uint32_t chan;
	uint64_t length;
	size_t map_len;
	uint64_t mmap_offset;
	void *addr;
};

/* Open DEV (NULL: /dev/dmaxfer0) with O_CLOEXEC and @flags (O_RDWR ...). */
int dmaxfer_open(const char *dev, int flags);

/* DMAXFER_IOC_INFO for @chan. */
int dmaxfer_info(int fd, uint32_t chan, struct dmaxfer_chan_info *info);
/* The device tree has this channel. */
int dmaxfer_chan_present(const struct dmaxfer_chan_info *info);

/* DMAXFER_IOC_BUF_ALLOC: fills @buf, not mapped. */
int dmaxfer_buf_alloc(int fd, uint32_t chan, uint64_t length, struct dmaxfer_buf *buf);
/* mmap() @buf (MAP_SHARED, @prot), sets @buf->addr. */
int dmaxfer_buf_map(int fd, struct dmaxfer_buf *buf, int prot);
/* munmap() @buf if mapped. */
int dmaxfer_buf_unmap(struct dmaxfer_buf *buf);
/* Allocate and map read-write in one go; nothing is left behind on failure. */
int dmaxfer_buf_create(int fd, uint32_t chan, uint64_t length, struct dmaxfer_buf *buf);
/* DMAXFER_IOC_BUF_FREE by id. */
int dmaxfer_buf_free_id(int fd, uint32_t id);
/* Unmap (if mapped) and free @buf. */
int dmaxfer_buf_destroy(int fd, struct dmaxfer_buf *buf);

/* DMAXFER_IOC_SUBMIT with a request the caller filled; sets req->id. */
int dmaxfer_submit(int fd, struct dmaxfer_xfer_req *req);
/* Submit @length bytes at @offset of pool buffer @buf_id. @id may be NULL. */
int dmaxfer_submit_buf(int fd, uint32_t chan, uint32_t buf_id, uint64_t offset,
		       uint64_t length, uint64_t user_data, uint64_t *id);
/* Submit @length bytes at user address @ptr, zero-copy. @id may be NULL. */
int dmaxfer_submit_ptr(int fd, uint32_t chan, const void *ptr, uint64_t length,
		       uint64_t user_data, uint64_t *id);

/* DMAXFER_IOC_WAIT for transfer @id; @flags: DMAXFER_WAIT_NONBLOCK. */
int dmaxfer_wait(int fd, uint64_t id, uint32_t flags, struct dmaxfer_completion *c);
/* DMAXFER_IOC_WAIT with DMAXFER_WAIT_ANY: the oldest record. */
int dmaxfer_wait_any(int fd, uint32_t flags, struct dmaxfer_completion *c);

/* DMAXFER_IOC_SYNC; @flags: DMAXFER_SYNC_{START,END} | READ and/or WRITE. */
int dmaxfer_sync(int fd, uint32_t buf_id, uint32_t flags, uint64_t offset,
		 uint64_t length);

/* poll() for a ready completion record; 1 ready, 0 timeout, -1 error. */
int dmaxfer_poll(int fd, int timeout_ms);

/* "tx", "rx" or "?" */
const char *dmaxfer_chan_name(uint32_t chan);
/* "descriptor", "segment", "burst" or "?" */
const char *dmaxfer_residue_name(uint32_t granularity);
size_t dmaxfer_page_size(void);

#endif /* LIBDMAXFER_H */
