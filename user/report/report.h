/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A report of a profile in the format and with the views the user chose. */
#ifndef SYSRAY_REPORT_H
#define SYSRAY_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "report/report_hist.h"
#include "report/report_text.h"
#include "stats/profile.h"

struct anomaly;
struct anomaly_log_stats;
struct corr;
struct filter;
struct json_writer;

/* --clusters auto: K chosen by silhouette. */
#define REPORT_CLUSTERS_AUTO (-1)

enum report_format {
	REPORT_TEXT, /* the strace -c table and the text views */
	REPORT_JSON, /* sysray.profile/1 */
	REPORT_CSV,  /* the summary table, RFC 4180 (report_csv.h) */
	REPORT_FOLDED, /* folded stacks for flame graphs: only from report_extra.folded */
	REPORT_HTML, /* one page at the end, written by its own sink (user/html/), not here */
};

/*
 * Sections another sink adds to the whole-run report (--stacks), through callbacks so the
 * report does not depend on it. Not used for interval reports. Any member may be NULL.
 */
struct report_extra {
	void *ctx;
	/* Text: after the per-syscall and -P sections, before the footer. */
	int (*text)(void *ctx, FILE *f);
	/* JSON: more keys in the entry of syscall (abi, nr) of the whole-run "syscalls". */
	int (*json_syscall)(void *ctx, struct json_writer *w, int abi, int nr);
	/* JSON: more top-level keys, after the others. */
	int (*json)(void *ctx, struct json_writer *w);
	/* --format folded: the whole report. Also the HTML page's flame graph. */
	int (*folded)(void *ctx, FILE *f);
	/* What was captured and lost, as lines of text (the HTML page shows them). */
	int (*summary)(void *ctx, FILE *f);
};

struct report_opts {
	enum report_format format;
	struct report_text_opts text;  /* -S, -U, -T */
	struct hist_select hist;       /* --hist, --histogram */
	bool stats_extended;	       /* --stats-extended */
	bool intervals;		       /* -i: interval reports precede the whole run's */
	bool json_lines;	       /* --events -C: the JSON report is one line after them */
	const struct filter *filter;   /* stated in every report */
	const struct anomaly *anomaly; /* --anomaly: episodes for the whole-run report */
	const struct anomaly_log_stats *anomaly_log; /* --anomaly-log: lines written, lost */
	const struct corr *correlate;  /* --correlate: computed by its sink before the report */
	int clusters;		       /* --clusters: K, REPORT_CLUSTERS_AUTO, or 0 for none */
	const struct report_extra *extra; /* --stacks: its sections, or NULL */
};

/*
 * The report of the whole run, or of one interval when p->seq > 0: in text the summary
 * table, then --stats-extended, --hist and -P sections, then the footer; in JSON one
 * document (one line with -i). 0 or a negative errno (-EINVAL for REPORT_HTML).
 */
int report_write(FILE *f, const struct report_opts *o, const struct profile *p);
/* The one-line footer under the text table. */
void report_footer(FILE *f, const struct profile *p);

#endif /* SYSRAY_REPORT_H */
