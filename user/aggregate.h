/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Folds delivered records into a profile: the consumer's per-record work. */
#ifndef SYSRAY_AGGREGATE_H
#define SYSRAY_AGGREGATE_H

#include "groups.h"
#include "profile.h"

struct aggregate_opts {
	__u32 pid_max;
	bool count_tgids;	/* count the distinct tgids that delivered a record */
	enum group_by group_by; /* -P / --per-thread: also fill per-group tables */
	bool interval;		/* -i: also fill an interval profile (aggregate.ival) */
	groups_comm_fn comm_fn; /* names of tasks gone from /proc, or NULL */
	void *comm_ctx;
	bool window; /* --anomaly: also fill a window profile (aggregate.win) */
};

/* Called for a record slower than its threshold (SYSRAY_SLOT-indexed, 0: none). */
typedef int (*aggregate_slow_fn)(void *ctx, const struct sysray_rec *rec);

struct aggregate {
	struct profile *prof;
	struct profile *ival; /* this interval's records (-i), or NULL; owned */
	struct profile *win;  /* this anomaly window's records (--anomaly), or NULL; owned */
	const __u64 *slow_ns; /* slow-call thresholds, or NULL */
	aggregate_slow_fn slow_fn;
	void *slow_ctx;
	__u64 *seen_tgids; /* bitmap of tgids that delivered a record, or NULL */
	__u32 pid_max;
	__u64 seen;
	int exec_nr[SYSRAY_ABI_CNT][2]; /* execve and execveat: a group's comm changes */
};

/*
 * The details and groups this allocates in prof (and ival) are freed by aggregate__fini(),
 * so prof must outlive the aggregate.
 */
int aggregate__init(struct aggregate *a, struct profile *prof, const struct aggregate_opts *o);
/* tracer_rec_fn: -ENOMEM stops the poll when a first sighting cannot be stored. */
int aggregate__rec(void *ctx, const struct sysray_rec *rec);
/* Report records slower than thresholds[SYSRAY_SLOT(abi, nr)] (when non-zero) to fn. */
void aggregate__set_slow(struct aggregate *a, const __u64 *thresholds, aggregate_slow_fn fn,
			 void *ctx);
void aggregate__fini(struct aggregate *a);

#endif /* SYSRAY_AGGREGATE_H */
