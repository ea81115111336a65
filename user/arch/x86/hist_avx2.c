// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * AVX2 kernels of the histogram (user/stats/hist_simd.c picks them at run time). Only these
 * functions are built for AVX2 (target attribute), so the rest of the binary stays baseline
 * x86-64. Add and sub are plain wrapping u64 arithmetic; the scan agrees with the scalar one
 * whenever the prefix sums do not wrap, which holds for any consistent histogram.
 */
#include <immintrin.h>
#include "arch.h"
#include "avx2.h"

static bool avx2_available(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}

/* The scalar tails, as in hist_simd.c. */
static void add_tail(__u64 *dst, const __u64 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] += src[i];
}

static void sub_tail(__u64 *dst, const __u64 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] -= src[i];
}

static size_t scan_tail(const __u64 *c, size_t n, __u64 *run, __u64 rank)
{
	__u64 r = *run;
	size_t i;

	for (i = 0; i < n && r + c[i] < rank; i++)
		r += c[i];
	*run = r;
	return i;
}

#define HIST_LD(p)    _mm256_loadu_si256((const __m256i *)(p))
#define HIST_ST(p, v) _mm256_storeu_si256((__m256i *)(p), (v))

__attribute__((target("avx2"))) static void hist_add_avx2(__u64 *dst, const __u64 *src, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		__m256i a = _mm256_add_epi64(HIST_LD(dst + i), HIST_LD(src + i));
		__m256i b = _mm256_add_epi64(HIST_LD(dst + i + 4), HIST_LD(src + i + 4));

		HIST_ST(dst + i, a);
		HIST_ST(dst + i + 4, b);
	}
	add_tail(dst + i, src + i, n - i);
}

__attribute__((target("avx2"))) static void hist_sub_avx2(__u64 *dst, const __u64 *src, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		__m256i a = _mm256_sub_epi64(HIST_LD(dst + i), HIST_LD(src + i));
		__m256i b = _mm256_sub_epi64(HIST_LD(dst + i + 4), HIST_LD(src + i + 4));

		HIST_ST(dst + i, a);
		HIST_ST(dst + i + 4, b);
	}
	sub_tail(dst + i, src + i, n - i);
}

__attribute__((target("avx2"))) static __u64 hist_hsum_avx2(__m256i s)
{
	__m128i t = _mm_add_epi64(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));

	return (__u64)_mm_cvtsi128_si64(t) + (__u64)_mm_extract_epi64(t, 1);
}

/*
 * Skip 16 buckets at a time while their (wrapping) sum keeps the running
 * count below rank, then 4 at a time, then finish with the scalar rule.
 */
__attribute__((target("avx2"))) static size_t hist_scan_avx2(const __u64 *c, size_t n, __u64 *run,
							     __u64 rank)
{
	__u64 r = *run, s;
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		__m256i a = _mm256_add_epi64(HIST_LD(c + i), HIST_LD(c + i + 4));
		__m256i b = _mm256_add_epi64(HIST_LD(c + i + 8), HIST_LD(c + i + 12));

		s = hist_hsum_avx2(_mm256_add_epi64(a, b));
		if (r + s >= rank)
			break;
		r += s;
	}
	for (; i + 4 <= n; i += 4) {
		s = hist_hsum_avx2(HIST_LD(c + i));
		if (r + s >= rank)
			break;
		r += s;
	}
	*run = r;
	return i + scan_tail(c + i, n - i, run, rank);
}

const struct arch_vec_ops arch_vec = {
	.name = "avx2",
	.available = avx2_available,
	.add = hist_add_avx2,
	.sub = hist_sub_avx2,
	.scan = hist_scan_avx2,
	.dist2 = arch_kmeans_dist2_avx2,
	.fadd = arch_kmeans_add_avx2,
};
