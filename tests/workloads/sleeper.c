// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Sleeps of known lengths that time themselves, for latency-percentile tests.
 *
 * usage: sleeper [all] USECxCOUNT...   e.g. sleeper 1000x60 2000x30 5000x10
 *   makes COUNT clock_nanosleep(CLOCK_MONOTONIC) calls of USEC microseconds for each
 *   argument, the arguments interleaved round-robin, with the timer slack at 1 ns so the
 *   kernel does not stretch them; then prints the latencies it measured itself (nearest
 *   rank over every call) on one line, and the same of the requested lengths on another:
 *   "sleeper: n=N p50_ns=X p90_ns=X p99_ns=X max_ns=X"
 *   "requested: n=N p50_ns=X p90_ns=X p99_ns=X max_ns=X"
 *   With "all" first, two more lines give every latency, sorted, for quantiles at any rank:
 *   "sleeper-all: X X ..." (measured) and "requested-all: X X ..." (requested).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define MAX_ARGS 16

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least q % of the values at or below it. */
static unsigned long long pct(const unsigned long long *v, long n, long q)
{
	long rank = (q * n + 99) / 100; /* integers: no rounding to get wrong */

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

int main(int argc, char **argv)
{
	long usec[MAX_ARGS], left[MAX_ARGS], total = 0, n = 0;
	unsigned long long *lat, *req;
	int all = argc > 1 && !strcmp(argv[1], "all");
	int nargs = argc - 1 - all;

	if (nargs < 1 || nargs > MAX_ARGS) {
		fprintf(stderr, "usage: sleeper USECxCOUNT...\n");
		return 2;
	}
	for (int i = 0; i < nargs; i++) {
		if (sscanf(argv[i + 1 + all], "%ldx%ld", &usec[i], &left[i]) != 2 || usec[i] <= 0 ||
		    left[i] < 0) {
			fprintf(stderr, "sleeper: bad argument '%s'\n", argv[i + 1 + all]);
			return 2;
		}
		total += left[i];
	}
	lat = calloc(total ? total : 1, sizeof(*lat));
	req = calloc(total ? total : 1, sizeof(*req));
	if (!lat || !req || prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0))
		return 3;
	while (n < total) {
		for (int i = 0; i < nargs; i++) {
			struct timespec ts = { usec[i] / 1000000, usec[i] % 1000000 * 1000 };
			unsigned long long t0;

			if (!left[i])
				continue;
			left[i]--;
			req[n] = usec[i] * 1000ULL;
			t0 = now_ns();
			syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
			lat[n++] = now_ns() - t0;
		}
	}
	qsort(lat, n, sizeof(*lat), cmp);
	qsort(req, n, sizeof(*req), cmp);
	printf("sleeper: n=%ld p50_ns=%llu p90_ns=%llu p99_ns=%llu max_ns=%llu\n", n,
	       pct(lat, n, 50), pct(lat, n, 90), pct(lat, n, 99), n ? lat[n - 1] : 0ULL);
	printf("requested: n=%ld p50_ns=%llu p90_ns=%llu p99_ns=%llu max_ns=%llu\n", n,
	       pct(req, n, 50), pct(req, n, 90), pct(req, n, 99), n ? req[n - 1] : 0ULL);
	for (int k = 0; all && k < 2; k++) {
		fputs(k ? "requested-all:" : "sleeper-all:", stdout);
		for (long i = 0; i < n; i++)
			printf(" %llu", k ? req[i] : lat[i]);
		putchar('\n');
	}
	free(lat);
	free(req);
	return 0;
}
