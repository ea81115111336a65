/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The consumer side of a session without the kernel: the whole-run aggregation and the
 * sinks. The live session feeds it from the tracer; tests and benchmarks feed it recorded
 * records, so the reports of a record stream can be checked without BPF.
 */
#ifndef SYSRAY_SESSION_PIPELINE_H
#define SYSRAY_SESSION_PIPELINE_H

#include <stddef.h>
#include "sink/sink.h"
#include "stats/groups.h"

struct pipeline_opts {
	enum group_by group_by; /* -P / --per-thread tables in the whole-run profile */
	bool count_tgids;	/* -a: count the processes seen */
	__u32 pid_max;
};

struct pipeline;

int pipeline__new(const struct pipeline_opts *o, struct pipeline **out);
/* The pipeline owns the sink from now on, also when this fails (-ENOMEM). */
int pipeline__add_sink(struct pipeline *p, struct sink sink);
/* Tracing has begun: s->run is copied into the whole-run profile. */
int pipeline__start(struct pipeline *p, const struct sink_start *s);
/* A tracer_batch_fn: fold records into the whole run, then hand them to the sinks. */
int pipeline__records(void *pipeline, const struct sysray_rec *recs, size_t n);
/* A tracer_event_fn: one per-call event to the sinks that take events. */
int pipeline__event(void *pipeline, const struct sysray_event *ev, size_t len);
/* A tracer_stack_fn: hand a stack event to the sinks that take them. */
int pipeline__stack_event(void *pipeline, const struct sysray_stack_event *e, size_t size);
/* The earliest tick any sink wants, or 0. */
__u64 pipeline__next_tick(struct pipeline *p);
/* Whether a sink whose tick is due at now wants the kernel's counts with it. */
bool pipeline__tick_wants_counts(struct pipeline *p, __u64 now);
/* Tick the sinks whose time has come: 0, SINK_STOP if one asked to end tracing, or -errno. */
int pipeline__tick(struct pipeline *p, const struct sink_tick *t);
/* SIGUSR1: the run so far, c folded into a copy of the whole-run profile. */
int pipeline__snapshot(struct pipeline *p, const struct sysray_counts *c, __u64 duration_ns,
		       __u64 procs);
/* SIGHUP: every sink reopens its files; the first error is returned, all are tried. */
int pipeline__reopen(struct pipeline *p);
/*
 * Tracing has stopped and every record was delivered: fold c in, set the run's final
 * facts (exit status from run) and stop every sink; the first error is returned.
 */
int pipeline__stop(struct pipeline *p, const struct sysray_counts *c, const struct run_info *run,
		   __u64 duration_ns, __u64 procs);
/* Distinct processes that delivered a record (count_tgids). */
__u64 pipeline__tgids_seen(const struct pipeline *p);
/* The whole-run profile (for tests). */
const struct profile *pipeline__profile(struct pipeline *p);
void pipeline__free(struct pipeline *p);

#endif /* SYSRAY_SESSION_PIPELINE_H */
