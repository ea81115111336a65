// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sysray inside a pid namespace (a container): exact counts in every mode, and every pid it
 * takes or reports is a pid of its own namespace. Also -p targets that exit, or whose pid
 * is given to another process, while sysray starts. Needs root (unshare, nsenter).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "harness.h"
#include "minijson.h"

TestSuite(pidns, .timeout = 120);

/* The detail entry of process pid (-P), or NULL. */
static struct json_value *process_detail(const struct json_value *root, long pid)
{
	struct json_value *arr = mj_get(root, "processes_detail");

	for (size_t i = 0; arr && i < arr->n; i++)
		if (mj_num(arr->items[i], "pid", -1) == pid)
			return arr->items[i];
	return NULL;
}

static long calls(const struct json_value *root, const char *name)
{
	return mj_num(mj_find_syscall(root, name, "x86_64"), "calls", 0);
}

static struct json_value *read_json(const char *path)
{
	char *text = read_file(path);
	struct json_value *root;

	cr_assert_not_null(text, "no report at %s", path);
	root = mj_parse(text);
	cr_assert_not_null(root, "not JSON: %s", text);
	free(text);
	unlink(path);
	return root;
}

/* unshare -p -f --mount-proc sysray -- known: the command is pid 2, sysray pid 1. */
Test(pidns, command_mode_counts_exactly_with_namespace_pids)
{
	char *out = tmp_path(".json");
	char *argv[] = { "/usr/bin/unshare",
			 "-p",
			 "-f",
			 "--mount-proc",
			 (char *)sysray_bin(),
			 "-P",
			 "--format",
			 "json",
			 "-o",
			 out,
			 "--",
			 (char *)workload("known"),
			 "getppid=1000",
			 "enoent=50",
			 "write=20",
			 "fork=30",
			 "thread=40",
			 "exec=5",
			 NULL };
	struct json_value *root, *p;
	struct proc_result r;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "sysray in a pid namespace failed: %s", r.err);
	root = read_json(out);
	/* the same numbers as outside (core::exact_counts_of_known_workload) */
	cr_expect_eq(calls(root, "getppid"), 1075);
	cr_expect_eq(mj_num(mj_find_syscall(root, "openat", "x86_64"), "errors", -1), 50);
	cr_expect_eq(calls(root, "write"), 20);
	cr_expect_eq(calls(root, "execve"), 2);
	cr_expect_eq(calls(root, "exit_group"), 2);
	cr_expect_eq(mj_num(root, "processes", -1), 2);
	/* the command's pid as the namespace numbers it, not the host's */
	p = process_detail(root, 2);
	cr_expect_not_null(p, "no process 2 (the command) in the report");
	/* known execs itself as /proc/self/exe */
	if (p)
		cr_expect_str_eq(mj_str(p, "comm"), "exe");
	for (size_t i = 0; i < mj_get(root, "processes_detail")->n; i++)
		cr_expect_lt(mj_num(mj_get(root, "processes_detail")->items[i], "pid", 0), 10,
			     "a pid from outside the namespace");
	mj_free(root);
	free(out);
	proc_result_free(&r);
}

/* -p -f inside the namespace, with the namespace's pid of a waiting workload. */
Test(pidns, pid_mode_takes_and_reports_namespace_pids)
{
	char *wl[] = { (char *)workload("known"), "wait", "getppid=500", "fork=20", NULL };
	char *out = tmp_path(".json"), *argv[48], *sargv[48], pidbuf[16];
	struct proc_result wr, sr;
	struct bg_proc w, s;
	struct json_value *root, *p;
	struct pidns ns;
	pid_t nspid;

	pidns_start(&ns);
	pidns_argv(&ns, wl, argv);
	cr_assert_eq(bg_start(argv, &w), 0);
	cr_assert(bg_wait_for(w.out_fd, "ready", 10000), "workload did not start");
	nspid = ns_pid_of(child_of(w.pid));
	cr_assert(nspid > 1 && nspid < 100, "pid %d in the new namespace", nspid);
	snprintf(pidbuf, sizeof(pidbuf), "%d", nspid);
	char *sys[] = { (char *)sysray_bin(), "-p",   pidbuf, "-f", "-P",
			"--format",	      "json", "-o",   out,  NULL };
	pidns_argv(&ns, sys, sargv);
	cr_assert_eq(bg_start(sargv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000), "sysray did not attach");
	cr_assert_eq(write(w.in_fd, "g", 1), 1);
	cr_assert_eq(bg_finish(&w, &wr), 0);
	cr_expect_eq(wr.status, 0);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 0, "sysray: %s", sr.err);
	root = read_json(out);
	cr_expect_eq(calls(root, "getppid"), 520);
	cr_expect_eq(mj_num(root, "processes", -1), 2);
	p = process_detail(root, nspid);
	cr_expect_not_null(p, "process %d is not in the report by its namespace pid", nspid);
	mj_free(root);
	pidns_stop(&ns);
	free(out);
	proc_result_free(&wr);
	proc_result_free(&sr);
}

