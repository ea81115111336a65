// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The parts of --stacks that need no kernel: joining walks, maps, aggregation, rendering. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/values.h"
#include "lib/json.h"
#include "stacks/ksyms.h"
#include "stacks/maps.h"
#include "stacks/stacks_priv.h"
#include "stacks/table.h"
#include "stacks/unwind.h"
#include "diff/json_read.h"
#include "memstream.h"

static void expect_frames(const __u64 *got, int n, const __u64 *want, int nwant)
{
	cr_assert_eq(n, nwant, "%d frames, expected %d", n, nwant);
	for (int i = 0; i < n; i++)
		cr_expect_eq(got[i], want[i], "frame %d: %llx, expected %llx", i,
			     (unsigned long long)got[i], (unsigned long long)want[i]);
}

/* The true stack: 0 (syscall), 1, 2 (frameless libc wrappers' callers), 3 .. 9. */
Test(stacks_unit, splice_adds_the_walk_past_the_window)
{
	__u64 cfi[] = { 0x10, 0x11, 0x12, 0x13 }, fp[] = { 0x10, 0x13, 0x14, 0x15, 0x16 };
	__u64 want[] = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16 }, out[16];

	expect_frames(out, unwind_splice(cfi, 4, fp, 5, out, 16), want, 7);
}

Test(stacks_unit, splice_keeps_frames_the_walk_skipped)
{
	/* The window ends before the walk's first return address: all of the walk follows. */
	__u64 cfi[] = { 0x10, 0x11, 0x12 }, fp[] = { 0x10, 0x13, 0x14 };
	__u64 want[] = { 0x10, 0x11, 0x12, 0x13, 0x14 }, out[16];

	expect_frames(out, unwind_splice(cfi, 3, fp, 3, out, 16), want, 5);
}

Test(stacks_unit, splice_follows_recursion_in_order)
{
	/* A recursion repeats one return address: matched one by one, none lost. */
	__u64 cfi[] = { 0x10, 0x11, 0x20, 0x30, 0x30 };
	__u64 fp[] = { 0x10, 0x20, 0x30, 0x30, 0x30, 0x30, 0x40 };
	__u64 want[] = { 0x10, 0x11, 0x20, 0x30, 0x30, 0x30, 0x30, 0x40 }, out[16];

	expect_frames(out, unwind_splice(cfi, 5, fp, 7, out, 16), want, 8);
}

Test(stacks_unit, splice_without_a_walk_is_the_window)
{
	__u64 cfi[] = { 0x10, 0x11 }, out[4];

	expect_frames(out, unwind_splice(cfi, 2, NULL, 0, out, 4), cfi, 2);
	/* and never past out's size */
	cr_expect_eq(unwind_splice(cfi, 2, cfi, 2, out, 1), 1);
}

