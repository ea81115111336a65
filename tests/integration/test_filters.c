// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Scope filters applied in the kernel, against workloads whose syscalls are known. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "harness.h"
#include "minijson.h"

/* Profile a command with extra options; returns the parsed JSON report. */
static struct json_value *json_of(char *const opts[], char *const wl[])
{
	struct proc_result r;
	struct json_value *root = sysray_json(opts, wl, &r);

	proc_result_free(&r);
	return root;
}

static long long calls_of(const struct json_value *root, const char *name)
{
	return mj_num(mj_find_syscall(root, name, "x86_64"), "calls", 0);
}

static long long errors_of(const struct json_value *root, const char *name)
{
	return mj_num(mj_find_syscall(root, name, "x86_64"), "errors", 0);
}

static int nr_syscalls(const struct json_value *root)
{
	struct json_value *arr = mj_get(root, "syscalls");

	return arr ? (int)arr->n : -1;
}

TestSuite(filters, .timeout = 120, .fini = bg_cleanup);

Test(filters, trace_set_selects_exact_rows)
{
	char *opts[] = { "-e", "trace=openat,getppid", NULL };
	char *wl[] = { (char *)workload("known"), "getppid=321", "enoent=17", "write=9", NULL };
	struct json_value *root = json_of(opts, wl);

	cr_expect_eq(calls_of(root, "getppid"), 321);
	cr_expect_eq(errors_of(root, "openat"), 17);
	cr_expect_geq(calls_of(root, "openat"), 18, "the /dev/null open and the loader's");
	cr_expect_null(mj_find_syscall(root, "write", "x86_64"));
	cr_expect_eq(nr_syscalls(root), 2);
	cr_expect_not_null(mj_get(root, "filters"));
	mj_free(root);
}

Test(filters, trace_class_and_negation)
{
	char *file[] = { "-e", "trace=%file", NULL };
	char *neg[] = { "-e", "trace=!getppid", NULL };
	char *wl[] = { (char *)workload("known"), "getppid=100", "enoent=12", "write=4", NULL };
	struct json_value *root = json_of(file, wl);

	cr_expect_eq(errors_of(root, "openat"), 12);
	cr_expect_eq(calls_of(root, "execve"), 1);
	cr_expect_null(mj_find_syscall(root, "getppid", "x86_64"));
	cr_expect_null(mj_find_syscall(root, "write", "x86_64"), "write is %desc, not %file");
	mj_free(root);

	root = json_of(neg, wl);
	cr_expect_null(mj_find_syscall(root, "getppid", "x86_64"));
	cr_expect_eq(calls_of(root, "write"), 4);
	cr_expect_eq(errors_of(root, "openat"), 12);
	mj_free(root);
}

Test(filters, failed_only_and_errno)
{
	char *failed[] = { "-Z", NULL };
	char *enoent[] = { "--errno", "ENOENT", NULL };
	char *eacces[] = { "--errno", "EACCES", NULL };
	char *ok[] = { "-z", NULL };
	char *wl[] = { (char *)workload("known"), "getppid=10", "enoent=23", "write=3", NULL };
	struct json_value *root;

	root = json_of(failed, wl);
	cr_expect_eq(calls_of(root, "openat"), 23);
	cr_expect_eq(errors_of(root, "openat"), 23);
	cr_expect_null(mj_find_syscall(root, "getppid", "x86_64"));
	cr_expect_null(mj_find_syscall(root, "exit_group", "x86_64"), "never returns: no result");
	mj_free(root);

	root = json_of(enoent, wl);
	cr_expect_eq(calls_of(root, "openat"), 23);
	cr_expect_null(mj_find_syscall(root, "write", "x86_64"));
	mj_free(root);

	root = json_of(eacces, wl);
	cr_expect_eq(nr_syscalls(root), 0);
	mj_free(root);

	root = json_of(ok, wl);
	cr_expect_eq(calls_of(root, "getppid"), 10);
	cr_expect_eq(calls_of(root, "write"), 3);
	cr_expect_eq(errors_of(root, "openat"), 0);
	mj_free(root);
}

Test(filters, comm_matches_exactly)
{
	char *yes[] = { "--comm", "known", NULL };
	char *no[] = { "--comm", "know", NULL };
	char *wl[] = { (char *)workload("known"), "getppid=77", NULL };
	struct json_value *root;

	root = json_of(yes, wl);
	cr_expect_eq(calls_of(root, "getppid"), 77);
	mj_free(root);
	root = json_of(no, wl);
	cr_expect_null(mj_find_syscall(root, "getppid", "x86_64"));
	mj_free(root);
}

/* System-wide sysray with opts, running fn while it traces; returns its JSON. */
static struct json_value *system_wide(char *const opts[], void (*fn)(void *), void *ctx)
{
	char *out = tmp_path(".json");
	char *argv[40] = { (char *)sysray_bin(), "-a", "--format", "json", "-o", out };
	struct bg_proc s;
	struct proc_result sr;
	struct json_value *root;
	char *text;
	int n = 6;

	for (int i = 0; opts[i]; i++)
		argv[n++] = opts[i];
	argv[n] = NULL;
	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000), "sysray did not attach");
	fn(ctx);
	kill(s.pid, SIGINT);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_assert_eq(sr.status, 0, "%s", sr.err);
	text = read_file(out);
	root = mj_parse(text);
	cr_assert_not_null(root, "%s", text);
	unlink(out);
	free(out);
	free(text);
	proc_result_free(&sr);
	return root;
}

