// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Log-linear latency histogram: everything but the inline record path. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/hist.h"

#define HIST_BLOCK_BYTES (HIST_BLOCK_CNT * sizeof(__u64))

struct hist *hist__new(void)
{
	struct hist *h = aligned_alloc(_Alignof(struct hist), sizeof(*h));

	if (h)
		hist__init(h);
	return h;
}

void hist__free(struct hist *h)
{
	free(h);
}

void hist__init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

static void hist_reset_header(struct hist *h)
{
	h->sum = 0;
	h->sq = 0;
	h->sq_hi = 0;
	h->count = 0;
	h->min = UINT64_MAX;
	h->max = 0;
	h->flags = 0;
}

void hist__reset(struct hist *h)
{
	for (unsigned int b = 0; b < HIST_NR_BLOCKS; b++) {
		if (!h->blocks[b])
			continue;
		memset(&h->counts[b << HIST_BLOCK_BITS], 0, HIST_BLOCK_BYTES);
		h->blocks[b] = 0;
	}
	hist_reset_header(h);
}

__u64 hist_bucket_lo(unsigned int idx)
{
	if (idx < 2 * HIST_SUB_CNT)
		return idx;
	return (__u64)((idx & (HIST_SUB_CNT - 1)) | HIST_SUB_CNT) << ((idx >> HIST_SUB_BITS) - 1);
}

static __u64 hist_bucket_width(unsigned int idx)
{
	if (idx < 2 * HIST_SUB_CNT)
		return 1;
	return 1ULL << ((idx >> HIST_SUB_BITS) - 1);
}

__u64 hist_bucket_hi(unsigned int idx)
{
	if (idx >= HIST_NR_BUCKETS - 1)
		return UINT64_MAX;
	return hist_bucket_lo(idx) + hist_bucket_width(idx) - 1;
}

__u64 hist_bucket_mid(unsigned int idx)
{
	return hist_bucket_lo(idx) + (hist_bucket_width(idx) - 1) / 2;
}

