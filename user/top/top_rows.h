/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The rows of sysray top, from one refresh's data: one per syscall, process or cgroup, with
 * their rates and latencies; sorted by a column and filtered by name. No terminal here, so
 * it is unit-tested.
 */
#ifndef SYSRAY_TOP_ROWS_H
#define SYSRAY_TOP_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "stats/profile.h"
#include "top/top_procs.h"

enum top_view {
	TOP_VIEW_SYSCALL = 0,
	TOP_VIEW_PROCESS,
	TOP_VIEW_CGROUP,
	TOP_VIEW_CNT,
};

enum top_col {
	TOP_COL_NAME = 0,
	TOP_COL_CALLS, /* calls/s */
	TOP_COL_ERRORS,
	TOP_COL_P50,
	TOP_COL_P99,
	TOP_COL_MAX,
	TOP_COL_CNT,
};

/* Long enough for a cgroup path's tail, escaped. */
#define TOP_NAME_LEN 96

struct top_row {
	char name[TOP_NAME_LEN]; /* printable ASCII only (top_term_escape) */
	__u32 pid;		 /* process view; 0 otherwise */
	double calls_s, errors_s;
	__u64 p50, p99, max; /* ns */
};

struct top_rows {
	struct top_row *r;
	size_t n, cap;
};

void top_rows__clear(struct top_rows *rs);
void top_rows__free(struct top_rows *rs);

/* One row per syscall that made calls in the window of secs seconds. 0 or -ENOMEM. */
int top_rows_syscalls(const struct profile *win, double secs, struct top_rows *out);
/* One row per process in the list. */
int top_rows_procs(const struct top_proc *const *p, size_t n, double secs, struct top_rows *out);
/* One row per cgroup of the processes in the list (reordered by cgroup). */
int top_rows_cgroups(const struct top_proc **p, size_t n, double secs, struct top_rows *out);

/*
 * The rows whose name contains filter (case-insensitive; or whose pid does; NULL or "" for
 * all) in order of col, ascending or not, ties by name then pid: pointers into rs, into out
 * (room for rs->n); returns how many.
 */
size_t top_rows_select(const struct top_rows *rs, const char *filter, enum top_col col, bool asc,
		       const struct top_row **out);

/* Column titles (the first is the view's), and numbers as top prints them. */
extern const char *const top_view_names[TOP_VIEW_CNT];
extern const char *const top_col_names[TOP_COL_CNT];
/* "0.5", "123.4", "12345", "1.23M": at most 7 characters. */
const char *top_fmt_rate(char *buf, size_t len, double v);
/* "850ns", "1.23us", "45.6ms", "2.50s", "-" for 0: at most 7 characters, ASCII. */
const char *top_fmt_ns(char *buf, size_t len, __u64 ns);

/* Untrusted bytes to printable ASCII: strace escapes, and octal for every byte >= 0x80. */
void top_term_escape(char *dst, size_t len, const char *src);

#endif /* SYSRAY_TOP_ROWS_H */
