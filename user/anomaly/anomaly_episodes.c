// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Anomaly detector: severity, the episode state machine, events and the episode report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "anomaly/anomaly_priv.h"

enum anomaly_severity anomaly__severity_of(const struct anomaly *a, double score, double impact)
{
	double t = a->o.threshold, floor = a->o.impact_floor_ns;
	enum anomaly_severity s;

	if (!(score >= t))
		return ANOMALY_SEV_NONE;
	if (score >= 2.5 * t)
		s = ANOMALY_SEV_HIGH;
	else if (score >= 1.5 * t)
		s = ANOMALY_SEV_MEDIUM;
	else
		s = ANOMALY_SEV_LOW;
	if (impact >= 0 && impact < floor && s > ANOMALY_SEV_LOW)
		s = ANOMALY_SEV_LOW;
	else if (impact >= 0 && impact < 10 * floor && s > ANOMALY_SEV_MEDIUM)
		s = ANOMALY_SEV_MEDIUM;
	return s;
}

static enum anomaly_severity verdict_sev(const struct anomaly *a, const struct verdict *v)
{
	return anomaly__severity_of(a, v->score, v->capped ? v->impact : -1);
}

/* A free episode slot: evict the closed one with the least impact when full; -1 if none. */
static int episode_slot(struct anomaly *a)
{
	int best = -1;

	if (a->n_eps < a->o.max_episodes)
		return a->n_eps++;
	for (unsigned int i = 0; i < a->n_eps; i++) {
		const struct anomaly_episode *e = &a->eps[i];

		if (!e->open &&
		    (best < 0 || e->peak_impact_ns_per_s < a->eps[best].peak_impact_ns_per_s))
			best = i;
	}
	if (best >= 0) {
		a->evicted++;
		a->evicted_sev[a->eps[best].max_severity]++;
	}
	return best;
}

static const char *group_name(const struct anomaly *a, __u32 group)
{
	const struct agroup *g = group < a->o.max_groups ? a->groups[group] : NULL;

	return g ? g->name : "";
}

static void emit(struct anomaly *a, enum anomaly_kind kind, const struct verdict *v,
		 enum anomaly_severity sev, enum anomaly_state state, __u64 ts)
{
	struct anomaly_event ev = {
		.ts_ns = ts,
		.key = v->key,
		.name = v->name,
		.group = group_name(a, v->key.group),
		.kind = kind,
		.metric = v->metric,
		.severity = sev,
		.state = state,
		.score = v->score,
		.observed = v->observed,
		.baseline = v->baseline,
		.err = v->err,
		.impact_ns_per_s = v->impact,
		.threads = v->threads,
		.blocked_ns = v->blocked_ns,
	};

	if (a->fn)
		a->fn(a->ctx, &ev);
}

static void fire(struct anomaly *a, struct kstate *ks, enum anomaly_kind kind,
		 const struct verdict *v, __u64 ts, double isec)
{
	enum anomaly_severity sev = verdict_sev(a, v);
	int slot = episode_slot(a);

	/* A forced verdict may be below T: its severity starts at low. */
	if (sev == ANOMALY_SEV_NONE)
		sev = ANOMALY_SEV_LOW;
	a->total_eps++;
	ks->firing = true;
	ks->calm = 0;
	ks->ep = slot;
	if (slot < 0) {
		a->evicted++;
		a->evicted_sev[sev]++;
	} else {
		struct anomaly_episode *e = &a->eps[slot];

		*e = (struct anomaly_episode){
			.key = v->key,
			.kind = kind,
			.metric = v->metric,
			.max_severity = sev,
			.err = v->err,
			.max_score = v->score,
			.peak_impact_ns_per_s = v->impact,
			.extra_ns = v->impact * isec,
			.observed = v->observed,
			.baseline = v->baseline,
			.start_ns = ts,
			.end_ns = ts,
			.threads = v->threads,
			.blocked_ns = v->blocked_ns,
			.open = true,
		};
		snprintf(e->name, sizeof(e->name), "%s", v->name);
		snprintf(e->group, sizeof(e->group), "%s", group_name(a, v->key.group));
	}
	emit(a, kind, v, sev, ANOMALY_FIRING, ts);
}

static void resolve(struct anomaly *a, struct akey *k, struct kstate *ks, enum anomaly_kind kind,
		    const struct verdict *v, __u64 ts)
{
	enum anomaly_severity sev = ANOMALY_SEV_LOW;
	struct verdict last = *v;

	if (ks->ep >= 0) {
		struct anomaly_episode *e = &a->eps[ks->ep];

		e->open = false;
		e->end_ns = ts;
		sev = e->max_severity;
		/* The event names what the episode was about. */
		last.key = e->key;
		last.name = e->name;
		/* Once over, the errno is part of normal life: do not fire for it again. */
		if (e->err && k)
			akey__learn_errno(k, e->err);
		if (e->metric == ANOMALY_M_NEW_ERRNO) {
			/* The errno is gone (else the episode would go on). */
			last.metric = ANOMALY_M_NEW_ERRNO;
			last.err = e->err;
			last.observed = 0;
			last.baseline = 0;
		}
	}
	ks->firing = false;
	ks->votes = 0;
	ks->ep = -1;
	emit(a, kind, &last, sev, ANOMALY_RESOLVED, ts);
}

