// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The k-means kernels and the choice between them: the architecture's (arch.h, AVX2 on x86)
 * when the CPU has them, else these. The scalar distance keeps one partial sum per vector
 * lane and adds them in the order the vector horizontal sum does, so both paths round
 * identically: (l0 + l2) + (l1 + l3).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/kmeans.h"
#include "arch.h"

/* -1: not probed yet, 0: scalar, 1: arch_vec. Races only store the same value. */
static int kmeans_simd_mode = -1;

static bool cpu_vec(void)
{
	return arch_vec.dist2 && arch_vec.available && arch_vec.available();
}

static int mode_get(void)
{
	int mode = __atomic_load_n(&kmeans_simd_mode, __ATOMIC_RELAXED);
	const char *env;

	if (mode >= 0)
		return mode;
	env = getenv("SYSRAY_NO_SIMD");
	mode = cpu_vec() && !(env && *env && strcmp(env, "0"));
	__atomic_store_n(&kmeans_simd_mode, mode, __ATOMIC_RELAXED);
	return mode;
}

int kmeans_simd_set(bool on)
{
	if (on && !cpu_vec())
		return -ENOTSUP;
	__atomic_store_n(&kmeans_simd_mode, on, __ATOMIC_RELAXED);
	return 0;
}

bool kmeans_simd_active(void)
{
	return mode_get() == 1;
}

double kmeans_dist2_scalar(const double *a, const double *b, size_t stride)
{
	double acc[KMEANS_LANES] = { 0 };

	for (size_t i = 0; i < stride; i += KMEANS_LANES) {
		for (int l = 0; l < KMEANS_LANES; l++) {
			double d = a[i + l] - b[i + l];

			acc[l] += d * d;
		}
	}
	return (acc[0] + acc[2]) + (acc[1] + acc[3]);
}

void kmeans_add_scalar(double *dst, const double *src, size_t stride)
{
	for (size_t i = 0; i < stride; i++)
		dst[i] += src[i];
}

double kmeans_dist2(const double *a, const double *b, size_t stride)
{
	if (mode_get() == 1)
		return arch_vec.dist2(a, b, stride);
	return kmeans_dist2_scalar(a, b, stride);
}

void kmeans_add(double *dst, const double *src, size_t stride)
{
	if (mode_get() == 1)
		arch_vec.fadd(dst, src, stride);
	else
		kmeans_add_scalar(dst, src, stride);
}
