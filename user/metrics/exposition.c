// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "metrics/exposition.h"

void expo__init(struct expo *e, enum expo_format fmt)
{
	memset(e, 0, sizeof(*e));
	e->fmt = fmt;
}

void expo__reset(struct expo *e, enum expo_format fmt)
{
	e->fmt = fmt;
	e->len = 0;
	e->oom = false;
	e->family = NULL;
	if (e->p)
		e->p[0] = 0;
}

void expo__reserve(struct expo *e, size_t n)
{
	if (n > e->cap && !e->len) {
		char *p = realloc(e->p, n);

		if (p) {
			e->p = p;
			e->cap = n;
		}
	}
}

char *expo__take(struct expo *e, size_t *len)
{
	char *p = e->oom ? NULL : e->p;

	if (e->oom)
		free(e->p);
	/* A document lives for a second or more: give back what doubling left over. */
	if (p && e->cap > e->len + 4096) {
		char *q = realloc(p, e->len + 1);

		if (q)
			p = q;
	}
	*len = e->len;
	e->p = NULL;
	e->len = e->cap = 0;
	return p;
}

void expo__free(struct expo *e)
{
	free(e->p);
	e->p = NULL;
	e->len = e->cap = 0;
}

static bool reserve(struct expo *e, size_t n)
{
	size_t cap = e->cap ? e->cap : 4096;
	char *p;

	if (e->oom)
		return false;
	if (e->len + n + 1 <= e->cap)
		return true;
	while (cap < e->len + n + 1)
		cap *= 2;
	p = realloc(e->p, cap);
	if (!p) {
		e->oom = true;
		return false;
	}
	e->p = p;
	e->cap = cap;
	return true;
}

void expo__putn(struct expo *e, const char *s, size_t n)
{
	if (!reserve(e, n))
		return;
	memcpy(e->p + e->len, s, n);
	e->len += n;
	e->p[e->len] = 0;
}

void expo__puts(struct expo *e, const char *s)
{
	expo__putn(e, s, strlen(s));
}

void expo__u64(struct expo *e, __u64 v)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	expo__putn(e, p, buf + sizeof(buf) - p);
}

void expo__double(struct expo *e, double v)
{
	char buf[32];

	if (isnan(v)) {
		expo__puts(e, "NaN");
		return;
	}
	if (isinf(v)) {
		expo__puts(e, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* Whole numbers (counts and sizes in gauges) as integers, not 1e+02. */
	if (v == (double)(long long)v && v > -9007199254740992.0 && v < 9007199254740992.0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
		expo__puts(e, buf);
		return;
	}
	/* The shortest precision that reads back as the same double. */
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	expo__puts(e, buf);
}

/* The family's name in the # lines: OpenMetrics names a counter without "_total". */
static void put_family_name(struct expo *e)
{
	size_t n = strlen(e->family);

	if (e->fmt == EXPO_OM && e->type == EXPO_COUNTER && n > 6 &&
	    !strcmp(e->family + n - 6, "_total"))
		n -= 6;
	expo__putn(e, e->family, n);
}

static const char *const type_names[] = {
	[EXPO_COUNTER] = "counter",
	[EXPO_GAUGE] = "gauge",
	[EXPO_HISTOGRAM] = "histogram",
};

void expo__family(struct expo *e, const char *name, enum expo_type type, const char *unit,
		  const char *help)
{
	e->family = name;
	e->type = type;
	expo__puts(e, "# HELP ");
	put_family_name(e);
	expo__puts(e, " ");
	expo__puts(e, help);
	expo__puts(e, "\n# TYPE ");
	put_family_name(e);
	expo__puts(e, " ");
	expo__puts(e, type_names[type]);
	expo__puts(e, "\n");
	if (unit && e->fmt == EXPO_OM) {
		expo__puts(e, "# UNIT ");
		put_family_name(e);
		expo__puts(e, " ");
		expo__puts(e, unit);
		expo__puts(e, "\n");
	}
}

static void put_name_labels(struct expo *e, const char *suffix, const char *labels,
			    const char *extra)
{
	bool l = labels && *labels, x = extra && *extra;

	expo__puts(e, e->family);
	expo__puts(e, suffix);
	if (l || x) {
		expo__puts(e, "{");
		if (l)
			expo__puts(e, labels);
		if (l && x)
			expo__puts(e, ",");
		if (x)
			expo__puts(e, extra);
		expo__puts(e, "}");
	}
	expo__puts(e, " ");
}

void expo__sample(struct expo *e, const char *suffix, const char *labels, const char *extra,
		  __u64 v)
{
	put_name_labels(e, suffix, labels, extra);
	expo__u64(e, v);
	expo__puts(e, "\n");
}

void expo__sample_f(struct expo *e, const char *suffix, const char *labels, const char *extra,
		    double v)
{
	put_name_labels(e, suffix, labels, extra);
	expo__double(e, v);
	expo__puts(e, "\n");
}

void expo__created(struct expo *e, const char *labels, __u64 wall_ns)
{
	size_t n = strlen(e->family);
	char buf[48];

	if (e->fmt != EXPO_OM || e->type == EXPO_GAUGE)
		return;
	if (e->type == EXPO_COUNTER && n > 6 && !strcmp(e->family + n - 6, "_total"))
		n -= 6;
	expo__putn(e, e->family, n);
	expo__puts(e, "_created");
	if (labels && *labels) {
		expo__puts(e, "{");
		expo__puts(e, labels);
		expo__puts(e, "}");
	}
	snprintf(buf, sizeof(buf), " %llu.%06llu\n", (unsigned long long)(wall_ns / 1000000000ULL),
		 (unsigned long long)(wall_ns % 1000000000ULL / 1000));
	expo__puts(e, buf);
}

void expo__end(struct expo *e)
{
	if (e->fmt == EXPO_OM)
		expo__puts(e, "# EOF\n");
}
