// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/clock.h"
#include "lib/log.h"
#include "stats/aggregate.h"
#include "top/top_screen.h"
#include "top/top_sink.h"

#define FILTER_LEN 64
/* The first rows come this soon, over what arrived so far, rather than after a refresh. */
#define FIRST_NS 250000000ULL

struct top_sink {
	struct top_sink_opts o;
	struct aggregate *win; /* this refresh's records, per syscall */
	struct top_procs *procs;
	struct top_screen *scr;
	struct ticker refresh, keys;
	__u64 start_ns, last_ns;
	__u64 dropped_last; /* the kernel's count at the last refresh */
	const struct run_info *run;
	char scope[160];
	/* The last refresh: every view's rows, so that keys redraw at once. */
	struct top_rows rows[TOP_VIEW_CNT];
	const struct top_row **sel;
	size_t sel_cap;
	struct top_frame fr;
	/* What the keys set. */
	bool quit, paused, editing;
	enum top_view view;
	enum top_col sort;
	bool asc;
	char filter[FILTER_LEN], typed[FILTER_LEN];
};

static void describe_scope(struct top_sink *t, const struct run_info *run)
{
	size_t n = 0, len = sizeof(t->scope);
	char buf[64];

	switch (run->mode) {
	case TARGET_COMMAND:
		n = snprintf(t->scope, len, "command:");
		for (char **a = run->argv; a && *a && n < len; a++) {
			top_term_escape(buf, sizeof(buf), *a);
			n += snprintf(t->scope + n, len - n, " %s", buf);
		}
		break;
	case TARGET_PID:
		n = snprintf(t->scope, len, "pids");
		for (int i = 0; run->pids && i < run->nr_pids && n < len; i++)
			n += snprintf(t->scope + n, len - n, "%c%d", i ? ',' : ' ', run->pids[i]);
		break;
	default:
		snprintf(t->scope, len, "whole system");
	}
}

static int start(void *ctx, const struct sink_start *s)
{
	struct top_sink *t = ctx;
	struct aggregate_opts ao = { .pid_max = s->pid_max };
	int err;

	err = aggregate__new(&ao, &t->win);
	if (!err)
		err = top_procs__new(s->comm_fn, s->comm_ctx, &t->procs);
	if (err) {
		p_err("out of memory");
		return err;
	}
	t->run = s->run;
	describe_scope(t, s->run);
	t->start_ns = t->last_ns = s->run->start_ns;
	ticker__start(&t->refresh, t->o.refresh_ns, t->start_ns);
	/* The screen opens at the first key poll, after the session's start-up messages. */
	ticker__start(&t->keys, TOP_KEY_POLL_NS, t->start_ns - TOP_KEY_POLL_NS + 1);
	return 0;
}

static int records(void *ctx, const struct sysray_rec *recs, size_t n)
{
	struct top_sink *t = ctx;

	top_procs__add(t->procs, recs, n);
	return aggregate__add(t->win, recs, n);
}

static __u64 next_tick(void *ctx)
{
	struct top_sink *t = ctx;

	/* The key poll is the more frequent: the first rows are drawn at one of its ticks. */
	return t->keys.next < t->refresh.next ? t->keys.next : t->refresh.next;
}

/* The window that ends now becomes the rows of every view, unless paused. */
static int collect(struct top_sink *t, const struct sink_tick *tk)
{
	const struct profile *p = aggregate__profile(t->win);
	double secs = (tk->now - t->last_ns) / 1e9;
	const struct top_proc **procs;
	size_t np = top_procs__list(t->procs, &procs);
	__u64 calls = 0, errors = 0;
	int err = 0;

	t->fr.received += p->received;
	if (!t->paused && secs > 0) {
		for (int v = 0; v < TOP_VIEW_CNT; v++)
			top_rows__clear(&t->rows[v]);
		err = top_rows_syscalls(p, secs, &t->rows[TOP_VIEW_SYSCALL]);
		if (!err)
			err = top_rows_procs(procs, np, secs, &t->rows[TOP_VIEW_PROCESS]);
		if (!err)
			err = top_rows_cgroups(procs, np, secs, &t->rows[TOP_VIEW_CGROUP]);
		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
			for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
				calls += p->total.sc[abi][nr].calls;
				errors += p->total.sc[abi][nr].errors;
			}
		}
		t->fr.calls_s = calls / secs;
		t->fr.errors_s = errors / secs;
		t->fr.active = np;
		t->fr.dropped = tk->dropped;
		t->fr.dropped_window = tk->dropped - t->dropped_last;
		t->fr.waiting = false;
	}
	t->dropped_last = tk->dropped;
	t->last_ns = tk->now;
	aggregate__reset(t->win);
	top_procs__reset(t->procs);
	return err;
}

