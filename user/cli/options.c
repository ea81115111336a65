// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The option table: one row per option, with its parser and its --help text. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts.h"
#include "cli/options_service.h"
#include "analysis/kmeans.h"
#include "anomaly/anomaly.h"
#include "cli/values.h"
#include "lib/errmsg.h"
#include "sysray_events.h"
#include "lib/log.h"

#define SEC_NS 1000000000ULL

static int set_flag(struct cli_config *c, int id, const char *arg, char *err, size_t len)
{
	(void)arg, (void)err, (void)len;
	switch (id) {
	case 'a':
		c->system_wide = true;
		break;
	case 'f':
		c->follow_forks = true;
		break;
	case 'v':
		c->verbose = true;
		break;
	case 'h':
		c->help = true;
		break;
	case 'V':
		c->version = true;
		break;
	}
	return 0;
}

/* -c and -w: strace's summary options, which describe what sysray does without --events. */
static int accept_strace(struct cli_config *c, int id, const char *arg, char *err, size_t len)
{
	(void)arg, (void)err, (void)len;
	if (id == 'c')
		c->summary_only = true;
	return 0;
}

/* --events and the options of its lines. */
static int set_events(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	unsigned long long v;

	switch (id) {
	case 'E':
		c->events = true;
		return 0;
	case 't':
		c->timestamps += c->timestamps < 3;
		return 0;
	case 'T':
		c->durations = true;
		return 0;
	case 'y':
		c->decode_fds = true;
		return 0;
	case 'C':
		c->summary = true;
		return 0;
	case 's':
		if (value_uint(s, 0, SYSRAY_EV_STR_MAX, &v))
			return errmsg(err, len, -EINVAL,
				      "invalid -s: '%s' (an integer from 0 to %d)", s,
				      SYSRAY_EV_STR_MAX);
		c->str_size = v;
		c->str_size_set = true;
		return 0;
	case 'R':
		if (value_size(s, 4096, 1ULL << 30, &c->events_ring_bytes) ||
		    (c->events_ring_bytes & (c->events_ring_bytes - 1)))
			return errmsg(err, len, -EINVAL,
				      "invalid --events-ring-size: '%s' (a power of two from 4096 "
				      "to 1G)",
				      s);
		return 0;
	case 'm':
		if (value_duration(s, 1, 86400 * SEC_NS, &c->min_duration_ns))
			return errmsg(err, len, -EINVAL,
				      "invalid --min-duration: '%s' (like 10ms, 1.5s, 200us; "
				      "from 1ns to 1 day)",
				      s);
		return 0;
	}
	if (value_uint(s, 0, 1000000000, &v))
		return errmsg(err, len, -EINVAL,
			      "invalid --events-max-rate: '%s' (an integer from 0 to 1e9; 0: no "
			      "limit)",
			      s);
	c->events_max_rate = v;
	c->events_max_rate_set = true;
	return 0;
}

static int parse_pids(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int rc = 0;

	(void)id;
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		unsigned long long v;
		int *p;

		if (value_uint(tok, 1, INT_MAX, &v)) {
			rc = errmsg(err, len, -EINVAL, "invalid process id: '%s' (from 1 to %d)",
				    tok, INT_MAX);
			break;
		}
		p = realloc(c->pids, (c->nr_pids + 1) * sizeof(*p));
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		c->pids = p;
		c->pids[c->nr_pids++] = v;
	}
	if (!rc && !c->nr_pids)
		rc = errmsg(err, len, -EINVAL, "invalid process id: '%s' (from 1 to %d)", s,
			    INT_MAX);
	free(copy);
	return rc;
}

static int parse_duration(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	(void)id;
	if (value_seconds(s, 1, 1000000000ULL * SEC_NS, &c->duration_ns))
		return errmsg(err, len, -EINVAL,
			      "invalid duration: '%s' (seconds, > 0 and at most 1e9)", s);
	return 0;
}

static int set_user(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	(void)id, (void)err, (void)len;
	c->run_user = s;
	return 0;
}

static int set_output(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	(void)id, (void)err, (void)len;
	c->output = s;
	return 0;
}

