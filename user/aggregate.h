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
};

struct aggregate {
	struct profile *prof;
	struct profile *ival; /* this interval's records (-i), or NULL; owned */
	__u64 *seen_tgids;    /* bitmap of tgids that delivered a record, or NULL */
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
void aggregate__fini(struct aggregate *a);

#endif /* SYSRAY_AGGREGATE_H */
