// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --stacks against the real BPF programs and a workload whose known functions, at lines it
 * reports itself, make known slow and failing calls (tests/workloads/stacks.c): attributed
 * to exactly those functions and lines, with frame pointers and in DWARF mode, through libc
 * and through an inlined helper; a child that exits long before the report; a stripped
 * binary with its debug info found by build-id; folded output; the sampling estimates.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "harness.h"
#include "minijson.h"

TestSuite(stacks, .timeout = 120);

/* The workload's call sites, as it reports them ("stacks lines"). */
struct lines {
	int sleep, open, helper, child, main_sleep, thread_sleep, deep_leaf, deep_rec, deep_call,
	    depth;
};

static struct lines lines_of(const char *prog)
{
	char *argv[] = { (char *)prog, "lines", NULL };
	struct proc_result r;
	struct lines l;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(sscanf(r.out,
			    "sleep=%d open=%d helper=%d child=%d main_sleep=%d thread_sleep=%d "
			    "deep_leaf=%d deep_rec=%d deep_call=%d depth=%d",
			    &l.sleep, &l.open, &l.helper, &l.child, &l.main_sleep, &l.thread_sleep,
			    &l.deep_leaf, &l.deep_rec, &l.deep_call, &l.depth),
		     10, "%s", r.out);
	cr_assert(l.depth > 0 && l.depth < 64);
	proc_result_free(&r);
	return l;
}

/* A frame the test expects: function, line (0: any), inlined. */
struct want {
	const char *func;
	int line;
	bool inlined;
};

static bool frame_is(const struct json_value *f, const struct want *w)
{
	const char *func = mj_str(f, "func");
	const struct json_value *inl = mj_get(f, "inlined");

	return func && !strcmp(func, w->func) && (!w->line || mj_num(f, "line", -1) == w->line) &&
	       inl && inl->type == JSON_BOOL && inl->boolean == w->inlined;
}

/* The index of the first frame of the program itself (module exe), or -1. */
static int first_in(const struct json_value *frames, const char *exe)
{
	for (size_t i = 0; i < frames->n; i++) {
		const char *m = mj_str(frames->items[i], "module");

		if (m && !strcmp(m, exe))
			return i;
	}
	return -1;
}

/*
 * Calls of syscall's stacks whose frames in the program start with w[0..n): the innermost
 * frame of the program is w[0], its caller w[1]... Also checks what comes before: a frame
 * of libc (the call went through it).
 */
static long long path_calls(const struct json_value *root, const char *syscall, const char *exe,
			    const struct want *w, int n)
{
	const struct json_value *sc = mj_find_syscall(root, syscall, "x86_64"), *stacks;
	long long calls = 0;

	cr_assert_not_null(sc, "no %s in the report", syscall);
	stacks = mj_get(sc, "stacks");
	cr_assert(stacks && stacks->type == JSON_ARRAY, "%s has no stacks[]", syscall);
	for (size_t i = 0; i < stacks->n; i++) {
		const struct json_value *frames = mj_get(stacks->items[i], "frames");
		int k = first_in(frames, exe), j;
		const char *libc;

		if (k < 1 || (size_t)(k + n) > frames->n)
			continue;
		for (j = 0; j < n && frame_is(frames->items[k + j], &w[j]); j++)
			;
		if (j < n)
			continue;
		libc = mj_str(frames->items[k - 1], "module");
		cr_expect(libc && strstr(libc, "libc.so"), "frame before the program's: %s",
			  libc ? libc : "null");
		calls += mj_num(stacks->items[i], "calls", 0);
	}
	return calls;
}

/* The slow sleeps (20 ms) of "stacks run 3 2", each where it was made. */
static void expect_sleeps(const struct json_value *root, const char *exe, const struct lines *l)
{
	struct want main_path[] = { { "slow_sleep", l->sleep, false },
				    { "run", l->main_sleep, false },
				    { "main", 0, false } };
	struct want thread_path[] = { { "slow_sleep", l->sleep, false },
				      { "thread_main", l->thread_sleep, false } };
	struct want child_path[] = { { "child_sleep", l->child, false }, { "run", 0, false } };

	cr_expect_eq(path_calls(root, "clock_nanosleep", exe, main_path, 3), 3,
		     "the sleeps of slow_sleep called from run");
	cr_expect_eq(path_calls(root, "clock_nanosleep", exe, thread_path, 2), 3,
		     "the sleeps of slow_sleep called from the thread");
	/* The child exited 300 ms before the parent: its maps were kept. */
	cr_expect_eq(path_calls(root, "clock_nanosleep", exe, child_path, 2), 1,
		     "the sleep of the child that exited");
}

