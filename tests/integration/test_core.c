// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The real BPF programs against workloads whose syscalls are known. Needs root. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "harness.h"
#include "minijson.h"

/* The native part of the known workload; the i386 calls have tests of their own. */
#define KNOWN_ARGS "getppid=1000", "enoent=50", "write=20", "fork=30", "thread=40"

/* Profile argv-style workload with sysray -U calls,errors,name; returns the rows. */
static void sysray_rows(char *const wl[], struct report_rows *rows, int *status)
{
	char *argv[32] = { (char *)sysray_bin(), "-U", "calls,errors,name", "--" };
	struct proc_result r;
	int n = 4;

	for (int i = 0; wl[i]; i++)
		argv[n++] = wl[i];
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	*status = r.status;
	parse_report(r.err, rows);
	proc_result_free(&r);
}

TestSuite(core, .timeout = 120);

Test(core, exact_counts_of_known_workload)
{
	char *wl[] = { (char *)workload("known"), KNOWN_ARGS, "exec=5", NULL };
	struct report_rows rows;
	int status;

	sysray_rows(wl, &rows, &status);
	cr_assert_eq(status, 0);
	/* 1000 in main, 30 in the child, 40 in the thread, 5 after exec */
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 1075);
	cr_expect_eq(row_errors(&rows, 0, "getppid"), 0);
	cr_expect_eq(row_errors(&rows, 0, "openat"), 50);
	cr_expect_eq(row_calls(&rows, 0, "write"), 20);
	cr_expect_eq(row_calls(&rows, 0, "execve"), 2);
	cr_expect_eq(row_calls(&rows, 0, "wait4"), 1);
	cr_expect_null(find_row(&rows, 1, "getppid"), "no i386 calls were made");
	/* main after exec, the forked child; the thread's exit is not a process exit */
	cr_expect_eq(row_calls(&rows, 0, "exit_group"), 2);
	free(rows.rows);
}

/* strace -f -c and sysray on the same workload (known ARGS... exec=3): every row equal. */
static void compare_with_strace(const char *extra)
{
	char *out = tmp_path(".strace");
	char *argv[] = { "/usr/bin/strace",
			 "-f",
			 "-c",
			 "-w",
			 "-U",
			 "calls,errors,name",
			 "-o",
			 out,
			 (char *)workload("known"),
			 KNOWN_ARGS,
			 "exec=3",
			 (char *)extra,
			 NULL };
	char *wl[] = { (char *)workload("known"), KNOWN_ARGS, "exec=3", (char *)extra, NULL };
	struct report_rows srows, rows;
	struct proc_result r;
	char *text;
	int status;

	cr_assert_eq(access("/usr/bin/strace", X_OK), 0, "strace is not installed");
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "strace failed: %s", r.err);
	text = read_file(out);
	cr_assert_not_null(text);
	parse_report(text, &srows);
	cr_assert_gt(srows.n, 10, "strace report not parsed:\n%s", text);

	sysray_rows(wl, &rows, &status);
	cr_assert_eq(status, 0);
	for (int i = 0; i < srows.n; i++) {
		const struct report_row *s = &srows.rows[i];
		const struct report_row *m = find_row(&rows, s->abi, s->name);

		cr_expect_not_null(m, "sysray has no row for %s (abi %d)", s->name, s->abi);
		if (!m)
			continue;
		cr_expect_eq(m->calls, s->calls, "%s calls: sysray %ld, strace %ld", s->name,
			     m->calls, s->calls);
		cr_expect_eq(m->errors, s->errors, "%s errors: sysray %ld, strace %ld", s->name,
			     m->errors, s->errors);
	}
	/* strace cannot see calls that never return; those are all sysray may add. */
	for (int i = 0; i < rows.n; i++)
		if (!find_row(&srows, rows.rows[i].abi, rows.rows[i].name))
			cr_expect(!strcmp(rows.rows[i].name, "exit_group") ||
				      !strcmp(rows.rows[i].name, "exit"),
				  "sysray reports %s, strace does not", rows.rows[i].name);
	unlink(out);
	free(out);
	free(text);
	free(srows.rows);
	free(rows.rows);
	proc_result_free(&r);
}

