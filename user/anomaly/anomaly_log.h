/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --anomaly-log: JSON Lines appended to a file opened with lib/safe_open.h, one whole line
 * per write. A line that cannot be written is counted (and cut off the file if part of it
 * got in): the first failure is a warning, the count goes into the final report.
 */
#ifndef SYSRAY_ANOMALY_LOG_H
#define SYSRAY_ANOMALY_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* What the final report says about the log. */
struct anomaly_log_stats {
	const char *path;
	__u64 written; /* lines */
	__u64 lost;    /* lines that could not be written */
	int err;       /* errno of the first failure, 0 if none */
};

struct anomaly_log {
	struct anomaly_log_stats stats;
	int fd;
	bool is_reg;
	bool warned;
};

/* 0, or -errno with a one-line reason in err. */
int anomaly_log__open(struct anomaly_log *l, const char *path, char *err, size_t errlen);
/* SIGHUP (rotation): open the path again; on failure lines are lost until the next one. */
int anomaly_log__reopen(struct anomaly_log *l);
/* line ends with its newline. */
void anomaly_log__write(struct anomaly_log *l, const char *line, size_t len);
void anomaly_log__close(struct anomaly_log *l);

#endif /* SYSRAY_ANOMALY_LOG_H */
