// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "trace/pidns.h"
#include "trace/targets.h"
#include "lib/log.h"

struct target {
	__u32 tgid;
	int named; /* the pid as given */
	int pidfd;
};

struct targets {
	struct target *t;
	int n;
};

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

static bool pidfd_exited(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

/*
 * The process of pid, held by a pidfd. The pidfd is opened first and checked last: if the
 * process is still there after /proc was read, /proc described it and not a successor.
 */
static int resolve_one(int pid, struct target *tg)
{
	int err, threads;
	char state;

	err = proc_status(pid, &tg->tgid, &state, &threads);
	if (!err) {
		tg->pidfd = syscall(SYS_pidfd_open, tg->tgid, 0);
		err = tg->pidfd < 0 ? -errno : 0;
	}
	if (!err)
		err = proc_status(pid, &tg->tgid, &state, &threads);
	/* A zombie leader whose other threads still run is a live process. */
	if (!err && ((state == 'Z' && threads <= 1) || pidfd_exited(tg->pidfd)))
		err = -ESRCH;
	if (err) {
		p_err("cannot trace process %d: %s", pid,
		      err == -ESRCH ? "no such process" : strerror(-err));
		return err;
	}
	/* Its own syscalls would feed the ring that makes them: a loop, not a profile. */
	if (tg->tgid == (__u32)getpid()) {
		p_err("cannot trace process %d: it is sysray itself", pid);
		return -EINVAL;
	}
	if (is_kernel_thread(pid)) {
		p_err("cannot trace process %d: it is a kernel thread (no syscalls)", pid);
		return -EINVAL;
	}
	return 0;
}

int targets__new(const int *pids, int n, struct targets **out)
{
	struct targets *t = calloc(1, sizeof(*t));
	int err = 0;

	if (t)
		t->t = calloc(n, sizeof(*t->t));
	if (!t || !t->t) {
		free(t);
		p_err("out of memory");
		return -ENOMEM;
	}
	/* pidfd_open and /proc both see sysray's namespace; /proc must show the same. */
	err = pidns_check_proc();
	for (int i = 0; !err && i < n; i++) {
		struct target *tg = &t->t[t->n];
		bool dup = false;

		tg->named = pids[i];
		tg->pidfd = -1;
		err = resolve_one(pids[i], tg);
		for (int j = 0; !err && j < t->n; j++)
			dup |= t->t[j].tgid == tg->tgid;
		if (!err && !dup)
			t->n++;
		else if (tg->pidfd >= 0)
			close(tg->pidfd);
	}
	if (err) {
		targets__free(t);
		return err;
	}
	*out = t;
	return 0;
}

int targets__count(const struct targets *t)
{
	return t ? t->n : 0;
}

__u32 targets__tgid(const struct targets *t, int i)
{
	return t->t[i].tgid;
}

int targets__pidfd(const struct targets *t, int i)
{
	return t->t[i].pidfd;
}

bool targets__exited(const struct targets *t, int i)
{
	return pidfd_exited(t->t[i].pidfd);
}

int targets__check(const struct targets *t)
{
	for (int i = 0; i < targets__count(t); i++) {
		if (targets__exited(t, i)) {
			p_err("cannot trace process %d: no such process", t->t[i].named);
			return -ESRCH;
		}
	}
	return 0;
}

void targets__free(struct targets *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++)
		close(t->t[i].pidfd);
	free(t->t);
	free(t);
}
