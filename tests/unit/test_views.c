// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The statistics views: records folded by the aggregator, then rendered as the extended
 * table, the errno breakdown, ASCII histograms, per-process tables and JSON.
 */
#include <criterion/criterion.h>
#include "memstream.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "stats/aggregate.h"
#include "stats/groups.h"
#include "report/report_groups.h"
#include "report/report_hist.h"
#include "report/report_json.h"
#include "report/report_stats.h"
#include "lib/syscalls.h"

#define NR_READ	       0
#define NR_OPENAT      257
#define NR_I386_GETPID 20

static void feed(struct aggregate *a, __u32 tgid, __u32 tid, int abi, int nr, __u64 dur,
		 long long ret)
{
	struct sysray_rec r = {
		.dur_ns = dur,
		.ret = ret,
		.tgid = tgid,
		.tid = tid,
		.nr = nr,
		.abi = abi,
	};

	cr_assert_eq(aggregate__add(a, &r, 1), 0);
}

/*
 * read: 1, 2, 3, 4 us, one EAGAIN; openat: 100..1000 ns in steps of 100, three ENOENT and
 * one EACCES; i386 getpid: 500 ns.
 */
static struct aggregate *sample(enum group_by by)
{
	struct aggregate_opts o = { .pid_max = 1 << 22, .group_by = by };
	struct aggregate *a;

	cr_assert_eq(aggregate__new(&o, &a), 0);
	for (int i = 1; i <= 4; i++)
		feed(a, 10, 10, SYSRAY_ABI_NATIVE, NR_READ, i * 1000ULL, i == 2 ? -EAGAIN : 8);
	for (int i = 1; i <= 10; i++)
		feed(a, 10, 11, SYSRAY_ABI_NATIVE, NR_OPENAT, i * 100ULL,
		     i <= 3   ? -ENOENT
		     : i == 4 ? -EACCES
			      : 3);
	feed(a, 20, 20, SYSRAY_ABI_COMPAT, NR_I386_GETPID, 500, 20);
	return a;
}

/*
 * By hand: read has mean 2500 ns and a population stddev of sqrt(1.25e6) = 1118.03 ns;
 * nearest-rank P50 is the 2nd value, 2000 ns, in the bucket [2000, 2007] of width 8, shown
 * as its midpoint 2003; P75 is 3000 in [2992, 3007], midpoint 2999; from P90 up the rank is
 * the last, which is the exact max.  openat: mean 550, stddev 100 * sqrt(8.25) = 287.23;
 * below 256 ns buckets are exact, 800 is in [800, 803] (midpoint 801), 900 in [900, 903].
 */
static const char want_stats[] =
    "\n"
    "Latency in microseconds (percentiles by nearest rank):\n"
    "syscall          timed  mean stddev   min   max   p50   p75   p90   p95   p99 p99.9 outliers\n"
    "---------------- ----- ----- ------ ----- ----- ----- ----- ----- ----- ----- ----- --------\n"
    "read                 4 2.500  1.118 1.000 4.000 2.003 2.999 4.000 4.000 4.000 4.000        -\n"
    "openat              10 0.550  0.287 0.100 1.000 0.500 0.801 0.901 1.000 1.000 1.000    0.00%\n"
    "\n"
    "Latency in microseconds (percentiles by nearest rank) for 32 bit mode:\n"
    "syscall          timed  mean stddev   min   max   p50   p75   p90   p95   p99 p99.9 outliers\n"
    "---------------- ----- ----- ------ ----- ----- ----- ----- ----- ----- ----- ----- --------\n"
    "getpid               1 0.500  0.000 0.500 0.500 0.500 0.500 0.500 0.500 0.500 0.500        -\n"
    "\n"
    "Errors by errno:\n"
    "read             EAGAIN: 1\n"
    "openat           ENOENT: 3, EACCES: 1\n";

