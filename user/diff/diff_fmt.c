// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sysray diff output: a text table or a sysray.diff/1 JSON document. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include "diff/diff.h"
#include <string.h>
#include "lib/escape.h"
#include "lib/json.h"
#include "lib/u128.h"

static const struct {
	unsigned int bit;
	const char *name;
} break_names[] = {
	{ DIFF_BREAK_CALLS, "calls" },
	{ DIFF_BREAK_ERRORS, "errors" },
	{ DIFF_BREAK_P99, "p99" },
	{ DIFF_BREAK_NEW, "new" },
};

/* Change in percent of old: INFINITY for any increase from 0. */
static double pct(unsigned __int128 old, unsigned __int128 new)
{
	if (old == new)
		return 0;
	if (!old)
		return INFINITY;
	return ((double)new - (double)old) * 100.0 / (double)old;
}

static unsigned __int128 side_val(const struct diff_side *s, int field)
{
	switch (field) {
	case 0:
		return s->calls;
	case 1:
		return s->errors;
	case 2:
		return s->p99_ns;
	default:
		return s->total_ns;
	}
}

/* "OLD -> NEW (+P%)", "-" for a missing side, no percentage when unchanged. */
static void cell(char *buf, size_t len, const struct diff_row *r, int field)
{
	unsigned __int128 o = side_val(&r->old, field), n = side_val(&r->new, field);
	double p = pct(o, n);
	char num[U128_BUF];
	int w = 0;

	if (r->old.present)
		w = snprintf(buf, len, "%s -> ", u128_format(o, num, sizeof(num)));
	else
		w = snprintf(buf, len, "- -> ");
	if (r->new.present)
		w += snprintf(buf + w, len - w, "%s", u128_format(n, num, sizeof(num)));
	else
		w += snprintf(buf + w, len - w, "-");
	if (!r->old.present || !r->new.present || o == n)
		return;
	if (isinf(p))
		snprintf(buf + w, len - w, " (+inf%%)");
	else
		snprintf(buf + w, len - w, " (%+.1f%%)", p);
}

static void rule_text(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "off");
	else
		snprintf(buf, len, "+%g%%", v);
}

#define NR_COLS 7
/* A cell: two totals of up to 39 digits (sums go past 2^64), the arrow and a percentage. */
#define CELL_LEN (2 * U128_BUF + 32)

/* The cells of one row: broken rules, syscall, abi, then calls, errors, p99, total. */
static void row_cells(const struct diff_row *r, char c[NR_COLS][CELL_LEN])
{
	size_t w = 0;

	c[0][0] = 0;
	for (size_t b = 0; b < sizeof(break_names) / sizeof(break_names[0]); b++)
		if (r->broken & break_names[b].bit)
			w += snprintf(c[0] + w, CELL_LEN - w, "%s%s", w ? "," : "", break_names[b].name);
	if (!w)
		snprintf(c[0], CELL_LEN, "-");
	snprintf(c[1], CELL_LEN, "%s", r->name);
	snprintf(c[2], CELL_LEN, "%s", r->abi);
	for (int k = 0; k < 4; k++)
		cell(c[3 + k], CELL_LEN, r, k);
}

/* The rows as a table whose columns are as wide as their widest cell (and at least as wide
 * as the layout of the first version, so that short tables look the same). */
static void write_rows(FILE *f, const struct diff_result *res)
{
	static const char *const titles[NR_COLS] = { "broken", "syscall", "abi",     "calls",
						     "errors", "p99_ns",  "total_ns" };
	int width[NR_COLS] = { 12, 20, 7, 28, 22, 28, 0 };
	char c[NR_COLS][CELL_LEN];

	for (size_t i = 0; i < res->n; i++) {
		row_cells(&res->rows[i], c);
		for (int k = 0; k < NR_COLS - 1; k++)
			if ((int)strlen(c[k]) > width[k])
				width[k] = strlen(c[k]);
	}
	for (size_t i = 0; i <= res->n; i++) {
		if (i)
			row_cells(&res->rows[i - 1], c);
		for (int k = 0; k < NR_COLS - 1; k++)
			fprintf(f, "%-*s ", width[k], i ? c[k] : titles[k]);
		fprintf(f, "%s\n", i ? c[NR_COLS - 1] : titles[NR_COLS - 1]);
	}
}

