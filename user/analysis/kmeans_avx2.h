/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The AVX2 kernels of k-means, apart so that they can move with the other x86 facts. On other
 * architectures kmeans_cpu_avx2() is false and the kernels are never called.
 */
#ifndef SYSRAY_ANALYSIS_KMEANS_AVX2_H
#define SYSRAY_ANALYSIS_KMEANS_AVX2_H

#include <stdbool.h>
#include <stddef.h>

bool kmeans_cpu_avx2(void);
double kmeans_dist2_avx2(const double *a, const double *b, size_t stride);
void kmeans_add_avx2(double *dst, const double *src, size_t stride);

#endif /* SYSRAY_ANALYSIS_KMEANS_AVX2_H */
