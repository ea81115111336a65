/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The parts of the HTML page, each written by one file of user/html/. */
#ifndef SYSRAY_HTML_PRIV_H
#define SYSRAY_HTML_PRIV_H

#include <stdio.h>
#include <linux/types.h>
#include "html/heatmap.h"
#include "html/html_sink.h"
#include "lib/syscalls.h"
#include "stats/profile.h"

/* What the run's facts say beyond the profile (wall clock, host). */
struct html_facts {
	__s64 start_wall_ns; /* CLOCK_REALTIME when tracing began */
	char host[65];
	char kernel[65];
	char machine[65];
};

/* One syscall with calls, in the order of the page (total time descending, then name). */
struct html_sc {
	int abi, nr;
	const struct sc_stat *st;
	const struct sc_detail *detail; /* NULL without a delivered record */
	const char *name;
	char buf[SYSCALL_NAME_BUF];
};

struct html_doc {
	const struct profile *p;
	const struct heatmap *hm;
	const struct html_sink_opts *o;
	const struct html_facts *facts;
	struct html_sc *sc;
	size_t nr_sc;
};

/* The whole page. 0, -ENOMEM or -EIO. */
int html_write(FILE *f, const struct html_doc *d);

/* Sections (html_tables.c, html_plot.c, html_time.c). */
void html_run_facts(FILE *f, const struct html_doc *d);
void html_summary(FILE *f, const struct html_doc *d);
int html_processes(FILE *f, const struct html_doc *d);
int html_histograms(FILE *f, const struct html_doc *d);
void html_heatmaps(FILE *f, const struct html_doc *d);
void html_anomalies(FILE *f, const struct html_doc *d);
/* The data the page's script draws from: heatmap cells and episodes, as JSON. */
int html_data(FILE *f, const struct html_doc *d);

/* --stacks: the flame graph of the folded stacks (html_flame.c). */
int html_stacks(FILE *f, const struct html_doc *d);

/* The tree of folded stacks the flame graph draws; node 0 is the root (all commands). */
struct fnode {
	const char *name; /* into the folded text, not terminated */
	size_t len;
	__u64 value;
	size_t child, next; /* first child, next sibling: index, 0 for none */
};

struct flame {
	struct fnode *n;
	size_t nr, cap;
	int depth; /* deepest row drawn */
};

/* Folded lines ("a;b;c VALUE\n"...) into fl; text must outlive it. 0 or -ENOMEM. */
int html_flame_build(struct flame *fl, const char *text, size_t len);
/* The <svg> of fl, values in unit ("ns", "calls"). 0 or -ENOMEM. */
int html_flame_svg(FILE *f, struct flame *fl, const char *unit);
void html_flame_free(struct flame *fl);

/* Static parts (html_assets.c). */
extern const char html_css[];
extern const char html_js[];

/* Text from anywhere (traced processes above all): escaped as strace does, then for HTML. */
void html_puts(FILE *f, const char *s);
/* A latency for people: "850 ns", "1.23 µs", "45.6 ms", "2.50 s". */
const char *html_dur(char *buf, size_t len, double ns);
/* The ABI's label in the tables ("x86_64", "i386"). */
const char *html_abi(int abi);

#endif /* SYSRAY_HTML_PRIV_H */
