// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "anomaly/anomaly_sink.h"
#include "lib/clock.h"
#include "lib/escape.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/proc.h"
#include "lib/ratelimit.h"
#include "lib/syscalls.h"

/* Slow-call reports: at most this many per second, in bursts of this many. */
#define SLOW_RATE  2.0
#define SLOW_BURST 5.0

struct anomaly_sink {
	struct anomaly_sink_opts o;
	struct anomaly *det;
	struct gwin *win; /* this window's records, by service */
	struct ticker ticker;
	FILE *log;
	sink_comm_fn comm_fn;
	void *comm_ctx;
	sink_inflight_fn inflight_fn;
	void *inflight_ctx;
	struct ratelimit slow_rl;
	int exit_nr[SYSRAY_ABI_CNT][2]; /* exit, exit_group: a dead thread's slot stays there */
};

static int open_log(struct anomaly_sink *w)
{
	if (!w->o.log_path)
		return 0;
	w->log = fopen(w->o.log_path, "ae");
	if (!w->log)
		return -errno;
	/* One event per line, visible to `tail -f` as it happens. */
	setvbuf(w->log, NULL, _IOLBF, 0);
	return 0;
}

static void on_event(void *ctx, const struct anomaly_event *ev)
{
	struct anomaly_sink *w = ctx;
	char line[1024];

	anomaly_event_format_text(line, sizeof(line), ev);
	fprintf(stderr, "%s\n", line);
	if (w->log)
		anomaly_event_format_json(w->log, ev);
}

static int start(void *ctx, const struct sink_start *s)
{
	struct anomaly_sink *w = ctx;
	struct gwin_opts go = {
		.by = w->o.by,
		.max_groups = w->o.max_groups,
		.idle_windows = w->o.baseline_windows,
		.comm_fn = s->comm_fn,
		.comm_ctx = s->comm_ctx,
	};
	int err = gwin__new(&go, &w->win);

	if (err) {
		p_err("out of memory");
		return err;
	}
	w->comm_fn = s->comm_fn;
	w->comm_ctx = s->comm_ctx;
	w->inflight_fn = s->inflight_fn;
	w->inflight_ctx = s->inflight_ctx;
	ticker__start(&w->ticker, w->o.window_ns, s->run->start_ns);
	ratelimit__init(&w->slow_rl, SLOW_RATE, SLOW_BURST, s->run->start_ns);
	return 0;
}

/* The name of the task of a slow call: the kernel's record of it, else /proc. */
static void task_comm(struct anomaly_sink *w, const struct sysray_rec *r, char *buf, size_t len)
{
	if (w->comm_fn && (!w->comm_fn(w->comm_ctx, r->tid, buf, len) ||
			   !w->comm_fn(w->comm_ctx, r->tgid, buf, len)))
		return;
	if (proc_comm(r->tgid, r->tid, buf, len))
		snprintf(buf, len, "?");
}

static void log_slow_call(struct anomaly_sink *w, const struct sysray_rec *r, const char *name,
			  const char *comm, const char *group, __u64 thr)
{
	struct json_writer j;

	json_writer__init(&j, w->log, 0);
	json_writer__begin_object(&j);
	json_writer__kv_u64(&j, "ts_ns", r->start_ns + r->dur_ns);
	if (*group)
		json_writer__kv_string(&j, "group", group);
	json_writer__kv_string(&j, "syscall", name);
	json_writer__kv_string(&j, "kind", "slow_call");
	json_writer__kv_u64(&j, "pid", r->tgid);
	json_writer__kv_u64(&j, "tid", r->tid);
	json_writer__kv_string(&j, "comm", comm);
	json_writer__kv_u64(&j, "duration_ns", r->dur_ns);
	json_writer__kv_u64(&j, "threshold_ns", thr);
	json_writer__kv_u64(&j, "suppressed", w->slow_rl.suppressed);
	json_writer__end_object(&j);
	json_writer__end(&j);
}

/* A record above its threshold: report it, rate-limited. */
static void slow_call(struct anomaly_sink *w, const struct sysray_rec *r, __u64 thr,
		      const char *group)
{
	char namebuf[SYSCALL_NAME_BUF], comm[16], ecomm[16 * ESCAPE_MAX_PER_BYTE];
	const char *name = syscall_name(r->abi, r->nr, namebuf, sizeof(namebuf));

	if (!ratelimit__allow(&w->slow_rl, now_ns()))
		return;
	task_comm(w, r, comm, sizeof(comm));
	escape_str(ecomm, sizeof(ecomm), comm);
	fprintf(stderr, "sysray: slow call %s pid %u tid %u (%s) %.3f ms, %.1fx the %s %.3f ms%s\n",
		name, r->tgid, r->tid, ecomm, r->dur_ns / 1e6, (double)r->dur_ns / thr,
		w->o.slow == SLOW_CALLS_FIXED ? "--slow-calls threshold"
					      : "baseline p99.9 threshold",
		thr / 1e6, w->slow_rl.suppressed ? " (more suppressed)" : "");
	if (w->log)
		log_slow_call(w, r, name, comm, group, thr);
	w->slow_rl.suppressed = 0;
}

