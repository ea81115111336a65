// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the per-service windows (user/stats/gwin.c) and their histogram (lhist.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/gwin.h"
#include "stats/lhist.h"

/* Every value up to 2^37 lands in a bucket whose midpoint is within 1/64 of it. */
Test(lhist, buckets_are_within_a_64th)
{
	for (__u64 v = 1; v < (1ULL << 37); v = v * 1.01 + 1) {
		__u64 mid = lhist_bucket_mid(lhist_index(v));

		cr_assert_leq(fabs((double)mid - (double)v) / v, 1.0 / 64, "v %llu mid %llu",
			      (unsigned long long)v, (unsigned long long)mid);
	}
	cr_assert_eq(lhist_index(~0ULL), LHIST_BUCKETS - 1);
}

/* Nearest rank: 1000 values 1..1000 us; p50 is the 500th, p99.9 the 999th, p100 the last. */
Test(lhist, percentiles_by_nearest_rank)
{
	static const double q[] = { 50, 99, 99.9, 100 };
	static const __u64 want[] = { 500000, 990000, 999000, 1000000 };
	struct lhist *h = calloc(1, sizeof(*h)), *m = calloc(1, sizeof(*m));
	__u64 out[4];

	cr_assert(h && m);
	for (__u64 i = 1000; i >= 1; i--)
		lhist_record(h, i * 1000);
	cr_expect_eq(h->count, 1000);
	cr_expect_eq(h->sum, 500500000);
	lhist_percentiles(h, q, 4, out);
	for (int i = 0; i < 4; i++)
		cr_expect_leq(fabs((double)out[i] - want[i]) / want[i], 1.0 / 64, "q %g: %llu",
			      q[i], (unsigned long long)out[i]);
	/* merging into an empty one gives the same; reset empties */
	lhist_merge(m, h);
	lhist_percentiles(m, q, 4, out);
	cr_expect_leq(fabs((double)out[0] - 500000) / 500000, 1.0 / 64);
	lhist_reset(h);
	lhist_percentiles(h, q, 4, out);
	cr_expect_eq(out[3], 0);
	for (unsigned int i = 0; i < LHIST_BUCKETS; i++)
		cr_assert_eq(h->counts[i], 0);
	free(h);
	free(m);
}

static struct sysray_rec rec(__u32 tgid, __u32 tid, __u16 nr, __s64 ret, __u32 cgroup)
{
	return (struct sysray_rec){
		.dur_ns = 1000, .ret = ret, .tgid = tgid, .tid = tid, .nr = nr, .cgroup_lo = cgroup
	};
}

/* The name a group gets, without /proc: the comm source answers for every task. */
static int comm_of(void *ctx, __u32 tid, char *buf, size_t len)
{
	(void)ctx;
	snprintf(buf, len, "task%u", tid % 1000);
	return 0;
}

Test(gwin, services_get_groups_and_the_rest_are_folded)
{
	struct gwin_opts o = {
		.by = GWIN_PROCESS, .max_groups = 2, .idle_windows = 3, .comm_fn = comm_of
	};
	struct gwin *w;
	struct sysray_rec r;
	unsigned int g;
	bool more;

	cr_assert_eq(gwin__new(&o, &w), 0);
	cr_expect_eq(gwin__cap(w), 3);
	r = rec(100, 101, 0, 0, 0);
	cr_assert_not_null(gwin__add(w, &r, &g));
	cr_expect_eq(g, 0);
	cr_expect_str_eq(gwin__group(w, 0)->name, "task100[100]");
	r = rec(200, 200, 0, -2, 0);
	cr_assert_not_null(gwin__add(w, &r, &g));
	cr_expect_eq(g, 1);
	/* a third and a fourth service: the others */
	r = rec(300, 300, 1, 0, 0);
	cr_assert_not_null(gwin__add(w, &r, &g));
	cr_expect_eq(g, 2);
	cr_expect(gwin__group(w, 2)->others);
	cr_expect_str_eq(gwin__group(w, 2)->name, "(others)");
	r = rec(400, 400, 1, 0, 0);
	cr_assert_not_null(gwin__add(w, &r, &g));
	cr_expect_eq(g, 2);
	cr_expect_eq(gwin__folded(w, &more), 2);
	cr_expect_not(more);
	/* the first service again, from another thread: its group, its errno counted */
	r = rec(200, 201, 0, -2, 0);
	cr_assert_not_null(gwin__add(w, &r, &g));
	cr_expect_eq(g, 1);
	cr_expect_eq(gwin__group(w, 1)->sc[0]->calls, 2);
	cr_expect_eq(gwin__group(w, 1)->sc[0]->errors, 2);
	cr_expect_eq(gwin__group(w, 1)->sc[0]->n_errnos, 1);
	cr_expect_eq(gwin__group(w, 1)->sc[0]->errnos[0].count, 2);
	/* a window ends: counts go, entries stay */
	gwin__end_window(w);
	cr_expect_eq(gwin__group(w, 1)->calls, 0);
	cr_expect_eq(gwin__group(w, 1)->sc[0]->calls, 0);
	cr_expect_eq(gwin__window(w), 1);
	/* a group given back serves the next new service; its old one is forgotten */
	gwin__drop(w, 0);
	cr_expect_null(gwin__group(w, 0));
	r = rec(500, 500, 0, 0, 0);
	cr_assert_not_null(gwin__add(w, &r, &g));
	cr_expect_eq(g, 0);
	cr_expect_str_eq(gwin__group(w, 0)->name, "task500[500]");
	r = rec(100, 100, 0, 0, 0);
	cr_assert_not_null(gwin__add(w, &r, &g));
	cr_expect_eq(g, 2, "pid 100 comes back when every group is taken: folded");
	/* folded services idle longer than idle_windows are forgotten */
	for (int i = 0; i < 5; i++)
		gwin__end_window(w);
	cr_expect_eq(gwin__folded(w, &more), 0);
	gwin__free(w);
}

/* Many services come and go through one group number: the map stays consistent. */
Test(gwin, map_survives_churn)
{
	struct gwin_opts o = {
		.by = GWIN_CGROUP, .max_groups = 4, .idle_windows = 1, .comm_fn = comm_of
	};
	struct gwin *w;
	unsigned int g;

	cr_assert_eq(gwin__new(&o, &w), 0);
	for (__u64 round = 0; round < 200; round++) {
		for (__u64 k = 0; k < 40; k++) {
			struct sysray_rec r = rec(1, 1, 3, 0, round * 1000 + k);

			cr_assert_not_null(gwin__add(w, &r, &g));
			cr_assert_leq(g, 4);
			/* the same service again: the same group */
			{
				unsigned int g2;

				cr_assert_not_null(gwin__add(w, &r, &g2));
				cr_assert_eq(g, g2, "round %llu key %llu", round, k);
			}
		}
		for (unsigned int i = 0; i < 4; i++)
			gwin__drop(w, i);
		gwin__end_window(w);
		gwin__end_window(w);
	}
	gwin__free(w);
}

Test(gwin, parse_by)
{
	enum gwin_by by;

	cr_expect_eq(gwin_parse_by("cgroup", &by), 0);
	cr_expect_eq(by, GWIN_CGROUP);
	cr_expect_eq(gwin_parse_by("process", &by), 0);
	cr_expect_eq(by, GWIN_PROCESS);
	cr_expect_eq(gwin_parse_by("none", &by), 0);
	cr_expect_eq(by, GWIN_NONE);
	cr_expect_neq(gwin_parse_by("thread", &by), 0);
	cr_expect_str_eq(gwin_by_str(GWIN_CGROUP), "cgroup");
}
