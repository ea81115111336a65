/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The command line into a config: every option is one row of a table (cli/options.c) that
 * says how it is parsed and how --help shows it. No side effects beyond resolving the
 * filters (users, cgroup directories), so it is unit-tested.
 */
#ifndef SYSRAY_CLI_OPTS_H
#define SYSRAY_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "anomaly/anomaly_sink.h"
#include "filter/filter.h"
#include "lib/users.h"
#include "metrics/metrics_sink.h"
#include "metrics/series.h"
#include "report/report.h"
#include "stacks/stacks_sink.h"
#include "stats/groups.h"
#include "stats/gwin.h"
#include "stats/run.h"

struct cli_config {
	enum target_mode mode;
	char **argv;		  /* command mode: NULL-terminated, points into the caller's argv */
	const char *run_user;	  /* -u: run the command as this user */
	struct user_creds run_as; /* -u, resolved */
	int *pids;		  /* pid mode: malloc'ed */
	int nr_pids;
	bool system_wide;   /* -a */
	bool follow_forks;  /* -f; always on in command mode */
	__u64 duration_ns;  /* -d: 0 means until the command ends or Ctrl-C */
	const char *output; /* -o: NULL for stderr, "-" for stdout */
	__u64 ring_bytes;   /* --ring-size, of each ring; 0: the default */
	bool shared_ring;   /* --ring-layout shared */
	__u32 sample_every; /* --sample N: time one call in N; 0: every call */
	int hooks;	    /* --hooks: enum tracer_hooks */
	bool verbose;
	/* Report views */
	struct report_opts report; /* format, -S, -U, -T, --hist(ogram), --stats-extended */
	bool hist_all;		   /* --hist */
	const char *hist_syscalls; /* --histogram LIST */
	enum group_by group_by;	   /* -P / --per-thread */
	__u64 interval_ns;	   /* -i: 0 for one report at the end */
	/* Anomaly detection (docs/anomaly.md) */
	bool anomaly;			 /* --anomaly */
	__u64 window_ns;		 /* --window-interval: the detector's tick, default 1 s */
	unsigned int baseline_windows;	 /* --baseline-windows: 0 for the detector's default */
	double anomaly_threshold;	 /* --anomaly-threshold: 0 for the detector's default */
	const char *anomaly_log;	 /* --anomaly-log FILE: events as JSON Lines */
	enum gwin_by anomaly_by;	 /* --anomaly-by: baselines per service */
	unsigned int anomaly_max_groups; /* --anomaly-max-groups: 0 for the default */
	unsigned int anomaly_kinds;	 /* --anomaly-kinds: 0 for the default */
	enum slow_calls slow_calls;	 /* --slow-calls */
	__u64 slow_ns;			 /* --slow-calls DURATION */
	bool slow_given;		 /* --slow-calls was given */
	/* Per-call events (docs/events.md) */
	bool events;	       /* --events */
	int timestamps;	       /* -t, -tt, -ttt */
	bool durations;	       /* -T (strace's: each call's duration) */
	bool decode_fds;       /* -y */
	unsigned int str_size; /* -s, when str_size_set */
	bool str_size_set;
	bool summary_only;	/* -c */
	bool summary;		/* -C: the summary report after the events */
	__u64 min_duration_ns;	/* --min-duration */
	double events_max_rate; /* --events-max-rate */
	bool events_max_rate_set;
	__u64 events_ring_bytes; /* --events-ring-size; 0: EVENTS_RING_BYTES */
	/* Analysis (docs/analysis.md) */
	bool correlate; /* --correlate */
	/* Metrics (docs/metrics.md) */
	const char *listen;			    /* --listen ADDR:PORT */
	enum metrics_by metrics_by;		    /* --metrics-by */
	unsigned int metrics_max_series;	    /* 0: the default */
	__u64 metrics_expire_ns;		    /* 0: the default */
	__u64 metrics_buckets[METRICS_MAX_BUCKETS]; /* --metrics-buckets, ns */
	unsigned int nr_metrics_buckets;
	const char *web_config; /* --web-config FILE */
	bool web_insecure_auth;
	bool metrics_opts;    /* any metrics option but --listen was given */
	struct filter filter; /* scope filters, applied in the kernel */
	bool top;	      /* sysray top: -i is the refresh, -a the default */
	/* Stacks of slow and failing calls (docs/stacks.md) */
	bool stacks;		       /* --stacks */
	bool stack_opts;	       /* any other stack option was given */
	struct stacks_sink_opts stack; /* completed by cli_config__parse */
	const char **debug_dirs;       /* --debug-dir, malloc'ed */
	bool help, version;
};

/* One option of the table: how it is parsed, and how --help shows it. */
struct cli_option {
	const char *name;    /* long name, without "--" */
	int short_name;	     /* 0 if none */
	const char *arg;     /* the argument's name in --help, NULL for a flag */
	const char *section; /* the --help section it opens, or NULL to stay in the last */
	const char *help;    /* lines separated by '\n' */
	/* 0, or a negative errno with a one-line message in err. arg is NULL for a flag. */
	int (*parse)(struct cli_config *c, int id, const char *arg, char *err, size_t len);
	int id; /* passed to parse: an enum filter_opt for the filter options */
};

extern const struct cli_option cli_options[];
extern const size_t cli_nr_options;

/* The stack options (cli/options_stacks.c): their parser, and the checks once all are read. */
int cli_parse_stacks(struct cli_config *c, int id, const char *arg, char *err, size_t len);
int cli_finish_stacks(struct cli_config *c, char *err, size_t len);

/*
 * 0 on success; a negative errno with a one-line message in err otherwise. Filter options
 * are resolved here (users, cgroup directories opened), so cli_config__free() must follow.
 */
int cli_config__parse(struct cli_config *c, int argc, char **argv, char *err, size_t len);
/* The same for sysray top's options (argv[0] is "top"): c->top is set. */
int cli_config__parse_top(struct cli_config *c, int argc, char **argv, char *err, size_t len);
void cli_config__free(struct cli_config *c);
/* --help, from the option table; sysray top --help. */
void cli_usage(FILE *f);
void cli_usage_top(FILE *f);

#endif /* SYSRAY_CLI_OPTS_H */
