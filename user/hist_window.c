// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include "hist_window.h"

struct hist_window {
	unsigned int n, len, head; /* head: where the next interval goes */
	struct hist *sum;
	struct hist **ring;
};

int hist_window__new(unsigned int n, struct hist_window **out)
{
	struct hist_window *w;

	if (!n)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->n = n;
	w->sum = hist__new();
	w->ring = calloc(n, sizeof(*w->ring));
	if (!w->sum || !w->ring) {
		hist_window__free(w);
		return -ENOMEM;
	}
	*out = w;
	return 0;
}

void hist_window__free(struct hist_window *w)
{
	if (!w)
		return;
	for (unsigned int i = 0; w->ring && i < w->n; i++)
		hist__free(w->ring[i]);
	free(w->ring);
	hist__free(w->sum);
	free(w);
}

int hist_window_push(struct hist_window *w, const struct hist *h)
{
	struct hist **slot = &w->ring[w->head];
	int err;

	if (!*slot) {
		/* Slots are allocated as the window fills, then reused. */
		*slot = hist__new();
		if (!*slot)
			return -ENOMEM;
	} else if (w->len == w->n) {
		err = hist_subtract(w->sum, *slot);
		if (err)
			return err;
	}
	hist_reset(*slot);
	hist_merge(*slot, h);
	hist_merge(w->sum, h);
	w->head = (w->head + 1) % w->n;
	if (w->len < w->n)
		w->len++;
	return 0;
}

const struct hist *hist_window_sum(const struct hist_window *w)
{
	return w->sum;
}

unsigned int hist_window_len(const struct hist_window *w)
{
	return w->len;
}
