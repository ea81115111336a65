/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --format csv: the summary table as CSV (RFC 4180): a header row, then one row per
 * (ABI, syscall) with calls, in the text table's order (-S, at most -T rows per ABI),
 * the native ABI first. The values are the JSON report's (docs/json-schema.md).
 */
#ifndef SYSRAY_REPORT_CSV_H
#define SYSRAY_REPORT_CSV_H

#include <stdio.h>
#include "report/report_text.h"
#include "stats/profile.h"

#define REPORT_CSV_HEADER                                                                          \
	"syscall,abi,calls,errors,unfinished,total_ns,mean_ns,p50_ns,p90_ns,p99_ns,max_ns"

/* 0, -ENOMEM or -EIO; the table is built in memory first, so a failure writes nothing. */
int report_csv(FILE *f, const struct profile *p, const struct report_text_opts *o);

#endif /* SYSRAY_REPORT_CSV_H */
