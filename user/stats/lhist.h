/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small latency histogram for one window of one (group, syscall): the same log-linear
 * layout as struct hist with 32 sub-buckets per power of two instead of 128, and u32 counts,
 * so it is 4.2 KB instead of 32 KB and thousands fit. Percentiles are bucket midpoints,
 * within 1/64 (1.6 %) of the value; that is well below what the anomaly detector can tell
 * apart (its latency scale is at least 5 %). A window of more than 2^32 calls in one bucket
 * saturates that bucket.
 */
#ifndef SYSRAY_STATS_LHIST_H
#define SYSRAY_STATS_LHIST_H

#include <linux/types.h>

#define LHIST_SUB_BITS 5
#define LHIST_SUB_CNT  (1U << LHIST_SUB_BITS)
#define LHIST_RANGE    37 /* values up to 2^37 - 1 ns (137 s); longer share the top */
#define LHIST_BUCKETS  ((LHIST_RANGE - LHIST_SUB_BITS + 1) << LHIST_SUB_BITS)

struct lhist {
	__u64 count;
	__u64 sum;    /* saturates at UINT64_MAX */
	__u16 lo, hi; /* the used buckets are within [lo, hi] when count > 0 */
	__u32 counts[LHIST_BUCKETS];
};

static inline unsigned int lhist_index(__u64 v)
{
	unsigned int shift = 63 - LHIST_SUB_BITS - __builtin_clzll(v | (2 * LHIST_SUB_CNT - 1));
	unsigned int idx = (shift << LHIST_SUB_BITS) + (unsigned int)(v >> shift);

	return idx < LHIST_BUCKETS ? idx : LHIST_BUCKETS - 1;
}

static inline void lhist_record(struct lhist *h, __u64 v)
{
	unsigned int idx = lhist_index(v);

	if (h->counts[idx] != ~0U)
		h->counts[idx]++;
	if (!h->count || idx < h->lo)
		h->lo = idx;
	if (!h->count || idx > h->hi)
		h->hi = idx;
	h->count++;
	h->sum = h->sum + v < h->sum ? ~0ULL : h->sum + v;
}

/* Empty, touching only the used buckets. */
void lhist_reset(struct lhist *h);
/* dst += src. */
void lhist_merge(struct lhist *dst, const struct lhist *src);
/* The midpoint of bucket idx. */
__u64 lhist_bucket_mid(unsigned int idx);
/* Nearest-rank percentiles q (in [0, 100], ascending) as bucket midpoints; 0s when empty. */
void lhist_percentiles(const struct lhist *h, const double *q, int n, __u64 *out);

#endif /* SYSRAY_STATS_LHIST_H */
