// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The exposition document: every family, in a fixed order, from the sink's state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/syscalls.h"
#include "metrics/metrics_priv.h"
#include "metrics/procstat.h"

#define SCRATCH_LEN (32 * 1024)

static const char *sc_label(struct metrics_sink *m, unsigned int slot)
{
	char name[SYSCALL_NAME_BUF];
	int abi = slot / SYSRAY_MAX_NR, nr = slot % SYSRAY_MAX_NR;

	if (!m->sc_labels[slot] &&
	    asprintf(&m->sc_labels[slot], "syscall=\"%s\",abi=\"%s\"",
		     syscall_name(abi, nr, name, sizeof(name)), abi_name(abi)) < 0)
		m->sc_labels[slot] = NULL;
	return m->sc_labels[slot];
}

/* The labels of a series' syscall: syscall="read",abi="x86_64"[,cgroup="..."]. */
static const char *labels_of(struct metrics_sink *m, const struct series *s, unsigned int slot)
{
	const char *sc = sc_label(m, slot);

	if (!sc)
		return NULL;
	if (!m->by_name)
		return sc;
	snprintf(m->scratch, SCRATCH_LEN, "%s,%s=\"%s\"", sc, m->by_name, s->label);
	return m->scratch;
}

/* Call fn for every syscall of every series, in label then (abi, nr) order. */
static int each_sc(struct metrics_sink *m, struct expo *e,
		   void (*fn)(struct metrics_sink *m, struct expo *e, const struct series *s,
			      const struct series_sc *sc, const char *labels))
{
	const struct series **list;
	size_t n;
	int err = series_set__list(m->ss, &list, &n);

	for (size_t i = 0; !err && i < n; i++) {
		series__syscalls(list[i], m->scs);
		for (__u32 k = 0; k < list[i]->nr_sc; k++) {
			const char *l = labels_of(m, list[i], m->scs[k]->key - 1);

			if (!l)
				return -ENOMEM;
			fn(m, e, list[i], m->scs[k], l);
		}
	}
	return err;
}

static void put_calls(struct metrics_sink *m, struct expo *e, const struct series *s,
		      const struct series_sc *sc, const char *labels)
{
	(void)m;
	expo__sample(e, "", labels, NULL, sc->calls);
	expo__created(e, labels, s->created_wall);
}

static void put_errors(struct metrics_sink *m, struct expo *e, const struct series *s,
		       const struct series_sc *sc, const char *labels)
{
	char extra[48], name[16];

	(void)m;
	for (__u16 i = 0; i < sc->nr_err; i++) {
		snprintf(extra, sizeof(extra), "errno=\"%s\"",
			 sc_errno_label(sc->errs[i].err, name, sizeof(name)));
		expo__sample(e, "", labels, extra, sc->errs[i].count);
		if (e->fmt == EXPO_OM) {
			char all[SCRATCH_LEN];

			snprintf(all, sizeof(all), "%s,%s", labels, extra);
			expo__created(e, all, s->created_wall);
		}
	}
}

static void put_histogram(struct metrics_sink *m, struct expo *e, const struct series *s,
			  const struct series_sc *sc, const char *labels)
{
	__u64 cum = 0;

	for (unsigned int b = 0; b <= m->bounds.n; b++) {
		cum += sc->buckets[b];
		expo__sample(e, "_bucket", labels, m->le[b], cum);
	}
	expo__sample(e, "_count", labels, NULL, sc->calls);
	expo__sample_f(e, "_sum", labels, NULL, (double)sc->sum_ns / 1e9);
	expo__created(e, labels, s->created_wall);
}

static int put_syscall_families(struct metrics_sink *m, struct expo *e)
{
	int err;

	expo__family(e, "sysray_syscalls_total", EXPO_COUNTER, NULL,
		     "Syscalls that returned, whose record sysray received.");
	err = each_sc(m, e, put_calls);
	if (err)
		return err;
	expo__family(e, "sysray_syscall_errors_total", EXPO_COUNTER, NULL,
		     "Syscalls that returned an error, by errno.");
	err = each_sc(m, e, put_errors);
	if (err)
		return err;
	expo__family(e, "sysray_syscall_duration_seconds", EXPO_HISTOGRAM, "seconds",
		     "Syscall latency from entry to exit.");
	return each_sc(m, e, put_histogram);
}

/* A per-syscall counter of the kernel's (no series label): unfinished, dropped. */
static int put_kernel_counter(struct metrics_sink *m, struct expo *e, const char *name,
			      const char *help, const __u64 *v)
{
	expo__family(e, name, EXPO_COUNTER, NULL, help);
	for (unsigned int slot = 0; slot < SYSRAY_NR_SLOTS; slot++) {
		const char *l;

		if (!v[slot])
			continue;
		l = sc_label(m, slot);
		if (!l)
			return -ENOMEM;
		expo__sample(e, "", l, NULL, v[slot]);
		expo__created(e, l, m->start_wall);
	}
	return 0;
}

static void put_counter(struct metrics_sink *m, struct expo *e, const char *name, const char *help,
			__u64 v)
{
	expo__family(e, name, EXPO_COUNTER, NULL, help);
	expo__sample(e, "", NULL, NULL, v);
	expo__created(e, NULL, m->start_wall);
}

static void put_gauge(struct expo *e, const char *name, const char *help, double v)
{
	expo__family(e, name, EXPO_GAUGE, NULL, help);
	expo__sample_f(e, "", NULL, NULL, v);
}

