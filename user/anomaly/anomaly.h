/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Real-time anomaly detector for long-running services (see docs/anomaly.md).
 *
 * Fed once per interval tick with one observation per active (group, syscall), it keeps a
 * sliding window of compact per-interval summaries per (group, syscall) and scores each
 * interval with a robust z-score (median and MAD) on the log scale.  Groups are services
 * (cgroups or processes, numbered by the caller) with baselines of their own; group 0 is the
 * only one without --anomaly-by.  It reports through a callback: exactly one "firing" and one
 * "resolved" event per episode of (group, syscall, kind).  A pure library: no I/O except the
 * formatters, no globals, not thread safe (one detector per thread).
 */
#ifndef SYSRAY_ANOMALY_H
#define SYSRAY_ANOMALY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

struct hist;

#define ANOMALY_WINDOW_MAX 1024
#define ANOMALY_VOTES_MAX  32
#define ANOMALY_NAME_MAX   32
#define ANOMALY_TOP	   10
#define ANOMALY_GROUP_MAX  64	/* group names, NUL included */
#define ANOMALY_GROUPS_MAX 4097 /* group numbers: 4096 and an overflow group */

enum anomaly_kind {
	ANOMALY_LATENCY = 0,
	ANOMALY_ERRORS,
	ANOMALY_RATE,  /* calls/s rising */
	ANOMALY_DROP,  /* calls/s falling (off by default: a process that exits would fire) */
	ANOMALY_NEW,   /* a syscall or an errno the baseline lacks, with impact */
	ANOMALY_STALL, /* a group stops making calls while its threads are blocked in one */
	ANOMALY_KIND_CNT,
};

#define ANOMALY_KIND_BIT(k)   (1U << (k))
#define ANOMALY_KINDS_ALL     ((1U << ANOMALY_KIND_CNT) - 1)
#define ANOMALY_KINDS_DEFAULT (ANOMALY_KINDS_ALL & ~ANOMALY_KIND_BIT(ANOMALY_DROP))

/* Which measurement of the kind the event is about; its unit is that of observed/baseline. */
enum anomaly_metric {
	ANOMALY_M_P50 = 0,     /* ns */
	ANOMALY_M_P99,	       /* ns */
	ANOMALY_M_ERR_RATIO,   /* errors / calls */
	ANOMALY_M_NEW_ERRNO,   /* share of calls failing with ev->err, baseline 0 */
	ANOMALY_M_RATE,	       /* calls/s */
	ANOMALY_M_NEW_SYSCALL, /* ns per second spent in a syscall the baseline lacks, base 0 */
	ANOMALY_M_STALL,       /* the group's calls/s, with threads blocked for blocked_ns */
	ANOMALY_M_CNT,
};

enum anomaly_severity {
	ANOMALY_SEV_NONE = 0, /* below the threshold: never in an event */
	ANOMALY_SEV_LOW,
	ANOMALY_SEV_MEDIUM,
	ANOMALY_SEV_HIGH,
	ANOMALY_SEV_CNT,
};

enum anomaly_state {
	ANOMALY_FIRING = 0,
	ANOMALY_RESOLVED,
};

struct anomaly_key {
	__u16 abi;   /* enum sysray_abi */
	__u16 nr;    /* < SYSRAY_MAX_NR */
	__u32 group; /* < max_groups; 0 without groups */
};

/*
 * Zero or NULL fields select the default shown.  An episode fires after fire_k bad intervals
 * (score >= T) among the last fire_n, and clears after fire_k consecutive calm ones (score
 * < T / 2).  Severity bands for threshold T: low [T, 1.5T), medium [1.5T, 2.5T), high
 * >= 2.5T; then capped by impact for latency and rate: at most low below impact_floor_ns,
 * at most medium below 10 x impact_floor_ns.
 */
