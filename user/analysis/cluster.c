// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --clusters: points from the groups of a profile, k-means, and what cannot be said. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/cluster_priv.h"

void clusters__free(struct clusters *c)
{
	if (!c)
		return;
	kmeans_result__free(&c->res);
	free(c->m);
	free(c->x);
	free(c->mean);
	free(c);
}

struct slot_time {
	__u16 slot;
	__u64 ns;
};

static int by_time(const void *pa, const void *pb)
{
	const struct slot_time *a = pa, *b = pb;

	if (a->ns != b->ns)
		return a->ns < b->ns ? 1 : -1;
	return a->slot - b->slot;
}

/* The dimensions: the syscalls with the most time over the points, the rest as "other". */
static int choose_syscalls(struct clusters *c, const struct group_summary *s, int *dim_of)
{
	struct slot_time *t = calloc(SYSRAY_NR_SLOTS, sizeof(*t));
	unsigned int n = 0;

	if (!t)
		return -ENOMEM;
	for (int i = 0; i < SYSRAY_NR_SLOTS; i++)
		t[i].slot = i;
	for (unsigned int p = 0; p < c->n; p++) {
		const struct group *g = s[c->m[p].summary].g;

		for (__u32 i = 0; i <= g->mask; i++)
			if (g->sc[i].key)
				t[g->sc[i].key - 1].ns += g->sc[i].st.total_ns;
	}
	qsort(t, SYSRAY_NR_SLOTS, sizeof(*t), by_time);
	for (int i = 0; i < SYSRAY_NR_SLOTS; i++)
		dim_of[i] = CLUSTER_MAX_SYSCALLS; /* "other" until chosen */
	while (n < CLUSTER_MAX_SYSCALLS && t[n].ns) {
		dim_of[t[n].slot] = n;
		c->slot[n] = t[n].slot;
		n++;
	}
	c->nsys = n;
	free(t);
	return 0;
}

/* The decade of a mean latency: < 1 us, < 10 us, < 100 us, < 1 ms, < 10 ms, longer. */
static int decade(double ns)
{
	int b = 0;

	for (double lim = 1000; b < CLUSTER_LAT_BINS - 1 && ns >= lim; lim *= 10)
		b++;
	return b;
}

static void point(struct clusters *c, const struct group *g, const int *dim_of, double *x)
{
	__u64 time = 0, timed = 0;

	for (__u32 i = 0; i <= g->mask; i++) {
		time += g->sc[i].key ? g->sc[i].st.total_ns : 0;
		timed += g->sc[i].key ? g->sc[i].st.timed : 0;
	}
	for (__u32 i = 0; i <= g->mask; i++) {
		const struct sc_stat *st = &g->sc[i].st;
		int d;

		if (!g->sc[i].key || !st->timed)
			continue;
		d = dim_of[g->sc[i].key - 1];
		/* "other" sits right after the chosen syscalls */
		x[d == CLUSTER_MAX_SYSCALLS ? c->nsys : (unsigned int)d] +=
		    (double)st->total_ns / time;
		x[c->nsys + 1 + decade((double)st->total_ns / st->timed)] +=
		    (double)st->timed / timed;
	}
}

/* The points: groups with enough calls and time, the busiest first, "(others)" aside. */
static int take_points(struct clusters *c, const struct group_summary *s, size_t n)
{
	c->m = calloc(n ? n : 1, sizeof(*c->m));
	if (!c->m)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct group *g = s[i].g;

		if (g->id == GROUP_OTHERS_ID || s[i].calls < CLUSTER_MIN_CALLS || !s[i].total_ns) {
			c->small += g->id != GROUP_OTHERS_ID;
			continue;
		}
		if (c->n == CLUSTER_MAX_POINTS) {
			c->left_out++;
			continue;
		}
		c->m[c->n] = (struct cluster_member){ .summary = i, .pid = g->tgid, .tid = g->id };
		memcpy(c->m[c->n].comm, g->comm, sizeof(c->m[c->n].comm));
		c->n++;
	}
	return 0;
}

static int fit(struct clusters *c, int k)
{
	unsigned int kmax = c->n / 2 < CLUSTER_AUTO_KMAX ? c->n / 2 : CLUSTER_AUTO_KMAX;
	int err;

	c->auto_k = !k;
	if (c->n < 4 || (k && c->n < 2 * (unsigned int)k) || (!k && kmax < 2)) {
		c->status = CLUSTERS_TOO_FEW;
		c->need = k ? 2 * k : 4;
		return 0;
	}
	err = k ? kmeans_run(c->x, c->n, c->stride, k, KMEANS_SEED, &c->res)
		: kmeans_auto(c->x, c->n, c->stride, kmax, KMEANS_SEED, &c->res);
	if (err)
		return err;
	if (!k && c->res.silhouette < CLUSTER_MIN_SILHOUETTE)
		c->status = CLUSTERS_NO_STRUCTURE;
	return 0;
}

int clusters__compute(const struct groups *g, int k, struct clusters **out)
{
	struct group_summary *s = NULL;
	struct clusters *c = calloc(1, sizeof(*c));
	int dim_of[SYSRAY_NR_SLOTS], err;
	size_t n = 0;

	if (!c)
		return -ENOMEM;
	c->threads = groups__by(g) == GROUP_THREAD;
	err = groups__summaries(g, 0, &s, &n);
	if (!err)
		err = take_points(c, s, n);
	if (!err)
		err = choose_syscalls(c, s, dim_of);
	if (err)
		goto cleanup;
	c->dim = c->nsys + 1 + CLUSTER_LAT_BINS;
	c->stride = kmeans_stride(c->dim);
	c->x = calloc((size_t)(c->n ? c->n : 1) * c->stride, sizeof(*c->x));
	c->mean = calloc(c->stride, sizeof(*c->mean));
	if (!c->x || !c->mean) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (unsigned int p = 0; p < c->n; p++) {
		point(c, s[c->m[p].summary].g, dim_of, c->x + (size_t)p * c->stride);
		for (unsigned int d = 0; d < c->dim; d++)
			c->mean[d] += c->x[(size_t)p * c->stride + d] / c->n;
	}
	err = fit(c, k);
cleanup:
	free(s);
	if (err) {
		clusters__free(c);
		return err;
	}
	*out = c;
	return 0;
}