int hist__for_each_bucket(const struct hist *h, hist_bucket_fn fn, void *ctx)
{
	for (unsigned int b = 0; b < HIST_NR_BLOCKS; b++) {
		unsigned int i = b << HIST_BLOCK_BITS, end = i + HIST_BLOCK_CNT;

		if (!h->blocks[b])
			continue;
		for (; i < end; i++) {
			int ret;

			if (!h->counts[i])
				continue;
			ret = fn(i, hist_bucket_lo(i), hist_bucket_hi(i), h->counts[i], ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* 192-bit sum of squares helpers: (lo, hi) with hi holding bits 128..191. */
static bool hist_sq_less(const struct hist *a, const struct hist *b)
{
	return a->sq_hi < b->sq_hi || (a->sq_hi == b->sq_hi && a->sq < b->sq);
}

void hist__merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	for (unsigned int b = 0; b < HIST_NR_BLOCKS; b++) {
		unsigned int i = b << HIST_BLOCK_BITS;

		if (!src->blocks[b])
			continue;
		hist_vec_add(&dst->counts[i], &src->counts[i], HIST_BLOCK_CNT);
		dst->blocks[b] += src->blocks[b];
	}
	dst->count += src->count;
	dst->sum += src->sum;
	dst->sq_hi += src->sq_hi + __builtin_add_overflow(dst->sq, src->sq, &dst->sq);
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->flags |= src->flags;
}

/* Tighten min/max of a non-empty dst to the bounds of its outermost buckets. */
static void hist_rederive_minmax(struct hist *h, bool min, bool max)
{
	unsigned int b, i;

	if (min) {
		for (b = 0; !h->blocks[b]; b++)
			;
		for (i = b << HIST_BLOCK_BITS; !h->counts[i]; i++)
			;
		if (hist_bucket_lo(i) > h->min)
			h->min = hist_bucket_lo(i);
	}
	if (max) {
		for (b = HIST_NR_BLOCKS - 1; !h->blocks[b]; b--)
			;
		for (i = ((b + 1) << HIST_BLOCK_BITS) - 1; !h->counts[i]; i--)
			;
		if (hist_bucket_hi(i) < h->max)
			h->max = hist_bucket_hi(i);
	}
}

int hist__subtract(struct hist *dst, const struct hist *src)
{
	bool min_gone, max_gone;

	if (src->count > dst->count || src->sum > dst->sum || hist_sq_less(dst, src))
		return -EINVAL;
	for (unsigned int b = 0; b < HIST_NR_BLOCKS; b++)
		if (src->blocks[b] > dst->blocks[b])
			return -EINVAL;
	if (!src->count)
		return 0;

	for (unsigned int b = 0; b < HIST_NR_BLOCKS; b++) {
		unsigned int i = b << HIST_BLOCK_BITS;

		if (!src->blocks[b])
			continue;
		hist_vec_sub(&dst->counts[i], &src->counts[i], HIST_BLOCK_CNT);
		dst->blocks[b] -= src->blocks[b];
	}
	dst->count -= src->count;
	dst->sum -= src->sum;
	dst->sq_hi -= src->sq_hi + __builtin_sub_overflow(dst->sq, src->sq, &dst->sq);
	if (!dst->count) {
		hist_reset_header(dst);
		return 0;
	}
	/*
	 * An exact extreme survives when every removed value lies strictly
	 * inside it; otherwise only the buckets can tell what is left.
	 */
	min_gone = src->min <= dst->min;
	max_gone = src->max >= dst->max;
	if (min_gone || max_gone) {
		hist_rederive_minmax(dst, min_gone, max_gone);
		dst->flags |= HIST_F_MINMAX_APPROX;
	}
	return 0;
}

__u64 hist__sum(const struct hist *h)
{
	return h->sum > UINT64_MAX ? UINT64_MAX : (__u64)h->sum;
}

double hist__mean(const struct hist *h)
{
	unsigned __int128 q, r;

	if (!h->count)
		return 0;
	/* Integer quotient first: exact whenever the mean fits a double's mantissa. */
	q = h->sum / h->count;
	r = h->sum % h->count;
	return (double)q + (double)(__u64)r / (double)h->count;
}

/* r[0 .. na + nb) = a * b over little-endian u64 limbs. */
static void hist_mul_limbs(const __u64 *a, int na, const __u64 *b, int nb, __u64 *r)
{
	memset(r, 0, (na + nb) * sizeof(*r));
	for (int i = 0; i < na; i++) {
		__u64 carry = 0;

		for (int j = 0; j < nb; j++) {
			unsigned __int128 t = (unsigned __int128)a[i] * b[j] + r[i + j] + carry;

			r[i + j] = (__u64)t;
			carry = t >> 64;
		}
		r[i + nb] = carry;
	}
}

/*
 * n * var = S2 - S1^2 / n, so n^2 * var = n * S2 - S1^2, computed exactly in
 * 256 bits (it equals the sum of (xi - xj)^2 over pairs, hence >= 0).  The only
 * rounding is the final conversion to long double and the division.
 */
double hist__stddev(const struct hist *h)
{
	__u64 n = h->count, s2[3], s1[2], a[4], b[4], borrow = 0;
	long double d = 0;

	if (n < 2)
		return 0;
	s2[0] = (__u64)h->sq;
	s2[1] = (__u64)(h->sq >> 64);
	s2[2] = h->sq_hi;
	s1[0] = (__u64)h->sum;
	s1[1] = (__u64)(h->sum >> 64);
	hist_mul_limbs(&n, 1, s2, 3, a);
	hist_mul_limbs(s1, 2, s1, 2, b);
	for (int i = 0; i < 4; i++) {
		__u64 t = a[i] - b[i] - borrow;

		borrow = a[i] < b[i] || (a[i] == b[i] && borrow);
		a[i] = t;
	}
	if (borrow)
		return 0;
	for (int i = 3; i >= 0; i--)
		d = ldexpl(d, 64) + a[i];
	return sqrtl(d / n / n);
}

/* Nearest rank in [1, count]; see the tolerance note in hist.h. */
static __u64 hist_rank(double q, __u64 count)
{
	double x = q / 100.0 * (double)count;
	double r = ceil(x * (1.0 - 4 * DBL_EPSILON));

	if (r <= 1.0)
		return 1;
	if (r >= (double)count)
		return count;
	return (__u64)r;
}

static __u64 hist_value_at(const struct hist *h, __u64 rank, unsigned int idx)
{
	__u64 v;

	if (!(h->flags & HIST_F_MINMAX_APPROX)) {
		if (rank == 1)
			return h->min;
		if (rank == h->count)
			return h->max;
	}
	v = hist_bucket_mid(idx);
	if (v < h->min)
		return h->min;
	if (v > h->max)
		return h->max;
	return v;
}

#define HIST_Q_CHUNK 32

/*
 * One ascending pass: skip whole blocks by their sums, then scan buckets in
 * the block holding the rank.  A later, larger rank resumes where the last
 * one stopped, possibly in the same bucket.
 */
static void hist_percentiles_chunk(const struct hist *h, const double *qs, int n, __u64 *out)
{
	__u64 rank[HIST_Q_CHUNK], base = 0, run = 0;
	unsigned int b = 0, pos = 0;
	int ord[HIST_Q_CHUNK];

	for (int i = 0; i < n; i++) {
		int j = i;

		rank[i] = hist_rank(qs[i], h->count);
		for (; j > 0 && rank[ord[j - 1]] > rank[i]; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
	}
	for (int k = 0; k < n; k++) {
		__u64 r = rank[ord[k]];
		unsigned int end;

		if (b < HIST_NR_BLOCKS - 1 && r > base + h->blocks[b]) {
			do {
				base += h->blocks[b++];
			} while (b < HIST_NR_BLOCKS - 1 && base + h->blocks[b] < r);
			pos = b << HIST_BLOCK_BITS;
			run = base;
		}
		end = (b + 1) << HIST_BLOCK_BITS;
		pos += hist_vec_scan(&h->counts[pos], end - pos, &run, r);
		/* Only reachable if the block sums disagree with the buckets. */
		if (pos >= end)
			pos = end - 1;
		out[ord[k]] = hist_value_at(h, r, pos);
	}
}

int hist__percentiles(const struct hist *h, const double *qs, int n, __u64 *out)
{
	if (n < 0)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (!(qs[i] >= 0.0 && qs[i] <= 100.0))
			return -EINVAL;
	if (!h->count) {
		for (int i = 0; i < n; i++)
			out[i] = 0;
		return 0;
	}
	for (int i = 0; i < n; i += HIST_Q_CHUNK)
		hist_percentiles_chunk(h, qs + i, n - i < HIST_Q_CHUNK ? n - i : HIST_Q_CHUNK,
				       out + i);
	return 0;
}

__u64 hist__percentile(const struct hist *h, double q)
{
	__u64 v;

	if (hist__percentiles(h, &q, 1, &v))
		return 0;
	return v;
}