/*
 * -a inside the namespace: every task of the namespace and nothing else. The host makes
 * getppid calls at the same time (this workload, and whatever else runs on the machine);
 * none is counted, and sysray's own calls (bpf, epoll_wait) are not either.
 */
Test(pidns, system_mode_sees_the_namespace_only)
{
	char *out = tmp_path(".json"), *argv[48], *wargv[48];
	char *sys[] = { (char *)sysray_bin(), "-a",   "-d", "3", "-P",
			"--format",	      "json", "-o", out, NULL };
	char *inside[] = { (char *)workload("known"), "getppid=4321", NULL };
	char *outside[] = { (char *)workload("known"), "getppid=999", "fork=111", NULL };
	struct proc_result sr, wr, hr;
	struct json_value *root, *arr;
	struct pidns ns;
	struct bg_proc s;

	pidns_start(&ns);
	pidns_argv(&ns, sys, argv);
	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000), "sysray did not attach");
	cr_assert_eq(run_proc(outside, -1, &hr), 0);
	pidns_argv(&ns, inside, wargv);
	cr_assert_eq(run_proc(wargv, -1, &wr), 0);
	cr_expect_eq(wr.status, 0);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 0, "sysray: %s", sr.err);
	root = read_json(out);
	cr_expect_str_eq(mj_str(mj_get(root, "target"), "mode"), "system");
	cr_expect_eq(calls(root, "getppid"), 4321, "only the namespace's getppid calls");
	cr_expect_null(mj_find_syscall(root, "bpf", "x86_64"), "sysray traced itself");
	/* the only process of the namespace that ran: the workload (init sleeps throughout) */
	cr_expect_eq(mj_num(root, "processes", -1), 1);
	arr = mj_get(root, "processes_detail");
	cr_assert(arr && arr->n == 1, "one process expected");
	cr_expect_str_eq(mj_str(arr->items[0], "comm"), "known");
	cr_expect_lt(mj_num(arr->items[0], "pid", 0), 100, "a pid from outside the namespace");
	mj_free(root);
	pidns_stop(&ns);
	free(out);
	proc_result_free(&sr);
	proc_result_free(&wr);
	proc_result_free(&hr);
}

/*
 * -a sees the namespaces nested in its own (a sandbox, a container in the container): a
 * workload in a child namespace of sysray's is counted, under its pid in sysray's namespace.
 */
Test(pidns, system_mode_sees_nested_namespaces)
{
	char *out = tmp_path(".json"), *argv[48], *wargv[48];
	char *sys[] = { (char *)sysray_bin(), "-a",   "-d", "3", "-P",
			"--format",	      "json", "-o", out, NULL };
	char *nested[] = { "/usr/bin/unshare", "-p", "-f", (char *)workload("known"),
			   "getppid=321", NULL };
	struct json_value *root, *arr, *k = NULL;
	struct proc_result sr, wr;
	struct pidns ns;
	struct bg_proc s;

	pidns_start(&ns);
	pidns_argv(&ns, sys, argv);
	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000), "sysray did not attach");
	pidns_argv(&ns, nested, wargv);
	cr_assert_eq(run_proc(wargv, -1, &wr), 0);
	cr_expect_eq(wr.status, 0, "%s", wr.err);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 0, "sysray: %s", sr.err);
	root = read_json(out);
	cr_expect_eq(calls(root, "getppid"), 321, "the nested namespace's getppid calls");
	arr = mj_get(root, "processes_detail");
	for (size_t i = 0; arr && i < arr->n; i++)
		if (!strcmp(mj_str(arr->items[i], "comm"), "known"))
			k = arr->items[i];
	cr_assert_not_null(k, "the nested workload is not in the report");
	/* pid 1 of its own namespace; in sysray's, a pid after the init's */
	cr_expect_gt(mj_num(k, "pid", 0), 1, "a pid of the nested namespace");
	cr_expect_lt(mj_num(k, "pid", 0), 100, "a pid from outside sysray's namespace");
	mj_free(root);
	pidns_stop(&ns);
	free(out);
	proc_result_free(&sr);
	proc_result_free(&wr);
}

/* Wait (up to 20 s) until process pid has an fd linked to target. */
static bool wait_for_fd(pid_t pid, const char *target)
{
	for (int i = 0; i < 20000; i++) {
		if (proc_has_fd(pid, target))
			return true;
		usleep(1000);
	}
	return false;
}

/*
 * A -p target that dies while sysray starts, its pid then given to another process (the
 * namespace's ns_last_pid makes that certain): sysray named the first process, so it fails
 * with "no such process" and never traces the second. sysray is stopped once it holds the
 * target (its pidfd is open) and before it attaches (no BPF link yet).
 */
