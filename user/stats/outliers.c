// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats/outliers.h"

struct dev {
	double d; /* |ln x - ln median| */
	__u64 count;
};

struct collect {
	const struct hist *h;
	double lmed;
	struct dev *v;
	size_t n;
	struct hist_outliers *out;
};

/* A bucket's calls are at its midpoint, within the exact min and max. */
static double rep_log(const struct hist *h, unsigned int idx)
{
	double x = (double)hist_bucket_mid(idx);

	if (x < (double)hist__min(h))
		x = (double)hist__min(h);
	if (x > (double)hist__max(h))
		x = (double)hist__max(h);
	return log(x < 1 ? 1 : x);
}

static int take(unsigned int idx, __u64 lo, __u64 hi, __u64 count, void *ctx)
{
	struct collect *c = ctx;

	(void)lo, (void)hi;
	c->v[c->n].d = fabs(rep_log(c->h, idx) - c->lmed);
	c->v[c->n].count = count;
	c->n++;
	return 0;
}

static int dev_cmp(const void *pa, const void *pb)
{
	const struct dev *a = pa, *b = pb;

	return a->d < b->d ? -1 : a->d > b->d;
}

static int count_above(unsigned int idx, __u64 lo, __u64 hi, __u64 count, void *ctx)
{
	struct collect *c = ctx;
	struct hist_outliers *o = c->out;

	(void)lo, (void)hi;
	if ((rep_log(c->h, idx) - c->lmed) / o->scale > OUTLIER_CUT)
		o->count += count;
	return 0;
}

int hist_outliers(const struct hist *h, struct hist_outliers *out)
{
	__u64 n = hist__count(h), rank, run = 0;
	struct collect c = { .h = h, .out = out };
	double mad = 0, med;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	med = (double)hist__percentile(h, 50);
	c.lmed = log(med < 1 ? 1 : med);
	c.v = malloc(HIST_NR_BUCKETS * sizeof(*c.v));
	if (!c.v)
		return -ENOMEM;
	hist__for_each_bucket(h, take, &c);
	qsort(c.v, c.n, sizeof(*c.v), dev_cmp);
	/* The MAD: the deviation of nearest rank ceil(n / 2). */
	rank = (n + 1) / 2;
	for (i = 0; i < c.n; i++) {
		run += c.v[i].count;
		if (run >= rank) {
			mad = c.v[i].d;
			break;
		}
	}
	free(c.v);
	out->scale = fmax(1.4826 * mad, OUTLIER_MIN_SCALE);
	out->limit_ns = (__u64)(exp(c.lmed + OUTLIER_CUT * out->scale));
	hist__for_each_bucket(h, count_above, &c);
	out->share = (double)out->count / n;
	return 0;
}
