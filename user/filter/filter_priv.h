/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the filter/ files only. */
#ifndef SYSRAY_FILTER_PRIV_H
#define SYSRAY_FILTER_PRIV_H

#include <stddef.h>

/* filter.seen */
#define FILTER_SEEN_FAILED     (1U << 0) /* -Z */
#define FILTER_SEEN_SUCCESSFUL (1U << 1) /* -z */

#endif /* SYSRAY_FILTER_PRIV_H */
