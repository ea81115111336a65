// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include "hist_window.h"

#define WINDOW 5
#define TICKS  23

/* Interval k's samples: a different spread each time, so the window's content matters. */
static void fill(struct hist *h, unsigned int k)
{
	srand(1000 + k);
	hist_reset(h);
	for (unsigned int i = 0; i < 200 + 37 * k; i++)
		hist_record(h, 1 + (__u64)(rand() % 1000) * (k % 7 + 1) * 997);
}

Test(hist_window, running_sum_equals_the_last_n_intervals)
{
	struct hist *iv = hist__new(), *want = hist__new();
	struct hist_window *w;
	double qs[] = { 50, 90, 99 };

	cr_assert_eq(hist_window__new(WINDOW, &w), 0);
	for (unsigned int t = 0; t < TICKS; t++) {
		__u64 got_p[3], want_p[3];

		fill(iv, t);
		cr_assert_eq(hist_window_push(w, iv), 0);
		/* the reference: merge the last WINDOW intervals from scratch */
		hist_reset(want);
		for (unsigned int k = t >= WINDOW - 1 ? t - (WINDOW - 1) : 0; k <= t; k++) {
			fill(iv, k);
			hist_merge(want, iv);
		}
		cr_expect_eq(hist_window_len(w), t + 1 < WINDOW ? t + 1 : WINDOW);
		cr_expect_eq(hist_count(hist_window_sum(w)), hist_count(want), "tick %u", t);
		cr_expect_eq(hist_sum(hist_window_sum(w)), hist_sum(want), "tick %u", t);
		for (unsigned int b = 0; b < HIST_NR_BUCKETS; b++)
			cr_assert_eq(hist_window_sum(w)->counts[b], want->counts[b],
				     "tick %u bucket %u", t, b);
		hist_percentiles(hist_window_sum(w), qs, 3, got_p);
		hist_percentiles(want, qs, 3, want_p);
		for (int i = 0; i < 3; i++)
			cr_expect_eq(got_p[i], want_p[i], "tick %u p%.0f", t, qs[i]);
	}
	hist_window__free(w);
	hist__free(iv);
	hist__free(want);
}

Test(hist_window, zero_intervals_is_an_error)
{
	struct hist_window *w;

	cr_expect_eq(hist_window__new(0, &w), -EINVAL);
}
