/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The profile as JSON, schema "sysray.profile/1". */
#ifndef SYSRAY_REPORT_JSON_H
#define SYSRAY_REPORT_JSON_H

#include <stdio.h>
#include "profile.h"

#define REPORT_JSON_SCHEMA "sysray.profile/1"

/*
 * Write the whole profile as one JSON document followed by a newline.  Syscalls with calls
 * are listed by total_ns descending, then by name.  Returns 0, -ENOMEM, -EINVAL (a profile
 * the schema cannot express, e.g. an unknown target mode) or -EIO on a write error.
 */
int report_json(FILE *f, const struct profile *p, const char *version);

#endif /* SYSRAY_REPORT_JSON_H */