static int records(void *ctx, const struct sysray_rec *recs, size_t n)
{
	struct anomaly_sink *w = ctx;

	for (size_t i = 0; i < n; i++) {
		const struct sysray_rec *r = &recs[i];
		struct gwin_sc *sc;
		unsigned int g;
		__u64 thr;

		/* The kernel only sends in-range values; a record that is not is not ours. */
		if (r->abi >= SYSRAY_ABI_CNT || r->nr >= SYSRAY_MAX_NR)
			continue;
		sc = gwin__add(w->win, r, &g);
		if (!sc)
			return -ENOMEM;
		thr = w->o.slow == SLOW_CALLS_FIXED  ? w->o.slow_ns
		      : w->o.slow == SLOW_CALLS_AUTO ? sc->slow_ns
						     : 0;
		if (thr && r->dur_ns > thr)
			slow_call(w, r, thr, gwin__group(w->win, g)->name);
	}
	return 0;
}

static __u64 next_tick(void *ctx)
{
	struct anomaly_sink *w = ctx;

	return w->ticker.next;
}

/* One (service, syscall) of the window as the detector's observation. */
static int observe(struct anomaly_sink *w, unsigned int g, unsigned int slot,
		   const struct gwin_sc *sc)
{
	static const double qs[3] = { 50, 99, 99.9 };
	struct anomaly_errno_count ec[GWIN_ERRNOS];
	struct anomaly_key key = { slot / SYSRAY_MAX_NR, slot % SYSRAY_MAX_NR, g };
	char namebuf[SYSCALL_NAME_BUF];
	struct anomaly_obs obs = {
		.calls = sc->calls,
		.errors = sc->errors,
		.total_ns = sc->lat.sum,
		.timed = sc->lat.count,
		.errnos = ec,
		.n_errnos = sc->n_errnos,
	};
	__u64 pct[3];

	lhist_percentiles(&sc->lat, qs, 3, pct);
	obs.p50_ns = pct[0];
	obs.p99_ns = pct[1];
	obs.p999_ns = pct[2];
	for (__u32 i = 0; i < sc->n_errnos; i++)
		ec[i] = (struct anomaly_errno_count){ sc->errnos[i].err, sc->errnos[i].count };
	return anomaly__observe(w->det, key,
				syscall_name(key.abi, key.nr, namebuf, sizeof(namebuf)), &obs);
}

/*
 * The service's recent threads that sit in a traced call for two windows or more, from the
 * tracer's start slots; a thread that died in exit or exit_group leaves its slot behind.
 */
static int observe_blocked(struct anomaly_sink *w, unsigned int g, const struct gwin_group *grp)
{
	__u32 now = gwin__window(w->win),
	      recent = w->o.baseline_windows ? w->o.baseline_windows : 60;
	struct anomaly_blocked b = { .name = "-" };
	char namebuf[SYSCALL_NAME_BUF];

	for (int i = 0; i < GWIN_TIDS; i++) {
		const struct gwin_tid *t = &grp->tids[i];
		__u64 ns;
		int abi, nr, err;

		if (!t->tid || now - t->window > recent)
			continue;
		err = w->inflight_fn(w->inflight_ctx, t->tid, &abi, &nr, &ns);
		/*
		 * An untimed call (--sample) began after the thread's last completed call, in
		 * window t->window or later: the whole windows since then bound its time below.
		 */
		if (err == -ENODATA)
			ns = now > t->window ? (__u64)(now - t->window - 1) * w->o.window_ns : 0;
		else if (err)
			continue;
		if (nr == w->exit_nr[abi][0] || nr == w->exit_nr[abi][1] || ns < 2 * w->o.window_ns)
			continue;
		b.threads++;
		if (ns > b.longest_ns) {
			b.longest_ns = ns;
			b.key = (struct anomaly_key){ abi, nr, g };
		}
	}
	if (b.threads)
		b.name = syscall_name(b.key.abi, b.key.nr, namebuf, sizeof(namebuf));
	return anomaly__observe_blocked(w->det, g, &b);
}

