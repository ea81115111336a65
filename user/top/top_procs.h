/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sysray top's per-process window: calls, errors and a coarse latency histogram of every
 * process that made calls since the last refresh, with its name and cgroup read when it is
 * first seen (and again after an execve). A full struct hist (32 KiB) per process would be
 * too much for -a on a busy machine; TOP_LAT_BUCKETS buckets of eight per power of two
 * (within 6.25 %) are 2 KiB.
 */
#ifndef SYSRAY_TOP_PROCS_H
#define SYSRAY_TOP_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sysray.h"
#include "stats/hist.h"

/* struct hist's buckets, sixteen to one. */
#define TOP_LAT_SHIFT	4
#define TOP_LAT_BUCKETS (HIST_NR_BUCKETS >> TOP_LAT_SHIFT)

struct top_lat {
	__u64 n, max;
	__u64 c[TOP_LAT_BUCKETS];
};

static inline void top_lat__add(struct top_lat *l, __u64 ns)
{
	l->c[hist_index(ns) >> TOP_LAT_SHIFT]++;
	l->n++;
	if (ns > l->max)
		l->max = ns;
}

void top_lat__merge(struct top_lat *dst, const struct top_lat *src);
/* Nearest rank: the midpoint of its bucket, at most max (the last rank: max); 0 if empty. */
__u64 top_lat__percentile(const struct top_lat *l, double q);

#define TOP_PROCS_MAX  4096
#define TOP_CGROUP_LEN 256
#define TOP_COMM_LEN   16

struct top_proc {
	__u32 tgid; /* 0: the slot is free */
	__u32 idle; /* refreshes without a call */
	bool stale; /* made an execve: read the name again */
	char comm[TOP_COMM_LEN];
	char cgroup[TOP_CGROUP_LEN]; /* "" if it could not be read */
	__u64 calls, errors;
	struct top_lat lat;
};

/* Where to find the name of a process gone from /proc (the tracer's record of it). */
typedef int (*top_comm_fn)(void *ctx, __u32 tid, char *buf, size_t len);

struct top_procs;

int top_procs__new(top_comm_fn fn, void *ctx, struct top_procs **out);
void top_procs__free(struct top_procs *t);
/* Fold records in; processes beyond TOP_PROCS_MAX share one entry, of tgid 0. */
void top_procs__add(struct top_procs *t, const struct sysray_rec *recs, size_t n);
/* The processes with calls in this window (unordered); valid until the next add or reset. */
size_t top_procs__list(struct top_procs *t, const struct top_proc ***out);
/* Start the next window; processes idle for TOP_IDLE_MAX refreshes are forgotten. */
#define TOP_IDLE_MAX 30
void top_procs__reset(struct top_procs *t);

#endif /* SYSRAY_TOP_PROCS_H */
