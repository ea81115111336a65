/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The AVX2 kernels of user/arch/x86/, gathered into arch_vec by hist_avx2.c. */
#ifndef SYSRAY_ARCH_X86_AVX2_H
#define SYSRAY_ARCH_X86_AVX2_H

#include <stddef.h>

double arch_kmeans_dist2_avx2(const double *a, const double *b, size_t stride);
void arch_kmeans_add_avx2(double *dst, const double *src, size_t stride);

#endif /* SYSRAY_ARCH_X86_AVX2_H */
