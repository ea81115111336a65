/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Folds delivered records into a profile that it owns: the consumer's per-record work.
 * The session keeps one for the whole run; sinks that report windows (-i, --anomaly) keep
 * their own and reset it at every window.
 */
#ifndef SYSRAY_STATS_AGGREGATE_H
#define SYSRAY_STATS_AGGREGATE_H

#include <stddef.h>
#include "stats/groups.h"
#include "stats/profile.h"

struct aggregate_opts {
	enum group_by group_by; /* -P / --per-thread: also fill per-group tables */
	bool count_tgids;	/* count the distinct tgids that delivered a record ... */
	__u32 pid_max;		/* ... below this */
};

struct aggregate;

int aggregate__new(const struct aggregate_opts *o, struct aggregate **out);
/* Where groups find the names of tasks gone from /proc (the tracer's record of them). */
void aggregate__set_comm_source(struct aggregate *a, groups_comm_fn fn, void *ctx);
/* Fold n records in; -ENOMEM when a first sighting cannot be stored (the rest is kept). */
int aggregate__add(struct aggregate *a, const struct sysray_rec *recs, size_t n);
/* The profile filled so far; owned by a, valid until aggregate__free. */
struct profile *aggregate__profile(struct aggregate *a);
/* Distinct tgids that delivered a record (with count_tgids). */
__u64 aggregate__tgids_seen(const struct aggregate *a);
/* Empty the profile for the next window (profile__reset). */
void aggregate__reset(struct aggregate *a);
void aggregate__free(struct aggregate *a);

#endif /* SYSRAY_STATS_AGGREGATE_H */
