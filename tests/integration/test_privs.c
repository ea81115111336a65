// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* -u USER (strace's meaning), and the capabilities sysray keeps once it is attached. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "harness.h"
#include "minijson.h"

TestSuite(privs, .timeout = 60, .fini = bg_cleanup);

/* What `id` prints for a user that initgroups(3) set up: uid=, gid= and groups=. */
static void expected_id(const char *user, char *buf, size_t len)
{
	struct passwd *pw = getpwnam(user);
	gid_t groups[64];
	int n = 64, k;

	cr_assert_not_null(pw);
	cr_assert_geq(getgrouplist(user, pw->pw_gid, groups, &n), 0);
	k = snprintf(buf, len, "uid=%u(%s) gid=%u(%s) groups=", pw->pw_uid, user, pw->pw_gid,
		     getgrgid(pw->pw_gid)->gr_name);
	for (int i = 0; i < n; i++)
		k += snprintf(buf + k, len - k, "%s%u(%s)", i ? "," : "", groups[i],
			      getgrgid(groups[i])->gr_name);
}

Test(privs, u_runs_the_command_as_the_user_with_its_groups)
{
	char *opts[] = { "-u", "nobody", NULL }, *id[] = { "/usr/bin/id", NULL };
	char want[512];
	struct proc_result r;
	char *text;

	expected_id("nobody", want, sizeof(want));
	text = sysray_report(opts, id, &r);
	cr_expect_eq(strncmp(r.out, want, strlen(want)), 0, "id said: %s, expected %s", r.out,
		     want);
	cr_expect(strstr(text, "execve"), "%s", text);
	free(text);
	proc_result_free(&r);
}

Test(privs, u_counts_exactly_and_uid_filters_by_user)
{
	char *as_nobody[] = { "-u", "nobody", "--uid", "nobody", "-U", "calls,errors,name", NULL };
	char *as_root[] = { "--uid", "nobody", "-U", "calls,errors,name", NULL };
	char *wl[] = { (char *)workload("known"), "getppid=123", NULL };
	struct report_rows rows;
	struct proc_result r;
	char *text;

	/* run as nobody: its calls are nobody's */
	text = sysray_report(as_nobody, wl, &r);
	parse_report(text, &rows);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 123, "%s", text);
	free(rows.rows);
	free(text);
	proc_result_free(&r);
	/* run as root: none of its calls pass --uid nobody */
	text = sysray_report(as_root, wl, &r);
	parse_report(text, &rows);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 0, "%s", text);
	free(rows.rows);
	free(text);
	proc_result_free(&r);
}

Test(privs, u_needs_a_command_and_a_known_user)
{
	char *with_p[] = { "-u", "nobody", "-p", "1", NULL };
	char *with_a[] = { "-a", "-u", "nobody", NULL };
	char *unknown[] = { "-u", "no-such-user-sysray", "--", "/bin/true", NULL };

	expect_error(with_p, -1, "with -p or -a, --uid USER counts only the calls of USER's tasks");
	expect_error(with_a, -1, "--uid USER");
	expect_error(unknown, -1, "-u: unknown user 'no-such-user-sysray'");
}

Test(privs, u_without_cap_setuid_says_why)
{
	char *argv[] = { "/usr/bin/setpriv",
			 "--bounding-set=-setuid,-setgid",
			 (char *)sysray_bin(),
			 "-u",
			 "nobody",
			 "-o",
			 "/dev/null",
			 "--",
			 "/bin/true",
			 NULL };
	struct proc_result r;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_expect_eq(r.status, 127);
	cr_expect_str_eq(r.err, "sysray: error: cannot run '/bin/true' as nobody: Operation not "
				"permitted\n");
	proc_result_free(&r);
}

/* The value of a "Key:\t..." line of /proc/PID/status. */
static void status_field(pid_t pid, const char *key, char *out, size_t len)
{
	char path[64], *text, *p;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	text = read_file(path);
	cr_assert_not_null(text);
	p = strstr(text, key);
	cr_assert_not_null(p, "no %s in %s", key, path);
	p += strlen(key) + 1;
	while (*p == '\t' || *p == ' ')
		p++;
	snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
	free(text);
}

static void expect_field(pid_t pid, const char *key, const char *want)
{
	char v[64];

	status_field(pid, key, v, sizeof(v));
	cr_expect_str_eq(v, want, "%s of sysray", key);
}

Test(privs, attached_sysray_keeps_no_capability_in_pid_mode)
{
	char *wl[] = { (char *)workload("known"), "wait", "getppid=3", NULL };
	char pid[16];
	struct bg_proc w, s;
	struct proc_result wr, sr;

	cr_assert_eq(bg_start(wl, &w), 0);
	cr_assert(bg_wait_for(w.out_fd, "ready", 10000));
	snprintf(pid, sizeof(pid), "%d", w.pid);
	char *argv[] = { (char *)sysray_bin(), "-v", "-p", pid, "-o", "/dev/null", NULL };

	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: capabilities kept: none", 20000));
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000));
	expect_field(s.pid, "CapEff:", "0000000000000000");
	expect_field(s.pid, "CapPrm:", "0000000000000000");
	expect_field(s.pid, "CapInh:", "0000000000000000");
	expect_field(s.pid, "CapAmb:", "0000000000000000");
	expect_field(s.pid, "CapBnd:", "0000000000000000");
	expect_field(s.pid, "NoNewPrivs:", "1");
	/* and it still polls, kicks, reads and stops: the counts are exact */
	cr_assert_eq(write(w.in_fd, "g", 1), 1);
	cr_assert_eq(bg_finish(&w, &wr), 0);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 0, "%s", sr.err);
	proc_result_free(&wr);
	proc_result_free(&sr);
}

