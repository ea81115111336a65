// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <float.h>
#include <math.h>
#include <string.h>
#include "stats/lhist.h"

void lhist_reset(struct lhist *h)
{
	if (h->count)
		memset(&h->counts[h->lo], 0, (h->hi - h->lo + 1) * sizeof(h->counts[0]));
	h->count = h->sum = 0;
	h->lo = h->hi = 0;
}

void lhist_merge(struct lhist *dst, const struct lhist *src)
{
	if (!src->count)
		return;
	for (unsigned int i = src->lo; i <= src->hi; i++) {
		__u32 c = dst->counts[i] + src->counts[i];

		dst->counts[i] = c < dst->counts[i] ? ~0U : c;
	}
	if (!dst->count || src->lo < dst->lo)
		dst->lo = src->lo;
	if (!dst->count || src->hi > dst->hi)
		dst->hi = src->hi;
	dst->count += src->count;
	dst->sum = dst->sum + src->sum < dst->sum ? ~0ULL : dst->sum + src->sum;
}

__u64 lhist_bucket_mid(unsigned int idx)
{
	unsigned int shift;
	__u64 lo;

	if (idx < 2 * LHIST_SUB_CNT)
		return idx;
	shift = (idx >> LHIST_SUB_BITS) - 1;
	lo = (__u64)(idx - (shift << LHIST_SUB_BITS)) << shift;
	return lo + ((1ULL << shift) - 1) / 2;
}

void lhist_percentiles(const struct lhist *h, const double *q, int n, __u64 *out)
{
	unsigned int idx;
	__u64 run = 0;
	int j = 0;

	if (!h->count) {
		memset(out, 0, n * sizeof(*out));
		return;
	}
	idx = h->lo;
	for (; j < n; j++) {
		double r = q[j] / 100 * h->count;
		/* As hist__percentile: 99.9 % of 1000 is rank 999, not 1000 after rounding. */
		__u64 rank = (__u64)ceil(r - r * 4 * DBL_EPSILON);

		if (rank < 1)
			rank = 1;
		while (idx < h->hi && run + h->counts[idx] < rank)
			run += h->counts[idx++];
		out[j] = lhist_bucket_mid(idx);
	}
}
