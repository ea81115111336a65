// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A service-like load that changes behaviour in phases, for anomaly-detection tests.
 *
 * usage: phases PHASE...   each PHASE is KIND:ARG:SECONDS[:THREADS], run in order:
 *   sleep:USEC:S   clock_nanosleep(USEC) in a loop for S seconds, on THREADS threads
 *                  (default 1; a thread ends with the first sleep that ends past S)
 *   open:ok:S      every 1 ms: openat("/dev/null") and close, for S seconds
 *   open:fail:S    every 1 ms: openat of a missing path (ENOENT), for S seconds
 *   write:nosync:S every 1 ms: a 4 KiB pwrite to a file in $PHASES_DIR (default /var/tmp,
 *                  a disk where /tmp may be memory), for S seconds
 *   write:fsync:S  the same, each write followed by fsync: the service starts syncing
 *   block:futex:S  wait S seconds on a futex nobody wakes: the service hangs in one call
 * Timer slack is 1 ns so sleeps last what they ask for. Prints "phase N start_ns=T" as each
 * starts, T on CLOCK_MONOTONIC (the clock of sysray's timestamps).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap(long usec)
{
	struct timespec ts = { usec / 1000000, usec % 1000000 * 1000 };

	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
}

struct sleeper {
	long usec;
	double end;
};

static void *sleep_loop(void *arg)
{
	const struct sleeper *s = arg;

	while (now_s() < s->end)
		nap(s->usec);
	return NULL;
}

/* THREADS loops of sleeps until end; each thread starts a fraction of a sleep later. */
static int sleep_phase(long usec, double end, int threads)
{
	struct sleeper s = { usec, end };
	pthread_t t[256];

	if (usec <= 0 || threads < 1 || threads > 256)
		return 2;
	for (int i = 1; i < threads; i++) {
		nap(usec / threads);
		if (pthread_create(&t[i], NULL, sleep_loop, &s))
			return 3;
	}
	sleep_loop(&s);
	for (int i = 1; i < threads; i++)
		pthread_join(t[i], NULL);
	return 0;
}

/* The file of the write phases, unlinked at once: it is gone whatever happens. */
static long data_file(void)
{
	const char *dir = getenv("PHASES_DIR");
	char path[4096];
	long fd;

	snprintf(path, sizeof(path), "%s/sysray-phases-%d", dir ? dir : "/var/tmp", getpid());
	fd = syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		syscall(SYS_unlinkat, AT_FDCWD, path, 0);
	return fd;
}

static int run_phase(const char *kind, const char *arg, double end, int threads)
{
	static char block[4096];
	static long fd = -1;

	if (!strcmp(kind, "sleep")) {
		if (sleep_phase(atol(arg), end, threads))
			return 2;
	} else if (!strcmp(kind, "open")) {
		const char *path = strcmp(arg, "fail") ? "/dev/null" : "/nonexistent/sysray";

		while (now_s() < end) {
			long f = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);

			if (f >= 0)
				syscall(SYS_close, f);
			nap(1000);
		}
	} else if (!strcmp(kind, "write")) {
		if (fd < 0 && (fd = data_file()) < 0)
			return 2;
		while (now_s() < end) {
			syscall(SYS_pwrite64, fd, block, sizeof(block), 0);
			if (!strcmp(arg, "fsync"))
				syscall(SYS_fsync, fd);
			nap(1000);
		}
	} else if (!strcmp(kind, "block")) {
		double left = end - now_s();
		struct timespec ts = { (time_t)left, (long)((left - (time_t)left) * 1e9) };
		int word = 0;

		if (left > 0)
			syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
	} else {
		fprintf(stderr, "phases: unknown kind '%s'\n", kind);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0)) {
		fprintf(stderr, "usage: phases KIND:ARG:SECONDS...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		char kind[16], arg[16];
		double secs, end;
		int threads = 1;

		if (sscanf(argv[i], "%15[^:]:%15[^:]:%lf:%d", kind, arg, &secs, &threads) < 3 ||
		    secs <= 0) {
			fprintf(stderr, "phases: bad phase '%s'\n", argv[i]);
			return 2;
		}
		end = now_s();
		printf("phase %d start_ns=%.0f\n", i, end * 1e9);
		end += secs;
		if (run_phase(kind, arg, end, threads))
			return 2;
	}
	return 0;
}
