/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --clusters: the processes (or threads) of a -P / --per-thread profile grouped by what they
 * do (docs/analysis.md). Each is a point: the share of its syscall time spent in each of the
 * busiest syscalls (the rest as "other"), and the share of its calls in each decade of mean
 * latency (below 1 us, 1-10 us ... at least 10 ms). k-means (analysis/kmeans.h) groups them;
 * each cluster is reported with its members and the syscalls its centre has more of than
 * the average point. Too few points, or no clear structure, is said instead.
 */
#ifndef SYSRAY_ANALYSIS_CLUSTER_H
#define SYSRAY_ANALYSIS_CLUSTER_H

#include <stdio.h>
#include "stats/groups.h"

#define CLUSTER_MIN_CALLS      20   /* fewer calls say little about a mix: left out */
#define CLUSTER_MAX_POINTS     1024 /* the busiest, by syscall time */
#define CLUSTER_MAX_SYSCALLS   48   /* dimensions; the rest of the time is "other" */
#define CLUSTER_LAT_BINS       6    /* decades of mean latency, from < 1 us to >= 10 ms */
#define CLUSTER_AUTO_KMAX      8
#define CLUSTER_MIN_SILHOUETTE 0.25 /* below: no substantial structure (Kaufman, Rousseeuw) */
#define CLUSTER_SHOW_MEMBERS   12   /* per cluster in text */

struct clusters;

/* k clusters of the groups, or 0 for K by silhouette. 0 or -ENOMEM. */
int clusters__compute(const struct groups *g, int k, struct clusters **out);
void clusters__free(struct clusters *c);
int clusters_write_text(FILE *f, const struct clusters *c);
struct json_writer;
void clusters_put_json(struct json_writer *w, const struct clusters *c);

#endif /* SYSRAY_ANALYSIS_CLUSTER_H */