/*
 * The sleep at the bottom of the recursion, deeper than frame-pointer mode's stack window:
 * every level of the recursion, then its caller.
 */
static void expect_deep(const struct json_value *root, const char *exe, const struct lines *l)
{
	struct want w[64 + 3];
	int n = 0;

	w[n++] = (struct want){ "slow_sleep", l->sleep, false };
	w[n++] = (struct want){ "deep", l->deep_leaf, false };
	for (int i = 0; i < l->depth; i++)
		w[n++] = (struct want){ "deep", l->deep_rec, false };
	w[n++] = (struct want){ "run", l->deep_call, false };
	cr_expect_eq(path_calls(root, "clock_nanosleep", exe, w, n), 1,
		     "the sleep at the bottom of a recursion %d deep", l->depth);
}

/* The failing opens, through the inlined helper: both frames, at their lines. */
static void expect_opens(const struct json_value *root, const char *exe, const struct lines *l,
			 long long n)
{
	struct want path[] = { { "open_missing", l->helper, true },
			       { "fail_open", l->open, false },
			       { "run", 0, false } };
	const struct json_value *sc = mj_find_syscall(root, "openat", "x86_64");

	cr_expect_eq(path_calls(root, "openat", exe, path, 3), n);
	cr_assert_not_null(sc);
	cr_expect_geq(mj_num(sc, "errors", 0), n);
}

/* extra: more options (NULL-terminated list of up to two), or NULL. */
static void attributed(const char *name, const char *mode, const char *x1, const char *x2)
{
	const char *prog = workload(name);
	bool dwarf = !strcmp(mode, "dwarf");
	/* DWARF mode copies 16 KiB of stack: the recursion's 10 KiB and what is above it. */
	char *slow[] = { "--stacks",
			 "--stack-mode",
			 (char *)mode,
			 "--stack-min-duration",
			 "10ms",
			 dwarf ? "--stack-size" : (char *)x1,
			 dwarf ? "16K" : (char *)x2,
			 NULL };
	char *fails[] = { "--stacks", "--stack-mode", (char *)mode, "--errno",
			  "ENOENT",   (char *)x1,     (char *)x2,   NULL };
	char *wl[] = { (char *)prog, "run", "3", "2", NULL };
	struct lines l = lines_of(prog);
	struct json_value *root;
	struct proc_result r;

	root = sysray_json(slow, wl, &r);
	expect_sleeps(root, prog, &l);
	expect_deep(root, prog, &l);
	cr_expect_eq(mj_num(mj_get(root, "stack_capture"), "throttled", -1), 0);
	/* With a stack map of one entry, every other walk came whole in its event. */
	if (x1)
		cr_expect_gt(
		    mj_num(mj_get(mj_get(root, "stack_capture"), "user_stack_map"), "collided", 0),
		    0);
	mj_free(root);
	proc_result_free(&r);

	root = sysray_json(fails, wl, &r);
	expect_opens(root, prog, &l, 2);
	mj_free(root);
	proc_result_free(&r);
}

Test(stacks, frame_pointers_attribute_known_functions_and_lines)
{
	attributed("stacks", "fp", NULL, NULL);
}

Test(stacks, walks_that_do_not_fit_the_stack_map_come_in_their_events)
{
	attributed("stacks", "fp", "--stack-map-size", "1");
}

Test(stacks, dwarf_mode_attributes_a_binary_without_frame_pointers)
{
	attributed("stacks_nofp", "dwarf", NULL, NULL);
}

/* sh -c CMD, which must succeed. */
static void sh(const char *cmd)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	struct proc_result r;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "%s: %s", cmd, r.err);
	proc_result_free(&r);
}

