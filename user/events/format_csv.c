// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Events as CSV (RFC 4180): a header row, then one row per call (docs/events.md). */
#include <errno.h>
#include <string.h>
#include "lib/csv.h"
#include "lib/errnos.h"
#include "lib/escape.h"
#include "events/event.h"

static const char header[] = "time,mono_ns,pid,tid,comm,syscall,abi,args,ret,errno,duration_ns,"
			     "unfinished" CSV_EOL;

/* The command name as the text formats show it (escaped), as one field. */
static void put_comm(struct ev_fmt *x, const struct sysray_event *e)
{
	char buf[16 * ESCAPE_MAX_PER_BYTE + 1];
	size_t n = escape_bytes(buf, sizeof(buf), e->comm, strnlen(e->comm, sizeof(e->comm)));

	ev_line_csv(&x->line, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
	ev_line_putn(&x->line, ",", 1);
}

static void put_result(struct ev_fmt *x, const struct ev_view *v)
{
	struct ev_line *l = &x->line;
	const char *name;

	if (v->unfinished) {
		ev_line_putn(l, ",,", 2);
		return;
	}
	ev_line_printf(l, "%lld,", (long long)v->e->ret);
	if (v->failed) {
		name = errno_name(v->err);
		if (name)
			ev_line_printf(l, "%s", name);
		else
			ev_line_printf(l, "%d", v->err);
	}
	ev_line_putn(l, ",", 1);
}

int format_csv_header(struct ev_fmt *x)
{
	return fputs(header, x->f) < 0 ? -EIO : 0;
}

int format_csv(struct ev_fmt *x, const struct ev_view *v)
{
	const struct sysray_event *e = v->e;
	struct ev_line *l = &x->line;
	const char *abi = abi_name(e->abi);
	char time[40];

	ev_line_reset(l);
	ev_rfc3339(x, e->start_ns, time, sizeof(time));
	ev_line_printf(l, "%s,%llu,%u,%u,", time, (unsigned long long)e->start_ns, e->tgid, e->tid);
	put_comm(x, e);
	ev_line_printf(l, "%s,%s,", v->name, abi ? abi : "?");
	ev_line_reset(&x->aux);
	format_strace_args(x, v, &x->aux);
	if (x->aux.oom)
		l->oom = true;
	else
		ev_line_csv(l, x->aux.p ? x->aux.p : "", x->aux.n);
	ev_line_putn(l, ",", 1);
	put_result(x, v);
	ev_line_printf(l, "%llu,%d" CSV_EOL, (unsigned long long)e->dur_ns, v->unfinished);
	return ev_line_write(l, x->f);
}
