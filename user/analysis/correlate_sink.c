// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/correlate_sink.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/syscalls.h"

/*
 * Records land in the window of their completion time, which stays open this long: records
 * arrive ~100 ms late at most on an idle machine, much later when sysray itself waits for a
 * CPU on a loaded one.
 */
#define CORR_LAG_NS 1000000000ULL

/* One open window's records: by syscall, and by service with --anomaly-by. */
struct open_window {
	struct gwin *all, *by;
};

struct correlate_sink {
	struct correlate_sink_opts o;
	struct corr *corr;
	struct open_window *win; /* a ring of nwin open windows */
	unsigned int nwin;
	__u64 start_ns, lag_ns;
	__u64 next; /* the oldest open window */
	__u64 late; /* records that completed in a window already closed */
	struct ticker ticker;
};

static int start(void *ctx, const struct sink_start *s)
{
	struct correlate_sink *c = ctx;
	struct gwin_opts all = { .by = GWIN_NONE };
	struct gwin_opts by = {
		.by = c->o.by,
		.max_groups = c->o.max_groups,
		.idle_windows = c->o.idle_windows,
		.comm_fn = s->comm_fn,
		.comm_ctx = s->comm_ctx,
	};
	int err = 0;

	c->start_ns = s->run->start_ns;
	for (unsigned int i = 0; !err && i < c->nwin; i++) {
		err = gwin__new(&all, &c->win[i].all);
		if (!err && c->o.by != GWIN_NONE)
			err = gwin__new(&by, &c->win[i].by);
	}
	if (err) {
		p_err("out of memory");
		return err;
	}
	ticker__start(&c->ticker, c->o.period_ns, s->run->start_ns);
	return 0;
}

/*
 * The window of a record is that of its completion, not of its arrival: records come in
 * per-CPU batches up to ~100 ms late, which would move calls between short windows together
 * and make every pair of series look alike.
 */
static struct open_window *window_of(struct correlate_sink *c, const struct sysray_rec *r)
{
	__u64 end = r->start_ns + r->dur_ns, w;

	w = end > c->start_ns ? (end - c->start_ns) / c->o.period_ns : 0;
	if (w < c->next) {
		c->late++;
		w = c->next;
	} else if (w >= c->next + c->nwin) {
		w = c->next + c->nwin - 1;
	}
	return &c->win[w % c->nwin];
}

static int records(void *ctx, const struct sysray_rec *recs, size_t n)
{
	struct correlate_sink *c = ctx;
	unsigned int g;

	for (size_t i = 0; i < n; i++) {
		struct open_window *w;

		if (recs[i].abi >= SYSRAY_ABI_CNT || recs[i].nr >= SYSRAY_MAX_NR)
			continue;
		w = window_of(c, &recs[i]);
		if (!gwin__add(w->all, &recs[i], &g) || (w->by && !gwin__add(w->by, &recs[i], &g)))
			return -ENOMEM;
	}
	return 0;
}

static __u64 next_tick(void *ctx)
{
	struct correlate_sink *c = ctx;

	return c->ticker.next;
}

/* One window's values: every syscall's calls/s and p99, every service's calls/s. */
static int add_window(struct correlate_sink *c, struct open_window *ow)
{
	static const double q99 = 99;
	double secs = c->o.period_ns / 1e9;
	const struct gwin_group *all = gwin__group(ow->all, 0);
	char namebuf[SYSCALL_NAME_BUF];
	int err = corr__next_window(c->corr);

	for (__u32 u = 0; all && !err && u < all->nr_used; u++) {
		__u32 slot = all->used[u];
		const struct gwin_sc *sc = all->sc[slot];
		const char *name = syscall_name(slot / SYSRAY_MAX_NR, slot % SYSRAY_MAX_NR, namebuf,
						sizeof(namebuf));
		__u64 p99;

		if (!sc->calls)
			continue;
		err = corr__set(c->corr, CORR_CALLS, slot, name, sc->calls / secs);
		if (err || sc->lat.count < CORR_P99_MIN_CALLS)
			continue;
		lhist_percentiles(&sc->lat, &q99, 1, &p99);
		err = corr__set(c->corr, CORR_P99, slot, name, (double)p99);
	}
	for (unsigned int g = 0; ow->by && !err && g < gwin__cap(ow->by); g++) {
		const struct gwin_group *grp = gwin__group(ow->by, g);

		if (grp && grp->calls)
			err = corr__set(c->corr, CORR_GROUP, grp->others ? ~0ULL : grp->key,
					grp->name, grp->calls / secs);
	}
	return err;
}

