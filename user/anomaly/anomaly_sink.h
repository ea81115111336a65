/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --anomaly as a sink: every window it turns the window's records into one observation per
 * (service, syscall) for the detector (anomaly/anomaly.h), with the threads of each service
 * blocked in a call, prints the episodes as they fire and resolve (and logs them with
 * --anomaly-log), and reports calls slower than a threshold as they arrive, rate-limited.
 */
#ifndef SYSRAY_ANOMALY_SINK_H
#define SYSRAY_ANOMALY_SINK_H

#include <linux/types.h>
#include "anomaly/anomaly.h"
#include "sink/sink.h"
#include "stats/gwin.h"

enum slow_calls {
	SLOW_CALLS_AUTO = 0, /* the baseline p99.9 x 3 of each (service, syscall) */
	SLOW_CALLS_OFF,
	SLOW_CALLS_FIXED, /* every call above slow_ns */
};

/* Services watched with --anomaly-by unless --anomaly-max-groups says otherwise. */
#define ANOMALY_SINK_GROUPS 64

struct anomaly_sink_opts {
	double threshold;	       /* 0: the detector's default */
	unsigned int baseline_windows; /* 0: the detector's default */
	__u64 window_ns;
	const char *log_path;	 /* --anomaly-log, or NULL */
	enum gwin_by by;	 /* --anomaly-by */
	unsigned int max_groups; /* --anomaly-max-groups; 0: ANOMALY_SINK_GROUPS */
	unsigned int kinds;	 /* --anomaly-kinds; 0: the detector's default */
	enum slow_calls slow;	 /* --slow-calls */
	__u64 slow_ns;		 /* SLOW_CALLS_FIXED */
};

/* Opens the log; *det is the detector, for the final report's episodes (owned by the sink). */
int anomaly_sink__new(const struct anomaly_sink_opts *o, struct sink *out,
		      const struct anomaly **det);

#endif /* SYSRAY_ANOMALY_SINK_H */
