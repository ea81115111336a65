// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "opts.h"

enum {
	OPT_FORMAT = 256,
	OPT_RING_SIZE,
	OPT_BENCH_HOOKS,
	OPT_RING_LAYOUT,
	OPT_STATS_EXTENDED,
	OPT_HIST,
	OPT_HISTOGRAM,
	OPT_PER_THREAD,
	OPT_ANOMALY,
	OPT_WINDOW,
	OPT_BASELINE,
	OPT_THRESHOLD,
	OPT_ANOMALY_LOG,
};

static const struct option long_opts[] = {
	{ "summary-only", no_argument, NULL, 'c' },
	{ "summary-wall-clock", no_argument, NULL, 'w' },
	{ "follow-forks", no_argument, NULL, 'f' },
	{ "pid", required_argument, NULL, 'p' },
	{ "system-wide", no_argument, NULL, 'a' },
	{ "duration", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "summary-sort-by", required_argument, NULL, 'S' },
	{ "summary-columns", required_argument, NULL, 'U' },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "bench-hooks", required_argument, NULL, OPT_BENCH_HOOKS },
	{ "ring-layout", required_argument, NULL, OPT_RING_LAYOUT },
	{ "stats-extended", no_argument, NULL, OPT_STATS_EXTENDED },
	{ "hist", no_argument, NULL, OPT_HIST },
	{ "histogram", required_argument, NULL, OPT_HISTOGRAM },
	{ "per-process", no_argument, NULL, 'P' },
	{ "per-thread", no_argument, NULL, OPT_PER_THREAD },
	{ "interval", required_argument, NULL, 'i' },
	{ "top", required_argument, NULL, 'T' },
	{ "anomaly", no_argument, NULL, OPT_ANOMALY },
	{ "window-interval", required_argument, NULL, OPT_WINDOW },
	{ "baseline-windows", required_argument, NULL, OPT_BASELINE },
	{ "anomaly-threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "anomaly-log", required_argument, NULL, OPT_ANOMALY_LOG },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	FILTER_LONG_OPTS,
	{ 0 },
};