static void track(struct anomaly *a, struct kstate *ks, const struct verdict *v, __u64 ts,
		  double isec)
{
	struct anomaly_episode *e;
	enum anomaly_severity sev;

	if (ks->ep < 0)
		return;
	e = &a->eps[ks->ep];
	e->end_ns = ts;
	e->extra_ns += v->impact * isec;
	if (v->impact > e->peak_impact_ns_per_s)
		e->peak_impact_ns_per_s = v->impact;
	if (v->blocked_ns > e->blocked_ns)
		e->blocked_ns = v->blocked_ns;
	sev = verdict_sev(a, v);
	if (sev > e->max_severity)
		e->max_severity = sev;
	/* A new-errno episode keeps describing its errno, not the error ratio. */
	if (v->score > e->max_score &&
	    (e->metric != ANOMALY_M_NEW_ERRNO || v->metric == ANOMALY_M_NEW_ERRNO)) {
		e->metric = v->metric;
		e->err = v->err ? v->err : e->err;
		e->max_score = v->score;
		e->observed = v->observed;
		e->baseline = v->baseline;
		e->threads = v->threads ? v->threads : e->threads;
	}
}

/* The episode state machine of one kind: k-of-n to fire, k calm intervals to clear. */
void anomaly__step(struct anomaly *a, struct akey *k, struct kstate *ks, enum anomaly_kind kind,
		   const struct verdict *v, __u64 ts, double isec)
{
	__u32 mask = a->o.fire_n >= 32 ? ~0U : (1U << a->o.fire_n) - 1;

	if (!v->valid)
		return;
	if (!ks->firing) {
		ks->votes = ((ks->votes << 1) | v->bad) & mask;
		if (v->force ||
		    (v->bad && (unsigned int)__builtin_popcount(ks->votes) >= a->o.fire_k))
			fire(a, ks, kind, v, ts, isec);
		return;
	}
	track(a, ks, v, ts, isec);
	ks->calm = v->calm ? ks->calm + 1 : 0;
	if (ks->calm >= a->o.fire_k)
		resolve(a, k, ks, kind, v, ts);
}

void anomaly__close(struct anomaly *a, struct akey *k, struct kstate *ks, enum anomaly_kind kind,
		    __u32 group, __u64 ts)
{
	struct verdict v = { .metric = ANOMALY_M_RATE, .name = k ? k->name : "-" };

	if (!ks->firing)
		return;
	if (k)
		v.key = k->key;
	v.key.group = group;
	if (ks->ep >= 0)
		v.metric = a->eps[ks->ep].metric;
	resolve(a, k, ks, kind, &v, ts);
}

static int ep_start_cmp(const void *pa, const void *pb)
{
	const struct anomaly_episode *x = *(const struct anomaly_episode *const *)pa;
	const struct anomaly_episode *y = *(const struct anomaly_episode *const *)pb;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x < y ? -1 : x > y;
}

int anomaly__for_each_episode(const struct anomaly *a, anomaly_episode_fn fn, void *ctx)
{
	const struct anomaly_episode **v;
	int ret = 0;

	if (!a->n_eps)
		return 0;
	v = malloc(a->n_eps * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (unsigned int i = 0; i < a->n_eps; i++)
		v[i] = &a->eps[i];
	qsort(v, a->n_eps, sizeof(*v), ep_start_cmp);
	for (unsigned int i = 0; i < a->n_eps && !ret; i++)
		ret = fn(ctx, v[i]);
	free(v);
	return ret;
}

static bool ranks_above(const struct anomaly_episode *x, const struct anomaly_episode *y)
{
	if (x->peak_impact_ns_per_s != y->peak_impact_ns_per_s)
		return x->peak_impact_ns_per_s > y->peak_impact_ns_per_s;
	if (x->max_severity != y->max_severity)
		return x->max_severity > y->max_severity;
	return x->max_score > y->max_score;
}

void anomaly__summary(const struct anomaly *a, struct anomaly_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->episodes = a->total_eps;
	s->folded = a->folded;
	for (unsigned int i = 0; i < a->o.max_groups; i++)
		s->groups += a->groups[i] != NULL;
	s->evicted = a->evicted;
	memcpy(s->by_severity, a->evicted_sev, sizeof(s->by_severity));
	for (unsigned int i = 0; i < a->n_eps; i++) {
		const struct anomaly_episode *e = &a->eps[i];
		unsigned int j;

		s->by_severity[e->max_severity]++;
		s->open += e->open;
		/* Insertion into the sorted top list. */
		for (j = s->n_top; j > 0 && ranks_above(e, s->top[j - 1]); j--) {
			if (j < ANOMALY_TOP)
				s->top[j] = s->top[j - 1];
		}
		if (j < ANOMALY_TOP) {
			s->top[j] = e;
			if (s->n_top < ANOMALY_TOP)
				s->n_top++;
		}
	}
}
