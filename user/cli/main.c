// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sysray: count and time every syscall of a command, some processes or the whole system. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include "analysis/correlate_sink.h"
#include "anomaly/anomaly_sink.h"
#include "cli/opts.h"
#include "diff/diff.h"
#include "events/events_sink.h"
#include "html/html_sink.h"
#include "lib/errmsg.h"
#include "lib/log.h"
#include "lib/safe_open.h"
#include "lib/signals.h"
#include "metrics/metrics_sink.h"
#include "report/interval_sink.h"
#include "report/output.h"
#include "report/report_sink.h"
#include "session/session.h"
#include "stacks/stacks_sink.h"
#include "top/top_sink.h"
#include "trace/privs.h"

/* --events: the event lines, stopped first so that a summary (-C) follows them. */
static int add_events(struct cli_config *c, struct session *s, struct output *out)
{
	struct events_sink_opts eo = {
		.format = c->report.format == REPORT_JSON  ? EVENTS_JSON
			  : c->report.format == REPORT_CSV ? EVENTS_CSV
							   : EVENTS_TEXT,
		.timestamps = c->timestamps,
		.durations = c->durations,
		.fds = c->decode_fds,
		.max_rate = c->events_max_rate,
		.out = out,
		.out_name = c->output,
		.commit = !c->summary,
	};
	struct sink sink;
	int err = events_sink__new(&eo, &sink);

	return err ? err : session__add_sink(s, sink);
}

/* The whole run's report at the end: the page with --format html, else text or JSON. */
static int add_report(struct cli_config *c, struct session *s, struct output *out)
{
	struct sink sink;
	int err;

	if (c->report.format == REPORT_HTML) {
		struct html_sink_opts ho = {
			.out = out,
			.out_name = c->output,
			.filter = &c->filter,
			.anomaly = c->report.anomaly,
			.top = c->report.text.top,
			.column_ns = c->interval_ns,
			.stacks = c->report.extra,
			.stacks_by_calls = c->stack.folded_calls,
		};

		err = html_sink__new(&ho, &sink);
	} else {
		struct report_sink_opts ro = { .report = c->report,
					       .out = out,
					       .out_name = c->output };

		err = report_sink__new(&ro, &sink);
	}
	return err ? err : session__add_sink(s, sink);
}

/* sysray top: the view first, so that the terminal is back before a report is written. */
static int add_top_sinks(struct cli_config *c, struct session *s, struct output *out)
{
	struct top_sink_opts to = {
		.refresh_ns = c->interval_ns,
		.view = c->group_by ? TOP_VIEW_PROCESS : TOP_VIEW_SYSCALL,
	};
	struct sink sink;
	int err = top_sink__new(&to, &sink);

	if (!err)
		err = session__add_sink(s, sink);
	/* Without -o the view is all: a report on stderr would land under the shell prompt. */
	if (!err && c->output)
		err = add_report(c, s, out);
	return err;
}

#ifdef SYSRAY_NO_METRICS
static int add_metrics(struct cli_config *c, struct session *s)
{
	(void)c;
	(void)s;
	p_err("--listen: this sysray was built without service mode (make METRICS=0)");
	return -EOPNOTSUPP;
}
#else
/* Service mode: the endpoint's sink (docs/metrics.md). */
static int add_metrics(struct cli_config *c, struct session *s)
{
	struct metrics_sink_opts mo = {
		.listen = c->listen,
		.by = c->metrics_by,
		.max_series = c->metrics_max_series,
		.expire_ns = c->metrics_expire_ns,
		.buckets_ns = c->metrics_buckets,
		.nr_buckets = c->nr_metrics_buckets,
		.web_config = c->web_config,
		.insecure_auth = c->web_insecure_auth,
		.anomaly = c->report.anomaly,
	};
	struct sink sink;
	int err = metrics_sink__new(&mo, &sink);

	return err ? err : session__add_sink(s, sink);
}
#endif

