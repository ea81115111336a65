/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The two text formats a scrape can ask for, written into a growable buffer: Prometheus'
 * text exposition format 0.0.4 and OpenMetrics 1.0. They differ in the family names of
 * counters (OpenMetrics drops "_total" there), _created samples, # UNIT and # EOF; a
 * writer hides that, so one walk over the data renders either.
 */
#ifndef SYSRAY_METRICS_EXPOSITION_H
#define SYSRAY_METRICS_EXPOSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

enum expo_format {
	EXPO_PROM, /* text/plain; version=0.0.4 */
	EXPO_OM,   /* application/openmetrics-text; version=1.0.0 */
};

enum expo_type {
	EXPO_COUNTER,
	EXPO_GAUGE,
	EXPO_HISTOGRAM,
};

#define EXPO_PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define EXPO_OM_CONTENT_TYPE   "application/openmetrics-text; version=1.0.0; charset=utf-8"

struct expo {
	enum expo_format fmt;
	char *p;
	size_t len, cap;
	bool oom;	     /* an append failed: the text is incomplete */
	enum expo_type type; /* of the family being written */
	const char *family;
};

void expo__init(struct expo *e, enum expo_format fmt);
void expo__reset(struct expo *e, enum expo_format fmt);
/* Room for n bytes at once (the previous document's size), before anything is written. */
void expo__reserve(struct expo *e, size_t n);
/* Hand the text over (NUL-terminated, *len bytes without it); NULL after a failure. */
char *expo__take(struct expo *e, size_t *len);
void expo__free(struct expo *e);

void expo__puts(struct expo *e, const char *s);
void expo__putn(struct expo *e, const char *s, size_t n);
void expo__u64(struct expo *e, __u64 v);
/* The shortest decimal that reads back as v; +Inf, -Inf, NaN as the formats spell them. */
void expo__double(struct expo *e, double v);

/*
 * Start a family: # HELP, # TYPE (and # UNIT in OpenMetrics when unit is given). name is
 * the name of the samples without a suffix: "sysray_syscalls_total" for a counter, whose
 * OpenMetrics family is then "sysray_syscalls".
 */
void expo__family(struct expo *e, const char *name, enum expo_type type, const char *unit,
		  const char *help);
/*
 * One sample: name, suffix ("_bucket", "_sum", "" ...), {labels} when labels is not empty,
 * and the value. labels is a preformatted list: syscall="read",abi="x86_64".
 */
void expo__sample(struct expo *e, const char *suffix, const char *labels, const char *extra,
		  __u64 v);
void expo__sample_f(struct expo *e, const char *suffix, const char *labels, const char *extra,
		    double v);
/* OpenMetrics only (nothing in 0.0.4): the _created sample of a counter or histogram. */
void expo__created(struct expo *e, const char *labels, __u64 wall_ns);
/* OpenMetrics' "# EOF" (nothing in 0.0.4). */
void expo__end(struct expo *e);

#endif /* SYSRAY_METRICS_EXPOSITION_H */
