// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The statistics views against the real BPF programs: latency percentiles checked against a
 * workload that times its own sleeps, exact errno counts, per-process splits and interval
 * reports that add up.  Needs root.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "minijson.h"

/*
 * Bounds that hold however loaded the machine is: every call sleeps at least what it asked
 * for, and sysray times each call from inside the workload's own timing of it (entry to
 * exit, within clock_gettime before and after), so the k-th smallest of sysray's durations
 * lies between the k-th smallest requested and the k-th smallest the workload measured.
 * sysray's percentiles are bucket midpoints within HIST_REL_ERROR (1/256) of the value.
 */
static void expect_between(const char *what, long long sysray, long long req, long long own)
{
	long long lo = req - req / 256 - 1, hi = own + own / 256 + 1;

	cr_expect(sysray >= lo && sysray <= hi,
		  "%s: sysray %lld ns, not within [%lld, %lld] (requested %lld, the workload's own "
		  "%lld)",
		  what, sysray, lo, hi, req, own);
}

TestSuite(stats, .timeout = 120);

Test(stats, percentiles_match_the_workloads_own_timing)
{
	char *wl[] = { (char *)workload("sleeper"), "1000x60", "2000x30", "5000x10", NULL };
	long long n, p50, p90, p99, max, rn, r50, r90, r99, rmax;
	struct proc_result r;
	struct json_value *root, *sc;
	const char *line;

	root = sysray_json(NULL, wl, &r);
	line = strstr(r.out, "sleeper: ");
	cr_assert_not_null(line, "workload printed nothing: %s", r.out);
	cr_assert_eq(sscanf(line, "sleeper: n=%lld p50_ns=%lld p90_ns=%lld p99_ns=%lld max_ns=%lld",
			    &n, &p50, &p90, &p99, &max),
		     5, "%s", line);
	cr_assert_eq(n, 100);
	line = strstr(r.out, "requested: ");
	cr_assert_not_null(line, "workload printed no request line: %s", r.out);
	cr_assert_eq(sscanf(line,
			    "requested: n=%lld p50_ns=%lld p90_ns=%lld p99_ns=%lld max_ns=%lld",
			    &rn, &r50, &r90, &r99, &rmax),
		     5, "%s", line);
	sc = mj_find_syscall(root, "clock_nanosleep", "x86_64");
	cr_assert_not_null(sc);
	cr_expect_eq(mj_num(sc, "calls", -1), 100);
	expect_between("p50", mj_num(sc, "p50_ns", -1), r50, p50);
	expect_between("p90", mj_num(sc, "p90_ns", -1), r90, p90);
	expect_between("p99", mj_num(sc, "p99_ns", -1), r99, p99);
	/* max is exact, not a bucket midpoint */
	expect_between("max", mj_num(sc, "max_ns", -1), rmax, max);
	/* the histogram holds every timed call */
	{
		struct json_value *h = mj_get(sc, "histogram");
		long long sum = 0;

		cr_assert(h && h->type == JSON_ARRAY);
		for (size_t i = 0; i < h->n; i++) {
			cr_assert_eq(h->items[i]->n, 3);
			cr_expect_leq(h->items[i]->items[0]->num, h->items[i]->items[1]->num);
			sum += (long long)h->items[i]->items[2]->num;
		}
		cr_expect_eq(sum, 100);
	}
	mj_free(root);
	proc_result_free(&r);
}

Test(stats, text_views_of_a_sleeper)
{
	char *extra[] = { "--stats-extended", "--histogram", "clock_nanosleep", NULL };
	char *wl[] = { (char *)workload("sleeper"), "1000x6", "3000x2", NULL };
	const char *tbl, *row, *hist;
	struct proc_result r;
	long long rows = 0;
	char *text;

	text = sysray_report(extra, wl, &r);
	tbl = strstr(text, "\nLatency in microseconds (percentiles by nearest rank):\nsyscall ");
	cr_assert_not_null(tbl, "%s", text);
	row = strstr(tbl, "\nclock_nanosleep ");
	cr_assert_not_null(row, "%s", text);
	cr_expect_eq(atoll(row + strlen("\nclock_nanosleep ")), 8, "timed calls: %.40s", row);
	hist = strstr(text, "\nclock_nanosleep: 8 timed calls, latency histogram\n");
	cr_assert_not_null(hist, "%s", text);
	/* the rows of the histogram, up to the blank line before the footer */
	for (const char *l = strchr(hist + 1, '\n') + 1; *l == '['; l = strchr(l, '\n') + 1) {
		const char *c = strchr(l, ')');

		cr_assert_not_null(c);
		rows += atoll(c + 1);
	}
	cr_expect_eq(rows, 8, "%s", hist);
	cr_expect(strstr(text, "events received"), "no footer: %s", text);
	free(text);
	proc_result_free(&r);
}

