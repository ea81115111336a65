// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Signals between sysray and the command it runs: the command inherits the dispositions
 * sysray was started with, the first SIGINT/SIGTERM is passed on to it, and a second one
 * detaches. Needs root.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "harness.h"
#include "minijson.h"

TestSuite(signals, .timeout = 120);

/* Ignored dispositions survive execve: what `nohup` and a shell's `cmd &` rely on. */
static void ignore_hup_and_int(void)
{
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
}

Test(signals, the_command_inherits_ignored_signals, .init = ignore_hup_and_int)
{
	char *wl[] = { (char *)workload("sigs"), "show", NULL };
	struct proc_result r, plain;
	char *text = sysray_report(NULL, wl, &r);

	cr_assert_eq(run_proc(wl, -1, &plain), 0);
	/* 1 and 2 first; whatever else the test itself inherited comes after */
	cr_expect_eq(strncmp(plain.out, "ignored: 1 2", 12), 0, "the test's own set-up: %s",
		     plain.out);
	/* sysray catches SIGHUP and SIGINT and ignores SIGPIPE; the command sees none of it */
	cr_expect_str_eq(r.out, plain.out);
	free(text);
	proc_result_free(&r);
	proc_result_free(&plain);
}

/* wl's rt_sigaction calls and errors under sysray are those strace counts. */
static void expect_rt_sigaction_as_strace(char *const wl[])
{
	char *sout = tmp_path(".strace");
	char *sargv[16] = { "/usr/bin/strace", "-f", "-c", "-U", "calls,errors,name", "-o", sout };
	char *opts[] = { "-U", "calls,errors,name", NULL };
	struct report_rows srows, rows;
	struct proc_result r, sr;
	char *text;
	int n = 7;

	for (int i = 0; wl[i]; i++)
		sargv[n++] = wl[i];
	cr_assert_eq(access(wl[0], X_OK), 0, "%s is not installed", wl[0]);
	cr_assert_eq(run_proc(sargv, -1, &sr), 0);
	cr_assert_eq(sr.status, 0, "strace: %s", sr.err);
	text = read_file(sout);
	parse_report(text, &srows);
	free(text);
	text = sysray_report(opts, wl, &r);
	parse_report(text, &rows);
	cr_assert_gt(row_calls(&srows, 0, "rt_sigaction"), 0, "%s made no rt_sigaction call",
		     wl[0]);
	cr_expect_eq(row_calls(&rows, 0, "rt_sigaction"), row_calls(&srows, 0, "rt_sigaction"),
		     "%s: rt_sigaction: sysray %ld, strace %ld", wl[0],
		     row_calls(&rows, 0, "rt_sigaction"), row_calls(&srows, 0, "rt_sigaction"));
	cr_expect_eq(row_errors(&rows, 0, "rt_sigaction"), row_errors(&srows, 0, "rt_sigaction"));
	unlink(sout);
	free(sout);
	free(text);
	free(srows.rows);
	free(rows.rows);
	proc_result_free(&r);
	proc_result_free(&sr);
}

/*
 * Programs that check what they inherited make the rt_sigaction calls they make under
 * strace: dash skips the handlers of signals it finds ignored (one call fewer with SIGHUP
 * and SIGINT ignored: what a reset to SIG_DFL would change), make sets and re-ignores them.
 */
Test(signals, programs_make_the_same_rt_sigaction_calls_as_under_strace, .init = ignore_hup_and_int)
{
	char *mk = tmp_path(".mk");
	char *make[] = { "/usr/bin/make", "-s", "-f", mk, NULL };
	char *sh[] = { "/bin/sh", "-c", "true; true", NULL };
	FILE *f = fopen(mk, "w");

	cr_assert_not_null(f);
	fprintf(f, "all:\n\t@/bin/true\n");
	fclose(f);
	expect_rt_sigaction_as_strace(make);
	expect_rt_sigaction_as_strace(sh);
	unlink(mk);
	free(mk);
}