/* The sinks the options ask for, in the order they must stop: intervals before the total. */
static int add_sinks(struct cli_config *c, struct session *s, struct output *out)
{
	struct sink sink;
	int err = 0;

	if (c->top)
		return add_top_sinks(c, s, out);
	if (c->events) {
		err = add_events(c, s, out);
		if (err || !c->summary)
			return err;
	}
	if (c->anomaly) {
		struct anomaly_sink_opts ao = {
			.threshold = c->anomaly_threshold,
			.baseline_windows = c->baseline_windows,
			.window_ns = c->window_ns,
			.log_path = c->anomaly_log,
			.by = c->anomaly_by,
			.max_groups = c->anomaly_max_groups,
			.kinds = c->anomaly_kinds,
			.slow = c->slow_calls,
			.slow_ns = c->slow_ns,
		};

		err = anomaly_sink__new(&ao, &sink, &c->report.anomaly, &c->report.anomaly_log);
		if (!err)
			err = session__add_sink(s, sink);
	}
	/* Before the report: it computes what the report shows when tracing stops. */
	if (!err && c->correlate) {
		struct correlate_sink_opts co = {
			.period_ns = c->interval_ns ? c->interval_ns : c->window_ns,
			.by = c->anomaly_by,
			.max_groups =
			    c->anomaly_max_groups ? c->anomaly_max_groups : ANOMALY_SINK_GROUPS,
			.idle_windows = c->baseline_windows,
		};

		err = correlate_sink__new(&co, &sink, &c->report.correlate);
		if (!err)
			err = session__add_sink(s, sink);
	}
	if (!err && c->listen)
		err = add_metrics(c, s);
	if (!err && c->report.intervals) {
		struct interval_sink_opts io = {
			.report = c->report,
			.group_by = c->group_by,
			.period_ns = c->interval_ns,
			.out = out,
		};

		io.report.anomaly = NULL;
		io.report.correlate = NULL;
		io.report.clusters = 0;
		err = interval_sink__new(&io, &sink);
		if (!err)
			err = session__add_sink(s, sink);
	}
	/* Before the report: it stops (and symbolizes) first, then the report renders it. */
	if (!err && c->stacks) {
		err = stacks_sink__new(&c->stack, &sink, &c->report.extra);
		if (!err)
			err = session__add_sink(s, sink);
	}
	if (err)
		return err;
	/* A service (--listen) writes a final report only where it is asked to. */
	return c->listen && !c->output ? 0 : add_report(c, s, out);
}

/*
 * What sysray will need once it has given up its other capabilities (docs/security.md): the
 * rename of -o's file at the end, with -p or -a the reopening of --anomaly-log on SIGHUP;
 * --events -y reads the traced tasks' /proc/PID/fd links and --stacks their /proc/PID/maps,
 * which a task with capabilities sysray no longer has, or another user's, only shows to
 * CAP_SYS_PTRACE; --stacks opens the mapped files through /proc/PID/map_files
 * (CAP_CHECKPOINT_RESTORE) and with --kernel-stacks names kernel frames from /proc/kallsyms,
 * whose addresses show as 0 to an opener without CAP_SYSLOG; --metrics-by cgroup names a gone task's cgroup from its id with
 * open_by_handle_at (CAP_DAC_READ_SEARCH).
 */
static __u64 keep_caps(const struct cli_config *c, const struct output *out)
{
	__u64 need = privs_write_needs(output__dirfd(out), output__basename(out), false);
	const char *name;
	int dirfd;

	if ((c->events && c->decode_fds) || c->stacks)
		need |= PRIVS_CAP(CAP_SYS_PTRACE);
	if (c->stacks)
		need |= PRIVS_CAP(CAP_CHECKPOINT_RESTORE);
	if (c->stacks && c->stack.cfg.kernel)
		need |= PRIVS_CAP(CAP_SYSLOG);
	if (c->listen && c->metrics_by == METRICS_BY_CGROUP)
		need |= PRIVS_CAP(CAP_DAC_READ_SEARCH);
	if (c->anomaly_log && c->mode != TARGET_COMMAND) {
		dirfd = safe_open_parent(c->anomaly_log, &name);
		if (dirfd >= 0) {
			need |= privs_write_needs(dirfd, name, true);
			close(dirfd);
		}
	}
	return need;
}