static void write_total(FILE *f, const struct diff_result *res, const struct diff_rules *rules)
{
	char limit[16];
	double p = pct(res->old_total, res->new_total);

	rule_text(limit, sizeof(limit), rules->max_total_pct);
	fprintf(f, "total calls %" PRIu64 " -> %" PRIu64, res->old_total, res->new_total);
	if (isinf(p))
		fprintf(f, " (+inf%%)");
	else if (p)
		fprintf(f, " (%+.1f%%)", p);
	fprintf(f, "%s (rule %s)\n", res->total_broken ? ": broken" : "", limit);
}

static void write_anomalies(FILE *f, const struct diff_result *res)
{
	if (!res->anomalies_compared)
		return;
	fprintf(f, "new anomalies: %zu\n", res->n_new_anoms);
	for (size_t i = 0; i < res->n_new_anoms; i++) {
		const struct diff_anomaly *a = &res->new_anoms[i];

		fprintf(f, "  %-6s ", a->severity);
		if (*a->group) {
			fputs_escaped(a->group, f);
			fputs(": ", f);
		}
		fputs_escaped(a->syscall, f);
		fprintf(f, " (%s) ", a->abi);
		fputs_escaped(a->kind, f);
		if (*a->metric) {
			fputc(' ', f);
			fputs_escaped(a->metric, f);
		}
		fputc('\n', f);
	}
}

int diff_write_text(FILE *f, const struct diff_result *res, const struct diff_rules *rules,
		    const char *old_name, const char *new_name)
{
	char calls[16], errors[16], p99[16], total[16];

	fprintf(f, "sysray diff: %s -> %s\n", old_name, new_name);
	if (res->n)
		write_rows(f, res);
	write_total(f, res, rules);
	write_anomalies(f, res);
	rule_text(calls, sizeof(calls), rules->max_calls_pct);
	rule_text(errors, sizeof(errors), rules->max_errors_pct);
	rule_text(p99, sizeof(p99), rules->max_p99_pct);
	rule_text(total, sizeof(total), rules->max_total_pct);
	fprintf(f,
		"%zu regression%s, %zu of %zu syscalls changed; rules: calls %s, errors %s, "
		"p99 %s (>= %" PRIu64 " calls), total %s, new syscalls %s, new anomalies %s\n",
		res->regressions, res->regressions == 1 ? "" : "s", res->n, res->compared, calls,
		errors, p99, rules->min_calls, total, rules->new_syscalls ? "break" : "allowed",
		rules->new_anomalies ? "break" : "allowed");
	return ferror(f) ? -EIO : 0;
}

static void json_side(struct json_writer *w, const char *key, const struct diff_side *s)
{
	json_writer__key(w, key);
	if (!s->present) {
		json_writer__null(w);
		return;
	}
	json_writer__begin_object(w);
	json_writer__set_indent(w, 0);
	json_writer__kv_u64(w, "calls", s->calls);
	json_writer__kv_u64(w, "errors", s->errors);
	json_writer__kv_u64(w, "p99_ns", s->p99_ns);
	json_writer__kv_u128(w, "total_ns", s->total_ns);
	json_writer__end_object(w);
	json_writer__set_indent(w, 2);
}

/* Rounded to 0.01; null (from the writer) when infinite or a side is missing. */
static void json_pct(struct json_writer *w, const char *key, const struct diff_row *r, int field)
{
	double p = pct(side_val(&r->old, field), side_val(&r->new, field));

	json_writer__key(w, key);
	if (!r->old.present || !r->new.present)
		json_writer__null(w);
	else
		json_writer__double(w, isinf(p) ? p : round(p * 100) / 100);
}

static void json_rule(struct json_writer *w, const char *key, double v)
{
	json_writer__key(w, key);
	if (v < 0)
		json_writer__null(w);
	else
		json_writer__double(w, v);
}

