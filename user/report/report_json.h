/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The profile as JSON, schema "sysray.profile/1" (docs/json-schema.md). */
#ifndef SYSRAY_REPORT_JSON_H
#define SYSRAY_REPORT_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include "stats/profile.h"

#define REPORT_JSON_SCHEMA "sysray.profile/1"

struct anomaly;
struct anomaly_log_stats;
struct corr;
struct filter;
struct report_extra;

struct report_json_opts {
	const char *version;
	bool compact;	  /* one line (JSON Lines), else indented by two spaces */
	unsigned int top; /* -T: at most this many syscalls per list, and groups; 0: all */
	const struct filter *filter;	  /* stated as "filters" in the whole-run document */
	const struct anomaly *anomaly;	  /* episodes for the whole-run document, or NULL */
	const struct anomaly_log_stats *anomaly_log; /* with anomaly: the log's lost lines */
	const struct corr *correlate;	  /* --correlate, or NULL */
	int clusters;			  /* --clusters: K, -1 for auto, 0 for none */
	const struct report_extra *extra; /* --stacks: more keys in the whole-run document */
};

/*
 * Write the profile as one JSON document followed by a newline: the whole run, or with
 * p->seq > 0 an interval object.  Syscalls with calls are listed by total_ns descending,
 * then by name.  Returns 0, -ENOMEM, -EINVAL (a profile the schema cannot express, e.g. an
 * unknown target mode) or the stream's -errno on a write error.
 */
int report_json_write(FILE *f, const struct profile *p, const struct report_json_opts *o);
/* The whole-run document, indented. */
int report_json(FILE *f, const struct profile *p, const char *version);

#endif /* SYSRAY_REPORT_JSON_H */
