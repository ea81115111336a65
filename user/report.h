/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The final report in the format the user chose, with its footer. */
#ifndef SYSRAY_REPORT_H
#define SYSRAY_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "opts.h"
#include "profile.h"

/* Validate the report options (-S, -U, --histogram) before anything runs; -EINVAL + message. */
int report_check_opts(const struct sysray_config *cfg, char *err, size_t errlen);
/*
 * The report of the whole run, or of one interval when p->seq > 0, with the views cfg asks
 * for: in text the summary table, then --stats-extended, --hist and -P sections, then the
 * footer; in JSON one document (one line with -i).
 */
int report_write(FILE *f, const struct sysray_config *cfg, const struct profile *p);
/* The one-line footer under the text table. */
void report_footer(FILE *f, const struct profile *p);

#endif /* SYSRAY_REPORT_H */