/* Read fd until a line containing needle; the line, or NULL. */
static bool wait_line(int fd, const char *needle, char *line, size_t len)
{
	size_t n = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };

	while (n < len - 1 && poll(&pfd, 1, 20000) > 0 && read(fd, line + n, 1) == 1) {
		line[++n] = 0;
		if (line[n - 1] != '\n')
			continue;
		if (strstr(line, needle))
			return true;
		n = 0;
	}
	return false;
}

/* Whether pid is blocked in read(2) (up to 10 s): /proc/PID/syscall starts with 0. */
static bool in_read(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	for (int i = 0; i < 1000; i++) {
		char *text = read_file(path);
		bool blocked = text && !strncmp(text, "0 ", 2);

		free(text);
		if (blocked)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * A command that ignores SIGINT and catches SIGTERM: the first SIGTERM sent to sysray
 * reaches it, the second detaches sysray, which writes its report and exits 128+SIGTERM
 * while the command goes on, untraced.
 */
Test(signals, a_second_stop_signal_detaches_and_reports)
{
	char *out = tmp_path(".json"), line[256], want[32];
	char *argv[] = {
		(char *)sysray_bin(),	  "--format", "json",	  "-o",	  out,		"--",
		(char *)workload("sigs"), "ignore=2", "catch=15", "wait", "getppid=77", NULL
	};
	struct json_value *root, *sc;
	struct bg_proc s;
	char *text;
	pid_t cmd;
	int st;

	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(wait_line(s.out_fd, "ready pid=", line, sizeof(line)), "command did not start");
	cmd = atoi(strstr(line, "pid=") + 4);
	/* in its read, so that the SIGTERM cuts a read short */
	cr_assert(in_read(cmd), "the command did not wait in read");
	kill(s.pid, SIGTERM);
	cr_assert(wait_line(s.out_fd, "caught 15", line, sizeof(line)),
		  "the first SIGTERM did not reach the command");
	cr_expect_eq(waitpid(s.pid, &st, WNOHANG), 0, "sysray stopped at the first SIGTERM");
	/* the handler returned and the command waits in read again (syscall 0) */
	cr_assert(in_read(cmd), "the command did not go back to its read");
	kill(s.pid, SIGTERM);
	cr_assert_eq(waitpid(s.pid, &st, 0), s.pid);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGTERM, "sysray's status %#x", st);
	cr_expect_eq(kill(cmd, 0), 0, "the command did not survive sysray");
	cr_assert(wait_line(s.err_fd, "detached", line, sizeof(line)), "no word of detaching");
	snprintf(want, sizeof(want), "(pid %d)", cmd);
	cr_expect(strstr(line, want), "'%s' does not name the command %s", line, want);
	text = read_file(out);
	cr_assert_not_null(text, "no report after detaching");
	root = mj_parse(text);
	cr_assert_not_null(root, "%s", text);
	cr_expect_eq(mj_get(mj_get(root, "target"), "exit_status")->type, JSON_NULL);
	/*
	 * its read was cut short once by the caught SIGTERM (ERESTARTSYS at the syscall's
	 * exit, as strace shows it), and the one it waits in is unfinished
	 */
	sc = mj_find_syscall(root, "read", "x86_64");
	cr_expect_eq(mj_num(mj_get(sc, "errnos"), "ERESTARTSYS", -1), 1, "%s", text);
	cr_expect_eq(mj_num(sc, "unfinished", -1), 1);
	/* the getppid calls come after sysray has gone */
	cr_expect_null(mj_find_syscall(root, "getppid", "x86_64"));
	/* the command goes on: released, it makes its calls and exits by itself */
	cr_assert_eq(write(s.in_fd, "g", 1), 1);
	cr_expect(wait_line(s.out_fd, "done", line, sizeof(line)), "the command did not finish");
	close(s.in_fd);
	close(s.out_fd);
	close(s.err_fd);
	mj_free(root);
	unlink(out);
	free(out);
	free(text);
}
