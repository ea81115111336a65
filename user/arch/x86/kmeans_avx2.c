// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * k-means kernels for AVX2 (user/analysis/kmeans_vec.c chooses them at run time through
 * arch_vec), built for it with a target attribute so the rest of the binary stays baseline
 * x86-64. Multiply then add (no FMA: the scalar path rounds the product first), one partial
 * sum per lane, lanes summed as (l0 + l2) + (l1 + l3): exactly what the scalar code does.
 */
#include <immintrin.h>
#include "arch.h"
#include "avx2.h"

__attribute__((target("avx2"))) double arch_kmeans_dist2_avx2(const double *a, const double *b,
							      size_t stride)
{
	__m256d acc = _mm256_setzero_pd();
	__m128d s;

	for (size_t i = 0; i < stride; i += 4) {
		__m256d d = _mm256_sub_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i));

		acc = _mm256_add_pd(acc, _mm256_mul_pd(d, d));
	}
	s = _mm_add_pd(_mm256_castpd256_pd128(acc), _mm256_extractf128_pd(acc, 1));
	return _mm_cvtsd_f64(s) + _mm_cvtsd_f64(_mm_unpackhi_pd(s, s));
}

__attribute__((target("avx2"))) void arch_kmeans_add_avx2(double *dst, const double *src,
							  size_t stride)
{
	for (size_t i = 0; i < stride; i += 4)
		_mm256_storeu_pd(dst + i,
				 _mm256_add_pd(_mm256_loadu_pd(dst + i), _mm256_loadu_pd(src + i)));
}
