// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sysray top without a terminal: its rows, their order, the filter, numbers and names. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/proc.h"
#include "session/pipeline.h"
#include "stats/aggregate.h"
#include "top/top_procs.h"
#include "top/top_rows.h"

#define NR_READ	   0
#define NR_WRITE   1
#define NR_GETPPID 110

static struct sysray_rec rec(int nr, __u64 dur, long long ret, __u32 tgid)
{
	return (
	    struct sysray_rec){ .dur_ns = dur, .ret = ret, .tgid = tgid, .tid = tgid, .nr = nr };
}

static const struct top_row *find(const struct top_rows *rs, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].name, name))
			return &rs->r[i];
	return NULL;
}

Test(top, syscall_rows_are_rates_and_exact_percentiles)
{
	struct aggregate_opts o = { .pid_max = 1 << 22 };
	struct top_rows rs = { 0 };
	const struct top_row *r;
	struct aggregate *a;

	cr_assert_eq(aggregate__new(&o, &a), 0);
	/* read: 1..100 us, every tenth fails; getppid: 300 ns, 50 calls. */
	for (int i = 1; i <= 100; i++) {
		struct sysray_rec x = rec(NR_READ, i * 1000ULL, i % 10 ? 1 : -EINTR, 1);

		cr_assert_eq(aggregate__add(a, &x, 1), 0);
	}
	for (int i = 0; i < 50; i++) {
		struct sysray_rec x = rec(NR_GETPPID, 300, 1, 1);

		cr_assert_eq(aggregate__add(a, &x, 1), 0);
	}
	cr_assert_eq(top_rows_syscalls(aggregate__profile(a), 2.0, &rs), 0);
	cr_assert_eq(rs.n, 2);
	r = find(&rs, "read");
	cr_assert_not_null(r);
	cr_expect_float_eq(r->calls_s, 50.0, 1e-9);
	cr_expect_float_eq(r->errors_s, 5.0, 1e-9);
	cr_expect_float_eq((double)r->p50, 50000, 50000 / 256.0);
	cr_expect_float_eq((double)r->p99, 99000, 99000 / 256.0);
	cr_expect_eq(r->max, 100000);
	r = find(&rs, "getppid");
	cr_assert_not_null(r);
	cr_expect_eq(r->p50, 300);
	top_rows__free(&rs);
	aggregate__free(a);
}

Test(top, coarse_latency_is_within_its_bound)
{
	struct top_lat *l = calloc(1, sizeof(*l));

	cr_assert_not_null(l);
	for (__u64 v = 1; v <= 1000000; v++)
		top_lat__add(l, v * 37);
	for (int q = 1; q <= 100; q += 7) {
		double exact = ceil(q / 100.0 * 1000000) * 37;

		cr_expect_float_eq((double)top_lat__percentile(l, q), exact, exact / 16 + 16, "p%d",
				   q);
	}
	cr_expect_eq(top_lat__percentile(l, 100), 37000000, "the top is the exact max");
	free(l);
}

static int no_comm(void *ctx, __u32 tid, char *buf, size_t len)
{
	(void)ctx, (void)tid, (void)buf, (void)len;
	return -ENOENT;
}

Test(top, process_and_cgroup_rows)
{
	struct top_procs *t;
	const struct top_proc **list;
	struct top_rows rs = { 0 };
	__u32 me = getpid();
	size_t n;

	cr_assert_eq(top_procs__new(no_comm, NULL, &t), 0);
	for (int i = 0; i < 30; i++) {
		struct sysray_rec r[] = { rec(NR_READ, 1000, 1, me),
					  rec(NR_WRITE, 2000, -EBADF, me),
					  rec(NR_READ, 500, 1, 4000001) };

		top_procs__add(t, r, 3);
	}
	n = top_procs__list(t, &list);
	cr_assert_eq(n, 2);
	cr_assert_eq(top_rows_procs(list, n, 1.0, &rs), 0);
	for (size_t i = 0; i < rs.n; i++) {
		const struct top_row *r = &rs.r[i];

		if (r->pid == me) {
			cr_expect_str_eq(r->name, "unit_tests");
			cr_expect_float_eq(r->calls_s, 60, 1e-9);
			cr_expect_float_eq(r->errors_s, 30, 1e-9);
			cr_expect_eq(r->max, 2000);
		} else {
			cr_expect_eq(r->pid, 4000001);
			cr_expect_str_eq(r->name, "?", "gone from /proc and unknown to the tracer");
		}
	}
	top_rows__clear(&rs);
	/* This process's cgroup, and the unreadable one of a process that is not there. */
	cr_assert_eq(top_rows_cgroups(list, n, 1.0, &rs), 0);
	cr_expect_eq(rs.n, 2);
	cr_expect_not_null(find(&rs, "(unknown: exited first)"));
	top_rows__free(&rs);
	/* Idle processes are forgotten after TOP_IDLE_MAX refreshes. */
	for (int i = 0; i <= TOP_IDLE_MAX + 1; i++)
		top_procs__reset(t);
	cr_expect_eq(top_procs__list(t, &list), 0);
	top_procs__free(t);
}

