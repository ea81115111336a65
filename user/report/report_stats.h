/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --stats-extended: latency statistics per syscall and the errno breakdown, as text. */
#ifndef SYSRAY_REPORT_STATS_H
#define SYSRAY_REPORT_STATS_H

#include <stdio.h>
#include "stats/profile.h"
#include "report/report_text.h"

/* The percentiles of the extended table and of the JSON report, in that order. */
#define REPORT_NR_PCTS 6
extern const double report_pcts[REPORT_NR_PCTS];

/*
 * Per ABI with timed calls: a table of timed calls, mean, stddev, min, max and the
 * nearest-rank P50, P75, P90, P95, P99 and P99.9 in microseconds with three decimals,
 * columns as wide as their widest value, rows in the order of the summary table (o->sort,
 * at most o->top).  Then, per ABI with errors, one line per syscall with its errnos by
 * count ("ENOENT: 541, EACCES: 2").  Returns 0, -ENOMEM or -EIO.
 */
int report_stats(FILE *f, const struct profile *p, const struct report_text_opts *o);

#endif /* SYSRAY_REPORT_STATS_H */
