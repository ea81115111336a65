// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lib/csv.h"
#include "lib/escape.h"
#include "events/event.h"

int ev_view_init(struct ev_view *v, const struct sysray_event *e, size_t len)
{
	size_t off = sizeof(*e);

	memset(v, 0, sizeof(*v));
	if (len < sizeof(*e) || e->abi >= SYSRAY_ABI_CNT || e->nr >= SYSRAY_MAX_NR)
		return -EINVAL;
	v->e = e;
	for (int i = 0; i < 6; i++)
		v->str_of_arg[i] = -1;
	for (int i = 0; i < SYSRAY_EV_NSTR; i++) {
		int arg = e->str_arg[i] - 1;

		if (e->str_len[i] > len - off || (e->str_arg[i] && (arg < 0 || arg >= 6)))
			return -EINVAL;
		v->str[i] = (const char *)e + off;
		off += e->str_len[i];
		if (e->str_arg[i] && e->str_state[i] != SYSRAY_EV_STR_NONE)
			v->str_of_arg[arg] = i;
	}
	v->d = decode_sys(e->abi, e->nr);
	v->name = syscall_name(e->abi, e->nr, v->name_buf, sizeof(v->name_buf));
	v->compat = e->abi == SYSRAY_ABI_COMPAT;
	v->unfinished = e->flags & SYSRAY_EV_UNFINISHED;
	v->failed = !v->unfinished && sysray_is_error(e->ret);
	v->err = v->failed ? (int)-e->ret : 0;
	return 0;
}

static bool grow(struct ev_line *l, size_t more)
{
	size_t cap = l->cap ? l->cap : 256;
	char *p;

	if (l->oom)
		return false;
	if (l->n + more + 1 <= l->cap)
		return true;
	while (cap < l->n + more + 1)
		cap *= 2;
	p = realloc(l->p, cap);
	if (!p) {
		l->oom = true;
		return false;
	}
	l->p = p;
	l->cap = cap;
	return true;
}

void ev_line_reset(struct ev_line *l)
{
	l->n = 0;
	l->oom = false;
	if (l->p)
		l->p[0] = 0;
}

void ev_line_printf(struct ev_line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !grow(l, n))
		return;
	va_start(ap, fmt);
	vsnprintf(l->p + l->n, n + 1, fmt, ap);
	va_end(ap);
	l->n += n;
}

void ev_line_putn(struct ev_line *l, const char *s, size_t n)
{
	if (!grow(l, n))
		return;
	memcpy(l->p + l->n, s, n);
	l->n += n;
	l->p[l->n] = 0;
}

void ev_line_escaped(struct ev_line *l, const char *s, size_t n)
{
	/* Runs between quotes through the shared escaper, each quote as \" (strace). */
	while (n) {
		const char *q = memchr(s, '"', n);
		size_t run = q ? (size_t)(q - s) : n, need;

		need = escape_bytes_ascii(NULL, 0, s, run);
		if (!grow(l, need))
			return;
		escape_bytes_ascii(l->p + l->n, need + 1, s, run);
		l->n += need;
		if (!q)
			break;
		ev_line_putn(l, "\\\"", 2);
		s += run + 1;
		n -= run + 1;
	}
}

void ev_line_csv(struct ev_line *l, const char *s, size_t n)
{
	size_t need = csv_field(NULL, 0, s, n);

	if (!grow(l, need))
		return;
	csv_field(l->p + l->n, need + 1, s, n);
	l->n += need;
}

int ev_line_write(struct ev_line *l, FILE *f)
{
	if (l->oom)
		return -ENOMEM;
	if (l->n && fwrite(l->p, 1, l->n, f) != l->n)
		return -EIO;
	return 0;
}

void ev_line_free(struct ev_line *l)
{
	free(l->p);
	*l = (struct ev_line){ 0 };
}

void ev_rfc3339(const struct ev_fmt *x, __u64 mono_ns, char *buf, size_t len)
{
	__s64 wall = (__s64)mono_ns + x->wall_off_ns;
	time_t sec = wall / 1000000000;
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (long long)(wall % 1000000000));
}
