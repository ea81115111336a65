/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A sink consumes what a tracing session delivers: the final report, -i intervals, the
 * anomaly watcher, and every later output (metrics, event lines, HTML, a live view). Every
 * sink has the same small interface, so adding one touches neither the tracer nor the other
 * sinks: the command line builds it, the session calls it (docs/design.md, "Sinks").
 *
 * Every callback but free may be NULL. They run on the session's thread, in this order:
 * start, then any number of records / tick / snapshot / reopen, then stop, then free. A
 * negative errno from start, records or tick ends the run with an error; from snapshot and
 * reopen it is a warning; from stop it makes the exit status say that a report failed.
 * SINK_STOP from tick ends tracing as if the duration were up (sysray top's q): every sink
 * still gets its stop with the whole run.
 */
#ifndef SYSRAY_SINK_H
#define SYSRAY_SINK_H

#include <stddef.h>
#include <linux/types.h>
#include "sysray.h"
#include "sysray_events.h"
#include "sysray_stacks.h"
#include "stats/profile.h"
#include "stats/run.h"

/* The name of a task as the kernel recorded it at fork, exec or exit (it may be gone). */
typedef int (*sink_comm_fn)(void *ctx, __u32 tid, char *buf, size_t len);

/* --events: the kernel's counters of the event path (enum sysray_ev_stat), so far. */
typedef int (*sink_ev_stats_fn)(void *ctx, __u64 stats[SYSRAY_EV_STAT_CNT]);
/* --stacks: what the kernel keeps beside the stack events (docs/design.md, "Stacks"). */
struct sink_stack_source {
	void *ctx;
	/* The frames of a stack map id, innermost first; how many, or -ENOENT. */
	int (*frames)(void *ctx, __s32 id, bool kernel, __u64 *ips, size_t max);
	/* The capture counters (enum sysray_stack_stat) summed over the CPUs. */
	int (*stats)(void *ctx, __u64 stats[SYSRAY_STACK_STAT_CNT]);
};

/*
 * The traced call thread tid is in now: 0 with its ABI, number and time in it so far, or
 * -ENOENT when it is in none, -ENODATA (ABI and number set) when the call was not timed
 * (--sample). Cheap (one load from the tracer's start slots).
 */
typedef int (*sink_inflight_fn)(void *ctx, __u32 tid, int *abi, int *nr, __u64 *elapsed_ns);

/* Facts of the run, fixed when tracing starts. */
struct sink_start {
	const struct run_info *run; /* exit_status is filled in by the time stop is called */
	__u32 pid_max;
	sink_comm_fn comm_fn;
	void *comm_ctx;
	sink_ev_stats_fn ev_stats_fn; /* with --events (else NULL) */
	void *ev_stats_ctx;
	sink_inflight_fn inflight_fn; /* NULL when the session cannot tell */
	void *inflight_ctx;
	const struct sink_stack_source *stacks; /* with --stacks, else NULL */
};

/* The state of the run at a tick. */
struct sink_tick {
	__u64 now;     /* CLOCK_MONOTONIC */
	__u64 dropped; /* records lost to full rings since tracing began */
	/*
	 * For sinks with tick_counts set, else NULL: what the kernel counted beside the
	 * records so far, without the calls still blocked, so every count only grows.
	 */
	const struct sysray_counts *counts;
};

#define SINK_STOP 1

struct sink_ops {
	const char *name;
	bool tick_counts; /* its ticks want sink_tick.counts (a read of the kernel's counters) */
	int (*start)(void *ctx, const struct sink_start *s);
	/* Records as delivered, one CPU's batch at a time: the hot path, keep it cheap. */
	int (*records)(void *ctx, const struct sysray_rec *recs, size_t n);
	/* --events: one call with its arguments, len bytes (include/sysray_events.h). */
	int (*event)(void *ctx, const struct sysray_event *ev, size_t len);
	/* --stacks: one captured call with its stack bytes (size in all), as delivered. */
	int (*stack_event)(void *ctx, const struct sysray_stack_event *e, size_t size);
	/* When the sink next wants tick() (CLOCK_MONOTONIC), or 0 for never. */
	__u64 (*next_tick)(void *ctx);
	int (*tick)(void *ctx, const struct sink_tick *t);
	/* SIGUSR1: the whole run so far, with the kernel's counts folded in. */
	int (*snapshot)(void *ctx, const struct profile *so_far);
	/* SIGHUP with -p or -a: reopen log files (rotation). */
	int (*reopen)(void *ctx);
	/* Tracing has stopped: the exact whole-run profile. */
	int (*stop)(void *ctx, const struct profile *total);
	void (*free)(void *ctx);
};

struct sink {
	const struct sink_ops *ops;
	void *ctx;
};

#endif /* SYSRAY_SINK_H */
