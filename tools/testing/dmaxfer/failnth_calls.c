// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_failnth: the calls under test: for each, its setup, the call,
 * the checks after a success and after a failure, and the teardown.
 */
#include "failnth.h"

/* ---- the calls ----------------------------------------------------------- */

static int xopen(struct ctx *c)
{
	c->fd = open(dev, O_RDWR | O_CLOEXEC);
	return c->fd < 0 ? -1 : 0;
}

static int xalloc(struct ctx *c, uint32_t chan)
{
	struct dmaxfer_buf_alloc a = { .length = XLEN, .chan = chan };

	if (ioctl(c->fd, DMAXFER_IOC_BUF_ALLOC, &a))
		return -1;
	c->buf_id = a.id;
	c->mmap_off = a.mmap_offset;
	return 0;
}

static long submit_ptr(struct ctx *c, uint32_t chan, void *p)
{
	struct dmaxfer_xfer_req r = {
		.chan = chan,
		.flags = DMAXFER_XFER_USER_PTR,
		.user_ptr = (uintptr_t)p,
		.length = XLEN,
		.user_data = 0xfa17,
	};
	long ret = ioctl(c->fd, DMAXFER_IOC_SUBMIT, &r);

	if (!ret)
		c->xid = r.id;
	return ret;
}

/* Reap c->xid (outside the fault): it must have moved all XLEN bytes. */
static bool reap_ok(struct ctx *c)
{
	struct dmaxfer_completion w = { .id = c->xid };

	if (ioctl(c->fd, DMAXFER_IOC_WAIT, &w)) {
		snprintf(c->why, sizeof(c->why), "WAIT for the transfer failed: %s",
			 errname(errno));
		return false;
	}
	if (w.status || w.bytes != XLEN || w.user_data != 0xfa17) {
		snprintf(c->why, sizeof(c->why), "record: status %d, %llu bytes, user_data %#llx",
			 w.status, (unsigned long long)w.bytes,
			 (unsigned long long)w.user_data);
		return false;
	}
	return true;
}

/* The FIFO must hold exactly @len bytes: the next @len of txbuf + @off. */
static bool fifo_holds(struct ctx *c, size_t off, size_t len)
{
	long long lvl = fifo_level();
	ssize_t n;

	if (lvl != (long long)len) {
		snprintf(c->why, sizeof(c->why), "FIFO holds %lld bytes, want %zu", lvl, len);
		return false;
	}
	if (!len)
		return true;
	memset(rxbuf, 0x5a, len);
	n = read(c->fd, rxbuf, len);
	if (n != (ssize_t)len || memcmp(rxbuf, txbuf + off, len)) {
		snprintf(c->why, sizeof(c->why), "read back %zd of %zu bytes, %s", n, len,
			 n == (ssize_t)len ? "data differ" : errname(errno));
		return false;
	}
	return true;
}

static bool fifo_is(struct ctx *c, long long want)
{
	long long lvl = fifo_level();

	if (lvl == want)
		return true;
	snprintf(c->why, sizeof(c->why), "FIFO holds %lld bytes, want %lld", lvl, want);
	return false;
}

static bool fifo_empty(struct ctx *c)
{
	return fifo_is(c, 0);
}

static bool fifo_untouched(struct ctx *c)
{
	return fifo_is(c, c->level0);
}

/* Feed the FIFO with the rx data, outside the fault. */
static int feed(struct ctx *c, size_t off, size_t len)
{
	if (write(c->fd, txbuf + off, len) != (ssize_t)len)
		return -1;
	c->level0 = fifo_level();
	return c->level0 == (long long)len ? 0 : -1;
}

/* open */
static long call_open(struct ctx *c)
{
	c->fd = open(dev, O_RDWR | O_CLOEXEC);
	return c->fd;
}

/* DMAXFER_IOC_INFO */
static long call_info(struct ctx *c)
{
	struct dmaxfer_chan_info i = { .chan = DMAXFER_CHAN_TX };
	long ret = ioctl(c->fd, DMAXFER_IOC_INFO, &i);

	if (!ret && (!(i.flags & DMAXFER_INFO_PRESENT) || i.abi_version != DMAXFER_ABI_VERSION))
		snprintf(c->why, sizeof(c->why), "INFO: flags %#x, abi %u", i.flags,
			 i.abi_version);
	return ret;
}