static int parse_format(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	(void)id;
	if (!strcmp(s, "text"))
		c->report.format = REPORT_TEXT;
	else if (!strcmp(s, "json"))
		c->report.format = REPORT_JSON;
	else if (!strcmp(s, "csv"))
		c->report.format = REPORT_CSV;
	else if (!strcmp(s, "html"))
		c->report.format = REPORT_HTML;
	else if (!strcmp(s, "folded"))
		c->report.format = REPORT_FOLDED;
	else
		return errmsg(err, len, -EINVAL,
			      "invalid format: '%s' (text, json, csv, html or folded)", s);
	return 0;
}

static int parse_sort(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	(void)id;
	return report_parse_sort(s, &c->report.text, err, len);
}

static int parse_columns(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	(void)id;
	return report_parse_columns(s, &c->report.text, err, len);
}

static int set_view(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	enum group_by by = id == 'P' ? GROUP_PROCESS : GROUP_THREAD;

	switch (id) {
	case 'x':
		c->report.stats_extended = true;
		return 0;
	case 'H':
		c->hist_all = true;
		return 0;
	case 'h':
		c->hist_syscalls = s;
		return 0;
	}
	if (c->group_by && c->group_by != by)
		return errmsg(err, len, -EINVAL, "give only one of -P and --per-thread");
	c->group_by = by;
	return 0;
}

static int parse_interval(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	(void)id;
	if (value_seconds(s, SEC_NS / 100, 1000000ULL * SEC_NS, &c->interval_ns))
		return errmsg(err, len, -EINVAL,
			      "invalid interval: '%s' (seconds, from 0.01 to 1000000)", s);
	return 0;
}

static int parse_top(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	unsigned long long v;

	(void)id;
	if (value_uint(s, 1, INT_MAX, &v))
		return errmsg(err, len, -EINVAL, "invalid --top: '%s' (an integer from 1 to %d)", s,
			      INT_MAX);
	c->report.text.top = v;
	return 0;
}

static int set_anomaly(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	unsigned long long n;

	switch (id) {
	case 'a':
		c->anomaly = true;
		return 0;
	case 'l':
		c->anomaly_log = s;
		return 0;
	case 'w':
		if (value_seconds(s, SEC_NS / 100, 86400 * SEC_NS, &c->window_ns))
			return errmsg(err, len, -EINVAL,
				      "invalid --window-interval: '%s' (seconds, from 0.01 to "
				      "86400)",
				      s);
		return 0;
	case 'b':
		/* The detector scores once it has ANOMALY_MIN_SAMPLES windows: fewer never would.
		 */
		if (value_uint(s, ANOMALY_MIN_SAMPLES, ANOMALY_WINDOW_MAX, &n))
			return errmsg(err, len, -EINVAL,
				      "invalid --baseline-windows: '%s' (an integer from %d to %d)",
				      s, ANOMALY_MIN_SAMPLES, ANOMALY_WINDOW_MAX);
		c->baseline_windows = n;
		return 0;
	}
	if (value_positive(s, 1000, &c->anomaly_threshold))
		return errmsg(err, len, -EINVAL,
			      "invalid --anomaly-threshold: '%s' (a number > 0, at most 1000)", s);
	return 0;
}

/* --correlate, --clusters */
static int set_analysis(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	unsigned long long k;

	if (id == 'c') {
		c->correlate = true;
		return 0;
	}
	if (!strcmp(s, "auto")) {
		c->report.clusters = REPORT_CLUSTERS_AUTO;
		return 0;
	}
	if (value_uint(s, 2, KMEANS_MAX_K, &k))
		return errmsg(err, len, -EINVAL,
			      "invalid --clusters: '%s' (auto, or an integer from 2 to %d)", s,
			      KMEANS_MAX_K);
	c->report.clusters = k;
	return 0;
}

static int parse_filter(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	return filter__parse_opt(&c->filter, id, s, err, len);
}

static int parse_ring(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	if (id == 'l') {
		if (strcmp(s, "percpu") && strcmp(s, "shared"))
			return errmsg(err, len, -EINVAL,
				      "invalid ring layout: '%s' (percpu or shared)", s);
		c->shared_ring = !strcmp(s, "shared");
		return 0;
	}
	if (value_size(s, 4096, 1ULL << 30, &c->ring_bytes) ||
	    (c->ring_bytes & (c->ring_bytes - 1)))
		return errmsg(err, len, -EINVAL,
			      "invalid ring size: '%s' (a power of two from 4096 to 1G)", s);
	return 0;
}

