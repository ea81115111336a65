// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A workload whose syscalls are known, for exact-count tests. Raw syscall(2) calls so
 * libc adds or caches none.
 *
 * usage: known [getppid=N] [enoent=N] [write=N] [fork=N] [thread=N] [compat=N]
 *              [exec=N] [wait] [exit=CODE] [kill=SIG]
 *   getppid=N  N getppid calls
 *   enoent=N   N openat calls on a missing path (ENOENT)
 *   write=N    N one-byte writes to /dev/null (plus one openat and one close)
 *   fork=N     a child process that makes N getppid calls, reaped with wait4
 *   thread=N   a thread that makes N getppid calls, joined
 *   compat=N   N i386 getppid calls through int $0x80
 *   x32=N      N x32 getpid calls (number 39 with the x32 bit; ENOSYS without x32)
 *   badnr=N    N calls of number 1000 and N of number -2 (ENOSYS: no such syscall)
 *   cachestat=N  N cachestat calls on fd -1 (EBADF; ENOSYS before Linux 6.5)
 *   orphan=N   a child that outlives this process: sleeps 300 ms, then N getppid calls
 *   seccomp=N  a seccomp filter makes getppid fail with EPERM, then N getppid calls
 *   blocked=N  N threads blocked in read on a pipe when the process exits
 *   exec=N     finally execve itself as "known getppid=N"
 *   wait       first print "ready" and wait for a byte on stdin
 *   exit=CODE  exit with CODE; kill=SIG: kill itself with SIG
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void getppids(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void *thread_fn(void *arg)
{
	getppids((long)arg);
	return NULL;
}

static void *block_fn(void *arg)
{
	char c;

	syscall(SYS_read, *(int *)arg, &c, 1);
	return NULL;
}

/* A seccomp filter that fails getppid with EPERM and allows everything else. */
static int deny_getppid(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) ? -1 : 0;
}

/* 32-bit calls from a 64-bit process: x86's int $0x80; other architectures have none. */
static int compat_getppids(long n)
{
#if defined(__x86_64__)
	for (long i = 0; i < n; i++) {
		long ret = 64; /* __NR_getppid in the i386 table */

		__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
	}
	return 0;
#else
	return n ? -1 : 0;
#endif
}

int main(int argc, char **argv)
{
	long getppid_n = 0, enoent_n = 0, write_n = 0, fork_n = -1, thread_n = -1, compat_n = 0;
	long exec_n = -1, exit_code = 0, kill_sig = 0, orphan_n = -1, seccomp_n = 0, blocked_n = 0;
	long x32_n = 0, badnr_n = 0, cachestat_n = 0;
	int wait_stdin = 0;

	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		long v = eq ? atol(eq + 1) : 0;

		if (!strncmp(argv[i], "getppid=", 8))
			getppid_n = v;
		else if (!strncmp(argv[i], "enoent=", 7))
			enoent_n = v;
		else if (!strncmp(argv[i], "write=", 6))
			write_n = v;
		else if (!strncmp(argv[i], "fork=", 5))
			fork_n = v;
		else if (!strncmp(argv[i], "thread=", 7))
			thread_n = v;
		else if (!strncmp(argv[i], "compat=", 7))
			compat_n = v;
		else if (!strncmp(argv[i], "x32=", 4))
			x32_n = v;
		else if (!strncmp(argv[i], "badnr=", 6))
			badnr_n = v;
		else if (!strncmp(argv[i], "cachestat=", 10))
			cachestat_n = v;
		else if (!strncmp(argv[i], "seccomp=", 8))
			seccomp_n = v;
		else if (!strncmp(argv[i], "blocked=", 8))
			blocked_n = v;
		else if (!strncmp(argv[i], "orphan=", 7))
			orphan_n = v;
		else if (!strncmp(argv[i], "exec=", 5))
			exec_n = v;
		else if (!strncmp(argv[i], "exit=", 5))
			exit_code = v;
		else if (!strncmp(argv[i], "kill=", 5))
			kill_sig = v;
		else if (!strcmp(argv[i], "wait"))
			wait_stdin = 1;
		else {
			fprintf(stderr, "known: bad argument '%s'\n", argv[i]);
			return 2;
		}
	}

	if (wait_stdin) {
		char c;

		syscall(SYS_write, 1, "ready\n", 6);
		if (syscall(SYS_read, 0, &c, 1) != 1)
			return 3;
	}
	getppids(getppid_n);
	for (long i = 0; i < enoent_n; i++)
		syscall(SYS_openat, AT_FDCWD, "/nonexistent/sysray-known", O_RDONLY);
	if (write_n) {
		long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY);

		for (long i = 0; i < write_n; i++)
			syscall(SYS_write, fd, "x", 1);
		syscall(SYS_close, fd);
	}
	if (fork_n >= 0) {
		pid_t pid = fork();

		if (pid == 0) {
			getppids(fork_n);
			syscall(SYS_exit_group, 0);
		}
		syscall(SYS_wait4, pid, NULL, 0, NULL);
	}
	if (thread_n >= 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, thread_fn, (void *)thread_n))
			return 4;
		pthread_join(t, NULL);
	}
	if (compat_getppids(compat_n))
		return 2;
	for (long i = 0; i < x32_n; i++)
		syscall(0x40000000 | SYS_getpid);
	for (long i = 0; i < badnr_n; i++) {
		syscall(1000);
		syscall(-2);
	}
	for (long i = 0; i < cachestat_n; i++)
		syscall(451, -1, NULL, NULL, 0); /* __NR_cachestat on x86_64 */
	if (orphan_n >= 0 && fork() == 0) {
		struct timespec ts = { 0, 300 * 1000 * 1000 };

		syscall(SYS_nanosleep, &ts, NULL);
		getppids(orphan_n);
		syscall(SYS_exit_group, 0);
	}
	if (exec_n >= 0) {
		char arg[64];
		char *args[] = { argv[0], arg, NULL };

		snprintf(arg, sizeof(arg), "getppid=%ld", exec_n);
		syscall(SYS_execve, "/proc/self/exe", args, environ);
		return 5;
	}
	if (seccomp_n && deny_getppid() == 0)
		getppids(seccomp_n);
	if (blocked_n) {
		static int fds[2];
		pthread_t t;

		if (pipe(fds))
			return 6;
		for (long i = 0; i < blocked_n && i < 64; i++)
			pthread_create(&t, NULL, block_fn, &fds[0]);
		/* let them all block in read before the exit kills them */
		struct timespec ts = { 0, 200 * 1000 * 1000 };

		syscall(SYS_nanosleep, &ts, NULL);
	}
	if (kill_sig)
		syscall(SYS_kill, syscall(SYS_getpid), kill_sig);
	syscall(SYS_exit_group, exit_code);
	return 0;
}