/*
 * A stripped copy of the workload (no .symtab, no DWARF), its debug info in DIR/.build-id
 * only: with --debug-dir DIR its frames have their functions and lines; without, none.
 */
Test(stacks, stripped_binary_uses_debug_info_found_by_build_id)
{
	char *dir = tmp_path(".d"), cmd[8192], prog[512], dbg[512];
	char *with[] = { "--stacks", "--stack-min-duration", "10ms", "--debug-dir", dbg, NULL };
	char *without[] = { "--stacks", "--stack-min-duration", "10ms", NULL };
	char *wl[] = { prog, "run", "3", "0", NULL };
	struct lines l = lines_of(workload("stacks"));
	struct want main_path[] = { { "slow_sleep", l.sleep, false },
				    { "run", l.main_sleep, false } };
	struct json_value *root, *sc, *frames;
	struct proc_result r;
	int k;

	snprintf(prog, sizeof(prog), "%s/prog", dir);
	snprintf(dbg, sizeof(dbg), "%s/debug", dir);
	snprintf(
	    cmd, sizeof(cmd),
	    "set -e; mkdir -p %s; cp %s %s; objcopy --only-keep-debug %s %s.debug; "
	    "strip --strip-all %s; id=$(readelf -n %s | sed -n 's/.*Build ID: //p'); "
	    "test -n \"$id\"; d=%s/.build-id/$(echo $id | cut -c1-2); mkdir -p $d; "
	    "mv %s.debug $d/$(echo $id | cut -c3-).debug; ! nm %s 2>/dev/null | grep -q slow_sleep",
	    dbg, workload("stacks"), prog, prog, prog, prog, prog, dbg, prog, prog);
	sh(cmd);

	root = sysray_json(with, wl, &r);
	cr_expect_eq(path_calls(root, "clock_nanosleep", prog, main_path, 2), 3);
	mj_free(root);
	proc_result_free(&r);

	/* Without the debug directory: the program's frames are bare addresses. */
	root = sysray_json(without, wl, &r);
	sc = mj_find_syscall(root, "clock_nanosleep", "x86_64");
	cr_assert_not_null(sc);
	frames = mj_get(mj_get(sc, "stacks")->items[0], "frames");
	k = first_in(frames, prog);
	cr_assert_geq(k, 0);
	cr_expect_null(mj_str(frames->items[k], "func"), "a function without debug info: %s",
		       mj_str(frames->items[k], "func"));
	cr_expect_gt(mj_num(frames->items[k], "addr", 0), 0);
	mj_free(root);
	proc_result_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	sh(cmd);
	free(dir);
}

/* One folded line: "comm;frame;...;syscall VALUE". */
static bool parse_folded(char *line, char **frames, long long *value)
{
	char *sp = strrchr(line, ' '), *end;

	if (!sp || sp == line)
		return false;
	*value = strtoll(sp + 1, &end, 10);
	if (*end || end == sp + 1 || *value < 0)
		return false;
	*sp = 0;
	*frames = line;
	return true;
}

/* The last frame before the kernel's (which end in _[k]): the syscall. */
static const char *folded_syscall(char *frames, char *buf, size_t len)
{
	char *tok, *save = NULL, *prev = NULL;

	for (tok = strtok_r(frames, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		size_t n = strlen(tok);

		if (n > 4 && !strcmp(tok + n - 4, "_[k]"))
			break;
		prev = tok;
	}
	snprintf(buf, len, "%s", prev ? prev : "");
	return buf;
}

/* The sum of the values of the folded lines of a syscall; every line must parse. */
static long long folded_sum(const char *text, const char *syscall, int *lines)
{
	char *copy = strdup(text), *line, *save = NULL;
	long long sum = 0;

	*lines = 0;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *frames, name[64];
		long long v;

		cr_assert(parse_folded(line, &frames, &v), "not a folded line: '%s'", line);
		cr_expect(strchr(frames, ';'), "no frames: '%s'", line);
		for (const char *p = line; *p; p++)
			cr_assert(isprint((unsigned char)*p), "unprintable byte in '%s'", line);
		(*lines)++;
		if (!strcmp(folded_syscall(frames, name, sizeof(name)), syscall))
			sum += v;
	}
	free(copy);
	return sum;
}

