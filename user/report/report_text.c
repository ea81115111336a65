// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The "strace -c" summary table.  Every rounding, width and ordering rule here is chosen to give
 * the same bytes as strace 6.1 for the same durations; comments name the strace behaviour that
 * each non-obvious rule reproduces.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_text.h"
#include "lib/syscalls.h"

#define NSEC_PER_SEC 1000000000ULL

/* The names strace 6.1 accepts for -S and -U; "none" and "nothing" only make sense for -S. */
static const struct {
	const char *name;
	enum report_col col;
} col_names[] = {
	{ "time", REPORT_COL_TIME_PERCENT },
	{ "time_percent", REPORT_COL_TIME_PERCENT },
	{ "time-percent", REPORT_COL_TIME_PERCENT },
	{ "time_total", REPORT_COL_TOTAL_TIME },
	{ "time-total", REPORT_COL_TOTAL_TIME },
	{ "total_time", REPORT_COL_TOTAL_TIME },
	{ "total-time", REPORT_COL_TOTAL_TIME },
	{ "min_time", REPORT_COL_MIN_TIME },
	{ "min-time", REPORT_COL_MIN_TIME },
	{ "shortest", REPORT_COL_MIN_TIME },
	{ "time_min", REPORT_COL_MIN_TIME },
	{ "time-min", REPORT_COL_MIN_TIME },
	{ "longest", REPORT_COL_MAX_TIME },
	{ "max_time", REPORT_COL_MAX_TIME },
	{ "max-time", REPORT_COL_MAX_TIME },
	{ "time_max", REPORT_COL_MAX_TIME },
	{ "time-max", REPORT_COL_MAX_TIME },
	{ "avg_time", REPORT_COL_AVG_TIME },
	{ "avg-time", REPORT_COL_AVG_TIME },
	{ "time_avg", REPORT_COL_AVG_TIME },
	{ "time-avg", REPORT_COL_AVG_TIME },
	{ "calls", REPORT_COL_CALLS },
	{ "count", REPORT_COL_CALLS },
	{ "error", REPORT_COL_ERRORS },
	{ "errors", REPORT_COL_ERRORS },
	{ "name", REPORT_COL_NAME },
	{ "syscall", REPORT_COL_NAME },
	{ "syscall_name", REPORT_COL_NAME },
	{ "syscall-name", REPORT_COL_NAME },
	{ "none", REPORT_COL_END },
	{ "nothing", REPORT_COL_END },
};

#define N_COL_NAMES (sizeof(col_names) / sizeof(col_names[0]))

static enum report_sort sort_of_col(enum report_col c)
{
	switch (c) {
	case REPORT_COL_TIME_PERCENT:
	case REPORT_COL_TOTAL_TIME:
		return REPORT_SORT_TIME;
	case REPORT_COL_MIN_TIME:
		return REPORT_SORT_MIN_TIME;
	case REPORT_COL_MAX_TIME:
		return REPORT_SORT_MAX_TIME;
	case REPORT_COL_AVG_TIME:
		return REPORT_SORT_AVG_TIME;
	case REPORT_COL_CALLS:
		return REPORT_SORT_CALLS;
	case REPORT_COL_ERRORS:
		return REPORT_SORT_ERRORS;
	case REPORT_COL_NAME:
		return REPORT_SORT_NAME;
	default:
		return REPORT_SORT_NOTHING;
	}
}

/* Titles and minimum widths; the old fixed widths of strace survive as the minimums. */
static const struct {
	const char *title;
	unsigned int min_width;
} col_desc[REPORT_COL_CNT] = {
	[REPORT_COL_TIME_PERCENT] = { "% time", 6 },  [REPORT_COL_TOTAL_TIME] = { "seconds", 11 },
	[REPORT_COL_MIN_TIME] = { "shortest", 8 },    [REPORT_COL_MAX_TIME] = { "longest", 7 },
	[REPORT_COL_AVG_TIME] = { "usecs/call", 11 }, [REPORT_COL_CALLS] = { "calls", 9 },
	[REPORT_COL_ERRORS] = { "errors", 9 },	      [REPORT_COL_NAME] = { "syscall", 16 },
};

