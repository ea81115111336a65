// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "cli/opts.h"
#include "cli/values.h"

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
	static char *cases[][8] = {
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
		{ "sysray", "-a", "--top", "0", NULL },
		{ "sysray", "-a", "--top", "3x", NULL },
		{ "sysray", "-a", "-T", "10", NULL },
		{ "sysray", "-a", "-T5", NULL },
		{ "sysray", "-a", "-y", NULL },
		{ "sysray", "-a", "-tt", NULL },
		{ "sysray", "-a", "-C", NULL },
		{ "sysray", "-a", "--min-duration", "1s", NULL },
		{ "sysray", "-a", "--events-max-rate", "5", NULL },
		{ "sysray", "-a", "--events", "-c", NULL },
		{ "sysray", "-a", "--events", "-s", "4097", NULL },
		{ "sysray", "-a", "--events", "--min-duration", "1h", NULL },
		{ "sysray", "-a", "--events", "--min-duration", "-1ms", NULL },
		{ "sysray", "-a", "--events", "--events-max-rate", "1.5", NULL },
		{ "sysray", "-a", "--events", "-i", "1", NULL },
		{ "sysray", "-a", "--events", "-C", "--format", "csv", NULL },
		{ "sysray", "-a", "--format", "csv", "-P", NULL },
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
			 "--top",	"7",
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
					     "      --top N" };
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
	if (!strcmp(opt, "-s") || !strncmp(opt, "--events-", 9) || !strcmp(opt, "--min-duration"))
		argv[n++] = "--events";
	if (!strncmp(opt, "--stack-", 8) || !strcmp(opt, "--function-depth"))
		argv[n++] = "--stacks";
	if (!strcmp(opt, "--function-depth"))
		argv[n++] = "--by-function";
	if (!strcmp(opt, "--stack-size"))
		argv[n++] = "--stack-mode=dwarf";
	if (!strncmp(opt, "--metrics-", 10)) {
		argv[n++] = "--listen";
		argv[n++] = "127.0.0.1:9100";
	}
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
		{ "--top",
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
		{ "-s",
		  { "0", "4096" },
		  { "4097", "99999999999999999999", "-1", "+1", " 1", "1x" },
		  "from 0 to 4096" },
		{ "--events-ring-size",
		  { "4096", "4K", "1G" },
		  { "2048", "2G", "12288", "18014398509481988K", "-4096", "0x1000", " 4096" },
		  "a power of two from 4096 to 1G" },
		{ "--min-duration",
		  { "1ns", "86400s", "10ms" },
		  { "0", "86401s", "1e400s", "-1ms", "nan", "5parsecs" },
		  "from 1ns to 1 day" },
		{ "--events-max-rate",
		  { "0", "1000000000" },
		  { "1000000001", "18446744073709551617", "-1", "+1", " 1", "1x" },
		  "from 0 to 1e9" },
		{ "--metrics-max-series",
		  { "1", "100000" },
		  { "0", "100001", "18446744073709551617", "-1", "+1", " 1", "1x" },
		  "from 1 to 100000" },
		{ "--metrics-expire",
		  { "1", "100000000" },
		  { "0", "0.5", "100000001", "1e400", "-1", "nan", "inf" },
		  "from 1 to 1e8" },
		{ "--stack-rate",
		  { "1", "1000000" },
		  { "0", "1000001", "18446744073709551617", "-1", "+1", " 1", "1x" },
		  "from 1 to 1000000" },
		{ "--stack-top",
		  { "1", "1000000" },
		  { "0", "1000001", "-1", "+1", "1x" },
		  "from 1 to 1000000" },
		{ "--function-depth",
		  { "1", "64" },
		  { "0", "65", "-1", "+1", "1x" },
		  "from 1 to 64" },
		{ "--stack-min-duration",
		  { "1ns", "3600s" },
		  { "0", "3601s", "1e400s", "-1ms", "nan" },
		  "from 1ns to 1h" },
		{ "--stack-period",
		  { "1us", "4s" },
		  { "999ns", "4.1s", "1e400s", "-1ms", "nan" },
		  "from 1us to 4s" },
		{ "--stack-size",
		  { "1024", "16384" },
		  { "512", "1000", "16896", "18446744073709551616", "-1024" },
		  "a multiple of 512 from 1024 to 16384" },
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
	cr_assert_eq(parse_one("--top", "2147483647", &cfg, err), 0, "%s", err);
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

Test(opts, events_and_their_options)
{
	char *argv[] = { "sysray", "--events",
			 "-tt",	   "-t",
			 "-T",	   "-y",
			 "-s",	   "100",
			 "-C",	   "--min-duration",
			 "10ms",   "--events-max-rate",
			 "0",	   "--format",
			 "json",   "ls",
			 NULL };
	char *plain[] = { "sysray", "--events", "-a", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect(cfg.events);
	cr_expect_eq(cfg.timestamps, 3, "-tt -t is -ttt");
	cr_expect(cfg.durations);
	cr_expect(cfg.decode_fds);
	cr_expect_eq(cfg.str_size, 100);
	cr_expect(cfg.summary);
	cr_expect_eq(cfg.min_duration_ns, 10000000ULL);
	cr_expect_eq(cfg.events_max_rate, 0);
	cr_expect_eq(cfg.report.format, REPORT_JSON);
	cli_config__free(&cfg);

	cr_assert_eq(parse(&cfg, err, plain), 0, "%s", err);
	cr_expect_eq(cfg.str_size, 32, "strace's default -s");
	cr_expect_eq(cfg.events_max_rate, 10000);
	cr_expect_not(cfg.summary);
	cli_config__free(&cfg);
}

Test(opts, renacer_line_and_old_top)
{
	char *renacer[] = { "sysray", "-c", "-T", "--stats-extended", "--", "ls", NULL };
	char *old[] = { "sysray", "-T", "10", "--", "ls", NULL };
	struct cli_config cfg;
	char err[256] = "";

	cr_assert_eq(parse(&cfg, err, renacer), 0, "%s", err);
	cr_expect(cfg.durations);
	cr_expect(cfg.report.stats_extended);
	cr_expect_eq(cfg.report.text.top, 0);
	cr_expect_str_eq(cfg.argv[0], "ls");
	cli_config__free(&cfg);

	cr_assert_eq(parse(&cfg, err, old), -EINVAL);
	cr_expect(strstr(err, "-T no longer takes a number") && strstr(err, "--top 10"), "%s", err);
	cli_config__free(&cfg);
	/* written together, and after another flag: getopt stops inside the word */
	cr_assert_eq(parse(&cfg, err, ((char *[]){ "sysray", "-T10", "-a", NULL })), -EINVAL);
	cr_expect(strstr(err, "--top 10"), "%s", err);
	cli_config__free(&cfg);
	cr_assert_eq(parse(&cfg, err, ((char *[]){ "sysray", "-cT5", "-a", NULL })), -EINVAL);
	cr_expect(strstr(err, "--top 5"), "%s", err);
	cli_config__free(&cfg);
}

Test(opts, durations_with_units)
{
	static const struct {
		const char *s;
		unsigned long long ns;
	} ok[] = { { "10ms", 10000000 }, { "1.5s", 1500000000 }, { "200us", 200000 },
		   { "500ns", 500 },	 { "2", 2000000000 },	 { "0.001", 1000000 } };
	static const char *const bad[] = { "", "ms", "1m", "1 s", "-1s", "nan", "1e30s", " 1s" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		__u64 ns = 0;

		cr_expect_eq(value_duration(ok[i].s, 1, ~0ULL, &ns), 0, "%s", ok[i].s);
		cr_expect_eq(ns, ok[i].ns, "%s: %llu", ok[i].s, (unsigned long long)ns);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		__u64 ns;

		cr_expect_eq(value_duration(bad[i], 1, 1000000000000000000ULL, &ns), -EINVAL,
			     "'%s'", bad[i]);
	}
}

/* docs/sysray.1 documents every option --help lists (the table in user/cli/options.c). */
Test(opts, man_page_has_every_option)
{
	char *buf = NULL, *man, *line, *save = NULL;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&buf, &len), *mf;
	long size;

	cr_assert_not_null(f);
	cli_usage(f);
	fclose(f);
	mf = fopen("docs/sysray.1", "r");
	cr_assert_not_null(mf, "cannot read docs/sysray.1: run the tests from the top of the tree");
	fseek(mf, 0, SEEK_END);
	size = ftell(mf);
	rewind(mf);
	man = calloc(1, size + 1);
	cr_assert_eq(fread(man, 1, size, mf), (size_t)size);
	fclose(mf);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char want[160], name[64], esc[128];
		size_t k = 0;

		/* "  -p, --pid PIDS", "      --format F", "  -e trace=SET" */
		if (sscanf(line, " --%63[a-z0-9-]", name) == 1 ||
		    sscanf(line, " -%*c, --%63[a-z0-9-]", name) == 1) {
			/* roff writes every hyphen of an option as \- */
			for (const char *c = name; *c && k + 3 < sizeof(esc); c++) {
				if (*c == '-')
					esc[k++] = '\\';
				esc[k++] = *c;
			}
			esc[k] = 0;
			snprintf(want, sizeof(want), "\\-\\-%s", esc);
			cr_expect(strstr(man, want), "docs/sysray.1 lacks --%s", name);
			n++;
		}
		if (sscanf(line, " -%1[a-zA-Z]", name) == 1 && line[2] == '-' && line[3] != '-') {
			snprintf(want, sizeof(want), "\\-%s", name);
			cr_expect(strstr(man, want), "docs/sysray.1 lacks -%s", name);
			n++;
		}
	}
	cr_expect_gt(n, 40, "only %zu options found in --help", n);
	free(man);
	free(buf);
}

