// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The run's facts, the summary table and the per-process table. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include "filter/filter.h"
#include "html/html_priv.h"
#include "stats/groups.h"

static void put_wall(FILE *f, __s64 ns)
{
	time_t t = ns / 1000000000LL;
	char date[64], zone[16];
	struct tm tm;

	if (!localtime_r(&t, &tm)) {
		fputs("?", f);
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	fprintf(f, "<time>%s.%03lld %s</time>", date, (long long)(ns % 1000000000LL / 1000000),
		zone);
}

static void put_target(FILE *f, const struct run_info *r)
{
	switch (r->mode) {
	case TARGET_COMMAND:
		fputs("the command <code>", f);
		for (char **a = r->argv; a && *a; a++) {
			if (a != r->argv)
				fputc(' ', f);
			html_puts(f, *a);
		}
		fputs("</code> and its descendants", f);
		if (r->exit_status >= 0)
			fprintf(f, " (exit status %d)", r->exit_status);
		else
			fputs(" (still running when tracing stopped)", f);
		break;
	case TARGET_PID:
		fputs("the processes ", f);
		for (int i = 0; r->pids && i < r->nr_pids; i++)
			fprintf(f, "%s%d", i ? ", " : "", r->pids[i]);
		break;
	default:
		fputs("the whole system (every process but sysray)", f);
	}
}

static void put_filters(FILE *f, const struct filter *flt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (!flt || !filter__active(flt)) {
		fputs("none", f);
		return;
	}
	mem = open_memstream(&buf, &len);
	if (!mem) {
		fputs("?", f);
		return;
	}
	filter__describe_text(flt, mem);
	fclose(mem);
	/* "filters: cgroup=... uid=0\n" without the label and the newline. */
	if (buf && len && buf[len - 1] == '\n')
		buf[len - 1] = 0;
	fputs("<code>", f);
	html_puts(f, buf && len > 9 ? buf + 9 : "");
	fputs("</code>", f);
	free(buf);
}

void html_run_facts(FILE *f, const struct html_doc *d)
{
	const struct profile *p = d->p;
	const struct html_facts *x = d->facts;

	fputs("<section id=\"run\">\n<h2>Run</h2>\n<dl class=\"facts\">\n<dt>Traced</dt><dd>", f);
	put_target(f, &p->run);
	fputs("</dd>\n<dt>Filters</dt><dd>", f);
	put_filters(f, d->o->filter);
	fputs("</dd>\n<dt>Host</dt><dd>", f);
	html_puts(f, x->host[0] ? x->host : "?");
	fputs("</dd>\n<dt>Kernel</dt><dd>", f);
	html_puts(f, x->kernel[0] ? x->kernel : "?");
	fputc(' ', f);
	html_puts(f, x->machine);
	fputs("</dd>\n<dt>Start</dt><dd>", f);
	put_wall(f, x->start_wall_ns);
	fputs("</dd>\n<dt>End</dt><dd>", f);
	put_wall(f, x->start_wall_ns + (__s64)p->duration_ns);
	fprintf(f, "</dd>\n<dt>Duration</dt><dd>%.3f s</dd>\n", p->duration_ns / 1e9);
	fprintf(f, "<dt>Events</dt><dd id=\"events\">%llu received, %llu dropped",
		(unsigned long long)p->received, (unsigned long long)p->dropped);
	if (p->missed)
		fprintf(f, ", %llu missed by the kernel (not counted)",
			(unsigned long long)p->missed);
	fprintf(f, "</dd>\n<dt>Processes</dt><dd>%llu traced</dd>\n</dl>\n",
		(unsigned long long)p->procs);
	if (p->dropped)
		fprintf(f,
			"<p class=\"warn\">%llu records were dropped (ring buffer full): calls "
			"and errors are exact, latencies cover the %llu delivered records. Try a "
			"larger <code>--ring-size</code>.</p>\n",
			(unsigned long long)p->dropped, (unsigned long long)p->received);
	fputs("</section>\n", f);
}

static void td_u64(FILE *f, __u64 v)
{
	fprintf(f, "<td data-v=\"%llu\">%llu</td>", (unsigned long long)v, (unsigned long long)v);
}

static void td_dur(FILE *f, double ns)
{
	char buf[32];

	fprintf(f, "<td data-v=\"%.0f\">%s</td>", ns, html_dur(buf, sizeof(buf), ns));
}

static void summary_row(FILE *f, const struct html_sc *s, __u64 all_ns)
{
	static const double qs[] = { 50, 99 };
	const struct sc_stat *st = s->st;
	__u64 pct[2] = { 0, 0 };

	if (s->detail)
		hist__percentiles(&s->detail->hist, qs, 2, pct);
	fprintf(f, "<tr data-syscall=\"%s\"><td><a href=\"#h-%s-%s\">%s</a></td><td>%s</td>",
		s->name, html_abi(s->abi), s->name, s->name, html_abi(s->abi));
	td_u64(f, st->calls);
	td_u64(f, st->errors);
	td_u64(f, st->unfinished);
	fprintf(f, "<td data-v=\"%.4f\">%.2f</td>", all_ns ? 100.0 * st->total_ns / all_ns : 0,
		all_ns ? 100.0 * st->total_ns / all_ns : 0);
	td_dur(f, st->total_ns);
	td_dur(f, st->timed ? (double)st->total_ns / st->timed : 0);
	td_dur(f, pct[0]);
	td_dur(f, pct[1]);
	td_dur(f, st->timed ? st->max_ns : 0);
	fputs("</tr>\n", f);
}

void html_summary(FILE *f, const struct html_doc *d)
{
	struct sc_stat all = { 0 };

	for (size_t i = 0; i < d->nr_sc; i++)
		sc_stat__merge(&all, d->sc[i].st);
	fputs("<section id=\"summary\">\n<h2>Summary</h2>\n"
	      "<p class=\"note\">Click a column to sort. Time is the sum of the calls' "
	      "latencies; p50 and p99 cover the delivered records.</p>\n"
	      "<div class=\"scroll\"><table class=\"sortable\" id=\"summary-table\">\n<thead><tr>"
	      "<th data-t=\"s\">syscall</th><th data-t=\"s\">ABI</th><th>calls</th>"
	      "<th>errors</th><th>unfinished</th><th>% time</th><th>time</th><th>avg</th>"
	      "<th>p50</th><th>p99</th><th>max</th></tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < d->nr_sc; i++)
		summary_row(f, &d->sc[i], all.total_ns);
	fputs("</tbody>\n<tfoot><tr><td>total</td><td></td>", f);
	td_u64(f, all.calls);
	td_u64(f, all.errors);
	td_u64(f, all.unfinished);
	fputs("<td>100.00</td>", f);
	td_dur(f, all.total_ns);
	td_dur(f, all.timed ? (double)all.total_ns / all.timed : 0);
	fputs("<td></td><td></td>", f);
	td_dur(f, all.timed ? all.max_ns : 0);
	fputs("</tr></tfoot>\n</table></div>\n</section>\n", f);
}

/* The syscall a group spent most time in. */
static const char *busiest(const struct group *g, char *buf, size_t len)
{
	const struct group_sc *best = NULL;

	for (__u32 i = 0; i <= g->mask; i++) {
		const struct group_sc *e = &g->sc[i];

		if (e->key && (!best || e->st.total_ns > best->st.total_ns))
			best = e;
	}
	if (!best)
		return "";
	return syscall_name((best->key - 1) / SYSRAY_MAX_NR, (best->key - 1) % SYSRAY_MAX_NR, buf,
			    len);
}

static void process_row(FILE *f, const struct group_summary *s, bool threads)
{
	const struct group *g = s->g;
	char buf[SYSCALL_NAME_BUF];

	fputs("<tr>", f);
	if (g->id == GROUP_OTHERS_ID) {
		fprintf(f, "<td data-v=\"0\"></td>%s<td>(beyond the first %d)</td>",
			threads ? "<td data-v=\"0\"></td>" : "", GROUPS_MAX);
	} else {
		if (threads)
			fprintf(f, "<td data-v=\"%u\">%u</td>", g->id, g->id);
		fprintf(f, "<td data-v=\"%u\">%u</td><td>", g->tgid, g->tgid);
		html_puts(f, g->comm);
		fputs("</td>", f);
	}
	td_u64(f, s->calls);
	td_u64(f, s->errors);
	td_dur(f, s->total_ns);
	fprintf(f, "<td>%s</td></tr>\n", busiest(g, buf, sizeof(buf)));
}

int html_processes(FILE *f, const struct html_doc *d)
{
	const struct groups *g = d->p->groups;
	struct group_summary *s = NULL;
	bool threads;
	size_t n = 0;
	int err;

	if (!g)
		return 0;
	threads = groups__by(g) == GROUP_THREAD;
	err = groups__summaries(g, d->o->top ? d->o->top : HTML_PROCESSES, &s, &n);
	if (err)
		return err;
	fprintf(f,
		"<section id=\"processes\">\n<h2>%s</h2>\n<p class=\"note\">The %zu busiest by "
		"time, from the delivered records (calls that never returned are not in "
		"them).</p>\n<div class=\"scroll\"><table class=\"sortable\" "
		"id=\"process-table\">\n<thead><tr>%s"
		"<th>pid</th><th data-t=\"s\">command</th><th>calls</th><th>errors</th>"
		"<th>time</th><th data-t=\"s\">busiest syscall</th></tr></thead>\n<tbody>\n",
		threads ? "Threads" : "Processes", n, threads ? "<th>tid</th>" : "");
	for (size_t i = 0; i < n; i++)
		process_row(f, &s[i], threads);
	fputs("</tbody>\n</table></div>\n</section>\n", f);
	free(s);
	return 0;
}