static const enum report_col default_cols[] = {
	REPORT_COL_TIME_PERCENT, REPORT_COL_TOTAL_TIME, REPORT_COL_AVG_TIME, REPORT_COL_CALLS,
	REPORT_COL_ERRORS,	 REPORT_COL_NAME,	REPORT_COL_END,
};

static int find_col_name(const char *s, size_t len)
{
	for (size_t i = 0; i < N_COL_NAMES; i++) {
		if (!strncmp(col_names[i].name, s, len) && !col_names[i].name[len])
			return (int)i;
	}
	return -1;
}

int report_parse_sort(const char *s, struct report_text_opts *o, char *err, size_t errlen)
{
	int i = find_col_name(s, strlen(s));

	if (i < 0) {
		snprintf(err, errlen, "invalid sortby: '%s'", s);
		return -EINVAL;
	}
	o->sort = sort_of_col(col_names[i].col);
	return 0;
}

int report_parse_columns(const char *s, struct report_text_opts *o, char *err, size_t errlen)
{
	enum report_col cols[REPORT_COL_CNT] = { REPORT_COL_END };
	bool seen[REPORT_COL_CNT] = { false };
	const char *tok = s;
	size_t n = 0;

	for (;;) {
		const char *comma = strchr(tok, ',');
		size_t len = comma ? (size_t)(comma - tok) : strlen(tok);
		int i = find_col_name(tok, len);
		enum report_col c;

		if (i < 0 || col_names[i].col == REPORT_COL_END) {
			snprintf(err, errlen, "unknown column name: '%.*s'",
				 (int)(len > INT_MAX ? INT_MAX : len), tok);
			return -EINVAL;
		}
		c = col_names[i].col;
		if (seen[c]) {
			snprintf(err, errlen,
				 "call summary column has been provided more than once: '%s' "
				 "(-U option residual: '%s')",
				 col_names[i].name, tok);
			return -EINVAL;
		}
		seen[c] = true;
		cols[n++] = c;
		if (!comma)
			break;
		tok = comma + 1;
	}
	/* As strace: a table without names is meaningless. */
	if (!seen[REPORT_COL_NAME])
		cols[n++] = REPORT_COL_NAME;
	memcpy(o->cols, cols, sizeof(cols));
	return 0;
}

struct row {
	const struct sc_stat *s;
	const char *name;
	__u64 min_ns; /* min and max are 0 without timed calls */
	__u64 max_ns;
	__u64 avg_ns;
	char buf[SYSCALL_NAME_BUF];
};

struct sums {
	unsigned __int128 time_ns;
	__u64 calls;
	__u64 errors;
	__u64 timed;
	__u64 min_ns;	  /* smallest minimum, over the timed rows */
	__u64 min_max_ns; /* largest minimum: sizes the "shortest" column */
	__u64 max_ns;
	__u64 avg_max_ns; /* sizes the "usecs/call" column */
	bool any_timed;
	size_t name_max;
};

/* One line of values, for a syscall or for the total. */
struct cells {
	double percent;
	double seconds;
	double min;
	double max;
	__u64 avg_us;
	__u64 calls;
	__u64 errors;
	const char *name;
};

/* strace's ts_float(): whole seconds plus the nanoseconds scaled, in that order. */
static double ns_float(unsigned __int128 ns)
{
	return (double)(ns / NSEC_PER_SEC) + (double)(__u64)(ns % NSEC_PER_SEC) / 1e9;
}

/*
 * usecs/call is truncated, not rounded: strace converts its timespec to a double in seconds
 * and casts seconds * 1e6 to an integer, so 430000 ns may give 429.99999... and print 429.
 */
static __u64 ns_usecs(__u64 ns)
{
	return (__u64)(ns_float(ns) * 1e6);
}

/*
 * strace's ts_div(): the average rounded to the nearest nanosecond before the truncation.
 * The average of calls that each lasted less than 2^64 ns fits in 64 bits.
 */
static __u64 avg_ns(unsigned __int128 total, __u64 n)
{
	if (!n)
		return 0;
	return (__u64)(total / n + (total % n + n / 2) / n);
}

