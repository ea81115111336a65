// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench only: run a command with the kernel's BPF run-time statistics on
 * (BPF_ENABLE_STATS), so that every program's run_time_ns and run_cnt count in
 * /proc/PID/fdinfo while it runs. The statistics stay on as long as one such fd is open,
 * whoever else turns them on or off: unlike kernel.bpf_stats_enabled, nothing global is
 * changed under another user.
 * usage: bench_stats COMMAND [ARGS...]   exits with the command's status
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include "lib/log.h"

int main(int argc, char **argv)
{
	int fd, st;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_stats COMMAND [ARGS...]\n");
		return 2;
	}
	fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (fd < 0) {
		p_err("cannot turn on BPF run-time statistics: %s", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		close(fd);
		execvp(argv[1], argv + 1);
		p_err("cannot execute '%s': %s", argv[1], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
