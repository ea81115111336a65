// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Anomaly detector: options, groups and their syscalls, observations and ticks. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "anomaly/anomaly_priv.h"
#include "stats/hist.h"

static void set_defaults(struct anomaly_opts *o)
{
	if (!o->threshold)
		o->threshold = 4;
	if (!o->window)
		o->window = 60;
	if (!o->min_samples)
		o->min_samples = 10;
	if (!o->min_calls)
		o->min_calls = 10;
	if (!o->fire_k)
		o->fire_k = 2;
	if (!o->fire_n)
		o->fire_n = 3;
	if (!o->min_latency_delta_ns)
		o->min_latency_delta_ns = 5000;
	if (!o->min_rate_delta)
		o->min_rate_delta = 5;
	if (!o->min_error_delta)
		o->min_error_delta = 0.01;
	if (!o->impact_floor_ns)
		o->impact_floor_ns = 1e6;
	if (!o->slow_factor)
		o->slow_factor = 3;
	if (!o->errno_memory)
		o->errno_memory = 3600;
	if (!o->max_episodes)
		o->max_episodes = 1024;
	if (!o->kinds)
		o->kinds = ANOMALY_KINDS_DEFAULT;
	if (!o->max_groups)
		o->max_groups = 1;
	if (!o->stall_ratio)
		o->stall_ratio = 0.1;
}

static bool opts_ok(const struct anomaly_opts *o)
{
	return isfinite(o->threshold) && o->threshold > 0 && o->window <= ANOMALY_WINDOW_MAX &&
	       o->min_samples >= 3 && o->min_samples <= o->window && o->fire_k <= o->fire_n &&
	       o->fire_n <= ANOMALY_VOTES_MAX && o->min_rate_delta > 0 && o->min_error_delta > 0 &&
	       o->impact_floor_ns > 0 && o->slow_factor > 0 && !(o->kinds & ~ANOMALY_KINDS_ALL) &&
	       o->max_groups <= ANOMALY_GROUPS_MAX && o->stall_ratio > 0 && o->stall_ratio < 1;
}

int anomaly__new(const struct anomaly_opts *opts, anomaly_event_fn fn, void *ctx,
		 struct anomaly **out)
{
	struct anomaly *a;

	*out = NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	if (opts)
		a->o = *opts;
	set_defaults(&a->o);
	if (!opts_ok(&a->o)) {
		free(a);
		return -EINVAL;
	}
	a->fn = fn;
	a->ctx = ctx;
	a->scratch = calloc(a->o.window, sizeof(*a->scratch));
	a->eps = calloc(a->o.max_episodes, sizeof(*a->eps));
	a->groups = calloc(a->o.max_groups, sizeof(*a->groups));
	if (!a->scratch || !a->eps || !a->groups) {
		anomaly__free(a);
		return -ENOMEM;
	}
	*out = a;
	return 0;
}

static void group_free(struct agroup *g)
{
	if (!g)
		return;
	for (int i = 0; i < SYSRAY_NR_SLOTS; i++)
		free(g->keys[i]);
	free(g);
}

void anomaly__free(struct anomaly *a)
{
	if (!a)
		return;
	for (unsigned int i = 0; a->groups && i < a->o.max_groups; i++)
		group_free(a->groups[i]);
	free(a->groups);
	free(a->scratch);
	free(a->eps);
	free(a);
}

static struct agroup *group_get(struct anomaly *a, __u32 idx)
{
	struct agroup *g;

	if (idx >= a->o.max_groups)
		return NULL;
	g = a->groups[idx];
	if (g)
		return g;
	g = calloc(1, sizeof(*g) + (size_t)a->o.window * sizeof(float));
	if (!g)
		return NULL;
	g->idx = idx;
	g->stall.ep = -1;
	a->groups[idx] = g;
	return g;
}

int anomaly__set_group(struct anomaly *a, __u32 group, const char *name, bool mixed)
{
	struct agroup *g;

	if (group >= a->o.max_groups)
		return -EINVAL;
	g = group_get(a, group);
	if (!g)
		return -ENOMEM;
	snprintf(g->name, sizeof(g->name), "%s", name ? name : "");
	g->mixed = mixed;
	return 0;
}

static struct akey *key_get(struct anomaly *a, struct agroup *g, struct anomaly_key key,
			    const char *name)
{
	struct akey **slot = &g->keys[SYSRAY_SLOT(key.abi, key.nr)];
	struct akey *k = *slot;

	if (k)
		return k;
	k = calloc(1, sizeof(*k) + (size_t)a->o.window * SLOT_FLTS * sizeof(float));
	if (!k)
		return NULL;
	k->key = key;
	k->last_call = g->seq;
	if (name)
		snprintf(k->name, sizeof(k->name), "%s", name);
	else
		snprintf(k->name, sizeof(k->name), "syscall_%u", key.nr);
	for (int i = 0; i < ANOMALY_KIND_CNT; i++)
		k->ks[i].ep = -1;
	*slot = k;
	return k;
}