static void draw(struct top_sink *t, __u64 now)
{
	const struct top_rows *rs = &t->rows[t->view];

	if (rs->n > t->sel_cap) {
		const struct top_row **s = realloc(t->sel, rs->n * sizeof(*s));

		if (!s)
			return;
		t->sel = s;
		t->sel_cap = rs->n;
	}
	t->fr.scope = t->scope;
	t->fr.view = t->view;
	t->fr.sort = t->sort;
	t->fr.asc = t->asc;
	t->fr.paused = t->paused;
	t->fr.editing = t->editing;
	t->fr.filter = t->editing ? t->typed : t->filter;
	t->fr.refresh_s = t->o.refresh_ns / 1e9;
	t->fr.elapsed_s = (now - t->start_ns) / 1e9;
	t->fr.total_rows = rs->n;
	t->fr.nrows = top_rows_select(rs, t->fr.filter, t->sort, t->asc, t->sel);
	t->fr.rows = t->sel;
	top_screen__draw(t->scr, &t->fr);
}

static void set_sort(struct top_sink *t, enum top_col c)
{
	t->sort = c;
	/* Names read best A to Z, numbers biggest first. */
	t->asc = c == TOP_COL_NAME;
}

/* A key while the filter is typed: it filters as it is typed. */
static void edit_key(struct top_sink *t, int k)
{
	size_t n = strlen(t->typed);

	if (k == TOP_KEY_ENTER) {
		memcpy(t->filter, t->typed, sizeof(t->filter));
		t->editing = false;
	} else if (k == TOP_KEY_ESC) {
		t->editing = false;
	} else if (k == TOP_KEY_BACKSPACE) {
		if (n)
			t->typed[n - 1] = 0;
	} else if (k >= 0x20 && k < 0x7f && n + 1 < sizeof(t->typed)) {
		t->typed[n] = k;
		t->typed[n + 1] = 0;
	}
}

static void key(struct top_sink *t, int k)
{
	static const char sort_keys[TOP_COL_CNT] = { 'n', 'c', 'e', '5', '9', 'm' };
	const char *c;

	if (t->editing)
		return edit_key(t, k);
	if (k > 0 && k < 0x80 && (c = memchr(sort_keys, k, TOP_COL_CNT)))
		return set_sort(t, c - sort_keys);
	switch (k) {
	case 'q':
	case 'Q':
		t->quit = true;
		break;
	case 'p':
	case ' ':
		t->paused = !t->paused;
		break;
	case 'g':
		t->view = (t->view + 1) % TOP_VIEW_CNT;
		break;
	case '<':
	case TOP_KEY_LEFT:
		set_sort(t, (t->sort + TOP_COL_CNT - 1) % TOP_COL_CNT);
		break;
	case '>':
	case TOP_KEY_RIGHT:
		set_sort(t, (t->sort + 1) % TOP_COL_CNT);
		break;
	case 'r':
		t->asc = !t->asc;
		break;
	case '/':
		t->editing = true;
		memcpy(t->typed, t->filter, sizeof(t->typed));
		break;
	case TOP_KEY_REDRAW:
		top_screen__invalidate(t->scr);
		break;
	}
}

static int tick(void *ctx, const struct sink_tick *tk)
{
	struct top_sink *t = ctx;
	bool dirty = false;
	int err, k;

	if (!t->scr) {
		err = top_screen__open(&t->scr);
		if (err)
			return err;
		dirty = true;
	}
	ticker__due(&t->keys, tk->now);
	while ((k = top_screen__key(t->scr)) != TOP_KEY_NONE) {
		key(t, k);
		dirty = true;
	}
	if (t->quit)
		return SINK_STOP;
	if (ticker__due(&t->refresh, tk->now) ||
	    (t->fr.waiting && !t->paused && tk->now - t->start_ns >= FIRST_NS)) {
		err = collect(t, tk);
		if (err) {
			p_err("out of memory");
			return err;
		}
		dirty = true;
	}
	if (dirty)
		draw(t, tk->now);
	return 0;
}

static int stop(void *ctx, const struct profile *total)
{
	struct top_sink *t = ctx;

	(void)total;
	top_screen__close(t->scr);
	t->scr = NULL;
	/* q stops tracing, not the command: it goes on untraced and sysray waits for it. */
	if (t->quit && t->run && t->run->mode == TARGET_COMMAND && t->run->exit_status < 0)
		fprintf(stderr, "sysray: tracing stopped; waiting for the command to exit\n");
	return 0;
}

static void sink_free(void *ctx)
{
	struct top_sink *t = ctx;

	top_screen__close(t->scr);
	aggregate__free(t->win);
	top_procs__free(t->procs);
	for (int v = 0; v < TOP_VIEW_CNT; v++)
		top_rows__free(&t->rows[v]);
	free(t->sel);
	free(t);
}

static const struct sink_ops top_ops = {
	.name = "top",
	.start = start,
	.records = records,
	.next_tick = next_tick,
	.tick = tick,
	.stop = stop,
	.free = sink_free,
};

int top_sink__new(const struct top_sink_opts *o, struct sink *out)
{
	struct top_sink *t;
	int err = o->no_probe ? 0 : top_screen_probe();

	if (err)
		return err;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->o = *o;
	if (!t->o.refresh_ns)
		t->o.refresh_ns = TOP_REFRESH_NS;
	t->view = o->view;
	set_sort(t, TOP_COL_CALLS);
	t->fr.waiting = true;
	*out = (struct sink){ .ops = &top_ops, .ctx = t };
	return 0;
}
