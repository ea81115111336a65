// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
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
	/* Only the newline the kernel adds: the name itself may hold one (it is escaped later). */
	if (buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}
