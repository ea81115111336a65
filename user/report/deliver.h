/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One report to its output, and to stderr when the output fails: never lost in silence. */
#ifndef SYSRAY_REPORT_DELIVER_H
#define SYSRAY_REPORT_DELIVER_H

#include "report/output.h"
#include "report/report.h"

/*
 * Write p to o. On a failure, one error line names the output, the real errno and where the
 * report went instead (stderr), and the report is written there. 0, or the -errno of the
 * failure (also when the report then reached stderr).
 */
int report_deliver(struct output *o, const struct report_opts *ro, const struct profile *p,
		   const char *what);

#endif /* SYSRAY_REPORT_DELIVER_H */
