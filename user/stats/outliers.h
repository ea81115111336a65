/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The share of a syscall's calls that are slow outliers, from its latency histogram: a call is
 * an outlier when the robust z-score of its log latency, (ln x - median) / scale with
 * scale = max(1.4826 MAD, OUTLIER_MIN_SCALE), is above OUTLIER_CUT. Latencies are
 * multiplicative, so the log makes them roughly symmetric; the median and the MAD (median
 * absolute deviation) are not moved by the outliers they look for, as a mean and a standard
 * deviation would be. Only slow calls count: a fast call is not a problem.
 */
#ifndef SYSRAY_STATS_OUTLIERS_H
#define SYSRAY_STATS_OUTLIERS_H

#include <linux/types.h>
#include "stats/hist.h"

/* 3.5: Iglewicz and Hoaglin's cut for the modified z-score. */
#define OUTLIER_CUT 3.5
/*
 * A floor on the scale (log units): when most calls share one histogram bucket the MAD is 0
 * and any slower call would be an outlier. With it an outlier is at least e^(3.5 x 0.05), 19 %,
 * slower than the median.
 */
#define OUTLIER_MIN_SCALE 0.05

/* Fewer timed calls say nothing about outliers: reports show none ("-", null). */
#define OUTLIER_MIN_CALLS 10

struct hist_outliers {
	__u64 count;	/* calls above the cut */
	double share;	/* count / timed calls; 0 without timed calls */
	double scale;	/* of the log latency */
	__u64 limit_ns; /* calls slower than this are outliers */
};

/* Outliers of h (bucket midpoints stand for their calls); 0 or -ENOMEM. */
int hist_outliers(const struct hist *h, struct hist_outliers *out);

#endif /* SYSRAY_STATS_OUTLIERS_H */