Test(privs, command_mode_keeps_cap_kill_to_pass_signals_on)
{
	char *argv[] = { (char *)sysray_bin(),
			 "-v",
			 "-u",
			 "nobody",
			 "-o",
			 "/dev/null",
			 "--",
			 "/bin/sh",
			 "-c",
			 "grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/$PPID/status; "
			 "grep NoNewPrivs /proc/self/status; exec sleep 30",
			 NULL };
	struct bg_proc s;
	struct proc_result r;

	cr_assert_eq(bg_start(argv, &s), 0);
	/* CAP_KILL is bit 5; the command itself was forked before and has no no_new_privs */
	cr_assert(bg_wait_for(s.out_fd, "CapEff:\t0000000000000020", 20000));
	cr_assert(bg_wait_for(s.out_fd, "CapBnd:\t0000000000000020", 5000));
	cr_assert(bg_wait_for(s.out_fd, "NoNewPrivs:\t1", 5000));
	cr_assert(bg_wait_for(s.out_fd, "NoNewPrivs:\t0", 5000));
	/* sleep runs as nobody: passing SIGTERM on to it is what CAP_KILL is kept for */
	kill(s.pid, SIGTERM);
	cr_assert_eq(bg_finish(&s, &r), 0);
	cr_expect_eq(r.status, 128 + SIGTERM, "the command did not get SIGTERM: %s", r.err);
	proc_result_free(&r);
}

/* sysray -v -o DIR/r.txt -- true, with DIR as given: what it kept, and the report is there. */
static void report_into(const char *dir, const char *kept)
{
	char out[256], *argv[] = { (char *)sysray_bin(), "-v", "-o", out, "--", "/bin/true", NULL };
	struct proc_result r;
	char *text;

	snprintf(out, sizeof(out), "%s/r.txt", dir);
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, kept), "expected '%s' in: %s", kept, r.err);
	text = read_file(out);
	cr_expect(text && strstr(text, "total"), "no report in %s", out);
	free(text);
	proc_result_free(&r);
}

Test(privs, the_rename_at_the_end_keeps_what_it_needs)
{
	char priv[] = "/tmp/sysray-privs-XXXXXX", sticky[] = "/tmp/sysray-privs-XXXXXX";
	char other[300], cmd[700];

	/* a home directory of another user: root writes there only with CAP_DAC_OVERRIDE */
	cr_assert_not_null(mkdtemp(priv));
	cr_assert_eq(chown(priv, 65534, 65534), 0);
	cr_assert_eq(chmod(priv, 0700), 0);
	report_into(priv, "capabilities kept: CAP_DAC_OVERRIDE,CAP_KILL\n");
	/* a sticky directory of another user, a file of a third: replacing it needs CAP_FOWNER */
	cr_assert_not_null(mkdtemp(sticky));
	cr_assert_eq(chown(sticky, 65534, 65534), 0);
	cr_assert_eq(chmod(sticky, 01777), 0);
	snprintf(other, sizeof(other), "%s/r.txt", sticky);
	fclose(fopen(other, "w"));
	cr_assert_eq(chown(other, 1, 1), 0);
	report_into(sticky, "capabilities kept: CAP_FOWNER,CAP_KILL\n");
	/* a directory of root's: nothing more than CAP_KILL */
	cr_assert_eq(chown(priv, 0, 0), 0);
	report_into(priv, "capabilities kept: CAP_KILL\n");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", priv, sticky);
	cr_expect_eq(system(cmd), 0);
}

/*
 * Capabilities are per thread: the HTTP server's thread, which parses what the network
 * sends, starts after they are given up (a port below 1024 is bound before), so it has none
 * of what the session thread gave up either.
 */
Test(privs, the_metrics_server_thread_runs_without_capabilities)
{
	static const char *const keys[] = { "CapEff:", "CapPrm:", "CapBnd:", "NoNewPrivs:" };
	char *argv[] = { (char *)sysray_bin(), "-v", "-a", "--listen", "127.0.0.1:999",
			 "-o", "/dev/null", NULL };
	char task[64], main_v[64], v[64];
	struct bg_proc s;
	struct proc_result sr;
	struct dirent *d;
	int threads = 0;
	DIR *dir;

	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "serving metrics on http://127.0.0.1:999/", 20000));
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000));
	/* The HTTP thread starts at the first tick of the poll loop: wait for it to appear. */
	snprintf(task, sizeof(task), "/proc/%d/task", s.pid);
	for (int i = 0; i < 500 && threads < 2; i++) {
		threads = 0;
		dir = opendir(task);
		cr_assert_not_null(dir);
		while ((d = readdir(dir)))
			threads += atoi(d->d_name) > 0;
		closedir(dir);
		if (threads < 2)
			usleep(10000);
	}
	threads = 0;
	dir = opendir(task);
	cr_assert_not_null(dir);
	while ((d = readdir(dir))) {
		pid_t tid = atoi(d->d_name);

		if (tid <= 0)
			continue;
		threads++;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			status_field(s.pid, keys[i], main_v, sizeof(main_v));
			status_field(tid, keys[i], v, sizeof(v));
			cr_expect_str_eq(v, main_v, "%s of thread %d", keys[i], tid);
		}
	}
	closedir(dir);
	status_field(s.pid, "NoNewPrivs:", v, sizeof(v));
	cr_expect_str_eq(v, "1");
	cr_expect_geq(threads, 2, "no HTTP thread");
	kill(s.pid, SIGTERM);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 0, "%s", sr.err);
	proc_result_free(&sr);
}
