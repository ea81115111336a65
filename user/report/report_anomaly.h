/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The anomaly section of the final report: episodes by severity, the top ones by impact. */
#ifndef SYSRAY_REPORT_ANOMALY_H
#define SYSRAY_REPORT_ANOMALY_H

#include <stdio.h>

struct anomaly;
struct anomaly_log_stats;
struct json_writer;

/* log: what became of --anomaly-log's lines, or NULL. */
int report_anomaly_text(FILE *f, const struct anomaly *a, const struct anomaly_log_stats *log);
/* "anomalies": [top episodes by impact] and "anomaly_summary": {...} members. */
void report_anomaly_json(struct json_writer *w, const struct anomaly *a,
			 const struct anomaly_log_stats *log);

#endif /* SYSRAY_REPORT_ANOMALY_H */
