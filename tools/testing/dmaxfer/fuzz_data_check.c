// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_fuzz: the data check: worker 0 takes dmasim's loopback FIFO for
 * itself and checks that what it sends comes back byte for byte.
 */
#include "fuzz.h"

/* ---- the data check: the loopback FIFO to ourselves --------------------------- */

static int sim_write(const char *name, const char *val)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", simdir, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static long sim_read_num(const char *name)
{
	char path[256], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", simdir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/* 1: every dmasim channel idle; 0: one busy; -1: cannot tell. */
int sim_idle(void)
{
	char path[256], buf[512];
	int i, fd, seen = 0;
	ssize_t n;

	for (i = 0; i < 32; i++) {
		snprintf(path, sizeof(path), "%s/chan%d/stats", simdir, i);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			break;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return -1;
		buf[n] = 0;
		seen++;
		if (!strstr(buf, "state idle"))
			return 0;
	}
	return seen ? 1 : -1;
}

static void fill_pattern(uint64_t s, void *p, size_t n)
{
	struct pattern pt;

	pattern_init(&pt, s);
	pattern_fill(&pt, p, n);
}

static int wait_id(int fd, uint64_t id, struct dmaxfer_completion *c)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	return xioctl(fd, DMAXFER_IOC_WAIT, c);
}

static bool chk_submit_wait(struct worker *w, int fd, struct dmaxfer_xfer_req *r, const char *what)
{
	struct dmaxfer_completion c;
	int err;

	err = xioctl(fd, DMAXFER_IOC_SUBMIT, r);
	if (err) {
		viol(w, "data check: %s SUBMIT of %" PRIu64 " bytes: %s", what,
		     (uint64_t)r->length, strerror(err));
		return false;
	}
	err = wait_id(fd, r->id, &c);
	if (err || c.status || c.bytes != r->length) {
		viol(w, "data check: %s of %" PRIu64 " bytes: WAIT %s, status %d, bytes %" PRIu64,
		     what, (uint64_t)r->length, err ? strerror(err) : "ok", c.status,
		     (uint64_t)c.bytes);
		return false;
	}
	return true;
}

void data_check(struct worker *w)
{
	static char *src, *dst, *pool_tx, *pool_rx;
	static struct dmaxfer_buf_alloc ba[2];
	static uint32_t align;
	struct dmaxfer_xfer_req r;
	int fd = w->chkfd, i, tries, pth = 0, pathrx = 0;
	size_t len = 0;
	long lvl;
	ssize_t n;
	uint64_t t0 = now_ns();

	if (!src) {
		align = rx_align_of(fd);
		src = mmap(NULL, 2 * 262144, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		dst = src + 262144;
		for (i = 0; i < 2; i++) {
			memset(&ba[i], 0, sizeof(ba[i]));
			ba[i].length = 262144;
			ba[i].chan = i;
			if (xioctl(fd, DMAXFER_IOC_BUF_ALLOC, &ba[i])) {
				viol(w, "data check: BUF_ALLOC: %s", strerror(errno));
				return;
			}
		}
		pool_tx = mmap(NULL, 262144, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)ba[0].mmap_offset);
		pool_rx = mmap(NULL, 262144, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)ba[1].mmap_offset);
		if (src == MAP_FAILED || pool_tx == MAP_FAILED || pool_rx == MAP_FAILED) {
			viol(w, "data check: mmap failed");
			return;
		}
	}
	pthread_rwlock_wrlock(&sh->datalock);
	/* Everyone else is out of the driver; their transfers end by the timeout. */
	for (tries = 0; (i = sim_idle()) == 0 && tries < 500; tries++)
		usleep(10000);
	__atomic_fetch_add(&sh->stall_ms, (cnt_t)((now_ns() - t0) / 1000000), __ATOMIC_RELAXED);
	if (i != 1) {
		viol(w, "data check: dmasim channels still busy %.1f s after every worker stopped",
		     (now_ns() - t0) / 1e9);
		goto out;
	}
	op_begin(w, OP_check);
	sim_write("fifo_flush", "1");
	lvl = sim_read_num("fifo_level");
	if (lvl != 0) {
		viol(w, "data check: FIFO level %ld after a flush", lvl);
		goto end;
	}
	len = 4 * (1 + rn(w, 65536));
	len = (len + align - 1) / align * align;	/* rx zero-copy: whole cache lines */
	w->chk_seed++;
	fill_pattern(seed * 1000003 + w->chk_seed, src, len);
	pth = rn(w, 3);
	pathrx = rn(w, 3);
	/* tx: write(), pool or user pages */
	memset(&r, 0, sizeof(r));
	r.chan = TX;
	r.length = len;
	if (pth == 0) {
		n = write(fd, src, len);
		if (n != (ssize_t)len) {
			viol(w, "data check: write of %zu: %zd (%s)", len, n, strerror(errno));
			goto end;
		}
	} else if (pth == 1) {
		memcpy(pool_tx, src, len);
		r.buf_id = ba[0].id;
		if (!chk_submit_wait(w, fd, &r, "pool tx"))
			goto end;
	} else {
		r.flags = DMAXFER_XFER_USER_PTR;
		r.user_ptr = (uint64_t)(uintptr_t)src;
		if (!chk_submit_wait(w, fd, &r, "zero-copy tx"))
			goto end;
	}
	lvl = sim_read_num("fifo_level");
	if (lvl != (long)len) {
		viol(w, "data check: FIFO level %ld after sending %zu bytes (path %d)", lvl, len, pth);
		goto end;
	}
	memset(dst, 0xa5, len);
	memset(&r, 0, sizeof(r));
	r.chan = RX;
	r.length = len;
	if (pathrx == 0) {
		n = read(fd, dst, len);
		if (n != (ssize_t)len) {
			viol(w, "data check: read of %zu: %zd (%s)", len, n, strerror(errno));
			goto end;
		}
	} else if (pathrx == 1) {
		memset(pool_rx, 0x5a, len);
		r.buf_id = ba[1].id;
		if (!chk_submit_wait(w, fd, &r, "pool rx"))
			goto end;
		memcpy(dst, pool_rx, len);
	} else {
		r.flags = DMAXFER_XFER_USER_PTR;
		r.user_ptr = (uint64_t)(uintptr_t)dst;
		if (!chk_submit_wait(w, fd, &r, "zero-copy rx"))
			goto end;
	}
	if (memcmp(src, dst, len)) {
		for (i = 0; i < (int)len && src[i] == dst[i]; i++)
			;
		viol(w, "data check: %zu bytes sent (path %d) and read back (path %d) differ from byte %d (sent %02x, got %02x)",
		     len, pth, pathrx, i, (uint8_t)src[i], (uint8_t)dst[i]);
		goto end;
	}
	__atomic_fetch_add(&sh->checks, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sh->verified, len, __ATOMIC_RELAXED);
end:
	op_end(w, OP_check, 0, len, pth * 3 + pathrx);
out:
	pthread_rwlock_unlock(&sh->datalock);
}
