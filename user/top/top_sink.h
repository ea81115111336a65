/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sysray top: a live full-screen view of the calls of the last refresh, one row per
 * syscall, process or cgroup, with keys to sort, switch the view, filter, pause and quit
 * (docs/top.md). A sink like the others: it keeps its own window of the records and draws
 * it at every refresh; between refreshes it reads the keyboard every TOP_KEY_POLL_NS.
 */
#ifndef SYSRAY_TOP_SINK_H
#define SYSRAY_TOP_SINK_H

#include <stdbool.h>
#include <linux/types.h>
#include "sink/sink.h"
#include "top/top_rows.h"

#define TOP_REFRESH_NS	1000000000ULL
#define TOP_KEY_POLL_NS 50000000ULL

struct top_sink_opts {
	__u64 refresh_ns;   /* -i; 0: TOP_REFRESH_NS */
	enum top_view view; /* the first view (-P: processes) */
	bool no_probe;	    /* benchmarks: do not check for a terminal */
};

/* Checks that the terminal can show the view (-ENOTTY and a message if not). */
int top_sink__new(const struct top_sink_opts *o, struct sink *out);

#endif /* SYSRAY_TOP_SINK_H */
