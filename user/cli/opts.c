// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The option table driven through getopt_long, then the checks across options. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts.h"
#include "events/events_sink.h"
#include "lib/errmsg.h"
#include "sysray_events.h"
#include "trace/tracer.h"

#define SEC_NS 1000000000ULL
/* getopt_long values of long-only options: past every character. */
#define LONG_ONLY_BASE 0x10000

/* The getopt tables of cli_options: "+:" plus every short option, and the long ones. */
static int build_getopt(char *shorts, size_t slen, struct option *longs)
{
	size_t n = 0, k = 0;

	/* '+': stop at the command, so its own options are left alone; ':': report a
	 * missing argument as ':'. */
	shorts[n++] = '+';
	shorts[n++] = ':';
	for (size_t i = 0; i < cli_nr_options; i++) {
		const struct cli_option *o = &cli_options[i];
		int val = o->short_name ? o->short_name : LONG_ONLY_BASE + (int)i;

		if (o->short_name) {
			if (n + 3 >= slen)
				return -ENOSPC;
			shorts[n++] = o->short_name;
			if (o->arg)
				shorts[n++] = ':';
		}
		if (o->name)
			longs[k++] =
			    (struct option){ o->name, o->arg ? required_argument : no_argument,
					     NULL, val };
	}
	shorts[n] = 0;
	longs[k] = (struct option){ 0 };
	return 0;
}