Test(opts, stacks_defaults_per_mode)
{
	char *fp[] = { "sysray", "--stacks", "--debug-dir", "/a", "--debug-dir",
		       "/b",	 "--top",	     "3",	    "ls", NULL };
	char *dwarf[] = {
		"sysray", "--stacks", "--stack-mode", "dwarf",		"--stack-min-duration",
		"5ms",	  "--format", "folded",	      "--folded-value", "calls",
		"ls",	  NULL
	};
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, fp), 0, "%s", err);
	cr_expect(cfg.stacks);
	cr_expect_eq(cfg.stack.cfg.mode, SYSRAY_STACKS_FP);
	cr_expect_eq(cfg.stack.cfg.period_ns, 100000);
	cr_expect_eq(cfg.stack.cfg.min_ns, 0);
	cr_expect_eq(cfg.stack.cfg.max_per_sec, 2000);
	cr_expect_eq(cfg.stack.cfg.copy_bytes, SYSRAY_STACK_WINDOW);
	cr_expect_eq(cfg.stack.cfg.ustack_entries, SYSRAY_USTACK_ENTRIES);
	cr_assert_eq(cfg.stack.nr_debug_dirs, 2);
	cr_expect_str_eq(cfg.stack.debug_dirs[1], "/b");
	cr_expect_eq(cfg.stack.top_syscalls, 3);
	cli_config__free(&cfg);

	cr_assert_eq(parse(&cfg, err, dwarf), 0, "%s", err);
	cr_expect_eq(cfg.stack.cfg.mode, SYSRAY_STACKS_DWARF);
	cr_expect_eq(cfg.stack.cfg.min_ns, 5000000);
	cr_expect_eq(cfg.stack.cfg.period_ns, 0);
	cr_expect_eq(cfg.stack.cfg.max_per_sec, 200);
	cr_expect_eq(cfg.stack.cfg.copy_bytes, 8192);
	cr_expect_eq(cfg.report.format, REPORT_FOLDED);
	cr_expect(cfg.stack.folded_calls);
	cli_config__free(&cfg);
}

