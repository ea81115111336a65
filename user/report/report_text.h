/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The summary table, byte-compatible with the one of "strace -c -w" (strace 6.1). */
#ifndef SYSRAY_REPORT_TEXT_H
#define SYSRAY_REPORT_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include "stats/profile.h"

enum report_col {
	REPORT_COL_END = 0, /* terminates report_text_opts.cols */
	REPORT_COL_TIME_PERCENT,
	REPORT_COL_TOTAL_TIME,
	REPORT_COL_MIN_TIME,
	REPORT_COL_MAX_TIME,
	REPORT_COL_AVG_TIME,
	REPORT_COL_CALLS,
	REPORT_COL_ERRORS,
	REPORT_COL_NAME,
	REPORT_COL_CNT,
};

enum report_sort {
	REPORT_SORT_TIME = 0, /* strace's default */
	REPORT_SORT_MIN_TIME,
	REPORT_SORT_MAX_TIME,
	REPORT_SORT_AVG_TIME,
	REPORT_SORT_CALLS,
	REPORT_SORT_ERRORS,
	REPORT_SORT_NAME,
	REPORT_SORT_NOTHING, /* syscall number order */
};

/*
 * A zeroed struct (or a NULL pointer) gives strace's defaults: sorted by time, with the columns
 * time-percent,total-time,avg-time,calls,errors,name.
 */
struct report_text_opts {
	enum report_sort sort;
	enum report_col cols[REPORT_COL_CNT]; /* REPORT_COL_END-terminated; empty: default */
	unsigned int top; /* -T: print at most this many rows (the total covers all); 0: all */
};

/* Room for any message of the parsers below (longer ones are truncated). */
#define REPORT_ERR_LEN 256

/*
 * Parse an -S argument (any strace 6.1 column name or alias, or "none"/"nothing") into
 * o->sort.  On failure return -EINVAL, leave o alone and put strace's message, without a
 * prefix or newline, into err (e.g. "invalid sortby: 'foo'").
 */
int report_parse_sort(const char *s, struct report_text_opts *o, char *err, size_t errlen);

/*
 * Parse a comma-separated -U list into o->cols; the name column is appended if missing, as
 * strace does.  Errors as for report_parse_sort() ("unknown column name: 'foo'", ...).
 */
int report_parse_columns(const char *s, struct report_text_opts *o, char *err, size_t errlen);

/*
 * Print the table for the native ABI, then "System call usage summary for 32 bit mode:" and
 * the table of each other ABI that made calls.  A profile without any call still gets an
 * (empty) native table.  Returns 0, -EINVAL for bad opts, -ENOMEM, or -EIO on a write error.
 */
int report_text(FILE *f, const struct sc_table *t, const struct report_text_opts *o);

/*
 * The syscall numbers of abi that made calls, in the order report_text() prints them for
 * o->sort (o->top is not applied), into nrs[SYSRAY_MAX_NR]; returns how many, or -ENOMEM.
 */
int report_text_order(const struct sc_table *t, int abi, const struct report_text_opts *o,
		      int *nrs);

#endif /* SYSRAY_REPORT_TEXT_H */
