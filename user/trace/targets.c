// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "trace/targets.h"
#include "lib/log.h"

/* Tgid, state and thread count from /proc/PID/status; -ESRCH if there is no such task. */
static int proc_status(int pid, __u32 *tgid, char *state, int *threads)
{
	char path[64], line[256];
	int found = 0;
	FILE *f;

	*threads = 1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned int v;

		if (sscanf(line, "Tgid: %u", &v) == 1) {
			*tgid = v;
			found |= 1;
		} else if (sscanf(line, "State: %c", state) == 1) {
			found |= 2;
		} else if (sscanf(line, "Threads: %d", threads) == 1) {
			continue;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -ESRCH;
}

/* Kernel threads have PF_KTHREAD in the flags field of /proc/PID/stat. */
static bool is_kernel_thread(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long flags = 0;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return false;
	buf[len] = 0;
	/* The command name may hold spaces and parentheses: fields start after the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return false;
	return flags & 0x00200000; /* PF_KTHREAD */
}

int targets_resolve(const int *pids, int n, __u32 **out, int *nr)
{
	__u32 *tgids = calloc(n, sizeof(*tgids));
	int err, threads, k = 0;
	char state;

	if (!tgids) {
		p_err("out of memory");
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		__u32 tgid;
		bool dup = false;

		err = proc_status(pids[i], &tgid, &state, &threads);
		/* A zombie leader whose other threads still run is a live process. */
		if (!err && state == 'Z' && threads <= 1)
			err = -ESRCH;
		if (err) {
			p_err("cannot trace process %d: %s", pids[i],
			      err == -ESRCH ? "no such process" : strerror(-err));
			goto fail;
		}
		/* Its own syscalls would feed the ring that makes them: a loop, not a profile. */
		if (tgid == (__u32)getpid()) {
			p_err("cannot trace process %d: it is sysray itself", pids[i]);
			err = -EINVAL;
			goto fail;
		}
		if (is_kernel_thread(pids[i])) {
			p_err("cannot trace process %d: it is a kernel thread (no syscalls)",
			      pids[i]);
			err = -EINVAL;
			goto fail;
		}
		for (int j = 0; j < k; j++)
			dup |= tgids[j] == tgid;
		if (!dup)
			tgids[k++] = tgid;
	}
	*nr = k;
	*out = tgids;
	return 0;
fail:
	free(tgids);
	return err;
}
