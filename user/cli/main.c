// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sysray: count and time every syscall of a command, some processes or the whole system. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "anomaly/anomaly_sink.h"
#include "cli/opts.h"
#include "diff/diff.h"
#include "lib/errmsg.h"
#include "lib/log.h"
#include "report/interval_sink.h"
#include "report/output.h"
#include "report/report_sink.h"
#include "session/session.h"
#include "stacks/stacks_sink.h"
#include "trace/privs.h"

/* The sinks the options ask for, in the order they must stop: intervals before the total. */
static int add_sinks(struct cli_config *c, struct session *s, struct output *out)
{
	struct sink sink;
	int err = 0;

	if (c->anomaly) {
		struct anomaly_sink_opts ao = {
			.threshold = c->anomaly_threshold,
			.baseline_windows = c->baseline_windows,
			.window_ns = c->window_ns,
			.log_path = c->anomaly_log,
		};

		err = anomaly_sink__new(&ao, &sink, &c->report.anomaly);
		if (!err)
			err = session__add_sink(s, sink);
	}
	if (!err && c->interval_ns) {
		struct interval_sink_opts io = {
			.report = c->report,
			.group_by = c->group_by,
			.period_ns = c->interval_ns,
			.f = output__file(out),
		};

		io.report.anomaly = NULL;
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
	if (!err) {
		struct report_sink_opts ro = { .report = c->report,
					       .out = out,
					       .out_name = c->output };

		err = report_sink__new(&ro, &sink);
		if (!err)
			err = session__add_sink(s, sink);
	}
	return err;
}

static int run(struct cli_config *c)
{
	struct sysray_scope scope;
	struct session_opts so = {
		.mode = c->mode,
		.argv = c->argv,
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
		.stacks = c->stacks ? &c->stack.cfg : NULL,
	};
	struct session *s = NULL;
	struct output *out = NULL;
	int err, code = 1;

	filter__scope(&c->filter, &scope);
	err = output__open(c->output, &out);
	if (err) {
		p_err("cannot open '%s' for writing: %s", c->output, strerror(-err));
		return 1;
	}
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
	struct cli_config cfg;
	char msg[ERRMSG_LEN] = "";
	int err, code = 1;

	/* Before the tracing options: diff only reads files and needs neither root nor BPF. */
	if (argc > 1 && !strcmp(argv[1], "diff"))
		return diff_main(argc - 1, argv + 1);

	err = cli_config__parse(&cfg, argc, argv, msg, sizeof(msg));
	if (err)
		p_err("%s", msg[0] ? msg : strerror(-err));
	else if (cfg.help)
		cli_usage(stdout);
	else if (cfg.version)
		printf("sysray %s (%s)\n", SYSRAY_VERSION, SYSRAY_REVISION);
	if (err || cfg.help || cfg.version) {
		cli_config__free(&cfg);
		return err ? 1 : 0;
	}
	if (!privs_check() && !btf_check())
		code = run(&cfg);
	cli_config__free(&cfg);
	return code;
}
