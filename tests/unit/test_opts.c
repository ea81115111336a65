// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "cli/opts.h"

static int parse(struct cli_config *cfg, char *err, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return cli_config__parse(cfg, argc, argv, err, 256);
}

Test(opts, command_mode_keeps_the_commands_own_options)
{
	char *argv[] = { "sysray", "-c", "-S", "calls", "ls", "-l", "-a", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.mode, TARGET_COMMAND);
	cr_expect_str_eq(cfg.argv[0], "ls");
	cr_expect_str_eq(cfg.argv[1], "-l");
	cr_expect_str_eq(cfg.argv[2], "-a");
	cr_expect_null(cfg.argv[3]);
	cr_expect_eq(cfg.report.text.sort, REPORT_SORT_CALLS);
	cr_expect(cfg.follow_forks);
	cli_config__free(&cfg);
}

Test(opts, pid_list)
{
	char *argv[] = { "sysray", "-p", "12,34", "-p", "56", "-f", "-d", "1.5", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.mode, TARGET_PID);
	cr_assert_eq(cfg.nr_pids, 3);
	cr_expect_eq(cfg.pids[0], 12);
	cr_expect_eq(cfg.pids[1], 34);
	cr_expect_eq(cfg.pids[2], 56);
	cr_expect(cfg.follow_forks);
	cr_expect_eq(cfg.duration_ns, 1500000000ULL);
	cli_config__free(&cfg);
}

Test(opts, system_wide_json_to_stdout)
{
	char *argv[] = {
		"sysray", "-a", "--format", "json", "-o", "-", "--ring-size", "64K", NULL
	};
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.mode, TARGET_SYSTEM);
	cr_expect_eq(cfg.report.format, REPORT_JSON);
	cr_expect_str_eq(cfg.output, "-");
	cr_expect_eq(cfg.ring_bytes, 65536);
	cr_expect_not(cfg.follow_forks);
	cli_config__free(&cfg);
}

