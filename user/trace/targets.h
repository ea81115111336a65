/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Running processes named with -p, held by pidfd from the moment they are named: a process
 * that exits can be told from a new one that is given its pid later, which is never traced.
 */
#ifndef SYSRAY_TARGETS_H
#define SYSRAY_TARGETS_H

#include <stdbool.h>
#include <linux/types.h>

struct targets;

/*
 * Map each pid (or thread id) to its process, without duplicates, and open a pidfd on each
 * process; prints which one cannot be traced (gone, a kernel thread, sysray itself).
 */
int targets__new(const int *pids, int n, struct targets **out);
int targets__count(const struct targets *t);
__u32 targets__tgid(const struct targets *t, int i);
/* Readable once the process has exited (every thread); owned by the targets. */
int targets__pidfd(const struct targets *t, int i);
/* Whether process i has exited. */
bool targets__exited(const struct targets *t, int i);
/* 0 if every process is still there, else -ESRCH after "cannot trace process N: ...". */
int targets__check(const struct targets *t);
void targets__free(struct targets *t);

#endif /* SYSRAY_TARGETS_H */
