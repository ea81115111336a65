// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sysray diff on real profiles of the known workload, run as a process. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "harness.h"

TestSuite(diff, .timeout = 60);

/* Profile `known ARG` into a new JSON file; returns its path. */
static char *profile(const char *arg)
{
	char *path = tmp_path(".json");
	char *argv[] = { (char *)sysray_bin(),	    "--format",	 "json", "-o", path, "--",
			 (char *)workload("known"), (char *)arg, NULL };
	struct proc_result r;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "sysray failed: %s", r.err);
	proc_result_free(&r);
	return path;
}

static void diff2(const char *old, const char *new, const char *opt, const char *opt2,
		  struct proc_result *r)
{
	char *argv[] = { (char *)sysray_bin(), "diff",	   (char *)old, (char *)new,
			 (char *)opt,	       (char *)opt2, NULL };

	cr_assert_eq(run_proc(argv, -1, r), 0);
}

static void diff(const char *old, const char *new, const char *opt, struct proc_result *r)
{
	diff2(old, new, opt, NULL, r);
}

Test(diff, more_getppid_calls_is_a_regression)
{
	char *old = profile("getppid=1000"), *new = profile("getppid=1200");
	struct proc_result r;

	/* p99 of two real runs moves with the machine's load: the calls rule alone decides */
	diff(old, new, "--max-p99-increase=off", &r);
	cr_expect_eq(r.status, 1, "stdout: %s\nstderr: %s", r.out, r.err);
	cr_expect(strstr(r.out, "calls        getppid"), "%s", r.out);
	cr_expect(strstr(r.out, "1000 -> 1200 (+20.0%)"), "%s", r.out);
	cr_expect_str_empty(r.err);
	proc_result_free(&r);

	/* the same, as JSON, and allowed with a looser rule */
	diff2(old, new, "--format=json", "--max-p99-increase=off", &r);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.out, "\"schema\": \"sysray.diff/1\""), "%s", r.out);
	cr_expect(strstr(r.out, "\"name\": \"getppid\""), "%s", r.out);
	proc_result_free(&r);
	/* p99 of two real runs moves with the machine's load: only the calls rule here */
	diff2(old, new, "--max-calls-increase=25", "--max-p99-increase=off", &r);
	cr_expect_eq(r.status, 0, "%s", r.out);
	proc_result_free(&r);
	unlink(old);
	unlink(new);
	free(old);
	free(new);
}

Test(diff, same_workload_passes)
{
	char *old = profile("getppid=1000"), *new = profile("getppid=1000");
	struct proc_result r;

	/* p99 of two real runs may differ by more than 20 %: that rule is off here */
	diff(old, new, "--max-p99-increase=off", &r);
	cr_expect_eq(r.status, 0, "stdout: %s\nstderr: %s", r.out, r.err);
	cr_expect(strstr(r.out, "0 regressions"), "%s", r.out);
	proc_result_free(&r);
	unlink(old);
	unlink(new);
	free(old);
	free(new);
}

Test(diff, malformed_file_is_bad_input)
{
	char *old = profile("getppid=10"), *bad = tmp_path(".json");
	struct proc_result r;
	FILE *f = fopen(bad, "w");

	cr_assert_not_null(f);
	fputs("{\"schema\": \"sysray.profile/1\",\n \"syscalls\": [}\n", f);
	fclose(f);
	diff(old, bad, NULL, &r);
	cr_expect_eq(r.status, 2);
	cr_expect_str_empty(r.out);
	cr_expect_eq(strncmp(r.err, "sysray: error: ", 15), 0, "%s", r.err);
	cr_expect(strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "not one line: %s", r.err);
	cr_expect(strstr(r.err, bad) && strstr(r.err, "line 2, column 15"), "%s", r.err);
	proc_result_free(&r);
	unlink(old);
	unlink(bad);
	free(old);
	free(bad);
}

Test(diff, works_without_root)
{
	char *old = profile("getppid=10");
	char *argv[] = { (char *)sysray_bin(), "diff", old, old, NULL };
	struct proc_result r;

	cr_assert_eq(chmod(old, 0644), 0);
	cr_assert_eq(run_proc(argv, 65534, &r), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	proc_result_free(&r);
	unlink(old);
	free(old);
}