Test(opts, rejects_bad_values_with_a_message)
{
	static char *cases[][6] = {
		{ "sysray", "-p", "0", NULL },
		{ "sysray", "-p", "-3", NULL },
		{ "sysray", "-p", ",", NULL },
		{ "sysray", "-a", "-d", "0", NULL },
		{ "sysray", "-a", "-d", "nan", NULL },
		{ "sysray", "-a", "--ring-size", "12288", NULL },
		{ "sysray", "-a", "--format", "xml", NULL },
		{ "sysray", "-a", "-p", "1", NULL },
		{ "sysray", "-a", "-o", NULL },
		{ "sysray", "-x", "true", NULL },
		{ "sysray", NULL },
		{ "sysray", "-a", "-i", "0.001", NULL },
		{ "sysray", "-a", "--interval", "soon", NULL },
		{ "sysray", "-a", "-T", "0", NULL },
		{ "sysray", "-a", "--top", "3x", NULL },
		{ "sysray", "-a", "-P", "--per-thread", NULL },
		{ "sysray", "-a", "--histogram", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_config cfg;
		char err[256] = "";

		cr_expect_eq(parse(&cfg, err, cases[i]), -EINVAL, "case %zu accepted", i);
		cr_expect_gt(strlen(err), 10, "case %zu: no message", i);
		cr_expect_null(strchr(err, '\n'), "case %zu: message is not one line", i);
		cli_config__free(&cfg);
	}
}

Test(opts, statistics_views)
{
	char *argv[] = { "sysray",	"--stats-extended",
			 "--hist",	"--histogram",
			 "read,openat", "-P",
			 "-i",		"0.25",
			 "-T",		"7",
			 "ls",		NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect(cfg.report.stats_extended);
	cr_expect(cfg.hist_all);
	cr_expect_str_eq(cfg.hist_syscalls, "read,openat");
	cr_expect_eq(cfg.group_by, GROUP_PROCESS);
	cr_expect_eq(cfg.interval_ns, 250000000ULL);
	cr_expect_eq(cfg.report.text.top, 7);
	cr_expect_str_eq(cfg.argv[0], "ls");
	cli_config__free(&cfg);
}

Test(opts, statistics_views_long_forms_and_defaults)
{
	char *argv[] = { "sysray", "--per-thread", "--interval", "2", "--top", "1", "-a", NULL };
	char *plain[] = { "sysray", "-a", NULL };
	char *twice[] = { "sysray", "-P", "--per-process", "-a", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.group_by, GROUP_THREAD);
	cr_expect_eq(cfg.interval_ns, 2000000000ULL);
	cr_expect_eq(cfg.report.text.top, 1);
	cli_config__free(&cfg);

	cr_assert_eq(parse(&cfg, err, plain), 0, "%s", err);
	cr_expect_not(cfg.report.stats_extended);
	cr_expect_not(cfg.hist_all);
	cr_expect_null(cfg.hist_syscalls);
	cr_expect_eq(cfg.group_by, GROUP_NONE);
	cr_expect_eq(cfg.interval_ns, 0);
	cr_expect_eq(cfg.report.text.top, 0);
	cli_config__free(&cfg);

	/* the same view twice is not a conflict */
	cr_assert_eq(parse(&cfg, err, twice), 0, "%s", err);
	cr_expect_eq(cfg.group_by, GROUP_PROCESS);
	cli_config__free(&cfg);
}

Test(opts, usage_lists_the_statistics_options)
{
	static const char *const names[] = { "--stats-extended",     "--hist ",
					     "--histogram SYSCALLS", "-P, --per-process",
					     "--per-thread",	     "-i, --interval S",
					     "-T, --top N" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cli_usage(f);
	fclose(f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_expect(strstr(buf, names[i]), "usage lacks '%s'", names[i]);
	free(buf);
}

/* argv: sysray OPT VAL, plus what the option needs to be valid alone. */
static int parse_one(const char *opt, const char *val, struct cli_config *cfg, char *err)
{
	char *argv[8] = { "sysray", (char *)opt, (char *)val };
	int n = 3;

	if (!strncmp(opt, "--window", 8) || !strncmp(opt, "--baseline", 10) ||
	    !strncmp(opt, "--anomaly-t", 11) || !strcmp(opt, "--slow-calls"))
		argv[n++] = "--anomaly";
	if (!strcmp(opt, "--anomaly-max-groups")) {
		argv[n++] = "--anomaly";
		argv[n++] = "--anomaly-by=process";
	}
	if (!strcmp(opt, "--clusters"))
		argv[n++] = "-P";
	if (!strcmp(opt, "-u")) {
		argv[n++] = "true";
	} else if (strcmp(opt, "-p")) {
		argv[n++] = "-a";
	}
	argv[n] = NULL;
	memset(err, 0, 256);
	return cli_config__parse(cfg, n, argv, err, 256);
}

/* Every numeric option: the bounds are accepted, one past them, overflow, signs, blanks
 * and trailing garbage are refused up front with one line that states the valid range. */
Test(opts, every_numeric_option_checks_its_range)
{
	static const struct {
		const char *opt, *ok[4], *bad[10], *range;
	} cases[] = {
		{ "-p",
		  { "1", "2147483647" },
		  { "0", "2147483648", "99999999999999999999", "-1", "+1", "1x" },
		  "from 1 to 2147483647" },
		{ "-d",
		  { "1e-9", "1000000000", "0.5" },
		  { "0", "1e-10", "1000000001", "1e400", "-1", "nan", "inf", " 1", "1s" },
		  "at most 1e9" },
		{ "-i",
		  { "0.01", "1000000" },
		  { "0.009", "1000001", "1e400", "-1", "nan", "2x" },
		  "from 0.01 to 1000000" },
		{ "-T",
		  { "1", "2147483647" },
		  { "0", "2147483648", "18446744073709551616", "-1", "+3", "3x", " 3" },
		  "from 1 to 2147483647" },
		{ "--window-interval",
		  { "0.01", "86400" },
		  { "0.009", "86401", "1e400", "-1", "nan" },
		  "from 0.01 to 86400" },
		{ "--baseline-windows",
		  { "10", "1024" },
		  { "5", "9", "1025", "99999999999999999999", "-10", "10.5" },
		  "from 10 to 1024" },
		{ "--anomaly-threshold",
		  { "0.001", "1000" },
		  { "0", "1000.1", "1e309", "-4", "nan", "inf", "4x" },
		  "at most 1000" },
		{ "--ring-size",
		  { "4096", "4K", "1G", "1073741824" },
		  { "2048", "2G", "12288", "18014398509481988K", "18446744073709551616", "-4096",
		    "0x1000", "010000", "4T", " 4096" },
		  "a power of two from 4096 to 1G" },
		{ "--uid",
		  { "0", "4294967294" },
		  { "4294967295", "99999999999999999999", "-1", "+1", "1x" },
		  "from 0 to 4294967294" },
		{ "--tid",
		  { "1", "2147483647" },
		  { "0", "2147483648", "-5", "+5" },
		  "from 1 to 2147483647" },
		{ "--errno",
		  { "1", "4095", "ENOENT" },
		  { "0", "4096", "99999999999999999999", "-2" },
		  "from 1 to 4095" },
		{ "-e",
		  { "trace=0", "trace=575" },
		  { "trace=576", "trace=99999999999999999999" },
		  "numbers go from 0 to 575" },
		{ "--anomaly-max-groups",
		  { "1", "4096" },
		  { "0", "4097", "18446744073709551617", "-1", "+1", " 1", "1x" },
		  "from 1 to 4096" },
		{ "--clusters",
		  { "2", "16", "auto" },
		  { "1", "17", "18446744073709551618", "-2", "+2", "2x" },
		  "from 2 to 16" },
		{ "--slow-calls",
		  { "1us", "86400s", "off" },
		  { "0", "0.5us", "86401s", "1e400s", "-1ms", "nan", "5parsecs" },
		  "from 1us to 86400s" },
		{ "--sample",
		  { "1", "1000000" },
		  { "0", "1000001", "18446744073709551617", "-1", "+1", " 1", "1x" },
		  "from 1 to 1000000" },
		{ "-u",
		  { "0", "root" },
		  { "4294967295", "99999999999999999999", "-1", "+0" },
		  "a uid from 0 to 4294967294" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int k = 0; k < 4 && cases[i].ok[k]; k++) {
			struct cli_config cfg;
			char err[256];

			cr_expect_eq(parse_one(cases[i].opt, cases[i].ok[k], &cfg, err), 0,
				     "%s %s refused: %s", cases[i].opt, cases[i].ok[k], err);
			cli_config__free(&cfg);
		}
		for (int k = 0; k < 10 && cases[i].bad[k]; k++) {
			struct cli_config cfg;
			char err[256];

			cr_expect_eq(parse_one(cases[i].opt, cases[i].bad[k], &cfg, err), -EINVAL,
				     "%s '%s' accepted", cases[i].opt, cases[i].bad[k]);
			cr_expect(strstr(err, cases[i].range), "%s '%s': no range in '%s'",
				  cases[i].opt, cases[i].bad[k], err);
			cr_expect_null(strchr(err, '\n'));
			cli_config__free(&cfg);
		}
	}
}

Test(opts, numeric_values_at_the_bounds_are_exact)
{
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse_one("--ring-size", "1G", &cfg, err), 0, "%s", err);
	cr_expect_eq(cfg.ring_bytes, 1ULL << 30);
	cli_config__free(&cfg);
	cr_assert_eq(parse_one("-d", "1e-9", &cfg, err), 0, "%s", err);
	cr_expect_eq(cfg.duration_ns, 1);
	cli_config__free(&cfg);
	cr_assert_eq(parse_one("--baseline-windows", "1024", &cfg, err), 0, "%s", err);
	cr_expect_eq(cfg.baseline_windows, 1024);
	cli_config__free(&cfg);
	cr_assert_eq(parse_one("-T", "2147483647", &cfg, err), 0, "%s", err);
	cr_expect_eq(cfg.report.text.top, 2147483647);
	cli_config__free(&cfg);
	cr_assert_eq(parse_one("-p", "2147483647", &cfg, err), 0, "%s", err);
	cr_expect_eq(cfg.pids[0], 2147483647);
	cli_config__free(&cfg);
}

Test(opts, u_runs_as_a_user_and_uid_filters)
{
	char *run_as[] = { "sysray", "-u", "root", "id", NULL };
	char *filter[] = { "sysray", "--uid", "root", "-a", NULL };
	char *both[] = { "sysray", "-u", "root", "-a", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, run_as), 0, "%s", err);
	cr_expect_str_eq(cfg.run_as.name, "root");
	cr_expect_eq(cfg.run_as.uid, 0);
	cr_expect_eq(cfg.run_as.gid, 0);
	cr_expect_geq(cfg.run_as.ngroups, 1);
	cr_expect_eq(cfg.filter.nr_uids, 0, "-u is not a filter");
	cli_config__free(&cfg);
	cr_assert_eq(parse(&cfg, err, filter), 0, "%s", err);
	cr_expect_eq(cfg.filter.nr_uids, 1);
	cr_expect_null(cfg.run_user);
	cli_config__free(&cfg);
	cr_expect_eq(parse(&cfg, err, both), -EINVAL);
	cr_expect(strstr(err, "--uid USER"), "%s", err);
	cli_config__free(&cfg);
}

Test(opts, html_needs_a_file_and_takes_i_as_its_column)
{
	char *bad[] = { "sysray", "-a", "--format", "html", NULL };
	char *good[] = { "sysray", "-a", "--format", "html", "-o", "r.html", "-i", "2", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, bad), -EINVAL);
	cr_expect_str_eq(err, "--format html writes a page: give -o FILE (or -o - for stdout)");
	cli_config__free(&cfg);
	cr_assert_eq(parse(&cfg, err, good), 0, "%s", err);
	cr_expect_eq(cfg.report.format, REPORT_HTML);
	cr_expect_eq(cfg.interval_ns, 2000000000ULL);
	cr_expect_not(cfg.report.intervals, "-i is the heatmap's column, not interval reports");
	cli_config__free(&cfg);
}

Test(opts, top_traces_the_system_by_default_and_refreshes_with_i)
{
	char *argv[] = { "top", "-i", "0.5", "-P", NULL };
	char *cmd[] = { "top", "--", "make", "-j2", NULL };
	char *anomaly[] = { "top", "--anomaly", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(cli_config__parse_top(&cfg, 4, argv, err, sizeof(err)), 0, "%s", err);
	cr_expect(cfg.top);
	cr_expect_eq(cfg.mode, TARGET_SYSTEM);
	cr_expect_eq(cfg.interval_ns, 500000000ULL);
	cr_expect_not(cfg.report.intervals);
	cr_expect_eq(cfg.group_by, GROUP_PROCESS);
	cli_config__free(&cfg);
	cr_assert_eq(cli_config__parse_top(&cfg, 4, cmd, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(cfg.mode, TARGET_COMMAND);
	cr_expect_str_eq(cfg.argv[0], "make");
	cli_config__free(&cfg);
	cr_assert_eq(cli_config__parse_top(&cfg, 2, anomaly, err, sizeof(err)), -EINVAL);
	cr_expect_str_eq(err,
			 "sysray top draws on the terminal --anomaly prints to: run them apart");
	cli_config__free(&cfg);
	/* Without top, no scope is still an error. */
	cr_assert_eq(parse(&cfg, err, (char *[]){ "sysray", "-i", "1", NULL }), -EINVAL);
	cli_config__free(&cfg);
}

Test(opts, top_usage_lists_keys_and_options)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cli_usage_top(f);
	fclose(f);
	cr_expect_not_null(strstr(buf, "usage: sysray top"));
	cr_expect_not_null(strstr(buf, "q quit"));
	cr_expect_not_null(strstr(buf, "--cgroup PATH"));
	free(buf);
}

Test(opts, services_kinds_and_slow_calls)
{
	char *argv[] = { "sysray",
			 "-a",
			 "--anomaly",
			 "--anomaly-by",
			 "cgroup",
			 "--anomaly-max-groups",
			 "8",
			 "--anomaly-kinds",
			 "latency,stall",
			 "--slow-calls",
			 "2.5ms",
			 "--correlate",
			 NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.anomaly_by, GWIN_CGROUP);
	cr_expect_eq(cfg.anomaly_max_groups, 8);
	cr_expect_eq(cfg.anomaly_kinds,
		     ANOMALY_KIND_BIT(ANOMALY_LATENCY) | ANOMALY_KIND_BIT(ANOMALY_STALL));
	cr_expect_eq(cfg.slow_calls, SLOW_CALLS_FIXED);
	cr_expect_eq(cfg.slow_ns, 2500000);
	cr_expect(cfg.correlate);
	cli_config__free(&cfg);
}

Test(opts, slow_calls_and_clusters_forms)
{
	char *off[] = { "sysray", "--anomaly", "--slow-calls", "off", "true", NULL };
	char *secs[] = { "sysray", "--anomaly", "--slow-calls", "0.2", "true", NULL };
	char *k[] = { "sysray", "--per-thread", "--clusters", "auto", "true", NULL };
	char *k3[] = { "sysray", "-P", "--clusters", "3", "true", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, off), 0, "%s", err);
	cr_expect_eq(cfg.slow_calls, SLOW_CALLS_OFF);
	cli_config__free(&cfg);
	cr_assert_eq(parse(&cfg, err, secs), 0, "%s", err);
	cr_expect_eq(cfg.slow_ns, 200000000);
	cli_config__free(&cfg);
	cr_assert_eq(parse(&cfg, err, k), 0, "%s", err);
	cr_expect_eq(cfg.report.clusters, REPORT_CLUSTERS_AUTO);
	cli_config__free(&cfg);
	cr_assert_eq(parse(&cfg, err, k3), 0, "%s", err);
	cr_expect_eq(cfg.report.clusters, 3);
	cli_config__free(&cfg);
}

Test(opts, rejects_bad_analysis_options)
{
	static char *cases[][8] = {
		{ "sysray", "--anomaly", "--anomaly-by", "user", "true", NULL },
		{ "sysray", "--anomaly-by", "cgroup", "true", NULL },
		{ "sysray", "--anomaly", "--anomaly-max-groups", "4", "true", NULL },
		{ "sysray", "--anomaly", "--anomaly-by", "process", "--anomaly-max-groups", "0",
		  "true", NULL },
		{ "sysray", "--anomaly", "--anomaly-kinds", "latency,", "true", NULL },
		{ "sysray", "--anomaly", "--slow-calls", "fast", "true", NULL },
		{ "sysray", "--anomaly", "--slow-calls", "5parsecs", "true", NULL },
		{ "sysray", "--anomaly", "--slow-calls", "-1ms", "true", NULL },
		{ "sysray", "--slow-calls", "auto", "true", NULL },
		{ "sysray", "--correlate", "true", NULL },
		{ "sysray", "--clusters", "auto", "true", NULL },
		{ "sysray", "-P", "--clusters", "1", "true", NULL },
		{ "sysray", "-P", "--clusters", "17", "true", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_config cfg;
		char err[256] = "";

		cr_expect_eq(parse(&cfg, err, cases[i]), -EINVAL, "case %zu accepted", i);
		cr_expect_gt(strlen(err), 10, "case %zu: no message", i);
		cr_expect_null(strchr(err, '\n'), "case %zu: message is not one line", i);
		cli_config__free(&cfg);
	}
}