static bool info_ok(struct ctx *c, long ret)
{
	(void)ret;
	return !c->why[0];
}

/* DMAXFER_IOC_BUF_ALLOC */
static long call_buf_alloc(struct ctx *c)
{
	return xalloc(c, DMAXFER_CHAN_TX);
}

/* The buffer is there, zeroed, and mappable. */
static bool buf_alloc_ok(struct ctx *c, long ret)
{
	uint8_t *p;
	size_t i;

	(void)ret;
	p = mmap(NULL, XLEN, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, (off_t)c->mmap_off);
	if (p == MAP_FAILED) {
		snprintf(c->why, sizeof(c->why), "id %u: mmap failed: %s", c->buf_id,
			 errname(errno));
		return false;
	}
	c->map = p;
	for (i = 0; i < XLEN; i++)
		if (p[i]) {
			snprintf(c->why, sizeof(c->why), "new buffer not zeroed at %zu", i);
			return false;
		}
	return c->buf_id != 0;
}

static int setup_open_alloc(struct ctx *c)
{
	return xopen(c) || xalloc(c, DMAXFER_CHAN_TX);
}

/* DMAXFER_IOC_BUF_FREE */
static long call_buf_free(struct ctx *c)
{
	struct dmaxfer_buf_free f = { .id = c->buf_id };

	return ioctl(c->fd, DMAXFER_IOC_BUF_FREE, &f);
}

static bool buf_free_ok(struct ctx *c, long ret)
{
	struct dmaxfer_buf_free f = { .id = c->buf_id };

	(void)ret;
	if (!ioctl(c->fd, DMAXFER_IOC_BUF_FREE, &f) || errno != ENOENT) {
		snprintf(c->why, sizeof(c->why), "freed buffer %u still there", c->buf_id);
		return false;
	}
	return true;
}

/* DMAXFER_IOC_SUBMIT from the pool: tx of the whole buffer */
static int setup_pool(struct ctx *c)
{
	if (setup_open_alloc(c))
		return -1;
	c->map = mmap(NULL, XLEN, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		      (off_t)c->mmap_off);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		return -1;
	}
	memcpy(c->map, txbuf, XLEN);
	return 0;
}

/* The pool request of submit-pool and submit-batch: tx of the whole buffer. */
static struct dmaxfer_xfer_req pool_req(const struct ctx *c)
{
	return (struct dmaxfer_xfer_req){
		.chan = DMAXFER_CHAN_TX,
		.buf_id = c->buf_id,
		.length = XLEN,
		.user_data = 0xfa17,
	};
}

static long call_submit_pool(struct ctx *c)
{
	struct dmaxfer_xfer_req r = pool_req(c);
	long ret = ioctl(c->fd, DMAXFER_IOC_SUBMIT, &r);

	if (!ret)
		c->xid = r.id;
	return ret;
}

static bool submit_tx_ok(struct ctx *c, long ret)
{
	(void)ret;
	return reap_ok(c) && fifo_holds(c, 0, XLEN);
}

/* DMAXFER_IOC_SUBMIT, zero-copy tx from txbuf + XOFF */
static long call_submit_ptr_tx(struct ctx *c)
{
	return submit_ptr(c, DMAXFER_CHAN_TX, txbuf + XOFF);
}

static bool submit_ptr_tx_ok(struct ctx *c, long ret)
{
	(void)ret;
	return reap_ok(c) && fifo_holds(c, XOFF, XLEN);
}

/* DMAXFER_IOC_SUBMIT, zero-copy rx into rxbuf + RXOFF (resident) */
static int setup_rx(struct ctx *c)
{
	if (xopen(c) || feed(c, XOFF, XLEN))
		return -1;
	memset(rxbuf, 0x5a, sizeof(rxbuf));
	return 0;
}

static long call_submit_ptr_rx(struct ctx *c)
{
	return submit_ptr(c, DMAXFER_CHAN_RX, rxbuf + RXOFF);
}

static bool rx_data(struct ctx *c, const uint8_t *p, size_t len)
{
	if (memcmp(p, txbuf + XOFF, len)) {
		snprintf(c->why, sizeof(c->why), "received data differ");
		return false;
	}
	return fifo_is(c, c->level0 - len);
}

static bool submit_ptr_rx_ok(struct ctx *c, long ret)
{
	(void)ret;
	return reap_ok(c) && rx_data(c, rxbuf + RXOFF, XLEN);
}

