// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * strace and sysray on the same run: the workload waits on stdin, `sysray -p PID -f` and
 * `strace -f -c -p PID` attach to it, and it is released. Separate runs differ through
 * timing (pipe chunking, futex waits, signal races); one run seen by both must give the
 * same numbers on every row, except calls that never return, which strace cannot count and
 * sysray counts as unfinished. Needs root and strace.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "minijson.h"

TestSuite(shared, .timeout = 180);

struct shared {
	struct report_rows strace;
	struct json_value *sysray;
};

/* wl prints "ready" and waits for a line on stdin: attach both, then release it. */
static void shared_run(char *const wl[], struct shared *sh)
{
	char *sout = tmp_path(".json"), *tout = tmp_path(".strace"), pid[16], *text;
	struct proc_result wr, sr, tr;
	struct bg_proc w, s, t;

	cr_assert_eq(access("/usr/bin/strace", X_OK), 0, "strace is not installed");
	cr_assert_eq(bg_start(wl, &w), 0);
	cr_assert(bg_wait_for(w.out_fd, "ready", 10000), "workload did not start");
	snprintf(pid, sizeof(pid), "%d", w.pid);
	char *sargv[] = {
		(char *)sysray_bin(), "-p", pid, "-f", "--format", "json", "-o", sout, NULL
	};
	char *targv[] = { "/usr/bin/strace",
			  "-f",
			  "-c",
			  "-w",
			  "-U",
			  "calls,errors,name",
			  "-o",
			  tout,
			  "-p",
			  pid,
			  NULL };

	/* sysray first: strace's attach restarts the blocked read, which both then see */
	cr_assert_eq(bg_start(sargv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000), "sysray did not attach");
	cr_assert_eq(bg_start(targv, &t), 0);
	cr_assert(bg_wait_for(t.err_fd, "attached", 20000), "strace did not attach");
	cr_assert_eq(write(w.in_fd, "g\n", 2), 2);
	cr_assert_eq(bg_finish(&w, &wr), 0);
	cr_assert_eq(bg_finish(&t, &tr), 0);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 0, "sysray: %s", sr.err);
	cr_expect_eq(tr.status, 0, "strace: %s", tr.err);
	text = read_file(tout);
	cr_assert_not_null(text);
	parse_report(text, &sh->strace);
	cr_assert_gt(sh->strace.n, 3, "strace report not parsed:\n%s", text);
	free(text);
	text = read_file(sout);
	cr_assert_not_null(text, "no sysray report");
	sh->sysray = mj_parse(text);
	cr_assert_not_null(sh->sysray, "%s", text);
	free(text);
	unlink(sout);
	unlink(tout);
	free(sout);
	free(tout);
	proc_result_free(&wr);
	proc_result_free(&sr);
	proc_result_free(&tr);
}

static const char *abi_name(int abi)
{
	return abi ? "i386" : "x86_64";
}

/*
 * Every row: sysray's completed calls (calls - unfinished) and errors equal strace's; a
 * row only sysray has holds only unfinished calls.
 */
static void expect_same_rows(const struct shared *sh)
{
	struct json_value *arr = mj_get(sh->sysray, "syscalls");

	for (int i = 0; i < sh->strace.n; i++) {
		const struct report_row *r = &sh->strace.rows[i];
		struct json_value *m = mj_find_syscall(sh->sysray, r->name, abi_name(r->abi));

		cr_expect_not_null(m, "sysray has no row for %s (%s)", r->name, abi_name(r->abi));
		if (!m)
			continue;
		cr_expect_eq(mj_num(m, "calls", 0) - mj_num(m, "unfinished", 0), r->calls,
			     "%s: sysray %lld calls (%lld unfinished), strace %ld", r->name,
			     mj_num(m, "calls", 0), mj_num(m, "unfinished", 0), r->calls);
		cr_expect_eq(mj_num(m, "errors", 0), r->errors,
			     "%s errors: sysray %lld, strace %ld", r->name, mj_num(m, "errors", 0),
			     r->errors);
	}
	cr_assert_not_null(arr);
	for (size_t i = 0; i < arr->n; i++) {
		const char *name = mj_str(arr->items[i], "name");
		int abi = strcmp(mj_str(arr->items[i], "abi"), "x86_64") != 0;

		if (find_row(&sh->strace, abi, name))
			continue;
		cr_expect_eq(mj_num(arr->items[i], "calls", 0),
			     mj_num(arr->items[i], "unfinished", 0),
			     "sysray has completed %s calls that strace does not", name);
	}
}

