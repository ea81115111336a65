// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Known code paths making known slow and failing calls, for the --stacks tests. Built
 * three ways by the Makefile: stacks (frame pointers), stacks_nofp (-fomit-frame-pointer)
 * and, by the tests, a stripped copy with its debug info apart.
 *
 * usage: stacks lines        print the line of every call site below, as NAME=LINE
 *        stacks run N M      N slow sleeps (20 ms) through libc in slow_sleep(), from main
 *                            then from a thread; one more at the bottom of a recursion
 *                            DEPTH deep with 512-byte frames (deeper than a frame-pointer
 *                            run's stack window); M failing opens through an inlined
 *                            helper in fail_open(); one child process that makes a slow
 *                            sleep in child_sleep() and exits 300 ms before the parent
 *
 * The calls: clock_nanosleep (glibc's nanosleep), openat failing with ENOENT.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#define SLEEP_NS (20 * 1000 * 1000)
#define DEPTH	 20

static int line_sleep, line_open, line_helper, line_child, line_main_sleep, line_thread_sleep,
    line_deep_leaf, line_deep_rec, line_deep_call;

/* Through libc: nanosleep() -> clock_nanosleep(). */
static void __attribute__((noinline)) slow_sleep(void)
{
	struct timespec ts = { 0, SLEEP_NS };

	line_sleep = __LINE__ + 1;
	nanosleep(&ts, NULL);
	__asm__ volatile("" ::: "memory"); /* not a tail call: slow_sleep stays on the stack */
}

/* Inlined into fail_open: the failing openat is attributed to both. */
static inline __attribute__((always_inline)) int open_missing(const char *path)
{
	line_helper = __LINE__ + 1;
	return open(path, O_RDONLY);
}

static void __attribute__((noinline)) fail_open(void)
{
	int fd;

	line_open = __LINE__ + 1;
	fd = open_missing("/nonexistent/sysray-stacks-test");
	if (fd >= 0)
		close(fd);
	__asm__ volatile("" ::: "memory");
}

static void __attribute__((noinline)) child_sleep(void)
{
	struct timespec ts = { 0, SLEEP_NS };

	line_child = __LINE__ + 1;
	nanosleep(&ts, NULL);
	__asm__ volatile("" ::: "memory");
}

/* 512 bytes of stack a level, and work after the call: no tail call, no loop. */
static int __attribute__((noinline)) deep(int n)
{
	volatile char buf[512];

	buf[n] = (char)n;
	if (!n) {
		line_deep_leaf = __LINE__ + 1;
		slow_sleep();
		return buf[0];
	}
	line_deep_rec = __LINE__ + 1;
	return deep(n - 1) + buf[n];
}

static void *thread_main(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++) {
		line_thread_sleep = __LINE__ + 1;
		slow_sleep();
	}
	return NULL;
}

static void run(long n, long m)
{
	struct timespec pause = { 0, 300 * 1000 * 1000 };
	pthread_t th;
	pid_t child;

	for (long i = 0; i < n; i++) {
		line_main_sleep = __LINE__ + 1;
		slow_sleep();
	}
	if (n) {
		line_deep_call = __LINE__ + 1;
		deep(DEPTH);
	}
	for (long i = 0; i < m; i++)
		fail_open();
	/* A process that exits long before the report. */
	child = fork();
	if (child == 0) {
		child_sleep();
		_exit(0);
	}
	waitpid(child, NULL, 0);
	/* Threads last: from here on glibc takes its multi-threaded syscall paths. */
	pthread_create(&th, NULL, thread_main, (void *)n);
	pthread_join(th, NULL);
	nanosleep(&pause, NULL);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "lines")) {
		/* The lines are set when the code runs: run it without calls to learn them. */
		slow_sleep();
		fail_open();
		child_sleep();
		thread_main((void *)1);
		run(1, 0);
		printf("sleep=%d open=%d helper=%d child=%d main_sleep=%d thread_sleep=%d "
		       "deep_leaf=%d deep_rec=%d deep_call=%d depth=%d\n",
		       line_sleep, line_open, line_helper, line_child, line_main_sleep,
		       line_thread_sleep, line_deep_leaf, line_deep_rec, line_deep_call, DEPTH);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "run")) {
		run(atol(argv[2]), atol(argv[3]));
		return 0;
	}
	fprintf(stderr, "usage: stacks lines | stacks run N M\n");
	return 2;
}
