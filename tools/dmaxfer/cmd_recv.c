// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer tool: recv, one rx transfer of -n bytes into a window between
 * poison guards, then a check of every window byte and every guard byte.
 *
 * The window and its guards are one piece of memory, laid out the same
 * way in every mode: the window starts -o bytes into a page, the guards
 * are the -g bytes directly before and after it, and every byte is
 * poisoned with RECV_POISON before the transfer.
 *
 *   read       read() into a user buffer: the DMA writes the driver's
 *              bounce pages, so the guards check copy_to_user()
 *   zero-copy  SUBMIT with DMAXFER_XFER_USER_PTR on an anonymous mapping:
 *              the DMA writes the window itself, and the guards are the
 *              bytes next to the DMA's own destination
 *   pool       SUBMIT on a pool buffer (BUF_ALLOC, mmap) at the window's
 *              offset: the guards are the buffer's bytes around it
 *
 * --plant-overrun K (zero-copy, pool) is the guards' negative control: the
 * transfer starts K bytes before the window and ends K bytes after it, as
 * a DMA that overran its window would, so both guards must be caught.
 */
#include "dmaxfer_cli.h"

#define RECV_POISON	0xa5

/* One poisoned region: [guard][window][guard], window at page offset o. */
struct recv_area {
	uint8_t *map;		/* what to free or unmap */
	size_t map_len;
	size_t lead;		/* map to the window: guard rounded up to pages, + o */
	uint8_t *win;
	struct dmaxfer_buf buf;	/* pool mode */
};

static size_t recv_lead(const struct opts *o)
{
	return round_up(o->guard, dmaxfer_page_size()) + o->offset;
}

/* The byte that window byte @i must hold (-e: a byte, or a 32-bit word). */
static uint8_t recv_want(const struct opts *o, size_t i)
{
	if (o->expect_word)
		return (uint8_t)(o->expect >> (8 * (i % 4)));
	return (uint8_t)o->expect;
}

/*
 * The @g guard bytes at @p must all still be poison: else name how many
 * are not and the first one, counted from the window's edge. 0 or 1.
 */
static int guard_bad(const uint8_t *p, size_t g, int before)
{
	size_t i, nbad = 0, first = 0;

	for (i = 0; i < g; i++) {
		if (p[i] != RECV_POISON && !nbad++)
			first = before ? g - i : i;
	}
	if (nbad)
		fprintf(stderr, "dmaxfer: GUARD %s: %zu of %zu bytes hit, the %s at %c%zu\n",
			before ? "before the window" : "after the window", nbad, g,
			before ? "farthest" : "first", before ? '-' : '+', first);
	return !!nbad;
}

/*
 * Every guard byte must still be poison, and with -e every window byte
 * what the device sends: the first bad byte of each is named, with how
 * many there are. Returns 0 or EXIT_MISMATCH.
 */
static int recv_check(const struct opts *o, const uint8_t *win)
{
	size_t len = o->size, i, nbad = 0, first = 0;
	int bad;

	bad = guard_bad(win - o->guard, o->guard, 1);
	bad |= guard_bad(win + len, o->guard, 0);
	for (i = 0; o->expect >= 0 && i < len; i++) {
		if (win[i] != recv_want(o, i) && !nbad++)
			first = i;
	}
	if (nbad) {
		fprintf(stderr, "dmaxfer: MISMATCH at offset %zu: expected 0x%02x, got 0x%02x",
			first, recv_want(o, first), win[first]);
		fprintf(stderr, " (%zu of %zu bytes)\n", nbad, len);
		bad = 1;
	}
	return bad ? EXIT_MISMATCH : 0;
}