Test(stats, errno_counts_are_exact)
{
	char *wl[] = { (char *)workload("known"), "getppid=10", "enoent=37", NULL };
	char *extra[] = { "--stats-extended", NULL };
	struct proc_result r;
	struct json_value *root, *sc, *errnos;
	char *text;

	root = sysray_json(NULL, wl, &r);
	sc = mj_find_syscall(root, "openat", "x86_64");
	cr_assert_not_null(sc);
	cr_expect_eq(mj_num(sc, "errors", -1), 37);
	errnos = mj_get(sc, "errnos");
	cr_assert(errnos && errnos->type == JSON_OBJECT);
	cr_expect_eq(errnos->n, 1, "only ENOENT expected");
	cr_expect_eq(mj_num(errnos, "ENOENT", -1), 37);
	sc = mj_find_syscall(root, "getppid", "x86_64");
	cr_assert_not_null(sc);
	cr_expect_eq(mj_get(sc, "errnos")->n, 0);
	mj_free(root);
	proc_result_free(&r);

	text = sysray_report(extra, wl, &r);
	cr_expect(strstr(text, "\nErrors by errno:\n"), "%s", text);
	cr_expect(strstr(text, "\nopenat           ENOENT: 37\n"), "%s", text);
	free(text);
	proc_result_free(&r);
}

/* The getppid calls of each group in a processes_detail or threads_detail list. */
static int group_getppids(const struct json_value *list, long long *pid, long long *tid,
			  long long *calls, int max)
{
	int n = 0;

	cr_assert(list && list->type == JSON_ARRAY);
	for (size_t i = 0; i < list->n && n < max; i++) {
		struct json_value *sc = mj_find_syscall(list->items[i], "getppid", "x86_64");

		cr_expect_not_null(mj_str(list->items[i], "comm"));
		if (!sc)
			continue;
		pid[n] = mj_num(list->items[i], "pid", -1);
		tid[n] = mj_num(list->items[i], "tid", -1);
		calls[n++] = mj_num(sc, "calls", -1);
	}
	return n;
}

Test(stats, per_process_splits_parent_and_child)
{
	char *wl[] = { (char *)workload("known"), "getppid=250", "fork=70", NULL };
	char *extra[] = { "-P", NULL };
	long long pid[8], tid[8], calls[8];
	struct proc_result r;
	struct json_value *root;
	int n;

	root = sysray_json(extra, wl, &r);
	cr_expect_null(mj_get(root, "threads_detail"));
	n = group_getppids(mj_get(root, "processes_detail"), pid, tid, calls, 8);
	cr_assert_eq(n, 2, "two processes called getppid");
	/* by total time, so either may come first */
	cr_expect((calls[0] == 250 && calls[1] == 70) || (calls[0] == 70 && calls[1] == 250),
		  "getppid calls %lld and %lld", calls[0], calls[1]);
	cr_expect_neq(pid[0], pid[1]);
	cr_expect_eq(mj_num(mj_find_syscall(root, "getppid", "x86_64"), "calls", -1), 320);
	/* both have exited before their records are read: named from the kernel's record */
	{
		struct json_value *arr = mj_get(root, "processes_detail");

		for (size_t i = 0; arr && i < arr->n; i++)
			cr_expect_str_eq(mj_str(arr->items[i], "comm"), "known");
	}
	mj_free(root);
	proc_result_free(&r);
}

