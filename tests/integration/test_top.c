// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sysray top in a real terminal: tmux runs it at 80x24 on two workloads whose busiest
 * syscalls are known, the test reads the screen and presses keys. The view must show the
 * header and the busiest syscall within 3 s, reorder on a sort key, switch to processes,
 * and on q exit 0 with the terminal as it was.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include "harness.h"

#define TMUX "/usr/bin/tmux"

TestSuite(top, .timeout = 120);

static char sock[64];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* tmux -L SOCK ARGS... (NULL-terminated); its stdout. */
static char *tmux(const char *const *args)
{
	char *argv[24] = { TMUX, "-L", sock };
	struct proc_result r;
	int n = 3;

	for (int i = 0; args[i]; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "tmux %s failed: %s", args[0], r.err);
	free(r.err);
	return r.out;
}

#define TMUX_DO(...) free(tmux((const char *const[]){ __VA_ARGS__, NULL }))

static char *screen(void)
{
	return tmux((const char *const[]){ "capture-pane", "-p", "-t", "t", NULL });
}

/* The first word of line n of the screen (0-based). */
static void word_at(const char *scr, int n, char *buf, size_t len)
{
	const char *p = scr;

	for (int i = 0; i < n && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	buf[0] = 0;
	if (!p)
		return;
	p += strspn(p, " ");
	snprintf(buf, len, "%.*s", (int)strcspn(p, " \n"), p);
}

/* Wait until line n of the screen starts with want; the last screen seen. */
static char *wait_row(int n, const char *want, double timeout_s)
{
	double end = now_s() + timeout_s;
	char w[64], *scr = NULL;

	for (;;) {
		free(scr);
		scr = screen();
		word_at(scr, n, w, sizeof(w));
		if (!strcmp(w, want) || now_s() > end)
			return scr;
		usleep(50000);
	}
}

static pid_t start_phases(const char *phase)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (!pid) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execl(workload("phases"), "phases", phase, (char *)NULL);
		_exit(126);
	}
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Rows 4 and 5 (the first two below the column titles) start with a and b. */
static void expect_rows(const char *scr, const char *a, const char *b, const char *why)
{
	char w[64];

	word_at(scr, 4, w, sizeof(w));
	cr_expect_str_eq(w, a, "%s: first row\n%s", why, scr);
	word_at(scr, 5, w, sizeof(w));
	cr_expect_str_eq(w, b, "%s: second row\n%s", why, scr);
}

