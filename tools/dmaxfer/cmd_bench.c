// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer tool: the bench command: throughput, latency and CPU time per
 * size and depth.
 */
#include "dmaxfer_cli.h"

/* ---- bench --------------------------------------------------------------- */

struct bench_res {
	uint64_t transfers;
	uint64_t bytes;
	double seconds;
	double p50_us, p99_us;
	double cpu_us;		/* per transfer */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[n]. */
static double percentile(const double *v, uint64_t n, double q)
{
	uint64_t k;

	if (!n)
		return 0;
	k = (uint64_t)(q * n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int lat_push(double **v, uint64_t *n, uint64_t *cap, double x)
{
	if (*n == *cap) {
		uint64_t nc = *cap ? *cap * 2 : 4096;
		double *nv = realloc(*v, nc * sizeof(**v));

		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/*
 * One size x depth point. Returns 0, or an exit status (message printed).
 */
static int bench_one(int fd, const struct opts *o, uint64_t size, unsigned int depth,
		     struct bench_res *res)
{
	int zc = o->mode == MODE_ZERO_COPY, rc = 0;
	uint64_t submitted = 0, ncap = 0, nlat = 0;
	unsigned int *freelist = NULL, nfree = 0, inflight = 0, i;
	double *lat = NULL, t0, c0, t;
	struct slot *s = NULL;
	struct pattern p;

	memset(res, 0, sizeof(*res));
	if (o->mode == MODE_WRITE)
		depth = 1;
	s = slots_init(fd, o->chan, depth, size, o->mode != MODE_POOL);
	if (!s)
		return EXIT_IO;
	freelist = calloc(depth, sizeof(*freelist));
	if (!freelist) {
		slots_fini(fd, s, depth);
		return EXIT_IO;
	}
	pattern_init(&p, size);
	for (i = 0; i < depth; i++) {
		if (o->chan == DMAXFER_CHAN_TX)
			pattern_fill(&p, s[i].mem, size);
		freelist[nfree++] = depth - 1 - i;
	}

	c0 = cpu_seconds();
	t0 = now();
	for (;;) {
		struct dmaxfer_completion c;
		int more = o->iters ? submitted < o->iters : now() - t0 < o->seconds;

		if (o->mode == MODE_WRITE) {
			ssize_t r;

			if (!more)
				break;
			t = now();
			if (o->chan == DMAXFER_CHAN_TX)
				r = write(fd, s[0].mem, size);
			else
				r = read(fd, s[0].mem, size);
			submitted++;
			if (r != (ssize_t)size) {
				fprintf(stderr, "dmaxfer: bench: %s of %llu bytes: %s\n",
					o->chan == DMAXFER_CHAN_TX ? "write" : "read",
					(unsigned long long)size,
					r < 0 ? strerror(errno) : "short transfer");
				if (r > 0)
					res->bytes += r;
				rc = r > 0 || res->bytes ? EXIT_SHORT : EXIT_IO;
				break;
			}
			res->transfers++;
			res->bytes += size;
			if (lat_push(&lat, &nlat, &ncap, (now() - t) * 1e6)) {
				rc = EXIT_IO;
				break;
			}
			continue;
		}

		while (more && nfree) {
			unsigned int k = freelist[--nfree];

			if (slot_submit(fd, o->chan, &s[k], size, k, zc)) {
				fprintf(stderr, "dmaxfer: bench: submit %llu bytes: %s\n",
					(unsigned long long)size, strerror(errno));
				nfree++;
				rc = EXIT_IO;
				break;
			}
			submitted++;
			inflight++;
			more = o->iters ? submitted < o->iters : now() - t0 < o->seconds;
		}
		if (rc || !inflight)
			break;
		if (reap(fd, &c)) {
			fprintf(stderr, "dmaxfer: bench: DMAXFER_IOC_WAIT: %s\n", strerror(errno));
			rc = EXIT_IO;
			break;
		}
		t = now();
		if (c.user_data >= depth) {
			fprintf(stderr, "dmaxfer: bench: unexpected completion record, user_data 0x%llx\n",
				(unsigned long long)c.user_data);
			rc = EXIT_IO;
			break;
		}
		inflight--;
		freelist[nfree++] = (unsigned int)c.user_data;
		res->bytes += c.bytes;
		if (c.status || c.bytes != size) {
			fprintf(stderr, "dmaxfer: bench: %s transfer of %llu bytes: %s, %llu bytes moved\n",
				dmaxfer_chan_name(o->chan), (unsigned long long)size,
				c.status ? status_str(c.status) : "short transfer",
				(unsigned long long)c.bytes);
			rc = res->bytes ? EXIT_SHORT : EXIT_IO;
			break;
		}
		res->transfers++;
		if (lat_push(&lat, &nlat, &ncap, (t - s[c.user_data].t) * 1e6)) {
			perror("dmaxfer: bench");
			rc = EXIT_IO;
			break;
		}
	}
	res->seconds = now() - t0;
	res->cpu_us = res->transfers ? (cpu_seconds() - c0) * 1e6 / res->transfers : 0;
	if (inflight)
		drain(fd);
	if (nlat) {
		qsort(lat, nlat, sizeof(*lat), cmp_double);
		res->p50_us = percentile(lat, nlat, 0.50);
		res->p99_us = percentile(lat, nlat, 0.99);
	}
	free(lat);
	free(freelist);
	slots_fini(fd, s, depth);
	return rc;
}

/* A process that keeps the other channel of a loopback device busy. */
static pid_t start_peer(const char *dev, uint32_t chan)
{
	pid_t pid = fork();
	static uint8_t buf[65536];
	int fd;

	if (pid)
		return pid;
	fd = dmaxfer_open(dev, O_RDWR);
	if (fd < 0)
		_exit(EXIT_IO);
	for (;;) {
		/* Errors (a timeout when the bench stops) are not ours to report. */
		if (chan == DMAXFER_CHAN_TX) {
			if (read(fd, buf, sizeof(buf)) < 0 && errno != ETIMEDOUT && errno != EINTR)
				usleep(1000);
		} else if (write(fd, buf, sizeof(buf)) < 0 && errno != ETIMEDOUT &&
			   errno != EINTR) {
			usleep(1000);
		}
	}
}

int cmd_bench(const struct opts *o)
{
	struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS];
	const struct dmaxfer_chan_info *i;
	pid_t peer = 0;
	int fd, rc, si, di, header = 0;

	fd = open_dev(o->dev);
	if (fd < 0)
		return EXIT_IO;
	rc = get_infos(fd, o->dev, ci);
	if (rc)
		goto out;
	i = &ci[o->chan];
	if (!dmaxfer_chan_present(i)) {
		fprintf(stderr, "dmaxfer: %s has no %s channel\n", o->dev,
			dmaxfer_chan_name(o->chan));
		rc = EXIT_IO;
		goto out;
	}
	rc = EXIT_USAGE;
	for (si = 0; si < o->nbsizes; si++) {
		if (o->bsizes[si] % (i->bus_width ? i->bus_width : 1) ||
		    o->bsizes[si] > i->max_xfer_len) {
			fprintf(stderr, "dmaxfer: bench: size %llu: not a multiple of the %u-byte bus width or above %u bytes\n",
				(unsigned long long)o->bsizes[si], i->bus_width, i->max_xfer_len);
			goto out;
		}
	}
	for (di = 0; di < o->ndepths && o->mode != MODE_WRITE; di++) {
		if (!o->depths[di] || o->depths[di] > i->queue_depth) {
			fprintf(stderr, "dmaxfer: bench: depth %u: must be 1 to the queue depth, %u\n",
				o->depths[di], i->queue_depth);
			goto out;
		}
	}
	if (o->loopback)
		peer = start_peer(o->dev, o->chan);
	if (peer < 0) {
		perror("dmaxfer: bench: fork");
		rc = EXIT_IO;
		goto out;
	}

	rc = 0;
	for (si = 0; si < o->nbsizes && !rc; si++) {
		for (di = 0; di < o->ndepths && !rc; di++) {
			unsigned int depth = o->mode == MODE_WRITE ? 1 : o->depths[di];
			struct bench_res res;
			double mbs, tps;

			if (o->mode == MODE_WRITE && di)
				break;		/* depth is always 1 */
			rc = bench_one(fd, o, o->bsizes[si], depth, &res);
			mbs = res.seconds > 0 ? res.bytes / res.seconds / 1e6 : 0;
			tps = res.seconds > 0 ? res.transfers / res.seconds : 0;
			if (o->json) {
				printf("{\"chan\":\"%s\",\"mode\":\"%s\",\"size\":%llu,\"depth\":%u,"
				       "\"transfers\":%llu,\"bytes\":%llu,\"seconds\":%.6f,"
				       "\"mb_per_s\":%.3f,\"transfers_per_s\":%.1f,"
				       "\"latency_p50_us\":%.1f,\"latency_p99_us\":%.1f,"
				       "\"cpu_us_per_transfer\":%.2f,\"ok\":%s}\n",
				       dmaxfer_chan_name(o->chan), mode_names[o->mode],
				       (unsigned long long)o->bsizes[si], depth,
				       (unsigned long long)res.transfers,
				       (unsigned long long)res.bytes, res.seconds, mbs, tps,
				       res.p50_us, res.p99_us, res.cpu_us, rc ? "false" : "true");
			} else {
				if (!header++)
					printf("%-4s %-9s %9s %5s %9s %10s %10s %9s %9s %11s\n",
					       "chan", "mode", "size", "depth", "xfers", "MB/s",
					       "xfers/s", "p50_us", "p99_us", "cpu_us/xfer");
				printf("%-4s %-9s %9llu %5u %9llu %10.2f %10.1f %9.1f %9.1f %11.2f%s\n",
				       dmaxfer_chan_name(o->chan), mode_names[o->mode],
				       (unsigned long long)o->bsizes[si], depth,
				       (unsigned long long)res.transfers, mbs, tps, res.p50_us,
				       res.p99_us, res.cpu_us, rc ? "  (failed)" : "");
			}
			fflush(stdout);
		}
	}
	if (peer > 0) {
		kill(peer, SIGKILL);
		waitpid(peer, NULL, 0);
	}
out:
	close(fd);
	return rc;
}

