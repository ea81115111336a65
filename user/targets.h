/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Running processes named with -p. */
#ifndef SYSRAY_TARGETS_H
#define SYSRAY_TARGETS_H

#include <stdbool.h>
#include <linux/types.h>

/* Map each pid (or thread id) to its process's tgid; prints which one does not exist. */
int targets_resolve(const int *pids, int n, __u32 **tgids);
/* True while at least one of the processes runs (zombies count as gone). */
bool targets_alive(const __u32 *tgids, int n);

#endif /* SYSRAY_TARGETS_H */
