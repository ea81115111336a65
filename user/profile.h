/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The aggregated profile that every report is rendered from. */
#ifndef SYSRAY_PROFILE_H
#define SYSRAY_PROFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "sysray.h"
#include "hist.h"

/*
 * Everything known about one (abi, nr).  calls and errors are counted from the records; in
 * the whole-run table (profile.total) tracer__add_counters() then adds from the kernel
 * counters the calls that have no record (dropped on a full ring, or never returned), so
 * there they are exact.  Interval and per-process tables come from the records only.
 */
struct sc_stat {
	__u64 calls;	  /* every entry seen */
	__u64 errors;	  /* returns in -4095..-1 */
	__u64 unfinished; /* entered but never returned while traced (whole-run table only) */
	__u64 timed;	  /* completed calls whose record was delivered */
	__u64 total_ns;	  /* sum of durations over the timed calls */
	__u64 min_ns;	  /* over the timed calls; valid when timed > 0 */
	__u64 max_ns;
};

struct sc_table {
	struct sc_stat sc[SYSRAY_ABI_CNT][SYSRAY_MAX_NR];
};

/* Errnos below this are counted in place; rarer ones (kernel-internal codes) in a list. */
#define SC_ERRNO_FLAT 256

struct errno_count {
	__u32 err; /* positive errno */
	__u64 count;
};

/*
 * Latency histogram and errno breakdown of one (abi, nr), from the delivered records.
 * Allocated at the first record of that syscall, so the per-record path never allocates
 * after that (except for the first sighting of an errno >= SC_ERRNO_FLAT).
 */
struct sc_detail {
	struct hist hist;
	__u64 errnos[SC_ERRNO_FLAT];
	struct errno_count *rare;
	__u32 nr_rare;
	__u32 cap_rare;
};

/* -P groups by process (tgid), --per-thread by thread (tid). */
enum group_by {
	GROUP_NONE = 0,
	GROUP_PROCESS,
	GROUP_THREAD,
};

struct groups; /* groups.h */

enum target_mode {
	TARGET_COMMAND,
	TARGET_PID,
	TARGET_SYSTEM,
};

struct anomaly;

struct profile {
	struct sc_table total;
	struct sc_detail *detail[SYSRAY_ABI_CNT][SYSRAY_MAX_NR]; /* NULL until the first record */
	struct groups *groups; /* per process or thread tables (-P, --per-thread), or NULL */
	unsigned int seq;      /* interval reports: 1, 2, ...; 0 for the whole run */
	__u64 offset_ns;       /* interval reports: start, in ns after tracing began */
	enum target_mode mode;
	char **argv;	 /* command mode: the command line, NULL-terminated */
	const int *pids; /* pid mode */
	int nr_pids;
	__u64 duration_ns; /* wall time traced */
	__u64 received;	   /* records delivered through the ring */
	__u64 dropped;	   /* records lost (ring full); their calls are still counted */
	__u64 missed;	   /* hook runs the kernel skipped (recursion): calls not counted */
	__u64 procs;	   /* processes traced */
	int exit_status;   /* command mode: the command's exit status, else -1 */
	const struct anomaly *anomaly; /* --anomaly: the detector, for its episodes; else NULL */
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

/* dst += src, for folding one table's entry into another's. */
static inline void sc_stat_merge(struct sc_stat *dst, const struct sc_stat *src)
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

struct sc_detail *sc_detail__new(void);
void sc_detail__free(struct sc_detail *d);
void sc_detail_reset(struct sc_detail *d);
/* Count an errno >= SC_ERRNO_FLAT; -ENOMEM when its first sighting cannot be stored. */
int sc_detail_add_rare(struct sc_detail *d, __u32 err);

/* Fold one delivered record's latency and return value in. */
static inline int sc_detail_add(struct sc_detail *d, __u64 dur_ns, __s64 ret)
{
	hist_record(&d->hist, dur_ns);
	if (ret >= 0 || ret < -4095)
		return 0;
	if (-ret < SC_ERRNO_FLAT) {
		d->errnos[-ret]++;
		return 0;
	}
	return sc_detail_add_rare(d, (__u32)-ret);
}

/* The errnos seen, by count descending then errno; *out is malloc'ed (NULL when n is 0). */
int sc_detail_errnos(const struct sc_detail *d, struct errno_count **out, size_t *n);
/* "ENOENT", or the number in decimal for an errno without a name. */
const char *sc_errno_label(__u32 err, char *buf, size_t len);

/* Empty the tables, details and groups for the next interval; allocations are kept. */
void profile__reset(struct profile *p);
/* Free the details and groups (not p itself). */
void profile__free_detail(struct profile *p);

#endif /* SYSRAY_PROFILE_H */
