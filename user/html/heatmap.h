/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Latency over time for the HTML report: per syscall, a matrix of calls by completion time
 * (columns) and latency (rows, one per power of two of nanoseconds). Each call is placed by
 * its own timestamp, not by the tick that delivered it. When a call lands past the last
 * column, neighbouring columns are merged in pairs and the column width doubles, so a run of
 * any length fits in HEATMAP_COLS columns: memory is bounded by HEATMAP_COLS x HEATMAP_ROWS
 * cells per syscall seen, and an hour is as readable as a minute.
 */
#ifndef SYSRAY_HTML_HEATMAP_H
#define SYSRAY_HTML_HEATMAP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "sysray.h"

#define HEATMAP_COLS 256
/* Row r holds latencies in [2^r, 2^(r+1)) ns (row 0 also 0); the last row everything above. */
#define HEATMAP_ROWS 38
/* A cell that reached this stays there (a column of days of one busy syscall). */
#define HEATMAP_CELL_MAX UINT32_MAX

struct heatmap;

/* start_ns: when tracing began (CLOCK_MONOTONIC); base_ns: the narrowest column (> 0). */
int heatmap__new(__u64 start_ns, __u64 base_ns, struct heatmap **out);
void heatmap__free(struct heatmap *h);
/* Place the records; -ENOMEM when a syscall's first matrix cannot be allocated. */
int heatmap__add(struct heatmap *h, const struct sysray_rec *recs, size_t n);
/* Tracing lasted duration_ns: merge until that fits, so the columns cover the whole run. */
void heatmap__finish(struct heatmap *h, __u64 duration_ns);
/* Width of a column now. */
__u64 heatmap__col_ns(const struct heatmap *h);
/* Columns in use (from the first to the last with calls, or to the end after finish). */
unsigned int heatmap__cols(const struct heatmap *h);
/* cells[col * HEATMAP_ROWS + row] of a syscall, or NULL if it had no timed call. */
const __u32 *heatmap__cells(const struct heatmap *h, int abi, int nr);
/* Row of a latency. */
static inline unsigned int heatmap_row(__u64 dur_ns)
{
	unsigned int r = 63 - __builtin_clzll(dur_ns | 1);

	return r < HEATMAP_ROWS ? r : HEATMAP_ROWS - 1;
}

#endif /* SYSRAY_HTML_HEATMAP_H */