Test(core, matches_strace_on_every_row)
{
	compare_with_strace(NULL);
}

Test(core, i386_calls_have_their_own_table)
{
	char *wl[] = { (char *)workload("known"), "getppid=10", "compat=7", NULL };
	struct report_rows rows;
	int status;

	SKIP_WITHOUT_IA32();
	sysray_rows(wl, &rows, &status);
	cr_assert_eq(status, 0);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 10);
	cr_expect_eq(row_calls(&rows, 1, "getppid"), 7, "i386 getppid via int 0x80");
	cr_expect_null(find_row(&rows, 1, "getpid"));
	free(rows.rows);
}

Test(core, every_syscall_number_is_counted)
{
	char *wl[] = {
		(char *)workload("known"), "getppid=3", "x32=4", "badnr=5", "cachestat=6", NULL
	};
	struct report_rows rows;
	int status;

	sysray_rows(wl, &rows, &status);
	cr_assert_eq(status, 0);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 3);
	/* x32 calls have their own table, as in strace; without x32 they fail with ENOSYS */
	cr_expect_eq(row_calls(&rows, 2, "getpid"), 4, "x32 getpid");
	cr_expect_null(find_row(&rows, 0, "getpid"));
	/* numbers no kernel has (1000, -2) share one row and are never lost */
	cr_expect_eq(row_calls(&rows, 0, "syscall_out_of_range"), 10);
	cr_expect_eq(row_errors(&rows, 0, "syscall_out_of_range"), 10);
	/* a syscall newer than the build host's UAPI headers gets its name */
	cr_expect_eq(row_calls(&rows, 0, "cachestat"), 6);
	cr_expect_eq(row_errors(&rows, 0, "cachestat"), 6);
	free(rows.rows);
}

Test(core, i386_rows_match_strace)
{
	SKIP_WITHOUT_IA32();
	compare_with_strace("compat=7");
}

Test(core, json_report_structure_and_unfinished)
{
	char *wl[] = { (char *)workload("known"), "getppid=123", "enoent=4", "fork=0", NULL };
	struct json_value *root, *sc, *ev, *tgt;
	struct proc_result r;

	root = sysray_json(NULL, wl, &r);
	proc_result_free(&r);
	cr_expect_str_eq(mj_str(root, "schema"), "sysray.profile/1");
	cr_expect_str_eq(mj_str(mj_get(root, "tool"), "name"), "sysray");
	tgt = mj_get(root, "target");
	cr_expect_str_eq(mj_str(tgt, "mode"), "command");
	cr_expect_eq(mj_num(tgt, "exit_status", -1), 0);
	cr_expect_eq(mj_num(root, "processes", -1), 2);
	cr_expect_gt(mj_num(root, "duration_ns", 0), 0);

	sc = mj_find_syscall(root, "getppid", "x86_64");
	cr_assert_not_null(sc);
	cr_expect_eq(mj_num(sc, "calls", -1), 123);
	cr_expect_eq(mj_num(sc, "nr", -1), 110);
	cr_expect_eq(mj_num(sc, "unfinished", -1), 0);
	cr_expect_leq(mj_num(sc, "min_ns", -1), mj_num(sc, "max_ns", -1));
	cr_expect_geq(mj_num(sc, "total_ns", -1), 123 * mj_num(sc, "min_ns", -1));
	sc = mj_find_syscall(root, "openat", "x86_64");
	cr_assert_not_null(sc);
	cr_expect_eq(mj_num(sc, "errors", -1), 4);
	/* exit_group never returns: counted, unfinished, untimed */
	sc = mj_find_syscall(root, "exit_group", "x86_64");
	cr_assert_not_null(sc);
	cr_expect_eq(mj_num(sc, "calls", -1), 2);
	cr_expect_eq(mj_num(sc, "unfinished", -1), 2);
	cr_expect_eq(mj_num(sc, "total_ns", -1), 0);

	ev = mj_get(root, "events");
	cr_expect_eq(mj_num(ev, "dropped", -1), 0);
	{
		struct json_value *arr = mj_get(root, "syscalls");
		long long completed = 0;

		for (size_t i = 0; i < arr->n; i++)
			completed += mj_num(arr->items[i], "calls", 0) -
				     mj_num(arr->items[i], "unfinished", 0);
		cr_expect_eq(mj_num(ev, "received", -1), completed);
	}
	mj_free(root);
}