/*
 * Close a window: its values into the series, then empty it for the window nwin later.
 * Services idle for a while give their number back, as in the anomaly sink.
 */
static int close_window(struct correlate_sink *c)
{
	struct open_window *ow = &c->win[c->next % c->nwin];
	__u32 idle = c->o.idle_windows / c->nwin + 1;
	int err = add_window(c, ow);

	if (err) {
		p_err("correlation: %s", strerror(-err));
		return err;
	}
	gwin__end_window(ow->all);
	for (unsigned int g = 0; ow->by && g < gwin__cap(ow->by); g++) {
		const struct gwin_group *grp = gwin__group(ow->by, g);

		if (grp && gwin__window(ow->by) - grp->last_active >= idle)
			gwin__drop(ow->by, g);
	}
	if (ow->by)
		gwin__end_window(ow->by);
	c->next++;
	return 0;
}

/* Windows that ended before until (and that no late record can reach any more). */
static int close_until(struct correlate_sink *c, __u64 until)
{
	int err = 0;

	while (!err && c->start_ns + (c->next + 1) * c->o.period_ns <= until)
		err = close_window(c);
	return err;
}

static int tick(void *ctx, const struct sink_tick *t)
{
	struct correlate_sink *c = ctx;

	if (!ticker__due(&c->ticker, t->now) || t->now < c->lag_ns)
		return 0;
	return close_until(c, t->now - c->lag_ns);
}

/* SIGUSR1: the windows closed so far, before the report sink renders them. */
static int snapshot(void *ctx, const struct profile *p)
{
	struct correlate_sink *c = ctx;
	int err;

	(void)p;
	err = corr__compute(c->corr);
	if (err)
		p_err("correlation: %s", strerror(-err));
	return err;
}

/* Every record is in: every whole window closes (the last, partial one does not count). */
static int stop(void *ctx, const struct profile *total)
{
	struct correlate_sink *c = ctx;
	int err = c->win && c->win[0].all ? close_until(c, c->start_ns + total->duration_ns) : 0;

	return err ? err : snapshot(ctx, total);
}

static void sink_free(void *ctx)
{
	struct correlate_sink *c = ctx;

	corr__free(c->corr);
	for (unsigned int i = 0; c->win && i < c->nwin; i++) {
		gwin__free(c->win[i].all);
		gwin__free(c->win[i].by);
	}
	free(c->win);
	free(c);
}

static const struct sink_ops correlate_ops = {
	.name = "correlate",
	.start = start,
	.records = records,
	.next_tick = next_tick,
	.tick = tick,
	.snapshot = snapshot,
	.stop = stop,
	.free = sink_free,
};

int correlate_sink__new(const struct correlate_sink_opts *o, struct sink *out,
			const struct corr **res)
{
	struct correlate_sink *c;
	int err;

	if (!o->period_ns)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->o = *o;
	if (!c->o.idle_windows)
		c->o.idle_windows = 60;
	c->lag_ns = o->period_ns > CORR_LAG_NS ? o->period_ns : CORR_LAG_NS;
	c->nwin = (c->lag_ns + o->period_ns - 1) / o->period_ns + 2;
	c->win = calloc(c->nwin, sizeof(*c->win));
	err = c->win ? corr__new(o->period_ns / 1e9, &c->corr) : -ENOMEM;
	if (err) {
		free(c->win);
		free(c);
		return err;
	}
	*res = c->corr;
	*out = (struct sink){ .ops = &correlate_ops, .ctx = c };
	return 0;
}
