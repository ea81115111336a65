// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include "analysis/cluster.h"
#include "analysis/correlate.h"
#include "filter/filter.h"
#include "report/report.h"
#include "report/report_anomaly.h"
#include "report/report_groups.h"
#include "report/report_csv.h"
#include "report/report_json.h"
#include "report/report_stats.h"
#include "lib/escape.h"
#include "lib/walltime.h"

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
	if (p->run.sample_every > 1)
		fprintf(f,
			"sampled: 1 call in %u timed, chosen at random (%llu timed, %llu counted "
			"only); calls and errors are exact, times and percentiles are from the "
			"timed calls\n",
			p->run.sample_every, (unsigned long long)p->received,
			(unsigned long long)p->unsampled);
}

/* When and where: a report read later, or far from the machine, says so itself. */
static void run_footer(FILE *f, const struct run_info *run)
{
	char from[WALLTIME_LEN], to[WALLTIME_LEN];

	if (!run->start_wall_ns)
		return;
	walltime_rfc3339(from, sizeof(from), run->start_wall_ns);
	if (run->end_wall_ns)
		walltime_rfc3339(to, sizeof(to), run->end_wall_ns);
	/* A container's root sets its own host name: escaped like any untrusted bytes. */
	fprintf(f, "traced from %s%s%s on ", from, run->end_wall_ns ? " to " : "",
		run->end_wall_ns ? to : "");
	fputs_escaped(run->hostname[0] ? run->hostname : "?", f);
	fprintf(f, " (Linux %s)\n", run->kernel[0] ? run->kernel : "?");
}

static void interval_footer(FILE *f, const struct profile *p)
{
	fprintf(f, "%llu events received, %llu dropped, %.3f s", (unsigned long long)p->received,
		(unsigned long long)p->dropped, p->duration_ns / 1e9);
	if (p->run.sample_every > 1)
		fprintf(f, ", sampled: the timed calls only (1 in %u)", p->run.sample_every);
	fputc('\n', f);
}

static void title(FILE *f, const struct report_opts *o, const struct profile *p)
{
	/* With -i, a rule tells the intervals and the final report apart. */
	if (p->seq > 1 || (!p->seq && o->intervals))
		fputc('\n', f);
	if (p->seq)
		fprintf(f, "--- interval %u: %.3f s to %.3f s ---\n", p->seq, p->offset_ns / 1e9,
			(p->offset_ns + p->duration_ns) / 1e9);
	else if (o->intervals)
		fprintf(f, "--- total: %.3f s ---\n", p->duration_ns / 1e9);
}

/* --clusters of the whole run's groups. */
static int clusters_text(FILE *f, const struct report_opts *o, const struct profile *p)
{
	struct clusters *c;
	int rc =
	    clusters__compute(p->groups, o->clusters == REPORT_CLUSTERS_AUTO ? 0 : o->clusters, &c);

	if (rc)
		return rc;
	rc = clusters_write_text(f, c);
	clusters__free(c);
	return rc;
}

static int write_text(FILE *f, const struct report_opts *o, const struct profile *p)
{
	const struct anomaly *episodes = p->seq ? NULL : o->anomaly;
	const struct report_extra *x = p->seq ? NULL : o->extra;
	const struct corr *corr = p->seq ? NULL : o->correlate;
	bool clusters = !p->seq && o->clusters && p->groups;
	int rc;

	title(f, o, p);
	rc = report_text(f, &p->total, &o->text);
	if (!rc && o->stats_extended)
		rc = report_stats(f, p, &o->text);
	if (!rc)
		rc = report_hist(f, p, &o->hist, &o->text);
	if (!rc)
		rc = report_groups(f, p, &o->text);
	if (!rc && episodes)
		rc = report_anomaly_text(f, episodes, o->anomaly_log);
	if (!rc && corr)
		rc = corr_write_text(f, corr);
	if (!rc && clusters)
		rc = clusters_text(f, o, p);
	if (!rc && x && x->text)
		rc = x->text(x->ctx, f);
	if (rc)
		return rc;
	/* The sections above each start with a blank line; so does the footer after them. */
	if (o->stats_extended || o->hist.any || p->groups || episodes || corr || (x && x->text))
		fputc('\n', f);
	if (p->seq) {
		interval_footer(f, p);
	} else {
		report_footer(f, p);
		run_footer(f, &p->run);
	}
	/* Filters never hide the accounting: say which were active. */
	if (o->filter)
		filter__describe_text(o->filter, f);
	errno = 0;
	if ((o->intervals && fflush(f)) || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

int report_write(FILE *f, const struct report_opts *o, const struct profile *p)
{
	struct report_json_opts jo = {
		.version = SYSRAY_VERSION,
		/* With -i or --events the output is JSON Lines: the final report is one too. */
		.compact = o->intervals || o->json_lines,
		.top = o->text.top,
		.filter = o->filter,
		.anomaly = p->seq ? NULL : o->anomaly,
		.anomaly_log = o->anomaly_log,
		.correlate = p->seq ? NULL : o->correlate,
		.clusters = p->seq ? 0 : o->clusters,
		.extra = o->extra,
	};

	if (o->format == REPORT_JSON)
		return report_json_write(f, p, &jo);
	if (o->format == REPORT_CSV)
		return report_csv(f, p, &o->text);
	if (o->format == REPORT_FOLDED) {
		/* Folded stacks have no interval form: an interval writes nothing. */
		if (p->seq)
			return 0;
		if (!o->extra || !o->extra->folded)
			return -EINVAL;
		return o->extra->folded(o->extra->ctx, f);
	}
	if (o->format == REPORT_HTML)
		return -EINVAL;
	return write_text(f, o, p);
}
