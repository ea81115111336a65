// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Anomaly detector: the robust statistics of a window of interval summaries. */
#include <math.h>
#include <string.h>
#include "anomaly/anomaly_priv.h"

/* k-th smallest of v[0..n-1] (Hoare partitioning); leaves v[k+1..] >= the result. */
static float select_k(float *v, int n, int k)
{
	int lo = 0, hi = n - 1;

	while (lo < hi) {
		float pivot = v[lo + (hi - lo) / 2];
		int i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				float t = v[i];

				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

static double median(float *v, int n)
{
	float lo = select_k(v, n, (n - 1) / 2), hi = lo;

	if (n % 2 == 0) {
		hi = v[n / 2];
		for (int i = n / 2 + 1; i < n; i++)
			hi = v[i] < hi ? v[i] : hi;
	}
	return ((double)lo + hi) / 2;
}

/*
 * Median, and a scale that is the larger of 1.4826 MAD and the upper semi-spread
 * (q95 - median) / 1.645: both estimate sigma for normal data, but the second grows with a
 * heavy right tail that MAD ignores, and only upward moves are alarms.
 */
void sig_stats(struct anomaly *a, const float *col, int stride, int n, struct sstat *st)
{
	float *v = a->scratch;
	double q95, mad;

	for (int i = 0; i < n; i++)
		v[i] = col[i * stride];
	st->med = median(v, n);
	q95 = select_k(v, n, (int)ceil(0.95 * n) - 1);
	for (int i = 0; i < n; i++)
		v[i] = fabsf(v[i] - (float)st->med);
	mad = median(v, n);
	st->scale = fmax(1.4826 * mad, (q95 - st->med) / 1.645);
}

/*
 * A spread needs more samples than a level.  The scale used is never below a slow average of
 * past scales (a running mean, then an EWMA over SCALE_MEMORY windows), so a window that
 * happens to look calm does not turn noise into alarms; and it is widened by 1 + 3 / n for
 * the uncertainty of a scale taken from only n intervals, as a Student t would be.
 */
double mem_scale(const struct anomaly *a, const struct kstate *ks, struct scale_mem *m,
		 double scale)
{
	if (!ks->firing) {
		if (m->n < SCALE_MEMORY * a->o.window)
			m->n++;
		m->scale += (scale - m->scale) / m->n;
	}
	return fmax(scale, m->scale) * (1 + 3.0 / ks->count);
}

void ring_push(struct anomaly *a, struct kstate *ks, float *ring, int cols, const float *x)
{
	memcpy(ring + (size_t)ks->head * cols, x, cols * sizeof(*x));
	ks->head = (ks->head + 1) % a->o.window;
	if (ks->count < a->o.window)
		ks->count++;
}

double scaled_z(double x, const struct sstat *st, double min_scale)
{
	return (x - st->med) / fmax(st->scale, min_scale);
}