/*
 * The same into memory never touched: pinning has to fault the pages in
 * (anon_vma, page tables, zeroed user pages), and can fail part-way.
 */
static int setup_rx_fresh(struct ctx *c)
{
	if (xopen(c) || feed(c, XOFF, XLEN))
		return -1;
	c->fresh = mmap(NULL, XLEN + PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->fresh == MAP_FAILED) {
		c->fresh = NULL;
		return -1;
	}
	return 0;
}

static long call_submit_ptr_rx_fresh(struct ctx *c)
{
	return submit_ptr(c, DMAXFER_CHAN_RX, (uint8_t *)c->fresh + RXOFF);
}

static bool submit_ptr_rx_fresh_ok(struct ctx *c, long ret)
{
	(void)ret;
	return reap_ok(c) && rx_data(c, (uint8_t *)c->fresh + RXOFF, XLEN);
}

/* DMAXFER_IOC_WAIT for a zero-copy tx that has ended (pinned, mapped) */
static int setup_wait(struct ctx *c)
{
	struct pollfd p;

	if (xopen(c) || submit_ptr(c, DMAXFER_CHAN_TX, txbuf + XOFF))
		return -1;
	p.fd = c->fd;
	p.events = POLLIN;
	return poll(&p, 1, 5000) == 1 ? 0 : -1;
}

static long call_wait(struct ctx *c)
{
	c->rec = (struct dmaxfer_completion){ .id = c->xid };
	return ioctl(c->fd, DMAXFER_IOC_WAIT, &c->rec);
}

static bool wait_ok(struct ctx *c, long ret)
{
	(void)ret;
	if (c->rec.id != c->xid || c->rec.status || c->rec.bytes != XLEN) {
		snprintf(c->why, sizeof(c->why), "record: id %llu, status %d, %llu bytes",
			 (unsigned long long)c->rec.id, c->rec.status,
			 (unsigned long long)c->rec.bytes);
		return false;
	}
	return fifo_holds(c, XOFF, XLEN);
}

/* DMAXFER_IOC_SUBMIT_BATCH: one pool request, tx of the whole buffer */
static long call_submit_batch(struct ctx *c)
{
	struct dmaxfer_xfer_req r = pool_req(c);
	struct dmaxfer_submit_batch b = {
		.reqs = (uintptr_t)&r,
		.nr = 1,
		.elem_size = sizeof(r),
	};
	long ret = ioctl(c->fd, DMAXFER_IOC_SUBMIT_BATCH, &b);

	if (!ret && (b.done != 1 || b.error)) {
		/* Not what a batch of one may say: submit_tx_ok fails it. */
		c->xid = 0;
		return ret;
	}
	if (!ret)
		c->xid = r.id;
	return ret;
}

/* DMAXFER_IOC_WAIT_BATCH of the ready record (as wait) */
static long call_wait_batch(struct ctx *c)
{
	struct dmaxfer_wait_batch b = {
		.recs = (uintptr_t)&c->rec,
		.max = 1,
		.elem_size = sizeof(c->rec),
	};
	long ret;

	memset(&c->rec, 0, sizeof(c->rec));
	ret = ioctl(c->fd, DMAXFER_IOC_WAIT_BATCH, &b);
	if (!ret && b.count != 1)
		c->rec.id = 0;	/* wait_ok fails it */
	return ret;
}

/* DMAXFER_IOC_SYNC */
static long call_sync(struct ctx *c)
{
	struct dmaxfer_sync s = {
		.buf_id = c->buf_id,
		.flags = DMAXFER_SYNC_START | DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE,
		.length = XLEN,
	};

	return ioctl(c->fd, DMAXFER_IOC_SYNC, &s);
}

/* mmap() of a pool buffer */
static long call_mmap(struct ctx *c)
{
	void *p = mmap(NULL, XLEN, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		       (off_t)c->mmap_off);

	if (p == MAP_FAILED)
		return -1;
	c->map = p;
	return 0;
}

static bool mmap_ok(struct ctx *c, long ret)
{
	uint8_t *p = c->map;
	size_t i;

	(void)ret;
	for (i = 0; i < XLEN; i++)
		if (p[i]) {
			snprintf(c->why, sizeof(c->why), "mapping not zeroed at %zu", i);
			return false;
		}
	memcpy(p, txbuf, XLEN);
	if (memcmp(p, txbuf, XLEN)) {
		snprintf(c->why, sizeof(c->why), "mapping does not keep what was written");
		return false;
	}
	return true;
}

