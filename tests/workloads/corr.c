// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Syscall rates with a known dependence, for --correlate. Time is cut in slots of SLOT_MS
 * milliseconds for SECONDS: in slot k a hidden load L(k) (a pseudo-random level 0..9 from
 * k) drives L x 20 getppid and L x 20 getuid calls, interleaved; an independent level M(k)
 * (from k and another seed) drives M x 20 getgid calls. getppid and getuid follow each other;
 * getgid follows neither. The calls of a slot are made at its start; a slot the process was
 * kept from (a loaded machine) is skipped rather than made up later, so that calls stay in
 * the time they belong to. With "rt" it runs at real-time priority (SCHED_FIFO 1), so that a
 * loaded machine does not starve it of whole slots: a slot skipped is a slot without getppid
 * and without getgid, which would tie the two together.
 *
 * usage: corr SECONDS SLOT_MS [rt]
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static unsigned long long mix(unsigned long long z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs, slot, t0, now;
	long done = -1;

	if (argc < 3 || argc > 4 || (secs = atof(argv[1])) <= 0 ||
	    (slot = atof(argv[2]) / 1e3) <= 0 || (argc == 4 && strcmp(argv[3], "rt"))) {
		fprintf(stderr, "usage: corr SECONDS SLOT_MS [rt]\n");
		return 2;
	}
	if (argc == 4) {
		struct sched_param sp = { .sched_priority = 1 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			perror("corr: SCHED_FIFO");
	}
	t0 = now_s();
	while ((now = now_s()) < t0 + secs) {
		long k = (long)((now - t0) / slot), load, m;
		double left;

		if (k > done) {
			load = mix(k ^ 0x1111) % 10 * 20;
			m = mix(k ^ 0x2222222) % 10 * 20;
			for (long i = 0; i < load; i++) {
				syscall(SYS_getppid);
				syscall(SYS_getuid);
			}
			for (long i = 0; i < m; i++)
				syscall(SYS_getgid);
			done = k;
		}
		left = t0 + (k + 1) * slot - now_s();
		if (left > 0) {
			struct timespec ts = { 0, (long)(left * 1e9) };

			syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
		}
	}
	return 0;
}
