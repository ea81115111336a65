/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --correlate as a sink: every window (the period of -i, else the anomaly window) it adds
 * one value per series: each syscall's calls/s and p99, and with --anomaly-by each service's
 * calls/s; at the end (and on SIGUSR1, before the report) it computes the coefficients that
 * the report shows (analysis/correlate.h).
 */
#ifndef SYSRAY_ANALYSIS_CORRELATE_SINK_H
#define SYSRAY_ANALYSIS_CORRELATE_SINK_H

#include <linux/types.h>
#include "analysis/correlate.h"
#include "sink/sink.h"
#include "stats/gwin.h"

/* A window's p99 of fewer calls than this is noise: that window has no p99 value. */
#define CORR_P99_MIN_CALLS 10

struct correlate_sink_opts {
	__u64 period_ns;
	enum gwin_by by;	 /* per-service series too, unless GWIN_NONE */
	unsigned int max_groups; /* services, the rest folded */
	unsigned int idle_windows;
};

/* *res is owned by the sink and valid until it is freed. */
int correlate_sink__new(const struct correlate_sink_opts *o, struct sink *out,
			const struct corr **res);

#endif /* SYSRAY_ANALYSIS_CORRELATE_SINK_H */
