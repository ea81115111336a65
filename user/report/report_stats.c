// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_stats.h"
#include "lib/syscalls.h"
#include "stats/outliers.h"

const double report_pcts[REPORT_NR_PCTS] = { 50, 75, 90, 95, 99, 99.9 };

enum {
	COL_TIMED,
	COL_MEAN,
	COL_STDDEV,
	COL_MIN,
	COL_MAX,
	COL_P0, /* REPORT_NR_PCTS percentile columns follow */
	COL_OUTLIERS = COL_P0 + REPORT_NR_PCTS,
	NR_COLS,
};

static const char *const titles[NR_COLS] = {
	"timed", "mean", "stddev", "min", "max",   "p50",
	"p75",	 "p90",	 "p95",	   "p99", "p99.9", "outliers",
};

#define CELL_LEN       32
#define NAME_MIN_WIDTH 16

struct stat_row {
	const char *name;
	char buf[SYSCALL_NAME_BUF];
	char cells[NR_COLS][CELL_LEN];
};

static void fmt_us(char *cell, double ns)
{
	snprintf(cell, CELL_LEN, "%.3f", ns / 1e3);
}

static int fill_row(struct stat_row *r, const struct hist *h)
{
	__u64 pct[REPORT_NR_PCTS];
	struct hist_outliers out;
	int err;

	err = hist__percentiles(h, report_pcts, REPORT_NR_PCTS, pct);
	if (!err)
		err = hist_outliers(h, &out);
	if (err)
		return err;
	if (hist__count(h) < OUTLIER_MIN_CALLS)
		snprintf(r->cells[COL_OUTLIERS], CELL_LEN, "-");
	else
		snprintf(r->cells[COL_OUTLIERS], CELL_LEN, "%.2f%%", out.share * 100);
	snprintf(r->cells[COL_TIMED], CELL_LEN, "%llu", (unsigned long long)hist__count(h));
	fmt_us(r->cells[COL_MEAN], hist__mean(h));
	fmt_us(r->cells[COL_STDDEV], hist__stddev(h));
	fmt_us(r->cells[COL_MIN], (double)hist__min(h));
	fmt_us(r->cells[COL_MAX], (double)hist__max(h));
	for (int i = 0; i < REPORT_NR_PCTS; i++)
		fmt_us(r->cells[COL_P0 + i], (double)pct[i]);
	return 0;
}

/* Each section starts with a blank line, to stand apart from the table above it. */
static void put_title(FILE *f, const char *title, int abi)
{
	if (abi == SYSRAY_ABI_NATIVE)
		fprintf(f, "\n%s:\n", title);
	else
		fprintf(f, "\n%s for %s mode:\n", title, abi_personality(abi));
}

static void put_divider(FILE *f, const size_t *w)
{
	for (int c = -1; c < NR_COLS; c++) {
		size_t n = w[c + 1];

		if (c >= 0)
			fputc(' ', f);
		while (n--)
			fputc('-', f);
	}
	fputc('\n', f);
}

static void put_table(FILE *f, const struct stat_row *rows, size_t n, int abi)
{
	size_t w[NR_COLS + 1]; /* w[0]: the name column */

	w[0] = NAME_MIN_WIDTH;
	for (int c = 0; c < NR_COLS; c++)
		w[c + 1] = strlen(titles[c]);
	for (size_t i = 0; i < n; i++) {
		if (strlen(rows[i].name) > w[0])
			w[0] = strlen(rows[i].name);
		for (int c = 0; c < NR_COLS; c++) {
			if (strlen(rows[i].cells[c]) > w[c + 1])
				w[c + 1] = strlen(rows[i].cells[c]);
		}
	}
	put_title(f, "Latency in microseconds (percentiles by nearest rank)", abi);
	fprintf(f, "%-*s", (int)w[0], "syscall");
	for (int c = 0; c < NR_COLS; c++)
		fprintf(f, " %*s", (int)w[c + 1], titles[c]);
	fputc('\n', f);
	put_divider(f, w);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%-*s", (int)w[0], rows[i].name);
		for (int c = 0; c < NR_COLS; c++)
			fprintf(f, " %*s", (int)w[c + 1], rows[i].cells[c]);
		fputc('\n', f);
	}
}

static int latency_tables(FILE *f, const struct profile *p, const struct report_text_opts *o,
			  int *nrs, struct stat_row *rows)
{
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		int cnt = report_text_order(&p->total, abi, o, nrs);
		size_t n = 0;

		if (cnt < 0)
			return cnt;
		for (int i = 0; i < cnt && (!o->top || n < o->top); i++) {
			const struct sc_detail *d = p->detail[abi][nrs[i]];
			struct stat_row *r = &rows[n];
			int err;

			/* Calls that never returned have no latency to show. */
			if (!d || !hist__count(&d->hist))
				continue;
			r->name = syscall_name(abi, nrs[i], r->buf, sizeof(r->buf));
			err = fill_row(r, &d->hist);
			if (err)
				return err;
			n++;
		}
		if (n)
			put_table(f, rows, n, abi);
	}
	return 0;
}

static int errno_line(FILE *f, const char *name, const struct sc_detail *d, int width)
{
	struct errno_count *e;
	size_t n;
	int err;

	err = sc_detail__errnos(d, &e, &n);
	if (err)
		return err;
	fprintf(f, "%-*s", width, name);
	for (size_t i = 0; i < n; i++) {
		char buf[16];

		fprintf(f, "%s%s: %llu", i ? ", " : " ", sc_errno_label(e[i].err, buf, sizeof(buf)),
			(unsigned long long)e[i].count);
	}
	fputc('\n', f);
	free(e);
	return 0;
}

static bool has_errnos(const struct sc_detail *d)
{
	if (!d)
		return false;
	for (int i = 1; i < SC_ERRNO_FLAT; i++) {
		if (d->errnos[i])
			return true;
	}
	return d->nr_rare != 0;
}

static int errno_tables(FILE *f, const struct profile *p, const struct report_text_opts *o,
			int *nrs)
{
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		int cnt = report_text_order(&p->total, abi, o, nrs);
		size_t shown = 0;
		int width = NAME_MIN_WIDTH;

		if (cnt < 0)
			return cnt;
		for (int i = 0; i < cnt; i++) {
			char buf[SYSCALL_NAME_BUF];
			int len = (int)strlen(syscall_name(abi, nrs[i], buf, sizeof(buf)));

			if (has_errnos(p->detail[abi][nrs[i]]) && len > width)
				width = len;
		}
		for (int i = 0; i < cnt && (!o->top || shown < o->top); i++) {
			const struct sc_detail *d = p->detail[abi][nrs[i]];
			char buf[SYSCALL_NAME_BUF];
			int err;

			if (!has_errnos(d))
				continue;
			if (!shown++)
				put_title(f, "Errors by errno", abi);
			err = errno_line(f, syscall_name(abi, nrs[i], buf, sizeof(buf)), d, width);
			if (err)
				return err;
		}
	}
	return 0;
}

int report_stats(FILE *f, const struct profile *p, const struct report_text_opts *o)
{
	static const struct report_text_opts defaults;
	struct stat_row *rows;
	int *nrs, err;

	if (!o)
		o = &defaults;
	rows = calloc(SYSRAY_MAX_NR, sizeof(*rows));
	nrs = calloc(SYSRAY_MAX_NR, sizeof(*nrs));
	err = rows && nrs ? 0 : -ENOMEM;
	if (!err)
		err = latency_tables(f, p, o, nrs, rows);
	if (!err)
		err = errno_tables(f, p, o, nrs);
	free(rows);
	free(nrs);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}
