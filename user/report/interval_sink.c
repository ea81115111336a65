// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/clock.h"
#include "lib/log.h"
#include "report/interval_sink.h"
#include "stats/aggregate.h"

struct interval_sink {
	struct interval_sink_opts o;
	struct aggregate *agg; /* this interval's records */
	struct ticker ticker;
	__u64 start_ns;	  /* tracing began */
	__u64 last_ns;	  /* the current interval began */
	__u64 dropped;	  /* the kernel's dropped count at the last report */
	unsigned int seq; /* of the last report */
};

static int start(void *ctx, const struct sink_start *s)
{
	struct interval_sink *iv = ctx;
	struct aggregate_opts ao = { .group_by = iv->o.group_by, .pid_max = s->pid_max };
	int err = aggregate__new(&ao, &iv->agg);

	if (err) {
		p_err("out of memory");
		return err;
	}
	aggregate__set_comm_source(iv->agg, s->comm_fn, s->comm_ctx);
	/* The facts of the run the interval reports state (--sample). */
	aggregate__profile(iv->agg)->run = *s->run;
	iv->start_ns = iv->last_ns = s->run->start_ns;
	ticker__start(&iv->ticker, iv->o.period_ns, s->run->start_ns);
	return 0;
}

static int records(void *ctx, const struct sysray_rec *recs, size_t n)
{
	struct interval_sink *iv = ctx;

	return aggregate__add(iv->agg, recs, n);
}

static __u64 next_tick(void *ctx)
{
	struct interval_sink *iv = ctx;

	return iv->ticker.next;
}

/* Report the interval that ends at end (monotonic ns), then start the next one. */
static int emit(struct interval_sink *iv, __u64 end, __u64 dropped)
{
	struct profile *p = aggregate__profile(iv->agg);
	int err;

	p->seq = ++iv->seq;
	p->offset_ns = iv->last_ns - iv->start_ns;
	p->duration_ns = end - iv->last_ns;
	p->dropped = dropped - iv->dropped;
	err = report_write(iv->o.f, &iv->o.report, p);
	if (err)
		p_err("cannot write an interval report: %s", strerror(-err));
	aggregate__reset(iv->agg);
	iv->dropped = dropped;
	iv->last_ns = end;
	return err;
}

static int tick(void *ctx, const struct sink_tick *t)
{
	struct interval_sink *iv = ctx;

	if (!ticker__due(&iv->ticker, t->now))
		return 0;
	return emit(iv, t->now, t->dropped);
}

/* What arrived since the last tick, if anything, up to the end of tracing. */
static int stop(void *ctx, const struct profile *total)
{
	struct interval_sink *iv = ctx;
	__u64 end = iv->start_ns + total->duration_ns;

	if (!iv->agg)
		return 0;
	if (end < iv->last_ns)
		end = iv->last_ns;
	if (!aggregate__profile(iv->agg)->received && total->dropped == iv->dropped)
		return 0;
	return emit(iv, end, total->dropped);
}

static void sink_free(void *ctx)
{
	struct interval_sink *iv = ctx;

	aggregate__free(iv->agg);
	free(iv);
}

static const struct sink_ops interval_ops = {
	.name = "interval",
	.start = start,
	.records = records,
	.next_tick = next_tick,
	.tick = tick,
	.stop = stop,
	.free = sink_free,
};

int interval_sink__new(const struct interval_sink_opts *o, struct sink *out)
{
	struct interval_sink *iv;

	if (!o->period_ns || !o->f)
		return -EINVAL;
	iv = calloc(1, sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	iv->o = *o;
	*out = (struct sink){ .ops = &interval_ops, .ctx = iv };
	return 0;
}
