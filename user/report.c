// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include "report.h"
#include "report_json.h"
#include "report_text.h"

static int text_opts(const struct sysray_config *cfg, struct report_text_opts *o, char *err,
		     size_t errlen)
{
	int rc = 0;

	*o = (struct report_text_opts){ 0 };
	if (cfg->sort_by)
		rc = report_parse_sort(cfg->sort_by, o, err, errlen);
	if (!rc && cfg->columns)
		rc = report_parse_columns(cfg->columns, o, err, errlen);
	return rc;
}

int report_check_opts(const struct sysray_config *cfg, char *err, size_t errlen)
{
	struct report_text_opts o;

	return text_opts(cfg, &o, err, errlen);
}

void report_footer(FILE *f, const struct profile *p)
{
	fprintf(f, "%llu events received, %llu dropped%s, %llu processes traced, %.3f s wall time\n",
		(unsigned long long)p->received, (unsigned long long)p->dropped,
		p->dropped ? " (latency covers received events; calls and errors are exact)" : "",
		(unsigned long long)p->procs, p->duration_ns / 1e9);
}

int report_write(FILE *f, const struct sysray_config *cfg, const struct profile *p)
{
	struct report_text_opts o;
	char err[REPORT_ERR_LEN];
	int rc;

	if (cfg->format == FORMAT_JSON)
		return report_json(f, p, SYSRAY_VERSION);
	rc = text_opts(cfg, &o, err, sizeof(err));
	if (!rc)
		rc = report_text(f, &p->total, &o);
	if (!rc)
		report_footer(f, p);
	return rc;
}