static void json_total(struct json_writer *w, const struct diff_result *res)
{
	double p = pct(res->old_total, res->new_total);

	json_writer__key(w, "total");
	json_writer__begin_object(w);
	json_writer__set_indent(w, 0);
	json_writer__kv_u64(w, "old_calls", res->old_total);
	json_writer__kv_u64(w, "new_calls", res->new_total);
	json_writer__key(w, "calls_pct");
	json_writer__double(w, isinf(p) ? p : round(p * 100) / 100);
	json_writer__key(w, "broken");
	json_writer__bool(w, res->total_broken);
	json_writer__end_object(w);
	json_writer__set_indent(w, 2);
}

/* null when the two profiles do not both carry anomalies. */
static void json_anomalies(struct json_writer *w, const struct diff_result *res)
{
	json_writer__key(w, "new_anomalies");
	if (!res->anomalies_compared) {
		json_writer__null(w);
		return;
	}
	json_writer__begin_array(w);
	for (size_t i = 0; i < res->n_new_anoms; i++) {
		const struct diff_anomaly *a = &res->new_anoms[i];

		json_writer__begin_object(w);
		json_writer__set_indent(w, 0);
		if (*a->group)
			json_writer__kv_string(w, "group", a->group);
		json_writer__kv_string(w, "syscall", a->syscall);
		json_writer__kv_string(w, "abi", a->abi);
		json_writer__kv_string(w, "kind", a->kind);
		json_writer__kv_string(w, "metric", a->metric);
		json_writer__kv_string(w, "max_severity", a->severity);
		json_writer__end_object(w);
		json_writer__set_indent(w, 2);
	}
	json_writer__end_array(w);
}

int diff_write_json(FILE *f, const struct diff_result *res, const struct diff_rules *rules,
		    const char *old_name, const char *new_name)
{
	static const char *const pct_keys[] = { "calls_pct", "errors_pct", "p99_pct", "total_pct" };
	struct json_writer w;

	json_writer__init(&w, f, 2);
	json_writer__begin_object(&w);
	json_writer__kv_string(&w, "schema", "sysray.diff/1");
	json_writer__kv_string(&w, "old", old_name);
	json_writer__kv_string(&w, "new", new_name);
	json_writer__key(&w, "rules");
	json_writer__begin_object(&w);
	json_rule(&w, "max_calls_increase_pct", rules->max_calls_pct);
	json_rule(&w, "max_errors_increase_pct", rules->max_errors_pct);
	json_rule(&w, "max_p99_increase_pct", rules->max_p99_pct);
	json_rule(&w, "max_total_increase_pct", rules->max_total_pct);
	json_writer__kv_u64(&w, "min_calls", rules->min_calls);
	json_writer__key(&w, "new_syscalls");
	json_writer__bool(&w, rules->new_syscalls);
	json_writer__key(&w, "new_anomalies");
	json_writer__bool(&w, rules->new_anomalies);
	json_writer__end_object(&w);
	json_writer__kv_u64(&w, "compared", res->compared);
	json_writer__kv_u64(&w, "regressions", res->regressions);
	json_total(&w, res);
	json_anomalies(&w, res);
	json_writer__key(&w, "rows");
	json_writer__begin_array(&w);
	for (size_t i = 0; i < res->n; i++) {
		const struct diff_row *r = &res->rows[i];

		json_writer__begin_object(&w);
		json_writer__kv_string(&w, "name", r->name);
		json_writer__kv_string(&w, "abi", r->abi);
		json_writer__kv_string(&w, "change",
				       !r->old.present	 ? "new"
				       : !r->new.present ? "removed"
							 : "changed");
		json_writer__key(&w, "broken");
		json_writer__set_indent(&w, 0);
		json_writer__begin_array(&w);
		for (size_t b = 0; b < sizeof(break_names) / sizeof(break_names[0]); b++)
			if (r->broken & break_names[b].bit)
				json_writer__string(&w, break_names[b].name);
		json_writer__end_array(&w);
		json_writer__set_indent(&w, 2);
		json_side(&w, "old", &r->old);
		json_side(&w, "new", &r->new);
		for (int k = 0; k < 4; k++)
			json_pct(&w, pct_keys[k], r, k);
		json_writer__end_object(&w);
	}
	json_writer__end_array(&w);
	json_writer__end_object(&w);
	return json_writer__end(&w);
}
