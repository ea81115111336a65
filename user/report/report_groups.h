/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* -P / --per-thread as text: the summary table once per process or thread. */
#ifndef SYSRAY_REPORT_GROUPS_H
#define SYSRAY_REPORT_GROUPS_H

#include <stdio.h>
#include "stats/profile.h"
#include "report/report_text.h"

/*
 * For each group of p->groups that made calls, by total time descending (at most o->top
 * groups): a title line, "pid 1234 (make): calls 1075, errors 3, 0.001234 s" (per thread:
 * "tid 1235 of pid 1234 (make): ..."), then its table as report_text() prints it.  Nothing
 * without groups.  Returns 0, -ENOMEM, -EINVAL for bad opts or -EIO.
 */
int report_groups(FILE *f, const struct profile *p, const struct report_text_opts *o);

#endif /* SYSRAY_REPORT_GROUPS_H */
