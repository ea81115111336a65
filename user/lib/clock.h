/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Monotonic time, and the fixed-period ticks that the poll loop serves. */
#ifndef SYSRAY_LIB_CLOCK_H
#define SYSRAY_LIB_CLOCK_H

#include <time.h>
#include <stdbool.h>
#include <linux/types.h>

static inline __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* How long a poll may wait to wake by deadline: at most max_ms, rounded up, 0 if past. */
static inline int clock_timeout_ms(__u64 now, __u64 deadline, int max_ms)
{
	__u64 left;

	if (now >= deadline)
		return 0;
	/* Round up: waking a little early would only mean another short wait. */
	left = (deadline - now + 999999) / 1000000;
	return left < (__u64)max_ms ? (int)left : max_ms;
}

/* Ticks every period on the grid of the start; ticks missed in a stall are skipped. */
struct ticker {
	__u64 period;
	__u64 next; /* 0 until started */
};

static inline void ticker__start(struct ticker *t, __u64 period, __u64 start)
{
	t->period = period;
	t->next = start + period;
}

/* Whether a tick is due at now; if so, move to the next one after now. */
static inline bool ticker__due(struct ticker *t, __u64 now)
{
	if (!t->next || now < t->next)
		return false;
	while (t->next <= now)
		t->next += t->period;
	return true;
}

#endif /* SYSRAY_LIB_CLOCK_H */
