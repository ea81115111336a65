// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --stacks reports of the known workload (tests/workloads/stacks.c) with -Z: the text
 * section's frames as `func (file:line)` with [inlined] marks and its per-stack numbers, the
 * JSON frames' every member, and the capture's losses in the text as the JSON counts them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "minijson.h"

TestSuite(stacks_report, .timeout = 120);

/* NAME=LINE of the workload's call sites ("stacks lines"); not the first of them. */
static int line_of(const char *name)
{
	char *argv[] = { (char *)workload("stacks"), "lines", NULL };
	char key[64];
	struct proc_result r;
	const char *p;
	int line = -1;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(r.out, key);
	if (p)
		sscanf(p + strlen(key), "%d", &line);
	proc_result_free(&r);
	cr_assert_gt(line, 0, "no %s in the workload's lines", name);
	return line;
}

/* The build-id of a file as readelf prints it, hex. */
static void build_id(const char *path, char *out, size_t len)
{
	char cmd[600];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -n '%s' | sed -n 's/.*Build ID: //p'", path);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(out, len, p));
	out[strcspn(out, "\n")] = 0;
	pclose(p);
	cr_assert_gt(strlen(out), 8);
}

/*
 * -Z: only failed calls are traced, so only they get stacks. The two failing opens of
 * fail_open(), through the inlined open_missing(), are one code path of 2 calls and 2
 * errors, framed at their lines; no sleep (they succeed) has a stack.
 */
Test(stacks_report, text_frames_of_failing_calls_with_Z)
{
	char *opts[] = { "--stacks", "-Z", NULL };
	char *wl[] = { (char *)workload("stacks"), "run", "0", "2", NULL };
	char helper[128], caller[128];
	struct proc_result r;
	const char *frame, *hdr;
	char *text;

	snprintf(helper, sizeof(helper), "\n      open_missing (stacks.c:%d) [inlined]\n",
		 line_of("helper"));
	snprintf(caller, sizeof(caller), "      fail_open (stacks.c:%d)\n", line_of("open"));
	text = sysray_report(opts, wl, &r);
	frame = strstr(text, helper);
	cr_assert_not_null(frame, "no inlined frame at its line:\n%s", text);
	cr_expect_eq(strncmp(frame + strlen(helper), caller, strlen(caller)), 0,
		     "the inlined helper's caller is not next:\n%s", text);
	/* The stack's header: the last "  #N  calls" before the frame. */
	for (hdr = frame; hdr > text && strncmp(hdr, "\n  #", 4); hdr--)
		;
	cr_assert_gt(hdr, text);
	cr_expect_eq(strncmp(strchr(hdr + 4, ' '), "  calls 2  errors 2  total ", 27), 0,
		     "header: %.60s", hdr + 1);
	cr_expect(strstr(hdr, "  max "), "header: %.60s", hdr + 1);
	cr_expect(strstr(text, "\nopenat: "), "no openat section:\n%s", text);
	cr_expect_null(strstr(text, "\nclock_nanosleep: "), "a successful call got a stack");
	free(text);
	proc_result_free(&r);
}

/* The same in JSON: every member of a frame, the program's with its build-id. */
Test(stacks_report, json_frames_have_every_member)
{
	char *opts[] = { "--stacks", "-Z", NULL };
	char *wl[] = { (char *)workload("stacks"), "run", "0", "2", NULL };
	const char *exe = workload("stacks");
	const struct json_value *sc, *stacks;
	struct json_value *root;
	struct proc_result r;
	char id[128];
	int checked = 0;

	build_id(exe, id, sizeof(id));
	root = sysray_json(opts, wl, &r);
	sc = mj_find_syscall(root, "openat", "x86_64");
	cr_assert_not_null(sc);
	stacks = mj_get(sc, "stacks");
	cr_assert(stacks && stacks->n > 0);
	for (size_t i = 0; i < stacks->n; i++) {
		const struct json_value *st = stacks->items[i], *fr = mj_get(st, "frames");

		cr_expect_eq(mj_num(st, "errors", -1), mj_num(st, "calls", -2), "-Z: all failed");
		cr_expect_gt(mj_num(st, "total_ns", 0), 0);
		cr_expect_gt(mj_num(st, "max_ns", 0), 0);
		cr_expect_leq(mj_num(st, "max_ns", 0), mj_num(st, "total_ns", 0));
		for (size_t j = 0; j < fr->n; j++) {
			const struct json_value *f = fr->items[j];
			const char *mod = mj_str(f, "module");

			cr_expect_gt(mj_num(f, "addr", 0), 0);
			cr_expect_not_null(mj_get(f, "inlined"));
			cr_expect_not_null(mj_get(f, "build_id"));
			if (!mod || strcmp(mod, exe) || !mj_str(f, "func") ||
			    strcmp(mj_str(f, "func"), "fail_open"))
				continue;
			cr_expect_str_eq(mj_str(f, "build_id"), id);
			cr_expect(strstr(mj_str(f, "file"), "tests/workloads/stacks.c"), "%s",
				  mj_str(f, "file"));
			cr_expect_eq(mj_num(f, "line", 0), line_of("open"));
			checked++;
		}
	}
	cr_expect_eq(checked, 1, "fail_open in one code path");
	mj_free(root);
	proc_result_free(&r);
}

