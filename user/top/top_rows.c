// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/escape.h"
#include "lib/syscalls.h"
#include "top/top_rows.h"

const char *const top_view_names[TOP_VIEW_CNT] = { "syscall", "process", "cgroup" };
const char *const top_col_names[TOP_COL_CNT] = {
	"name", "calls/s", "errors/s", "p50", "p99", "max"
};

const char *top_fmt_rate(char *buf, size_t len, double v)
{
	if (v < 999.95)
		snprintf(buf, len, "%.1f", v);
	else if (v < 999999.5)
		snprintf(buf, len, "%.0f", v);
	else if (v < 999.995e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else
		snprintf(buf, len, "%.2fG", v / 1e9);
	return buf;
}

const char *top_fmt_ns(char *buf, size_t len, __u64 ns)
{
	static const char *const units[] = { "ns", "us", "ms", "s" };
	double v = ns;
	int u = 0;

	if (!ns) {
		snprintf(buf, len, "-");
		return buf;
	}
	while (u < 3 && v >= 999.5) {
		v /= 1000;
		u++;
	}
	if (u == 0 || v >= 99.95)
		snprintf(buf, len, "%.0f%s", v, units[u]);
	else if (v >= 9.995)
		snprintf(buf, len, "%.1f%s", v, units[u]);
	else
		snprintf(buf, len, "%.2f%s", v, units[u]);
	return buf;
}

void top_rows__clear(struct top_rows *rs)
{
	rs->n = 0;
}

void top_rows__free(struct top_rows *rs)
{
	free(rs->r);
	*rs = (struct top_rows){ 0 };
}

static struct top_row *push(struct top_rows *rs)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 64;
		struct top_row *r = realloc(rs->r, cap * sizeof(*r));

		if (!r)
			return NULL;
		rs->r = r;
		rs->cap = cap;
	}
	memset(&rs->r[rs->n], 0, sizeof(rs->r[0]));
	return &rs->r[rs->n++];
}

void top_term_escape(char *dst, size_t len, const char *src)
{
	char esc[4 * TOP_NAME_LEN];
	size_t k = 0;

	if (!len)
		return;
	escape_str(esc, sizeof(esc), src);
	/* A terminal may not speak UTF-8 (ssh from anywhere): octal for those bytes too. */
	for (const unsigned char *s = (const unsigned char *)esc; *s && k + 1 < len; s++) {
		if (*s < 0x80) {
			dst[k++] = *s;
		} else if (k + 4 < len) {
			snprintf(dst + k, len - k, "\\%03o", *s);
			k += 4;
		} else {
			break;
		}
	}
	dst[k] = 0;
}

int top_rows_syscalls(const struct profile *win, double secs, struct top_rows *out)
{
	static const double qs[] = { 50, 99 };

	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			const struct sc_stat *s = &win->total.sc[abi][nr];
			const struct sc_detail *d = win->detail[abi][nr];
			char buf[SYSCALL_NAME_BUF];
			__u64 pct[2] = { 0, 0 };
			struct top_row *r;

			if (!s->calls)
				continue;
			r = push(out);
			if (!r)
				return -ENOMEM;
			snprintf(r->name, sizeof(r->name), "%s%s",
				 syscall_name(abi, nr, buf, sizeof(buf)),
				 abi == SYSRAY_ABI_NATIVE ? "" : " (32-bit)");
			if (d)
				hist__percentiles(&d->hist, qs, 2, pct);
			r->calls_s = s->calls / secs;
			r->errors_s = s->errors / secs;
			r->p50 = pct[0];
			r->p99 = pct[1];
			r->max = s->timed ? s->max_ns : 0;
		}
	}
	return 0;
}

static void fill_lat(struct top_row *r, const struct top_lat *l, __u64 calls, __u64 errors,
		     double secs)
{
	r->calls_s = calls / secs;
	r->errors_s = errors / secs;
	r->p50 = top_lat__percentile(l, 50);
	r->p99 = top_lat__percentile(l, 99);
	r->max = l->max;
}

int top_rows_procs(const struct top_proc *const *p, size_t n, double secs, struct top_rows *out)
{
	for (size_t i = 0; i < n; i++) {
		struct top_row *r = push(out);

		if (!r)
			return -ENOMEM;
		top_term_escape(r->name, sizeof(r->name), p[i]->comm);
		r->pid = p[i]->tgid;
		fill_lat(r, &p[i]->lat, p[i]->calls, p[i]->errors, secs);
	}
	return 0;
}

static int by_cgroup(const void *a, const void *b)
{
	return strcmp((*(const struct top_proc *const *)a)->cgroup,
		      (*(const struct top_proc *const *)b)->cgroup);
}

int top_rows_cgroups(const struct top_proc **p, size_t n, double secs, struct top_rows *out)
{
	struct top_lat *lat = malloc(sizeof(*lat));
	int err = 0;

	if (!lat)
		return -ENOMEM;
	qsort(p, n, sizeof(*p), by_cgroup);
	for (size_t i = 0, j; i < n; i = j) {
		__u64 calls = 0, errors = 0;
		struct top_row *r = push(out);

		if (!r) {
			err = -ENOMEM;
			break;
		}
		memset(lat, 0, sizeof(*lat));
		for (j = i; j < n && !strcmp(p[j]->cgroup, p[i]->cgroup); j++) {
			top_lat__merge(lat, &p[j]->lat);
			calls += p[j]->calls;
			errors += p[j]->errors;
		}
		top_term_escape(r->name, sizeof(r->name),
				p[i]->cgroup[0] ? p[i]->cgroup : "(unknown: exited first)");
		fill_lat(r, lat, calls, errors, secs);
	}
	free(lat);
	return err;
}

struct sort_key {
	enum top_col col;
	bool asc;
};

static double value(const struct top_row *r, enum top_col c)
{
	switch (c) {
	case TOP_COL_CALLS:
		return r->calls_s;
	case TOP_COL_ERRORS:
		return r->errors_s;
	case TOP_COL_P50:
		return r->p50;
	case TOP_COL_P99:
		return r->p99;
	case TOP_COL_MAX:
		return r->max;
	default:
		return 0;
	}
}

static int row_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct top_row *a = *(const struct top_row *const *)pa;
	const struct top_row *b = *(const struct top_row *const *)pb;
	const struct sort_key *k = ctx;
	int c = 0;

	if (k->col != TOP_COL_NAME) {
		double x = value(a, k->col), y = value(b, k->col);

		c = x < y ? -1 : x > y;
	}
	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = a->pid < b->pid ? -1 : a->pid > b->pid;
	return k->asc ? c : -c;
}

static bool matches(const struct top_row *r, const char *filter)
{
	char pid[16];

	if (!filter || !*filter || strcasestr(r->name, filter))
		return true;
	snprintf(pid, sizeof(pid), "%u", r->pid);
	return r->pid && strstr(pid, filter);
}

size_t top_rows_select(const struct top_rows *rs, const char *filter, enum top_col col, bool asc,
		       const struct top_row **out)
{
	struct sort_key k = { .col = col, .asc = asc };
	size_t n = 0;

	for (size_t i = 0; i < rs->n; i++)
		if (matches(&rs->r[i], filter))
			out[n++] = &rs->r[i];
	qsort_r(out, n, sizeof(*out), row_cmp, &k);
	return n;
}
