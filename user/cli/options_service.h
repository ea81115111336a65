/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Parsers of the option table's service-mode rows (cli/options.c). */
#ifndef SYSRAY_CLI_OPTIONS_SERVICE_H
#define SYSRAY_CLI_OPTIONS_SERVICE_H

#include <stddef.h>
#include "cli/opts.h"

/* --listen, --metrics-by, --metrics-max-series, --metrics-expire, --metrics-buckets, --web-* */
int cli_parse_metrics(struct cli_config *c, int id, const char *s, char *err, size_t len);
/* --anomaly-by, --anomaly-max-groups, --anomaly-kinds, --slow-calls */
int cli_set_service(struct cli_config *c, int id, const char *s, char *err, size_t len);

#endif /* SYSRAY_CLI_OPTIONS_SERVICE_H */