/* A 4 KiB ring overflows: received + dropped must still be every completed call. */
static void overflow(char *const extra[])
{
	char *wl[] = { (char *)workload("known"), "getppid=200000", NULL };
	struct json_value *root, *ev, *arr;
	long long completed = 0;
	struct proc_result r;

	root = sysray_json(extra, wl, &r);
	proc_result_free(&r);
	ev = mj_get(root, "events");
	arr = mj_get(root, "syscalls");
	cr_assert_not_null(arr);
	for (size_t i = 0; i < arr->n; i++)
		completed +=
		    mj_num(arr->items[i], "calls", 0) - mj_num(arr->items[i], "unfinished", 0);
	cr_expect_gt(mj_num(ev, "dropped", 0), 0, "a 4 KiB ring should overflow");
	cr_expect_eq(mj_num(ev, "received", 0) + mj_num(ev, "dropped", 0), completed);
	cr_expect_eq(mj_num(mj_find_syscall(root, "getppid", "x86_64"), "calls", 0), 200000);
	mj_free(root);
}

Test(core, seccomp_refused_calls_are_counted)
{
	char *wl[] = { (char *)workload("known"), "getppid=7", "seccomp=300", NULL };
	struct proc_result r;
	struct json_value *root = sysray_json(NULL, wl, &r), *sc;

	sc = mj_find_syscall(root, "getppid", "x86_64");
	cr_expect_eq(mj_num(sc, "calls", -1), 307);
	cr_expect_eq(mj_num(sc, "errors", -1), 300);
	cr_expect_eq(mj_num(mj_get(sc, "errnos"), "EPERM", -1), 300);
	mj_free(root);
	proc_result_free(&r);
}

Test(core, calls_cut_short_by_exit_are_unfinished_not_errors)
{
	char *wl[] = { (char *)workload("known"), "blocked=3", NULL };
	struct proc_result r;
	struct json_value *root = sysray_json(NULL, wl, &r), *sc;

	/* three threads blocked in read when exit_group kills them: no ERESTARTSYS error */
	sc = mj_find_syscall(root, "read", "x86_64");
	cr_expect_eq(mj_num(sc, "unfinished", -1), 3);
	cr_expect_eq(mj_num(sc, "errors", -1), 0);
	cr_expect_eq(mj_num(mj_get(sc, "errnos"), "ERESTARTSYS", 0), 0);
	mj_free(root);
	proc_result_free(&r);
}

Test(core, overflow_is_counted_never_silent)
{
	char *extra[] = { "--ring-size", "4096", NULL };

	overflow(extra);
}

Test(core, overflow_with_one_shared_ring)
{
	char *extra[] = { "--ring-size", "4096", "--ring-layout", "shared", NULL };

	overflow(extra);
}

static int sysray_status(char *const wl[])
{
	char *argv[16] = { (char *)sysray_bin(), "-o", "/dev/null", "--" };
	struct proc_result r;
	int n = 4;

	for (int i = 0; wl[i]; i++)
		argv[n++] = wl[i];
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	n = r.status;
	proc_result_free(&r);
	return n;
}

Test(core, exit_status_passthrough)
{
	char *ok[] = { (char *)workload("known"), NULL };
	char *seven[] = { (char *)workload("known"), "exit=7", NULL };
	char *killed[] = { (char *)workload("known"), "kill=9", NULL };
	char *missing[] = { "/nonexistent/sysray-no-such-command", NULL };

	struct stat st;

	cr_expect_eq(sysray_status(ok), 0);
	/* -o to a device writes to it; it must never be replaced by a file */
	cr_assert_eq(stat("/dev/null", &st), 0);
	cr_expect(S_ISCHR(st.st_mode), "/dev/null is no longer a character device");
	cr_expect_eq(sysray_status(seven), 7);
	cr_expect_eq(sysray_status(killed), 128 + SIGKILL);
	cr_expect_eq(sysray_status(missing), 127);
}