Test(top, live_view_in_tmux)
{
	char *before = tmp_path(".stty0"), *after = tmp_path(".stty1"), *rc = tmp_path(".rc");
	pid_t sleeper = start_phases("sleep:200:60"), opener = start_phases("open:fail:60");
	char cmd[1024], *scr, *a, *b, *code;
	double t0;

	cr_assert_eq(access(TMUX, X_OK), 0,
		     "tmux is not installed: scripts/install-deps.sh --test");
	snprintf(sock, sizeof(sock), "sysray-test-%d", getpid());
	snprintf(cmd, sizeof(cmd),
		 "stty -g > %s; %s top -p %d,%d; echo $? > %s; stty -g > %s; sleep 60", before,
		 sysray_bin(), sleeper, opener, rc, after);
	t0 = now_s();
	TMUX_DO("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", cmd);

	/* clock_nanosleep: ~4000/s from one, ~900/s from the other; openat ~900/s. */
	scr = wait_row(4, "clock_nanosleep", 3.0);
	cr_expect_leq(now_s() - t0, 3.0, "the busiest syscall took %.1f s to show", now_s() - t0);
	cr_expect_not_null(strstr(scr, " sysray top"), "no header:\n%s", scr);
	cr_expect_not_null(strstr(scr, "*CALLS/S"), "not sorted by calls/s:\n%s", scr);
	word_at(scr, 4, cmd, sizeof(cmd));
	cr_assert_str_eq(cmd, "clock_nanosleep", "busiest row:\n%s", scr);
	free(scr);

	/* e: by errors/s, and only openat fails. */
	TMUX_DO("send-keys", "-t", "t", "e");
	scr = wait_row(4, "openat", 2.0);
	cr_expect_not_null(strstr(scr, "*ERRORS/S"), "the sort column is not marked:\n%s", scr);
	expect_rows(scr, "openat", "clock_nanosleep", "sorted by errors/s");
	free(scr);

	/* n then r: by name, descending. */
	TMUX_DO("send-keys", "-t", "t", "n", "r");
	scr = wait_row(4, "openat", 2.0);
	free(scr);
	usleep(200000);
	scr = screen();
	cr_expect_not_null(strstr(scr, "sort name desc"), "%s", scr);
	cr_expect_not_null(strstr(scr, "*SYSCALL"), "%s", scr);
	expect_rows(scr, "openat", "clock_nanosleep", "sorted by name, Z to A");
	free(scr);
	/* r again: A to Z. */
	TMUX_DO("send-keys", "-t", "t", "r");
	scr = wait_row(4, "clock_nanosleep", 2.0);
	expect_rows(scr, "clock_nanosleep", "openat", "sorted by name, A to Z");
	free(scr);

	/* A bigger terminal: the view follows at once, the key line at its new bottom. */
	TMUX_DO("resize-window", "-t", "t", "-x", "100", "-y", "30");
	scr = wait_row(29, "q", 2.0);
	word_at(scr, 29, cmd, sizeof(cmd));
	cr_expect_str_eq(cmd, "q", "no key line at the bottom of 100x30:\n%s", scr);
	free(scr);
	TMUX_DO("resize-window", "-t", "t", "-x", "80", "-y", "24");
	scr = wait_row(23, "q", 2.0);
	word_at(scr, 23, cmd, sizeof(cmd));
	cr_expect_str_eq(cmd, "q", "no key line at the bottom of 80x24:\n%s", scr);
	free(scr);

	/* g: the process view has both workloads. */
	TMUX_DO("send-keys", "-t", "t", "g");
	scr = wait_row(3, "PID", 2.0);
	word_at(scr, 3, cmd, sizeof(cmd));
	cr_expect_str_eq(cmd, "PID", "not the process view:\n%s", scr);
	cr_expect_not_null(strstr(scr, "phases"), "no process rows:\n%s", scr);
	free(scr);

	TMUX_DO("send-keys", "-t", "t", "q");
	/* The settings after are written last, once the exit status is. */
	for (int i = 0; i < 100 && (!(b = read_file(after)) || !*b); i++) {
		free(b);
		b = NULL;
		usleep(50000);
	}
	code = read_file(rc);
	cr_assert_not_null(code, "sysray top did not exit on q");
	cr_expect_str_eq(code, "0\n", "exit status");
	a = read_file(before);
	cr_assert(a && b);
	cr_expect_str_eq(b, a, "terminal settings not restored");
	scr = tmux((const char *const[]){ "display", "-p", "-t", "t", "#{alternate_on}", NULL });
	cr_expect_str_eq(scr, "0\n", "still on the alternate screen");
	free(scr);
	scr = screen();
	cr_expect_null(strstr(scr, "CALLS/S"), "the view is still on the screen:\n%s", scr);
	free(scr);

	TMUX_DO("kill-server");
	stop(sleeper);
	stop(opener);
	free(a);
	free(b);
	free(code);
	unlink(before);
	unlink(after);
	unlink(rc);
	free(before);
	free(after);
	free(rc);
}

/* A terminal that cannot show the view is refused with one line, before tracing starts. */
Test(top, unusable_terminal_is_refused_before_tracing)
{
	char *rc = tmp_path(".rc"), cmd[512], *scr, *code = NULL;

	cr_assert_eq(access(TMUX, X_OK), 0,
		     "tmux is not installed: scripts/install-deps.sh --test");
	snprintf(sock, sizeof(sock), "sysray-test-%d-dumb", getpid());
	snprintf(cmd, sizeof(cmd), "TERM=dumb %s top -a; echo $? > %s; sleep 60", sysray_bin(), rc);
	TMUX_DO("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", cmd);
	for (int i = 0; i < 100 && (!(code = read_file(rc)) || !*code); i++) {
		free(code);
		code = NULL;
		usleep(50000);
	}
	cr_assert_not_null(code, "sysray top did not end");
	cr_expect_str_eq(code, "1\n");
	scr = screen();
	cr_expect_not_null(
	    strstr(scr,
		   "sysray: error: sysray top: terminal type 'dumb' cannot address the cursor"),
	    "%s", scr);
	cr_expect_null(strstr(scr, "tracing"), "it started tracing first:\n%s", scr);
	free(scr);
	TMUX_DO("kill-server");
	unlink(rc);
	free(rc);
	free(code);
}