/* Map and poison the area of the mode; 0 or EXIT_IO after a message. */
static int recv_area_init(int fd, const struct opts *o, struct recv_area *a)
{
	size_t pg = dmaxfer_page_size();

	memset(a, 0, sizeof(*a));
	a->lead = recv_lead(o);
	a->map_len = round_up(a->lead + o->size + o->guard, pg);
	if (o->mode == MODE_POOL) {
		/* The buffer's length: the window's end and its guard. */
		if (dmaxfer_buf_create(fd, DMAXFER_CHAN_RX, a->lead + o->size + o->guard,
				       &a->buf)) {
			fprintf(stderr, "dmaxfer: %zu-byte rx pool buffer: %s\n",
				a->lead + (size_t)o->size + o->guard, strerror(errno));
			return EXIT_IO;
		}
		a->map = a->buf.addr;
	} else {
		/* Anonymous memory, pinnable for zero-copy rx. */
		a->map = mmap(NULL, a->map_len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (a->map == MAP_FAILED) {
			a->map = NULL;
			perror("dmaxfer: buffer");
			return EXIT_IO;
		}
	}
	a->win = a->map + a->lead;
	memset(a->win - o->guard, RECV_POISON, o->size + 2 * o->guard);
	return 0;
}

static void recv_area_fini(int fd, const struct opts *o, struct recv_area *a)
{
	if (o->mode == MODE_POOL && a->buf.id)
		dmaxfer_buf_destroy(fd, &a->buf);
	else if (o->mode != MODE_POOL && a->map)
		munmap(a->map, a->map_len);
}

/* One SUBMIT and its record: 0, or EXIT_IO / EXIT_SHORT after a message. */
static int recv_submit(int fd, const struct opts *o, struct recv_area *a)
{
	uint64_t id, len = o->size + 2 * o->plant;
	struct dmaxfer_completion c;
	int r;

	if (o->mode == MODE_POOL)
		r = dmaxfer_submit_buf(fd, DMAXFER_CHAN_RX, a->buf.id, a->lead - o->plant, len,
				       0x7ec, &id);
	else
		r = dmaxfer_submit_ptr(fd, DMAXFER_CHAN_RX, a->win - o->plant, len, 0x7ec, &id);
	if (r) {
		struct dmaxfer_chan_info ci;
		int err = errno;

		fprintf(stderr, "dmaxfer: %s rx of %llu bytes at page offset %zu: %s\n",
			mode_names[o->mode], (unsigned long long)o->size, o->offset,
			strerror(err));
		if (err == EINVAL && !dmaxfer_info(fd, DMAXFER_CHAN_RX, &ci))
			fprintf(stderr, "dmaxfer: (bus width %u; zero-copy: ends on rx_align %u)\n",
				ci.bus_width, ci.rx_align);
		return EXIT_IO;
	}
	do
		r = dmaxfer_wait(fd, id, 0, &c);
	while (r && errno == EINTR);
	if (r) {
		perror("dmaxfer: DMAXFER_IOC_WAIT");
		return EXIT_IO;
	}
	if (c.status || c.bytes != len) {
		fprintf(stderr, "dmaxfer: %s rx of %llu bytes ended with %s, %llu bytes moved\n",
			mode_names[o->mode], (unsigned long long)len,
			c.status ? status_str(c.status) : "success",
			(unsigned long long)c.bytes);
		return EXIT_SHORT;
	}
	/* A no-op on coherent memory; the ABI's way to read a pool buffer. */
	if (o->mode == MODE_POOL &&
	    dmaxfer_sync(fd, a->buf.id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0,
			 a->buf.length)) {
		perror("dmaxfer: DMAXFER_IOC_SYNC");
		return EXIT_IO;
	}
	return 0;
}

/* read(): 0, or EXIT_IO after a message. */
static int recv_read(int fd, const struct opts *o, struct recv_area *a)
{
	ssize_t r = read(fd, a->win, o->size);

	if (r == (ssize_t)o->size)
		return 0;
	fprintf(stderr, "dmaxfer: read of %llu bytes: %s\n", (unsigned long long)o->size,
		r < 0 ? strerror(errno) : "short read");
	return EXIT_IO;
}

int cmd_recv(const struct opts *o)
{
	struct recv_area a;
	int fd, rc;

	if (o->plant && (o->mode == MODE_WRITE || o->plant > o->guard)) {
		fprintf(stderr, "dmaxfer: --plant-overrun: zero-copy or pool, K <= -g\n");
		return EXIT_USAGE;
	}
	/*
	 * read() works on any file: the host tests the comparator that way.
	 * A pool mapping is MAP_SHARED and writable (the poison): O_RDWR.
	 */
	fd = o->mode == MODE_WRITE ? open(o->dev, O_RDONLY | O_CLOEXEC) :
				     dmaxfer_open(o->dev, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "dmaxfer: %s: %s\n", o->dev, strerror(errno));
		return EXIT_IO;
	}
	rc = recv_area_init(fd, o, &a);
	if (!rc)
		rc = o->mode == MODE_WRITE ? recv_read(fd, o, &a) : recv_submit(fd, o, &a);
	if (!rc)
		rc = recv_check(o, a.win);
	if (!rc)
		printf("received %llu bytes (%s) between %zu-byte guards%s\n",
		       (unsigned long long)o->size,
		       o->mode == MODE_WRITE ? "read" : mode_names[o->mode], o->guard,
		       o->expect < 0 ? "" : ", all as expected");
	recv_area_fini(fd, o, &a);
	close(fd);
	return rc;
}