Test(stacks_unit, maps_lines)
{
	char a[] = "7f1c2a000000-7f1c2a1d5000 r-xp 00028000 fd:01 1835033    "
		   "/usr/lib/x86_64-linux-gnu/libc.so.6\n";
	char b[] = "55d0c0a00000-55d0c0a01000 r--p 00000000 08:02 42 /tmp/a b (deleted)\n";
	char c[] = "7ffd1c1f0000-7ffd1c1f2000 r-xp 00000000 00:00 0                  [vdso]\n";
	char d[] = "7ffd1c1f0000 r-xp 00000000 00:00 0\n";
	struct maps_line l;

	cr_assert_eq(maps_parse_line(a, &l), 0);
	cr_expect_eq(l.start, 0x7f1c2a000000ULL);
	cr_expect_eq(l.end, 0x7f1c2a1d5000ULL);
	cr_expect_eq(l.pgoff, 0x28000);
	cr_expect_eq(l.major, 0xfd);
	cr_expect_eq(l.minor, 1);
	cr_expect_eq(l.inode, 1835033);
	cr_expect(l.exec);
	cr_expect_str_eq(l.path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	cr_assert_eq(maps_parse_line(b, &l), 0);
	cr_expect(!l.exec);
	cr_expect_str_eq(l.path, "/tmp/a b (deleted)");
	cr_assert_eq(maps_parse_line(c, &l), 0);
	cr_expect_str_eq(l.path, "[vdso]");
	cr_expect_eq(l.inode, 0);
	cr_expect_eq(maps_parse_line(d, &l), -EINVAL);
}

Test(stacks_unit, load_bias)
{
	/* A PIE: text at file offset 0x1000 loaded at vaddr 0x1000. */
	struct module pie = { .nsegs = 2, .segs = { { 0, 0, 0x800 }, { 0x1000, 0x1000, 0x2345 } } };
	/* A shared library whose text is at a different offset than its vaddr. */
	struct module lib = { .nsegs = 2,
			      .segs = { { 0, 0, 0x2000 }, { 0x2100, 0x3100, 0x5000 } } };
	struct module exe = { .exec_type = true, .nsegs = 1, .segs = { { 0, 0x400000, 0x1000 } } };

	cr_expect_eq(module_bias(&pie, 0x555555555000ULL, 0x1000), 0x555555554000ULL);
	cr_expect_eq(module_bias(&pie, 0x555555554000ULL, 0), 0x555555554000ULL);
	/* The mapping of the page holding offset 0x2100 starts at offset 0x2000: vaddr 0x3000. */
	cr_expect_eq(module_bias(&lib, 0x7f0000003000ULL, 0x2000), 0x7f0000000000ULL);
	cr_expect_eq(module_bias(&exe, 0x400000, 0), 0);
}

static struct stack_key *key_of(int nr, const char *comm, int n, const __u64 *pcs)
{
	struct stack_key *k = calloc(1, sizeof(*k) + n * sizeof(k->frames[0]));

	k->nr = nr;
	k->exe = -1;
	k->kstack = -1;
	snprintf(k->comm, sizeof(k->comm), "%s", comm);
	for (int i = 0; i < n; i++)
		k->frames[k->nframes++] = (struct frame_ref){ .mod = 1, .addr = pcs[i] };
	return k;
}

Test(stacks_unit, table_aggregates_weighted_samples)
{
	__u64 a[] = { 1, 2, 3 }, b[] = { 1, 2, 4 };
	struct stack_key *ka = key_of(7, "x", 3, a), *kb = key_of(7, "x", 3, b),
			 *kc = key_of(7, "y", 3, a);
	struct stack_sample slow = { .dur_ns = 500, .weight = 1, .time_ns = 500 };
	struct stack_sample fast = { .dur_ns = 10, .weight = 10, .time_ns = 100 };
	struct stack_sample fail = { .dur_ns = 20, .error = true, .weight = 1, .time_ns = 20 };
	const struct stack_entry *e;
	struct stack_table *t;

	cr_assert_eq(stack_table__new(2, &t), 0);
	cr_assert_eq(stack_table__add(t, ka, &slow), 0);
	cr_assert_eq(stack_table__add(t, ka, &fast), 0);
	cr_assert_eq(stack_table__add(t, ka, &fail), 0);
	cr_assert_eq(stack_table__add(t, kb, &fast), 0);
	/* A third code path (another command) does not fit in a table of two. */
	cr_expect_eq(stack_table__add(t, kc, &slow), -ENOSPC);
	cr_assert_eq(stack_table__count(t), 2);
	e = stack_table__at(t, 0);
	cr_expect_eq(e->captured, 3);
	cr_expect_float_eq(e->calls, 12, 1e-9);
	cr_expect_float_eq(e->errors, 1, 1e-9);
	cr_expect_eq(e->time_ns, 620);
	cr_expect_eq(e->max_ns, 500);
	cr_expect_eq(stack_table__at(t, 1)->captured, 1);
	stack_table__free(t);
	free(ka);
	free(kb);
	free(kc);
}

Test(stacks_unit, durations)
{
	static const struct {
		const char *s;
		__u64 ns;
	} ok[] = { { "5ms", 5000000 },	 { "100us", 100000 },  { "2.5us", 2500 },
		   { "1s", 1000000000 }, { "0.5", 500000000 }, { "7ns", 7 },
		   { "1e3us", 1000000 } };
	static const char *const bad[] = { "5 ms", "-1ms", "ms", "5m", "", " 5ms", "0ns", "1h" };
	__u64 ns;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_expect_eq(value_duration(ok[i].s, 1, 3600000000000ULL, &ns), 0, "%s", ok[i].s);
		cr_expect_eq(ns, ok[i].ns, "%s: %llu", ok[i].s, (unsigned long long)ns);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(value_duration(bad[i], 1, 3600000000000ULL, &ns), -EINVAL, "'%s'",
			     bad[i]);
	cr_expect_eq(value_duration("5s", 1, 1000000000ULL, &ns), -EINVAL, "above the maximum");
}

Test(stacks_unit, kallsyms)
{
	char path[] = "/tmp/sysray-ksyms-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	const char *mod, *name;
	struct ksyms *k;

	fputs("ffffffff81000000 T _stext\nffffffff81001000 t do_thing\n"
	      "ffffffff81002000 D some_data\nffffffffc0001000 t mod_fn\t[mymod]\n",
	      f);
	fclose(f);
	cr_assert_eq(ksyms__load(path, &k), 0);
	name = ksyms__find(k, 0xffffffff81001234ULL, &mod);
	cr_expect_str_eq(name, "do_thing");
	cr_expect_null(mod);
	/* Data symbols do not end a function. */
	cr_expect_str_eq(ksyms__find(k, 0xffffffff81002010ULL, &mod), "do_thing");
	cr_expect_str_eq(ksyms__find(k, 0xffffffffc0001010ULL, &mod), "mod_fn");
	cr_expect_str_eq(mod, "mymod");
	cr_expect_null(ksyms__find(k, 0x1000, &mod));
	ksyms__free(k);
	/* kptr_restrict: every address reads as zero. */
	f = fopen(path, "w");
	fputs("0000000000000000 T _stext\n0000000000000000 t do_thing\n", f);
	fclose(f);
	cr_expect_eq(ksyms__load(path, &k), -EPERM);
	unlink(path);
}

/* A view of three code paths of one syscall, two commands: folded and JSON must agree. */
static void fill_view(struct stacks *s, struct vframe *fr, struct module *m)
{
	static struct vstack by_comm[3], merged[2];

	fr[0] = (struct vframe){ .func = "__schedule", .kernel = true, .addr = 0xffff1 };
	fr[1] = (struct vframe){ .func = "read", .file = "/src/read.c", .line = 26, .mod = m };
	fr[2] = (struct vframe){
		.func = "helper", .file = "/src/a.c", .line = 7, .inlined = true, .mod = m
	};
	fr[3] = (struct vframe){ .func = "work;x", .file = "/src/a.c", .line = 30, .mod = m };
	fr[4] = (struct vframe){ .mod = NULL, .addr = 0x1234 };
	by_comm[0] = (struct vstack){ .nr = 0,
				      .comm = "a\033b",
				      .captured = 3,
				      .time_ns = 3000,
				      .max_ns = 2000,
				      .calls = 3,
				      .frames = fr,
				      .nframes = 4 };
	by_comm[1] = (struct vstack){ .nr = 0,
				      .comm = "c",
				      .captured = 2,
				      .time_ns = 500,
				      .max_ns = 300,
				      .calls = 40,
				      .errors = 2,
				      .frames = fr,
				      .nframes = 4 };
	by_comm[2] = (struct vstack){ .nr = 0,
				      .comm = "c",
				      .captured = 1,
				      .time_ns = 77,
				      .max_ns = 77,
				      .calls = 1.4,
				      .frames = fr + 4,
				      .nframes = 1 };
	merged[0] = by_comm[0];
	merged[0].comm = NULL;
	merged[0].captured = 5, merged[0].time_ns = 3500, merged[0].calls = 43;
	merged[0].errors = 2;
	merged[1] = by_comm[2];
	merged[1].comm = NULL;
	s->view = (struct stack_view){
		.by_comm = by_comm, .n_by_comm = 3, .merged = merged, .n_merged = 2, .captured = 6
	};
	s->o.cfg.mode = SYSRAY_STACKS_FP;
	s->o.cfg.period_ns = 100000;
}

Test(stacks_unit, folded_and_json_agree)
{
	struct module m = { .name = "app", .path = "/bin/app" };
	struct vframe fr[5];
	struct stacks s = { 0 };
	struct json_value *root, *stacks;
	struct json_writer w;
	struct mem folded, json;
	char err[128], *text, *line, *save = NULL;
	long long folded_ns = 0, json_ns = 0;

	fill_view(&s, fr, &m);
	mem_open(&folded);
	cr_assert_eq(stacks_folded(&s, folded.f), 0);
	text = mem_text(&folded);
	cr_expect(strstr(text, "a\\33b;work:x;helper_[i];read;read;__schedule_[k] 3000\n"), "%s",
		  text);
	cr_expect(strstr(text, "c;[unknown];read 77\n"), "%s", text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		folded_ns += atoll(strrchr(line, ' ') + 1);
	free(text);

	mem_open(&json);
	json_writer__init(&w, json.f, 0);
	json_writer__begin_object(&w);
	cr_assert_eq(stacks_json_syscall(&s, &w, 0, 0), 0);
	json_writer__end_object(&w);
	cr_assert_eq(json_writer__end(&w), 0);
	text = mem_text(&json);
	cr_assert_eq(json_parse(text, strlen(text), &root, err, sizeof(err)), 0, "%s", err);
	stacks = (struct json_value *)json_get(root, "stacks");
	cr_assert_eq(stacks->n, 2);
	for (size_t i = 0; i < stacks->n; i++)
		json_ns += json_get(stacks->items[i], "total_ns")->uint;
	cr_expect_eq(folded_ns, json_ns);
	cr_expect_eq(json_get(stacks->items[0], "calls")->uint, 43);
	cr_expect_eq(json_get(stacks->items[1], "calls")->uint, 1); /* 1.4 rounds to 1 */
	cr_expect_eq(json_get(stacks->items[0], "frames")->n, 4);
	json_value_free(root);
	free(text);
}