static int cmp_u64_desc(unsigned __int128 a, unsigned __int128 b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

static int row_cmp(const struct row *a, const struct row *b, enum report_sort key)
{
	switch (key) {
	case REPORT_SORT_TIME:
		return cmp_u64_desc(a->s->total_ns, b->s->total_ns);
	case REPORT_SORT_MIN_TIME:
		/* Descending, as strace: it negates every comparison, names aside. */
		return cmp_u64_desc(a->min_ns, b->min_ns);
	case REPORT_SORT_MAX_TIME:
		return cmp_u64_desc(a->max_ns, b->max_ns);
	case REPORT_SORT_AVG_TIME:
		return cmp_u64_desc(a->avg_ns, b->avg_ns);
	case REPORT_SORT_CALLS:
		return cmp_u64_desc(a->s->calls, b->s->calls);
	case REPORT_SORT_ERRORS:
		return cmp_u64_desc(a->s->errors, b->s->errors);
	case REPORT_SORT_NAME:
		return strcmp(a->name, b->name);
	case REPORT_SORT_NOTHING:
		break;
	}
	return 0;
}

/*
 * Stable, so that ties stay in syscall number order: glibc's qsort(), which strace uses, is a
 * merge sort for arrays this small, and strace's output shows ties in number order.
 */
static void sort_rows(const struct row **r, size_t n, enum report_sort key)
{
	if (key == REPORT_SORT_NOTHING)
		return;
	for (size_t i = 1; i < n; i++) {
		const struct row *tmp = r[i];
		size_t j = i;

		for (; j > 0 && row_cmp(tmp, r[j - 1], key) < 0; j--)
			r[j] = r[j - 1];
		r[j] = tmp;
	}
}

static size_t collect(const struct sc_table *t, int abi, struct row *rows, struct sums *sum)
{
	size_t n = 0;

	memset(sum, 0, sizeof(*sum));
	for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
		const struct sc_stat *s = &t->sc[abi][nr];
		struct row *r = &rows[n];

		if (!s->calls)
			continue;
		n++;
		r->s = s;
		r->name = syscall_name(abi, nr, r->buf, sizeof(r->buf));
		r->min_ns = s->timed ? s->min_ns : 0;
		r->max_ns = s->timed ? s->max_ns : 0;
		r->avg_ns = avg_ns(s->total_ns, s->timed);

		sum->time_ns += s->total_ns;
		sum->calls += s->calls;
		sum->errors += s->errors;
		sum->timed += s->timed;
		if (s->timed && (!sum->any_timed || s->min_ns < sum->min_ns))
			sum->min_ns = s->min_ns;
		if (s->timed)
			sum->any_timed = true;
		if (r->min_ns > sum->min_max_ns)
			sum->min_max_ns = r->min_ns;
		if (r->max_ns > sum->max_ns)
			sum->max_ns = r->max_ns;
		if (r->avg_ns > sum->avg_max_ns)
			sum->avg_max_ns = r->avg_ns;
		if (strlen(r->name) > sum->name_max)
			sum->name_max = strlen(r->name);
	}
	return n;
}

static unsigned int max_u(unsigned int a, int b)
{
	return b > 0 && (unsigned int)b > a ? (unsigned int)b : a;
}

