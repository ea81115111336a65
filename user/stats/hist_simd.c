// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Vector kernels of the histogram: u64 array add/sub and the rank scan.
 * Only these functions are built for AVX2 (target attribute) and picked at run
 * time, so the rest of the binary stays baseline x86-64.  Add and sub are
 * plain wrapping u64 arithmetic in both paths; the scans agree whenever the
 * prefix sums do not wrap, which holds for any consistent histogram.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <immintrin.h>

#include "stats/hist.h"

/* -1: not probed yet, 0: scalar, 1: AVX2.  Races only store the same value. */
static int hist_simd_mode = -1;

static bool hist_cpu_avx2(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}

static int hist_simd_mode_get(void)
{
	int mode = __atomic_load_n(&hist_simd_mode, __ATOMIC_RELAXED);
	const char *env;

	if (mode >= 0)
		return mode;
	env = getenv("SYSRAY_NO_SIMD");
	mode = hist_cpu_avx2() && !(env && *env && strcmp(env, "0"));
	__atomic_store_n(&hist_simd_mode, mode, __ATOMIC_RELAXED);
	return mode;
}

int hist_simd_set(bool on)
{
	if (on && !hist_cpu_avx2())
		return -ENOTSUP;
	__atomic_store_n(&hist_simd_mode, on, __ATOMIC_RELAXED);
	return 0;
}

bool hist_simd_active(void)
{
	return hist_simd_mode_get() == 1;
}

static void hist_add_scalar(__u64 *dst, const __u64 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] += src[i];
}

static void hist_sub_scalar(__u64 *dst, const __u64 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] -= src[i];
}

static size_t hist_scan_scalar(const __u64 *c, size_t n, __u64 *run, __u64 rank)
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
	hist_add_scalar(dst + i, src + i, n - i);
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
	hist_sub_scalar(dst + i, src + i, n - i);
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
	return i + hist_scan_scalar(c + i, n - i, run, rank);
}

void hist_vec_add(__u64 *dst, const __u64 *src, size_t n)
{
	if (hist_simd_mode_get() == 1)
		hist_add_avx2(dst, src, n);
	else
		hist_add_scalar(dst, src, n);
}

void hist_vec_sub(__u64 *dst, const __u64 *src, size_t n)
{
	if (hist_simd_mode_get() == 1)
		hist_sub_avx2(dst, src, n);
	else
		hist_sub_scalar(dst, src, n);
}

size_t hist_vec_scan(const __u64 *c, size_t n, __u64 *run, __u64 rank)
{
	if (hist_simd_mode_get() == 1)
		return hist_scan_avx2(c, n, run, rank);
	return hist_scan_scalar(c, n, run, rank);
}