static const struct cli_option *option_of(int val)
{
	if (val >= LONG_ONLY_BASE && (size_t)(val - LONG_ONLY_BASE) < cli_nr_options)
		return &cli_options[val - LONG_ONLY_BASE];
	for (size_t i = 0; i < cli_nr_options; i++)
		if (cli_options[i].short_name == val)
			return &cli_options[i];
	return NULL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* -T was "at most N rows" before it became strace's -T: say so to who writes -T 10. */
static int old_top(const char *n, char *err, size_t len)
{
	return errmsg(err, len, -EINVAL,
		      "-T no longer takes a number: it shows each call's duration (strace -T); "
		      "for at most %s rows per table use --top %s",
		      n, n);
}

static int unknown(int c, int argc, char **argv, char *err, size_t len)
{
	/* "-T10", "-cT10": getopt stops at the '1' while optind may still name that word */
	for (int i = optind - 1; i <= optind && i < argc; i++) {
		const char *t =
		    i > 0 && argv[i][0] == '-' && argv[i][1] != '-' ? strchr(argv[i], 'T') : NULL;

		if (t && all_digits(t + 1))
			return old_top(t + 1, err, len);
	}
	if (c == ':')
		return errmsg(err, len, -EINVAL, "option '%s' needs an argument", argv[optind - 1]);
	if (optopt > 0 && optopt < LONG_ONLY_BASE)
		return errmsg(err, len, -EINVAL, "unknown option '-%c' (see --help)", optopt);
	return errmsg(err, len, -EINVAL, "unknown option '%s' (see --help)", argv[optind - 1]);
}

/* The scope from what was given: exactly one of a command, -p and -a. */
static int choose_mode(struct cli_config *c, char *err, size_t len)
{
	if (!!c->argv + !!c->nr_pids + c->system_wide > 1)
		return errmsg(err, len, -EINVAL, "give only one of a command, -p PID and -a");
	if (c->argv) {
		c->mode = TARGET_COMMAND;
		c->follow_forks = true;
	} else if (c->nr_pids) {
		c->mode = TARGET_PID;
	} else if (c->system_wide || c->top) {
		c->mode = TARGET_SYSTEM;
	} else {
		return errmsg(err, len, -EINVAL,
			      "nothing to trace: give a command, -p PID or -a (see --help)");
	}
	return 0;
}

/* The event options need --events; CSV holds one table; -c and --events exclude each other. */
static int check_events(struct cli_config *c, char *err, size_t len)
{
	bool csv = c->report.format == REPORT_CSV;

	if (!c->events && (c->timestamps || c->decode_fds || c->str_size_set || c->summary ||
			   c->min_duration_ns || c->events_max_rate_set || c->events_ring_bytes))
		return errmsg(err, len, -EINVAL,
			      "-t, -y, -s, -C, --min-duration, --events-max-rate and "
			      "--events-ring-size need --events");
	if (c->events && (c->top || c->report.format == REPORT_HTML))
		return errmsg(err, len, -EINVAL,
			      "--events prints lines: not with sysray top or --format html");
	/* The event programs time every call from the start slots of the tracepoints. */
	if (c->events && c->sample_every)
		return errmsg(err, len, -EINVAL,
			      "--events shows every call with its duration: not with --sample");
	if (c->events && c->hooks == TRACER_HOOKS_TRAMPOLINES)
		return errmsg(err, len, -EINVAL,
			      "--events needs the syscall tracepoints: not with --hooks trampolines");
	if (c->events && c->summary_only)
		return errmsg(err, len, -EINVAL,
			      "-c shows the summary alone: for events and the summary use "
			      "--events -C");
	if (c->events && !c->summary && c->interval_ns)
		return errmsg(err, len, -EINVAL, "-i reports the summary: with --events add -C");
	if (csv && c->events && c->summary)
		return errmsg(err, len, -EINVAL,
			      "--format csv writes one table: not the events and the summary "
			      "(-C) in one file");
	if (csv && (c->group_by || c->hist_all || c->hist_syscalls || c->interval_ns))
		return errmsg(err, len, -EINVAL,
			      "--format csv writes the summary table alone: not with -P, "
			      "--per-thread, --hist, --histogram or -i");
	if (!c->events_max_rate_set)
		c->events_max_rate = EVENTS_DEFAULT_MAX_RATE;
	if (!c->str_size_set)
		c->str_size = SYSRAY_EV_STR_DEFAULT;
	return 0;
}

/* Checks across options, once all are read. */
static int finish(struct cli_config *c, char *err, size_t len)
{
	int rc = filter__finish(&c->filter, err, len);

	if (!rc)
		rc = check_events(c, err, len);
	if (rc)
		return rc;
	if (!c->anomaly &&
	    (c->window_ns || c->baseline_windows || c->anomaly_threshold || c->anomaly_log ||
	     c->anomaly_by || c->anomaly_max_groups || c->anomaly_kinds || c->slow_given))
		return errmsg(err, len, -EINVAL, "the anomaly options need --anomaly");
	if (c->anomaly_max_groups && !c->anomaly_by)
		return errmsg(err, len, -EINVAL,
			      "--anomaly-max-groups needs --anomaly-by cgroup or process");
	if (c->anomaly && !c->window_ns)
		c->window_ns = SEC_NS;
	if (c->metrics_opts && !c->listen)
		return errmsg(err, len, -EINVAL, "the metrics options need --listen");
	/* The series count calls from the records, and --sample leaves most calls without one. */
	if (c->listen && c->sample_every)
		return errmsg(err, len, -EINVAL, "--listen does not work with --sample yet");
	if (c->correlate && !c->interval_ns && !c->anomaly)
		return errmsg(err, len, -EINVAL,
			      "--correlate needs windows: give -i S or --anomaly");
	if (c->report.clusters && !c->group_by)
		return errmsg(err, len, -EINVAL, "--clusters needs -P or --per-thread");
	rc = report_hist_select(c->hist_all, c->hist_syscalls, &c->report.hist, err, len);
	if (!rc)
		rc = cli_finish_stacks(c, err, len);
	if (rc)
		return rc;
	if (c->report.format == REPORT_HTML && !c->output)
		return errmsg(err, len, -EINVAL,
			      "--format html writes a page: give -o FILE (or -o - for stdout)");
	/* Stacks are only in reports: without -o, sysray top would capture them for nothing. */
	if (c->top && c->stacks && !c->output)
		return errmsg(err, len, -EINVAL,
			      "sysray top shows no stacks: add -o FILE for a report with them");
	if (c->top && c->anomaly)
		return errmsg(
		    err, len, -EINVAL,
		    "sysray top draws on the terminal --anomaly prints to: run them apart");
	/* -i is the refresh of top and the heatmap column of html, not interval reports. */
	c->report.intervals = c->interval_ns && !c->top && c->report.format != REPORT_HTML;
	c->report.json_lines = c->events;
	c->report.filter = &c->filter;
	rc = choose_mode(c, err, len);
	if (rc || !c->run_user)
		return rc;
	/* strace's -u runs the command as USER; the filter of sysray's old -u is --uid. */
	if (c->mode != TARGET_COMMAND)
		return errmsg(err, len, -EINVAL,
			      "-u USER runs a command as USER; with -p or -a, --uid USER counts "
			      "only the calls of USER's tasks");
	return user_creds_resolve(c->run_user, &c->run_as, err, len);
}

static int parse(struct cli_config *c, int argc, char **argv, char *err, size_t len)
{
	struct option longs[cli_nr_options + 1];
	char shorts[2 * cli_nr_options + 3];
	int ch, rc;

	rc = build_getopt(shorts, sizeof(shorts), longs);
	if (rc)
		return errmsg(err, len, rc, "internal error: option table too large");
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct cli_option *o = option_of(ch);

		if (!o)
			return unknown(ch, argc, argv, err, len);
		if (o->short_name == 'T' && optind < argc && all_digits(argv[optind]))
			return old_top(argv[optind], err, len);
		rc = o->parse(c, o->id ? o->id : o->short_name, o->arg ? optarg : NULL, err, len);
		if (rc)
			return rc;
		if (c->help || c->version)
			return 0;
	}
	if (optind < argc)
		c->argv = &argv[optind];
	return finish(c, err, len);
}

int cli_config__parse(struct cli_config *c, int argc, char **argv, char *err, size_t len)
{
	memset(c, 0, sizeof(*c));
	filter__init(&c->filter);
	return parse(c, argc, argv, err, len);
}

int cli_config__parse_top(struct cli_config *c, int argc, char **argv, char *err, size_t len)
{
	memset(c, 0, sizeof(*c));
	filter__init(&c->filter);
	c->top = true;
	return parse(c, argc, argv, err, len);
}

void cli_config__free(struct cli_config *c)
{
	filter__free(&c->filter);
	user_creds_free(&c->run_as);
	free(c->debug_dirs);
	c->debug_dirs = NULL;
	free(c->pids);
	c->pids = NULL;
	c->nr_pids = 0;
}
