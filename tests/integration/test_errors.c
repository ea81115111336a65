// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Bad input: one line on stderr, a non-zero exit, no crash and no half-written file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

TestSuite(errors, .timeout = 60, .fini = bg_cleanup);

Test(errors, nothing_to_trace)
{
	char *a[] = { NULL };

	expect_error(a, -1, "nothing to trace");
}

Test(errors, unknown_option)
{
	char *a[] = { "--bogus", "--", "true", NULL };

	expect_error(a, -1, "unknown option '--bogus'");
}

Test(errors, pid_that_does_not_exist)
{
	char *a[] = { "-p", "2147483646", NULL };

	expect_error(a, -1, "cannot trace process 2147483646: no such process");
}

Test(errors, malformed_pid)
{
	char *a[] = { "-p", "12x", NULL };

	expect_error(a, -1, "invalid process id: '12x'");
}

Test(errors, pid_and_command_together)
{
	char *a[] = { "-p", "1", "--", "true", NULL };

	expect_error(a, -1, "only one of");
}

Test(errors, unwritable_output_leaves_no_file)
{
	char *a[] = { "-o", "/nonexistent-dir/report.txt", "--", "/bin/true", NULL };

	expect_error(a, -1, "cannot open '/nonexistent-dir/report.txt' for writing");
	cr_expect_neq(access("/nonexistent-dir/report.txt", F_OK), 0);
}

Test(errors, unknown_sort_key)
{
	char *a[] = { "-S", "bogus", "--", "/bin/true", NULL };

	expect_error(a, -1, "bogus");
}

Test(errors, unknown_column)
{
	char *a[] = { "-U", "calls,bogus", "--", "/bin/true", NULL };

	expect_error(a, -1, "bogus");
}

Test(errors, bad_ring_size)
{
	char *a[] = { "--ring-size", "1000", "--", "/bin/true", NULL };

	expect_error(a, -1, "invalid ring size");
}

Test(errors, bad_duration)
{
	char *a[] = { "-a", "-d", "soon", NULL };

	expect_error(a, -1, "invalid duration");
}

Test(errors, unprivileged_user_is_told_which_capability)
{
	char *a[] = { "--", "/bin/true", NULL };

	/* nobody: no capabilities at all */
	expect_error(a, 65534, "missing CAP_BPF and CAP_PERFMON");
}

Test(errors, unknown_histogram_syscall)
{
	char *a[] = { "--histogram", "read,no_such_call", "--", "/bin/true", NULL };

	expect_error(a, -1, "unknown syscall in --histogram: 'no_such_call'");
}

Test(errors, bad_interval_and_top)
{
	char *i[] = { "-i", "0", "--", "/bin/true", NULL };
	char *t[] = { "--top", "-1", "--", "/bin/true", NULL };
	char *old[] = { "-T", "10", "--", "/bin/true", NULL };

	expect_error(i, -1, "invalid interval: '0'");
	expect_error(t, -1, "invalid --top: '-1'");
	/* -T is strace's now: the old way gets the new one in the message */
	expect_error(old, -1, "use --top 10");
}

Test(errors, tracing_itself)
{
	char cmd[512];
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct proc_result r;

	/* exec keeps the shell's pid, so $$ is sysray's own */
	snprintf(cmd, sizeof(cmd), "exec %s -p $$ -d 1", sysray_bin());
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "sysray: error: cannot trace process ") == r.err &&
		      strstr(r.err, "it is sysray itself\n"),
		  "stderr: %s", r.err);
	proc_result_free(&r);
}

Test(errors, kernel_thread_and_zero_duration)
{
	char *kthread[] = { "-p", "2", NULL };
	char *tiny[] = { "-a", "-d", "1e-10", NULL };

	/* pid 2 is kthreadd */
	expect_error(kthread, -1, "kernel thread");
	expect_error(tiny, -1, "invalid duration");
}
