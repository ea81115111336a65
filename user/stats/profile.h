/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The aggregated profile that every report is rendered from. */
#ifndef SYSRAY_STATS_PROFILE_H
#define SYSRAY_STATS_PROFILE_H

#include <linux/types.h>
#include "sysray.h"
#include "stats/groups.h"
#include "stats/run.h"
#include "stats/sc_detail.h"
#include "stats/sc_stat.h"

struct profile {
	struct sc_table total;
	struct sc_detail *detail[SYSRAY_ABI_CNT][SYSRAY_MAX_NR]; /* NULL until the first record */
	struct groups *groups; /* per process or thread tables (-P, --per-thread), or NULL */
	struct run_info run;   /* what was traced (whole-run profiles) */
	unsigned int seq;      /* interval reports: 1, 2, ...; 0 for the whole run */
	__u64 offset_ns;       /* interval reports: start, in ns after tracing began */
	__u64 duration_ns;     /* wall time traced */
	__u64 received;	       /* records delivered through the ring */
	__u64 dropped;	       /* records lost (ring full); their calls are still counted */
	__u64 missed;	       /* hook runs the kernel skipped (recursion): calls not counted */
	__u64 unsampled;       /* --sample: completed calls counted but not chosen for timing */
	__u64 procs;	       /* processes traced */
};

/*
 * Add what the kernel counted beside the records: the calls of dropped records (with
 * their errors), calls that never returned (unfinished), calls it could not time and
 * calls --sample did not time (with their errors); and the dropped, missed and unsampled
 * totals.
 */
void profile__add_counts(struct profile *p, const struct sysray_counts *c);
/* Empty the tables, details and groups for the next interval; allocations are kept. */
void profile__reset(struct profile *p);
/* Free the details and groups (not p itself). */
void profile__free_detail(struct profile *p);

#endif /* SYSRAY_STATS_PROFILE_H */
