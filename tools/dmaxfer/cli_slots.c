// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer tool: transfer slots (the memory of one transfer in flight,
 * pool buffer or user memory) and reaping completions, for loop and bench.
 */
#include "dmaxfer_cli.h"

/* ---- transfer slots: the memory of one transfer in flight ---------------- */

void slots_fini(int fd, struct slot *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; s && i < n; i++) {
		if (s[i].alloc)
			free(s[i].alloc);
		else if (s[i].buf.id)
			dmaxfer_buf_destroy(fd, &s[i].buf);
	}
	free(s);
}

/* n slots of size bytes on chan; NULL (message printed) on failure. */
struct slot *slots_init(int fd, uint32_t chan, unsigned int n, size_t size,
			int zero_copy)
{
	size_t pg = dmaxfer_page_size();
	struct slot *s = calloc(n, sizeof(*s));
	unsigned int i;

	if (!s) {
		perror("dmaxfer: slots");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (zero_copy) {
			if (posix_memalign(&s[i].alloc, pg, round_up(size, pg))) {
				perror("dmaxfer: buffer");
				goto fail;
			}
			s[i].mem = s[i].alloc;
			memset(s[i].mem, 0, size);	/* fault the pages in */
		} else {
			if (dmaxfer_buf_create(fd, chan, size, &s[i].buf)) {
				fprintf(stderr, "dmaxfer: %zu-byte %s pool buffer: %s\n", size,
					dmaxfer_chan_name(chan), strerror(errno));
				goto fail;
			}
			s[i].mem = s[i].buf.addr;
		}
	}
	return s;
fail:
	slots_fini(fd, s, n);
	return NULL;
}

int slot_submit(int fd, uint32_t chan, struct slot *s, uint64_t len,
		uint64_t user_data, int zero_copy)
{
	s->len = len;
	s->t = now();
	if (zero_copy)
		return dmaxfer_submit_ptr(fd, chan, s->mem, len, user_data, NULL);
	return dmaxfer_submit_buf(fd, chan, s->buf.id, 0, len, user_data, NULL);
}

/* WAIT(ANY), retried on EINTR. */
int reap(int fd, struct dmaxfer_completion *c)
{
	int r;

	do
		r = dmaxfer_wait_any(fd, 0, c);
	while (r && errno == EINTR);
	return r;
}

/* Reap every record still to come, so no transfer uses our memory. */
void drain(int fd)
{
	struct dmaxfer_completion c;

	while (!reap(fd, &c))
		;
}

const char *status_str(int32_t status)
{
	return strerror(status < 0 ? -status : status);
}

