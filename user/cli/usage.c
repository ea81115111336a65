// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --help, generated from the option table so that it lists every option. */
#include <string.h>
#include "cli/opts.h"

/* Where the help text starts, as in the --help of strace and perf. */
#define HELP_COL 21

static const char header[] =
    "usage: sysray [OPTIONS] [--] COMMAND [ARGS...]\n"
    "       sysray [OPTIONS] -p PID[,PID...]\n"
    "       sysray [OPTIONS] -a\n"
    "       sysray top [OPTIONS] [-a | -p PID[,PID...] | [--] COMMAND [ARGS...]]\n"
    "       sysray diff OLD.json NEW.json [RULES]   (see docs/diff.md;\n"
    "                                           to trace the diff command: sysray -- diff)\n"
    "\n"
    "Count and time every syscall with eBPF, without stopping the traced tasks,\n"
    "and print a summary like strace -c. Needs root (CAP_BPF and CAP_PERFMON).\n";

static const char footer[] =
    "\n"
    "Signals with -p or -a: SIGUSR1 prints the report so far and goes on; SIGHUP\n"
    "reopens --anomaly-log (log rotation); SIGINT/SIGTERM stop with the final report.\n"
    "Filters combine with a command, -p or -a as an intersection: a call is counted\n"
    "when its task is in scope and it passes every filter.\n"
    "Calls and errors are exact even when records are dropped: the kernel counts the\n"
    "calls whose records were lost; latencies come from the delivered records.\n";

/* "  -p, --pid PIDS" or "      --format F" or "  -e trace=SET": its width. */
static int put_names(FILE *f, const struct cli_option *o)
{
	int n;

	if (o->short_name && o->name)
		n = fprintf(f, "  -%c, --%s", o->short_name, o->name);
	else if (o->short_name)
		n = fprintf(f, "  -%c", o->short_name);
	else
		n = fprintf(f, "      --%s", o->name);
	if (o->arg)
		n += fprintf(f, "%s%s", o->name ? " " : " ", o->arg);
	return n;
}

static void put_option(FILE *f, const struct cli_option *o)
{
	const char *line = o->help;
	int width = put_names(f, o);

	/* A long name gets its help on the next line. */
	if (width >= HELP_COL) {
		fputc('\n', f);
		width = 0;
	}
	while (line) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		fprintf(f, "%*s%.*s\n", HELP_COL - width, "", len, line);
		width = 0;
		line = nl ? nl + 1 : NULL;
	}
}

static const char top_header[] =
    "usage: sysray top [OPTIONS] [-a | -p PID[,PID...] | [--] COMMAND [ARGS...]]\n"
    "\n"
    "A live view of the calls of the last refresh (default: the whole system, every\n"
    "second): one row per syscall, process or cgroup with calls/s, errors/s, P50, P99\n"
    "and max latency, and the totals with the dropped records (docs/top.md).\n"
    "\n"
    "Keys: q quit, p or space pause, g next view (syscall, process, cgroup), < > sort\n"
    "column, r reverse, n c e 5 9 m sort by name, calls, errors, p50, p99, max,\n"
    "/ filter by name (Enter apply, Esc cancel), Ctrl-L repaint.\n"
    "-i S sets the refresh, -P starts with the process view; with -o FILE the\n"
    "whole run's report (any --format) is written to FILE at the end.\n"
    "The view uses /dev/tty: the traced command's output can be redirected.\n";

static void put_options(FILE *f)
{
	for (size_t i = 0; i < cli_nr_options; i++) {
		const struct cli_option *o = &cli_options[i];

		if (o->section)
			fprintf(f, "\n%s\n", o->section);
		put_option(f, o);
	}
}

void cli_usage(FILE *f)
{
	fputs(header, f);
	put_options(f);
	fputs(footer, f);
}

void cli_usage_top(FILE *f)
{
	fputs(top_header, f);
	put_options(f);
}
