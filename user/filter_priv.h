/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by filter.c, filter_cgroup.c and filter_trace.c only. */
#ifndef SYSRAY_FILTER_PRIV_H
#define SYSRAY_FILTER_PRIV_H

#include <stddef.h>

/* filter_spec.seen */
#define FILTER_SEEN_FAILED     (1U << 0) /* -Z */
#define FILTER_SEEN_SUCCESSFUL (1U << 1) /* -z */

/* Format a one-line message into err and return rc. */
__attribute__((format(printf, 4, 5))) int filter_fail(char *err, size_t len, int rc,
						      const char *fmt, ...);

#endif /* SYSRAY_FILTER_PRIV_H */
