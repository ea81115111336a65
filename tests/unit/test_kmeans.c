// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of k-means (user/analysis/kmeans*.c) against cases computed by hand. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/kmeans.h"

/* n points of dim coordinates into rows of kmeans_stride(dim), zero-padded. */
static double *rows(const double *pts, size_t n, size_t dim)
{
	size_t stride = kmeans_stride(dim);
	double *x = calloc(n * stride, sizeof(*x));

	cr_assert_not_null(x);
	for (size_t i = 0; i < n; i++)
		memcpy(x + i * stride, pts + i * dim, dim * sizeof(*x));
	return x;
}

/*
 * 0, 1, 10, 11 in two clusters: {0, 1} and {10, 11}, centres 0.5 and 10.5, inertia
 * 4 x 0.5^2 = 1. Silhouettes: point 0 has a = 1 and b = (10 + 11) / 2 = 10.5, so
 * s = 9.5 / 10.5; point 1 has a = 1, b = (9 + 10) / 2 = 9.5, s = 8.5 / 9.5; 10 and 11 mirror
 * them. The mean is (9.5 / 10.5 + 8.5 / 9.5) / 2 = 0.899749...
 */
Test(kmeans, two_pairs_on_a_line)
{
	const double pts[] = { 0, 1, 10, 11 };
	double *x = rows(pts, 4, 1), s;
	struct kmeans_result r;

	cr_assert_eq(kmeans_run(x, 4, kmeans_stride(1), 2, KMEANS_SEED, &r), 0);
	cr_expect_eq(r.k, 2);
	/* clusters are numbered in the order of their first point */
	cr_expect(r.label[0] == 0 && r.label[1] == 0 && r.label[2] == 1 && r.label[3] == 1);
	cr_expect_eq(r.centroid[0], 0.5);
	cr_expect_eq(r.centroid[kmeans_stride(1)], 10.5);
	cr_expect(r.size[0] == 2 && r.size[1] == 2);
	cr_expect_float_eq(r.inertia, 1.0, 1e-12);
	cr_expect_float_eq(r.silhouette, (9.5 / 10.5 + 8.5 / 9.5) / 2, 1e-12);
	cr_assert_eq(kmeans_silhouette(x, 4, kmeans_stride(1), r.label, 2, &s), 0);
	cr_expect_eq(s, r.silhouette);
	kmeans_result__free(&r);
	free(x);
}

/*
 * The corners of a 4 x 2 rectangle: left and right pairs cost 4 x 1^2 = 4, top and bottom
 * pairs 4 x 2^2 = 16; the restarts must find the first.
 */
Test(kmeans, rectangle_splits_along_its_long_side)
{
	const double pts[] = { 0, 0, 4, 0, 0, 2, 4, 2 };
	double *x = rows(pts, 4, 2);
	struct kmeans_result r;
	size_t st = kmeans_stride(2);

	cr_assert_eq(kmeans_run(x, 4, st, 2, 7, &r), 0);
	cr_expect_float_eq(r.inertia, 4.0, 1e-12);
	cr_expect(r.label[0] == r.label[2] && r.label[1] == r.label[3] && r.label[0] != r.label[1]);
	cr_expect_eq(r.centroid[0], 0);
	cr_expect_eq(r.centroid[1], 1);
	cr_expect_eq(r.centroid[st], 4);
	cr_expect_eq(r.centroid[st + 1], 1);
	kmeans_result__free(&r);
	free(x);
}

/* Three tight blobs far apart: auto picks K = 3 and puts each blob in one cluster. */
Test(kmeans, auto_finds_three_blobs)
{
	double pts[30 * 3];
	struct kmeans_result r;
	double *x;

	for (int i = 0; i < 30; i++) {
		int b = i % 3;

		pts[i * 3 + 0] = b * 10 + (i % 5) * 0.1;
		pts[i * 3 + 1] = (b == 1) * 10 + (i % 7) * 0.1;
		pts[i * 3 + 2] = (i % 4) * 0.1;
	}
	x = rows(pts, 30, 3);
	cr_assert_eq(kmeans_auto(x, 30, kmeans_stride(3), 8, KMEANS_SEED, &r), 0);
	cr_expect_eq(r.k, 3, "K = %u, silhouette %g", r.k, r.silhouette);
	for (int i = 3; i < 30; i++)
		cr_expect_eq(r.label[i], r.label[i % 3], "point %d", i);
	cr_expect(r.silhouette > 0.9, "%g", r.silhouette);
	kmeans_result__free(&r);
	free(x);
}