static int observe_window(struct anomaly_sink *w)
{
	int err = 0;

	for (unsigned int g = 0; !err && g < gwin__cap(w->win); g++) {
		const struct gwin_group *grp = gwin__group(w->win, g);

		if (!grp)
			continue;
		err = anomaly__set_group(w->det, g, grp->name, grp->others);
		for (__u32 u = 0; !err && u < grp->nr_used; u++) {
			const struct gwin_sc *sc = grp->sc[grp->used[u]];

			if (sc->calls)
				err = observe(w, g, grp->used[u], sc);
		}
		if (!err && w->inflight_fn)
			err = observe_blocked(w, g, grp);
	}
	return err;
}

/*
 * After the tick: the slow-call thresholds of the next window, and services idle for a whole
 * baseline forgotten (unless stalled: a stalled service makes no calls, yet it is there).
 */
static void after_tick(struct anomaly_sink *w, __u64 now)
{
	__u32 window = gwin__window(w->win),
	      idle = w->o.baseline_windows ? w->o.baseline_windows : 60;
	bool more;

	for (unsigned int g = 0; g < gwin__cap(w->win); g++) {
		struct gwin_group *grp = gwin__group(w->win, g);

		if (!grp)
			continue;
		if (w->o.by != GWIN_NONE && window - grp->last_active >= idle &&
		    !anomaly__group_stalled(w->det, g)) {
			anomaly__forget_group(w->det, g, now);
			gwin__drop(w->win, g);
			continue;
		}
		for (__u32 u = 0; u < grp->nr_used; u++) {
			__u32 slot = grp->used[u];
			struct anomaly_key key = { slot / SYSRAY_MAX_NR, slot % SYSRAY_MAX_NR, g };

			grp->sc[slot]->slow_ns = anomaly__slow_threshold(w->det, key);
		}
	}
	anomaly__set_folded(w->det, gwin__folded(w->win, &more));
	gwin__end_window(w->win);
}

static int tick(void *ctx, const struct sink_tick *t)
{
	struct anomaly_sink *w = ctx;
	int err;

	if (!ticker__due(&w->ticker, t->now))
		return 0;
	err = observe_window(w);
	if (!err)
		err = anomaly__tick_end(w->det, t->now, w->o.window_ns);
	if (err) {
		p_err("anomaly detection failed: %s", strerror(-err));
		return err;
	}
	after_tick(w, t->now);
	return 0;
}

/* SIGHUP: reopen the log (rotation); a failed reopen is tried again at the next one. */
static int reopen(void *ctx)
{
	struct anomaly_sink *w = ctx;
	int err;

	if (!w->o.log_path)
		return 0;
	if (w->log)
		fclose(w->log);
	w->log = NULL;
	err = open_log(w);
	if (err)
		p_warn("cannot reopen '%s': %s", w->o.log_path, strerror(-err));
	return err;
}

static void sink_free(void *ctx)
{
	struct anomaly_sink *w = ctx;

	if (w->log)
		fclose(w->log);
	anomaly__free(w->det);
	gwin__free(w->win);
	free(w);
}

static const struct sink_ops anomaly_ops = {
	.name = "anomaly",
	.start = start,
	.records = records,
	.next_tick = next_tick,
	.tick = tick,
	.reopen = reopen,
	.free = sink_free,
};

int anomaly_sink__new(const struct anomaly_sink_opts *o, struct sink *out,
		      const struct anomaly **det)
{
	struct anomaly_opts ao = {
		.threshold = o->threshold,
		.window = o->baseline_windows,
		.kinds = o->kinds,
	};
	struct anomaly_sink *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	w->o = *o;
	if (w->o.by != GWIN_NONE && !w->o.max_groups)
		w->o.max_groups = ANOMALY_SINK_GROUPS;
	/* The services, and one more for those folded beyond them. */
	ao.max_groups = w->o.by == GWIN_NONE ? 1 : w->o.max_groups + 1;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		w->exit_nr[abi][0] = syscall_lookup(abi, "exit");
		w->exit_nr[abi][1] = syscall_lookup(abi, "exit_group");
	}
	err = anomaly__new(&ao, on_event, w, &w->det);
	if (err) {
		p_err("cannot set up anomaly detection: %s", strerror(-err));
		goto cleanup;
	}
	err = open_log(w);
	if (err) {
		p_err("cannot open '%s' for writing: %s", o->log_path, strerror(-err));
		goto cleanup;
	}
	*det = w->det;
	*out = (struct sink){ .ops = &anomaly_ops, .ctx = w };
	return 0;
cleanup:
	sink_free(w);
	return err;
}
