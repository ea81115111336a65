/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Log-linear latency histogram (HDR style), one per (syscall, abi).
 *
 * Values are u64 nanoseconds.  0..255 ns get one bucket each; above that every
 * power of two [2^e, 2^(e+1)) is split into HIST_SUB_CNT = 128 equal sub-buckets
 * of width 2^(e-7).  The midpoint representative of a bucket [lo, hi] is
 * lo + (hi - lo) / 2, and since lo >= 128 * width, |rep - v| / v < 1/256
 * (HIST_REL_ERROR, 0.390625 %) for every v in 0 .. HIST_TRACK_MAX.
 * Values above HIST_TRACK_MAX (2^37 - 1 ns, about 137 s) share the top bucket,
 * whose hi is UINT64_MAX; the exact max is kept separately.
 *
 * Besides the buckets: exact count, sum (u128: cannot overflow for 2^64
 * records of any u64 value), sum of squares (192 bits, likewise exact), min and
 * max.  Mean and standard deviation come from these exact integers, so a huge
 * offset with a tiny variance loses nothing.  blocks[] holds one sum per
 * HIST_BLOCK_CNT buckets (one per power of two above 255 ns) so that percentile
 * scans, merges, subtractions and resets skip empty or passed-over blocks.
 *
 * sizeof(struct hist) == 32064 bytes, fixed (3968 u64 counts + 31 u64 block
 * sums + 72 bytes of totals and flags).  Counts are u64: a u32 bucket would wrap after ~7 minutes
 * of a 10 M/s syscall landing in one bucket.
 *
 * Not thread safe: one writer per histogram; merge per-thread ones instead.
 */
#ifndef SYSRAY_HIST_H
#define SYSRAY_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define HIST_SUB_BITS	7
#define HIST_SUB_CNT	(1U << HIST_SUB_BITS)
#define HIST_RANGE_BITS 37
#define HIST_TRACK_MAX	((1ULL << HIST_RANGE_BITS) - 1)
/* Highest index for v < 2^37 is (37 - 8) * 128 + 255 = 3967. */
#define HIST_NR_BUCKETS ((HIST_RANGE_BITS - HIST_SUB_BITS + 1) << HIST_SUB_BITS)
#define HIST_BLOCK_BITS HIST_SUB_BITS
#define HIST_BLOCK_CNT	(1U << HIST_BLOCK_BITS)
#define HIST_NR_BLOCKS	(HIST_NR_BUCKETS >> HIST_BLOCK_BITS)
/* Strict upper bound of |hist_bucket_mid(hist_index(v)) - v| / v, v <= HIST_TRACK_MAX. */
#define HIST_REL_ERROR (1.0 / (2 * HIST_SUB_CNT))

/* min/max were derived from bucket bounds (after hist__subtract), not exact. */
#define HIST_F_MINMAX_APPROX 0x1U

struct hist {
	unsigned __int128 sum; /* sum of values */
	unsigned __int128 sq;  /* sum of squares, bits 0..127 */
	__u64 sq_hi;	       /* sum of squares, bits 128..191 */
	__u64 count;
	__u64 min; /* UINT64_MAX when empty */
	__u64 max; /* 0 when empty */
	__u64 blocks[HIST_NR_BLOCKS];
	__u32 flags;
	__u32 __pad;
	__u64 counts[HIST_NR_BUCKETS];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct hist) == 32064, "update the size in the comment above");
_Static_assert(HIST_NR_BUCKETS % HIST_BLOCK_CNT == 0, "blocks must tile the buckets");

/* Bucket of v: branch free, no loop, no floating point. */
static inline unsigned int hist_index(__u64 v)
{
	/* Below 256 shift is 0 and the index is v itself (exact buckets). */
	unsigned int shift = 63 - HIST_SUB_BITS - __builtin_clzll(v | (2 * HIST_SUB_CNT - 1));
	unsigned int idx = (shift << HIST_SUB_BITS) + (unsigned int)(v >> shift);

	return idx < HIST_NR_BUCKETS ? idx : HIST_NR_BUCKETS - 1;
}