Test(views, extended_stats_table_and_errnos)
{
	struct aggregate *a;
	struct profile *p;
	struct mem m;
	char *got;

	a = sample(GROUP_NONE);
	p = aggregate__profile(a);
	mem_open(&m);
	cr_assert_eq(report_stats(m.f, p, NULL), 0);
	got = mem_text(&m);
	cr_expect_str_eq(got, want_stats);
	free(got);
	aggregate__free(a);
}

Test(views, top_limits_every_table)
{
	struct report_text_opts o = { .top = 1 };
	struct aggregate *a;
	struct profile *p;
	struct mem m;
	char *got;

	a = sample(GROUP_NONE);
	p = aggregate__profile(a);
	mem_open(&m);
	cr_assert_eq(report_text(m.f, &p->total, &o), 0);
	cr_assert_eq(report_stats(m.f, p, &o), 0);
	got = mem_text(&m);
	/* the first row of each table, and a total that still covers both syscalls */
	/* read: 10 of 15.5 us */
	cr_expect(strstr(got, " 64.52    0.000010           2         4         1 read\n"), "%s",
		  got);
	cr_expect(strstr(got, "        14         5 total\n"), "%s", got);
	cr_expect(strstr(got, "\nread                 4 2.500"), "%s", got);
	cr_expect_null(strstr(got, "openat"), "%s", got);
	cr_expect(strstr(got, "\ngetpid               1 0.500"), "%s", got);
	free(got);
	aggregate__free(a);
}

/*
 * 10 x 300 ns, 40 x 1500 ns, 5 x 5 us and one 2 ms call: rows [2^8, 2^9) to [2^20, 2^21),
 * bars of 50 * count / 40 characters (10 -> 12, 5 -> 6, 1 -> 1, its floor being 1).
 */
static const char want_hist[] =
    "[256ns, 512ns)   10 |@@@@@@@@@@@@                                      |\n"
    "[512ns, 1.02us)   0 |                                                  |\n"
    "[1.02us, 2.05us) 40 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
    "[2.05us, 4.1us)   0 |                                                  |\n"
    "[4.1us, 8.19us)   5 |@@@@@@                                            |\n"
    "[8.19us, 16.4us)  0 |                                                  |\n"
    "[16.4us, 32.8us)  0 |                                                  |\n"
    "[32.8us, 65.5us)  0 |                                                  |\n"
    "[65.5us, 131us)   0 |                                                  |\n"
    "[131us, 262us)    0 |                                                  |\n"
    "[262us, 524us)    0 |                                                  |\n"
    "[524us, 1.05ms)   0 |                                                  |\n"
    "[1.05ms, 2.1ms)   1 |@                                                 |\n";

static char *render_hist(const struct hist *h)
{
	struct mem m;

	mem_open(&m);
	cr_assert_eq(report_hist_render(m.f, h), 0);
	return mem_text(&m);
}

Test(views, ascii_histogram_golden)
{
	struct hist *h = hist__new();
	char *got;

	cr_assert_not_null(h);
	for (int i = 0; i < 10; i++)
		hist__record(h, 300);
	for (int i = 0; i < 40; i++)
		hist__record(h, 1500);
	for (int i = 0; i < 5; i++)
		hist__record(h, 5000);
	hist__record(h, 2000000);
	got = render_hist(h);
	cr_expect_str_eq(got, want_hist);
	free(got);
	hist__free(h);
}

