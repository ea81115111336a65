// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "lib/signals.h"
#include "trace/launcher.h"

extern char **environ;

struct launcher {
	pid_t pid;
	int go_fd;  /* write end: one byte releases the child */
	int err_fd; /* read end: the child's execve errno, or EOF on success */
	int pidfd;  /* readable once the child has exited */
	bool released, reaped;
	bool detached; /* left running when sysray exits */
	int status;
	char path[PATH_MAX];
};

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/*
 * Resolve the command the way execvp would, but here in the parent, so the traced child
 * makes exactly one execve (as under strace) instead of one per PATH entry.
 */
static int resolve(const char *cmd, char *out, size_t len)
{
	const char *path = getenv("PATH");
	const char *p, *end;
	int err = -ENOENT;

	if (strchr(cmd, '/')) {
		if (snprintf(out, len, "%s", cmd) >= (int)len)
			return -ENAMETOOLONG;
		return access(cmd, F_OK) ? -errno : 0;
	}
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p; p = *end ? end + 1 : end) {
		size_t n;

		end = strchrnul(p, ':');
		n = end - p;
		if (snprintf(out, len, "%.*s%s%s", (int)n, n ? p : ".", "/", cmd) >= (int)len)
			continue;
		if (executable(out))
			return 0;
		if (access(out, F_OK) == 0)
			err = -EACCES;
	}
	return err;
}

int launcher__spawn(char **argv, struct launcher **out)
{
	int go[2] = { -1, -1 }, ep[2] = { -1, -1 };
	struct launcher *l;
	int err;

	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->pid = -1;
	l->go_fd = l->err_fd = l->pidfd = -1;
	err = resolve(argv[0], l->path, sizeof(l->path));
	if (err)
		goto cleanup;
	if (pipe2(go, O_CLOEXEC) || pipe2(ep, O_CLOEXEC)) {
		err = -errno;
		goto cleanup;
	}
	l->pid = fork();
	if (l->pid < 0) {
		err = -errno;
		goto cleanup;
	}
	if (l->pid == 0) {
		char c;
		int e;

		/* Everything the child needs is done before it waits: once released,
		 * its only syscall before the command's own is the execve. */
		close(go[1]);
		close(ep[0]);
		/*
		 * sysray's handlers and its ignored SIGPIPE are not the command's: it gets the
		 * dispositions sysray was started with (nohup's ignored SIGHUP stays ignored).
		 */
		signals_restore();
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execve(l->path, argv, environ);
		e = errno;
		if (write(ep[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(ep[1]);
	l->pidfd = syscall(SYS_pidfd_open, l->pid, 0);
	l->go_fd = go[1];
	l->err_fd = ep[0];
	*out = l;
	return 0;
cleanup:
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	free(l);
	return err;
}

pid_t launcher__pid(const struct launcher *l)
{
	return l->pid;
}

int launcher__pidfd(const struct launcher *l)
{
	return l->pidfd;
}

int launcher__release(struct launcher *l)
{
	ssize_t n;
	int e = 0;

	if (write(l->go_fd, "x", 1) != 1)
		return -errno;
	l->released = true;
	close(l->go_fd);
	l->go_fd = -1;
	do
		n = read(l->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(l->err_fd);
	l->err_fd = -1;
	return n == sizeof(e) ? -e : 0;
}

int launcher__reap(struct launcher *l, bool block)
{
	pid_t r;

	if (l->reaped)
		return 1;
	do
		r = waitpid(l->pid, &l->status, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	l->reaped = true;
	return 1;
}

int launcher__exit_code(const struct launcher *l)
{
	if (!l->reaped)
		return 127;
	if (WIFEXITED(l->status))
		return WEXITSTATUS(l->status);
	if (WIFSIGNALED(l->status))
		return 128 + WTERMSIG(l->status);
	return 127;
}

void launcher__detach(struct launcher *l)
{
	l->detached = l->released;
}

void launcher__free(struct launcher *l)
{
	if (!l)
		return;
	if (l->pid > 0 && !l->reaped && !l->detached) {
		if (!l->released)
			kill(l->pid, SIGKILL);
		launcher__reap(l, true);
	}
	if (l->go_fd >= 0)
		close(l->go_fd);
	if (l->err_fd >= 0)
		close(l->err_fd);
	if (l->pidfd >= 0)
		close(l->pidfd);
	free(l);
}
