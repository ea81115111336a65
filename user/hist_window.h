/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A sliding window over the last N interval histograms, kept as a running sum: the newest
 * interval is merged in and the one that leaves the window is subtracted, so a query over
 * the window costs one histogram's scan whatever N is. Memory: (N + 1) histograms.
 */
#ifndef SYSRAY_HIST_WINDOW_H
#define SYSRAY_HIST_WINDOW_H

#include "hist.h"

struct hist_window;

/* A window of n >= 1 intervals; -EINVAL or -ENOMEM. */
int hist_window__new(unsigned int n, struct hist_window **out);
void hist_window__free(struct hist_window *w);
/* The interval h has ended: it joins the window, the oldest leaves once n are held. */
int hist_window_push(struct hist_window *w, const struct hist *h);
/* The sum of the intervals held (min/max bucket-accurate once an interval has left). */
const struct hist *hist_window_sum(const struct hist_window *w);
/* Intervals held: up to n. */
unsigned int hist_window_len(const struct hist_window *w);

#endif /* SYSRAY_HIST_WINDOW_H */