/* Every column is as wide as its title or its widest value, whichever is wider. */
static void col_widths(const struct sums *sum, unsigned int *w)
{
	for (int c = 0; c < REPORT_COL_CNT; c++)
		w[c] = col_desc[c].min_width;
	w[REPORT_COL_TIME_PERCENT] = max_u(w[REPORT_COL_TIME_PERCENT], (int)strlen("100.00"));
	w[REPORT_COL_TOTAL_TIME] =
	    max_u(w[REPORT_COL_TOTAL_TIME], snprintf(NULL, 0, "%.6f", ns_float(sum->time_ns)));
	/* strace sizes min/max by their whole seconds only. */
	w[REPORT_COL_MIN_TIME] = max_u(
	    w[REPORT_COL_MIN_TIME],
	    snprintf(NULL, 0, "%llu.000000", (unsigned long long)(sum->min_max_ns / NSEC_PER_SEC)));
	w[REPORT_COL_MAX_TIME] = max_u(
	    w[REPORT_COL_MAX_TIME],
	    snprintf(NULL, 0, "%llu.000000", (unsigned long long)(sum->max_ns / NSEC_PER_SEC)));
	w[REPORT_COL_AVG_TIME] =
	    max_u(w[REPORT_COL_AVG_TIME],
		  snprintf(NULL, 0, "%llu", (unsigned long long)ns_usecs(sum->avg_max_ns)));
	w[REPORT_COL_CALLS] =
	    max_u(w[REPORT_COL_CALLS], snprintf(NULL, 0, "%llu", (unsigned long long)sum->calls));
	w[REPORT_COL_ERRORS] =
	    max_u(w[REPORT_COL_ERRORS], snprintf(NULL, 0, "%llu", (unsigned long long)sum->errors));
	w[REPORT_COL_NAME] = max_u(w[REPORT_COL_NAME], (int)(sum->name_max + 1));
}

static void put_header(FILE *f, const enum report_col *cols, const unsigned int *w)
{
	for (size_t i = 0; cols[i]; i++) {
		enum report_col c = cols[i];

		if (i)
			fputc(' ', f);
		if (c != REPORT_COL_NAME)
			fprintf(f, "%*s", (int)w[c], col_desc[c].title);
		else if (cols[i + 1])
			fprintf(f, "%-*s", (int)w[c], col_desc[c].title);
		else
			fputs(col_desc[c].title, f); /* the last column is not padded */
	}
	fputc('\n', f);
}

static void put_divider(FILE *f, const enum report_col *cols, const unsigned int *w)
{
	for (size_t i = 0; cols[i]; i++) {
		if (i)
			fputc(' ', f);
		for (unsigned int j = 0; j < w[cols[i]]; j++)
			fputc('-', f);
	}
	fputc('\n', f);
}

static void put_cells(FILE *f, const enum report_col *cols, const unsigned int *w,
		      const struct cells *v)
{
	for (size_t i = 0; cols[i]; i++) {
		enum report_col c = cols[i];
		int wc = (int)w[c];

		if (i)
			fputc(' ', f);
		switch (c) {
		case REPORT_COL_TIME_PERCENT:
			fprintf(f, "%*.2f", wc, v->percent);
			break;
		case REPORT_COL_TOTAL_TIME:
			fprintf(f, "%*.6f", wc, v->seconds);
			break;
		case REPORT_COL_MIN_TIME:
			fprintf(f, "%*.6f", wc, v->min);
			break;
		case REPORT_COL_MAX_TIME:
			fprintf(f, "%*.6f", wc, v->max);
			break;
		case REPORT_COL_AVG_TIME:
			fprintf(f, "%*llu", wc, (unsigned long long)v->avg_us);
			break;
		case REPORT_COL_CALLS:
			fprintf(f, "%*llu", wc, (unsigned long long)v->calls);
			break;
		case REPORT_COL_ERRORS:
			/* Precision 0 prints nothing for 0: zero errors show as blanks. */
			fprintf(f, "%*.0llu", wc, (unsigned long long)v->errors);
			break;
		case REPORT_COL_NAME:
			if (cols[i + 1])
				fprintf(f, "%-*s", wc, v->name);
			else
				fputs(v->name, f);
			break;
		case REPORT_COL_END:
		case REPORT_COL_CNT:
			break;
		}
	}
	fputc('\n', f);
}