/* The most --sample takes: beyond it a run times too few calls to say anything. */
#define SAMPLE_MAX 1000000

static int parse_sample(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	unsigned long long v;

	(void)id;
	if (value_uint(s, 1, SAMPLE_MAX, &v))
		return errmsg(err, len, -EINVAL, "invalid --sample: '%s' (an integer from 1 to %d)",
			      s, SAMPLE_MAX);
	c->sample_every = v > 1 ? v : 0;
	return 0;
}

static int parse_hooks(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	static const char *const names[] = { "auto", "tracepoints", "trampolines" };

	(void)id;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i])) {
			c->hooks = i; /* enum tracer_hooks, in this order */
			return 0;
		}
	}
	return errmsg(err, len, -EINVAL, "invalid --hooks: '%s' (auto, tracepoints or trampolines)",
		      s);
}

/* clang-format off */
const struct cli_option cli_options[] = {
	{ "pid", 'p', "PIDS", "Scope (a COMMAND with its ARGS, or one of):",
	  "trace running processes (all their threads), comma-separated", parse_pids, 0 },
	{ "system-wide", 'a', NULL, NULL, "trace every process but sysray itself", set_flag, 'a' },
	{ "follow-forks", 'f', NULL, NULL,
	  "with -p: also trace children created after attaching, until\n"
	  "the last traced process exits", set_flag, 'f' },
	{ "duration", 'd', "S", NULL,
	  "stop after S seconds (default: command end, or Ctrl-C / SIGTERM)", parse_duration, 0 },
	{ "user", 'u', "USER", NULL,
	  "run the command as USER: its uid, primary group and\n"
	  "supplementary groups (as strace -u); to count only the calls\n"
	  "of a user's tasks, see --uid", set_user, 0 },

	{ "summary-only", 'c', NULL, "Report:",
	  "summary report only (the default without --events; accepted\n"
	  "for strace users)", accept_strace, 0 },
	{ "summary-wall-clock", 'w', NULL, NULL,
	  "accepted for strace users: time is always wall-clock time\n"
	  "from syscall entry to exit (strace -c -w)", accept_strace, 0 },
	{ "output", 'o', "FILE", NULL,
	  "write the report (and the events) to FILE ('-' for stdout;\n"
	  "default stderr)",
	  set_output, 0 },
	{ "format", 0, "F", NULL,
	  "text (strace -c table, default), json (schema sysray.profile/1)\n"
	  "csv (the summary table) or html (one self-contained page\n"
	  "with plots; needs -o, docs/html.md); with --events: strace\n"
	  "lines, JSON Lines (sysray.event/1) or one CSV row per call;\n"
	  "folded (with --stacks: folded stacks for flame graphs)", parse_format, 0 },
	{ "summary-sort-by", 'S', "KEY", NULL,
	  "time, calls, errors, name, avg-time, min-time, max-time, nothing", parse_sort, 0 },
	{ "summary-columns", 'U', "COLS", NULL,
	  "comma-separated: time-percent, total-time, avg-time, calls,\n"
	  "errors, name, min-time (shortest), max-time (longest)", parse_columns, 0 },

	{ "stats-extended", 0, NULL,
	  "Statistics (text; the JSON report always has percentiles, errnos and histograms):",
	  "per syscall: mean, stddev, min, max and P50..P99.9 latency\n"
	  "in microseconds, then the errors broken down by errno", set_view, 'x' },
	{ "hist", 0, NULL, NULL, "an ASCII latency histogram (power-of-two rows) per syscall",
	  set_view, 'H' },
	{ "histogram", 0, "SYSCALLS", NULL, "the same for the comma-separated syscalls only",
	  set_view, 'h' },
	{ "per-process", 'P', NULL, NULL, "a table per process (pid and command name) after the total",
	  set_view, 'P' },
	{ "per-thread", 0, NULL, NULL, "a table per thread instead", set_view, 't' },
	{ "interval", 'i', "S", NULL,
	  "every S seconds (>= 0.01) report that interval alone, then\n"
	  "the whole run at the end; JSON: one object per line; html:\n"
	  "the narrowest heatmap column; sysray top: the refresh", parse_interval, 0 },
	{ "top", 0, "N", NULL, "at most N rows per table (and N processes, N histograms)",
	  parse_top, 0 },

	{ "events", 0, NULL, "Per-call events (one line per call as it returns; docs/events.md):",
	  "a line per selected call, as strace prints them:\n"
	  "[pid N] name(args) = ret; the summary is then off unless\n"
	  "-C is given", set_events, 'E' },
	{ NULL, 't', NULL, NULL,
	  "wall-clock time of each call's entry; -tt with microseconds,\n"
	  "-ttt as seconds since the epoch", set_events, 't' },
	{ "syscall-times", 'T', NULL, NULL,
	  "each call's duration in seconds, <0.000012> (strace -T);\n"
	  "accepted without --events, where the summary has the times\n"
	  "(at most N rows per table is --top N)", set_events, 'T' },
	{ "decode-fds", 'y', NULL, NULL, "file descriptors with their paths: 3</etc/passwd>",
	  set_events, 'y' },
	{ "string-limit", 's', "N", NULL,
	  "show at most N bytes of each path (default 32, at most\n"
	  "4096); a longer one ends with ...", set_events, 's' },
	{ "summary", 'C', NULL, NULL, "the summary report too, after the events (strace -C)",
	  set_events, 'C' },
	{ "min-duration", 0, "D", NULL,
	  "only calls that took at least D: 10ms, 1.5s, 200us, 500ns\n"
	  "(a bare number is seconds; decided in the kernel)", set_events, 'm' },
	{ "events-max-rate", 0, "N", NULL,
	  "at most N lines a second, in bursts of up to N (default\n"
	  "10000; 0: no limit); the others are counted and reported", set_events, 'r' },
	{ "events-ring-size", 0, "BYTES", NULL,
	  "the ring the kernel writes events to, a power of two >= 4096\n"
	  "(default 4M); events that do not fit are counted as lost", set_events, 'R' },

	{ "anomaly", 0, NULL, "Anomaly detection (for long-running services; docs/anomaly.md):",
	  "compare every window with a sliding baseline of the previous\n"
	  "ones, per syscall (and service, --anomaly-by): latency (P50,\n"
	  "P99), errors, call rate, new syscalls and errnos, stalls;\n"
	  "print one line when an episode fires and one when it\n"
	  "resolves, report slow calls, and add the episodes to the\n"
	  "final report", set_anomaly, 'a' },
	{ "window-interval", 0, "S", NULL, "window length (default 1)", set_anomaly, 'w' },
	{ "baseline-windows", 0, "N", NULL, "windows in the baseline: 10 to 1024 (default 60)", set_anomaly,
	  'b' },
	{ "anomaly-threshold", 0, "T", NULL,
	  "robust z-score to fire (default 4): low from T,\n"
	  "medium from 1.5T, high from 2.5T, capped by impact", set_anomaly, 't' },
	{ "anomaly-log", 0, "FILE", NULL, "also write events as JSON Lines to FILE", set_anomaly,
	  'l' },
	{ "anomaly-by", 0, "BY", NULL,
	  "baselines per service: cgroup (each cgroup v2), process or\n"
	  "none (default: one baseline per syscall for all traced)", cli_set_service, 'b' },
	{ "anomaly-max-groups", 0, "N", NULL,
	  "with --anomaly-by: at most N services (default 64); the\n"
	  "rest share one baseline, \"(others)\", and are counted", cli_set_service, 'g' },
	{ "anomaly-kinds", 0, "KINDS", NULL,
	  "comma-separated: latency, errors, rate, drop (the rate\n"
	  "falling), new (a syscall or errno the baseline lacks),\n"
	  "stall (calls stop while threads are stuck in one);\n"
	  "default: all but drop", cli_set_service, 'k' },
	{ "slow-calls", 0, "WHEN", NULL,
	  "report single slow calls: auto (above 3x the baseline\n"
	  "p99.9, the default), off, or above a DURATION (50ms)", cli_set_service, 's' },

	{ "correlate", 0, NULL, "Analysis (docs/analysis.md):",
	  "correlate per-window series (calls/s and p99 per syscall,\n"
	  "calls/s per service with --anomaly-by) over the windows of\n"
	  "-i, else of --anomaly; report the strongest pairs", set_analysis, 'c' },
	{ "clusters", 0, "K", NULL,
	  "with -P or --per-thread: k-means of the processes (threads)\n"
	  "by syscall mix and latency; K clusters, or auto", set_analysis, 'k' },

	{ "listen", 0, "ADDR:PORT",
	  "Metrics (service mode: a Prometheus endpoint; docs/metrics.md):",
	  "serve /metrics (Prometheus text 0.0.4 or OpenMetrics),\n"
	  "/healthz and / on ADDR:PORT, e.g. 127.0.0.1:9464 (a bare\n"
	  ":PORT binds every address); runs until stopped, and writes\n"
	  "the final report only with -o", cli_parse_metrics, 'l' },
	{ "metrics-by", 0, "BY",
	  NULL, "cgroup (the cgroup v2 path), comm (process name) or none\n"
	  "(default): a label that splits every syscall series", cli_parse_metrics, 'b' },
	{ "metrics-max-series", 0, "N", NULL,
	  "at most N cgroups or comms get their own series (default\n"
	  "100); the calls of later ones go to cgroup=\"other\"", cli_parse_metrics, 'm' },
	{ "metrics-expire", 0, "S", NULL,
	  "drop the series of a cgroup or comm idle for S seconds\n"
	  "(default 600)", cli_parse_metrics, 'e' },
	{ "metrics-buckets", 0, "LIST", NULL,
	  "latency histogram bounds in seconds, comma-separated\n"
	  "(default: 1-2-5 steps from 0.000001 to 10)", cli_parse_metrics, 'B' },
	{ "web-config", 0, "FILE", NULL,
	  "TLS and basic auth, as the Prometheus exporter toolkit's\n"
	  "web config file (tls_server_config, basic_auth_users)", cli_parse_metrics, 'w' },
	{ "web-insecure-auth", 0, NULL, NULL,
	  "allow basic auth without TLS on a non-loopback address", cli_parse_metrics, 'i' },

	{ "cgroup", 0, "PATH",
	  "Filters (in the kernel; a call is counted only if it passes every filter given;\n"
	  "several values of one filter pass a call that matches any of them):",
	  "tasks in cgroup v2 PATH or in a cgroup below it; PATH is\n"
	  "absolute or relative to the cgroup2 mount", parse_filter, FILTER_OPT_CGROUP },
	{ "uid", 0, "USER", NULL, "tasks whose real uid is USER (a name or a number)",
	  parse_filter, FILTER_OPT_UID },
	{ "tid", 0, "TID", NULL, "the threads with these thread ids", parse_filter,
	  FILTER_OPT_TID },
	{ "comm", 0, "NAME", NULL, "tasks whose command name (comm, <= 15 characters) is NAME",
	  parse_filter, FILTER_OPT_COMM },
	{ NULL, 'e', "trace=SET", NULL,
	  "syscalls, as in strace: comma-separated names, numbers,\n"
	  "%CLASS, /REGEX, all, none; VALUE@64 or VALUE@32 limits\n"
	  "VALUE to one ABI, ?VALUE ignores an unknown one, a\n"
	  "leading ! negates the set; the last -e trace= wins.\n"
	  "Classes: %file %desc %network (%net) %process %memory\n"
	  "%signal %ipc %creds %clock %stat %lstat %fstat %%stat\n"
	  "%statfs %fstatfs %%statfs %pure (see docs/filters.md)", parse_filter, FILTER_OPT_EXPR },
	{ "trace", 0, "SET", NULL, "the same as -e trace=SET", parse_filter, FILTER_OPT_TRACE },
	{ "failed-only", 'Z', NULL, NULL, "only calls that returned an error", parse_filter,
	  FILTER_OPT_FAILED },
	{ "successful-only", 'z', NULL, NULL, "only calls that did not return an error",
	  parse_filter, FILTER_OPT_SUCCESSFUL },
	{ "errno", 0, "ERRS", NULL,
	  "only calls that failed with one of ERRS (ENOENT, 2...);\n"
	  "implies -Z. --uid, --tid and --errno take comma-separated\n"
	  "lists; all filters but -e, --trace, -Z and -z can be\n"
	  "repeated to add values", parse_filter, FILTER_OPT_ERRNO },

	{ "stacks", 0, NULL, "Stacks of slow and failing calls (docs/stacks.md):",
	  "per syscall, the code paths of its slowest and failing\n"
	  "calls, one frame per line as func (file:line); alone, a\n"
	  "sample: every failed call and every call of --stack-period\n"
	  "or longer, a shorter one with probability duration / period",
	  cli_parse_stacks, 's' },
	{ "stack-min-duration", 0, "D", NULL,
	  "instead: every call of at least D (5ms, 100us, 1s...)", cli_parse_stacks, 'd' },
	{ "stack-period", 0, "D", NULL, "the sampling period (default 100us)", cli_parse_stacks,
	  'p' },
	{ "stack-mode", 0, "M", NULL,
	  "fp (frame pointers, default) or dwarf: copy --stack-size\n"
	  "bytes of stack and unwind them with the binary's CFI\n"
	  "(for programs built without frame pointers)", cli_parse_stacks, 'm' },
	{ "stack-size", 0, "BYTES", NULL, "with dwarf: stack bytes copied per call (default 8K)",
	  cli_parse_stacks, 'z' },
	{ "kernel-stacks", 0, NULL, NULL,
	  "also the kernel stack where each call waited longest", cli_parse_stacks, 'k' },
	{ "stack-map-size", 0, "N", NULL,
	  "fp: stacks the kernel deduplicates (default 8192, 512 bytes\n"
	  "each); a stack that does not fit comes whole in its event", cli_parse_stacks, 'M' },
	{ "stack-rate", 0, "N", NULL,
	  "at most N stacks a second per CPU, the rest counted as\n"
	  "throttled (default 2000; dwarf: 200)", cli_parse_stacks, 'r' },
	{ "stack-top", 0, "N", NULL, "text: N code paths per syscall (default 5; --top: syscalls)",
	  cli_parse_stacks, 't' },
	{ "by-function", 0, NULL, NULL,
	  "a table of syscall time, calls and errors by function of\n"
	  "the program (its innermost frame in the program's binary)", cli_parse_stacks, 'b' },
	{ "function-depth", 0, "N", NULL, "with --by-function: the N innermost frames",
	  cli_parse_stacks, 'D' },
	{ "folded-value", 0, "V", NULL, "--format folded counts time (ns, default) or calls",
	  cli_parse_stacks, 'v' },
	{ "debug-dir", 0, "DIR", NULL,
	  "look for separate debug info by build-id in DIR/.build-id\n"
	  "before /usr/lib/debug (repeatable)", cli_parse_stacks, 'g' },

	{ "sample", 0, "N", "Tuning:",
	  "time one call in N, each chosen at random (no clock read for\n"
	  "the others); calls and errors stay exact for every call, and\n"
	  "latencies and percentiles come from the timed calls (error\n"
	  "bound in docs/design.md). --sample 64 is the setting for\n"
	  "always-on use", parse_sample, 0 },
	{ "ring-size", 0, "BYTES", NULL,
	  "size of each per-CPU BPF ring buffer, a power of two >= 4096\n"
	  "(default: 16M split over the CPUs, 64K to 8M each); records\n"
	  "that do not fit are counted and reported as dropped", parse_ring, 's' },
	{ "ring-layout", 0, "L", NULL, "percpu (default: one ring per CPU) or shared (one ring)",
	  parse_ring, 'l' },
	{ "hooks", 0, "H", NULL,
	  "auto (default): fentry/fexit trampolines on the syscalls'\n"
	  "own functions when -e trace= selects a few (the others\n"
	  "then cost nothing), else the raw syscall tracepoints;\n"
	  "tracepoints; trampolines (an error if they cannot be used)", parse_hooks, 0 },
	{ "verbose", 'v', NULL, NULL, "show libbpf's messages", set_flag, 'v' },
	{ "help", 'h', NULL, NULL, "this text", set_flag, 'h' },
	{ "version", 'V', NULL, NULL, "print the version", set_flag, 'V' },
};
/* clang-format on */

const size_t cli_nr_options = ARRAY_SIZE(cli_options);
