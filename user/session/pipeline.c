// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "session/pipeline.h"
#include "stats/aggregate.h"

struct pipeline {
	struct aggregate *agg; /* the whole run */
	struct sink *sinks;
	size_t nr_sinks;
	struct sink *rec_sinks; /* those with a records callback, for the hot path */
	size_t nr_rec_sinks;
};

int pipeline__new(const struct pipeline_opts *o, struct pipeline **out)
{
	struct aggregate_opts ao = {
		.group_by = o->group_by,
		.count_tgids = o->count_tgids,
		.pid_max = o->pid_max,
	};
	struct pipeline *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = aggregate__new(&ao, &p->agg);
	if (err) {
		free(p);
		return err;
	}
	*out = p;
	return 0;
}

static int push(struct sink **arr, size_t *n, struct sink s)
{
	struct sink *a = realloc(*arr, (*n + 1) * sizeof(*a));

	if (!a)
		return -ENOMEM;
	a[(*n)++] = s;
	*arr = a;
	return 0;
}

int pipeline__add_sink(struct pipeline *p, struct sink s)
{
	int err = push(&p->sinks, &p->nr_sinks, s);

	if (err) {
		s.ops->free(s.ctx);
		return err;
	}
	/* A copy for the hot path: freed through the first array only. */
	if (s.ops->records)
		return push(&p->rec_sinks, &p->nr_rec_sinks, s);
	return 0;
}

int pipeline__start(struct pipeline *p, const struct sink_start *s)
{
	int err;

	aggregate__profile(p->agg)->run = *s->run;
	aggregate__set_comm_source(p->agg, s->comm_fn, s->comm_ctx);
	for (size_t i = 0; i < p->nr_sinks; i++) {
		const struct sink *k = &p->sinks[i];

		err = k->ops->start ? k->ops->start(k->ctx, s) : 0;
		if (err)
			return err;
	}
	return 0;
}

int pipeline__records(void *pipeline, const struct sysray_rec *recs, size_t n)
{
	struct pipeline *p = pipeline;
	int err = aggregate__add(p->agg, recs, n);

	for (size_t i = 0; !err && i < p->nr_rec_sinks; i++)
		err = p->rec_sinks[i].ops->records(p->rec_sinks[i].ctx, recs, n);
	return err;
}

int pipeline__event(void *pipeline, const struct sysray_event *ev, size_t len)
{
	struct pipeline *p = pipeline;
	int err = 0;

	for (size_t i = 0; !err && i < p->nr_sinks; i++)
		if (p->sinks[i].ops->event)
			err = p->sinks[i].ops->event(p->sinks[i].ctx, ev, len);
	return err;
}

int pipeline__stack_event(void *pipeline, const struct sysray_stack_event *e, size_t size)
{
	struct pipeline *p = pipeline;
	int err = 0;

	for (size_t i = 0; !err && i < p->nr_sinks; i++)
		if (p->sinks[i].ops->stack_event)
			err = p->sinks[i].ops->stack_event(p->sinks[i].ctx, e, size);
	return err;
}

__u64 pipeline__next_tick(struct pipeline *p)
{
	__u64 next = 0;

	for (size_t i = 0; i < p->nr_sinks; i++) {
		const struct sink *k = &p->sinks[i];
		__u64 t = k->ops->next_tick ? k->ops->next_tick(k->ctx) : 0;

		if (t && (!next || t < next))
			next = t;
	}
	return next;
}

bool pipeline__tick_wants_counts(struct pipeline *p, __u64 now)
{
	for (size_t i = 0; i < p->nr_sinks; i++) {
		const struct sink *k = &p->sinks[i];
		__u64 due = k->ops->next_tick ? k->ops->next_tick(k->ctx) : 0;

		if (k->ops->tick_counts && due && due <= now)
			return true;
	}
	return false;
}

int pipeline__tick(struct pipeline *p, const struct sink_tick *t)
{
	int err, rc = 0;

	for (size_t i = 0; i < p->nr_sinks; i++) {
		const struct sink *k = &p->sinks[i];
		__u64 due = k->ops->next_tick ? k->ops->next_tick(k->ctx) : 0;

		if (!due || due > t->now || !k->ops->tick)
			continue;
		err = k->ops->tick(k->ctx, t);
		if (err < 0)
			return err;
		/* The others still get their tick: the stop comes after this one. */
		if (err == SINK_STOP)
			rc = SINK_STOP;
	}
	return rc;
}

static void set_totals(struct profile *prof, const struct sysray_counts *c, __u64 duration_ns,
		       __u64 procs)
{
	profile__add_counts(prof, c);
	prof->duration_ns = duration_ns;
	prof->procs = procs;
}

int pipeline__snapshot(struct pipeline *p, const struct sysray_counts *c, __u64 duration_ns,
		       __u64 procs)
{
	struct profile *snap;
	int err = 0, e;

	/* A shallow copy: the details and groups are shared, only the tables change. */
	snap = malloc(sizeof(*snap));
	if (!snap)
		return -ENOMEM;
	*snap = *aggregate__profile(p->agg);
	set_totals(snap, c, duration_ns, procs);
	for (size_t i = 0; i < p->nr_sinks; i++) {
		const struct sink *k = &p->sinks[i];

		e = k->ops->snapshot ? k->ops->snapshot(k->ctx, snap) : 0;
		if (e && !err)
			err = e;
	}
	free(snap);
	return err;
}

int pipeline__reopen(struct pipeline *p)
{
	int err = 0, e;

	for (size_t i = 0; i < p->nr_sinks; i++) {
		const struct sink *k = &p->sinks[i];

		e = k->ops->reopen ? k->ops->reopen(k->ctx) : 0;
		if (e && !err)
			err = e;
	}
	return err;
}

int pipeline__stop(struct pipeline *p, const struct sysray_counts *c, const struct run_info *run,
		   __u64 duration_ns, __u64 procs)
{
	struct profile *prof = aggregate__profile(p->agg);
	int err = 0, e;

	set_totals(prof, c, duration_ns, procs);
	prof->run = *run;
	/* Every sink gets its stop, even after one failed: each has its own output. */
	for (size_t i = 0; i < p->nr_sinks; i++) {
		const struct sink *k = &p->sinks[i];

		e = k->ops->stop ? k->ops->stop(k->ctx, prof) : 0;
		if (e && !err)
			err = e;
	}
	return err;
}

__u64 pipeline__tgids_seen(const struct pipeline *p)
{
	return aggregate__tgids_seen(p->agg);
}

const struct profile *pipeline__profile(struct pipeline *p)
{
	return aggregate__profile(p->agg);
}

void pipeline__free(struct pipeline *p)
{
	if (!p)
		return;
	for (size_t i = p->nr_sinks; i-- > 0;)
		p->sinks[i].ops->free(p->sinks[i].ctx);
	free(p->sinks);
	free(p->rec_sinks);
	aggregate__free(p->agg);
	free(p);
}