Test(pidns, a_target_gone_before_tracing_is_an_error_and_its_pid_is_not_traced)
{
	char *out = tmp_path(".json"), *argv[48], pidbuf[16], lastbuf[64];
	char *wl[] = { (char *)workload("known"), "wait", NULL };
	char *decoy[] = { (char *)workload("known"), "nap=300", "getppid=777", NULL };
	struct proc_result tr, sr, dr, lr;
	struct bg_proc t, s, d;
	pid_t tpid, spid, p;
	struct pidns ns;
	bool attached;

	pidns_start(&ns);
	pidns_argv(&ns, wl, argv);
	cr_assert_eq(bg_start(argv, &t), 0);
	cr_assert(bg_wait_for(t.out_fd, "ready", 10000), "workload did not start");
	tpid = child_of(t.pid);
	p = ns_pid_of(tpid);
	snprintf(pidbuf, sizeof(pidbuf), "%d", p);
	char *sys[] = { (char *)sysray_bin(), "-p", pidbuf, "--format", "json", "-o", out, NULL };
	pidns_argv(&ns, sys, argv);
	cr_assert_eq(bg_start(argv, &s), 0);
	spid = child_of(s.pid);
	cr_assert(wait_for_fd(spid, "anon_inode:[pidfd]"), "sysray never held the target");
	kill(spid, SIGSTOP);
	for (int i = 0; i < 10000 && !proc_stopped(spid); i++)
		usleep(1000);
	cr_assert(proc_stopped(spid), "sysray did not stop");
	attached = proc_has_fd(spid, "anon_inode:bpf_link");

	/* the target dies and is reaped; the namespace's next process gets its pid */
	kill(tpid, SIGKILL);
	cr_assert_eq(bg_finish(&t, &tr), 0);
	snprintf(lastbuf, sizeof(lastbuf), "echo %d > /proc/sys/kernel/ns_last_pid", p - 1);
	char *setlast[] = { "/bin/sh", "-c", lastbuf, NULL };
	pidns_argv(&ns, setlast, argv);
	cr_assert_eq(run_proc(argv, -1, &lr), 0);
	cr_assert_eq(lr.status, 0, "cannot set ns_last_pid: %s", lr.err);
	pidns_argv(&ns, decoy, argv);
	cr_assert_eq(bg_start(argv, &d), 0);
	cr_assert_eq(ns_pid_of(child_of(d.pid)), p, "the new process did not get pid %d", p);

	/* nsenter stops itself when its child stops, and passes SIGCONT on */
	kill(s.pid, SIGCONT);
	kill(spid, SIGCONT);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_assert_eq(bg_finish(&d, &dr), 0);
	cr_expect_eq(dr.status, 0);
	if (!attached) {
		char want[128];

		snprintf(want, sizeof(want),
			 "sysray: error: cannot trace process %d: no such process\n", p);
		cr_expect_eq(sr.status, 1);
		cr_expect_str_eq(sr.err, want);
		cr_expect_neq(access(out, F_OK), 0, "a report for a process that was gone");
	} else {
		/* stopped after attaching: the target exited while traced, the run just ends */
		struct json_value *root = read_json(out);

		cr_log_warn("sysray had attached before it was stopped: checked the other order");
		cr_expect_eq(sr.status, 0, "%s", sr.err);
		cr_expect_eq(calls(root, "getppid"), 0, "the new process with pid %d was traced",
			     p);
		mj_free(root);
	}
	unlink(out);
	pidns_stop(&ns);
	free(out);
	proc_result_free(&tr);
	proc_result_free(&sr);
	proc_result_free(&dr);
	proc_result_free(&lr);
}

/*
 * The plain race: a target that exits on its own while sysray starts. Whichever comes first,
 * sysray ends: an error if the target was gone before tracing began, else the report.
 */
Test(pidns, a_target_exiting_during_start_up_never_hangs)
{
	char *wl[] = { "/bin/sleep", "0.05", NULL };
	char pidbuf[16], *out = tmp_path(".json");
	struct proc_result wr, sr;
	struct bg_proc w, s;

	cr_assert_eq(bg_start(wl, &w), 0);
	snprintf(pidbuf, sizeof(pidbuf), "%d", w.pid);
	char *argv[] = { (char *)sysray_bin(), "-p", pidbuf, "--format", "json", "-o", out, NULL };
	cr_assert_eq(bg_start(argv, &s), 0);
	/* reaped by us as its parent would: the pid is free again */
	cr_assert_eq(bg_finish(&w, &wr), 0);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	if (sr.status) {
		char want[128];

		snprintf(want, sizeof(want),
			 "sysray: error: cannot trace process %d: no such process\n", w.pid);
		cr_expect_eq(sr.status, 1);
		cr_expect_str_eq(sr.err, want);
	} else {
		struct json_value *root = read_json(out);

		cr_expect_str_eq(mj_str(mj_get(root, "target"), "mode"), "pid");
		mj_free(root);
	}
	unlink(out);
	free(out);
	proc_result_free(&wr);
	proc_result_free(&sr);
}
