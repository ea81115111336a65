/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The aggregated profile that every report is rendered from. */
#ifndef SYSRAY_PROFILE_H
#define SYSRAY_PROFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "sysray.h"

/* Everything known about one (abi, nr). */
struct sc_stat {
	__u64 calls;	  /* every entry seen (exact, from the kernel counters) */
	__u64 errors;	  /* returns in -4095..-1 (exact, from the kernel counters) */
	__u64 unfinished; /* entered but never returned while traced */
	__u64 timed;	  /* completed calls whose record was delivered */
	__u64 total_ns;	  /* sum of durations over the timed calls */
	__u64 min_ns;	  /* over the timed calls; valid when timed > 0 */
	__u64 max_ns;
};

struct sc_table {
	struct sc_stat sc[SYSRAY_ABI_CNT][SYSRAY_MAX_NR];
};

enum target_mode {
	TARGET_COMMAND,
	TARGET_PID,
	TARGET_SYSTEM,
};

struct profile {
	struct sc_table total;
	enum target_mode mode;
	char **argv;	     /* command mode: the command line, NULL-terminated */
	const int *pids;     /* pid mode */
	int nr_pids;
	__u64 duration_ns;   /* wall time traced */
	__u64 received;	     /* records delivered through the ring */
	__u64 dropped;	     /* records lost (ring full); their calls are still counted */
	__u64 procs;	     /* processes traced */
	int exit_status;     /* command mode: the command's exit status, else -1 */
};

/* Fold one delivered record into the table. */
static inline void sc_stat_add_time(struct sc_stat *s, __u64 dur_ns)
{
	if (!s->timed || dur_ns < s->min_ns)
		s->min_ns = dur_ns;
	if (dur_ns > s->max_ns)
		s->max_ns = dur_ns;
	s->timed++;
	s->total_ns += dur_ns;
}

#endif /* SYSRAY_PROFILE_H */