Test(core, command_not_found_says_why)
{
	char *argv[] = { (char *)sysray_bin(), "--", "sysray-no-such-command-xyz", NULL };
	struct proc_result r;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_expect_eq(r.status, 127);
	cr_expect_str_eq(r.err, "sysray: error: cannot execute 'sysray-no-such-command-xyz': "
				"No such file or directory\n");
	proc_result_free(&r);
}

/* Attach with -p (and maybe -f) to a waiting workload, release it, return the JSON. */
static struct json_value *attach_and_run(char *const wl[], bool follow)
{
	char pidbuf[16], *out = tmp_path(".json");
	struct bg_proc w, s;
	struct proc_result wr, sr;
	struct json_value *root;
	char *text;

	cr_assert_eq(bg_start(wl, &w), 0);
	cr_assert(bg_wait_for(w.out_fd, "ready", 10000), "workload did not start");
	snprintf(pidbuf, sizeof(pidbuf), "%d", w.pid);
	char *argv[] = { (char *)sysray_bin(), "-p", pidbuf, "--format", "json", "-o", out,
			 follow ? "-f" : NULL, NULL };

	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000), "sysray did not attach");
	cr_assert_eq(write(w.in_fd, "g", 1), 1);
	cr_assert_eq(bg_finish(&w, &wr), 0);
	cr_assert_eq(wr.status, 0);
	/* sysray notices the process is gone and stops by itself */
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 0, "sysray: %s", sr.err);
	text = read_file(out);
	cr_assert_not_null(text);
	root = mj_parse(text);
	cr_assert_not_null(root, "%s", text);
	cr_expect_str_eq(mj_str(mj_get(root, "target"), "mode"), "pid");
	unlink(out);
	free(out);
	free(text);
	proc_result_free(&wr);
	proc_result_free(&sr);
	return root;
}

Test(core, attach_to_running_pid)
{
	char *wl[] = {
		(char *)workload("known"), "wait", "getppid=500", "enoent=3", "fork=20", NULL
	};
	struct json_value *root = attach_and_run(wl, false);

	/* without -f the forked child is not traced */
	cr_expect_eq(mj_num(mj_find_syscall(root, "getppid", "x86_64"), "calls", -1), 500);
	cr_expect_eq(mj_num(mj_find_syscall(root, "openat", "x86_64"), "errors", -1), 3);
	cr_expect_eq(mj_num(root, "processes", -1), 1);
	/* the read that was blocked when we attached has no entry: not counted */
	cr_expect_null(mj_find_syscall(root, "read", "x86_64"));
	mj_free(root);
}

Test(core, attach_with_follow_forks)
{
	char *wl[] = { (char *)workload("known"), "wait", "getppid=500", "fork=20", NULL };
	struct json_value *root = attach_and_run(wl, true);

	cr_expect_eq(mj_num(mj_find_syscall(root, "getppid", "x86_64"), "calls", -1), 520);
	cr_expect_eq(mj_num(root, "processes", -1), 2);
	mj_free(root);
}

Test(core, follow_forks_outlives_the_listed_process)
{
	char *wl[] = { (char *)workload("known"), "wait", "getppid=100", "orphan=321", NULL };
	struct json_value *root = attach_and_run(wl, true);

	/* the orphan's calls come after its parent exited: sysray waited for it */
	cr_expect_eq(mj_num(mj_find_syscall(root, "getppid", "x86_64"), "calls", -1), 421);
	cr_expect_eq(mj_num(root, "processes", -1), 2);
	mj_free(root);
}

