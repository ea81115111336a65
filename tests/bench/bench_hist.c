// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Micro-benchmark of the latency histogram: record rate, merge/subtract, percentile pass. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats/hist.h"

#define BH_NVALS (1U << 20)
#define BH_NHIST 100

static __u64 bh_seed = 0x243f6a8885a308d3ULL;

static __u64 bh_rand(void)
{
	__u64 z = (bh_seed += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Lognormal ns around median_ns (Box-Muller), clipped to 100 s. */
static __u64 bh_lognormal(double median_ns, double sigma)
{
	double u1 = 1.0 - (bh_rand() >> 11) * 0x1p-53, u2 = (bh_rand() >> 11) * 0x1p-53;
	double x = median_ns * exp(sigma * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));

	return x > 1e11 ? (__u64)1e11 : (__u64)x;
}

static double bh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static struct hist *bh_new(void)
{
	struct hist *h = hist__new();

	if (!h) {
		perror("hist__new");
		exit(1);
	}
	return h;
}

static int bh_blocks_used(const struct hist *h)
{
	int n = 0;

	for (unsigned int b = 0; b < HIST_NR_BLOCKS; b++)
		n += !!h->blocks[b];
	return n;
}

/* Out of line, as from a ring buffer callback: the header goes through memory every time. */
static void bh_record_one(struct hist *h, __u64 v)
{
	hist__record(h, v);
}

static void (*volatile bh_record_fn)(struct hist *, __u64) = bh_record_one;

static void bh_record_rate(const char *what, struct hist *h, const __u64 *vals, __u64 same)
{
	void (*fn)(struct hist *, __u64) = bh_record_fn;
	const int reps = 100;
	double t;

	hist__reset(h);
	t = bh_now();
	for (int r = 0; r < reps; r++) {
		if (vals)
			for (unsigned int i = 0; i < BH_NVALS; i++)
				fn(h, vals[i]);
		else
			for (unsigned int i = 0; i < BH_NVALS; i++)
				fn(h, same);
	}
	t = bh_now() - t;
	if (h->count != (__u64)reps * BH_NVALS)
		exit(1);
	printf("hist__record: %.1f M records/s (%s)\n", reps * (double)BH_NVALS / t / 1e6, what);
}

static void bh_record(const __u64 *vals)
{
	const int reps = 100;
	struct hist *h = bh_new();
	double t;

	for (unsigned int i = 0; i < BH_NVALS; i++) /* warm up, fault in */
		hist__record(h, vals[i]);
	hist__reset(h);
	t = bh_now();
	for (int r = 0; r < reps; r++)
		for (unsigned int i = 0; i < BH_NVALS; i++)
			hist__record(h, vals[i]);
	t = bh_now() - t;
	if (h->count != (__u64)reps * BH_NVALS)
		exit(1);
	/* Here the compiler may keep count/sum/squares in registers across records. */
	printf("hist__record: %.1f M records/s (inlined loop, lognormal median 2 us)\n",
	       reps * (double)BH_NVALS / t / 1e6);
	bh_record_rate("one call per record, lognormal", h, vals, 0);
	/* Worst case: every record hits the same counters (store-forwarding chain). */
	bh_record_rate("one call per record, one repeated value", h, NULL, 1500);
	hist__free(h);
}

/* ns per merge and per subtract of b into/out of a. */
static void bh_merge_sub(const char *what, struct hist *a, const struct hist *b)
{
	const int iters = 20000;

	for (int simd = 1; simd >= 0; simd--) {
		double tm, ts;

		if (hist_simd_set(simd))
			continue;
		tm = bh_now();
		for (int i = 0; i < iters; i++)
			hist__merge(a, b);
		tm = bh_now() - tm;
		ts = bh_now();
		for (int i = 0; i < iters; i++)
			if (hist__subtract(a, b))
				exit(1);
		ts = bh_now() - ts;
		printf("hist__merge[%s]: %.1f ns (%s, %d/%d blocks)\n", simd ? "avx2" : "scalar",
		       tm / iters * 1e9, what, bh_blocks_used(b), HIST_NR_BLOCKS);
		printf("hist__subtract[%s]: %.1f ns (%s)\n", simd ? "avx2" : "scalar",
		       ts / iters * 1e9, what);
	}
}

static void bh_merge(const __u64 *vals)
{
	struct hist *a = bh_new(), *b = bh_new();

	for (unsigned int i = 0; i < BH_NVALS; i++)
		hist__record(i & 1 ? a : b, vals[i]);
	bh_merge_sub("lognormal", a, b);
	/* Every bucket populated: the cost when nothing can be skipped. */
	for (unsigned int i = 0; i < HIST_NR_BUCKETS; i++) {
		hist__record(a, hist_bucket_lo(i));
		hist__record(b, hist_bucket_lo(i));
	}
	bh_merge_sub("dense", a, b);
	hist__free(a);
	hist__free(b);
}

static volatile __u64 bh_sink;

static double bh_pct_pass(struct hist **hs, const double *qs, int nq)
{
	__u64 out[8];
	double t = bh_now();

	for (int i = 0; i < BH_NHIST; i++) {
		if (hist__percentiles(hs[i], qs, nq, out))
			exit(1);
		bh_sink += out[0] + out[nq - 1];
	}
	return bh_now() - t;
}

static void bh_percentiles(void)
{
	static const double qs[] = { 50, 75, 90, 95, 99, 99.9 };
	const size_t flush_sz = 64 << 20;
	struct hist *hs[BH_NHIST];
	char *flush = malloc(flush_sz);
	const int passes = 20000, cold = 50;

	if (!flush)
		exit(1);
	/* 100 "syscalls" with medians from 100 ns to ~1 ms. */
	for (int i = 0; i < BH_NHIST; i++) {
		double median = 100.0 * pow(1.1, i);

		hs[i] = bh_new();
		for (int k = 0; k < 100000; k++)
			hist__record(hs[i], bh_lognormal(median, 1.0 + (i % 5) * 0.3));
	}
	for (int simd = 1; simd >= 0; simd--) {
		double warm, cold_t = 0, best = 1e9;

		if (hist_simd_set(simd))
			continue;
		bh_pct_pass(hs, qs, 6);
		warm = bh_now();
		for (int p = 0; p < passes; p++)
			bh_pct_pass(hs, qs, 6);
		warm = (bh_now() - warm) / passes;
		/* Caches flushed by streaming 64 MiB through them before each pass. */
		for (int p = 0; p < cold; p++) {
			double t;

			memset(flush, p, flush_sz);
			t = bh_pct_pass(hs, qs, 6);
			cold_t += t;
			if (t < best)
				best = t;
		}
		printf("percentiles P50..P99.9 x %d hists[%s]: %.2f us warm, %.2f us cold\n",
		       BH_NHIST, simd ? "avx2" : "scalar", warm * 1e6, cold_t / cold * 1e6);
	}
	for (int i = 0; i < BH_NHIST; i++)
		hist__free(hs[i]);
	free(flush);
}

int main(void)
{
	__u64 *vals = malloc(BH_NVALS * sizeof(*vals));

	if (!vals)
		return 1;
	for (unsigned int i = 0; i < BH_NVALS; i++)
		vals[i] = bh_lognormal(2000, 1.5);
	printf("sizeof(struct hist): %zu bytes, %u buckets, rel. error < %.4f %%\n",
	       sizeof(struct hist), HIST_NR_BUCKETS, HIST_REL_ERROR * 100);
	bh_record(vals);
	bh_merge(vals);
	bh_percentiles();
	free(vals);
	return 0;
}