/* read() */
static int setup_read(struct ctx *c)
{
	if (xopen(c) || feed(c, RWOFF, RWLEN))
		return -1;
	memset(rxbuf, 0x5a, sizeof(rxbuf));
	return 0;
}

static long call_read(struct ctx *c)
{
	return read(c->fd, rxbuf + RWOFF, RWLEN);
}

static bool read_ok(struct ctx *c, long ret)
{
	if (memcmp(rxbuf + RWOFF, txbuf + RWOFF, ret)) {
		snprintf(c->why, sizeof(c->why), "read %ld bytes that differ", ret);
		return false;
	}
	return fifo_is(c, c->level0 - ret);
}

/* write() */
static long call_write(struct ctx *c)
{
	return write(c->fd, txbuf + RWOFF, RWLEN);
}

static bool write_ok(struct ctx *c, long ret)
{
	/* Every transfer before the failed submission counts: exactly ret. */
	return fifo_holds(c, RWOFF, ret);
}

#define E_ALLOC		{ ENOMEM }
#define E_XFER		{ ENOMEM, EIO }	/* EIO: no DMA descriptor */

const struct call calls[] = {
	{ .name = "open", .call = call_open, .errnos = E_ALLOC },
	{ .name = "info", .setup = xopen, .call = call_info, .check_ok = info_ok,
	  .errnos = E_ALLOC },
	{ .name = "buf-alloc", .setup = xopen, .call = call_buf_alloc,
	  .check_ok = buf_alloc_ok, .errnos = E_ALLOC },
	{ .name = "buf-free", .setup = setup_open_alloc, .call = call_buf_free,
	  .check_ok = buf_free_ok, .errnos = E_ALLOC },
	{ .name = "submit-pool", .setup = setup_pool, .call = call_submit_pool,
	  .check_ok = submit_tx_ok, .check_failed = fifo_empty, .errnos = E_XFER },
	{ .name = "submit-ptr-tx", .setup = xopen, .call = call_submit_ptr_tx,
	  .check_ok = submit_ptr_tx_ok, .check_failed = fifo_empty, .errnos = E_XFER },
	{ .name = "submit-ptr-rx", .setup = setup_rx, .call = call_submit_ptr_rx,
	  .check_ok = submit_ptr_rx_ok, .check_failed = fifo_untouched, .errnos = E_XFER },
	{ .name = "submit-ptr-rx-unfaulted", .setup = setup_rx_fresh,
	  .call = call_submit_ptr_rx_fresh, .check_ok = submit_ptr_rx_fresh_ok,
	  .check_failed = fifo_untouched, .errnos = E_XFER },
	{ .name = "wait", .setup = setup_wait, .call = call_wait, .check_ok = wait_ok,
	  .errnos = E_ALLOC },
	{ .name = "submit-batch", .setup = setup_pool, .call = call_submit_batch,
	  .check_ok = submit_tx_ok, .check_failed = fifo_empty, .errnos = E_XFER },
	{ .name = "wait-batch", .setup = setup_wait, .call = call_wait_batch,
	  .check_ok = wait_ok, .errnos = E_ALLOC },
	{ .name = "sync", .setup = setup_open_alloc, .call = call_sync, .errnos = E_ALLOC },
	{ .name = "mmap", .setup = setup_open_alloc, .call = call_mmap, .check_ok = mmap_ok,
	  .errnos = E_ALLOC },
	{ .name = "read", .setup = setup_read, .call = call_read, .check_ok = read_ok,
	  .check_failed = fifo_untouched, .errnos = E_XFER, .full = RWLEN },
	{ .name = "write", .setup = xopen, .call = call_write, .check_ok = write_ok,
	  .check_failed = fifo_empty, .errnos = E_XFER, .full = RWLEN },
};

const size_t ncalls = sizeof(calls) / sizeof(calls[0]);

void teardown(struct ctx *c)
{
	if (c->map)
		munmap(c->map, XLEN);
	if (c->fresh)
		munmap(c->fresh, XLEN + PG);
	if (c->fd >= 0)
		close(c->fd);
	fifo_flush();
}

