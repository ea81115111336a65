/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --events: one line per selected call as it happens, in strace's layout, as JSON Lines
 * (sysray.event/1) or as CSV (docs/events.md). The kernel selects the calls (scope,
 * filters, -Z/--errno, --min-duration); this sink limits the rate (--events-max-rate),
 * decodes and writes them, and says how many it did not show.
 */
#ifndef SYSRAY_EVENTS_SINK_H
#define SYSRAY_EVENTS_SINK_H

#include <stdbool.h>
#include <linux/types.h>
#include "report/output.h"
#include "sink/sink.h"

/* --events-max-rate without a value: event lines per second, and as many in a burst. */
#define EVENTS_DEFAULT_MAX_RATE 10000

/* The event ring's size: a few thousand events of default size. */
#define EVENTS_RING_BYTES (4U << 20)

enum events_format {
	EVENTS_TEXT, /* strace's layout */
	EVENTS_JSON, /* JSON Lines, sysray.event/1 */
	EVENTS_CSV,  /* RFC 4180 with a header row */
};

struct events_sink_opts {
	enum events_format format;
	int timestamps;	      /* -t, -tt, -ttt: 1 to 3 */
	bool durations;	      /* -T */
	bool fds;	      /* -y */
	double max_rate;      /* --events-max-rate; 0: no limit */
	struct output *out;   /* borrowed */
	const char *out_name; /* -o as given ("-": stdout), NULL for stderr */
	bool commit;	      /* commit out at stop: no summary follows */
};

int events_sink__new(const struct events_sink_opts *o, struct sink *out);

/* What the kernel must capture per (abi, nr) for the events: see tracer_events.spec. */
void events_kernel_spec(__u16 spec[SYSRAY_ABI_CNT * SYSRAY_MAX_NR]);

#endif /* SYSRAY_EVENTS_SINK_H */