static void shared_free(struct shared *sh)
{
	free(sh->strace.rows);
	mj_free(sh->sysray);
}

Test(shared, known_workload_every_row)
{
	char *wl[] = { (char *)workload("known"),
		       "wait",
		       "getppid=1000",
		       "enoent=50",
		       "write=20",
		       "fork=30",
		       "thread=40",
		       "exec=3",
		       NULL };
	struct shared sh;

	shared_run(wl, &sh);
	expect_same_rows(&sh);
	/* the exact numbers too: 1000 + 30 + 40 + 3 after exec */
	cr_expect_eq(mj_num(mj_find_syscall(sh.sysray, "getppid", "x86_64"), "calls", 0), 1073);
	cr_expect_eq(row_calls(&sh.strace, 0, "getppid"), 1073);
	shared_free(&sh);
}

/* A shell pipeline: pipe chunking and wait timing differ from run to run, not within one. */
Test(shared, shell_pipeline_every_row)
{
	char *wl[] = { "/bin/sh", "-c",
		       "echo ready; read x; tar -cf - -C /usr/include linux | wc -c >/dev/null; "
		       "ls -l /proc/self/ >/dev/null",
		       NULL };
	struct shared sh;

	shared_run(wl, &sh);
	expect_same_rows(&sh);
	cr_expect_gt(row_calls(&sh.strace, 0, "write"), 10, "tar wrote little through the pipe");
	shared_free(&sh);
}

/*
 * The calls of known's killed threads never return to the program, so they are unfinished, not
 * errors, and strace does not count them; every other row matches.
 */
static void expect_killed_rows(char *const wl[])
{
	static const char *const killed[] = { "epoll_wait", "accept", "rt_sigtimedwait" };
	struct shared sh;

	shared_run(wl, &sh);
	expect_same_rows(&sh);
	for (size_t i = 0; i < sizeof(killed) / sizeof(killed[0]); i++) {
		struct json_value *sc = mj_find_syscall(sh.sysray, killed[i], "x86_64");

		cr_expect_not_null(sc, "no %s row", killed[i]);
		cr_expect_eq(mj_num(sc, "calls", -1), 1, "%s", killed[i]);
		cr_expect_eq(mj_num(sc, "unfinished", -1), 1, "%s", killed[i]);
		cr_expect_eq(mj_num(sc, "errors", -1), 0, "%s counted as an error", killed[i]);
		cr_expect_eq(mj_num(mj_get(sc, "errnos"), "EINTR", 0), 0, "%s", killed[i]);
		cr_expect_eq(row_calls(&sh.strace, 0, killed[i]), 0, "strace counted %s",
			     killed[i]);
	}
	shared_free(&sh);
}

/*
 * A threaded process exits (exit_group from the main thread) while workers wait in
 * epoll_wait, accept (with SO_RCVTIMEO) and rt_sigtimedwait, calls that return -EINTR when
 * their thread is killed.
 */
Test(shared, calls_of_killed_threads_are_unfinished_not_errors)
{
	char *wl[] = { (char *)workload("known"), "wait", "killed", NULL };

	expect_killed_rows(wl);
}

/* The same threads when the process is killed by SIGKILL. */
Test(shared, calls_of_sigkilled_threads_are_unfinished_not_errors)
{
	char *wl[] = { (char *)workload("known"), "wait", "killed", "kill=9", NULL };

	expect_killed_rows(wl);
}

/* The same threads when another thread's execve kills them (de_thread). */
Test(shared, calls_of_threads_killed_by_execve_are_unfinished_not_errors)
{
	char *wl[] = { (char *)workload("known"), "wait", "killed", "exec=7", NULL };

	expect_killed_rows(wl);
}