/* Hot path: fold one latency. */
static inline void hist__record(struct hist *h, __u64 v)
{
	unsigned int idx = hist_index(v);

	h->counts[idx]++;
	h->blocks[idx >> HIST_BLOCK_BITS]++;
	h->count++;
	h->sum += v;
	h->sq_hi += __builtin_add_overflow(h->sq, (unsigned __int128)v * v, &h->sq);
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

struct hist *hist__new(void);
void hist__free(struct hist *h);
/* Initialise a struct hist not obtained from hist__new (e.g. embedded in an array). */
void hist__init(struct hist *h);
/* Empty an initialised h; only touches the non-empty blocks. */
void hist__reset(struct hist *h);

/* dst += src. */
void hist__merge(struct hist *dst, const struct hist *src);
/*
 * dst -= src, for sliding windows (running sum = add newest, subtract expired).
 * src must be a sub-multiset of dst; -EINVAL (dst untouched) when the counts,
 * block sums or sums show it is not.  min/max cannot be subtracted: an extreme
 * that src may have removed (src->min <= min, src->max >= max) is re-derived
 * from the outermost remaining bucket, never looser than the old value, and
 * HIST_F_MINMAX_APPROX is set: min/max are then only bucket-accurate bounds.
 * The flag is inherited by merges and cleared by reset.
 */
int hist__subtract(struct hist *dst, const struct hist *src);

static inline __u64 hist__count(const struct hist *h)
{
	return h->count;
}

static inline __u64 hist__min(const struct hist *h)
{
	return h->count ? h->min : 0;
}

static inline __u64 hist__max(const struct hist *h)
{
	return h->max;
}

/* Sum of values, saturated at UINT64_MAX; h->sum is exact. */
__u64 hist__sum(const struct hist *h);
/* 0 when empty. */
double hist__mean(const struct hist *h);
/* Population standard deviation (divisor n); 0 when empty. */
double hist__stddev(const struct hist *h);

/*
 * Nearest-rank percentile: the value at rank r = ceil(q / 100 * count) (r >= 1)
 * of the sorted samples, returned as the midpoint of its bucket clamped to
 * [min, max], so within HIST_REL_ERROR of the true sample.  Rank 1 and rank
 * count return the exact min and max (unless HIST_F_MINMAX_APPROX).  q is read
 * with a relative tolerance of 4 ulp so that a decimal q whose exact rank is an
 * integer (99.9 % of 1000) is not bumped to the next rank by binary rounding.
 * Returns 0 when empty or when q is outside [0, 100].
 */
__u64 hist__percentile(const struct hist *h, double q);
/* Same for n quantiles (any order) in one scan; -EINVAL if a q is outside [0, 100]. */
int hist__percentiles(const struct hist *h, const double *qs, int n, __u64 *out);

/* Bounds of bucket idx < HIST_NR_BUCKETS; hi of the top bucket is UINT64_MAX. */
__u64 hist_bucket_lo(unsigned int idx);
__u64 hist_bucket_hi(unsigned int idx);
/* Representative value: midpoint of the nominal bounds (top bucket: up to 2^37 - 1). */
__u64 hist_bucket_mid(unsigned int idx);

/* Return non-zero to stop the walk; hist__for_each_bucket then returns that value. */
typedef int (*hist_bucket_fn)(unsigned int idx, __u64 lo, __u64 hi, __u64 count, void *ctx);
/* Call fn for each non-empty bucket in ascending order; 0 when all were visited. */
int hist__for_each_bucket(const struct hist *h, hist_bucket_fn fn, void *ctx);

/*
 * Vector kernels (hist_simd.c): the architecture's (AVX2 on x86) when the CPU has
 * them, else portable scalar code with bit-identical results.  SYSRAY_NO_SIMD=1 in
 * the environment, or hist_simd_set(false), forces the scalar path;
 * hist_simd_set(true) fails with -ENOTSUP without them.
 */
int hist_simd_set(bool on);
bool hist_simd_active(void);
void hist_vec_add(__u64 *dst, const __u64 *src, size_t n);
void hist_vec_sub(__u64 *dst, const __u64 *src, size_t n);
/*
 * First i < n with *run + c[0..i] >= rank, leaving *run = *run + c[0..i-1];
 * n (and *run advanced over all of c) when there is none.
 */
size_t hist_vec_scan(const __u64 *c, size_t n, __u64 *run, __u64 rank);

#endif /* SYSRAY_HIST_H */
