// SPDX-License-Identifier: GPL-2.0
/*
 * libdmaxfer - thin, errno-preserving wrappers over the dmaxfer ioctls.
 * See libdmaxfer.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libdmaxfer.h"

int dmaxfer_open(const char *dev, int flags)
{
	return open(dev ? dev : DMAXFER_DEFAULT_DEV, flags | O_CLOEXEC);
}

int dmaxfer_info(int fd, uint32_t chan, struct dmaxfer_chan_info *info)
{
	memset(info, 0, sizeof(*info));
	info->chan = chan;
	return ioctl(fd, DMAXFER_IOC_INFO, info) ? -1 : 0;
}

int dmaxfer_chan_present(const struct dmaxfer_chan_info *info)
{
	return !!(info->flags & DMAXFER_INFO_PRESENT);
}

size_t dmaxfer_page_size(void)
{
	long pg = sysconf(_SC_PAGESIZE);

	return pg > 0 ? (size_t)pg : 4096;
}

int dmaxfer_buf_alloc(int fd, uint32_t chan, uint64_t length, struct dmaxfer_buf *buf)
{
	struct dmaxfer_buf_alloc a;
	size_t pg = dmaxfer_page_size();

	memset(&a, 0, sizeof(a));
	a.length = length;
	a.chan = chan;
	if (ioctl(fd, DMAXFER_IOC_BUF_ALLOC, &a))
		return -1;
	memset(buf, 0, sizeof(*buf));
	buf->id = a.id;
	buf->chan = chan;
	buf->length = length;
	buf->map_len = (size_t)((length + pg - 1) / pg * pg);
	buf->mmap_offset = a.mmap_offset;
	return 0;
}

int dmaxfer_buf_map(int fd, struct dmaxfer_buf *buf, int prot)
{
	void *p = mmap(NULL, buf->map_len, prot, MAP_SHARED, fd, (off_t)buf->mmap_offset);

	if (p == MAP_FAILED)
		return -1;
	buf->addr = p;
	return 0;
}

int dmaxfer_buf_unmap(struct dmaxfer_buf *buf)
{
	if (!buf->addr)
		return 0;
	if (munmap(buf->addr, buf->map_len))
		return -1;
	buf->addr = NULL;
	return 0;
}

int dmaxfer_buf_create(int fd, uint32_t chan, uint64_t length, struct dmaxfer_buf *buf)
{
	int err;

	if (dmaxfer_buf_alloc(fd, chan, length, buf))
		return -1;
	if (!dmaxfer_buf_map(fd, buf, PROT_READ | PROT_WRITE))
		return 0;
	err = errno;
	dmaxfer_buf_free_id(fd, buf->id);
	errno = err;
	return -1;
}

int dmaxfer_buf_free_id(int fd, uint32_t id)
{
	struct dmaxfer_buf_free f;

	memset(&f, 0, sizeof(f));
	f.id = id;
	return ioctl(fd, DMAXFER_IOC_BUF_FREE, &f) ? -1 : 0;
}

int dmaxfer_buf_destroy(int fd, struct dmaxfer_buf *buf)
{
	if (dmaxfer_buf_unmap(buf))
		return -1;
	return dmaxfer_buf_free_id(fd, buf->id);
}

int dmaxfer_submit(int fd, struct dmaxfer_xfer_req *req)
{
	return ioctl(fd, DMAXFER_IOC_SUBMIT, req) ? -1 : 0;
}

int dmaxfer_submit_buf(int fd, uint32_t chan, uint32_t buf_id, uint64_t offset,
		       uint64_t length, uint64_t user_data, uint64_t *id)
{
	struct dmaxfer_xfer_req r;

	memset(&r, 0, sizeof(r));
	r.chan = chan;
	r.buf_id = buf_id;
	r.offset = offset;
	r.length = length;
	r.user_data = user_data;
	if (dmaxfer_submit(fd, &r))
		return -1;
	if (id)
		*id = r.id;
	return 0;
}

int dmaxfer_submit_ptr(int fd, uint32_t chan, const void *ptr, uint64_t length,
		       uint64_t user_data, uint64_t *id)
{
	struct dmaxfer_xfer_req r;

	memset(&r, 0, sizeof(r));
	r.chan = chan;
	r.flags = DMAXFER_XFER_USER_PTR;
	r.user_ptr = (uint64_t)(uintptr_t)ptr;
	r.length = length;
	r.user_data = user_data;
	if (dmaxfer_submit(fd, &r))
		return -1;
	if (id)
		*id = r.id;
	return 0;
}

int dmaxfer_wait(int fd, uint64_t id, uint32_t flags, struct dmaxfer_completion *c)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->flags = flags;
	return ioctl(fd, DMAXFER_IOC_WAIT, c) ? -1 : 0;
}

int dmaxfer_wait_any(int fd, uint32_t flags, struct dmaxfer_completion *c)
{
	return dmaxfer_wait(fd, 0, flags | DMAXFER_WAIT_ANY, c);
}

int dmaxfer_sync(int fd, uint32_t buf_id, uint32_t flags, uint64_t offset,
		 uint64_t length)
{
	struct dmaxfer_sync s;

	memset(&s, 0, sizeof(s));
	s.buf_id = buf_id;
	s.flags = flags;
	s.offset = offset;
	s.length = length;
	return ioctl(fd, DMAXFER_IOC_SYNC, &s) ? -1 : 0;
}

int dmaxfer_poll(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (n <= 0)
		return n;
	if (p.revents & POLLIN)
		return 1;
	if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
		errno = p.revents & POLLNVAL ? EBADF : EIO;
		return -1;
	}
	return 0;
}

const char *dmaxfer_chan_name(uint32_t chan)
{
	switch (chan) {
	case DMAXFER_CHAN_TX:
		return "tx";
	case DMAXFER_CHAN_RX:
		return "rx";
	}
	return "?";
}

const char *dmaxfer_residue_name(uint32_t granularity)
{
	switch (granularity) {
	case DMAXFER_RESIDUE_DESCRIPTOR:
		return "descriptor";
	case DMAXFER_RESIDUE_SEGMENT:
		return "segment";
	case DMAXFER_RESIDUE_BURST:
		return "burst";
	}
	return "?";
}
