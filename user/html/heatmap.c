// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "html/heatmap.h"

#define CELLS (HEATMAP_COLS * HEATMAP_ROWS)

struct heatmap {
	__u64 start_ns;
	__u64 base_ns;
	unsigned int shift; /* a column is base_ns << shift wide */
	unsigned int cols;  /* columns in use */
	__u32 *cells[SYSRAY_NR_SLOTS];
};

int heatmap__new(__u64 start_ns, __u64 base_ns, struct heatmap **out)
{
	struct heatmap *h;

	if (!base_ns)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->start_ns = start_ns;
	h->base_ns = base_ns;
	*out = h;
	return 0;
}

void heatmap__free(struct heatmap *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < SYSRAY_NR_SLOTS; i++)
		free(h->cells[i]);
	free(h);
}

static __u32 sat_add(__u32 a, __u32 b)
{
	__u32 s;

	return __builtin_add_overflow(a, b, &s) ? HEATMAP_CELL_MAX : s;
}

/* Columns 2i and 2i+1 become column i; the width doubles. */
static void merge(struct heatmap *h)
{
	for (size_t s = 0; s < SYSRAY_NR_SLOTS; s++) {
		__u32 *c = h->cells[s];

		if (!c)
			continue;
		for (unsigned int i = 0; i < HEATMAP_COLS / 2; i++) {
			__u32 *dst = c + i * HEATMAP_ROWS;
			const __u32 *a = c + 2 * i * HEATMAP_ROWS, *b = a + HEATMAP_ROWS;

			for (unsigned int r = 0; r < HEATMAP_ROWS; r++)
				dst[r] = sat_add(a[r], b[r]);
		}
		memset(c + CELLS / 2, 0, CELLS / 2 * sizeof(*c));
	}
	h->shift++;
	h->cols = (h->cols + 1) / 2;
}

/* The column of a time offset, merging first if it lies beyond the last one. */
static unsigned int column(struct heatmap *h, __u64 off)
{
	__u64 col = off / h->base_ns >> h->shift;

	while (col >= HEATMAP_COLS) {
		merge(h);
		col >>= 1;
	}
	if (col >= h->cols)
		h->cols = col + 1;
	return col;
}

int heatmap__add(struct heatmap *h, const struct sysray_rec *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sysray_rec *r = &recs[i];
		__u64 end = r->start_ns + r->dur_ns;
		__u32 *c, *cell;

		if (r->abi >= SYSRAY_ABI_CNT || r->nr >= SYSRAY_MAX_NR)
			continue;
		c = h->cells[SYSRAY_SLOT(r->abi, r->nr)];
		if (!c) {
			c = calloc(CELLS, sizeof(*c));
			if (!c)
				return -ENOMEM;
			h->cells[SYSRAY_SLOT(r->abi, r->nr)] = c;
		}
		cell = &c[column(h, end > h->start_ns ? end - h->start_ns : 0) * HEATMAP_ROWS +
			  heatmap_row(r->dur_ns)];
		if (*cell != HEATMAP_CELL_MAX)
			(*cell)++;
	}
	return 0;
}

void heatmap__finish(struct heatmap *h, __u64 duration_ns)
{
	/* The column of the last instant of the run, so that it is covered. */
	column(h, duration_ns ? duration_ns - 1 : 0);
}

__u64 heatmap__col_ns(const struct heatmap *h)
{
	return h->base_ns << h->shift;
}

unsigned int heatmap__cols(const struct heatmap *h)
{
	return h->cols;
}

const __u32 *heatmap__cells(const struct heatmap *h, int abi, int nr)
{
	if (abi < 0 || abi >= SYSRAY_ABI_CNT || nr < 0 || nr >= SYSRAY_MAX_NR)
		return NULL;
	return h->cells[SYSRAY_SLOT(abi, nr)];
}
