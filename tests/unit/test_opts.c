// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "opts.h"

static int parse(struct sysray_config *cfg, char *err, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return opts_parse(argc, argv, cfg, err, 256);
}

Test(opts, command_mode_keeps_the_commands_own_options)
{
	char *argv[] = { "sysray", "-c", "-S", "calls", "ls", "-l", "-a", NULL };
	struct sysray_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.mode, TARGET_COMMAND);
	cr_expect_str_eq(cfg.argv[0], "ls");
	cr_expect_str_eq(cfg.argv[1], "-l");
	cr_expect_str_eq(cfg.argv[2], "-a");
	cr_expect_null(cfg.argv[3]);
	cr_expect_str_eq(cfg.sort_by, "calls");
	cr_expect(cfg.follow_forks);
	opts_free(&cfg);
}

Test(opts, pid_list)
{
	char *argv[] = { "sysray", "-p", "12,34", "-p", "56", "-f", "-d", "1.5", NULL };
	struct sysray_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.mode, TARGET_PID);
	cr_assert_eq(cfg.nr_pids, 3);
	cr_expect_eq(cfg.pids[0], 12);
	cr_expect_eq(cfg.pids[1], 34);
	cr_expect_eq(cfg.pids[2], 56);
	cr_expect(cfg.follow_forks);
	cr_expect_eq(cfg.duration_ns, 1500000000ULL);
	opts_free(&cfg);
}

Test(opts, system_wide_json_to_stdout)
{
	char *argv[] = { "sysray", "-a", "--format", "json", "-o", "-", "--ring-size", "64K",
			 NULL };
	struct sysray_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.mode, TARGET_SYSTEM);
	cr_expect_eq(cfg.format, FORMAT_JSON);
	cr_expect_str_eq(cfg.output, "-");
	cr_expect_eq(cfg.ring_bytes, 65536);
	cr_expect_not(cfg.follow_forks);
	opts_free(&cfg);
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
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sysray_config cfg;
		char err[256] = "";

		cr_expect_eq(parse(&cfg, err, cases[i]), -EINVAL, "case %zu accepted", i);
		cr_expect_gt(strlen(err), 10, "case %zu: no message", i);
		cr_expect_null(strchr(err, '\n'), "case %zu: message is not one line", i);
		opts_free(&cfg);
	}
}
