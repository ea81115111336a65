// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The correlation section of a report, in text and JSON. */
#include <math.h>
#include <stdio.h>
#include "analysis/correlate.h"
#include "lib/escape.h"
#include "lib/json.h"

static const char *const kind_names[CORR_KIND_CNT] = {
	[CORR_CALLS] = "calls_per_s",
	[CORR_P99] = "p99_ns",
	[CORR_GROUP] = "group_calls_per_s",
};

static const char *const kind_units[CORR_KIND_CNT] = {
	[CORR_CALLS] = "calls/s",
	[CORR_P99] = "p99",
	[CORR_GROUP] = "calls/s",
};

const char *corr_kind_str(enum corr_kind k)
{
	return (unsigned int)k < CORR_KIND_CNT ? kind_names[k] : "?";
}

/* "getppid calls/s", "[/svc] calls/s": names come from traced tasks, so escaped. */
static void put_series(FILE *f, const struct corr *c, unsigned int i)
{
	enum corr_kind k = corr__kind(c, i);

	if (k == CORR_GROUP)
		fputc('[', f);
	fputs_escaped(corr__name(c, i), f);
	fprintf(f, "%s %s", k == CORR_GROUP ? "]" : "", kind_units[k]);
}

static void put_list(FILE *f, const struct corr *c, const char *title, const struct corr_pair *p,
		     unsigned int n)
{
	if (!n)
		return;
	fprintf(f, "  strongest %s:\n", title);
	for (unsigned int i = 0; i < n; i++) {
		fprintf(f, "    %+.3f  ", p[i].r);
		put_series(f, c, p[i].a);
		fputs(" ~ ", f);
		put_series(f, c, p[i].b);
		fprintf(f, " (%u windows)\n", p[i].n);
	}
}

int corr_write_text(FILE *f, const struct corr *c)
{
	const struct corr_result *r = corr__result(c);

	fprintf(f, "\nCorrelation of per-window series (%u windows of %g s, %u series", r->windows,
		corr__window_s(c), r->series);
	if (r->blips)
		fprintf(f, ", %u of them in fewer than %d windows", r->blips, CORR_MIN_ACTIVE);
	if (r->left_out)
		fprintf(f, ", %u more left out", r->left_out);
	fputs("):\n", f);
	if (r->windows < CORR_MIN_WINDOWS)
		fprintf(f, "  too few windows to conclude anything (at least %d)\n",
			CORR_MIN_WINDOWS);
	else if (!r->pairs)
		fputs("  no two series vary together over enough windows to compare\n", f);
	else if (!r->n_pos && !r->n_neg)
		fprintf(f, "  no pair of the %u compared has |r| >= %g\n", r->pairs,
			CORR_MIN_ABS_R);
	put_list(f, c, "positive", r->pos, r->n_pos);
	put_list(f, c, "negative", r->neg, r->n_neg);
	return ferror(f) ? -1 : 0;
}

static void json_series(struct json_writer *w, const struct corr *c, unsigned int i)
{
	json_writer__begin_object(w);
	json_writer__kv_string(w, "name", corr__name(c, i));
	json_writer__kv_string(w, "metric", corr_kind_str(corr__kind(c, i)));
	json_writer__end_object(w);
}

static void json_pairs(struct json_writer *w, const struct corr *c, const char *key,
		       const struct corr_pair *p, unsigned int n)
{
	int indent = w->indent;

	json_writer__key(w, key);
	json_writer__begin_array(w);
	for (unsigned int i = 0; i < n; i++) {
		json_writer__begin_object(w);
		json_writer__set_indent(w, 0);
		json_writer__key(w, "a");
		json_series(w, c, p[i].a);
		json_writer__key(w, "b");
		json_series(w, c, p[i].b);
		json_writer__key(w, "r");
		json_writer__double(w, p[i].r);
		json_writer__kv_u64(w, "windows", p[i].n);
		json_writer__end_object(w);
		json_writer__set_indent(w, indent);
	}
	json_writer__end_array(w);
}

/* Every coefficient, null where there is none, for a handful of series. */
static void json_matrix(struct json_writer *w, const struct corr *c, unsigned int n)
{
	int indent = w->indent;

	json_writer__key(w, "matrix");
	json_writer__begin_object(w);
	json_writer__key(w, "series");
	json_writer__begin_array(w);
	json_writer__set_indent(w, 0);
	for (unsigned int i = 0; i < n; i++)
		json_series(w, c, i);
	json_writer__end_array(w);
	json_writer__set_indent(w, indent);
	json_writer__key(w, "r");
	json_writer__begin_array(w);
	for (unsigned int i = 0; i < n; i++) {
		json_writer__begin_array(w);
		json_writer__set_indent(w, 0);
		for (unsigned int j = 0; j < n; j++)
			json_writer__double(w, corr__r(c, i, j)); /* NaN: null */
		json_writer__end_array(w);
		json_writer__set_indent(w, indent);
	}
	json_writer__end_array(w);
	json_writer__end_object(w);
}

void corr_put_json(struct json_writer *w, const struct corr *c)
{
	const struct corr_result *r = corr__result(c);

	json_writer__key(w, "correlation");
	json_writer__begin_object(w);
	json_writer__kv_u64(w, "windows", r->windows);
	json_writer__key(w, "window_s");
	json_writer__double(w, corr__window_s(c));
	json_writer__kv_u64(w, "series", r->series);
	json_writer__kv_u64(w, "series_too_rare", r->blips);
	json_writer__kv_u64(w, "left_out", r->left_out);
	json_writer__kv_u64(w, "pairs", r->pairs);
	json_writer__key(w, "concluded");
	json_writer__bool(w, r->windows >= CORR_MIN_WINDOWS && r->pairs);
	json_writer__kv_u64(w, "min_windows", CORR_MIN_WINDOWS);
	json_writer__key(w, "min_abs_r");
	json_writer__double(w, CORR_MIN_ABS_R);
	json_pairs(w, c, "positive", r->pos, r->n_pos);
	json_pairs(w, c, "negative", r->neg, r->n_neg);
	if (r->series <= CORR_MATRIX_MAX)
		json_matrix(w, c, r->series);
	json_writer__end_object(w);
}
