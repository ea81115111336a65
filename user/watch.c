// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "syscalls.h"
#include "tracer.h"
#include "util.h"
#include "watch.h"

/* Slow-call reports: at most this many per second, in bursts of this many. */
#define SLOW_RATE  2.0
#define SLOW_BURST 5.0

struct watch {
	const struct sysray_config *cfg;
	struct tracer *tracer;
	struct anomaly *det;
	struct profile *win;
	__u64 next_ns;
	FILE *log;
	struct anomaly_ratelimit slow_rl;
	__u64 slow_ns[SYSRAY_NR_SLOTS];
	struct anomaly_errno_count *errbuf; /* scratch for one syscall's errnos */
	size_t errcap;
};

static int open_log(struct watch *w)
{
	if (!w->cfg->anomaly_log)
		return 0;
	w->log = fopen(w->cfg->anomaly_log, "ae");
	if (!w->log)
		return -errno;
	/* One event per line, visible to `tail -f` as it happens. */
	setvbuf(w->log, NULL, _IOLBF, 0);
	return 0;
}

static void on_event(void *ctx, const struct anomaly_event *ev)
{
	struct watch *w = ctx;
	char line[512];

	anomaly_event_format_text(line, sizeof(line), ev);
	fprintf(stderr, "%s\n", line);
	if (w->log)
		anomaly_event_format_json(w->log, ev);
}

int watch__new(const struct sysray_config *cfg, struct tracer *tracer, struct profile *win,
	       struct watch **out)
{
	struct anomaly_opts o = {
		.threshold = cfg->anomaly_threshold,
		.window = cfg->baseline_windows,
	};
	struct watch *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	w->cfg = cfg;
	w->tracer = tracer;
	w->win = win;
	err = anomaly__new(&o, on_event, w, &w->det);
	if (err) {
		p_err("cannot set up anomaly detection: %s", strerror(-err));
		goto cleanup;
	}
	err = open_log(w);
	if (err) {
		p_err("cannot open '%s' for writing: %s", cfg->anomaly_log, strerror(-err));
		goto cleanup;
	}
	*out = w;
	return 0;
cleanup:
	watch__free(w);
	return err;
}

void watch__start(struct watch *w, __u64 start_ns)
{
	if (!w)
		return;
	w->next_ns = start_ns + w->cfg->window_ns;
	anomaly_ratelimit_init(&w->slow_rl, SLOW_RATE, SLOW_BURST, start_ns);
}

int watch__timeout_ms(const struct watch *w, __u64 now, int max_ms)
{
	__u64 left;

	if (!w || now >= w->next_ns)
		return w ? 0 : max_ms;
	left = (w->next_ns - now + 999999) / 1000000;
	return left < (__u64)max_ms ? (int)left : max_ms;
}

/* The window's errnos of one syscall as the detector's (errno, count) pairs. */
static int errnos_of(struct watch *w, const struct sc_detail *d, int *n_out)
{
	struct errno_count *ec;
	size_t n;
	int err;

	*n_out = 0;
	err = sc_detail_errnos(d, &ec, &n);
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

static int observe_window(struct watch *w)
{
	char namebuf[SYSCALL_NAME_BUF];
	int err;

	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			const struct sc_stat *s = &w->win->total.sc[abi][nr];
			const struct sc_detail *d = w->win->detail[abi][nr];
			struct anomaly_key key = { .abi = abi, .nr = nr };
			struct anomaly_obs obs = { 0 };

			if (!s->calls || !d)
				continue;
			err = anomaly_obs_from_hist(&obs, &d->hist);
			if (!err)
				err = errnos_of(w, d, &obs.n_errnos);
			if (err)
				return err;
			obs.calls = s->calls;
			obs.errors = s->errors;
			obs.errnos = w->errbuf;
			err = anomaly_observe(
			    w->det, key, syscall_name(abi, nr, namebuf, sizeof(namebuf)), &obs);
			if (err)
				return err;
		}
	}
	return 0;
}

int watch__tick(struct watch *w, __u64 now)
{
	int err;

	if (!w || now < w->next_ns)
		return 0;
	err = observe_window(w);
	if (!err)
		err = anomaly_tick_end(w->det, now, w->cfg->window_ns);
	if (err)
		return err;
	for (__u32 i = 0; i < SYSRAY_NR_SLOTS; i++) {
		struct anomaly_key key = { .abi = i / SYSRAY_MAX_NR, .nr = i % SYSRAY_MAX_NR };

		w->slow_ns[i] = anomaly_slow_threshold(w->det, key);
	}
	profile__reset(w->win);
	/* Keep to the start's grid; after a stall, skip the windows that were missed. */
	while (w->next_ns <= now)
		w->next_ns += w->cfg->window_ns;
	return 0;
}

const __u64 *watch__slow_thresholds(const struct watch *w)
{
	return w->slow_ns;
}

int watch__slow_call(void *ctx, const struct sysray_rec *r)
{
	struct watch *w = ctx;
	char namebuf[SYSCALL_NAME_BUF], comm[16] = "?";
	const char *name = syscall_name(r->abi, r->nr, namebuf, sizeof(namebuf));
	__u64 thr = w->slow_ns[SYSRAY_SLOT(r->abi, r->nr)];
	__u64 now = now_ns();

	if (!anomaly_ratelimit_allow(&w->slow_rl, now))
		return 0;
	if (tracer__comm(w->tracer, r->tid, comm, sizeof(comm)) &&
	    tracer__comm(w->tracer, r->tgid, comm, sizeof(comm))) {
		char path[64];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", r->tgid, r->tid);
		f = fopen(path, "re");
		if (f) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = 0;
			fclose(f);
		}
	}
	fprintf(stderr,
		"sysray: slow call %s pid %u tid %u (%s) %.3f ms, %.1fx the baseline p99.9 "
		"threshold %.3f ms%s\n",
		name, r->tgid, r->tid, comm, r->dur_ns / 1e6, thr ? (double)r->dur_ns / thr : 0,
		thr / 1e6, w->slow_rl.suppressed ? " (more suppressed)" : "");
	if (w->log) {
		struct json_writer j;

		json_init(&j, w->log, 0);
		json_begin_object(&j);
		json_kv_u64(&j, "ts_ns", r->start_ns + r->dur_ns);
		json_kv_string(&j, "syscall", name);
		json_kv_string(&j, "kind", "slow_call");
		json_kv_u64(&j, "pid", r->tgid);
		json_kv_u64(&j, "tid", r->tid);
		json_kv_string(&j, "comm", comm);
		json_kv_u64(&j, "duration_ns", r->dur_ns);
		json_kv_u64(&j, "threshold_ns", thr);
		json_kv_u64(&j, "suppressed", w->slow_rl.suppressed);
		json_end_object(&j);
		json_end(&j);
	}
	w->slow_rl.suppressed = 0;
	return 0;
}

int watch__reopen(struct watch *w)
{
	/* A failed reopen is tried again at the next SIGHUP. */
	if (!w || !w->cfg->anomaly_log)
		return 0;
	if (w->log)
		fclose(w->log);
	w->log = NULL;
	return open_log(w);
}

const struct anomaly *watch__detector(const struct watch *w)
{
	return w ? w->det : NULL;
}

void watch__free(struct watch *w)
{
	if (!w)
		return;
	if (w->log)
		fclose(w->log);
	anomaly__free(w->det);
	free(w->errbuf);
	free(w);
}
