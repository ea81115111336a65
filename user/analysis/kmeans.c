// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* k-means: k-means++ seeding, Lloyd iterations, restarts, silhouettes (see kmeans.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/kmeans.h"

/* splitmix64: small, and the same sequence on every machine. */
static __u64 rng_next(__u64 *s)
{
	__u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rng_unif(__u64 *s)
{
	return (rng_next(s) >> 11) * 0x1p-53;
}

void kmeans_result__free(struct kmeans_result *res)
{
	free(res->label);
	free(res->centroid);
	free(res->size);
	memset(res, 0, sizeof(*res));
}

static int result_alloc(struct kmeans_result *res, size_t n, size_t stride, unsigned int k)
{
	memset(res, 0, sizeof(*res));
	res->k = k;
	res->label = calloc(n, sizeof(*res->label));
	res->centroid = calloc((size_t)k * stride, sizeof(*res->centroid));
	res->size = calloc(k, sizeof(*res->size));
	if (res->label && res->centroid && res->size)
		return 0;
	kmeans_result__free(res);
	return -ENOMEM;
}

/* k-means++: each next centre is a point drawn with probability proportional to d^2. */
static void seed_centres(const double *x, size_t n, size_t stride, unsigned int k, __u64 *rng,
			 double *c, double *d2)
{
	size_t first = rng_next(rng) % n;

	memcpy(c, x + first * stride, stride * sizeof(*c));
	for (size_t i = 0; i < n; i++)
		d2[i] = kmeans_dist2(x + i * stride, c, stride);
	for (unsigned int j = 1; j < k; j++) {
		double sum = 0, u, run = 0;
		size_t pick = n - 1;

		for (size_t i = 0; i < n; i++)
			sum += d2[i];
		u = rng_unif(rng) * sum;
		for (size_t i = 0; i < n; i++) {
			run += d2[i];
			if (d2[i] > 0 && run > u) {
				pick = i;
				break;
			}
		}
		memcpy(c + j * stride, x + pick * stride, stride * sizeof(*c));
		for (size_t i = 0; i < n; i++) {
			double d = kmeans_dist2(x + i * stride, c + j * stride, stride);

			if (d < d2[i])
				d2[i] = d;
		}
	}
}

/* The nearest centre; the lowest index on a tie. */
static unsigned int nearest(const double *p, const double *c, size_t stride, unsigned int k,
			    double *dist)
{
	unsigned int best = 0;
	double bd = kmeans_dist2(p, c, stride);

	for (unsigned int j = 1; j < k; j++) {
		double d = kmeans_dist2(p, c + j * stride, stride);

		if (d < bd) {
			bd = d;
			best = j;
		}
	}
	*dist = bd;
	return best;
}

/* Centres as the means of their points; an emptied centre takes the farthest point. */
static void update_centres(const double *x, size_t n, size_t stride, struct kmeans_result *r,
			   const double *d2)
{
	unsigned int k = r->k;

	memset(r->centroid, 0, (size_t)k * stride * sizeof(double));
	memset(r->size, 0, k * sizeof(*r->size));
	for (size_t i = 0; i < n; i++) {
		kmeans_add(r->centroid + r->label[i] * stride, x + i * stride, stride);
		r->size[r->label[i]]++;
	}
	for (unsigned int j = 0; j < k; j++) {
		size_t far = 0;

		if (r->size[j]) {
			for (size_t e = 0; e < stride; e++)
				r->centroid[j * stride + e] /= r->size[j];
			continue;
		}
		for (size_t i = 1; i < n; i++)
			if (d2[i] > d2[far])
				far = i;
		memcpy(r->centroid + j * stride, x + far * stride, stride * sizeof(double));
	}
}

/* One seeding and Lloyd's iterations until no point moves. */
static void lloyd(const double *x, size_t n, size_t stride, __u64 seed, struct kmeans_result *r,
		  double *d2)
{
	__u64 rng = seed;
	bool moved = true;

	seed_centres(x, n, stride, r->k, &rng, r->centroid, d2);
	for (size_t i = 0; i < n; i++)
		r->label[i] = nearest(x + i * stride, r->centroid, stride, r->k, &d2[i]);
	for (r->iterations = 1; moved && r->iterations < KMEANS_MAX_ITER; r->iterations++) {
		update_centres(x, n, stride, r, d2);
		moved = false;
		for (size_t i = 0; i < n; i++) {
			unsigned int l = nearest(x + i * stride, r->centroid, stride, r->k, &d2[i]);

			moved |= l != r->label[i];
			r->label[i] = l;
		}
	}
	update_centres(x, n, stride, r, d2);
	r->inertia = 0;
	for (size_t i = 0; i < n; i++)
		r->inertia +=
		    kmeans_dist2(x + i * stride, r->centroid + r->label[i] * stride, stride);
}

/* Clusters numbered in the order their first point appears, so output does not depend on
 * which seed found them. */
static void canonical(struct kmeans_result *r, size_t n, size_t stride, double *tmp)
{
	unsigned int map[KMEANS_MAX_K], next = 0, size[KMEANS_MAX_K];

	for (unsigned int j = 0; j < r->k; j++)
		map[j] = r->k;
	for (size_t i = 0; i < n; i++)
		if (map[r->label[i]] == r->k)
			map[r->label[i]] = next++;
	for (unsigned int j = 0; j < r->k; j++)
		if (map[j] == r->k)
			map[j] = next++;
	memcpy(tmp, r->centroid, (size_t)r->k * stride * sizeof(double));
	memcpy(size, r->size, r->k * sizeof(*size));
	for (unsigned int j = 0; j < r->k; j++) {
		memcpy(r->centroid + map[j] * stride, tmp + j * stride, stride * sizeof(double));
		r->size[map[j]] = size[j];
	}
	for (size_t i = 0; i < n; i++)
		r->label[i] = map[r->label[i]];
}

/* kmeans_run without the silhouette. */
static int fit(const double *x, size_t n, size_t stride, unsigned int k, __u64 seed,
	       struct kmeans_result *res)
{
	struct kmeans_result cur;
	double *d2, *tmp;
	int err;

	if (!k || k > KMEANS_MAX_K || k > n || stride % KMEANS_LANES)
		return -EINVAL;
	err = result_alloc(res, n, stride, k);
	if (err)
		return err;
	err = result_alloc(&cur, n, stride, k);
	d2 = malloc(n * sizeof(*d2));
	tmp = malloc((size_t)k * stride * sizeof(*tmp));
	if (err || !d2 || !tmp) {
		err = -ENOMEM;
		goto cleanup;
	}
	res->inertia = INFINITY;
	for (unsigned int r = 0; r < KMEANS_RESTARTS; r++) {
		lloyd(x, n, stride, seed + r * 0x632be59bd9b4e019ULL, &cur, d2);
		if (cur.inertia < res->inertia) {
			struct kmeans_result t = *res;

			*res = cur;
			cur = t;
		}
	}
	canonical(res, n, stride, tmp);
cleanup:
	kmeans_result__free(&cur);
	free(d2);
	free(tmp);
	if (err)
		kmeans_result__free(res);
	return err;
}

/* Distance of points i and j: from the matrix when there is one. */
static double dist(const double *x, const double *dm, size_t n, size_t stride, size_t i, size_t j)
{
	if (dm)
		return dm[i * n + j];
	return sqrt(kmeans_dist2(x + i * stride, x + j * stride, stride));
}

static double silhouette(const double *x, const double *dm, size_t n, size_t stride,
			 const unsigned int *label, unsigned int k)
{
	double sum[KMEANS_MAX_K], total = 0;
	size_t cnt[KMEANS_MAX_K] = { 0 };

	for (size_t i = 0; i < n; i++)
		cnt[label[i]]++;
	for (size_t i = 0; i < n; i++) {
		double a, b = INFINITY, m;

		if (cnt[label[i]] < 2)
			continue; /* alone in its cluster: 0 */
		memset(sum, 0, sizeof(sum));
		for (size_t j = 0; j < n; j++)
			if (j != i)
				sum[label[j]] += dist(x, dm, n, stride, i, j);
		a = sum[label[i]] / (cnt[label[i]] - 1);
		for (unsigned int c = 0; c < k; c++)
			if (c != label[i] && cnt[c] && sum[c] / cnt[c] < b)
				b = sum[c] / cnt[c];
		m = fmax(a, b);
		if (isfinite(b) && m > 0)
			total += (b - a) / m;
	}
	return total / n;
}

int kmeans_silhouette(const double *x, size_t n, size_t stride, const unsigned int *label,
		      unsigned int k, double *out)
{
	if (k < 2 || k > KMEANS_MAX_K || !n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (label[i] >= k)
			return -EINVAL;
	*out = silhouette(x, NULL, n, stride, label, k);
	return 0;
}

int kmeans_run(const double *x, size_t n, size_t stride, unsigned int k, __u64 seed,
	       struct kmeans_result *res)
{
	int err = fit(x, n, stride, k, seed, res);

	if (!err && k > 1)
		res->silhouette = silhouette(x, NULL, n, stride, res->label, k);
	return err;
}

/* Point distances, once for every K that auto tries; NULL (computed as needed) when large. */
#define MATRIX_MAX_POINTS 2048

static double *distance_matrix(const double *x, size_t n, size_t stride)
{
	double *dm;

	if (n > MATRIX_MAX_POINTS)
		return NULL;
	dm = malloc(n * n * sizeof(*dm));
	if (!dm)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		dm[i * n + i] = 0;
		for (size_t j = i + 1; j < n; j++)
			dm[i * n + j] = dm[j * n + i] =
			    sqrt(kmeans_dist2(x + i * stride, x + j * stride, stride));
	}
	return dm;
}

int kmeans_auto(const double *x, size_t n, size_t stride, unsigned int kmax, __u64 seed,
		struct kmeans_result *res)
{
	struct kmeans_result cur;
	double *dm;
	int err = 0;

	if (n < 3)
		return -EINVAL;
	if (kmax > n - 1)
		kmax = n - 1;
	if (kmax > KMEANS_MAX_K)
		kmax = KMEANS_MAX_K;
	if (kmax < 2)
		return -EINVAL;
	dm = distance_matrix(x, n, stride);
	memset(res, 0, sizeof(*res));
	for (unsigned int k = 2; k <= kmax && !err; k++) {
		err = fit(x, n, stride, k, seed, &cur);
		if (err)
			break;
		cur.silhouette = silhouette(x, dm, n, stride, cur.label, k);
		if (!res->k || cur.silhouette > res->silhouette) {
			kmeans_result__free(res);
			*res = cur;
		} else {
			kmeans_result__free(&cur);
		}
	}
	free(dm);
	if (err)
		kmeans_result__free(res);
	return err;
}