struct anomaly_opts {
	double threshold;	    /* T, robust z to fire: 4; clears below T / 2 */
	unsigned int window;	    /* baseline intervals: 60 (at most ANOMALY_WINDOW_MAX) */
	unsigned int min_samples;   /* baseline intervals before scoring: 10 (>= 3) */
	unsigned int min_calls;	    /* calls to count for latency and errors: 10 */
	unsigned int fire_k;	    /* fire on k bad intervals ... : 2 */
	unsigned int fire_n;	    /* ... of the last n with data: 3 */
	__u64 min_latency_delta_ns; /* p50/p99 must also rise by this much: 5000 */
	double min_rate_delta;	    /* calls/s the rate must move by: 5 */
	double min_error_delta;	    /* error ratio must rise by this much: 0.01 */
	double impact_floor_ns;	    /* extra ns per second: 1e6 (1 ms/s) */
	double slow_factor;	    /* anomaly__slow_threshold = baseline p99.9 x this: 3 */
	unsigned int errno_memory;  /* intervals an errno or a syscall stays known: 3600 */
	unsigned int max_episodes;  /* episodes kept for the report: 1024 */
	unsigned int kinds;	    /* ANOMALY_KIND_BIT()s: ANOMALY_KINDS_DEFAULT */
	unsigned int max_groups;    /* group numbers allowed: 1 (at most ANOMALY_GROUPS_MAX) */
	double stall_ratio;	    /* stall: calls below this share of the baseline: 0.1 */
};

struct anomaly_errno_count {
	__u32 err; /* positive errno */
	__u32 count;
};

/*
 * One syscall's interval.  The latency fields are those of a per-interval struct hist
 * (anomaly_obs__from_hist fills them); untimed calls are assumed to cost the timed mean.
 * errnos: (errno, count) pairs in any order, may be NULL; read during anomaly__observe only.
 */
struct anomaly_obs {
	__u64 calls, errors; /* in this interval */
	__u64 total_ns;	     /* sum of the latencies of the timed calls */
	__u64 timed;	     /* calls with a latency */
	__u64 p50_ns, p99_ns, p999_ns;
	const struct anomaly_errno_count *errnos;
	int n_errnos;
};

/* A group's threads in a syscall at the tick (for stall), from the tracer's start slots. */
struct anomaly_blocked {
	unsigned int threads;	/* blocked in a call for at least two intervals */
	__u64 longest_ns;	/* the longest of those calls so far */
	struct anomaly_key key; /* its syscall (group ignored) */
	const char *name;	/* its name, copied */
};

struct anomaly_event {
	__u64 ts_ns; /* of the tick */
	struct anomaly_key key;
	const char *name;  /* valid during the callback */
	const char *group; /* "" without groups; valid during the callback */
	enum anomaly_kind kind;
	enum anomaly_metric metric;
	enum anomaly_severity severity; /* resolved: the episode's highest */
	enum anomaly_state state;
	double score;		   /* robust z (resolved: of the interval that cleared it) */
	double observed, baseline; /* unit of the metric */
	int err;		   /* ANOMALY_M_NEW_ERRNO only, else 0 */
	double impact_ns_per_s;	   /* extra time per second this interval, >= 0 */
	unsigned int threads;	   /* ANOMALY_M_STALL: threads blocked */
	__u64 blocked_ns;	   /* ANOMALY_M_STALL: the longest blocked call so far */
};

typedef void (*anomaly_event_fn)(void *ctx, const struct anomaly_event *ev);

struct anomaly_episode {
	struct anomaly_key key;
	char name[ANOMALY_NAME_MAX];
	char group[ANOMALY_GROUP_MAX]; /* "" without groups */
	enum anomaly_kind kind;
	enum anomaly_metric metric; /* that fired it */
	enum anomaly_severity max_severity;
	int err;
	double max_score;
	double peak_impact_ns_per_s; /* episodes rank by this */
	double extra_ns;	     /* impact integrated over the episode */
	double observed, baseline;   /* at the peak score */
	__u64 start_ns, end_ns;	     /* end: resolution, or last tick while open */
	unsigned int threads;	     /* stall: at the peak score */
	__u64 blocked_ns;	     /* stall: the longest blocked call seen */
	bool open;
};

struct anomaly_summary {
	unsigned int episodes; /* including those evicted beyond max_episodes */
	unsigned int open;
	unsigned int evicted;
	unsigned int by_severity[ANOMALY_SEV_CNT]; /* by max severity */
	unsigned int n_top;
	const struct anomaly_episode *top[ANOMALY_TOP]; /* by peak impact, then score */
	unsigned int groups;				/* groups with a baseline now */
	unsigned int folded; /* services beyond max_groups folded into one (set by caller) */
};

struct anomaly;

/* fn may be NULL (episodes only).  0, -EINVAL for bad options, or -ENOMEM. */
int anomaly__new(const struct anomaly_opts *o, anomaly_event_fn fn, void *ctx,
		 struct anomaly **out);
