// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_hist.h"
#include "lib/syscalls.h"

/* Row 0 holds 0 ns; row k >= 1 holds [2^(k-1), 2^k); values up to 2^37 need rows 0..37. */
#define NR_ROWS	  (HIST_RANGE_BITS + 1)
#define BOUND_LEN 16
#define LABEL_LEN (2 * BOUND_LEN + 4) /* "[lo, hi)" */

int report_hist_select(bool all, const char *list, struct hist_select *sel, char *err,
		       size_t errlen)
{
	const char *tok = list;

	memset(sel, 0, sizeof(*sel));
	sel->all = all;
	sel->any = all;
	while (tok && *tok) {
		const char *comma = strchr(tok, ',');
		size_t len = comma ? (size_t)(comma - tok) : strlen(tok);
		char name[64];
		bool found = false;

		if (len && len < sizeof(name)) {
			memcpy(name, tok, len);
			name[len] = 0;
			for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
				int nr = syscall_lookup(abi, name);

				if (nr < 0)
					continue;
				sel->bits[abi][nr / 64] |= 1ULL << (nr % 64);
				found = true;
			}
		}
		if (!found) {
			snprintf(err, errlen, "unknown syscall in --histogram: '%.*s'",
				 (int)(len > 64 ? 64 : len), tok);
			return -EINVAL;
		}
		sel->any = true;
		tok = comma ? comma + 1 : NULL;
	}
	return 0;
}

static bool selected(const struct hist_select *sel, int abi, int nr)
{
	return sel->all || (sel->bits[abi][nr / 64] & (1ULL << (nr % 64)));
}

static unsigned int row_of(__u64 v)
{
	return v ? 64 - __builtin_clzll(v) : 0;
}

/* A bound in the largest unit that keeps it at 1 or more, to three significant digits. */
static void fmt_bound(char *buf, size_t len, __u64 ns)
{
	static const struct {
		const char *unit;
		double div;
	} units[] = { { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 } };

	if (ns < 1000) {
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double v = ns / units[i].div;

		/* 999.5 would print as "1e+03": that is the next unit's 1. */
		if (v < 999.5 || i == sizeof(units) / sizeof(units[0]) - 1) {
			snprintf(buf, len, v < 999.5 ? "%.3g%s" : "%.0f%s", v, units[i].unit);
			return;
		}
	}
}

static int count_rows(unsigned int idx, __u64 lo, __u64 hi, __u64 count, void *ctx)
{
	__u64 *rows = ctx;

	(void)idx;
	(void)hi;
	rows[row_of(lo)] += count;
	return 0;
}

static void put_bar(FILE *f, __u64 count, __u64 max)
{
	unsigned int n = (unsigned int)((unsigned __int128)count * REPORT_HIST_BAR / max);

	if (count && !n)
		n = 1;
	fputc('|', f);
	for (unsigned int i = 0; i < REPORT_HIST_BAR; i++)
		fputc(i < n ? '@' : ' ', f);
	fputs("|\n", f);
}

int report_hist_render(FILE *f, const struct hist *h)
{
	char labels[NR_ROWS][LABEL_LEN];
	__u64 rows[NR_ROWS] = { 0 }, max = 0;
	unsigned int first, last;
	int lw = 0, cw;

	if (!hist__count(h))
		return 0;
	hist__for_each_bucket(h, count_rows, rows);
	for (first = 0; !rows[first]; first++)
		;
	for (last = NR_ROWS - 1; !rows[last]; last--)
		;
	for (unsigned int r = first; r <= last; r++) {
		char lo[BOUND_LEN], hi[BOUND_LEN];

		fmt_bound(lo, sizeof(lo), r ? 1ULL << (r - 1) : 0);
		fmt_bound(hi, sizeof(hi), 1ULL << r);
		/* The top bucket also holds everything beyond the tracked range. */
		if (r == last && h->counts[HIST_NR_BUCKETS - 1])
			strcpy(hi, "inf");
		snprintf(labels[r], LABEL_LEN, "[%s, %s)", lo, hi);
		if ((int)strlen(labels[r]) > lw)
			lw = (int)strlen(labels[r]);
		if (rows[r] > max)
			max = rows[r];
	}
	cw = snprintf(NULL, 0, "%llu", (unsigned long long)max);
	for (unsigned int r = first; r <= last; r++) {
		fprintf(f, "%-*s %*llu ", lw, labels[r], cw, (unsigned long long)rows[r]);
		put_bar(f, rows[r], max);
	}
	return ferror(f) ? -EIO : 0;
}

int report_hist(FILE *f, const struct profile *p, const struct hist_select *sel,
		const struct report_text_opts *o)
{
	static const struct report_text_opts defaults;
	unsigned int shown = 0;
	int *nrs, err = 0;

	if (!sel->any)
		return 0;
	if (!o)
		o = &defaults;
	nrs = calloc(SYSRAY_MAX_NR, sizeof(*nrs));
	if (!nrs)
		return -ENOMEM;
	for (int abi = 0; !err && abi < SYSRAY_ABI_CNT; abi++) {
		int cnt = report_text_order(&p->total, abi, o, nrs);

		if (cnt < 0)
			err = cnt;
		for (int i = 0; !err && i < cnt; i++) {
			const struct sc_detail *d = p->detail[abi][nrs[i]];
			char buf[SYSCALL_NAME_BUF];
			const char *name;

			if (!selected(sel, abi, nrs[i]) || !d || !hist__count(&d->hist))
				continue;
			/* -T bounds "all"; syscalls named one by one are all shown. */
			if (sel->all && o->top && shown >= o->top)
				break;
			shown++;
			name = syscall_name(abi, nrs[i], buf, sizeof(buf));
			if (abi == SYSRAY_ABI_NATIVE)
				fprintf(f, "\n%s", name);
			else
				fprintf(f, "\n%s (%s)", name, abi_name(abi));
			fprintf(f, ": %llu timed call%s, latency histogram\n",
				(unsigned long long)hist__count(&d->hist),
				hist__count(&d->hist) == 1 ? "" : "s");
			err = report_hist_render(f, &d->hist);
		}
	}
	free(nrs);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}