void opts_usage(FILE *f)
{
	fputs("usage: sysray [OPTIONS] [--] COMMAND [ARGS...]\n"
	      "       sysray [OPTIONS] -p PID[,PID...]\n"
	      "       sysray [OPTIONS] -a\n"
	      "       sysray diff OLD.json NEW.json [RULES]   (see docs/diff.md;\n"
	      "                                           to trace the diff command: sysray -- diff)\n"
	      "\n"
	      "Count and time every syscall with eBPF, without stopping the traced tasks,\n"
	      "and print a summary like strace -c. Needs root (CAP_BPF and CAP_PERFMON).\n"
	      "\n"
	      "Scope (one of):\n"
	      "  COMMAND ARGS       run COMMAND, trace it and all its descendants, exit with its "
	      "status\n"
	      "  -p, --pid PIDS     trace running processes (all their threads), comma-separated\n"
	      "  -a, --system-wide  trace every process but sysray itself\n"
	      "  -f, --follow-forks with -p: also trace children created after attaching, until\n"
	      "                     the last traced process exits\n"
	      "  -d, --duration S   stop after S seconds (default: command end, or Ctrl-C / "
	      "SIGTERM)\n"
	      "\n"
	      "Report:\n"
	      "  -c                 summary report (the default; accepted for strace users)\n"
	      "  -w                 accepted for strace users: time is always wall-clock time\n"
	      "                     from syscall entry to exit (strace -c -w)\n"
	      "  -o, --output FILE  write the report to FILE ('-' for stdout; default stderr)\n"
	      "      --format F     text (strace -c table, default) or json (schema "
	      "sysray.profile/1)\n"
	      "  -S, --summary-sort-by KEY\n"
	      "                     time, calls, errors, name, avg-time, min-time, max-time, "
	      "nothing\n"
	      "  -U, --summary-columns COLS\n"
	      "                     comma-separated: time-percent, total-time, avg-time, calls,\n"
	      "                     errors, name, min-time (shortest), max-time (longest)\n"
	      "\n"
	      "Statistics (text; the JSON report always has percentiles, errnos and histograms):\n"
	      "      --stats-extended  per syscall: mean, stddev, min, max and P50..P99.9 latency\n"
	      "                     in microseconds, then the errors broken down by errno\n"
	      "      --hist         an ASCII latency histogram (power-of-two rows) per syscall\n"
	      "      --histogram SYSCALLS\n"
	      "                     the same for the comma-separated syscalls only\n"
	      "  -P, --per-process  a table per process (pid and command name) after the total\n"
	      "      --per-thread   a table per thread instead\n"
	      "  -i, --interval S   every S seconds (>= 0.01) report that interval alone, then\n"
	      "                     the whole run at the end; JSON: one object per line\n"
	      "  -T, --top N        at most N rows per table (and N processes, N histograms)\n"
	      "\n"
	      "Anomaly detection (for long-running services; docs/anomaly.md):\n"
	      "      --anomaly      compare every window with a sliding baseline of the previous\n"
	      "                     ones, per syscall: latency (P50, P99), errors (rate, new\n"
	      "                     errno) and call rate; print one line when an episode fires\n"
	      "                     and one when it resolves, report slow calls, and add the\n"
	      "                     episodes to the final report\n"
	      "      --window-interval S  window length (default 1)\n"
	      "      --baseline-windows N windows in the baseline (default 60)\n"
	      "      --anomaly-threshold T  robust z-score to fire (default 4): low from T,\n"
	      "                     medium from 1.5T, high from 2.5T, capped by impact\n"
	      "      --anomaly-log FILE  also write events as JSON Lines to FILE\n"
	      "  Signals with -p or -a: SIGUSR1 prints the report so far and goes on; SIGHUP\n"
	      "  reopens --anomaly-log (log rotation); SIGINT/SIGTERM stop with the final report.\n"
	      "\n",
	      f);
	filter_usage(f);
	fputs("\n"
	      "Tuning:\n"
	      "      --ring-size BYTES  size of each per-CPU BPF ring buffer, a power of two >= "
	      "4096\n"
	      "                     (default: 16M split over the CPUs, 1M to 8M each); records\n"
	      "                     that do not fit are counted and reported as dropped\n"
	      "      --ring-layout L  percpu (default: one ring per CPU) or shared (one ring)\n"
	      "  -v, --verbose      show libbpf's messages\n"
	      "      --bench-hooks MODE\n"
	      "                     for make bench: run COMMAND under a bare or partial hook\n"
	      "                     variant (bare, array, hash, task) and print no report\n"
	      "  -h, --help         this text\n"
	      "  -V, --version      print the version\n"
	      "\n"
	      "Filters combine with a command, -p or -a as an intersection: a call is counted\n"
	      "when its task is in scope and it passes every filter.\n"
	      "Calls and errors are exact even when records are dropped: the kernel counts the\n"
	      "calls whose records were lost; latencies come from the delivered records.\n",
	      f);
}

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_pids(const char *s, struct sysray_config *cfg, char *err, size_t len)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		char *end;
		long v;
		int *p;

		errno = 0;
		v = strtol(tok, &end, 10);
		if (errno || *end || v <= 0 || v > INT_MAX) {
			rc = fail(err, len, "invalid process id: '%s'", tok);
			break;
		}
		p = realloc(cfg->pids, (cfg->nr_pids + 1) * sizeof(*p));
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		cfg->pids = p;
		cfg->pids[cfg->nr_pids++] = v;
	}
	if (!rc && !cfg->nr_pids)
		rc = fail(err, len, "invalid process id: '%s'", s);
	free(copy);
	return rc;
}

static int parse_seconds(const char *s, __u64 *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 1e9)
		return -EINVAL;
	*ns = (__u64)(v * 1e9);
	/* Below a nanosecond would round to 0, which means "no limit". */
	return *ns ? 0 : -EINVAL;
}

static enum group_by group_of_opt(int c)
{
	return c == 'P' ? GROUP_PROCESS : GROUP_THREAD;
}

static int parse_top(const char *s, unsigned int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > INT_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_size(const char *s, __u64 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -EINVAL;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10, end++;
		break;
	case 'm':
	case 'M':
		v <<= 20, end++;
		break;
	case 'g':
	case 'G':
		v <<= 30, end++;
		break;
	}
	if (*end || v < 4096 || v > (1ULL << 30) || (v & (v - 1)))
		return -EINVAL;
	*out = v;
	return 0;
}

