// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: pool buffers, mmap() and SYNC.
 * Part of dmaxfer_test.c (one translation unit: kselftest_harness.h keeps
 * its test list in static variables).
 */

/* ---- pool buffers and mmap ------------------------------------------------ */

TEST_F(dmaxfer, buf_alloc_ids)
{
	uint32_t c = any_chan(self), ids[16];
	uint64_t offs[16];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		ASSERT_EQ(0, buf_alloc(self->fd, c, (i + 1) * self->pg / 2, &ids[i], &offs[i]));
		EXPECT_NE(0U, ids[i]);
		EXPECT_EQ(0ULL, offs[i] % self->pg) {
			TH_LOG("mmap_offset 0x%llx is not page-aligned",
			       (unsigned long long)offs[i]);
		}
		for (j = 0; j < i; j++) {
			EXPECT_NE(ids[j], ids[i]);
			EXPECT_NE(offs[j], offs[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(0, buf_free(self->fd, ids[i]));
	}
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(ENOENT, buf_free(self->fd, ids[i]));
	}
}

/* Pool memory is zeroed at allocation, every time, to the end of the page. */
TEST_F(dmaxfer, buf_zeroed)
{
	uint32_t c = any_chan(self), id;
	size_t sizes[] = { 1, 100, self->pg, 3 * self->pg + 5, 65536 };
	unsigned int round, k;

	for (round = 0; round < 3; round++) {
		for (k = 0; k < ARRAY_SIZE(sizes); k++) {
			size_t maplen = round_up(sizes[k], self->pg);
			uint64_t off;
			uint8_t *p;

			ASSERT_EQ(0, buf_alloc(self->fd, c, sizes[k], &id, &off));
			p = buf_map(self->fd, off, maplen);
			ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
			EXPECT_EQ(-1, check_byte(p, 0, maplen, 0)) {
				TH_LOG("%zu-byte buffer, round %u: byte %ld not zero", sizes[k],
				       round, check_byte(p, 0, maplen, 0));
			}
			memset(p, 0xa5, maplen);	/* dirty it for the next round */
			EXPECT_EQ(0, munmap(p, maplen));
			EXPECT_EQ(0, buf_free(self->fd, id));
		}
	}
}

TEST_F(dmaxfer, mmap_happy)
{
	uint32_t c = any_chan(self), id;
	uint8_t *a, *b, *first;
	uint64_t off;
	size_t len = 2 * self->pg;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
	a = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(a));
	fill(a, len, 41);
	/* A second mapping shows the same memory. */
	b = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(b));
	EXPECT_EQ(-1, check_fill(b, len, 41));
	b[len - 1] ^= 0xff;
	EXPECT_EQ(a[len - 1], b[len - 1]);
	/* A mapping shorter than the buffer is fine. */
	first = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, (off_t)off);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(first));
	EXPECT_EQ(0, memcmp(first, a, self->pg));
	EXPECT_EQ(0, munmap(first, self->pg));
	EXPECT_EQ(0, munmap(b, len));
	EXPECT_EQ(0, munmap(a, len));
	/* And it can be mapped again after all mappings went. */
	a = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(a));
	EXPECT_EQ(-1, check_fill(a, len - 1, 41));
	EXPECT_EQ(0, munmap(a, len));
	EXPECT_EQ(0, buf_free(self->fd, id));
}

TEST_F(dmaxfer, mmap_beyond_buffer)
{
	uint32_t c = any_chan(self), id, id1;
	uint64_t off, off1;
	void *p;

	ASSERT_EQ(0, buf_alloc(self->fd, c, 2 * self->pg, &id, &off));
	p = mmap(NULL, 3 * self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, 3 * self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	/* A 1-byte buffer is a page: one page maps, two do not. */
	ASSERT_EQ(0, buf_alloc(self->fd, c, 1, &id1, &off1));
	p = buf_map(self->fd, off1, self->pg);
	EXPECT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		TH_LOG("mapping the page of a 1-byte buffer: %s", strerror(errno));
	}
	if (p != MAP_FAILED)
		munmap(p, self->pg);
	p = buf_map(self->fd, off1, 2 * self->pg);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, 2 * self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, buf_free(self->fd, id));
	EXPECT_EQ(0, buf_free(self->fd, id1));
}