static int put_run_families(struct metrics_sink *m, struct expo *e)
{
	int err;

	err = put_kernel_counter(m, e, "sysray_syscalls_unfinished_total",
				 "Syscalls entered that never returned (exit, exec, a kill).",
				 m->unfinished);
	if (!err)
		err = put_kernel_counter(m, e, "sysray_syscalls_dropped_total",
					 "Syscalls that returned but whose record was lost (ring "
					 "full): counted, not timed, in no series above.",
					 m->dropped_calls);
	if (err)
		return err;
	put_counter(m, e, "sysray_events_received_total", "Records received from the kernel.",
		    m->received);
	put_counter(m, e, "sysray_events_dropped_total",
		    "Records lost because a ring buffer was full.", m->dropped);
	put_counter(m, e, "sysray_events_missed_total",
		    "Syscall hook runs the kernel skipped (recursion): calls in no count.",
		    m->missed);
	put_gauge(e, "sysray_series", "Series held now, \"other\" included.",
		  series_set__nr(m->ss));
	put_counter(m, e, "sysray_series_created_total",
		    "Label values that got a series of their own.", series_set__created(m->ss));
	put_counter(m, e, "sysray_series_folded_total",
		    "Label values whose calls went to the \"other\" series (the cap was reached).",
		    series_set__folded(m->ss));
	put_counter(m, e, "sysray_series_expired_total", "Series dropped after their idle time.",
		    series_set__expired(m->ss));
	return 0;
}

/* --anomaly: 0/1 per severity for every (syscall, kind) that had an episode, and counts. */
static int put_anomaly(struct metrics_sink *m, struct expo *e)
{
	static const char *const sev[] = { "low", "medium", "high" };
	char labels[160];

	expo__family(e, "sysray_anomaly_active", EXPO_GAUGE, NULL,
		     "1 while an anomaly episode of that severity is firing (docs/anomaly.md).");
	for (unsigned int slot = 0; slot < SYSRAY_NR_SLOTS; slot++) {
		for (int k = 0; k < ANOMALY_KIND_CNT; k++) {
			if (!m->episodes[slot][k])
				continue;
			for (int v = 0; v < 3; v++) {
				snprintf(labels, sizeof(labels), "%s,kind=\"%s\",severity=\"%s\"",
					 sc_label(m, slot), anomaly_kind_str(k), sev[v]);
				expo__sample(e, "", labels, NULL, m->open_sev[slot][k] == v + 1);
			}
		}
	}
	expo__family(e, "sysray_anomaly_episodes_total", EXPO_COUNTER, NULL,
		     "Anomaly episodes that fired.");
	for (unsigned int slot = 0; slot < SYSRAY_NR_SLOTS; slot++) {
		for (int k = 0; k < ANOMALY_KIND_CNT; k++) {
			if (!m->episodes[slot][k])
				continue;
			snprintf(labels, sizeof(labels), "%s,kind=\"%s\"", sc_label(m, slot),
				 anomaly_kind_str(k));
			expo__sample(e, "", labels, NULL, m->episodes[slot][k]);
			expo__created(e, labels, m->start_wall);
		}
	}
	return 0;
}

static void put_process(struct metrics_sink *m, struct expo *e)
{
	struct procstat ps;

	expo__family(e, "sysray_build_info", EXPO_GAUGE, NULL,
		     "The sysray that serves these metrics.");
	expo__sample(e, "", "version=\"" SYSRAY_VERSION "\",revision=\"" SYSRAY_REVISION "\"", NULL,
		     1);
	expo__family(e, "sysray_scrapes_total", EXPO_COUNTER, NULL,
		     "Documents served on /metrics, by the format the scraper asked for.");
	expo__sample(e, "", "format=\"text\"", NULL, http_server__scrapes(m->http, false));
	expo__created(e, "format=\"text\"", m->start_wall);
	expo__sample(e, "", "format=\"openmetrics\"", NULL, http_server__scrapes(m->http, true));
	expo__created(e, "format=\"openmetrics\"", m->start_wall);
	put_gauge(e, "sysray_exposition_render_seconds",
		  "CPU time the previous rendering of this document took (both formats).",
		  m->render_seconds);
	put_gauge(e, "sysray_exposition_bytes", "Size of the previous text format 0.0.4 document.",
		  m->render_bytes);
	if (procstat_read(&ps))
		return;
	expo__family(e, "process_cpu_seconds_total", EXPO_COUNTER, NULL,
		     "Total user and system CPU time spent in seconds.");
	expo__sample_f(e, "", NULL, NULL, ps.cpu_seconds);
	put_gauge(e, "process_resident_memory_bytes", "Resident memory size in bytes.",
		  ps.resident_bytes);
	put_gauge(e, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
		  ps.virtual_bytes);
	put_gauge(e, "process_open_fds", "Number of open file descriptors.", ps.open_fds);
	put_gauge(e, "process_max_fds", "Maximum number of open file descriptors.", ps.max_fds);
	put_gauge(e, "process_start_time_seconds",
		  "Start time of the process since unix epoch in seconds.", ps.start_time);
}

int metrics_render(struct metrics_sink *m, struct expo *e)
{
	int err;

	if (!m->scratch) {
		m->scratch = malloc(SCRATCH_LEN);
		m->scs = calloc(SYSRAY_NR_SLOTS, sizeof(*m->scs));
		if (!m->scratch || !m->scs)
			return -ENOMEM;
	}
	err = put_syscall_families(m, e);
	if (!err)
		err = put_run_families(m, e);
	if (!err && m->o.anomaly)
		err = put_anomaly(m, e);
	if (err)
		return err;
	put_process(m, e);
	expo__end(e);
	return e->oom ? -ENOMEM : 0;
}