void anomaly__free(struct anomaly *a);

/*
 * One syscall's interval; name is copied (truncated to ANOMALY_NAME_MAX - 1).  timed or
 * errors may exceed calls (a call entered in one interval and returned in the next).  -EINVAL
 * for a bad key, no obs or a missing errnos array, -EEXIST if the key was already observed
 * this tick, -ENOMEM.
 */
int anomaly__observe(struct anomaly *a, struct anomaly_key key, const char *name,
		     const struct anomaly_obs *obs);
/*
 * The threads of a group blocked in syscalls at this tick, for stall (a group never given
 * this cannot stall). -EINVAL for a bad group, -ENOMEM.
 */
int anomaly__observe_blocked(struct anomaly *a, __u32 group, const struct anomaly_blocked *b);
/*
 * Name group (copied, truncated), creating its state. mixed: services come and go in it (an
 * overflow group), so only latency and errors are judged there. -EINVAL for a bad group,
 * -ENOMEM.
 */
int anomaly__set_group(struct anomaly *a, __u32 group, const char *name, bool mixed);
/*
 * Forget a group that went idle: its open episodes resolve (with events) at ts and its
 * baselines are freed, so its number can serve another group.
 */
void anomaly__forget_group(struct anomaly *a, __u32 group, __u64 ts);
/* Whether the group has a stall episode open (a stalled group makes no calls, yet lives). */
bool anomaly__group_stalled(const struct anomaly *a, __u32 group);
/* How many services the caller folded into its overflow group, for the summary. */
void anomaly__set_folded(struct anomaly *a, unsigned int folded);
/*
 * "latency,errors,new" into ANOMALY_KIND_BIT()s ("drop" is the rate falling). 0, or -EINVAL
 * naming the bad word in err.
 */
int anomaly_parse_kinds(const char *s, unsigned int *kinds, char *err, size_t len);
/*
 * Score the tick and emit events.  Syscalls seen before but not observed this tick count as
 * zero-call intervals.  -EINVAL if interval_ns is 0.
 */
int anomaly__tick_end(struct anomaly *a, __u64 ts_ns, __u64 interval_ns);

/* timed, total_ns and the percentiles of h; calls/errors/errnos are left to the caller. */
int anomaly_obs__from_hist(struct anomaly_obs *obs, const struct hist *h);

/* Severity of a score and impact under a's threshold and impact floor (impact < 0: no cap). */
enum anomaly_severity anomaly__severity_of(const struct anomaly *a, double score, double impact);

/* Baseline p99.9 x slow_factor in ns, or 0 while the (group, syscall) has no latency baseline. */
__u64 anomaly__slow_threshold(const struct anomaly *a, struct anomaly_key key);

/* Episodes in start order; a non-zero return of fn stops the walk and is returned. */
typedef int (*anomaly_episode_fn)(void *ctx, const struct anomaly_episode *ep);
int anomaly__for_each_episode(const struct anomaly *a, anomaly_episode_fn fn, void *ctx);
/* Pointers in s stay valid until the next anomaly__tick_end or anomaly__free. */
void anomaly__summary(const struct anomaly *a, struct anomaly_summary *s);

const char *anomaly_kind_str(enum anomaly_kind k);
const char *anomaly_metric_str(enum anomaly_metric m);
const char *anomaly_severity_str(enum anomaly_severity s);
const char *anomaly_state_str(enum anomaly_state s);

/*
 * "sysray: anomaly high fsync latency p99 80.2ms vs baseline 2.1ms (score 14.2, impact
 * 1.5ms/s)", no newline; resolved: "... (score 0.3, was high)".  Returns what snprintf does.
 */
int anomaly_event_format_text(char *buf, size_t len, const struct anomaly_event *ev);
/* One JSON object on one line, with the newline.  0 or -EIO. */
int anomaly_event_format_json(FILE *f, const struct anomaly_event *ev);
int anomaly_episode_format_text(char *buf, size_t len, const struct anomaly_episode *ep);
int anomaly_episode_format_json(FILE *f, const struct anomaly_episode *ep);
struct json_writer;
/* The episode as one object written into w (for reports). */
void anomaly_episode_put_json(struct json_writer *w, const struct anomaly_episode *ep);

#endif /* SYSRAY_ANOMALY_H */