/*
 * The folded lines parse, and their counts are the calls that qualified: 3 + 3 slow sleeps,
 * one at the bottom of the recursion, the child's and run's 300 ms pause (9 in all); in
 * time they add up to what the JSON report says of the same kind of run.
 */
Test(stacks, folded_lines_parse_and_add_up)
{
	char *calls[] = { "--stacks", "--stack-min-duration", "10ms",  "--format",
			  "folded",   "--folded-value",	      "calls", "--kernel-stacks",
			  NULL };
	char *times[] = { "--stacks", "--stack-min-duration", "10ms", "--format", "folded", NULL };
	char *json[] = { "--stacks", "--stack-min-duration", "10ms", NULL };
	char *wl[] = { (char *)workload("stacks"), "run", "3", "0", NULL };
	const struct json_value *sc, *stacks;
	struct json_value *root;
	struct proc_result r;
	long long sum, jsum = 0, jcalls = 0;
	char *text;
	int n;

	text = sysray_report(calls, wl, &r);
	cr_expect_eq(folded_sum(text, "clock_nanosleep", &n), 9, "%s", text);
	cr_expect_geq(n, 5, "%s", text);
	cr_expect(strstr(text, "do_nanosleep_[k]"), "no kernel frames: %s", text);
	free(text);
	proc_result_free(&r);

	/* In time: at least the 9 sleeps asked for, and like the JSON's sum of its stacks. */
	text = sysray_report(times, wl, &r);
	sum = folded_sum(text, "clock_nanosleep", &n);
	cr_expect_geq(sum, 7 * 20000000LL + 300000000LL, "%s", text);
	free(text);
	proc_result_free(&r);
	root = sysray_json(json, wl, &r);
	sc = mj_find_syscall(root, "clock_nanosleep", "x86_64");
	stacks = mj_get(sc, "stacks");
	for (size_t i = 0; i < stacks->n; i++) {
		jsum += mj_num(stacks->items[i], "total_ns", 0);
		jcalls += mj_num(stacks->items[i], "calls", 0);
	}
	/* Every call qualifies: the stacks cover the syscall's calls and time, as folded does. */
	cr_expect_eq(jcalls, 9);
	cr_expect_eq(jcalls, mj_num(sc, "calls", -1));
	cr_expect_eq(jsum, mj_num(sc, "total_ns", -1));
	cr_expect(sum > jsum / 2 && sum < jsum * 2, "folded %lld ns, JSON %lld ns", sum, jsum);
	mj_free(root);
	proc_result_free(&r);
}

/*
 * --stacks alone samples: a getppid storm's calls, each far below the period, are captured
 * with probability duration / period and count for period / duration calls. The estimates
 * are unbiased: with thousands captured they land near the exact count and total.
 */
Test(stacks, sampled_estimates_match_the_exact_totals)
{
	/* A period of 2 ms: fewer stacks (one per 2 ms of syscall time) than the stack ring
	 * holds, however late sysray reads it. */
	char *opts[] = { "--stacks", "--stack-rate", "1000000", "--stack-period", "2ms", NULL };
	char *wl[] = { (char *)workload("storm"), "2000000", NULL };
	const struct json_value *sc, *stacks, *cap;
	struct json_value *root;
	struct proc_result r;
	double calls = 0, time = 0, exact, exact_ns;
	long long captured = 0;

	root = sysray_json(opts, wl, &r);
	cap = mj_get(root, "stack_capture");
	cr_assert_not_null(cap);
	cr_expect_str_eq(mj_str(cap, "policy"), "sampled");
	cr_expect_eq(mj_num(cap, "throttled", -1), 0);
	cr_expect_eq(mj_num(cap, "ring_full", -1), 0);
	sc = mj_find_syscall(root, "getppid", "x86_64");
	cr_assert_not_null(sc);
	exact = mj_num(sc, "calls", 0);
	exact_ns = mj_num(sc, "total_ns", 0);
	cr_assert_geq(exact, 2000000);
	stacks = mj_get(sc, "stacks");
	for (size_t i = 0; i < stacks->n; i++) {
		calls += mj_num(stacks->items[i], "calls", 0);
		time += mj_num(stacks->items[i], "total_ns", 0);
		captured += mj_num(stacks->items[i], "captured", 0);
	}
	/* A sample, not every call: about total time / period of them. */
	cr_expect(captured > 100 && captured < exact / 20, "captured %lld of %.0f", captured,
		  exact);
	cr_expect(calls > 0.75 * exact && calls < 1.25 * exact, "estimated %.0f calls, exact %.0f",
		  calls, exact);
	cr_expect(time > 0.75 * exact_ns && time < 1.25 * exact_ns,
		  "estimated %.0f ns, exact %.0f ns", time, exact_ns);
	mj_free(root);
	proc_result_free(&r);
}

