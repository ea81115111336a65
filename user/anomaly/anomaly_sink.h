/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --anomaly as a sink: every window it turns the window's records into one observation per
 * syscall for the detector (anomaly/anomaly.h), prints the episodes as they fire and
 * resolve (and logs them with --anomaly-log), and reports calls slower than the baseline's
 * slow-call threshold as they arrive, rate-limited.
 */
#ifndef SYSRAY_ANOMALY_SINK_H
#define SYSRAY_ANOMALY_SINK_H

#include <linux/types.h>
#include "anomaly/anomaly.h"
#include "anomaly/anomaly_log.h"
#include "sink/sink.h"

struct anomaly_sink_opts {
	double threshold;	       /* 0: the detector's default */
	unsigned int baseline_windows; /* 0: the detector's default */
	__u64 window_ns;
	const char *log_path; /* --anomaly-log, or NULL */
};

/*
 * Opens the log; *det is the detector, for the final report's episodes, and *log what
 * became of the log's lines (NULL without one); both are owned by the sink.
 */
int anomaly_sink__new(const struct anomaly_sink_opts *o, struct sink *out,
		      const struct anomaly **det, const struct anomaly_log_stats **log);

#endif /* SYSRAY_ANOMALY_SINK_H */
