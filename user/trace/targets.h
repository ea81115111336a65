/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Running processes named with -p. */
#ifndef SYSRAY_TARGETS_H
#define SYSRAY_TARGETS_H

#include <stdbool.h>
#include <linux/types.h>

/*
 * Map each pid (or thread id) to its process's tgid, without duplicates (*nr of them);
 * prints which one cannot be traced (gone, a kernel thread, sysray itself).
 */
int targets_resolve(const int *pids, int n, __u32 **tgids, int *nr);

#endif /* SYSRAY_TARGETS_H */
