// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/cluster.h"
#include "analysis/correlate.h"
#include "stats/groups.h"
#include "stats/outliers.h"
#include "lib/json.h"
#include "filter/filter.h"
#include "report/report.h"
#include "report/report_anomaly.h"
#include "report/report_json.h"
#include "report/report_stats.h"
#include "lib/syscalls.h"
#include "lib/walltime.h"

struct entry {
	const struct sc_stat *s;
	const char *name;
	int abi;
	int nr;
	char buf[SYSCALL_NAME_BUF];
};

static const char *const pct_keys[REPORT_NR_PCTS] = {
	"p50_ns", "p75_ns", "p90_ns", "p95_ns", "p99_ns", "p999_ns",
};

/* Total order, so that the output does not depend on the sort algorithm. */
static int entry_cmp(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c;

	if (a->s->total_ns != b->s->total_ns)
		return a->s->total_ns < b->s->total_ns ? 1 : -1;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->abi != b->abi)
		return a->abi - b->abi;
	return a->nr - b->nr;
}

static int put_bucket(unsigned int idx, __u64 lo, __u64 hi, __u64 count, void *ctx)
{
	struct json_writer *w = ctx;

	(void)idx;
	json_writer__begin_array(w);
	json_writer__u64(w, lo);
	json_writer__u64(w, hi);
	json_writer__u64(w, count);
	return json_writer__end_array(w);
}

/* Percentiles, errnos and histogram; zeros and empty containers without timed calls. */
static int put_detail(struct json_writer *w, const struct sc_detail *d)
{
	const struct hist *h = d ? &d->hist : NULL;
	__u64 pct[REPORT_NR_PCTS] = { 0 };
	struct hist_outliers out = { 0 };
	struct errno_count *e = NULL;
	int indent = w->indent, err;
	size_t n = 0;

	err = sc_detail__errnos(d, &e, &n);
	if (!err && h)
		err = hist__percentiles(h, report_pcts, REPORT_NR_PCTS, pct);
	if (!err && h)
		err = hist_outliers(h, &out);
	if (err) {
		free(e);
		return err;
	}
	json_writer__key(w, "mean_ns");
	json_writer__double(w, h ? hist__mean(h) : 0);
	json_writer__key(w, "stddev_ns");
	json_writer__double(w, h ? hist__stddev(h) : 0);
	for (int i = 0; i < REPORT_NR_PCTS; i++)
		json_writer__kv_u64(w, pct_keys[i], pct[i]);
	json_writer__key(w, "outliers");
	if (h && hist__count(h) >= OUTLIER_MIN_CALLS)
		json_writer__u64(w, out.count);
	else
		json_writer__null(w);
	json_writer__key(w, "outlier_share");
	if (h && hist__count(h) >= OUTLIER_MIN_CALLS)
		json_writer__double(w, out.share);
	else
		json_writer__null(w);

	/* Small containers stay on one line even in the indented document. */
	json_writer__key(w, "errnos");
	json_writer__begin_object(w);
	json_writer__set_indent(w, 0);
	for (size_t i = 0; i < n; i++) {
		char buf[16];

		json_writer__kv_u64(w, sc_errno_label(e[i].err, buf, sizeof(buf)), e[i].count);
	}
	json_writer__end_object(w);
	json_writer__set_indent(w, indent);

	json_writer__key(w, "histogram");
	json_writer__begin_array(w);
	json_writer__set_indent(w, 0);
	if (h)
		hist__for_each_bucket(h, put_bucket, w);
	json_writer__end_array(w);
	json_writer__set_indent(w, indent);
	free(e);
	return 0;
}

/* detail: the syscall's details (whole-run and interval lists), or NULL (groups). */
static int put_syscall(struct json_writer *w, const struct entry *e, const struct sc_detail *detail,
		       bool with_detail, const struct report_extra *x)
{
	const struct sc_stat *s = e->s;
	int err = 0;

	json_writer__begin_object(w);
	json_writer__kv_string(w, "name", e->name);
	json_writer__kv_s64(w, "nr", e->nr);
	json_writer__kv_string(w, "abi", abi_name(e->abi));
	json_writer__kv_u64(w, "calls", s->calls);
	json_writer__kv_u64(w, "errors", s->errors);
	if (with_detail)
		json_writer__kv_u64(w, "unfinished", s->unfinished);
	json_writer__kv_u128(w, "total_ns", s->total_ns);
	json_writer__kv_u64(w, "min_ns", s->timed ? s->min_ns : 0);
	json_writer__kv_u64(w, "max_ns", s->timed ? s->max_ns : 0);
	if (with_detail)
		err = put_detail(w, detail);
	if (!err && x && x->json_syscall)
		err = x->json_syscall(x->ctx, w, e->abi, e->nr);
	json_writer__end_object(w);
	return err;
}