static void run_as_nobody_and_root(void *ctx)
{
	char *a[] = { (char *)workload("known"), "getppid=250", NULL };
	char *b[] = { (char *)workload("known"), "getppid=400", NULL };
	struct proc_result r;

	(void)ctx;
	cr_assert_eq(run_proc(a, 65534, &r), 0);
	cr_assert_eq(r.status, 0);
	proc_result_free(&r);
	cr_assert_eq(run_proc(b, -1, &r), 0);
	proc_result_free(&r);
}

Test(filters, uid_sees_one_user)
{
	char *opts[] = { "--uid", "nobody", NULL };
	struct json_value *root = system_wide(opts, run_as_nobody_and_root, NULL);

	cr_expect_eq(calls_of(root, "getppid"), 250);
	mj_free(root);
}

Test(filters, tid_sees_one_thread)
{
	char *wl[] = { (char *)workload("known"), "wait", "getppid=300", "thread=200", NULL };
	char pid[16], tid[16], *out = tmp_path(".json");
	struct bg_proc w, s;
	struct proc_result wr, sr;
	struct json_value *root;
	char *text;

	cr_assert_eq(bg_start(wl, &w), 0);
	cr_assert(bg_wait_for(w.out_fd, "ready", 10000));
	snprintf(pid, sizeof(pid), "%d", w.pid);
	snprintf(tid, sizeof(tid), "%d", w.pid); /* the main thread */
	char *argv[] = { (char *)sysray_bin(), "-p",   pid,  "--tid", tid,
			 "--format",	       "json", "-o", out,     NULL };

	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000));
	cr_assert_eq(write(w.in_fd, "g", 1), 1);
	cr_assert_eq(bg_finish(&w, &wr), 0);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_assert_eq(sr.status, 0, "%s", sr.err);
	text = read_file(out);
	root = mj_parse(text);
	cr_assert_not_null(root, "%s", text);
	cr_expect_eq(calls_of(root, "getppid"), 300, "the thread's 200 are not counted");
	mj_free(root);
	unlink(out);
	free(out);
	free(text);
	proc_result_free(&wr);
	proc_result_free(&sr);
}

/* The cgroup v2 mount point, from /proc/mounts. */
static char cg_mount[256], cg_dir[512], cg_sub[600];

static void find_cgroup2(void)
{
	char dev[256], dir[256], type[64];
	FILE *f = fopen("/proc/mounts", "r");

	cg_mount[0] = 0;
	while (f && fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "cgroup2") && !cg_mount[0])
			snprintf(cg_mount, sizeof(cg_mount), "%s", dir);
	if (f)
		fclose(f);
}

static void cgroup_setup(void)
{
	find_cgroup2();
	if (!cg_mount[0])
		return;
	snprintf(cg_dir, sizeof(cg_dir), "%s/sysray-test-%d", cg_mount, getpid());
	snprintf(cg_sub, sizeof(cg_sub), "%s/inner", cg_dir);
	mkdir(cg_dir, 0755);
	mkdir(cg_sub, 0755);
}

/* Removed even when the test failed: the workloads have exited by then. */
static void cgroup_teardown(void)
{
	if (!cg_mount[0])
		return;
	rmdir(cg_sub);
	rmdir(cg_dir);
}

/* Run a workload, inside cgroup dir if given. */
static void run_in_cgroup(const char *dir, const char *arg)
{
	pid_t pid = fork();
	int st;

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char path[700], buf[16];
		int fd, n;

		if (dir) {
			snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
			fd = open(path, O_WRONLY);
			n = snprintf(buf, sizeof(buf), "%d", getpid());
			if (fd < 0 || write(fd, buf, n) != n)
				_exit(99);
			close(fd);
		}
		execl(workload("known"), "known", arg, (char *)NULL);
		_exit(98);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "workload status %d", st);
}

static void inside_and_outside(void *ctx)
{
	(void)ctx;
	run_in_cgroup(cg_sub, "getppid=333");
	run_in_cgroup(NULL, "getppid=555");
}

Test(filters, cgroup_subtree, .init = cgroup_setup, .fini = cgroup_teardown)
{
	char rel[300];
	char *opts[] = { "--cgroup", rel, NULL };
	struct json_value *root;

	if (!cg_mount[0])
		cr_skip_test("no cgroup v2 hierarchy is mounted");
	/* the parent cgroup, given relative to the mount: its grandchild's tasks count */
	snprintf(rel, sizeof(rel), "%s", cg_dir + strlen(cg_mount) + 1);
	root = system_wide(opts, inside_and_outside, NULL);
	cr_expect_eq(calls_of(root, "getppid"), 333);
	mj_free(root);
}

Test(filters, bad_values_are_one_line_errors)
{
	char *sc[] = { "-e", "trace=getppid,nosuchcall", "--", "/bin/true", NULL };
	char *cls[] = { "-e", "trace=%nosuchclass", "--", "/bin/true", NULL };
	char *cg[] = { "--cgroup", "/tmp", "--", "/bin/true", NULL };
	char *user[] = { "--uid", "no-such-user-sysray", "--", "/bin/true", NULL };
	char *err[] = { "--errno", "ENOSUCH", "--", "/bin/true", NULL };

	expect_error(sc, -1, "nosuchcall");
	expect_error(cls, -1, "%nosuchclass");
	expect_error(cg, -1, "not a cgroup v2 directory");
	expect_error(user, -1, "no-such-user-sysray");
	expect_error(err, -1, "ENOSUCH");
}
