// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include "filter.h"
#include "report.h"
#include "report_anomaly.h"
#include "report_groups.h"
#include "report_hist.h"
#include "report_json.h"
#include "report_stats.h"
#include "report_text.h"

static int text_opts(const struct sysray_config *cfg, struct report_text_opts *o, char *err,
		     size_t errlen)
{
	int rc = 0;

	*o = (struct report_text_opts){ .top = cfg->top };
	if (cfg->sort_by)
		rc = report_parse_sort(cfg->sort_by, o, err, errlen);
	if (!rc && cfg->columns)
		rc = report_parse_columns(cfg->columns, o, err, errlen);
	return rc;
}

int report_check_opts(const struct sysray_config *cfg, char *err, size_t errlen)
{
	struct report_text_opts o;
	struct hist_select sel;
	int rc;

	rc = text_opts(cfg, &o, err, errlen);
	if (!rc)
		rc = report_hist_select(cfg->hist_all, cfg->hist_syscalls, &sel, err, errlen);
	return rc;
}

void report_footer(FILE *f, const struct profile *p)
{
	fprintf(f, "%llu events received, %llu dropped%s, ", (unsigned long long)p->received,
		(unsigned long long)p->dropped,
		p->dropped ? " (latency covers received events; calls and errors are exact)" : "");
	if (p->missed)
		fprintf(f, "%llu missed by the kernel (not counted), ",
			(unsigned long long)p->missed);
	fprintf(f, "%llu processes traced, %.3f s wall time\n", (unsigned long long)p->procs,
		p->duration_ns / 1e9);
}

static void interval_footer(FILE *f, const struct profile *p)
{
	fprintf(f, "%llu events received, %llu dropped, %.3f s\n", (unsigned long long)p->received,
		(unsigned long long)p->dropped, p->duration_ns / 1e9);
}

static int write_text(FILE *f, const struct sysray_config *cfg, const struct profile *p)
{
	struct report_text_opts o;
	struct hist_select sel;
	char err[REPORT_ERR_LEN];
	int rc;

	rc = text_opts(cfg, &o, err, sizeof(err));
	if (!rc)
		rc = report_hist_select(cfg->hist_all, cfg->hist_syscalls, &sel, err, sizeof(err));
	if (rc)
		return rc;
	/* With -i, a rule tells the intervals and the final report apart. */
	if (p->seq > 1 || (!p->seq && cfg->interval_ns))
		fputc('\n', f);
	if (p->seq)
		fprintf(f, "--- interval %u: %.3f s to %.3f s ---\n", p->seq, p->offset_ns / 1e9,
			(p->offset_ns + p->duration_ns) / 1e9);
	else if (cfg->interval_ns)
		fprintf(f, "--- total: %.3f s ---\n", p->duration_ns / 1e9);
	rc = report_text(f, &p->total, &o);
	if (!rc && cfg->stats_extended)
		rc = report_stats(f, p, &o);
	if (!rc)
		rc = report_hist(f, p, &sel, &o);
	if (!rc)
		rc = report_groups(f, p, &o);
	if (!rc && p->anomaly && !p->seq)
		rc = report_anomaly_text(f, p->anomaly);
	if (rc)
		return rc;
	/* The sections above each start with a blank line; so does the footer after them. */
	if (cfg->stats_extended || sel.any || p->groups || (p->anomaly && !p->seq))
		fputc('\n', f);
	if (p->seq)
		interval_footer(f, p);
	else
		report_footer(f, p);
	/* Filters never hide the accounting: say which were active. */
	filter_describe_text(&cfg->filter, f);
	if (cfg->interval_ns && fflush(f))
		return -EIO;
	return ferror(f) ? -EIO : 0;
}

int report_write(FILE *f, const struct sysray_config *cfg, const struct profile *p)
{
	struct report_json_opts jo = {
		.version = SYSRAY_VERSION,
		/* With -i the output is JSON Lines: the final report is one line too. */
		.compact = cfg->interval_ns != 0,
		.top = cfg->top,
		.filter = &cfg->filter,
	};

	if (cfg->format == FORMAT_JSON)
		return report_json_write(f, p, &jo);
	return write_text(f, cfg, p);
}
