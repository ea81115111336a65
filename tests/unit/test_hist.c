// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the log-linear latency histogram (user/hist.[ch]). */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/hist.h"
#include "stats/outliers.h"

static __u64 th_seed = 0x5eed5eed12345678ULL;

/* splitmix64: tiny, deterministic, good enough for test data. */
static __u64 th_rand(void)
{
	__u64 z = (th_seed += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double th_unif(void)
{
	return (th_rand() >> 11) * 0x1p-53;
}

static double th_normal(void)
{
	double u1 = 1.0 - th_unif(), u2 = th_unif();

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static __u64 th_clamp_ns(double x)
{
	return x < 0 ? 0 : x > 1e11 ? (__u64)1e11 : (__u64)x;
}

enum th_dist { TH_UNIFORM, TH_LOGNORMAL, TH_BIMODAL, TH_SMALL };

static __u64 th_sample(enum th_dist d)
{
	switch (d) {
	case TH_UNIFORM:
		return th_rand() % 1000000000ULL;
	case TH_LOGNORMAL:
		return th_clamp_ns(exp(log(20000.0) + 1.5 * th_normal()));
	case TH_BIMODAL:
		if (th_rand() & 1)
			return th_clamp_ns(300.0 + 50.0 * th_normal());
		return th_clamp_ns(5e6 + 1e6 * th_normal());
	case TH_SMALL:
	default:
		return th_rand() % 300;
	}
}

/* Each test runs in its own process: a static pool needs no freeing. */
#define TH_POOL 16
static struct hist th_pool[TH_POOL];
static int th_pool_used;

static struct hist *th_new(void)
{
	cr_assert_lt(th_pool_used, TH_POOL, "th_pool exhausted");
	hist__init(&th_pool[th_pool_used]);
	return &th_pool[th_pool_used++];
}

static struct hist *th_fill(enum th_dist d, size_t n)
{
	struct hist *h = th_new();

	for (size_t i = 0; i < n; i++)
		hist__record(h, th_sample(d));
	return h;
}

static void th_set_n(struct hist *h, const __u64 *v, size_t n)
{
	hist__reset(h);
	for (size_t i = 0; i < n; i++)
		hist__record(h, v[i]);
}

/* Empty h, then record the listed values. */
#define TH_SET(h, ...)                                                                             \
	th_set_n(h, (const __u64[]){ __VA_ARGS__ },                                                \
		 sizeof((const __u64[]){ __VA_ARGS__ }) / sizeof(__u64))

static int th_cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

Test(hist, bucket_edges)
{
	static const __u64 wv[] = { 0, 1, 255, 256, 257, 258, 512, HIST_TRACK_MAX, UINT64_MAX };
	static const unsigned int wi[] = {
		0, 1, 255, 256, 256, 257, 384, HIST_NR_BUCKETS - 1, HIST_NR_BUCKETS - 1
	};
	__u64 vals[256], prev_idx = 0;
	int n = 0;

	vals[n++] = 0;
	for (int k = 0; k < 64; k++) {
		__u64 p = 1ULL << k;

		vals[n++] = p - 1;
		vals[n++] = p;
		vals[n++] = p + 1;
	}
	vals[n++] = 100000000000ULL; /* 100 s */
	vals[n++] = HIST_TRACK_MAX;
	vals[n++] = HIST_TRACK_MAX + 1;
	vals[n++] = UINT64_MAX;
	qsort(vals, n, sizeof(vals[0]), th_cmp_u64);

	for (int i = 0; i < n; i++) {
		unsigned int idx = hist_index(vals[i]);

		cr_assert_lt(idx, HIST_NR_BUCKETS, "v=%llu", vals[i]);
		cr_assert_leq(hist_bucket_lo(idx), vals[i], "v=%llu idx=%u", vals[i], idx);
		cr_assert_geq(hist_bucket_hi(idx), vals[i], "v=%llu idx=%u", vals[i], idx);
		cr_assert_geq(idx, prev_idx, "index not monotonic at v=%llu", vals[i]);
		prev_idx = idx;
	}
	/* Exact below 256, width 2 from 256, width 4 from 512; all above 2^37 - 1 share the top. */
	for (int i = 0; i < 9; i++)
		cr_assert_eq(hist_index(wv[i]), wi[i], "v=%llu", wv[i]);
	cr_assert_lt(hist_index(100000000000ULL), HIST_NR_BUCKETS - 1);

	/* The buckets tile [0, UINT64_MAX] and index() inverts lo()/hi(). */
	cr_assert_eq(hist_bucket_lo(0), 0);
	cr_assert_eq(hist_bucket_hi(HIST_NR_BUCKETS - 1), UINT64_MAX);
	for (unsigned int i = 0; i < HIST_NR_BUCKETS; i++) {
		__u64 lo = hist_bucket_lo(i), hi = hist_bucket_hi(i), mid = hist_bucket_mid(i);

		cr_assert_eq(hist_index(lo), i, "lo of %u", i);
		cr_assert_eq(hist_index(hi), i, "hi of %u", i);
		cr_assert(lo <= mid && mid <= hi, "mid of %u", i);
		if (i)
			cr_assert_eq(lo, hist_bucket_hi(i - 1) + 1, "gap before %u", i);
	}
}

Test(hist, relative_error_bound)
{
	double max_err = 0;

	cr_assert_leq(HIST_REL_ERROR, 0.01);
	cr_assert_eq(hist_bucket_mid(hist_index(0)), 0);
	/* The error of the midpoint is largest at a bucket's ends: check all of them. */
	for (unsigned int i = 1; i < HIST_NR_BUCKETS; i++) {
		__u64 ends[2] = { hist_bucket_lo(i), hist_bucket_hi(i) };

		if (i == HIST_NR_BUCKETS - 1)
			ends[1] = HIST_TRACK_MAX;
		for (int e = 0; e < 2; e++) {
			double v = (double)ends[e];
			double err = fabs((double)hist_bucket_mid(i) - v) / v;

			cr_assert_lt(err, HIST_REL_ERROR, "bucket %u v=%llu err=%g", i, ends[e],
				     err);
			if (err > max_err)
				max_err = err;
		}
	}
	cr_assert_gt(max_err, 0.99 * HIST_REL_ERROR, "bound not tight: %g", max_err);

	/* ~1e6 values log-uniform over 1 ns .. 100 s. */
	for (int i = 0; i < 1000000; i++) {
		__u64 v = (__u64)exp(th_unif() * log(1e11));
		__u64 mid;
		double err;

		if (!v)
			v = 1;
		mid = hist_bucket_mid(hist_index(v));
		err = fabs((double)mid - (double)v) / (double)v;
		cr_assert_lt(err, HIST_REL_ERROR, "v=%llu mid=%llu", v, mid);
	}
}

static void th_check_percentiles(enum th_dist d, size_t n)
{
	static const int permille[] = { 0, 500, 900, 990, 999, 1000 };
	const int nq = sizeof(permille) / sizeof(permille[0]);
	__u64 *v = malloc(n * sizeof(*v)), batch[6], rbatch[6];
	double qs[6], rqs[6];
	struct hist *h = th_new();

	cr_assert_not_null(v);
	for (size_t i = 0; i < n; i++) {
		v[i] = th_sample(d);
		hist__record(h, v[i]);
	}
	qsort(v, n, sizeof(*v), th_cmp_u64);
	for (int i = 0; i < nq; i++) {
		__u64 rank = (permille[i] * n + 999) / 1000, exact, got;

		if (rank < 1)
			rank = 1;
		exact = v[rank - 1];
		qs[i] = permille[i] / 10.0;
		rqs[nq - 1 - i] = qs[i];
		got = hist__percentile(h, qs[i]);
		cr_assert_leq(fabs((double)got - (double)exact), (double)exact * HIST_REL_ERROR,
			      "dist %d q=%g: exact %llu got %llu", d, qs[i], exact, got);
	}
	cr_assert_eq(hist__percentile(h, 0), v[0]);
	cr_assert_eq(hist__percentile(h, 100), v[n - 1]);
	cr_assert_eq(hist__percentiles(h, qs, nq, batch), 0);
	cr_assert_eq(hist__percentiles(h, rqs, nq, rbatch), 0);
	for (int i = 0; i < nq; i++) {
		cr_assert_eq(batch[i], hist__percentile(h, qs[i]), "batch q=%g", qs[i]);
		cr_assert_eq(rbatch[nq - 1 - i], batch[i], "unsorted batch q=%g", qs[i]);
	}
	free(v);
}

Test(hist, percentiles_vs_sort)
{
	th_check_percentiles(TH_UNIFORM, 200003);
	th_check_percentiles(TH_LOGNORMAL, 200003);
	th_check_percentiles(TH_BIMODAL, 200003);
	th_check_percentiles(TH_SMALL, 100000);
	th_check_percentiles(TH_LOGNORMAL, 1000);
	th_check_percentiles(TH_BIMODAL, 7);
	th_check_percentiles(TH_UNIFORM, 1);
}

Test(hist, percentile_nearest_rank)
{
	struct hist *h = th_new();
	double qs[] = { 100, 0.5, 50, 99, 99.9, 0 };
	/* Ranks 200, ceil(1.0) = 1, 100, 198, ceil(199.8) = 200, 1. */
	static const __u64 want[] = { 199, 0, 99, 197, 199, 0 };
	__u64 out[6], mout[40];
	double many[40];

	/* 0..199, one each, in the exact (width 1) buckets. */
	for (__u64 i = 0; i < 200; i++)
		hist__record(h, 199 - i);
	cr_assert_eq(hist__percentiles(h, qs, 6, out), 0);
	for (int i = 0; i < 6; i++)
		cr_assert_eq(out[i], want[i], "q=%g", qs[i]);

	/* 99.9 % of 1000 is rank 999 exactly: binary rounding must not make it 1000. */
	hist__reset(h);
	for (int i = 0; i < 1000; i++)
		hist__record(h, i ? 10 : 20);
	cr_assert_eq(hist__percentile(h, 99.9), 10);
	cr_assert_eq(hist__percentile(h, 99.91), 20);
	cr_assert_eq(hist__percentile(h, 100), 20);

	cr_assert_eq(hist__percentiles(h, (double[]){ -1 }, 1, out), -EINVAL);
	cr_assert_eq(hist__percentiles(h, (double[]){ 100.5 }, 1, out), -EINVAL);
	cr_assert_eq(hist__percentiles(h, (double[]){ NAN }, 1, out), -EINVAL);
	cr_assert_eq(hist__percentile(h, 101), 0);

	hist__reset(h);
	out[0] = 1;
	cr_assert_eq(hist__percentiles(h, qs, 1, out), 0);
	cr_assert_eq(out[0], 0, "empty histogram");
	cr_assert_eq(hist__percentile(h, 50), 0);

	/* 40 quantiles: more than one internal chunk of the batch query. */
	for (int i = 0; i < 50000; i++)
		hist__record(h, th_sample(TH_LOGNORMAL));
	for (int i = 0; i < 40; i++)
		many[i] = th_unif() * 100;
	cr_assert_eq(hist__percentiles(h, many, 40, mout), 0);
	for (int i = 0; i < 40; i++)
		cr_assert_eq(mout[i], hist__percentile(h, many[i]), "q=%g", many[i]);
}

static void th_assert_same_data(const struct hist *a, const struct hist *b)
{
	cr_assert_eq(a->count, b->count);
	cr_assert(a->sum == b->sum, "sum");
	cr_assert(a->sq == b->sq && a->sq_hi == b->sq_hi, "sum of squares");
	cr_assert_eq(memcmp(a->blocks, b->blocks, sizeof(a->blocks)), 0, "blocks");
	cr_assert_eq(memcmp(a->counts, b->counts, sizeof(a->counts)), 0, "counts");
}

Test(hist, merge_subtract_identities)
{
	struct hist *a = th_fill(TH_LOGNORMAL, 100000), *b = th_fill(TH_BIMODAL, 50000);
	struct hist *c = th_new(), *all = th_new(), *p1 = th_new(), *p2 = th_new(), *keep;

	hist__merge(c, a);
	hist__merge(c, b);
	cr_assert_eq(c->count, a->count + b->count);
	cr_assert_eq(hist__subtract(c, b), 0);
	th_assert_same_data(c, a);
	cr_assert_eq(hist__stddev(c), hist__stddev(a));
	cr_assert_eq(hist__mean(c), hist__mean(a));
	/* Extremes are bucket-accurate bounds after a subtraction. */
	cr_assert(c->flags & HIST_F_MINMAX_APPROX);
	cr_assert_leq(c->min, a->min);
	cr_assert_eq(hist_index(c->min), hist_index(a->min));
	cr_assert_geq(c->max, a->max);
	cr_assert_eq(hist_index(c->max), hist_index(a->max));

	/* Merging split data gives the histogram of all data, byte for byte. */
	for (int i = 0; i < 30000; i++) {
		__u64 v = th_sample(i % 3 ? TH_LOGNORMAL : TH_UNIFORM);

		hist__record(all, v);
		hist__record(i < 10000 ? p1 : p2, v);
	}
	hist__merge(p1, p2);
	cr_assert_eq(memcmp(p1, all, sizeof(*all)), 0);

	/* Not a sub-multiset: refused, dst untouched. */
	keep = th_new();
	memcpy(keep, a, sizeof(*a));
	cr_assert_eq(hist__subtract(a, all), -EINVAL);
	TH_SET(p1, 1000000000);
	TH_SET(p2, 500000000); /* smaller count, sum and squares, other block */
	cr_assert_eq(hist__subtract(p1, p2), -EINVAL);
	cr_assert_eq(hist__subtract(a, p2), -EINVAL);
	cr_assert_eq(memcmp(a, keep, sizeof(*a)), 0);

	/* Removing everything yields a pristine empty histogram. */
	hist__reset(p1);
	cr_assert_eq(hist__subtract(a, keep), 0);
	cr_assert_eq(memcmp(a, p1, sizeof(*a)), 0);
}

Test(hist, subtract_minmax)
{
	struct hist *a = th_new(), *s = th_new(), *m = th_new();

	/* Removing values strictly inside (min, max) keeps the extremes exact. */
	TH_SET(a, 5, 1000, 123456, 1000);
	TH_SET(s, 1000);
	cr_assert_eq(hist__subtract(a, s), 0);
	cr_assert_eq(a->flags, 0);
	cr_assert_eq(hist__min(a), 5);
	cr_assert_eq(hist__max(a), 123456);

	/* Removing an extreme: the new one comes from the outermost bucket left. */
	TH_SET(s, 5);
	cr_assert_eq(hist__subtract(a, s), 0);
	cr_assert(a->flags & HIST_F_MINMAX_APPROX);
	cr_assert_eq(hist__min(a), hist_bucket_lo(hist_index(1000)));
	cr_assert_eq(hist__max(a), 123456);
	TH_SET(s, 123456);
	cr_assert_eq(hist__subtract(a, s), 0);
	cr_assert_eq(hist__max(a), hist_bucket_hi(hist_index(1000)));
	cr_assert_eq(hist__percentile(a, 50), hist_bucket_mid(hist_index(1000)));

	/* Re-derived extremes never loosen a still valid old bound; the flag spreads. */
	TH_SET(a, 1001, 1002, 5001, 5002);
	TH_SET(s, 1001, 5002);
	cr_assert_eq(hist__subtract(a, s), 0);
	cr_assert_eq(hist__min(a), 1001); /* bucket lo is 1000 */
	cr_assert_eq(hist__max(a), 5002); /* bucket hi is 5023 */
	hist__merge(m, a);
	cr_assert(m->flags & HIST_F_MINMAX_APPROX);
}

#define TH_RING 5

/* A sliding window kept by adding the newest interval and subtracting the expired one. */
Test(hist, sliding_window)
{
	struct hist *ring[TH_RING], *run = th_new(), *ref = th_new();
	static const double qs[] = { 0, 50, 90, 99, 99.9, 100 };
	__u64 pr[6], pf[6];

	for (int i = 0; i < TH_RING; i++)
		ring[i] = th_new();
	for (int t = 0; t < 40; t++) {
		struct hist *cur = ring[t % TH_RING];

		if (t >= TH_RING)
			cr_assert_eq(hist__subtract(run, cur), 0, "interval %d", t);
		hist__reset(cur);
		/* Shift each interval so the window's extremes move. */
		for (int i = 0; i < 2000 + t * 37; i++)
			hist__record(cur, (t * 7 % 11) * 100000 +
					      th_sample((enum th_dist)((t + i) % 4)));
		hist__merge(run, cur);

		hist__reset(ref);
		for (int i = 0; i < TH_RING && i <= t; i++)
			hist__merge(ref, ring[i]);
		th_assert_same_data(run, ref);
		cr_assert(hist_bucket_lo(hist_index(ref->min)) <= run->min && run->min <= ref->min);
		cr_assert(ref->max <= run->max && run->max <= hist_bucket_hi(hist_index(ref->max)));
		cr_assert_eq(hist__percentiles(run, qs, 6, pr), 0);
		cr_assert_eq(hist__percentiles(ref, qs, 6, pf), 0);
		for (int i = 0; i < 6; i++)
			cr_assert_eq(hist_index(pr[i]), hist_index(pf[i]), "t=%d q=%g", t, qs[i]);
	}
}

/* Arbitrary dense contents (every bucket non-zero), consistent block sums. */
static void th_fill_dense(struct hist *h, __u64 max_count)
{
	hist__init(h);
	for (unsigned int i = 0; i < HIST_NR_BUCKETS; i++) {
		h->counts[i] = 1 + th_rand() % max_count;
		h->blocks[i >> HIST_BLOCK_BITS] += h->counts[i];
		h->count += h->counts[i];
		h->sum += h->counts[i] * (unsigned __int128)hist_bucket_lo(i);
	}
	h->min = 0;
	h->max = HIST_TRACK_MAX;
}

/* First statement with the AVX2 kernels, second with the scalar ones. */
#define TH_BOTH(simd_stmt, scalar_stmt)                                                            \
	do {                                                                                       \
		hist_simd_set(true);                                                               \
		simd_stmt;                                                                         \
		hist_simd_set(false);                                                              \
		scalar_stmt;                                                                       \
	} while (0)

Test(hist, simd_matches_scalar)
{
	struct hist *a = th_new(), *b = th_new(), *x = th_new(), *y = th_new();
	__u64 d1[80], d2[80], s[80], r1, r2, total;
	double qs[1000];
	__u64 o1[1000], o2[1000];
	size_t i1, i2;

	if (!__builtin_cpu_supports("avx2"))
		cr_skip_test("CPU lacks AVX2");
	cr_assert_eq(hist_simd_set(true), 0);
	cr_assert(hist_simd_active());
	cr_assert_eq(hist_simd_set(false), 0);
	cr_assert_not(hist_simd_active());

	/* Kernels, every length and misalignment, full-range (wrapping) values. */
	for (size_t off = 0; off < 4; off++) {
		for (size_t n = 0; n + off <= 80; n++) {
			for (size_t i = 0; i < 80; i++) {
				d1[i] = d2[i] = th_rand();
				s[i] = th_rand();
			}
			TH_BOTH(hist_vec_add(d1 + off, s + off, n),
				hist_vec_add(d2 + off, s + off, n));
			cr_assert_eq(memcmp(d1, d2, sizeof(d1)), 0, "add n=%zu off=%zu", n, off);
			TH_BOTH(hist_vec_sub(d1 + off, s + off, n),
				hist_vec_sub(d2 + off, s + off, n));
			cr_assert_eq(memcmp(d1, d2, sizeof(d1)), 0, "sub n=%zu off=%zu", n, off);

			/* Sparse small counts, every rank up to one past the total. */
			total = 0;
			for (size_t i = 0; i < n; i++) {
				s[off + i] = th_rand() % 4 ? 0 : th_rand() % 5;
				total += s[off + i];
			}
			for (__u64 rank = 0; rank <= total + 1; rank++) {
				r1 = r2 = 7;
				TH_BOTH(i1 = hist_vec_scan(s + off, n, &r1, rank + 7),
					i2 = hist_vec_scan(s + off, n, &r2, rank + 7));
				cr_assert(i1 == i2 && r1 == r2, "scan n=%zu rank=%llu", n, rank);
			}
		}
	}

	/* Whole histograms: sparse recorded data and dense random counts. */
	for (int round = 0; round < 4; round++) {
		if (round < 2) {
			hist__reset(a);
			hist__reset(b);
			for (int i = 0; i < 50000; i++) {
				hist__record(a, th_sample((enum th_dist)(i % 4)));
				if (i % 3 == round)
					hist__record(b, th_sample((enum th_dist)(i % 4)));
			}
		} else {
			th_fill_dense(a, round == 2 ? 1000 : 1ULL << 40);
			th_fill_dense(b, 1000);
		}
		memcpy(x, a, sizeof(*a));
		memcpy(y, a, sizeof(*a));
		TH_BOTH(hist__merge(x, b), hist__merge(y, b));
		cr_assert_eq(memcmp(x, y, sizeof(*x)), 0, "merge round %d", round);

		for (int i = 0; i < 1000; i++)
			qs[i] = i < 6 ? (double[]){ 0, 50, 90, 99, 99.9, 100 }[i] : th_unif() * 100;
		TH_BOTH(cr_assert_eq(hist__percentiles(x, qs, 1000, o1), 0),
			cr_assert_eq(hist__percentiles(x, qs, 1000, o2), 0));
		cr_assert_eq(memcmp(o1, o2, sizeof(o1)), 0, "percentiles round %d", round);

		TH_BOTH(cr_assert_eq(hist__subtract(x, b), 0),
			cr_assert_eq(hist__subtract(y, b), 0));
		cr_assert_eq(memcmp(x, y, sizeof(*x)), 0, "subtract round %d", round);
		th_assert_same_data(x, a);
	}
}

/* Criterion runs each test in its own process, so the lazy probe has not run yet. */
Test(hist, simd_env_override)
{
	setenv("SYSRAY_NO_SIMD", "1", 1);
	cr_assert_not(hist_simd_active());
}

/* Two-pass reference in long double (population: divisor n). */
static long double th_ref_stddev(const __u64 *v, size_t n, __u64 shift)
{
	long double m = 0, ss = 0;

	for (size_t i = 0; i < n; i++)
		m += (long double)(v[i] - shift);
	m /= n;
	for (size_t i = 0; i < n; i++) {
		long double d = (long double)(v[i] - shift) - m;

		ss += d * d;
	}
	return sqrtl(ss / n);
}

Test(hist, stddev_adversarial)
{
	const size_t n = 1000000;
	__u64 *v = malloc(n * sizeof(*v));
	struct hist *h = th_new(), *h2 = th_new();
	long double ref;
	double sd, naive, s = 0, s2 = 0;

	cr_assert_not_null(v);
	/* Huge offset, tiny variance: E[x^2] - mean^2 in double is hopeless here. */
	for (size_t i = 0; i < n; i++) {
		v[i] = 1000000000000ULL + i % 10;
		hist__record(h, v[i]);
		s += (double)v[i];
		s2 += (double)v[i] * (double)v[i];
	}
	naive = sqrt(fabs(s2 / n - (s / n) * (s / n)));
	ref = th_ref_stddev(v, n, 0);
	sd = hist__stddev(h);
	cr_assert_lt(fabsl(ref - sqrtl(8.25L)) / sqrtl(8.25L), 1e-12, "reference broken");
	cr_assert_gt(fabs(naive - sqrt(8.25)) / sqrt(8.25), 1e-3, "data not adversarial");
	cr_assert_lt(fabsl(sd - ref) / ref, 1e-9, "stddev %.17g ref %.17Lg", sd, ref);
	cr_assert_eq(hist__mean(h), 1000000000004.5);

	/* At the top of the u64 range: squares carry into bits 128..191. */
	hist__reset(h);
	for (size_t i = 0; i < 1000; i++) {
		v[i] = UINT64_MAX - i % 10;
		hist__record(h, v[i]);
	}
	cr_assert_gt(h->sq_hi, 0);
	ref = th_ref_stddev(v, 1000, UINT64_MAX - 9);
	sd = hist__stddev(h);
	cr_assert_lt(fabsl(sd - ref) / ref, 1e-9, "stddev %.17g ref %.17Lg", sd, ref);
	cr_assert_eq(hist__mean(h), 0x1p64);

	/* Realistic data, and the same state through merge. */
	hist__reset(h);
	for (size_t i = 0; i < n; i++) {
		v[i] = th_sample(TH_LOGNORMAL);
		hist__record(i & 1 ? h2 : h, v[i]);
	}
	hist__merge(h, h2);
	ref = th_ref_stddev(v, n, 0);
	sd = hist__stddev(h);
	cr_assert_lt(fabsl(sd - ref) / ref, 1e-9, "stddev %.17g ref %.17Lg", sd, ref);

	hist__reset(h);
	cr_assert(hist__stddev(h) == 0 && hist__mean(h) == 0, "empty");
	TH_SET(h, 42);
	cr_assert(hist__stddev(h) == 0 && hist__mean(h) == 42, "one value");
	free(v);
}

struct th_walk {
	__u64 total;
	unsigned int last;
	int visited;
	int stop_at;
};

static int th_walk_cb(unsigned int idx, __u64 lo, __u64 hi, __u64 count, void *ctx)
{
	struct th_walk *w = ctx;

	cr_assert(w->visited == 0 || idx > w->last, "not ascending at %u", idx);
	cr_assert_gt(count, 0);
	cr_assert_eq(lo, hist_bucket_lo(idx));
	cr_assert_eq(hi, hist_bucket_hi(idx));
	w->last = idx;
	w->total += count;
	return ++w->visited == w->stop_at ? 7 : 0;
}

Test(hist, for_each_bucket)
{
	struct hist *h = th_fill(TH_BIMODAL, 20000);
	struct th_walk w = { 0 };
	int nonempty = 0;

	for (unsigned int i = 0; i < HIST_NR_BUCKETS; i++)
		nonempty += !!h->counts[i];
	cr_assert_eq(hist__for_each_bucket(h, th_walk_cb, &w), 0);
	cr_assert_eq(w.total, h->count);
	cr_assert_eq(w.visited, nonempty);

	memset(&w, 0, sizeof(w));
	w.stop_at = 3;
	cr_assert_eq(hist__for_each_bucket(h, th_walk_cb, &w), 7);
	cr_assert_eq(w.visited, 3);
}

Test(hist, reset_and_extremes)
{
	struct hist *h = th_fill(TH_UNIFORM, 10000), *fresh = hist__new(), *init = th_new();

	cr_assert_not_null(fresh);
	hist__reset(h);
	cr_assert_eq(memcmp(h, fresh, sizeof(*h)), 0);
	memset(init, 0xa5, sizeof(*init));
	hist__init(init);
	cr_assert_eq(memcmp(init, fresh, sizeof(*h)), 0);
	hist__free(fresh);
	cr_assert_eq(hist__min(h), 0);
	cr_assert_eq(hist__max(h), 0);

	TH_SET(h, UINT64_MAX, 0, UINT64_MAX);
	cr_assert_eq(hist__count(h), 3);
	cr_assert_eq(hist__min(h), 0);
	cr_assert_eq(hist__max(h), UINT64_MAX);
	cr_assert(h->sum == 2 * (unsigned __int128)UINT64_MAX);
	cr_assert_eq(hist__sum(h), UINT64_MAX, "saturated");
	cr_assert_eq(h->counts[HIST_NR_BUCKETS - 1], 2);
	cr_assert_eq(hist__percentile(h, 100), UINT64_MAX);
	cr_assert_eq(hist__percentile(h, 0), 0);
	cr_assert_eq(hist_index(hist__percentile(h, 50)), HIST_NR_BUCKETS - 1);
}

/*
 * By hand: 990 calls spread evenly over 900..1098 ns and 10 calls of 100 us. The median is
 * about 1000 ns; the log deviations of the bulk reach ln(1.1) = 0.095 on each side, so their
 * median, the MAD, is about 0.05 and the scale 1.4826 x 0.05 = 0.074: the cut is near
 * e^(3.5 x 0.074) = 1.3 x the median. Exactly the 10 slow calls are outliers.
 */
Test(hist, outliers_are_the_slow_calls)
{
	struct hist *h = hist__new();
	struct hist_outliers o;

	cr_assert_not_null(h);
	for (int i = 0; i < 990; i++)
		hist__record(h, 900 + (i % 100) * 2);
	for (int i = 0; i < 10; i++)
		hist__record(h, 100000);
	cr_assert_eq(hist_outliers(h, &o), 0);
	cr_expect_eq(o.count, 10);
	cr_expect_float_eq(o.share, 0.01, 1e-12);
	cr_expect(o.scale > 0.06 && o.scale < 0.09, "scale %g", o.scale);
	cr_expect(o.limit_ns > 1200 && o.limit_ns < 1400, "limit %llu",
		  (unsigned long long)o.limit_ns);
	hist__free(h);
}

/*
 * A MAD of 0 (every call in one bucket) falls back to the floor 0.05: the cut is then
 * 1000 x e^0.175 = 1191 ns, so 1150 ns is not an outlier and 1300 ns is.
 */
Test(hist, outliers_with_a_flat_bulk)
{
	struct hist *h = hist__new();
	struct hist_outliers o;

	cr_assert_not_null(h);
	for (int i = 0; i < 1000; i++)
		hist__record(h, 1000);
	for (int i = 0; i < 5; i++) {
		hist__record(h, 1150);
		hist__record(h, 1300);
	}
	cr_assert_eq(hist_outliers(h, &o), 0);
	cr_expect_eq(o.count, 5);
	cr_expect_float_eq(o.scale, OUTLIER_MIN_SCALE, 1e-12);
	/* and an empty histogram has none */
	hist__reset(h);
	cr_assert_eq(hist_outliers(h, &o), 0);
	cr_expect_eq(o.count, 0);
	cr_expect_eq(o.share, 0);
	hist__free(h);
}
