// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/log.h"
#include "report/deliver.h"
#include "report/report_sink.h"

struct report_sink {
	struct report_sink_opts o;
};

/* To the report stream, or to stderr when the report is a file that appears at the end. */
static int snapshot(void *ctx, const struct profile *so_far)
{
	struct report_sink *r = ctx;
	int err;

	if (r->o.out_name && strcmp(r->o.out_name, "-")) {
		err = report_write(stderr, &r->o.report, so_far);
		return !err && fflush(stderr) ? -errno : err;
	}
	/* A failure is told there, and the rest of the run goes to stderr. */
	report_deliver(r->o.out, &r->o.report, so_far, "the report so far");
	return 0;
}

static int stop(void *ctx, const struct profile *total)
{
	struct report_sink *r = ctx;
	int err, e;

	err = report_deliver(r->o.out, &r->o.report, total, "the report");
	e = output__commit(r->o.out);
	if (e)
		p_err("cannot rename the report to '%s': %s; it is in '%s'", r->o.out_name,
		      strerror(-e), output__tmp_path(r->o.out));
	if (!err)
		err = e;
	/* An interval that failed earlier makes the run's exit status say so too. */
	if (!err)
		err = output__error(r->o.out);
	/* The table says so too, but a report in a file is not in front of the user. */
	if (total->dropped && r->o.out_name)
		p_warn("%llu records dropped (ring buffer full); calls and errors are exact, "
		       "latencies cover the %llu delivered; try a larger --ring-size",
		       (unsigned long long)total->dropped, (unsigned long long)total->received);
	return err;
}

static void sink_free(void *ctx)
{
	free(ctx);
}

static const struct sink_ops report_ops = {
	.name = "report",
	.snapshot = snapshot,
	.stop = stop,
	.free = sink_free,
};

int report_sink__new(const struct report_sink_opts *o, struct sink *out)
{
	struct report_sink *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->o = *o;
	*out = (struct sink){ .ops = &report_ops, .ctx = r };
	return 0;
}