/* Past --stack-rate, calls are counted as throttled: every qualifying call is accounted. */
Test(stacks, rate_limit_counts_what_it_throttles)
{
	char *opts[] = { "--stacks", "--stack-min-duration", "1ns", "--stack-rate", "5", NULL };
	char *wl[] = { (char *)workload("storm"), "200000", NULL };
	const struct json_value *cap;
	struct json_value *root;
	struct proc_result r;
	long long q, c, t;

	root = sysray_json(opts, wl, &r);
	cap = mj_get(root, "stack_capture");
	q = mj_num(cap, "qualified", -1);
	c = mj_num(cap, "captured", -1);
	t = mj_num(cap, "throttled", -1);
	/* Every call qualifies (>= 1 ns); at most 5 a second per CPU get a stack. */
	cr_expect_geq(q, 200000);
	cr_expect_gt(t, 0);
	cr_expect_gt(c, 0);
	cr_expect_eq(q,
		     c + t + mj_num(cap, "ring_full", -1) + mj_num(cap, "queue_full", -1) +
			 mj_num(cap, "table_full", -1),
		     "qualified %lld, captured %lld, throttled %lld", q, c, t);
	mj_free(root);
	proc_result_free(&r);
}

/*
 * --kernel-stacks: the kernel frames of the longest wait come first, then the user's; each
 * sleep waited in do_nanosleep, unless its kernel stack was lost, which is counted.
 */
Test(stacks, kernel_stacks_show_where_the_call_waited)
{
	char *opts[] = { "--stacks", "--stack-min-duration", "10ms", "--kernel-stacks", NULL };
	char *wl[] = { (char *)workload("stacks"), "run", "1", "0", NULL };
	const struct json_value *sc, *stacks, *lost;
	struct json_value *root;
	struct proc_result r;
	long long with_wait = 0, calls = 0, nlost;

	root = sysray_json(opts, wl, &r);
	sc = mj_find_syscall(root, "clock_nanosleep", "x86_64");
	cr_assert_not_null(sc);
	stacks = mj_get(sc, "stacks");
	for (size_t i = 0; i < stacks->n; i++) {
		const struct json_value *fr = mj_get(stacks->items[i], "frames");
		bool user = false, sleep = false;

		for (size_t j = 0; j < fr->n; j++) {
			const struct json_value *k = mj_get(fr->items[j], "kernel");
			const char *f = mj_str(fr->items[j], "func");

			cr_assert(k && k->type == JSON_BOOL);
			if (!k->boolean)
				user = true;
			cr_expect(!(k->boolean && user), "a kernel frame after a user frame");
			sleep |= k->boolean && f && !strcmp(f, "do_nanosleep");
		}
		calls += mj_num(stacks->items[i], "calls", 0);
		with_wait += sleep ? mj_num(stacks->items[i], "calls", 0) : 0;
	}
	lost = mj_get(mj_get(root, "stack_capture"), "kernel_stacks_lost");
	nlost =
	    mj_num(lost, "collided", 0) + mj_num(lost, "map_full", 0) + mj_num(lost, "failed", 0);
	/* 1 + 1 + 1 + 1 sleeps of 20 ms or more, and run's pause. */
	cr_expect_eq(calls, 5);
	cr_expect_geq(with_wait, calls - nlost, "%lld of %lld sleeps waited in do_nanosleep",
		      with_wait, calls);
	cr_expect_gt(with_wait, 0);
	mj_free(root);
	proc_result_free(&r);
}

