// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A getppid() storm that times itself: the cheapest syscall, so what a tracer adds per
 * call stands out.
 * usage: storm [CALLS [THREADS]]
 * prints "storm: N calls, T threads, X ns/syscall (cpu Y ns)": X is wall-clock time per call
 * and thread, Y the process's CPU time per call, which time spent preempted by other load
 * on the machine does not inflate.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static long calls = 10000000;

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 2 ? atoi(argv[2]) : 1;
	pthread_t t[256];
	struct timespec a, b, ca, cb;
	double ns, cpu;

	if (argc > 1)
		calls = atol(argv[1]);
	if (threads < 1 || threads > 256 || calls < 1) {
		fprintf(stderr, "usage: storm [CALLS [THREADS]]\n");
		return 2;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 1; i < threads; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	worker(NULL);
	for (int i = 1; i < threads; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
	ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	cpu = (cb.tv_sec - ca.tv_sec) * 1e9 + (cb.tv_nsec - ca.tv_nsec);
	/* per thread: each thread's calls run concurrently on their own core */
	printf("storm: %ld calls, %d threads, %.1f ns/syscall (cpu %.1f ns)\n", calls * threads,
	       threads, ns / calls, cpu / ((double)calls * threads));
	return 0;
}