Test(opts, stack_options_that_do_not_go_together)
{
	char *a[] = { "sysray", "--stacks", "--stack-period", "1ms", "--stack-min-duration", "1ms",
		      "ls",	NULL };
	char *b[] = { "sysray", "--stacks", "--format", "folded", "-i", "1", "ls", NULL };
	char *c[] = { "sysray", "--stacks", "--function-depth", "2", "ls", NULL };
	char *d[] = { "sysray",		  "--stacks", "--stack-mode", "dwarf",
		      "--stack-map-size", "4",	      "ls",	      NULL };
	char *e[] = { "sysray", "--stacks", "--stack-period", "5s", "ls", NULL };
	char *g[] = { "sysray", "--stacks", "--sample", "64", "ls", NULL };
	char *const *cases[] = { a, b, c, d, e, g };
	const char *msgs[] = { "only one of --stack-min-duration",
			       "no interval form",
			       "--function-depth needs --by-function",
			       "--stack-map-size is for",
			       "invalid --stack-period",
			       "--stacks needs every call timed: drop --sample" };
	struct cli_config cfg;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_eq(parse(&cfg, err, (char **)cases[i]), -EINVAL, "case %zu", i);
		cr_expect(strstr(err, msgs[i]), "case %zu: %s", i, err);
		cli_config__free(&cfg);
	}
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

/* The event programs read the tracepoints' start slots: every call timed, no trampolines. */
Test(opts, events_refuse_sampling_trampolines_top_and_html)
{
	static char *cases[][8] = {
		{ "sysray", "--events", "--sample", "64", "-a", NULL },
		{ "sysray", "--events", "--hooks", "trampolines", "-a", NULL },
		{ "sysray", "--events", "--format", "html", "-o", "x.html", "-a", NULL },
		{ "sysray", "-c", "--events", "-a", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_config cfg;
		char err[256] = "";

		cr_expect_eq(parse(&cfg, err, cases[i]), -EINVAL, "case %zu accepted", i);
		cr_expect(strstr(err, "--events") || strstr(err, "-C"), "case %zu: %s", i, err);
		cli_config__free(&cfg);
	}
}

Test(opts, top_takes_stacks_only_with_a_report_file)
{
	char *bare[] = { "top", "--stacks", NULL };
	char *file[] = { "top", "--stacks", "-o", "r.json", "--format", "json", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(cli_config__parse_top(&cfg, 2, bare, err, sizeof(err)), -EINVAL);
	cr_expect_str_eq(err, "sysray top shows no stacks: add -o FILE for a report with them");
	cli_config__free(&cfg);
	cr_assert_eq(cli_config__parse_top(&cfg, 6, file, err, sizeof(err)), 0, "%s", err);
	cr_expect(cfg.stacks);
	cli_config__free(&cfg);
}
