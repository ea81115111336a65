/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The metrics sink's state, shared by the sink (metrics_sink.c) and its renderer. */
#ifndef SYSRAY_METRICS_PRIV_H
#define SYSRAY_METRICS_PRIV_H

#include "anomaly/anomaly.h"
#include "lib/clock.h"
#include "metrics/cgroup_names.h"
#include "metrics/exposition.h"
#include "metrics/http.h"
#include "metrics/metrics_sink.h"
#include "metrics/series.h"
#include "metrics/webconfig.h"

/* Drops within this many ticks make /healthz say the rings overflow. */
#define HEALTH_DROP_TICKS 10

struct metrics_sink {
	struct metrics_sink_opts o;
	struct metric_bounds bounds;
	char *le[METRICS_MAX_BUCKETS + 1]; /* le="0.001" ... le="+Inf" */
	char *sc_labels[SYSRAY_NR_SLOTS];  /* syscall="read",abi="x86_64", built on first use */
	const char *by_name;		   /* "cgroup", "comm", or NULL */
	struct series_set *ss;
	struct cgroup_names *cg;
	struct webconfig *web;
	struct http_server *http;
	sink_comm_fn comm_fn;
	void *comm_ctx;
	int exec_nr[SYSRAY_ABI_CNT][2];
	struct ticker ticker;
	__u64 start_wall;
	bool stopped;
	bool serving;	/* the HTTP thread runs (from the first tick on) */
	char where[80]; /* the address listened on, for messages */
	/* What the kernel counted beside the records, as of the last tick. */
	__u64 unfinished[SYSRAY_NR_SLOTS];
	__u64 dropped_calls[SYSRAY_NR_SLOTS]; /* dropped records and untimed calls */
	__u64 received, dropped, missed;
	__u64 drops_at[HEALTH_DROP_TICKS]; /* the dropped count at the last ticks */
	unsigned int ticks;
	/* --anomaly: episodes counted per (abi, nr, kind), and up to which start time. */
	__u64 (*episodes)[ANOMALY_KIND_CNT];
	__u8 (*open_sev)[ANOMALY_KIND_CNT]; /* severity of the open episode, or 0 */
	__u64 episodes_until;
	/* The cost of the previous render, exported with the next one. */
	double render_seconds;
	size_t render_bytes;
	size_t size_hint[2];
	char *scratch; /* labels of one sample */
	const struct series_sc **scs;
};

/* Render the whole document in e's format. -ENOMEM. */
int metrics_render(struct metrics_sink *m, struct expo *e);

#endif /* SYSRAY_METRICS_PRIV_H */
