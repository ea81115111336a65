// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <time.h>
#include "lib/clock.h"
#include "lib/walltime.h"

__u64 walltime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Both clocks run at the same (NTP-disciplined) rate, so their offset only changes when the
 * system clock is stepped. It is measured at every conversion, but a new value replaces the
 * kept one only when it moved by more than this: reading jitter must not make an interval
 * end one microsecond after the next one starts.
 */
#define STEP_NS 1000000LL

static _Atomic __s64 kept_offset;

__u64 walltime_of_mono(__u64 mono_ns)
{
	/* Read the monotonic clock between two wall readings: the offset is then off by at
	 * most half the time a clock read takes. */
	__u64 w0 = walltime_now(), m = now_ns(), w1 = walltime_now();
	__s64 offset = (__s64)(w0 / 2 + w1 / 2 + (w0 & w1 & 1)) - (__s64)m;
	__s64 kept = kept_offset;

	if (kept && offset - kept < STEP_NS && kept - offset < STEP_NS)
		offset = kept;
	else
		kept_offset = offset;
	return (__u64)((__s64)mono_ns + offset);
}

char *walltime_rfc3339(char *buf, size_t len, __u64 wall_ns)
{
	time_t sec = wall_ns / 1000000000ULL;
	struct tm tm;

	if (!len)
		return buf;
	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "1970-01-01T00:00:00.000000Z");
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned int)(wall_ns % 1000000000ULL / 1000));
	return buf;
}
