/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --hist / --histogram: ASCII latency histograms, one row per power of two. */
#ifndef SYSRAY_REPORT_HIST_H
#define SYSRAY_REPORT_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "stats/profile.h"
#include "report/report_text.h"

/* Width of the longest bar, in characters. */
#define REPORT_HIST_BAR 50

struct hist_select {
	bool all; /* --hist */
	bool any; /* something is selected */
	__u64 bits[SYSRAY_ABI_CNT][SYSRAY_MAX_NR / 64];
};

/*
 * Selection from --hist (all) and --histogram LIST (comma-separated names, each selecting
 * the syscall of that name in every ABI that has it; list may be NULL).  -EINVAL with a
 * one-line message for a name no ABI knows.
 */
int report_hist_select(bool all, const char *list, struct hist_select *sel, char *err,
		       size_t errlen);

/*
 * The rows of one histogram: every power of two [2^(k-1), 2^k) ns from the row of the
 * smallest value to the row of the largest ([0ns, 1ns) first if there are zeros), as
 * "[lo, hi) count |bar|" with the bounds rounded to three significant digits, the count
 * right-aligned and the bar scaled so that the largest count fills REPORT_HIST_BAR
 * characters (a non-zero count gets at least one).  When values above the histogram's
 * range (137 s) were recorded, the last row's upper bound reads "inf".  Nothing for an
 * empty histogram.
 */
int report_hist_render(FILE *f, const struct hist *h);

/*
 * A titled histogram for each selected syscall with timed calls, in the order of the
 * summary table; with --hist at most o->top of them.
 */
int report_hist(FILE *f, const struct profile *p, const struct hist_select *sel,
		const struct report_text_opts *o);

#endif /* SYSRAY_REPORT_HIST_H */