Test(views, ascii_histogram_edges)
{
	struct hist *h = hist__new();
	char *got;

	cr_assert_not_null(h);
	got = render_hist(h);
	cr_expect_str_eq(got, "", "an empty histogram prints nothing");
	free(got);

	/* zero gets its own row; a single row fills the bar */
	hist__record(h, 0);
	hist__record(h, 0);
	hist__record(h, 1);
	got = render_hist(h);
	cr_expect_str_eq(got,
			 "[0ns, 1ns) 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
			 "[1ns, 2ns) 1 |@@@@@@@@@@@@@@@@@@@@@@@@@                         |\n");
	free(got);

	/* beyond the tracked 137 s the last row is open-ended */
	hist__reset(h);
	hist__record(h, 200000000000ULL);
	got = render_hist(h);
	cr_expect_str_eq(got,
			 "[68.7s, inf) 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	free(got);
	hist__free(h);
}

Test(views, histogram_selection)
{
	struct hist_select sel;
	char err[256] = "";
	int getpid_nr;

	cr_assert_eq(report_hist_select(false, "read,getpid", &sel, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect(sel.any);
	cr_expect_not(sel.all);
	getpid_nr = syscall_lookup(SYSRAY_ABI_NATIVE, "getpid");
	cr_expect(sel.bits[SYSRAY_ABI_NATIVE][0] & 1, "read");
	cr_expect(sel.bits[SYSRAY_ABI_NATIVE][getpid_nr / 64] & (1ULL << (getpid_nr % 64)));
	cr_expect(sel.bits[SYSRAY_ABI_COMPAT][NR_I386_GETPID / 64] &
		      (1ULL << (NR_I386_GETPID % 64)),
		  "getpid is also selected in the i386 table");

	cr_expect_eq(report_hist_select(false, "read,bogus_call", &sel, err, sizeof(err)), -EINVAL);
	cr_expect_str_eq(err, "unknown syscall in --histogram: 'bogus_call'");
	cr_expect_eq(report_hist_select(false, "read,,write", &sel, err, sizeof(err)), -EINVAL);
	cr_expect_eq(report_hist_select(true, NULL, &sel, err, sizeof(err)), 0);
	cr_expect(sel.all && sel.any);
}

Test(views, histograms_follow_the_table_order)
{
	struct hist_select sel;
	struct aggregate *a;
	struct profile *p;
	char err[256], *got;
	struct mem m;

	a = sample(GROUP_NONE);
	p = aggregate__profile(a);
	cr_assert_eq(report_hist_select(false, "openat,getpid", &sel, err, sizeof(err)), 0);
	mem_open(&m);
	cr_assert_eq(report_hist(m.f, p, &sel, NULL), 0);
	got = mem_text(&m);
	cr_expect_str_eq(got,
			 "\nopenat: 10 timed calls, latency histogram\n"
			 "[64ns, 128ns)   1 |@@@@@@@@@@                                        |\n"
			 "[128ns, 256ns)  1 |@@@@@@@@@@                                        |\n"
			 "[256ns, 512ns)  3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                    |\n"
			 "[512ns, 1.02us) 5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
			 "\ngetpid (i386): 1 timed call, latency histogram\n"
			 "[256ns, 512ns) 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	free(got);
	aggregate__free(a);
}

static char *json_text(const struct profile *p, bool compact)
{
	struct report_json_opts o = { .version = "9", .compact = compact };
	struct mem m;

	mem_open(&m);
	cr_assert_eq(report_json_write(m.f, p, &o), 0);
	return mem_text(&m);
}

Test(views, json_errnos_percentiles_and_histogram)
{
	struct aggregate *a;
	struct profile *p;
	char *got;

	a = sample(GROUP_NONE);
	p = aggregate__profile(a);
	/* an errno without a name, above the flat array: listed by number */
	feed(a, 10, 10, SYSRAY_ABI_NATIVE, NR_OPENAT, 1000, -4000);
	got = json_text(p, false);
	cr_expect(strstr(got, "      \"errnos\": {\"ENOENT\":3,\"EACCES\":1,\"4000\":1},\n"), "%s",
		  got);
	cr_expect(strstr(got, "      \"errnos\": {\"EAGAIN\":1},\n"), "%s", got);
	/* sqrt(1.25e6) = 1118.0339887...; the digits after the fifth are the printer's business */
	cr_expect(strstr(got, "      \"mean_ns\": 2500,\n"
			      "      \"stddev_ns\": 1118.03398874"),
		  "%s", got);
	cr_expect(strstr(got, "      \"p50_ns\": 2003,\n"
			      "      \"p75_ns\": 2999,\n"
			      "      \"p90_ns\": 4000,\n"
			      "      \"p95_ns\": 4000,\n"
			      "      \"p99_ns\": 4000,\n"
			      "      \"p999_ns\": 4000,\n"
			      "      \"outliers\": null,\n"
			      "      \"outlier_share\": null,\n"),
		  "%s", got);
	/* non-empty buckets only, bounds inclusive */
	cr_expect(strstr(got, "      \"histogram\": [[1000,1003,1],[2000,2007,1],[2992,3007,1],"
			      "[4000,4015,1]]\n"),
		  "%s", got);
	cr_expect_null(strstr(got, "processes_detail"));
	free(got);
	aggregate__free(a);
}

/* A pid that surely names no process: a child of ours, already reaped. */
static __u32 dead_pid(void)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (!pid)
		_exit(0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

Test(views, per_process_and_per_thread_tables)
{
	__u32 me = getpid(), gone = dead_pid();
	struct group_summary *s;
	struct aggregate *a;
	struct profile *p;
	struct aggregate_opts o = { .pid_max = 1 << 22, .group_by = GROUP_PROCESS };
	size_t n;
	char *got;

	for (int by = GROUP_PROCESS; by <= GROUP_THREAD; by++) {
		o.group_by = by;
		cr_assert_eq(aggregate__new(&o, &a), 0);
		p = aggregate__profile(a);
		for (int i = 0; i < 5; i++)
			feed(a, me, me, SYSRAY_ABI_NATIVE, NR_READ, 100, 1);
		for (int i = 0; i < 3; i++)
			feed(a, me, me + 1, SYSRAY_ABI_NATIVE, NR_READ, 100, -EAGAIN);
		feed(a, gone, gone, SYSRAY_ABI_NATIVE, NR_OPENAT, 5000, 3);
		cr_assert_eq(groups__summaries(p->groups, 0, &s, &n), 0);
		cr_assert_eq(n, by == GROUP_PROCESS ? 2 : 3);
		/* by time: the openat of the dead process first */
		cr_expect_eq(s[0].g->id, gone);
		cr_expect_str_eq(s[0].g->comm, "?");
		cr_expect_eq(s[1].g->id, me);
		cr_expect_str_eq(s[1].g->comm, "unit_tests");
		cr_expect_eq(s[1].calls, by == GROUP_PROCESS ? 8 : 5);
		cr_expect_eq(s[1].errors, by == GROUP_PROCESS ? 3 : 0);
		free(s);

		got = json_text(p, true);
		if (by == GROUP_PROCESS) {
			char want[256];

			snprintf(
			    want, sizeof(want),
			    "\"processes_detail\":[{\"pid\":%u,\"comm\":\"?\",\"calls\":1,"
			    "\"errors\":0,\"total_ns\":5000,\"syscalls\":[{\"name\":\"openat\","
			    "\"nr\":257,\"abi\":\"x86_64\",\"calls\":1,\"errors\":0,"
			    "\"total_ns\":5000,\"min_ns\":5000,\"max_ns\":5000}]}",
			    gone);
			cr_expect(strstr(got, want), "%s", got);
		} else {
			char want[128];

			snprintf(want, sizeof(want), "{\"pid\":%u,\"tid\":%u,\"comm\":", me,
				 me + 1);
			cr_expect(strstr(got, "\"threads_detail\":["), "%s", got);
			cr_expect(strstr(got, want), "%s", got);
		}
		free(got);
		aggregate__free(a);
	}
}

Test(views, per_process_text)
{
	__u32 gone = dead_pid();
	struct aggregate *a;
	struct profile *p;
	struct aggregate_opts o = { .pid_max = 1 << 22, .group_by = GROUP_PROCESS };
	struct mem m;
	char *got, want[512];

	cr_assert_eq(aggregate__new(&o, &a), 0);
	p = aggregate__profile(a);
	feed(a, gone, gone, SYSRAY_ABI_NATIVE, NR_OPENAT, 5000, -ENOENT);
	feed(a, gone, gone, SYSRAY_ABI_NATIVE, NR_READ, 1000, 1);
	mem_open(&m);
	cr_assert_eq(report_groups(m.f, p, NULL), 0);
	got = mem_text(&m);
	snprintf(want, sizeof(want),
		 "\npid %u (?): calls 2, errors 1, 0.000006 s\n"
		 "%% time     seconds  usecs/call     calls    errors syscall\n"
		 "------ ----------- ----------- --------- --------- ----------------\n"
		 " 83.33    0.000005           5         1         1 openat\n"
		 " 16.67    0.000001           1         1           read\n"
		 "------ ----------- ----------- --------- --------- ----------------\n"
		 "100.00    0.000006           3         2         1 total\n",
		 gone);
	cr_expect_str_eq(got, want);
	free(got);
	aggregate__free(a);
}

Test(views, reset_keeps_active_groups_and_drops_idle_ones)
{
	struct group_summary *s;
	struct groups *g;
	size_t n;

	cr_assert_eq(groups__new(GROUP_PROCESS, &g), 0);
	groups__stat(g, 5000001, 5000001, 0, NR_READ)->calls++;
	groups__stat(g, 5000002, 5000002, 0, NR_READ)->calls++;
	groups__reset(g);
	cr_expect_eq(groups__nr(g), 2, "both were active");
	cr_assert_eq(groups__summaries(g, 0, &s, &n), 0);
	cr_expect_eq(n, 0, "but their tables are empty");
	free(s);

	groups__stat(g, 5000001, 5000001, 0, NR_OPENAT)->calls += 4;
	groups__reset(g);
	cr_expect_eq(groups__nr(g), 1, "5000002 made no call in the interval");
	groups__stat(g, 5000001, 5000001, 0, NR_READ)->calls++;
	groups__stat(g, 5000002, 5000002, 0, NR_READ)->calls += 2;
	cr_expect_eq(groups__nr(g), 2);
	cr_assert_eq(groups__summaries(g, 0, &s, &n), 0);
	cr_assert_eq(n, 2);
	cr_expect_eq(s[0].calls + s[1].calls, 3, "nothing left over from before the resets");
	free(s);
	groups__free(g);
}

Test(views, interval_object_is_one_line_and_reset_empties_it)
{
	struct aggregate *a;
	struct aggregate_opts o = { .pid_max = 1 << 22 };
	struct profile *p;
	const char *prefix = "{\"schema\":\"sysray.profile/1\",\"interval\":{\"seq\":3,"
			     "\"start_ns\":400,\"end_ns\":600},\"duration_ns\":200,"
			     "\"events\":{\"received\":1,\"dropped\":0},\"syscalls\":[{";
	char *got, *nl;

	cr_assert_eq(aggregate__new(&o, &a), 0);
	p = aggregate__profile(a);
	feed(a, 10, 10, SYSRAY_ABI_NATIVE, NR_READ, 1000, -EAGAIN);
	cr_expect_eq(p->total.sc[0][NR_READ].calls, 1);
	p->seq = 3;
	p->offset_ns = 400;
	p->duration_ns = 200;
	got = json_text(p, true);
	cr_expect_eq(strncmp(got, prefix, strlen(prefix)), 0, "%s", got);
	nl = strchr(got, '\n');
	cr_expect(nl && !nl[1], "not one line: %s", got);
	cr_expect_null(strstr(got, "\"target\""));
	free(got);

	aggregate__reset(a);
	cr_expect_eq(p->total.sc[0][NR_READ].calls, 0);
	cr_expect_eq(p->received, 0);
	cr_expect_eq(hist__count(&p->detail[0][NR_READ]->hist), 0);
	cr_expect_eq(p->detail[0][NR_READ]->errnos[EAGAIN], 0);
	feed(a, 10, 10, SYSRAY_ABI_NATIVE, NR_READ, 1000, 0);
	cr_expect_eq(p->total.sc[0][NR_READ].calls, 1);
	cr_expect_eq(p->detail[0][NR_READ]->errnos[EAGAIN], 0);
	aggregate__free(a);
}