TEST_F(dmaxfer, mmap_wrong_offset)
{
	uint32_t c = any_chan(self), id, gone_id;
	uint64_t off, gone_off, bad[4];
	unsigned int k;
	void *p;

	ASSERT_EQ(0, buf_alloc(self->fd, c, 2 * self->pg, &id, &off));
	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &gone_id, &gone_off));
	ASSERT_EQ(0, buf_free(self->fd, gone_id));
	bad[0] = off + self->pg;		/* inside the buffer, not its start */
	bad[1] = gone_off;			/* a freed buffer's */
	bad[2] = off ? 0 : 64 * self->pg;	/* not a buffer's */
	/* Below 4 GiB: above, a 32-bit kernel's VFS refuses it (EOVERFLOW) first. */
	bad[3] = (uint64_t)self->pg << 18;
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		if (bad[k] == off)
			continue;
		p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, (off_t)bad[k]);
		EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
			TH_LOG("mmap at offset 0x%llx", (unsigned long long)bad[k]);
			munmap(p, self->pg);
		}
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(0, buf_free(self->fd, id));
	/* Freed and unmapped: its offset is gone too. */
	p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dmaxfer, mmap_private_refused)
{
	uint32_t c = any_chan(self), id;
	uint64_t off;
	void *p;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &id, &off));
	p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, self->pg, PROT_READ, MAP_PRIVATE, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(p)) {
		munmap(p, self->pg);
	}
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, buf_free(self->fd, id));
}

/*
 * A mapping split in two (munmap of its middle page) holds the buffer in
 * each piece: both keep showing the memory after BUF_FREE, until the last
 * piece goes.
 */
TEST_F(dmaxfer, mmap_split)
{
	uint32_t c = any_chan(self), id, id2;
	size_t pg = self->pg, len = 3 * pg;
	uint64_t off, off2;
	uint8_t *p, *ref;

	ref = malloc(len);
	ASSERT_TRUE(ref != NULL);
	fill(ref, len, 47);
	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
	p = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	memcpy(p, ref, len);
	ASSERT_EQ(0, munmap(p + pg, pg));
	EXPECT_EQ(0, buf_free(self->fd, id));
	/* The id is gone from the pool, the memory is not. */
	EXPECT_EQ(ENOENT, buf_free(self->fd, id));
	EXPECT_EQ(0, memcmp(p, ref, pg));
	EXPECT_EQ(0, memcmp(p + 2 * pg, ref + 2 * pg, pg));
	EXPECT_EQ(0, munmap(p, pg));
	/* The last piece alone still holds it, past a new allocation. */
	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id2, &off2));
	EXPECT_EQ(0, memcmp(p + 2 * pg, ref + 2 * pg, pg));
	EXPECT_EQ(0, munmap(p + 2 * pg, pg));
	EXPECT_EQ(0, buf_free(self->fd, id2));
	free(ref);
}

/* VM_DONTEXPAND: the mapping cannot grow past the buffer. */
TEST_F(dmaxfer, mremap_grow_refused)
{
	uint32_t c = any_chan(self), id;
	size_t len = 2 * self->pg;
	uint8_t *p, *q;
	uint64_t off;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
	p = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	fill(p, len, 43);
	q = mremap(p, len, 2 * len, MREMAP_MAYMOVE);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)((void *)q)) {
		TH_LOG("mremap grew a pool mapping from %zu to %zu bytes", len, 2 * len);
		p = q;
	}
	q = mremap(p, len, len + self->pg, 0);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)((void *)q)) {
		TH_LOG("mremap grew a pool mapping in place");
	}
	/* Still mapped as before. */
	EXPECT_EQ(-1, check_fill(p, len, 43));
	EXPECT_EQ(0, munmap(p, len));
	EXPECT_EQ(0, buf_free(self->fd, id));
}

/* VM_DONTCOPY: a child does not inherit the mapping. */
TEST_F(dmaxfer, mmap_not_inherited)
{
	uint32_t c = any_chan(self), id;
	uint64_t off;
	uint8_t *p;
	int status;
	pid_t pid;

	ASSERT_EQ(0, buf_alloc(self->fd, c, self->pg, &id, &off));
	p = buf_map(self->fd, off, self->pg);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	p[0] = 0x42;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		unsigned char vec[1];

		/* ENOMEM: nothing is mapped there. */
		if (mincore(p, self->pg, vec) == -1 && errno == ENOMEM)
			_exit(0);
		_exit(1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("the child inherited the pool mapping");
	}
	EXPECT_EQ(0x42, p[0]);
	EXPECT_EQ(0, munmap(p, self->pg));
	EXPECT_EQ(0, buf_free(self->fd, id));
}

