/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Calls, errors and time of one syscall, and a table of them for every (abi, nr). */
#ifndef SYSRAY_STATS_SC_STAT_H
#define SYSRAY_STATS_SC_STAT_H

#include <linux/types.h>
#include "sysray.h"

/*
 * Everything known about one (abi, nr).  calls and errors are counted from the records; in
 * a whole-run profile the kernel's counts are then added (profile__add_counts) for the
 * calls that have no record (dropped on a full ring, or never returned), so there they are
 * exact.  Interval and per-process tables come from the records only.
 */
struct sc_stat {
	__u64 calls;	  /* every entry seen */
	__u64 errors;	  /* returns that sysray_is_error() */
	__u64 unfinished; /* entered but never returned while traced (whole-run table only) */
	__u64 timed;	  /* completed calls whose record was delivered */
	/* sum of durations over the timed calls: 128 bits, so a long -a run never wraps it */
	unsigned __int128 total_ns;
	__u64 min_ns; /* over the timed calls; valid when timed > 0 */
	__u64 max_ns;
};

struct sc_table {
	struct sc_stat sc[SYSRAY_ABI_CNT][SYSRAY_MAX_NR];
};

/* Fold one delivered record into the entry. */
static inline void sc_stat__add_time(struct sc_stat *s, __u64 dur_ns)
{
	if (!s->timed || dur_ns < s->min_ns)
		s->min_ns = dur_ns;
	if (dur_ns > s->max_ns)
		s->max_ns = dur_ns;
	s->timed++;
	s->total_ns += dur_ns;
}

/* dst += src, for folding one table's entry into another's. */
static inline void sc_stat__merge(struct sc_stat *dst, const struct sc_stat *src)
{
	if (src->timed && (!dst->timed || src->min_ns < dst->min_ns))
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	dst->calls += src->calls;
	dst->errors += src->errors;
	dst->unfinished += src->unfinished;
	dst->timed += src->timed;
	dst->total_ns += src->total_ns;
}

#endif /* SYSRAY_STATS_SC_STAT_H */
