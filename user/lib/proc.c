// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/proc.h"

/* Read a small /proc file into buf (NUL-terminated); its length or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

int proc_pid_max(__u32 *out)
{
	char buf[32], *end;
	unsigned long v;
	ssize_t n;

	n = read_small("/proc/sys/kernel/pid_max", buf, sizeof(buf));
	if (n < 0)
		return n;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || v == 0 || v > (1UL << 30))
		return -EINVAL;
	*out = v;
	return 0;
}

int proc_comm(__u32 tgid, __u32 tid, char *buf, size_t len)
{
	char path[64];
	ssize_t n = -ENOENT;

	if (len < 2)
		return -EINVAL;
	if (tid && tid != tgid) {
		snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", tgid, tid);
		n = read_small(path, buf, len);
	}
	if (n <= 0) {
		snprintf(path, sizeof(path), "/proc/%u/comm", tgid);
		n = read_small(path, buf, len);
	}
	if (n <= 0)
		return n < 0 ? (int)n : -ENOENT;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* "ID:CONTROLLERS:PATH" lines; the v2 one is "0::PATH", else the first one is taken. */
int proc_cgroup_parse(const char *text, char *buf, size_t len)
{
	const char *line = text, *path = NULL;
	size_t plen = 0;

	while (*line) {
		size_t n = strcspn(line, "\n");
		const char *c1 = memchr(line, ':', n);
		const char *c2 = c1 ? memchr(c1 + 1, ':', n - (c1 + 1 - line)) : NULL;
		bool v2 = c1 == line + 1 && line[0] == '0' && c2 == c1 + 1;

		if (c2 && (v2 || !path)) {
			path = c2 + 1;
			plen = n - (c2 + 1 - line);
		}
		if (c2 && v2)
			break;
		line += n + (line[n] == '\n');
	}
	if (!path || !plen || !len)
		return -ENOENT;
	snprintf(buf, len, "%.*s", (int)plen, path);
	return 0;
}

int proc_cgroup(__u32 tgid, char *buf, size_t len)
{
	char path[64], text[4096];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", tgid);
	n = read_small(path, text, sizeof(text));
	if (n < 0)
		return n;
	return proc_cgroup_parse(text, buf, len);
}