/* Past --stack-rate, the text says how many calls got no stack, as it says drops. */
Test(stacks_report, text_reports_what_was_not_captured)
{
	char *opts[] = { "--stacks", "--stack-min-duration", "1ns", "--stack-rate", "5", NULL };
	char *wl[] = { (char *)workload("storm"), "200000", NULL };
	struct proc_result r;
	unsigned long long n = 0;
	const char *p;
	char *text;

	text = sysray_report(opts, wl, &r);
	p = strstr(text, "  not captured: ");
	cr_assert_not_null(p, "%s", text);
	cr_expect_eq(sscanf(p, "  not captured: %llu over the rate limit (5/s per CPU)", &n), 1,
		     "%s", p);
	cr_expect_gt(n, 0);
	free(text);
	proc_result_free(&r);
}

/*
 * A program without DWARF (strip --strip-debug keeps .symtab): its frames still name their
 * functions, from the symbol table, without file and line; the report says which modules
 * had no debug info.
 */
Test(stacks_report, symbol_table_names_functions_without_dwarf)
{
	char *dir = tmp_path(".s"), prog[512], cmd[4096];
	char *opts[] = { "--stacks", "--stack-min-duration", "10ms", NULL };
	char *wl[] = { prog, "run", "1", "0", NULL };
	const struct json_value *sc, *stacks;
	struct json_value *root;
	struct proc_result r;
	int named = 0, nodwarf = 0;
	const char *p;
	char *text;

	snprintf(prog, sizeof(prog), "%s/prog", dir);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s' && cp '%s' '%s' && strip --strip-debug '%s' && "
		 "! readelf -S '%s' | grep -q debug_info && nm '%s' | grep -q slow_sleep",
		 dir, workload("stacks"), prog, prog, prog, prog);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	root = sysray_json(opts, wl, &r);
	sc = mj_find_syscall(root, "clock_nanosleep", "x86_64");
	cr_assert_not_null(sc);
	stacks = mj_get(sc, "stacks");
	for (size_t i = 0; i < stacks->n; i++) {
		const struct json_value *fr = mj_get(stacks->items[i], "frames");

		for (size_t j = 0; j < fr->n; j++) {
			const struct json_value *f = fr->items[j];
			const char *mod = mj_str(f, "module"), *func = mj_str(f, "func");

			if (!mod || strcmp(mod, prog) || !func || strcmp(func, "slow_sleep"))
				continue;
			cr_expect_null(mj_str(f, "file"), "a file without DWARF: %s",
				       mj_str(f, "file"));
			named++;
		}
	}
	cr_expect_geq(named, 1, "slow_sleep not named from .symtab");
	mj_free(root);
	proc_result_free(&r);
	text = sysray_report(opts, wl, &r);
	cr_expect(strstr(text, "      slow_sleep [prog]\n"), "%s", text);
	p = strstr(text, "modules without debug info: ");
	cr_expect(p &&
		      sscanf(p, "modules without debug info: %d (functions only)", &nodwarf) == 1 &&
		      nodwarf >= 1,
		  "%s", text);
	free(text);
	proc_result_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
	free(dir);
}