static long long function_calls(const struct json_value *root, const char *name)
{
	const struct json_value *fns = mj_get(root, "functions");

	cr_assert(fns && fns->type == JSON_ARRAY);
	for (size_t i = 0; i < fns->n; i++)
		if (!strcmp(mj_str(fns->items[i], "function"), name))
			return mj_num(fns->items[i], "calls", -1);
	return 0;
}

/* --by-function: time in syscalls by the program's innermost function (or N of them). */
Test(stacks, by_function_table)
{
	char *one[] = { "--stacks", "--stack-min-duration", "10ms", "--by-function", NULL };
	char *two[] = { "--stacks",
			"--stack-min-duration",
			"10ms",
			"--by-function",
			"--function-depth",
			"2",
			NULL };
	char *wl[] = { (char *)workload("stacks"), "run", "3", "0", NULL };
	struct json_value *root;
	struct proc_result r;
	char *text;

	root = sysray_json(one, wl, &r);
	cr_expect_eq(function_calls(root, "slow_sleep"), 7);
	cr_expect_eq(function_calls(root, "child_sleep"), 1);
	mj_free(root);
	proc_result_free(&r);
	root = sysray_json(two, wl, &r);
	cr_expect_eq(function_calls(root, "slow_sleep <- run"), 3);
	cr_expect_eq(function_calls(root, "slow_sleep <- thread_main"), 3);
	cr_expect_eq(function_calls(root, "slow_sleep <- deep"), 1);
	mj_free(root);
	proc_result_free(&r);
	text = sysray_report(one, wl, &r);
	cr_expect(strstr(text, "Time in syscalls by function"), "%s", text);
	cr_expect(strstr(text, "  slow_sleep\n"), "%s", text);
	free(text);
	proc_result_free(&r);
}

/* Names from traced processes never reach the output raw: a command named with an escape. */
Test(stacks, untrusted_names_are_escaped)
{
	char *dir = tmp_path(".e"), prog[512], cmd[2048];
	char *folded[] = { "--stacks", "--stack-min-duration", "10ms", "--format", "folded", NULL };
	char *text[] = { "--stacks", "--stack-min-duration", "10ms", NULL };
	char *wl[] = { prog, "run", "1", "0", NULL };
	struct proc_result r;
	char *out;

	snprintf(prog, sizeof(prog), "%s/st\033[1mx", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s' '%s'", dir, workload("stacks"), prog);
	sh(cmd);
	for (int k = 0; k < 2; k++) {
		out = sysray_report(k ? text : folded, wl, &r);
		cr_expect_null(strchr(out, '\033'), "a raw escape in the report:\n%s", out);
		cr_expect(strstr(out, "st\\33[1mx"), "the escaped name is not there:\n%s", out);
		free(out);
		proc_result_free(&r);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	sh(cmd);
	free(dir);
}

Test(stacks, bad_options)
{
	char *a[] = { "--stack-min-duration", "5ms", "--", "/bin/true", NULL };
	char *b[] = { "--format", "folded", "--", "/bin/true", NULL };
	char *c[] = { "--stacks", "--stack-mode", "lbr", "--", "/bin/true", NULL };
	char *d[] = { "--stacks", "--stack-min-duration", "5 ms", "--", "/bin/true", NULL };
	char *e[] = { "--stacks", "--stack-size", "4K", "--", "/bin/true", NULL };
	char *f[] = { "--stacks", "--stack-mode", "dwarf",     "--stack-size",
		      "1000",	  "--",		  "/bin/true", NULL };

	expect_error(a, -1, "the stack options need --stacks");
	expect_error(b, -1, "--format folded needs --stacks");
	expect_error(c, -1, "invalid --stack-mode: 'lbr'");
	expect_error(d, -1, "invalid --stack-min-duration: '5 ms'");
	expect_error(e, -1, "--stack-size needs --stack-mode dwarf");
	expect_error(f, -1, "invalid --stack-size: '1000'");
}
