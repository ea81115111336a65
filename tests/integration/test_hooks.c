// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --hooks: trampolines on the selected syscalls' functions count what the tracepoints
 * count, and a run falls back to the tracepoints where trampolines cannot be used. Needs
 * root.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "minijson.h"

/* The oracle workload: every kind of call the counts must agree on. */
#define ORACLE                                                                                     \
	(char *)workload("known"), "getppid=1000", "enoent=50", "write=20", "fork=30",             \
	    "thread=40", "seccomp=25", "blocked=2", "x32=3", "badnr=2", NULL
/*
 * Nine functions: eight syscalls and the unimplemented one (x32's getpid on a kernel
 * without x32, and the numbers no kernel has).
 */
#define ORACLE_SET                                                                                 \
	"trace=getppid,openat,write,read,exit_group,wait4,execve,getpid,syscall_out_of_range"

TestSuite(hooks, .timeout = 120);

/* sysray --hooks H -e SET --format json -- oracle: status, JSON (NULL on failure), stderr. */
static struct json_value *run_hooks(const char *hooks, const char *set, char **err)
{
	char *out = tmp_path(".json");
	char *argv[32] = { (char *)sysray_bin(), "--hooks", (char *)hooks, "-e", (char *)set,
			   "--format",		 "json",    "-o",	   out,	 "--" };
	char *wl[] = { ORACLE };
	struct json_value *root = NULL;
	struct proc_result r;
	char *text;
	int n = 10;

	for (int i = 0; wl[i]; i++)
		argv[n++] = wl[i];
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	text = r.status == 0 ? read_file(out) : NULL;
	if (text) {
		root = mj_parse(text);
		cr_assert_not_null(root, "%s", text);
	}
	*err = strdup(r.err);
	unlink(out);
	free(out);
	free(text);
	proc_result_free(&r);
	return root;
}

/* Every syscall entry of a equals b's: calls, errors, unfinished. */
static void expect_same_rows(struct json_value *a, struct json_value *b)
{
	struct json_value *sa = mj_get(a, "syscalls"), *sb = mj_get(b, "syscalls");

	cr_assert(sa && sb);
	cr_expect_eq(sa->n, sb->n, "%zu rows with trampolines, %zu with tracepoints", sa->n, sb->n);
	for (size_t i = 0; i < sa->n; i++) {
		const char *name = mj_str(sa->items[i], "name"), *abi = mj_str(sa->items[i], "abi");
		struct json_value *o = mj_find_syscall(b, name, abi);

		cr_expect_not_null(o, "%s (%s): only with trampolines", name, abi);
		if (!o)
			continue;
		cr_expect_eq(mj_num(sa->items[i], "calls", -1), mj_num(o, "calls", -2), "%s calls",
			     name);
		cr_expect_eq(mj_num(sa->items[i], "errors", -1), mj_num(o, "errors", -2),
			     "%s errors", name);
		cr_expect_eq(mj_num(sa->items[i], "unfinished", -1), mj_num(o, "unfinished", -2),
			     "%s unfinished", name);
	}
}

Test(hooks, trampolines_count_what_the_tracepoints_count)
{
	struct json_value *tp, *tr;
	char *err;

	tp = run_hooks("tracepoints", ORACLE_SET, &err);
	cr_assert_not_null(tp, "%s", err);
	free(err);
	cr_expect_str_eq(mj_str(tp, "hooks"), "tracepoints");
	/* the oracle's own counts, as the core tests check them */
	cr_expect_eq(mj_num(mj_find_syscall(tp, "getppid", "x86_64"), "calls", -1), 1095);
	cr_expect_eq(mj_num(mj_find_syscall(tp, "getppid", "x86_64"), "errors", -1), 25);
	cr_expect_eq(mj_num(mj_find_syscall(tp, "read", "x86_64"), "unfinished", -1), 2);
	cr_expect_eq(mj_num(mj_find_syscall(tp, "exit_group", "x86_64"), "unfinished", -1), 2);
	cr_expect_eq(mj_num(mj_find_syscall(tp, "syscall_out_of_range", "x86_64"), "errors", -1),
		     4);
	tr = run_hooks("trampolines", ORACLE_SET, &err);
	if (!tr && strstr(err, "the kernel refuses fentry programs")) {
		mj_free(tp);
		cr_skip_test("this kernel refuses fentry/fexit programs: %s", err);
	}
	cr_assert_not_null(tr, "%s", err);
	free(err);
	cr_expect_str_eq(mj_str(tr, "hooks"), "trampolines");
	expect_same_rows(tr, tp);
	expect_same_rows(tp, tr);
	mj_free(tp);
	mj_free(tr);
}

Test(hooks, auto_falls_back_to_the_tracepoints)
{
	struct json_value *a, *big;
	const char *h;
	char *err;

	/* a small set: trampolines where the kernel allows them, else tracepoints; exact */
	a = run_hooks("auto", "trace=getppid,openat", &err);
	cr_assert_not_null(a, "%s", err);
	cr_expect_str_eq(err, "", "a fallback is silent");
	free(err);
	h = mj_str(a, "hooks");
	cr_expect(h && (!strcmp(h, "tracepoints") || !strcmp(h, "trampolines")), "hooks: %s", h);
	cr_expect_eq(mj_num(mj_find_syscall(a, "getppid", "x86_64"), "calls", -1), 1095);
	cr_expect_eq(mj_num(mj_find_syscall(a, "openat", "x86_64"), "errors", -1), 50);
	mj_free(a);
	/* a set of many syscalls always takes the tracepoints */
	big = run_hooks("auto", "trace=%file,getppid", &err);
	cr_assert_not_null(big, "%s", err);
	free(err);
	cr_expect_str_eq(mj_str(big, "hooks"), "tracepoints");
	cr_expect_eq(mj_num(mj_find_syscall(big, "getppid", "x86_64"), "calls", -1), 1095);
	mj_free(big);
}

Test(hooks, forced_trampolines_say_why_they_cannot)
{
	char *none[] = { "--hooks", "trampolines", "true", NULL };
	char *bad[] = { "--hooks", "fentry", "true", NULL };

	expect_error(none, -1, "cannot hook the syscalls with trampolines: no -e trace= set");
	expect_error(bad, -1, "invalid --hooks: 'fentry' (auto, tracepoints or trampolines)");
}