/* BUF_FREE of a mapped buffer: the id goes, the memory stays mapped. */
TEST_F(dmaxfer, free_while_mapped)
{
	uint32_t c = any_chan(self), id;
	size_t len = 2 * self->pg;
	uint64_t off;
	uint8_t *p;
	void *q;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, &off));
	p = buf_map(self->fd, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	fill(p, len, 44);
	EXPECT_EQ(0, buf_free(self->fd, id));
	EXPECT_EQ(-1, check_fill(p, len, 44));
	memset(p, 0x5a, len);
	EXPECT_EQ(ENOENT, submit_buf(self->fd, c, id, 0, quick_len(&self->ci[c]), 0, NULL));
	EXPECT_EQ(ENOENT, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ, 0, 1));
	EXPECT_EQ(ENOENT, buf_free(self->fd, id));
	q = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, (off_t)off);
	EXPECT_EQ((uintptr_t)MAP_FAILED, (uintptr_t)(q)) {
		munmap(q, self->pg);
	}
	EXPECT_EQ(0, munmap(p, len));
	expect_idle(_metadata, self->fd);
}

/* The mapping outlives the file. */
TEST_F(dmaxfer, mapping_outlives_close)
{
	uint32_t c = any_chan(self), id;
	size_t len = 2 * self->pg;
	uint64_t off;
	uint8_t *p;
	int fd2;

	fd2 = open(dev_path(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, buf_alloc(fd2, c, len, &id, &off));
	p = buf_map(fd2, off, len);
	ASSERT_NE((uintptr_t)MAP_FAILED, (uintptr_t)(p));
	fill(p, len, 45);
	EXPECT_EQ(0, close(fd2));
	EXPECT_EQ(-1, check_fill(p, len, 45));
	fill(p, len, 46);
	EXPECT_EQ(-1, check_fill(p, len, 46));
	EXPECT_EQ(0, munmap(p, len));
}

TEST_F(dmaxfer, sync_happy)
{
	static const uint32_t flags[] = {
		DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
		DMAXFER_SYNC_START | DMAXFER_SYNC_WRITE,
		DMAXFER_SYNC_START | DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE,
		DMAXFER_SYNC_END | DMAXFER_SYNC_READ,
		DMAXFER_SYNC_END | DMAXFER_SYNC_WRITE,
		DMAXFER_SYNC_END | DMAXFER_SYNC_READ | DMAXFER_SYNC_WRITE,
	};
	uint32_t c = any_chan(self), id;
	uint64_t len = 2 * self->pg;
	uint64_t ranges[][2] = { { 0, 1 }, { self->pg - 1, 2 }, { 0, len }, { len - 1, 1 } };
	unsigned int f, r;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, NULL));
	for (f = 0; f < ARRAY_SIZE(flags); f++)
		for (r = 0; r < ARRAY_SIZE(ranges); r++) {
			EXPECT_EQ(0, sync_buf(self->fd, id, flags[f], ranges[r][0], ranges[r][1])) {
				TH_LOG("SYNC flags 0x%x offset %llu length %llu", flags[f],
				       (unsigned long long)ranges[r][0],
				       (unsigned long long)ranges[r][1]);
			}
		}
	EXPECT_EQ(0, buf_free(self->fd, id));
}

TEST_F(dmaxfer, sync_bad_range)
{
	uint32_t c = any_chan(self), id;
	uint64_t len = 2 * self->pg;
	uint64_t ranges[][2] = {
		{ 0, 0 }, { len, 1 }, { 0, len + 1 }, { len - 1, 2 }, { 1ULL << 63, 1 },
		{ UINT64_MAX, 2 }, { 1, UINT64_MAX },
	};
	unsigned int r;

	ASSERT_EQ(0, buf_alloc(self->fd, c, len, &id, NULL));
	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		EXPECT_EQ(EINVAL, sync_buf(self->fd, id, DMAXFER_SYNC_START | DMAXFER_SYNC_READ,
					   ranges[r][0], ranges[r][1])) {
			TH_LOG("SYNC offset 0x%llx length 0x%llx of a %llu-byte buffer",
			       (unsigned long long)ranges[r][0],
			       (unsigned long long)ranges[r][1], (unsigned long long)len);
		}
	}
	EXPECT_EQ(0, buf_free(self->fd, id));
}