Test(stats, per_thread_splits_threads_of_one_process)
{
	char *wl[] = { (char *)workload("known"), "getppid=250", "thread=40", NULL };
	char *extra[] = { "--per-thread", NULL };
	long long pid[8], tid[8], calls[8];
	struct proc_result r;
	struct json_value *root;
	int n;

	root = sysray_json(extra, wl, &r);
	n = group_getppids(mj_get(root, "threads_detail"), pid, tid, calls, 8);
	cr_assert_eq(n, 2, "two threads called getppid");
	cr_expect((calls[0] == 250 && calls[1] == 40) || (calls[0] == 40 && calls[1] == 250),
		  "getppid calls %lld and %lld", calls[0], calls[1]);
	cr_expect_eq(pid[0], pid[1], "one process");
	cr_expect_neq(tid[0], tid[1]);
	cr_expect(tid[0] == pid[0] || tid[1] == pid[0], "one of them is the main thread");
	mj_free(root);
	proc_result_free(&r);
}

Test(stats, intervals_add_up_to_the_total)
{
	char *wl[] = { (char *)workload("sleeper"), "10000x100", NULL };
	char *extra[] = { "--format", "json", "-i", "0.2", NULL };
	long long sleeps = 0, received = 0, last_seq = 0, last_end = 0;
	struct json_value *final = NULL;
	struct proc_result r;
	int objects = 0;
	char *text, *line, *save = NULL;

	text = sysray_report(extra, wl, &r);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct json_value *o = mj_parse(line), *iv;

		cr_assert_not_null(o, "line %d is not a JSON object: %s", objects + 1, line);
		cr_assert_null(final, "a report after the final one: %s", line);
		objects++;
		iv = mj_get(o, "interval");
		if (!iv) {
			final = o;
			continue;
		}
		cr_expect_str_eq(mj_str(o, "schema"), "sysray.profile/1");
		cr_expect_eq(mj_num(iv, "seq", -1), last_seq + 1);
		cr_expect_eq(mj_num(iv, "start_ns", -1), last_end, "intervals are contiguous");
		last_seq = mj_num(iv, "seq", -1);
		last_end = mj_num(iv, "end_ns", -1);
		sleeps += mj_num(mj_find_syscall(o, "clock_nanosleep", "x86_64"), "calls", 0);
		received += mj_num(mj_get(o, "events"), "received", 0);
		mj_free(o);
	}
	cr_assert_not_null(final, "no final report");
	/* 100 sleeps of 10 ms in 0.2 s intervals */
	cr_expect_geq(last_seq, 4, "only %lld intervals", last_seq);
	cr_expect_eq(sleeps, 100);
	cr_expect_eq(mj_num(mj_find_syscall(final, "clock_nanosleep", "x86_64"), "calls", -1), 100);
	cr_expect_eq(received, mj_num(mj_get(final, "events"), "received", -1));
	/* the last interval may end at the last tick, when nothing came after it */
	cr_expect_leq(last_end, mj_num(final, "duration_ns", -1));
	cr_expect_gt(last_end, 0);
	mj_free(final);
	free(text);
	proc_result_free(&r);
}

/*
 * Two sleeps of 20 ms among 40 of 1 ms are outliers however loaded the machine is: a load
 * that made the 1 ms sleeps slow enough to hide them would have to move their median past
 * 3 ms. Other calls may be outliers too under load, so the count is bounded below only.
 */
Test(stats, outliers_count_the_slow_sleeps)
{
	char *wl[] = { (char *)workload("sleeper"), "1000x40", "20000x2", NULL };
	char *extra[] = { "--stats-extended", NULL };
	struct json_value *root, *sc;
	struct proc_result r;
	long long calls, out;
	char *text;

	root = sysray_json(NULL, wl, &r);
	sc = mj_find_syscall(root, "clock_nanosleep", "x86_64");
	cr_assert_not_null(sc);
	calls = mj_num(sc, "calls", -1);
	out = mj_num(sc, "outliers", -1);
	cr_expect_eq(calls, 42);
	cr_expect_geq(out, 2);
	cr_expect_float_eq(mj_get(sc, "outlier_share")->num, (double)out / calls, 1e-9);
	mj_free(root);
	proc_result_free(&r);
	/* the text table has the share as its last column */
	text = sysray_report(extra, wl, &r);
	cr_expect(strstr(text, " outliers\n"), "%s", text);
	free(text);
	proc_result_free(&r);
}
