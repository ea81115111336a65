/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* -i: every period, the report of that interval's records alone; then afresh. */
#ifndef SYSRAY_REPORT_INTERVAL_SINK_H
#define SYSRAY_REPORT_INTERVAL_SINK_H

#include <stdio.h>
#include "report/output.h"
#include "report/report.h"
#include "sink/sink.h"
#include "stats/groups.h"

struct interval_sink_opts {
	struct report_opts report; /* views and format, as the final report's */
	enum group_by group_by;	   /* -P / --per-thread tables per interval */
	__u64 period_ns;
	struct output *out; /* borrowed: the report stream */
};

int interval_sink__new(const struct interval_sink_opts *o, struct sink *out);

#endif /* SYSRAY_REPORT_INTERVAL_SINK_H */
