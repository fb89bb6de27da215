// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_failnth: small helpers: files of sysfs, debugfs and /proc,
 * dmasim's FIFO, errno names, lists of call names.
 */
#include "failnth.h"

/* ---- small helpers ------------------------------------------------------ */

int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* A number file (debugfs, sysfs); -1 on error (*ok cleared). */
long long read_num(const char *path, bool *ok)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf))) {
		if (ok)
			*ok = false;
		return -1;
	}
	return strtoll(buf, NULL, 0);
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

long long vmstat(const char *key)
{
	static char buf[16384];
	size_t klen = strlen(key);
	char *p;

	if (read_file("/proc/vmstat", buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	return -1;
}

static char simpath_buf[256];
static const char *simpath(const char *file)
{
	snprintf(simpath_buf, sizeof(simpath_buf), "%s/%s", simdir, file);
	return simpath_buf;
}

long long fifo_level(void)
{
	return read_num(simpath("fifo_level"), NULL);
}

void fifo_flush(void)
{
	write_file(simpath("fifo_flush"), "1");
}

const char *errname(int e)
{
	switch (e) {
	case ENOMEM: return "ENOMEM";
	case EIO: return "EIO";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case ENOENT: return "ENOENT";
	case ENOSPC: return "ENOSPC";
	case EAGAIN: return "EAGAIN";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case EINTR: return "EINTR";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECANCELED: return "ECANCELED";
	case E2BIG: return "E2BIG";
	default: return "E?";
	}
}

/* Is @name in the comma-separated @list? */
bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