/* Everything with calls, in output order; NULL on allocation failure. */
static struct entry *collect(const struct sc_table *t, size_t *n)
{
	struct entry *e = calloc(SYSRAY_ABI_CNT * SYSRAY_MAX_NR, sizeof(*e));

	*n = 0;
	if (!e)
		return NULL;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			struct entry *x = &e[*n];

			if (!t->sc[abi][nr].calls)
				continue;
			x->s = &t->sc[abi][nr];
			x->abi = abi;
			x->nr = nr;
			x->name = syscall_name(abi, nr, x->buf, sizeof(x->buf));
			(*n)++;
		}
	}
	qsort(e, *n, sizeof(*e), entry_cmp);
	return e;
}

/*
 * The "syscalls" list of a table; p gives the details, NULL for a group's table; x adds to
 * the entries of the whole run. *cut is set when --top left entries out.
 */
static int put_syscalls(struct json_writer *w, const struct sc_table *t, const struct profile *p,
			unsigned int top, const struct report_extra *x, bool *cut)
{
	struct entry *e;
	size_t n;
	int err = 0;

	e = collect(t, &n);
	if (!e)
		return -ENOMEM;
	if (top && n > top) {
		n = top;
		*cut = true;
	}
	json_writer__key(w, "syscalls");
	json_writer__begin_array(w);
	for (size_t i = 0; !err && i < n; i++)
		err = put_syscall(w, &e[i], p ? p->detail[e[i].abi][e[i].nr] : NULL, p != NULL, x);
	json_writer__end_array(w);
	free(e);
	return err;
}

static int put_groups(struct json_writer *w, const struct groups *g, unsigned int top, bool *cut)
{
	bool threads = groups__by(g) == GROUP_THREAD;
	struct group_summary *s;
	struct sc_table *t;
	size_t n;
	int err;

	t = malloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	err = groups__summaries(g, 0, &s, &n);
	if (err) {
		free(t);
		return err;
	}
	if (top && n > top) {
		n = top;
		*cut = true;
	}
	json_writer__key(w, threads ? "threads_detail" : "processes_detail");
	json_writer__begin_array(w);
	for (size_t i = 0; !err && i < n; i++) {
		json_writer__begin_object(w);
		json_writer__kv_u64(w, "pid", s[i].g->tgid);
		if (threads)
			json_writer__kv_u64(w, "tid", s[i].g->id);
		json_writer__kv_string(w, "comm", s[i].g->comm);
		json_writer__kv_u64(w, "calls", s[i].calls);
		json_writer__kv_u64(w, "errors", s[i].errors);
		json_writer__kv_u128(w, "total_ns", s[i].total_ns);
		group__fill_table(s[i].g, t);
		err = put_syscalls(w, t, NULL, top, NULL, cut);
		json_writer__end_object(w);
	}
	json_writer__end_array(w);
	free(s);
	free(t);
	return err;
}

static int put_clusters(struct json_writer *w, const struct groups *g, int k)
{
	struct clusters *c;
	int err = clusters__compute(g, k < 0 ? 0 : k, &c);

	if (err)
		return err;
	clusters_put_json(w, c);
	clusters__free(c);
	return 0;
}

static const char *const modes[] = {
	[TARGET_COMMAND] = "command",
	[TARGET_PID] = "pid",
	[TARGET_SYSTEM] = "system",
};

static void put_target(struct json_writer *w, const struct profile *p)
{
	json_writer__key(w, "target");
	json_writer__begin_object(w);
	json_writer__kv_string(w, "mode", modes[p->run.mode]);
	if (p->run.mode == TARGET_COMMAND) {
		json_writer__key(w, "argv");
		json_writer__begin_array(w);
		for (char **a = p->run.argv; a && *a; a++)
			json_writer__string(w, *a);
		json_writer__end_array(w);
		/* null: -d ended tracing while the command still ran */
		json_writer__key(w, "exit_status");
		if (p->run.exit_status >= 0)
			json_writer__s64(w, p->run.exit_status);
		else
			json_writer__null(w);
	} else if (p->run.mode == TARGET_PID) {
		json_writer__key(w, "pids");
		json_writer__begin_array(w);
		for (int i = 0; p->run.pids && i < p->run.nr_pids; i++)
			json_writer__s64(w, p->run.pids[i]);
		json_writer__end_array(w);
	}
	json_writer__end_object(w);
}

/* key: wall_ns as RFC 3339 UTC, or null when it is not known (0). */
static void put_time(struct json_writer *w, const char *key, __u64 wall_ns)
{
	char buf[WALLTIME_LEN];

	json_writer__key(w, key);
	if (wall_ns)
		json_writer__string(w, walltime_rfc3339(buf, sizeof(buf), wall_ns));
	else
		json_writer__null(w);
}