Test(top, rows_sort_by_any_column_and_filter_by_name)
{
	struct top_row r[] = {
		{ .name = "read", .calls_s = 10, .errors_s = 1, .p50 = 300, .p99 = 900, .max = 5 },
		{ .name = "write", .calls_s = 30, .errors_s = 0, .p50 = 100, .p99 = 990, .max = 9 },
		{ .name = "readv", .calls_s = 20, .errors_s = 2, .p50 = 200, .p99 = 100, .max = 1 },
	};
	struct top_rows rs = { .r = r, .n = 3, .cap = 3 };
	const struct top_row *out[3];

	cr_assert_eq(top_rows_select(&rs, NULL, TOP_COL_CALLS, false, out), 3);
	cr_expect_str_eq(out[0]->name, "write");
	cr_expect_str_eq(out[2]->name, "read");
	top_rows_select(&rs, "", TOP_COL_P50, false, out);
	cr_expect_str_eq(out[0]->name, "read");
	top_rows_select(&rs, NULL, TOP_COL_P99, true, out);
	cr_expect_str_eq(out[0]->name, "readv");
	top_rows_select(&rs, NULL, TOP_COL_NAME, true, out);
	cr_expect_str_eq(out[0]->name, "read");
	cr_expect_str_eq(out[1]->name, "readv");
	cr_assert_eq(top_rows_select(&rs, "REA", TOP_COL_ERRORS, false, out), 2);
	cr_expect_str_eq(out[0]->name, "readv");
	cr_expect_eq(top_rows_select(&rs, "x", TOP_COL_MAX, false, out), 0);
}

Test(top, untrusted_names_become_printable_ascii)
{
	char b[TOP_NAME_LEN];

	top_term_escape(b, sizeof(b), "\033[2Jevil\n");
	cr_expect_str_eq(b, "\\33[2Jevil\\n");
	top_term_escape(b, sizeof(b), "caf\xc3\xa9");
	cr_expect_str_eq(b, "caf\\303\\251");
	top_term_escape(b, 8, "\xc3\xa9\xc3\xa9");
	cr_expect_str_eq(b, "\\303");
}

Test(top, numbers_fit_their_columns)
{
	char b[16];

	cr_expect_str_eq(top_fmt_rate(b, sizeof(b), 0.5), "0.5");
	cr_expect_str_eq(top_fmt_rate(b, sizeof(b), 999.9), "999.9");
	cr_expect_str_eq(top_fmt_rate(b, sizeof(b), 123456.4), "123456");
	cr_expect_str_eq(top_fmt_rate(b, sizeof(b), 12.345e6), "12.35M");
	cr_expect_str_eq(top_fmt_ns(b, sizeof(b), 0), "-");
	cr_expect_str_eq(top_fmt_ns(b, sizeof(b), 850), "850ns");
	cr_expect_str_eq(top_fmt_ns(b, sizeof(b), 1250), "1.25us");
	cr_expect_str_eq(top_fmt_ns(b, sizeof(b), 45600000), "45.6ms");
	cr_expect_str_eq(top_fmt_ns(b, sizeof(b), 2500000000ULL), "2.50s");
}

Test(top, cgroup_of_proc_files)
{
	char b[64];

	cr_expect_eq(proc_cgroup_parse("0::/system.slice/ssh.service\n", b, sizeof(b)), 0);
	cr_expect_str_eq(b, "/system.slice/ssh.service");
	cr_expect_eq(proc_cgroup_parse("4:memory:/a\n1:cpu:/b\n0::/c\n", b, sizeof(b)), 0);
	cr_expect_str_eq(b, "/c", "hybrid: the v2 line");
	cr_expect_eq(proc_cgroup_parse("4:memory:/a0::/x\n1:cpu:/b\n", b, sizeof(b)), 0);
	cr_expect_str_eq(b, "/a0::/x", "v1 only: the first line; '0::' inside a path is a path");
	cr_expect_eq(proc_cgroup_parse("", b, sizeof(b)), -ENOENT);
	cr_expect_eq(proc_cgroup_parse("garbage\n", b, sizeof(b)), -ENOENT);
	cr_expect_eq(proc_cgroup(getpid(), b, sizeof(b)), 0);
	cr_expect_eq(b[0], '/');
}

/* A sink that counts its ticks and asks to stop at one of them. */
struct ticker_sink {
	int ticks;
	int stop_at;
};

static __u64 always(void *ctx)
{
	(void)ctx;
	return 1;
}

static int count_tick(void *ctx, const struct sink_tick *t)
{
	struct ticker_sink *k = ctx;

	(void)t;
	return ++k->ticks == k->stop_at ? SINK_STOP : 0;
}

static void no_free(void *ctx)
{
	(void)ctx;
}

Test(top, a_sink_can_end_tracing_and_the_others_still_tick)
{
	static const struct sink_ops ops = {
		.name = "t", .next_tick = always, .tick = count_tick, .free = no_free
	};
	struct pipeline_opts po = { .pid_max = 1 << 22 };
	struct ticker_sink a = { .stop_at = 2 }, b = { 0 };
	struct sink_tick t = { .now = 10 };
	struct pipeline *p;

	cr_assert_eq(pipeline__new(&po, &p), 0);
	cr_assert_eq(pipeline__add_sink(p, (struct sink){ .ops = &ops, .ctx = &a }), 0);
	cr_assert_eq(pipeline__add_sink(p, (struct sink){ .ops = &ops, .ctx = &b }), 0);
	cr_expect_eq(pipeline__tick(p, &t), 0);
	cr_expect_eq(pipeline__tick(p, &t), SINK_STOP);
	cr_expect_eq(b.ticks, 2, "the sink after the one that stopped was ticked too");
	pipeline__free(p);
}
