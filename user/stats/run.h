/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a run traced and when: stated by every report. */
#ifndef SYSRAY_STATS_RUN_H
#define SYSRAY_STATS_RUN_H

#include <linux/types.h>

enum target_mode {
	TARGET_COMMAND, /* a command and its descendants */
	TARGET_PID,	/* running processes (-p) */
	TARGET_SYSTEM,	/* every task but sysray (-a) */
};

struct run_info {
	enum target_mode mode;
	char **argv;	 /* command mode: the command line, NULL-terminated */
	const int *pids; /* pid mode: as given */
	int nr_pids;
	int exit_status; /* command mode: the command's status once known, else -1 */
	__u64 start_ns;	 /* CLOCK_MONOTONIC when tracing began */
	__u32 sample_every; /* --sample N: one call in N timed, chosen at random; 0: every call */
	const char *hooks;  /* "tracepoints" or "trampolines" (live runs), or NULL */
};

#endif /* SYSRAY_STATS_RUN_H */