int opts_parse(int argc, char **argv, struct sysray_config *cfg, char *err, size_t len)
{
	bool system_wide = false;
	int c, rc;

	memset(cfg, 0, sizeof(*cfg));
	filter_init(&cfg->filter);
	optind = 1;
	opterr = 0;
	/* '+': stop at the command, so its own options are left alone. */
	while ((c = getopt_long(argc, argv, "+:cwfp:ad:o:S:U:Pi:T:vhV" FILTER_SHORT_OPTS, long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'w':
			break;
		case 'f':
			cfg->follow_forks = true;
			break;
		case 'p':
			rc = parse_pids(optarg, cfg, err, len);
			if (rc)
				return rc;
			break;
		case 'a':
			system_wide = true;
			break;
		case 'd':
			if (parse_seconds(optarg, &cfg->duration_ns))
				return fail(err, len, "invalid duration: '%s' (seconds, > 0)",
					    optarg);
			break;
		case 'o':
			cfg->output = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				cfg->format = FORMAT_TEXT;
			else if (!strcmp(optarg, "json"))
				cfg->format = FORMAT_JSON;
			else
				return fail(err, len, "invalid format: '%s' (text or json)",
					    optarg);
			break;
		case 'S':
			cfg->sort_by = optarg;
			break;
		case 'U':
			cfg->columns = optarg;
			break;
		case OPT_RING_SIZE:
			if (parse_size(optarg, &cfg->ring_bytes))
				return fail(
				    err, len,
				    "invalid ring size: '%s' (a power of two from 4096 to 1G)",
				    optarg);
			break;
		case OPT_BENCH_HOOKS:
			cfg->bench_hooks = optarg;
			break;
		case OPT_RING_LAYOUT:
			if (strcmp(optarg, "percpu") && strcmp(optarg, "shared"))
				return fail(err, len,
					    "invalid ring layout: '%s' (percpu or shared)", optarg);
			cfg->shared_ring = !strcmp(optarg, "shared");
			break;
		case OPT_STATS_EXTENDED:
			cfg->stats_extended = true;
			break;
		case OPT_HIST:
			cfg->hist_all = true;
			break;
		case OPT_HISTOGRAM:
			cfg->hist_syscalls = optarg;
			break;
		case 'P':
		case OPT_PER_THREAD:
			if (cfg->group_by && cfg->group_by != group_of_opt(c))
				return fail(err, len, "give only one of -P and --per-thread");
			cfg->group_by = group_of_opt(c);
			break;
		case 'i':
			if (parse_seconds(optarg, &cfg->interval_ns) ||
			    cfg->interval_ns < 10000000ULL)
				return fail(err, len, "invalid interval: '%s' (seconds, >= 0.01)",
					    optarg);
			break;
		case 'T':
			if (parse_top(optarg, &cfg->top))
				return fail(err, len, "invalid --top: '%s' (a positive integer)",
					    optarg);
			break;
		case OPT_ANOMALY:
			cfg->anomaly = true;
			break;
		case OPT_WINDOW:
			if (parse_seconds(optarg, &cfg->window_ns) || cfg->window_ns < 10000000ULL)
				return fail(err, len,
					    "invalid --window-interval: '%s' (seconds, >= 0.01)",
					    optarg);
			break;
		case OPT_BASELINE: {
			unsigned int n;

			if (parse_top(optarg, &n) || n < 3 || n > 1024)
				return fail(err, len,
					    "invalid --baseline-windows: '%s' (3 to 1024)", optarg);
			cfg->baseline_windows = n;
			break;
		}
		case OPT_THRESHOLD: {
			char *end;

			errno = 0;
			cfg->anomaly_threshold = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(cfg->anomaly_threshold) ||
			    cfg->anomaly_threshold <= 0 || cfg->anomaly_threshold > 1000)
				return fail(err, len,
					    "invalid --anomaly-threshold: '%s' (a number > 0)",
					    optarg);
			break;
		}
		case OPT_ANOMALY_LOG:
			cfg->anomaly_log = optarg;
			break;
		case 'v':
			cfg->verbose = true;
			break;
		case 'h':
			cfg->help = true;
			return 0;
		case 'V':
			cfg->version = true;
			return 0;
		case ':':
			return fail(err, len, "option '%s' needs an argument", argv[optind - 1]);
		default:
			if (filter_opt_known(c)) {
				rc = filter_parse_opt(&cfg->filter, c,
						      c == 'Z' || c == 'z' ? NULL : optarg, err,
						      len);
				if (rc)
					return rc;
				break;
			}
			if (optopt)
				return fail(err, len, "unknown option '-%c' (see --help)", optopt);
			return fail(err, len, "unknown option '%s' (see --help)", argv[optind - 1]);
		}
	}

	rc = filter_finish(&cfg->filter, err, len);
	if (rc)
		return rc;
	if (!cfg->anomaly &&
	    (cfg->window_ns || cfg->baseline_windows || cfg->anomaly_threshold || cfg->anomaly_log))
		return fail(err, len, "the anomaly options need --anomaly");
	if (cfg->anomaly && !cfg->window_ns)
		cfg->window_ns = 1000000000ULL;
	if (optind < argc)
		cfg->argv = &argv[optind];
	if (!!cfg->argv + !!cfg->nr_pids + system_wide > 1)
		return fail(err, len, "give only one of a command, -p PID and -a");
	if (cfg->bench_hooks && !cfg->argv)
		return fail(err, len, "--bench-hooks needs a command");
	if (cfg->argv) {
		cfg->mode = TARGET_COMMAND;
		cfg->follow_forks = true;
	} else if (cfg->nr_pids) {
		cfg->mode = TARGET_PID;
	} else if (system_wide) {
		cfg->mode = TARGET_SYSTEM;
	} else {
		return fail(err, len,
			    "nothing to trace: give a command, -p PID or -a (see --help)");
	}
	return 0;
}

void opts_free(struct sysray_config *cfg)
{
	filter_free(&cfg->filter);
	free(cfg->pids);
	cfg->pids = NULL;
	cfg->nr_pids = 0;
}
