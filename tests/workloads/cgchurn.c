// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Container churn: N cgroups created under DIR with one process in each, then every
 * process makes K getppid calls and exits, and each cgroup is removed again.
 *
 * usage: cgchurn DIR N K [keep]
 *   Each child starts inside its cgroup (clone3 with CLONE_INTO_CGROUP), so none of its
 *   calls begins in one cgroup and returns in another, and waits in a one-byte read of a
 *   pipe until all N exist: then they all go at once, so their calls come close together
 *   however long creating them took. Each child makes exactly 1 read and K getppid calls,
 *   and none before the read returns.
 *   Prints "cgchurn: N cgroups, N*K calls" when they are done; with keep, the cgroups stay
 *   until a byte arrives on stdin.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int spawn_in(int cgroup_fd, const int go[2], long calls)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (unsigned long)cgroup_fd,
	};
	long pid = syscall(SYS_clone3, &args, sizeof(args));
	char c;

	if (pid == 0) {
		syscall(SYS_read, go[0], &c, 1);
		for (long i = 0; i < calls; i++)
			syscall(SYS_getppid);
		syscall(SYS_exit_group, 0);
	}
	return (int)pid;
}

static void remove_all(const char *dir, long n)
{
	char path[4096];

	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/c%ld", dir, i);
		if (rmdir(path))
			perror(path);
	}
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0, k = argc > 3 ? atol(argv[3]) : 0;
	int keep = argc > 4 && !strcmp(argv[4], "keep"), go[2], st;
	char path[4096], c;
	struct timespec t0, t1;

	if (argc < 4 || n < 1 || k < 0) {
		fprintf(stderr, "usage: cgchurn DIR N K [keep]\n");
		return 2;
	}
	if (pipe2(go, O_CLOEXEC))
		return 1;
	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/c%ld", argv[1], i);
		if (mkdir(path, 0755) && errno != EEXIST) {
			perror(path);
			return 1;
		}
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || spawn_in(fd, go, k) < 0) {
			perror("clone3 into the cgroup");
			return 1;
		}
		close(fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* One byte for each child. */
	for (long i = 0; i < n; i++)
		if (write(go[1], "g", 1) != 1)
			return 1;
	for (long i = 0; i < n; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			return 1;
	if (!keep)
		remove_all(argv[1], n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("cgchurn: %ld cgroups, %ld calls, %.3f s from go to the last exit\n", n, n * k,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
	if (keep) {
		if (read(0, &c, 1) < 0)
			return 1;
		remove_all(argv[1], n);
	}
	return 0;
}
