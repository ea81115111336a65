// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Per-window series and their Pearson coefficients (see correlate.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/correlate.h"

struct series {
	enum corr_kind kind;
	__u64 id;
	char name[CORR_NAME_MAX];
	float *v;  /* CORR_MAX_WINDOWS values, a ring indexed by window % CORR_MAX_WINDOWS */
	bool blip; /* active in fewer than CORR_MIN_ACTIVE windows */
};

struct corr {
	double window_s;
	unsigned int total; /* windows started */
	struct series *s;   /* CORR_MAX_SERIES */
	unsigned int n;	    /* series */
	unsigned int left_out;
	double *r; /* n x n of the last compute */
	unsigned int r_n;
	struct corr_result res;
};

double corr_pearson(const float *x, const float *y, size_t len, size_t *used)
{
	double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i]))
			continue;
		mx += x[i];
		my += y[i];
		n++;
	}
	*used = n;
	if (n < 2)
		return NAN;
	mx /= n;
	my /= n;
	/* Two passes: the sums of products of deviations do not cancel catastrophically. */
	for (size_t i = 0; i < len; i++) {
		double dx, dy;

		if (!isfinite(x[i]) || !isfinite(y[i]))
			continue;
		dx = x[i] - mx;
		dy = y[i] - my;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	if (sxx <= 0 || syy <= 0)
		return NAN;
	return fmax(-1, fmin(1, sxy / sqrt(sxx * syy)));
}

int corr__new(double window_s, struct corr **out)
{
	struct corr *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->s = calloc(CORR_MAX_SERIES, sizeof(*c->s));
	if (!c->s) {
		free(c);
		return -ENOMEM;
	}
	c->window_s = window_s;
	*out = c;
	return 0;
}

void corr__free(struct corr *c)
{
	if (!c)
		return;
	for (unsigned int i = 0; i < c->n; i++)
		free(c->s[i].v);
	free(c->s);
	free(c->r);
	free(c);
}

static float default_of(enum corr_kind k)
{
	return k == CORR_P99 ? NAN : 0;
}

int corr__next_window(struct corr *c)
{
	unsigned int slot = c->total % CORR_MAX_WINDOWS;

	c->total++;
	for (unsigned int i = 0; i < c->n; i++)
		c->s[i].v[slot] = default_of(c->s[i].kind);
	return 0;
}

static struct series *series_get(struct corr *c, enum corr_kind kind, __u64 id, const char *name)
{
	struct series *s;

	for (unsigned int i = 0; i < c->n; i++)
		if (c->s[i].kind == kind && c->s[i].id == id)
			return &c->s[i];
	if (c->n == CORR_MAX_SERIES) {
		c->left_out++;
		return NULL;
	}
	s = &c->s[c->n];
	s->v = malloc(CORR_MAX_WINDOWS * sizeof(*s->v));
	if (!s->v)
		return NULL;
	/* Before its first value: no calls, no p99. */
	for (unsigned int w = 0; w < CORR_MAX_WINDOWS; w++)
		s->v[w] = default_of(kind);
	s->kind = kind;
	s->id = id;
	snprintf(s->name, sizeof(s->name), "%s", name);
	c->n++;
	return s;
}

int corr__set(struct corr *c, enum corr_kind kind, __u64 id, const char *name, double v)
{
	struct series *s;

	if (!c->total)
		return -EINVAL;
	s = series_get(c, kind, id, name);
	if (!s)
		return c->n == CORR_MAX_SERIES ? 0 : -ENOMEM;
	s->v[(c->total - 1) % CORR_MAX_WINDOWS] = v;
	return 0;
}

/* Insert p into the list of the strongest (by |r|, then by first series), at most CORR_TOP. */
static void rank(struct corr_pair *list, unsigned int *n, const struct corr_pair *p)
{
	unsigned int j = *n;

	while (j > 0 && fabs(p->r) > fabs(list[j - 1].r)) {
		if (j < CORR_TOP)
			list[j] = list[j - 1];
		j--;
	}
	if (j >= CORR_TOP)
		return;
	list[j] = *p;
	if (*n < CORR_TOP)
		(*n)++;
}

/* Windows where the series has calls (or a p99). */
static unsigned int active(const struct series *s, unsigned int w)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < w; i++)
		n += isfinite(s->v[i]) && s->v[i] != 0;
	return n;
}

int corr__compute(struct corr *c)
{
	unsigned int w = c->total < CORR_MAX_WINDOWS ? c->total : CORR_MAX_WINDOWS;
	struct corr_result *res = &c->res;

	free(c->r);
	c->r_n = 0;
	c->r = malloc((size_t)(c->n ? c->n : 1) * (c->n ? c->n : 1) * sizeof(*c->r));
	if (!c->r)
		return -ENOMEM;
	c->r_n = c->n;
	memset(res, 0, sizeof(*res));
	res->windows = w;
	res->total_windows = c->total;
	res->series = c->n;
	res->left_out = c->left_out;
	for (unsigned int a = 0; a < c->n; a++) {
		c->s[a].blip = active(&c->s[a], w) < CORR_MIN_ACTIVE;
		res->blips += c->s[a].blip;
	}
	for (unsigned int a = 0; a < c->n; a++) {
		c->r[a * c->n + a] = NAN;
		for (unsigned int b = a + 1; b < c->n; b++) {
			size_t used;
			struct corr_pair p = { .a = a, .b = b };

			/* A series seen in a window or two (start-up calls) would pair with
			 * every other one at r = 1: it says nothing about how they vary. */
			if (c->s[a].blip || c->s[b].blip) {
				c->r[a * c->n + b] = c->r[b * c->n + a] = NAN;
				continue;
			}
			p.r = corr_pearson(c->s[a].v, c->s[b].v, w, &used);
			p.n = used;
			if (used < CORR_MIN_WINDOWS)
				p.r = NAN;
			c->r[a * c->n + b] = c->r[b * c->n + a] = p.r;
			if (isnan(p.r))
				continue;
			res->pairs++;
			if (p.r >= CORR_MIN_ABS_R)
				rank(res->pos, &res->n_pos, &p);
			else if (p.r <= -CORR_MIN_ABS_R)
				rank(res->neg, &res->n_neg, &p);
		}
	}
	return 0;
}

const struct corr_result *corr__result(const struct corr *c)
{
	return &c->res;
}

double corr__window_s(const struct corr *c)
{
	return c->window_s;
}

const char *corr__name(const struct corr *c, unsigned int i)
{
	return i < c->n ? c->s[i].name : "?";
}

enum corr_kind corr__kind(const struct corr *c, unsigned int i)
{
	return i < c->n ? c->s[i].kind : CORR_CALLS;
}

double corr__r(const struct corr *c, unsigned int a, unsigned int b)
{
	if (a >= c->r_n || b >= c->r_n)
		return NAN;
	return c->r[a * c->r_n + b];
}
