/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --format html: one self-contained page (inline CSS, JS and SVG; nothing fetched) written at
 * the end of the run from the whole-run profile: the run's facts, a sortable summary table,
 * a latency histogram per syscall with its percentiles, latency heatmaps over time of the
 * busiest syscalls (recorded here as calls arrive, see heatmap.h), the per-process table
 * (-P) and the anomaly episodes (--anomaly). docs/html.md describes the page.
 */
#ifndef SYSRAY_HTML_SINK_H
#define SYSRAY_HTML_SINK_H

#include <stdbool.h>
#include <linux/types.h>
#include "sink/sink.h"

struct anomaly;
struct filter;
struct output;
struct report_extra;

/* The narrowest heatmap column, when -i does not set it. */
#define HTML_COLUMN_NS 10000000ULL
/* Heatmaps and processes shown when -T does not say. */
#define HTML_HEATMAPS  8
#define HTML_PROCESSES 100

struct html_sink_opts {
	struct output *out;	       /* written and committed at stop (report/output.h) */
	const char *out_name;	       /* -o as given, for messages */
	const struct filter *filter;   /* stated with the run's facts */
	const struct anomaly *anomaly; /* --anomaly: its episodes, or NULL */
	unsigned int top;	       /* -T: at most this many heatmaps and processes */
	__u64 column_ns;	       /* -i: the narrowest heatmap column; 0: HTML_COLUMN_NS */
	/* --stacks: its sections (the flame graph draws its folded stacks), or NULL */
	const struct report_extra *stacks;
	bool stacks_by_calls; /* --folded-value calls: widths are calls, not time */
};

int html_sink__new(const struct html_sink_opts *o, struct sink *out);

#endif /* SYSRAY_HTML_SINK_H */
