// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A workload whose syscalls are known, for exact-count tests. Raw syscall(2) calls so
 * libc adds or caches none.
 *
 * usage: known [getppid=N] [enoent=N] [write=N] [fork=N] [thread=N] [compat=N]
 *              [exec=N] [wait] [nap=MS] [killed] [exit=CODE] [kill=SIG]
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
 *   killed     three threads blocked when the process exits (or kill=9 kills it, or
 *              exec=N replaces it), in calls that then return -EINTR: epoll_wait, accept
 *              (with SO_RCVTIMEO) and rt_sigtimedwait. As with blocked=N, the main thread
 *              goes on once each thread is in its call (/proc/self/task/TID/syscall)
 *   nap=MS     sleep MS milliseconds first (after wait)
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
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
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

/*
 * A thread that blocks in one call: it publishes its tid, so that the main thread can see
 * in /proc when the call has started (sleeping a while instead would be a guess).
 */
struct blocker {
	int fd;
	volatile pid_t tid;
};

static void publish_tid(struct blocker *b)
{
	__atomic_store_n(&b->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
}

static void *block_fn(void *arg)
{
	struct blocker *b = arg;
	char c;

	publish_tid(b);
	syscall(SYS_read, b->fd, &c, 1);
	return NULL;
}

static void *epoll_fn(void *arg)
{
	long ep = syscall(SYS_epoll_create1, 0);
	struct epoll_event ev;

	publish_tid(arg);
	syscall(SYS_epoll_wait, ep, &ev, 1, -1);
	return NULL;
}

/* accept with a receive timeout: a signal makes it return -EINTR, not -ERESTARTSYS. */
static void *accept_fn(void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { 10, 0 };
	long fd = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);

	/* abstract name, unique per process */
	snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "sysray-known-%d", getpid());
	syscall(SYS_bind, fd, &sa, sizeof(sa));
	syscall(SYS_listen, fd, 1);
	syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	publish_tid(arg);
	syscall(SYS_accept, fd, NULL, NULL);
	return NULL;
}

static void *sigwait_fn(void *arg)
{
	struct timespec ts = { 10, 0 };
	__u64 set = 1ULL << (SIGUSR2 - 1);

	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, sizeof(set));
	publish_tid(arg);
	syscall(SYS_rt_sigtimedwait, &set, NULL, &ts, sizeof(set));
	return NULL;
}

/*
 * Wait (up to 20 s) until b's thread sleeps in syscall nr: /proc/self/task/TID/syscall then
 * starts with the number ("running" while it runs). 0 when it does, -1 if it never does.
 */
static int wait_blocked(struct blocker *b, long nr)
{
	struct timespec ms = { 0, 1000 * 1000 };
	char path[64], want[24], buf[64];

	snprintf(want, sizeof(want), "%ld ", nr);
	for (int i = 0; i < 20000; i++) {
		pid_t tid = __atomic_load_n(&b->tid, __ATOMIC_ACQUIRE);
		long fd, n = 0;

		if (tid) {
			snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
			fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
			if (fd >= 0) {
				n = syscall(SYS_read, fd, buf, sizeof(buf) - 1);
				syscall(SYS_close, fd);
			}
			if (n > 0 && !strncmp(buf, want, strlen(want)))
				return 0;
		}
		syscall(SYS_nanosleep, &ms, NULL);
	}
	return -1;
}

/* n threads blocked in read on a pipe nobody writes. */
static int start_blocked(long n)
{
	static struct blocker b[64];
	static int fds[2];
	pthread_t t;

	if (pipe(fds))
		return 6;
	for (long i = 0; i < n && i < 64; i++) {
		b[i].fd = fds[0];
		if (pthread_create(&t, NULL, block_fn, &b[i]))
			return 6;
	}
	for (long i = 0; i < n && i < 64; i++)
		if (wait_blocked(&b[i], SYS_read))
			return 6;
	return 0;
}

/* Three threads in calls that return -EINTR when their thread is killed. */
static int start_killed(void)
{
	static void *(*const fns[])(void *) = { epoll_fn, accept_fn, sigwait_fn };
	static const long nrs[] = { SYS_epoll_wait, SYS_accept, SYS_rt_sigtimedwait };
	static struct blocker b[3];
	pthread_t t;

	for (int i = 0; i < 3; i++)
		if (pthread_create(&t, NULL, fns[i], &b[i]))
			return 7;
	for (int i = 0; i < 3; i++)
		if (wait_blocked(&b[i], nrs[i]))
			return 7;
	return 0;
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
	long x32_n = 0, badnr_n = 0, cachestat_n = 0, nap_ms = 0;
	int wait_stdin = 0, killed = 0, killed_first, err;

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
		else if (!strncmp(argv[i], "nap=", 4))
			nap_ms = v;
		else if (!strcmp(argv[i], "killed"))
			killed = 1;
		else if (!strcmp(argv[i], "wait"))
			wait_stdin = 1;
		else {
			fprintf(stderr, "known: bad argument '%s'\n", argv[i]);
			return 2;
		}
	}

	killed_first = exec_n >= 0;
	if (wait_stdin) {
		char c;

		syscall(SYS_write, 1, "ready\n", 6);
		if (syscall(SYS_read, 0, &c, 1) != 1)
			return 3;
	}
	if (nap_ms) {
		struct timespec ts = { nap_ms / 1000, nap_ms % 1000 * 1000000 };

		syscall(SYS_nanosleep, &ts, NULL);
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
	/* with exec=N the threads are killed by the execve (de_thread) */
	if (killed && killed_first && (err = start_killed()))
		return err;
	if (exec_n >= 0) {
		char arg[64];
		char *args[] = { argv[0], arg, NULL };

		snprintf(arg, sizeof(arg), "getppid=%ld", exec_n);
		syscall(SYS_execve, "/proc/self/exe", args, environ);
		return 5;
	}
	if (seccomp_n && deny_getppid() == 0)
		getppids(seccomp_n);
	if (blocked_n && (err = start_blocked(blocked_n)))
		return err;
	if (killed && !killed_first && (err = start_killed()))
		return err;
	if (kill_sig)
		syscall(SYS_kill, syscall(SYS_getpid), kill_sig);
	syscall(SYS_exit_group, exit_code);
	return 0;
}
