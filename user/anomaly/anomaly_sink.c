// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "anomaly/anomaly_sink.h"
#include "lib/clock.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/proc.h"
#include "lib/ratelimit.h"
#include "lib/syscalls.h"
#include "lib/walltime.h"
#include "stats/aggregate.h"

/* Slow-call reports: at most this many per second, in bursts of this many. */
#define SLOW_RATE  2.0
#define SLOW_BURST 5.0

struct anomaly_sink {
	struct anomaly_sink_opts o;
	struct anomaly *det;
	struct aggregate *win; /* this window's records */
	struct ticker ticker;
	FILE *log;
	sink_comm_fn comm_fn;
	void *comm_ctx;
	struct ratelimit slow_rl;
	__u64 slow_ns[SYSRAY_NR_SLOTS];
	struct anomaly_errno_count *errbuf; /* scratch for one syscall's errnos */
	size_t errcap;
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
	char line[512], when[WALLTIME_LEN];

	anomaly_event_format_text(line, sizeof(line), ev);
	fprintf(stderr, "%s at %s\n", line,
		walltime_rfc3339(when, sizeof(when), walltime_of_mono(ev->ts_ns)));
	if (w->log)
		anomaly_event_format_json(w->log, ev);
}

static int start(void *ctx, const struct sink_start *s)
{
	struct anomaly_sink *w = ctx;
	struct aggregate_opts ao = { .pid_max = s->pid_max };
	int err = aggregate__new(&ao, &w->win);

	if (err) {
		p_err("out of memory");
		return err;
	}
	w->comm_fn = s->comm_fn;
	w->comm_ctx = s->comm_ctx;
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
			  const char *comm, __u64 thr)
{
	char when[WALLTIME_LEN];
	struct json_writer j;

	json_writer__init(&j, w->log, 0);
	json_writer__begin_object(&j);
	json_writer__kv_u64(&j, "ts_ns", r->start_ns + r->dur_ns);
	json_writer__kv_string(
	    &j, "time",
	    walltime_rfc3339(when, sizeof(when), walltime_of_mono(r->start_ns + r->dur_ns)));
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
static void slow_call(struct anomaly_sink *w, const struct sysray_rec *r, __u64 thr)
{
	char namebuf[SYSCALL_NAME_BUF], comm[16], when[WALLTIME_LEN];
	const char *name = syscall_name(r->abi, r->nr, namebuf, sizeof(namebuf));

	if (!ratelimit__allow(&w->slow_rl, now_ns()))
		return;
	task_comm(w, r, comm, sizeof(comm));
	walltime_rfc3339(when, sizeof(when), walltime_of_mono(r->start_ns + r->dur_ns));
	fprintf(stderr,
		"sysray: slow call %s pid %u tid %u (%s) %.3f ms, %.1fx the baseline p99.9 "
		"threshold %.3f ms%s at %s\n",
		name, r->tgid, r->tid, comm, r->dur_ns / 1e6, (double)r->dur_ns / thr, thr / 1e6,
		w->slow_rl.suppressed ? " (more suppressed)" : "", when);
	if (w->log)
		log_slow_call(w, r, name, comm, thr);
	w->slow_rl.suppressed = 0;
}

static int records(void *ctx, const struct sysray_rec *recs, size_t n)
{
	struct anomaly_sink *w = ctx;
	int err = aggregate__add(w->win, recs, n);

	for (size_t i = 0; !err && i < n; i++) {
		const struct sysray_rec *r = &recs[i];
		__u64 thr;

		if (r->abi >= SYSRAY_ABI_CNT || r->nr >= SYSRAY_MAX_NR)
			continue;
		thr = w->slow_ns[SYSRAY_SLOT(r->abi, r->nr)];
		if (thr && r->dur_ns > thr)
			slow_call(w, r, thr);
	}
	return err;
}

static __u64 next_tick(void *ctx)
{
	struct anomaly_sink *w = ctx;

	return w->ticker.next;
}

/* The window's errnos of one syscall as the detector's (errno, count) pairs. */
static int errnos_of(struct anomaly_sink *w, const struct sc_detail *d, int *n_out)
{
	struct errno_count *ec;
	size_t n;
	int err;

	*n_out = 0;
	err = sc_detail__errnos(d, &ec, &n);
	if (err)
		return err;
	if (n > w->errcap) {
		void *p = realloc(w->errbuf, n * sizeof(*w->errbuf));

		if (!p) {
			free(ec);
			return -ENOMEM;
		}
		w->errbuf = p;
		w->errcap = n;
	}
	for (size_t i = 0; i < n; i++) {
		w->errbuf[i].err = ec[i].err;
		w->errbuf[i].count = ec[i].count > UINT32_MAX ? UINT32_MAX : ec[i].count;
	}
	free(ec);
	*n_out = n;
	return 0;
}

static int observe_window(struct anomaly_sink *w)
{
	const struct profile *win = aggregate__profile(w->win);
	char namebuf[SYSCALL_NAME_BUF];
	int err;

	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			const struct sc_stat *s = &win->total.sc[abi][nr];
			const struct sc_detail *d = win->detail[abi][nr];
			struct anomaly_key key = { .abi = abi, .nr = nr };
			struct anomaly_obs obs = { 0 };

			if (!s->calls || !d)
				continue;
			err = anomaly_obs__from_hist(&obs, &d->hist);
			if (!err)
				err = errnos_of(w, d, &obs.n_errnos);
			if (err)
				return err;
			obs.calls = s->calls;
			obs.errors = s->errors;
			obs.errnos = w->errbuf;
			err = anomaly__observe(
			    w->det, key, syscall_name(abi, nr, namebuf, sizeof(namebuf)), &obs);
			if (err)
				return err;
		}
	}
	return 0;
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
	for (__u32 i = 0; i < SYSRAY_NR_SLOTS; i++) {
		struct anomaly_key key = { .abi = i / SYSRAY_MAX_NR, .nr = i % SYSRAY_MAX_NR };

		w->slow_ns[i] = anomaly__slow_threshold(w->det, key);
	}
	aggregate__reset(w->win);
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
	aggregate__free(w->win);
	free(w->errbuf);
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
	struct anomaly_opts ao = { .threshold = o->threshold, .window = o->baseline_windows };
	struct anomaly_sink *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	w->o = *o;
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
