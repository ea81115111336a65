/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line options into a config struct; no side effects, so it is unit-tested. */
#ifndef SYSRAY_OPTS_H
#define SYSRAY_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "filter.h"
#include "profile.h"

enum out_format {
	FORMAT_TEXT,
	FORMAT_JSON,
};

struct sysray_config {
	enum target_mode mode;
	char **argv; /* command mode: NULL-terminated, points into the caller's argv */
	int *pids;   /* pid mode: malloc'ed */
	int nr_pids;
	bool follow_forks;  /* -f; always on in command mode */
	__u64 duration_ns;  /* -d: 0 means until the command ends or Ctrl-C */
	const char *output; /* -o: NULL for stderr, "-" for stdout */
	enum out_format format;
	const char *sort_by; /* -S, validated by the report */
	const char *columns; /* -U, validated by the report */
	__u64 ring_bytes;    /* --ring-size, of each ring; 0: the default */
	bool shared_ring;    /* --ring-layout shared */
	bool verbose;
	/* Statistics views */
	bool stats_extended;	   /* --stats-extended: latency percentiles, errnos */
	bool hist_all;		   /* --hist: a latency histogram for every syscall */
	const char *hist_syscalls; /* --histogram LIST, validated by the report */
	enum group_by group_by;	   /* -P / --per-thread */
	__u64 interval_ns;	   /* -i: 0 for one report at the end */
	unsigned int top;	   /* -T: at most this many rows per table, 0 for all */
	/* Anomaly detection (docs/anomaly.md) */
	bool anomaly;		       /* --anomaly */
	__u64 window_ns;	       /* --window-interval: the detector's tick, default 1 s */
	unsigned int baseline_windows; /* --baseline-windows: 0 for the detector's default */
	double anomaly_threshold;      /* --anomaly-threshold: 0 for the detector's default */
	const char *anomaly_log;       /* --anomaly-log FILE: events as JSON Lines */
	const char *bench_hooks;       /* --bench-hooks MODE: measure a hook variant, no report */
	struct filter_spec filter;     /* scope filters, applied in the kernel */
	bool help, version;
};

/*
 * 0 on success; a negative errno with a one-line message in err otherwise. Filter options
 * are resolved here (users, cgroup directories opened), so opts_free() must follow.
 */
int opts_parse(int argc, char **argv, struct sysray_config *cfg, char *err, size_t errlen);
void opts_free(struct sysray_config *cfg);
void opts_usage(FILE *f);

#endif /* SYSRAY_OPTS_H */