/* When and where the whole run happened. */
static void put_run_identity(struct json_writer *w, const struct run_info *run)
{
	put_time(w, "started_at", run->start_wall_ns);
	put_time(w, "ended_at", run->end_wall_ns);
	json_writer__key(w, "host");
	json_writer__begin_object(w);
	json_writer__kv_string(w, "hostname", run->hostname);
	json_writer__kv_string(w, "kernel", run->kernel);
	json_writer__end_object(w);
}

static void put_interval(struct json_writer *w, const struct profile *p)
{
	__u64 start = p->run.start_ns + p->offset_ns;

	json_writer__key(w, "interval");
	json_writer__begin_object(w);
	json_writer__kv_u64(w, "seq", p->seq);
	json_writer__kv_u64(w, "start_ns", p->offset_ns);
	json_writer__kv_u64(w, "end_ns", p->offset_ns + p->duration_ns);
	put_time(w, "start_time", p->run.start_ns ? walltime_of_mono(start) : 0);
	put_time(w, "end_time", p->run.start_ns ? walltime_of_mono(start + p->duration_ns) : 0);
	json_writer__end_object(w);
}

static void put_header(struct json_writer *w, const struct profile *p, const char *version)
{
	json_writer__kv_string(w, "schema", REPORT_JSON_SCHEMA);
	if (p->seq) {
		put_interval(w, p);
	} else {
		json_writer__key(w, "tool");
		json_writer__begin_object(w);
		json_writer__kv_string(w, "name", "sysray");
		json_writer__kv_string(w, "version", version ? version : "");
		json_writer__end_object(w);
		put_target(w, p);
		put_run_identity(w, &p->run);
	}
	json_writer__kv_u64(w, "duration_ns", p->duration_ns);
	if (!p->seq)
		json_writer__kv_u64(w, "processes", p->procs);
	if (!p->seq && p->run.hooks)
		json_writer__kv_string(w, "hooks", p->run.hooks);
	json_writer__key(w, "events");
	json_writer__begin_object(w);
	json_writer__kv_u64(w, "received", p->received);
	json_writer__kv_u64(w, "dropped", p->dropped);
	if (!p->seq)
		json_writer__kv_u64(w, "missed", p->missed);
	json_writer__end_object(w);
	if (p->run.sample_every > 1) {
		json_writer__key(w, "sampling");
		json_writer__begin_object(w);
		json_writer__kv_u64(w, "every", p->run.sample_every);
		json_writer__kv_string(w, "method", "random");
		if (!p->seq)
			json_writer__kv_u64(w, "untimed", p->unsampled);
		json_writer__end_object(w);
	}
}

int report_json_write(FILE *f, const struct profile *p, const struct report_json_opts *o)
{
	const struct report_extra *x;
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	bool cut = false;
	FILE *mem;
	int err;

	if (!p->seq && (unsigned int)p->run.mode >= sizeof(modes) / sizeof(modes[0]))
		return -EINVAL;
	/* Render into memory first: a failure must not leave half a document behind. */
	mem = open_memstream(&buf, &len);
	if (!mem)
		return -ENOMEM;
	json_writer__init(&w, mem, o->compact ? 0 : 2);
	json_writer__begin_object(&w);
	put_header(&w, p, o->version);
	if (!p->seq) {
		struct filter none;

		filter__init(&none);
		filter__describe_json(o->filter ? o->filter : &none, &w);
	}
	x = p->seq ? NULL : o->extra;
	err = put_syscalls(&w, &p->total, p, o->top, x, &cut);
	if (!err && p->groups)
		err = put_groups(&w, p->groups, o->top, &cut);
	if (!err && o->anomaly && !p->seq)
		report_anomaly_json(&w, o->anomaly, o->anomaly_log);
	if (!err && o->correlate && !p->seq)
		corr_put_json(&w, o->correlate);
	if (!err && o->clusters && p->groups && !p->seq)
		err = put_clusters(&w, p->groups, o->clusters);
	if (!err && x && x->json)
		err = x->json(x->ctx, &w);
	/* Last, once known: whether --top left syscalls or groups out of any list above. */
	if (o->top)
		json_writer__kv_u64(&w, "top", o->top);
	json_writer__key(&w, "truncated");
	json_writer__bool(&w, cut);
	json_writer__end_object(&w);
	/* The writer's errors are sticky, so checking the end covers every call above. */
	if (!err)
		err = json_writer__end(&w);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	/* The stream's own errno (ENOSPC, EPIPE...), not a generic EIO. */
	errno = 0;
	if (!err && (fwrite(buf, 1, len, f) != len || fflush(f)))
		err = errno ? -errno : -EIO;
	free(buf);
	return err;
}

int report_json(FILE *f, const struct profile *p, const char *version)
{
	struct report_json_opts o = { .version = version };

	return report_json_write(f, p, &o);
}
