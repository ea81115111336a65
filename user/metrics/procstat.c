// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include "metrics/procstat.h"

static ssize_t read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

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

/* The boot time from /proc/stat ("btime"), in seconds since the epoch. */
static int boot_time(double *out)
{
	char buf[8192], *p;
	ssize_t n = read_text("/proc/stat", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	p = strstr(buf, "\nbtime ");
	if (!p)
		return -EINVAL;
	*out = strtod(p + 7, NULL);
	return 0;
}

static __u64 count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	__u64 n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	/* Not the directory's own fd, which is gone once this returns. */
	return n ? n - 1 : 0;
}

int procstat_read(struct procstat *ps)
{
	unsigned long long utime, stime, start, vsize;
	long long rss;
	double tck = sysconf(_SC_CLK_TCK), boot = 0;
	struct rlimit rl;
	char buf[1024], *p;
	ssize_t n;

	memset(ps, 0, sizeof(*ps));
	n = read_text("/proc/self/stat", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	/* The command name may hold spaces and parentheses: fields start after the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d "
			 "%*d %*d %llu %llu %lld",
			 &utime, &stime, &start, &vsize, &rss) != 5)
		return -EINVAL;
	if (tck <= 0)
		tck = 100;
	ps->cpu_seconds = (utime + stime) / tck;
	if (!boot_time(&boot))
		ps->start_time = boot + start / tck;
	ps->virtual_bytes = vsize;
	ps->resident_bytes = rss > 0 ? (__u64)rss * sysconf(_SC_PAGESIZE) : 0;
	ps->open_fds = count_fds();
	if (!getrlimit(RLIMIT_NOFILE, &rl))
		ps->max_fds = rl.rlim_cur;
	return 0;
}
