/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Correlation of per-window time series (docs/analysis.md): one value per window for each
 * series (a syscall's calls/s, its p99, a group's calls/s), then the Pearson coefficient of
 * every pair over the windows where both have a value. A pure library; the windows come from
 * the correlate sink.
 */
#ifndef SYSRAY_ANALYSIS_CORRELATE_H
#define SYSRAY_ANALYSIS_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define CORR_MIN_WINDOWS 10   /* fewer say nothing: reported as such */
#define CORR_MIN_ACTIVE	 5    /* a series with calls in fewer windows is a blip (start-up) */
#define CORR_MIN_ABS_R	 0.3  /* weaker pairs are not listed */
#define CORR_TOP	 10   /* pairs listed per sign */
#define CORR_MATRIX_MAX	 32   /* the whole matrix is in JSON up to this many series */
#define CORR_MAX_SERIES	 256  /* series beyond are left out, and counted */
#define CORR_MAX_WINDOWS 4096 /* the last this many windows are kept */
#define CORR_NAME_MAX	 96

enum corr_kind {
	CORR_CALLS = 0, /* a syscall's calls per second */
	CORR_P99,	/* a syscall's p99 latency (ns), in windows with enough calls */
	CORR_GROUP,	/* a group's calls per second (--anomaly-by) */
	CORR_KIND_CNT,
};

/*
 * Pearson's r of x and y over the i < len where both are finite; *used gets their number.
 * NAN when fewer than 2 or when either side is constant over them.
 */
double corr_pearson(const float *x, const float *y, size_t len, size_t *used);

struct corr_pair {
	unsigned int a, b; /* series indices, a < b */
	double r;
	unsigned int n; /* windows both had a value in */
};

struct corr_result {
	unsigned int windows;		/* kept (at most CORR_MAX_WINDOWS) */
	unsigned int total_windows;	/* seen */
	unsigned int series;		/* with a value in at least one window */
	unsigned int blips;		/* of which active in fewer than CORR_MIN_ACTIVE windows */
	unsigned int left_out;		/* series beyond CORR_MAX_SERIES */
	unsigned int pairs;		/* with a coefficient */
	unsigned int n_pos, n_neg;	/* listed */
	struct corr_pair pos[CORR_TOP]; /* r >= CORR_MIN_ABS_R, strongest first */
	struct corr_pair neg[CORR_TOP]; /* r <= -CORR_MIN_ABS_R, strongest first */
};

struct corr;

int corr__new(double window_s, struct corr **out);
void corr__free(struct corr *c);
/* Start a window: every series starts at 0 calls/s and no p99. 0 or -ENOMEM. */
int corr__next_window(struct corr *c);
/*
 * The value of series (kind, id) in the current window, the series created (named name) at
 * its first value; calls series seen later count 0 in the windows before. 0, or -ENOMEM.
 */
int corr__set(struct corr *c, enum corr_kind kind, __u64 id, const char *name, double v);
/* Compute the coefficients of the windows so far; the result stays in c. 0 or -ENOMEM. */
int corr__compute(struct corr *c);
const struct corr_result *corr__result(const struct corr *c);
double corr__window_s(const struct corr *c);
const char *corr__name(const struct corr *c, unsigned int series);
enum corr_kind corr__kind(const struct corr *c, unsigned int series);
/* r of two series from the last compute, NAN when it has none (also beyond the matrix). */
double corr__r(const struct corr *c, unsigned int a, unsigned int b);

const char *corr_kind_str(enum corr_kind k);
struct json_writer;
/* The "correlation" section of a report: text (after a blank line) and JSON. */
int corr_write_text(FILE *f, const struct corr *c);
void corr_put_json(struct json_writer *w, const struct corr *c);

#endif /* SYSRAY_ANALYSIS_CORRELATE_H */
