// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A getppid() storm that times itself: the cheapest syscall, so what a tracer adds per
 * call stands out.
 * usage: storm [CALLS [THREADS]]  prints "storm: N calls, T threads, X ns/syscall"
 * then "storm-cpu: Y cpu-ns/syscall": the process's CPU time per call, in which BPF hooks
 * are counted (they run on the calling task) but not the time other tasks held the CPU,
 * so it stays meaningful on a loaded machine (a ptrace tracer's own work is not in it).
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
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
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
	printf("storm: %ld calls, %d threads, %.1f ns/syscall\n", calls * threads, threads,
	       ns / calls);
	printf("storm-cpu: %.1f cpu-ns/syscall\n", cpu / calls / threads);
	return 0;
}