Test(core, system_wide_sees_others_but_not_itself)
{
	char *out = tmp_path(".json");
	char *argv[] = {
		(char *)sysray_bin(), "-a", "-d", "3", "--format", "json", "-o", out, NULL
	};
	char *wl[] = { (char *)workload("known"), "getppid=4321", NULL };
	struct bg_proc s;
	struct proc_result sr, wr;
	struct json_value *root;
	char *text;

	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000), "sysray did not attach");
	cr_assert_eq(run_proc(wl, -1, &wr), 0);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 0, "%s", sr.err);
	text = read_file(out);
	root = mj_parse(text);
	cr_assert_not_null(root, "%s", text);
	cr_expect_str_eq(mj_str(mj_get(root, "target"), "mode"), "system");
	cr_expect_geq(mj_num(mj_find_syscall(root, "getppid", "x86_64"), "calls", 0), 4321);
	cr_expect_geq(mj_num(root, "processes", 0), 1);
	mj_free(root);
	unlink(out);
	free(out);
	free(text);
	proc_result_free(&sr);
	proc_result_free(&wr);
}

Test(core, duration_reports_then_passes_the_status_on)
{
	char *out = tmp_path(".json");
	/* the command ends only when told to (a line on stdin): no timing to guess */
	char *argv[] = { (char *)sysray_bin(),
			 "-d",
			 "0.3",
			 "--format",
			 "json",
			 "-o",
			 out,
			 "--",
			 "/bin/sh",
			 "-c",
			 "read x; exit 3",
			 NULL };
	struct bg_proc s;
	struct proc_result sr;
	struct json_value *root;
	char *text = NULL;

	cr_assert_eq(bg_start(argv, &s), 0);
	/* the report is written when tracing stops, while the command still runs */
	for (int i = 0; i < 3000 && !(text = read_file(out)); i++)
		usleep(10000);
	cr_assert_not_null(text, "no report within 30 s of -d 0.3");
	cr_expect_eq(waitpid(s.pid, NULL, WNOHANG), 0, "sysray did not wait for the command");
	root = mj_parse(text);
	cr_assert_not_null(root, "%s", text);
	cr_expect_eq(mj_get(mj_get(root, "target"), "exit_status")->type, JSON_NULL);
	cr_assert_eq(write(s.in_fd, "\n", 1), 1);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 3, "the command's status is passed on");
	mj_free(root);
	unlink(out);
	free(out);
	free(text);
	proc_result_free(&sr);
}

Test(core, descendants_that_outlive_the_command_are_traced)
{
	char *wl[] = { (char *)workload("known"), "getppid=10", "orphan=123", NULL };
	struct proc_result r;
	struct json_value *root;

	/* like strace -f: the orphan makes its calls 300 ms after the command exited */
	root = sysray_json(NULL, wl, &r);
	cr_expect_eq(mj_num(mj_find_syscall(root, "getppid", "x86_64"), "calls", -1), 133);
	cr_expect_eq(mj_num(mj_get(root, "target"), "exit_status", -1), 0);
	cr_expect_eq(mj_num(root, "processes", -1), 2);
	mj_free(root);
	proc_result_free(&r);
}

Test(core, the_report_file_is_not_inherited)
{
	char *wl[] = { "/bin/ls", "/proc/self/fd", NULL };
	struct proc_result r, plain;
	char *text = sysray_report(NULL, wl, &r);

	/* the command sees the same fds as when it runs alone: none of sysray's */
	cr_assert_eq(run_proc(wl, -1, &plain), 0);
	cr_expect_str_eq(r.out, plain.out, "the command inherited more fds");
	free(text);
	proc_result_free(&r);
	proc_result_free(&plain);
}

Test(core, the_command_gets_default_signal_dispositions)
{
	char *wl[] = { "/bin/grep", "-E", "^Sig(Ign|Cgt)", "/proc/self/status", NULL };
	struct proc_result r, plain;
	char *text = sysray_report(NULL, wl, &r);

	/* sysray ignores SIGPIPE and catches others; the command must not inherit that */
	cr_assert_eq(run_proc(wl, -1, &plain), 0);
	cr_expect_str_eq(r.out, plain.out);
	free(text);
	proc_result_free(&r);
	proc_result_free(&plain);
}