/* The errnos of an observation: known ones refreshed, the most frequent unknown one kept. */
static void take_errnos(struct anomaly *a, struct akey *k, const struct anomaly_obs *obs)
{
	bool frozen = k->ks[ANOMALY_NEW].firing;
	bool judged = k->ks[ANOMALY_ERRORS].count >= a->o.min_samples;

	for (int i = 0; i < obs->n_errnos; i++) {
		const struct anomaly_errno_count *e = &obs->errnos[i];

		if (!e->count || !e->err || e->err > SYSRAY_MAX_ERRNO)
			continue;
		if (akey__knows_errno(k, e->err, a->o.errno_memory)) {
			if (!frozen)
				akey__learn_errno(k, e->err);
		} else if (frozen || judged) {
			if (e->count > k->new_cnt) {
				k->new_err = e->err;
				k->new_cnt = e->count;
			}
		} else {
			akey__learn_errno(k, e->err); /* still learning what is normal */
		}
	}
}

int anomaly__observe(struct anomaly *a, struct anomaly_key key, const char *name,
		     const struct anomaly_obs *obs)
{
	struct agroup *g;
	struct akey *k;

	if (!a || !obs || key.abi >= SYSRAY_ABI_CNT || key.nr >= SYSRAY_MAX_NR ||
	    key.group >= a->o.max_groups || obs->n_errnos < 0 || (obs->n_errnos && !obs->errnos))
		return -EINVAL;
	g = group_get(a, key.group);
	k = g ? key_get(a, g, key, name) : NULL;
	if (!k)
		return -ENOMEM;
	if (k->pending)
		return -EEXIST;
	k->pending = true;
	k->calls = obs->calls;
	k->errors = obs->errors;
	k->total_ns = obs->total_ns;
	k->timed = obs->timed;
	k->p50 = obs->p50_ns;
	k->p99 = obs->p99_ns;
	k->p999 = obs->p999_ns ? obs->p999_ns : obs->p99_ns;
	take_errnos(a, k, obs);
	return 0;
}

int anomaly__observe_blocked(struct anomaly *a, __u32 group, const struct anomaly_blocked *b)
{
	struct agroup *g;

	if (!a || !b || group >= a->o.max_groups)
		return -EINVAL;
	g = group_get(a, group);
	if (!g)
		return -ENOMEM;
	g->blocked_seen = true;
	g->blocked = *b;
	snprintf(g->blocked_name, sizeof(g->blocked_name), "%s", b->name ? b->name : "?");
	g->blocked.name = g->blocked_name;
	return 0;
}

static void tick_group(struct anomaly *a, struct agroup *g, __u64 ts, double isec)
{
	g->calls = 0;
	for (int i = 0; i < SYSRAY_NR_SLOTS; i++)
		if (g->keys[i] && g->keys[i]->pending)
			g->calls += g->keys[i]->calls;
	for (int i = 0; i < SYSRAY_NR_SLOTS; i++) {
		struct akey *k = g->keys[i];

		if (!k)
			continue;
		if (!k->pending) {
			k->calls = k->errors = k->total_ns = k->timed = 0;
			k->p50 = k->p99 = k->p999 = 0;
		}
		anomaly_do_latency(a, k, ts, isec);
		anomaly_do_errors(a, k, ts, isec);
		anomaly_do_rate(a, k, ts, isec);
		anomaly_do_new(a, g, k, ts, isec);
		k->pending = false;
		k->new_err = k->new_cnt = 0;
		k->seq++;
	}
	anomaly_do_stall(a, g, ts, isec);
	g->blocked_seen = false;
	g->seq++;
}

int anomaly__tick_end(struct anomaly *a, __u64 ts_ns, __u64 interval_ns)
{
	if (!a || !interval_ns)
		return -EINVAL;
	for (unsigned int i = 0; i < a->o.max_groups; i++)
		if (a->groups[i])
			tick_group(a, a->groups[i], ts_ns, interval_ns / 1e9);
	return 0;
}

void anomaly__forget_group(struct anomaly *a, __u32 group, __u64 ts)
{
	struct agroup *g = group < a->o.max_groups ? a->groups[group] : NULL;

	if (!g)
		return;
	for (int i = 0; i < SYSRAY_NR_SLOTS; i++) {
		struct akey *k = g->keys[i];

		for (int kind = 0; k && kind < ANOMALY_KIND_CNT; kind++)
			anomaly__close(a, k, &k->ks[kind], kind, group, ts);
	}
	anomaly__close(a, NULL, &g->stall, ANOMALY_STALL, group, ts);
	group_free(g);
	a->groups[group] = NULL;
}

bool anomaly__group_stalled(const struct anomaly *a, __u32 group)
{
	const struct agroup *g = group < a->o.max_groups ? a->groups[group] : NULL;

	return g && g->stall.firing;
}

void anomaly__set_folded(struct anomaly *a, unsigned int folded)
{
	a->folded = folded;
}

int anomaly_obs__from_hist(struct anomaly_obs *obs, const struct hist *h)
{
	static const double qs[3] = { 50, 99, 99.9 };
	__u64 out[3];
	int err;

	err = hist__percentiles(h, qs, 3, out);
	if (err)
		return err;
	obs->timed = hist__count(h);
	obs->total_ns = hist__sum(h);
	obs->p50_ns = out[0];
	obs->p99_ns = out[1];
	obs->p999_ns = out[2];
	return 0;
}

__u64 anomaly__slow_threshold(const struct anomaly *a, struct anomaly_key key)
{
	const struct agroup *g;
	const struct akey *k;

	if (key.abi >= SYSRAY_ABI_CNT || key.nr >= SYSRAY_MAX_NR || key.group >= a->o.max_groups)
		return 0;
	g = a->groups[key.group];
	k = g ? g->keys[SYSRAY_SLOT(key.abi, key.nr)] : NULL;
	return k ? k->slow_ns : 0;
}
