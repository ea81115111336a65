/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --listen: the run as Prometheus metrics (docs/metrics.md). The sink keeps counters per
 * series (metrics/series.h) from the records, renders both text formats every second on
 * the session's thread and hands them to the HTTP server's thread (metrics/http.h), which
 * serves them without ever touching the counters.
 */
#ifndef SYSRAY_METRICS_SINK_H
#define SYSRAY_METRICS_SINK_H

#include <stdbool.h>
#include <linux/types.h>
#include "sink/sink.h"

struct anomaly;

enum metrics_by {
	METRICS_BY_NONE = 0,
	METRICS_BY_CGROUP,
	METRICS_BY_COMM,
};

#define METRICS_DEFAULT_MAX_SERIES 100
#define METRICS_DEFAULT_EXPIRE_NS  (600ULL * 1000000000ULL)
#define METRICS_DEFAULT_PERIOD_NS  (1000000000ULL)

struct metrics_sink_opts {
	const char *listen; /* ADDR:PORT */
	enum metrics_by by;
	unsigned int max_series; /* 0: METRICS_DEFAULT_MAX_SERIES */
	__u64 expire_ns;	 /* 0: METRICS_DEFAULT_EXPIRE_NS */
	__u64 period_ns;	 /* how often the document is rendered; 0: 1 s */
	const __u64 *buckets_ns; /* histogram bounds, or NULL for the default 1-2-5 series */
	unsigned int nr_buckets;
	const char *web_config;	       /* --web-config FILE, or NULL */
	bool insecure_auth;	       /* basic auth without TLS on a non-loopback address */
	const struct anomaly *anomaly; /* --anomaly's detector (owned by its sink), or NULL */
	const char *mounts;	       /* /proc/mounts (tests give another) */
};

/*
 * Binds the socket and reads the web configuration now, so a taken port or a bad file is
 * an error before tracing starts (printed, one line); serving starts with the sink.
 */
int metrics_sink__new(const struct metrics_sink_opts *o, struct sink *out);

#endif /* SYSRAY_METRICS_SINK_H */
