/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Small helpers every module uses. */
#ifndef SYSRAY_UTIL_H
#define SYSRAY_UTIL_H

#include <stdio.h>
#include <time.h>
#include <linux/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* One-line error for the user: "sysray: error: ...". */
__attribute__((format(printf, 1, 2))) void p_err(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void p_warn(const char *fmt, ...);

static inline __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#endif /* SYSRAY_UTIL_H */