static int run(struct cli_config *c)
{
	static __u16 spec[SYSRAY_ABI_CNT * SYSRAY_MAX_NR];
	struct tracer_events ev = {
		.fds = c->decode_fds,
		.min_dur_ns = c->min_duration_ns,
		.str_size = c->str_size,
		.ring_bytes = c->events_ring_bytes ? c->events_ring_bytes : EVENTS_RING_BYTES,
		.spec = spec,
	};
	struct sysray_scope scope;
	struct session_opts so = {
		.mode = c->mode,
		.argv = c->argv,
		.run_as = c->run_user ? &c->run_as : NULL,
		.pids = c->pids,
		.nr_pids = c->nr_pids,
		.follow_forks = c->follow_forks,
		.duration_ns = c->duration_ns,
		.group_by = c->group_by,
		.ring_bytes = c->ring_bytes,
		.shared_ring = c->shared_ring,
		.verbose = c->verbose,
		.scope = &scope,
		.cgroup_fds = c->filter.cgroup_fds,
		.events = c->events ? &ev : NULL,
		.record_cgroup = c->anomaly_by == GWIN_CGROUP ||
				 (c->listen && c->metrics_by == METRICS_BY_CGROUP),
		.sample_every = c->sample_every,
		.hooks = c->hooks,
		.stacks = c->stacks ? &c->stack.cfg : NULL,
	};
	struct session *s = NULL;
	struct output *out = NULL;
	char msg[ERRMSG_LEN];
	int err, code = 1;

	filter__scope(&c->filter, &scope);
	/* Before anything is created: a stop signal from now on ends the run cleanly. */
	err = signals_install();
	if (err) {
		p_err("cannot install signal handlers: %s", strerror(-err));
		return 1;
	}
	if (c->events)
		events_kernel_spec(spec);
	/* Events stream into their file as they come; a report file appears whole at the end. */
	err = c->events ? output__open_stream(c->output, &out, msg, sizeof(msg))
			: output__open(c->output, &out, msg, sizeof(msg));
	if (err) {
		p_err("%s", msg);
		return 1;
	}
	so.keep_caps = keep_caps(c, out);
	err = session__new(&so, &s);
	if (!err)
		err = add_sinks(c, s, out);
	if (!err)
		code = session__run(s);
	else if (err == -ENOMEM)
		p_err("out of memory");
	session__free(s);
	output__free(out);
	return code;
}

int main(int argc, char **argv)
{
	bool top = argc > 1 && !strcmp(argv[1], "top");
	struct cli_config cfg;
	char msg[ERRMSG_LEN] = "";
	int err, code = 1;

	/* Before the tracing options: diff only reads files and needs neither root nor BPF. */
	if (argc > 1 && !strcmp(argv[1], "diff"))
		return diff_main(argc - 1, argv + 1);

	if (top)
		err = cli_config__parse_top(&cfg, argc - 1, argv + 1, msg, sizeof(msg));
	else
		err = cli_config__parse(&cfg, argc, argv, msg, sizeof(msg));
	if (err)
		p_err("%s", msg[0] ? msg : strerror(-err));
	else if (cfg.help)
		top ? cli_usage_top(stdout) : cli_usage(stdout);
	else if (cfg.version)
		printf("sysray %s (%s)\n", SYSRAY_VERSION, SYSRAY_REVISION);
	if (err || cfg.help || cfg.version) {
		cli_config__free(&cfg);
		return err ? 1 : 0;
	}
	if (!privs_check() && !btf_check() && !features_check())
		code = run(&cfg);
	cli_config__free(&cfg);
	return code;
}
