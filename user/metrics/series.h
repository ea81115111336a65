/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The counters a scrape serves, per series: one series per label value of --metrics-by
 * (a cgroup path, a command name, or the one unlabelled series), each holding, per syscall
 * it made, the calls, the errors by errno and a histogram over the metric's bucket bounds.
 *
 * Bounded: at most max_series label values get their own series; the calls of later ones
 * go to the "other" series, and each label value folded there is counted. A series that
 * made no call for expire_ns is dropped with its memory, and so is a key (cgroup id, tgid)
 * idle that long, so weeks of container churn do not grow it. Owned by the consumer thread:
 * not thread safe (the sink renders it into text that the HTTP thread serves).
 */
#ifndef SYSRAY_METRICS_SERIES_H
#define SYSRAY_METRICS_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sysray.h"
#include "stats/hist.h"
#include "stats/sc_detail.h"

#define METRICS_MAX_BUCKETS 64
/* The label value that series beyond the cap fold into. */
#define SERIES_OTHER "other"

/* Upper bounds of the histogram buckets (+Inf is implicit), and a fast way to them. */
struct metric_bounds {
	unsigned int n;
	__u64 ns[METRICS_MAX_BUCKETS]; /* ascending, distinct, > 0 */
	/* Per bucket of stats/hist.h: the first bound not below the bucket's low end. */
	__u8 first[HIST_NR_BUCKETS];
};

/* Bounds in ns, ascending; -EINVAL unless 1..METRICS_MAX_BUCKETS increasing values > 0. */
int metric_bounds__init(struct metric_bounds *b, const __u64 *ns, unsigned int n);

/* The index of the bucket of v: the first bound >= v, or n for +Inf. Exact, no search. */
static inline unsigned int metric_bounds__bucket(const struct metric_bounds *b, __u64 v)
{
	unsigned int i = b->first[hist_index(v)];

	/* A hist bucket is narrower than 1/128 of its value: it straddles a bound rarely. */
	while (i < b->n && v > b->ns[i])
		i++;
	return i;
}

/* One syscall of one series. */
struct series_sc {
	__u16 key; /* SYSRAY_SLOT(abi, nr) + 1 */
	__u16 nr_err;
	__u16 cap_err;
	__u64 calls;  /* records delivered: every one is timed */
	__u64 errors; /* of which failed */
	unsigned __int128 sum_ns;
	struct errno_count *errs; /* by first sighting */
	__u64 buckets[];	  /* n + 1 counts, not cumulative */
};

struct series {
	char *label;	       /* the label value, escaped for the exposition; "" for none */
	__u64 last_ns;	       /* newest record (CLOCK_MONOTONIC), for expiry */
	__u64 created_wall;    /* for OpenMetrics _created */
	__u32 nr_sc;	       /* syscalls held */
	__u32 mask;	       /* capacity of sc - 1 */
	struct series_sc **sc; /* open addressing by key */
};

enum series_key {
	SERIES_KEY_NONE, /* one series for everything */
	SERIES_KEY_ID,	 /* by an id the caller resolves to a label (cgroup, tgid) */
};

/* Resolves an id seen for the first time to its raw label value: 0, or < 0 (no label). */
typedef int (*series_label_fn)(void *ctx, __u32 id, const struct sysray_rec *r, char *buf,
			       size_t len);

struct series_set_opts {
	enum series_key key;
	unsigned int max_series; /* label values with their own series */
	__u64 expire_ns;	 /* idle time after which a series or id is dropped */
	const struct metric_bounds *bounds;
	series_label_fn label_fn;
	void *label_ctx;
};

struct series_set;

int series_set__new(const struct series_set_opts *o, struct series_set **out);
void series_set__free(struct series_set *ss);
/* Fold records in; id_of gives a record's id (SERIES_KEY_ID). -ENOMEM. */
int series_set__add(struct series_set *ss, const struct sysray_rec *recs, size_t n,
		    __u32 (*id_of)(const struct sysray_rec *r));
/* Forget what id resolved to (a process that called execve has a new name). */
void series_set__forget(struct series_set *ss, __u32 id);
/* Drop the series and ids idle since before now - expire_ns; how many series went. */
size_t series_set__expire(struct series_set *ss, __u64 now);

/* The series, sorted by label ("other" last); valid until the next add or expire. */
int series_set__list(struct series_set *ss, const struct series ***out, size_t *n);
/* A series' syscalls sorted by (abi, nr), into buf (room for s->nr_sc). */
void series__syscalls(const struct series *s, const struct series_sc **buf);

size_t series_set__nr(const struct series_set *ss); /* series held, "other" included */
/* Label values that got a series of their own, and those folded into "other", so far. */
__u64 series_set__created(const struct series_set *ss);
__u64 series_set__folded(const struct series_set *ss);
__u64 series_set__expired(const struct series_set *ss);
size_t series_set__ids(const struct series_set *ss); /* ids remembered */

/* A raw label value (untrusted bytes) as an exposition label value: see series.c. */
size_t series_label_escape(char *dst, size_t len, const char *src);

#endif /* SYSRAY_METRICS_SERIES_H */
