/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Wall-clock time for what sysray emits: records and ticks carry CLOCK_MONOTONIC
 * nanoseconds (bpf_ktime_get_ns() is that clock), which no log or dashboard can line up
 * with, so every timestamp is also given as RFC 3339 UTC with microseconds.
 */
#ifndef SYSRAY_LIB_WALLTIME_H
#define SYSRAY_LIB_WALLTIME_H

#include <stddef.h>
#include <linux/types.h>

/* "2025-06-01T12:00:00.123456Z" and its NUL. */
#define WALLTIME_LEN 28

/* CLOCK_REALTIME in ns since the epoch. */
__u64 walltime_now(void);
/*
 * The wall-clock time of a CLOCK_MONOTONIC instant, with the offset between the clocks as
 * it is now: a step of the system clock (NTP, an administrator) moves every later
 * conversion with it, as a log line written at that instant would have been.
 */
__u64 walltime_of_mono(__u64 mono_ns);
/* wall_ns as RFC 3339 UTC with microseconds into buf (at least WALLTIME_LEN); returns buf. */
char *walltime_rfc3339(char *buf, size_t len, __u64 wall_ns);

#endif /* SYSRAY_LIB_WALLTIME_H */