Test(kmeans, rejects_bad_input)
{
	const double pts[] = { 0, 1 };
	double *x = rows(pts, 2, 1), s;
	unsigned int label[2] = { 0, 5 };
	struct kmeans_result r;

	cr_expect_eq(kmeans_run(x, 2, 4, 3, 1, &r), -EINVAL);
	cr_expect_eq(kmeans_run(x, 2, 4, 0, 1, &r), -EINVAL);
	cr_expect_eq(kmeans_run(x, 2, 3, 1, 1, &r), -EINVAL);
	cr_expect_eq(kmeans_auto(x, 2, 4, 8, 1, &r), -EINVAL);
	cr_expect_eq(kmeans_silhouette(x, 2, 4, label, 2, &s), -EINVAL);
	free(x);
}

/* Identical points: every run agrees, the silhouette is 0 rather than NaN. */
Test(kmeans, identical_points)
{
	const double pts[] = { 3, 3, 3, 3, 3 };
	double *x = rows(pts, 5, 1);
	struct kmeans_result r;

	cr_assert_eq(kmeans_run(x, 5, 4, 2, 1, &r), 0);
	cr_expect_eq(r.inertia, 0);
	cr_expect_eq(r.silhouette, 0);
	kmeans_result__free(&r);
	free(x);
}

static __u64 rng = 0x1234;

static double unif(void)
{
	__u64 z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return ((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

/* Bit-identical: the kernels on random rows of awkward sizes, then a whole clustering. */
Test(kmeans, simd_matches_scalar)
{
	size_t dim = 37, st = kmeans_stride(dim), n = 300;
	double *x = calloc(n * st, sizeof(*x)), acc1[40], acc2[40];
	struct kmeans_result a, b;

	if (!__builtin_cpu_supports("avx2"))
		cr_skip_test("CPU lacks AVX2");
	cr_assert_not_null(x);
	for (size_t i = 0; i < n; i++)
		for (size_t d = 0; d < dim; d++)
			x[i * st + d] = (i % 4) * 1000.0 + unif() * (d % 3 ? 1e-3 : 10);
	cr_assert_eq(kmeans_simd_set(true), 0);
	cr_assert(kmeans_simd_active());
	for (size_t i = 0; i + 1 < n; i++) {
		double s = kmeans_dist2(x + i * st, x + (i + 1) * st, st);
		double c = kmeans_dist2_scalar(x + i * st, x + (i + 1) * st, st);

		cr_assert_eq(memcmp(&s, &c, sizeof(s)), 0, "row %zu: %a vs %a", i, s, c);
		memcpy(acc1, x + i * st, sizeof(acc1));
		memcpy(acc2, x + i * st, sizeof(acc2));
		kmeans_add(acc1, x + (i + 1) * st, st);
		kmeans_add_scalar(acc2, x + (i + 1) * st, st);
		cr_assert_eq(memcmp(acc1, acc2, sizeof(acc1)), 0);
	}
	cr_assert_eq(kmeans_auto(x, n, st, 8, KMEANS_SEED, &a), 0);
	cr_assert_eq(kmeans_simd_set(false), 0);
	cr_assert_not(kmeans_simd_active());
	cr_assert_eq(kmeans_auto(x, n, st, 8, KMEANS_SEED, &b), 0);
	cr_expect_eq(a.k, b.k);
	cr_expect_eq(memcmp(a.label, b.label, n * sizeof(*a.label)), 0);
	cr_expect_eq(memcmp(a.centroid, b.centroid, a.k * st * sizeof(double)), 0);
	cr_expect_eq(memcmp(&a.inertia, &b.inertia, sizeof(double)), 0);
	cr_expect_eq(memcmp(&a.silhouette, &b.silhouette, sizeof(double)), 0);
	cr_expect_eq(a.k, 4, "four bands of points: K = %u", a.k);
	kmeans_result__free(&a);
	kmeans_result__free(&b);
	free(x);
}
