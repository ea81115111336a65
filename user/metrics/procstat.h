/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* sysray's own process: what Prometheus exporters report as process_* metrics. */
#ifndef SYSRAY_METRICS_PROCSTAT_H
#define SYSRAY_METRICS_PROCSTAT_H

#include <linux/types.h>

struct procstat {
	double cpu_seconds;   /* user + system */
	double start_time;    /* seconds since the epoch */
	__u64 resident_bytes; /* RSS */
	__u64 virtual_bytes;
	__u64 open_fds;
	__u64 max_fds; /* the soft RLIMIT_NOFILE */
};

/* 0, or a negative errno when /proc/self cannot be read. */
int procstat_read(struct procstat *ps);

#endif /* SYSRAY_METRICS_PROCSTAT_H */