static void put_table(FILE *f, const struct row *const *rows, size_t n, const struct sums *sum,
		      const enum report_col *cols)
{
	unsigned int w[REPORT_COL_CNT];
	double total = ns_float(sum->time_ns);
	struct cells v;

	col_widths(sum, w);
	put_header(f, cols, w);
	put_divider(f, cols, w);
	for (size_t i = 0; i < n; i++) {
		const struct sc_stat *s = rows[i]->s;

		v = (struct cells){
			.seconds = ns_float(s->total_ns),
			.min = ns_float(rows[i]->min_ns),
			.max = ns_float(rows[i]->max_ns),
			.avg_us = ns_usecs(rows[i]->avg_ns),
			.calls = s->calls,
			.errors = s->errors,
			.name = rows[i]->name,
		};
		/* Only divide a non-zero share, so that a zero total gives 0.00 and not NaN. */
		v.percent = 100.0 * v.seconds;
		if (v.percent != 0.0)
			v.percent /= total;
		put_cells(f, cols, w, &v);
	}
	put_divider(f, cols, w);
	v = (struct cells){
		.percent = 100.0,
		.seconds = total,
		.min = ns_float(sum->min_ns),
		.max = ns_float(sum->max_ns),
		/* Not rounded to a nanosecond first, unlike the rows: strace divides doubles. */
		.avg_us = sum->timed ? (__u64)(total / (double)sum->timed * 1e6) : 0,
		.calls = sum->calls,
		.errors = sum->errors,
		.name = "total",
	};
	put_cells(f, cols, w, &v);
}

static int check_cols(const enum report_col *cols)
{
	bool seen[REPORT_COL_CNT] = { false };

	for (size_t i = 0; i < REPORT_COL_CNT; i++) {
		if (cols[i] == REPORT_COL_END)
			return 0;
		if (cols[i] < 0 || cols[i] >= REPORT_COL_CNT || seen[cols[i]])
			return -EINVAL;
		seen[cols[i]] = true;
	}
	return -EINVAL; /* not terminated */
}

static bool abi_has_calls(const struct sc_table *t, int abi)
{
	for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
		if (t->sc[abi][nr].calls)
			return true;
	}
	return false;
}

int report_text(FILE *f, const struct sc_table *t, const struct report_text_opts *o)
{
	static const struct report_text_opts defaults;
	const enum report_col *cols;
	const struct row **order;
	struct row *rows;
	bool any = false;

	if (!o)
		o = &defaults;
	cols = o->cols[0] == REPORT_COL_END ? default_cols : o->cols;
	if (check_cols(cols) || o->sort < REPORT_SORT_TIME || o->sort > REPORT_SORT_NOTHING)
		return -EINVAL;
	rows = calloc(SYSRAY_MAX_NR, sizeof(*rows));
	order = calloc(SYSRAY_MAX_NR, sizeof(*order));
	if (!rows || !order) {
		free(rows);
		free(order);
		return -ENOMEM;
	}

	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++)
		any = any || abi_has_calls(t, abi);
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		struct sums sum;
		size_t n;

		/* strace prints only personalities that made calls; keep one table regardless. */
		if (!abi_has_calls(t, abi) && (abi != SYSRAY_ABI_NATIVE || any))
			continue;
		if (abi != SYSRAY_ABI_NATIVE)
			fprintf(f, "System call usage summary for %s mode:\n",
				abi_personality(abi));
		n = collect(t, abi, rows, &sum);
		/* Sort pointers: a row's name may point into its own buffer. */
		for (size_t i = 0; i < n; i++)
			order[i] = &rows[i];
		sort_rows(order, n, o->sort);
		put_table(f, order, o->top && n > o->top ? o->top : n, &sum, cols);
	}
	free(order);
	free(rows);
	return ferror(f) ? -EIO : 0;
}

int report_text_order(const struct sc_table *t, int abi, const struct report_text_opts *o, int *nrs)
{
	const struct row **order;
	struct row *rows;
	struct sums sum;
	size_t n;

	rows = calloc(SYSRAY_MAX_NR, sizeof(*rows));
	order = calloc(SYSRAY_MAX_NR, sizeof(*order));
	if (!rows || !order) {
		free(rows);
		free(order);
		return -ENOMEM;
	}
	n = collect(t, abi, rows, &sum);
	for (size_t i = 0; i < n; i++)
		order[i] = &rows[i];
	sort_rows(order, n, o ? o->sort : REPORT_SORT_TIME);
	/* Each row points into t: its offset in the ABI's array is its syscall number. */
	for (size_t i = 0; i < n; i++)
		nrs[i] = (int)(order[i]->s - &t->sc[abi][0]);
	free(order);
	free(rows);
	return (int)n;
}
