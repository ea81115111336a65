/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The report of the whole run when tracing stops, and of the run so far on SIGUSR1. */
#ifndef SYSRAY_REPORT_SINK_H
#define SYSRAY_REPORT_SINK_H

#include "report/output.h"
#include "report/report.h"
#include "sink/sink.h"

struct report_sink_opts {
	struct report_opts report;
	struct output *out;   /* borrowed: committed at stop */
	const char *out_name; /* -o as given ("-": stdout), NULL for stderr */
};

int report_sink__new(const struct report_sink_opts *o, struct sink *out);

#endif /* SYSRAY_REPORT_SINK_H */
