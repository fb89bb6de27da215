// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer tool: the stream commands send (write() on the device), gen
 * and verify (the seeded stream on the host). recv is in cmd_recv.c.
 */
#include "dmaxfer_cli.h"

int parse_sizes(struct opts *o, char *arg)
{
	char *tok, *save = NULL;

	o->nsizes = 0;
	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long long v = strtoull(tok, &end, 0);

		if (*end || !v || o->nsizes == MAX_SIZES)
			return -1;
		o->sizes[o->nsizes++] = v;
	}
	return o->nsizes ? 0 : -1;
}

static uint8_t *alloc_at_offset(size_t len, size_t offset, void **base)
{
	long pg = sysconf(_SC_PAGESIZE);

	if (posix_memalign(base, pg, len + offset + pg))
		return NULL;
	return (uint8_t *)*base + offset;
}

int cmd_send(const struct opts *o)
{
	size_t maxw = 0, i;
	struct pattern p;
	uint64_t done = 0;
	unsigned long writes = 0;
	double t0, dt;
	void *base;
	uint8_t *buf;
	int fd, k = 0, rc;

	rc = pattern_start(&p, o);
	if (rc)
		return rc;
	for (i = 0; i < (size_t)o->nsizes; i++)
		if (o->sizes[i] > maxw)
			maxw = o->sizes[i];
	buf = alloc_at_offset(maxw, o->offset, &base);
	if (!buf) {
		perror("dmaxfer: buffer");
		return EXIT_IO;
	}
	fd = open(o->dev, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "dmaxfer: %s: %s\n", o->dev, strerror(errno));
		free(base);
		return EXIT_IO;
	}
	t0 = now();
	while (done < o->size) {
		size_t n = o->sizes[k++ % o->nsizes];
		ssize_t w;

		if (n > o->size - done)
			n = o->size - done;
		pattern_fill(&p, buf, n);
		w = write(fd, buf, n);
		if (w > 0) {
			done += w;
			writes++;
		}
		if (w != (ssize_t)n) {
			/* The driver moved w bytes of this write (0 if it failed). */
			fprintf(stderr, "dmaxfer: write of %zu bytes at offset %llu: %s\n",
				n, (unsigned long long)(done - (w > 0 ? w : 0)),
				w < 0 ? strerror(errno) : "short write");
			rc = EXIT_SHORT;
			break;
		}
	}
	dt = now() - t0;
	close(fd);
	free(base);
	printf("sent %llu bytes in %lu writes in %.3f s (%.2f MB/s)\n",
	       (unsigned long long)done, writes, dt, dt > 0 ? done / dt / 1e6 : 0.0);
	return rc;
}

int cmd_gen(const struct opts *o)
{
	uint8_t buf[65536];
	struct pattern p;
	uint64_t left = o->size;
	int rc = pattern_start(&p, o);

	if (rc)
		return rc;
	while (left) {
		size_t n = left < sizeof(buf) ? left : sizeof(buf);

		pattern_fill(&p, buf, n);
		if (fwrite(buf, 1, n, stdout) != n)
			return EXIT_IO;
		left -= n;
	}
	return fflush(stdout) ? EXIT_IO : 0;
}

/*
 * verify: FILE from byte SKIP must be the stream, exactly. In word mode
 * (--word N) the stream is the words' low bytes, which are the plain
 * stream of the seed: FILE must hold BYTES / N of them, and the offsets
 * printed are FILE's (word K is stream byte K, DMA bytes N*K on).
 */
int cmd_verify(const struct opts *o, const char *path)
{
	uint8_t want[65536], got[65536];
	uint64_t pos = 0, size = o->size / o->word;
	struct pattern p;
	FILE *f;
	int rc;

	rc = pattern_start(&p, o);
	if (rc)
		return rc;
	/* The low bytes of the words are the plain stream. */
	pattern_set_word(&p, 1);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "dmaxfer: %s: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	if (o->skip && fseeko(f, (off_t)o->skip, SEEK_SET)) {
		fprintf(stderr, "dmaxfer: %s: cannot skip %llu bytes\n", path,
			(unsigned long long)o->skip);
		fclose(f);
		return EXIT_IO;
	}
	while (pos < size) {
		size_t n = size - pos < sizeof(want) ? size - pos : sizeof(want);
		size_t r = fread(got, 1, n, f), i;

		pattern_fill(&p, want, n);
		for (i = 0; i < r; i++) {
			if (got[i] != want[i]) {
				printf("MISMATCH at offset %llu: expected 0x%02x, got 0x%02x",
				       (unsigned long long)(pos + i), want[i], got[i]);
				if (o->word > 1)
					printf(" (low byte of word %llu, DMA byte %llu)",
					       (unsigned long long)(pos + i),
					       (unsigned long long)(pos + i) * o->word);
				printf("\n");
				fclose(f);
				return EXIT_MISMATCH;
			}
		}
		if (r < n) {
			printf("SHORT: %llu of %llu bytes (first missing offset %llu)\n",
			       (unsigned long long)(pos + r), (unsigned long long)size,
			       (unsigned long long)(pos + r));
			fclose(f);
			return EXIT_MISMATCH;
		}
		pos += n;
	}
	if (fgetc(f) != EOF) {
		printf("LONG: more than %llu bytes\n", (unsigned long long)size);
		fclose(f);
		return EXIT_MISMATCH;
	}
	fclose(f);
	if (o->word > 1)
		printf("OK %llu bytes match seed %llu (low bytes of %llu %u-byte words)\n",
		       (unsigned long long)size, (unsigned long long)o->seed,
		       (unsigned long long)size, o->word);
	else
		printf("OK %llu bytes match seed %llu\n", (unsigned long long)size,
		       (unsigned long long)o->seed);
	return 0;
}
