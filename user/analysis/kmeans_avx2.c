// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * k-means kernels for AVX2, built for it with a target attribute and chosen at run time, so
 * the rest of the binary stays baseline x86-64. Multiply then add (no FMA: the scalar path
 * rounds the product first), one partial sum per lane, lanes summed as (l0 + l2) + (l1 + l3):
 * exactly what kmeans_dist2_scalar does.
 */
#include <stdbool.h>
#include <stddef.h>
#include "analysis/kmeans.h"
#include "analysis/kmeans_avx2.h"

#if defined(__x86_64__)
#include <immintrin.h>

bool kmeans_cpu_avx2(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}

__attribute__((target("avx2"))) double kmeans_dist2_avx2(const double *a, const double *b,
							 size_t stride)
{
	__m256d acc = _mm256_setzero_pd();
	__m128d s;

	for (size_t i = 0; i < stride; i += KMEANS_LANES) {
		__m256d d = _mm256_sub_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i));

		acc = _mm256_add_pd(acc, _mm256_mul_pd(d, d));
	}
	s = _mm_add_pd(_mm256_castpd256_pd128(acc), _mm256_extractf128_pd(acc, 1));
	return _mm_cvtsd_f64(s) + _mm_cvtsd_f64(_mm_unpackhi_pd(s, s));
}

__attribute__((target("avx2"))) void kmeans_add_avx2(double *dst, const double *src, size_t stride)
{
	for (size_t i = 0; i < stride; i += KMEANS_LANES)
		_mm256_storeu_pd(dst + i,
				 _mm256_add_pd(_mm256_loadu_pd(dst + i), _mm256_loadu_pd(src + i)));
}

#else

bool kmeans_cpu_avx2(void)
{
	return false;
}

double kmeans_dist2_avx2(const double *a, const double *b, size_t stride)
{
	return kmeans_dist2_scalar(a, b, stride);
}

void kmeans_add_avx2(double *dst, const double *src, size_t stride)
{
	kmeans_add_scalar(dst, src, stride);
}

#endif
