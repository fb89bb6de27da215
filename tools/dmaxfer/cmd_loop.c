// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer tool: the loop command: the seeded stream through SUBMIT/WAIT,
 * checked on rx when the device loops back.
 */
#include "dmaxfer_cli.h"

/* ---- loop ---------------------------------------------------------------- */

struct ring {
	uint32_t chan;
	struct slot *s;
	unsigned int depth, head, count;
	uint64_t next;		/* stream bytes submitted */
	uint64_t done;		/* stream bytes completed, in order */
	struct pattern p;	/* tx: the generator; rx: the expected stream */
};

int cmd_loop(const struct opts *o)
{
	struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS];
	struct ring rings[DMAXFER_NR_CHANS];
	uint64_t n = o->size, block, mismatches = 0, bad_off = 0;
	uint8_t *want = NULL, bad_want = 0, bad_got = 0;
	unsigned int nrings, depth, r, qd;
	uint32_t bw, maxlen;
	int fd, rc, failed = 0, use_rx;

	if (!n) {
		fprintf(stderr, "dmaxfer: loop: -n BYTES is required\n");
		return EXIT_USAGE;
	}
	/* Word mode: tx sends it; a loopback rx gets the same words back. */
	if (pattern_start(&rings[0].p, o))
		return EXIT_USAGE;	/* checked here, set up per ring below */
	fd = open_dev(o->dev);
	if (fd < 0)
		return EXIT_IO;
	rc = get_infos(fd, o->dev, ci);
	if (rc)
		goto out_close;
	if (!dmaxfer_chan_present(&ci[DMAXFER_CHAN_TX])) {
		fprintf(stderr, "dmaxfer: %s has no tx channel\n", o->dev);
		rc = EXIT_IO;
		goto out_close;
	}
	use_rx = dmaxfer_chan_present(&ci[DMAXFER_CHAN_RX]) && !o->tx_only;
	nrings = use_rx ? 2 : 1;
	bw = ci[DMAXFER_CHAN_TX].bus_width;
	maxlen = ci[DMAXFER_CHAN_TX].max_xfer_len;
	qd = ci[DMAXFER_CHAN_TX].queue_depth;
	if (use_rx) {
		if (ci[DMAXFER_CHAN_RX].bus_width > bw)
			bw = ci[DMAXFER_CHAN_RX].bus_width;
		if (ci[DMAXFER_CHAN_RX].max_xfer_len < maxlen)
			maxlen = ci[DMAXFER_CHAN_RX].max_xfer_len;
		if (ci[DMAXFER_CHAN_RX].queue_depth < qd)
			qd = ci[DMAXFER_CHAN_RX].queue_depth;
	}
	if (!bw)
		bw = 1;
	block = o->block ? o->block : 65536;
	if (block > n)
		block = n;
	depth = o->depth ? o->depth : (qd < 8 ? qd : 8);
	rc = EXIT_USAGE;
	if (n % bw || block % bw) {
		fprintf(stderr, "dmaxfer: loop: BYTES and BLOCK must be multiples of the %u-byte bus width\n",
			bw);
		goto out_close;
	}
	if (block > maxlen) {
		fprintf(stderr, "dmaxfer: loop: BLOCK above the largest transfer, %u bytes\n",
			maxlen);
		goto out_close;
	}
	if (!depth || depth > qd) {
		fprintf(stderr, "dmaxfer: loop: DEPTH must be 1 to the queue depth, %u\n", qd);
		goto out_close;
	}
	rc = EXIT_IO;
	memset(rings, 0, sizeof(rings));
	for (r = 0; r < nrings; r++) {
		rings[r].chan = r;	/* ring 0 is tx, ring 1 rx */
		rings[r].depth = depth;
		pattern_start(&rings[r].p, o);
		rings[r].s = slots_init(fd, r, depth, block, o->zero_copy);
		if (!rings[r].s)
			goto out_slots;
	}
	if (use_rx && !(want = malloc(block))) {
		perror("dmaxfer: buffer");
		goto out_slots;
	}

	rc = 0;
	while (!failed && (rings[0].done < n || (use_rx && rings[1].done < n))) {
		struct dmaxfer_completion c;
		struct ring *g;
		struct slot *s;

		for (r = 0; r < nrings && !failed; r++) {
			g = &rings[r];
			while (g->count < g->depth && g->next < n) {
				unsigned int i = (g->head + g->count) % g->depth;
				uint64_t len = n - g->next < block ? n - g->next : block;

				s = &g->s[i];
				s->pos = g->next;
				if (g->chan == DMAXFER_CHAN_TX) {
					if (!o->zero_copy &&
					    dmaxfer_sync(fd, s->buf.id, DMAXFER_SYNC_START |
							 DMAXFER_SYNC_WRITE, 0, len))
						goto sync_fail;
					pattern_fill(&g->p, s->mem, len);
					if (!o->zero_copy &&
					    dmaxfer_sync(fd, s->buf.id, DMAXFER_SYNC_END |
							 DMAXFER_SYNC_WRITE, 0, len))
						goto sync_fail;
				}
				if (slot_submit(fd, g->chan, s, len,
						((uint64_t)g->chan << 32) | i, o->zero_copy)) {
					fprintf(stderr, "dmaxfer: loop: submit %s %llu bytes at %llu: %s\n",
						dmaxfer_chan_name(g->chan),
						(unsigned long long)len,
						(unsigned long long)s->pos, strerror(errno));
					failed = 1;
					break;
				}
				g->next += len;
				g->count++;
			}
		}
		if (failed)
			break;

		if (reap(fd, &c)) {
			fprintf(stderr, "dmaxfer: loop: DMAXFER_IOC_WAIT: %s\n", strerror(errno));
			failed = 1;
			break;
		}
		if (c.chan >= nrings || !rings[c.chan].count ||
		    c.user_data != (((uint64_t)c.chan << 32) | rings[c.chan].head)) {
			fprintf(stderr, "dmaxfer: loop: unexpected completion record: id %llu chan %u user_data 0x%llx\n",
				(unsigned long long)c.id, c.chan,
				(unsigned long long)c.user_data);
			failed = 1;
			break;
		}
		g = &rings[c.chan];
		s = &g->s[g->head];
		if (c.status || c.bytes != s->len) {
			fprintf(stderr, "dmaxfer: loop: %s transfer of %llu bytes at offset %llu: %s, %llu bytes moved\n",
				dmaxfer_chan_name(g->chan), (unsigned long long)s->len,
				(unsigned long long)s->pos,
				c.status ? status_str(c.status) : "short transfer",
				(unsigned long long)c.bytes);
			if (c.bytes <= s->len)
				g->done += c.bytes;	/* in order: these bytes moved */
			failed = 1;
			break;
		}
		if (g->chan == DMAXFER_CHAN_RX) {
			uint64_t k;

			if (!o->zero_copy &&
			    dmaxfer_sync(fd, s->buf.id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
					 0, s->len))
				goto sync_fail;
			pattern_fill(&g->p, want, s->len);
			for (k = 0; k < s->len; k++) {
				if (s->mem[k] == want[k])
					continue;
				if (!mismatches++) {
					bad_off = s->pos + k;
					bad_want = want[k];
					bad_got = s->mem[k];
				}
			}
			if (!o->zero_copy &&
			    dmaxfer_sync(fd, s->buf.id, DMAXFER_SYNC_END | DMAXFER_SYNC_READ,
					 0, s->len))
				goto sync_fail;
		}
		g->done += s->len;
		g->head = (g->head + 1) % g->depth;
		g->count--;
		continue;
sync_fail:
		fprintf(stderr, "dmaxfer: loop: DMAXFER_IOC_SYNC: %s\n", strerror(errno));
		failed = 1;
	}
	if (failed)
		drain(fd);

	if (mismatches)
		printf("MISMATCH at offset %llu: expected 0x%02x, got 0x%02x\n",
		       (unsigned long long)bad_off, bad_want, bad_got);
	printf("loop: sent %llu bytes, received %llu bytes, %llu mismatches%s\n",
	       (unsigned long long)rings[0].done,
	       (unsigned long long)(use_rx ? rings[1].done : 0),
	       (unsigned long long)mismatches,
	       use_rx ? "" : " (tx only: check what the peripheral got)");
	if (mismatches)
		rc = EXIT_MISMATCH;
	else if (failed)
		rc = rings[0].done || rings[1].done ? EXIT_SHORT : EXIT_IO;
out_slots:
	free(want);
	for (r = 0; r < nrings; r++)
		slots_fini(fd, rings[r].s, depth);
out_close:
	close(fd);
	return rc;
}

