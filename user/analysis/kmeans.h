/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * k-means over points of a few dozen dimensions (docs/analysis.md): k-means++ seeding from a
 * fixed seed, so a run gives the same clusters every time; several restarts, the one with the
 * least inertia kept; `auto` picks K by the mean silhouette. Points are rows of `stride`
 * doubles (kmeans_stride(dim): the dimension rounded up to the vector width, padded with
 * zeros). The distance and centroid loops run on AVX2 when the CPU has it, and on scalar code
 * that adds in the same order otherwise, so both give bit-identical results.
 */
#ifndef SYSRAY_ANALYSIS_KMEANS_H
#define SYSRAY_ANALYSIS_KMEANS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define KMEANS_LANES	4 /* doubles per vector: the distance sums keep one partial per lane */
#define KMEANS_MAX_K	16
#define KMEANS_SEED	0x5157a7c0ffee1234ULL
#define KMEANS_RESTARTS 8
#define KMEANS_MAX_ITER 100

static inline size_t kmeans_stride(size_t dim)
{
	return (dim + KMEANS_LANES - 1) / KMEANS_LANES * KMEANS_LANES;
}

struct kmeans_result {
	unsigned int k;
	unsigned int *label; /* n: the cluster of each point */
	double *centroid;    /* k x stride */
	unsigned int *size;  /* k */
	double inertia;	     /* sum of squared distances to the centroids */
	double silhouette;   /* mean silhouette of the points, in [-1, 1] */
	unsigned int iterations;
};

/*
 * k clusters of the n points x (n x stride); k <= KMEANS_MAX_K and k <= n. The result is
 * allocated in res (kmeans_result__free). 0, -EINVAL or -ENOMEM.
 */
int kmeans_run(const double *x, size_t n, size_t stride, unsigned int k, __u64 seed,
	       struct kmeans_result *res);
/*
 * K from 2 to min(kmax, n - 1) with the best mean silhouette (the smallest K on a tie).
 * -EINVAL with fewer than 3 points.
 */
int kmeans_auto(const double *x, size_t n, size_t stride, unsigned int kmax, __u64 seed,
		struct kmeans_result *res);
void kmeans_result__free(struct kmeans_result *res);

/*
 * Mean silhouette of a labelling: for each point, a = mean distance to the rest of its
 * cluster, b = the least mean distance to another cluster, s = (b - a) / max(a, b); 0 for a
 * point alone in its cluster. -EINVAL below 2 clusters.
 */
int kmeans_silhouette(const double *x, size_t n, size_t stride, const unsigned int *label,
		      unsigned int k, double *out);

/*
 * The vector kernels (kmeans_vec.c; AVX2 in user/arch/x86/). SYSRAY_NO_SIMD=1 in the
 * environment, or kmeans_simd_set(false), forces the scalar path; kmeans_simd_set(true)
 * fails with -ENOTSUP without AVX2.
 */
int kmeans_simd_set(bool on);
bool kmeans_simd_active(void);
/* Squared Euclidean distance of two rows of stride doubles (stride % KMEANS_LANES == 0). */
double kmeans_dist2(const double *a, const double *b, size_t stride);
/* dst[i] += src[i] for a row. */
void kmeans_add(double *dst, const double *src, size_t stride);
/* The scalar kernels themselves, for tests that compare both paths. */
double kmeans_dist2_scalar(const double *a, const double *b, size_t stride);
void kmeans_add_scalar(double *dst, const double *src, size_t stride);

#endif /* SYSRAY_ANALYSIS_KMEANS_H */
