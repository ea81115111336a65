// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Anomaly detector: the kinds that are about what a service stopped or started doing. `new`:
 * a syscall (or an errno) the baseline lacks appears with material impact. `stall`: a group's
 * calls fall toward zero while its threads sit in one call.
 */
#include <math.h>
#include "anomaly/anomaly_priv.h"

#define RATE_SCALE_MIN 0.05

/*
 * Novelty: a syscall first seen once its group has a baseline, or back after errno_memory
 * ticks without a call. It stays novel until its episode resolves, or for a whole window if
 * it never costs enough to fire (it is then part of the baseline).
 */
static void update_novelty(struct anomaly *a, const struct agroup *g, struct akey *k)
{
	bool mature = g->seq >= a->o.min_samples;

	if (!k->calls)
		return;
	if (mature && (!k->seq || g->seq - k->last_call > a->o.errno_memory)) {
		k->novel = true;
		k->novel_ticks = 0;
	}
	k->last_call = g->seq;
	if (k->novel && ++k->novel_ticks > a->o.window && !k->ks[ANOMALY_NEW].firing)
		k->novel = false;
}

/* Time per second in the syscall; untimed calls cost the timed mean. */
static double time_per_s(const struct akey *k, double isec)
{
	double t = (double)k->total_ns;

	if (k->timed && k->calls > k->timed)
		t *= (double)k->calls / k->timed;
	return t / isec;
}

void anomaly_do_new(struct anomaly *a, struct agroup *g, struct akey *k, __u64 ts, double isec)
{
	struct kstate *ks = &k->ks[ANOMALY_NEW];
	double t = a->o.threshold, floor = a->o.impact_floor_ns, spent = time_per_s(k, isec);
	double share = k->calls ? (double)k->new_cnt / k->calls : 0;
	double mean = k->timed ? (double)k->total_ns / k->timed : k->base_mean_ns;
	struct verdict v = { .metric = ANOMALY_M_NEW_SYSCALL, .key = k->key, .name = k->name };
	bool was = ks->firing;

	update_novelty(a, g, k);
	if (!kind_on(a, g, ANOMALY_NEW) || g->seq < a->o.min_samples)
		return;
	v.valid = true;
	if (k->novel && spent >= floor) {
		/* Not a z-score: T at the impact floor, one T more per factor of 10 above it. */
		v.bad = v.force = v.capped = true;
		v.score = t * (1 + log10(spent / floor));
		v.observed = v.impact = spent;
	} else if (k->new_cnt && share >= a->o.min_error_delta) {
		v.bad = v.force = true;
		v.metric = ANOMALY_M_NEW_ERRNO;
		v.err = k->new_err;
		v.score = fmax(k->err_z, t);
		v.observed = share;
		v.impact = k->new_cnt / isec * mean;
	} else {
		/* Calm once the syscall costs little and the errno is rare or gone. */
		v.calm = !(k->novel && spent >= floor / 2) &&
			 !(k->new_cnt && share >= a->o.min_error_delta / 2);
		v.observed = k->novel ? spent : 0;
	}
	anomaly__step(a, k, ks, ANOMALY_NEW, &v, ts, isec);
	if (was && !ks->firing)
		k->novel = false;
}

/* The group's blocked threads, as the verdict names them. */
static void blocked_of(struct anomaly *a, const struct agroup *g, const struct kstate *ks,
		       struct verdict *v)
{
	if (g->blocked_seen && g->blocked.threads) {
		v->key = g->blocked.key;
		v->name = g->blocked_name;
		v->threads = g->blocked.threads;
		v->blocked_ns = g->blocked.longest_ns;
	} else if (ks->firing && ks->ep >= 0) {
		v->key = a->eps[ks->ep].key;
		v->name = a->eps[ks->ep].name;
	} else {
		v->name = "-";
	}
	v->key.group = g->idx;
}

void anomaly_do_stall(struct anomaly *a, struct agroup *g, __u64 ts, double isec)
{
	struct kstate *ks = &g->stall;
	double lr = log((g->calls + 1) / isec), t = a->o.threshold;
	struct verdict v = { .metric = ANOMALY_M_STALL, .capped = true };
	bool on = kind_on(a, g, ANOMALY_STALL);

	blocked_of(a, g, ks, &v);
	if (ks->count >= a->o.min_samples) {
		struct sstat st;
		double base, z, calls = g->calls;
		bool stuck = v.threads && v.blocked_ns >= 2 * isec * 1e9;

		sig_stats(a, g->rate, 1, ks->count, &st);
		st.scale = mem_scale(a, ks, &g->stall_mem, st.scale);
		base = fmax(exp(st.med) - 1 / isec, 0);
		z = -scaled_z(lr, &st, fmax(RATE_SCALE_MIN, 1 / sqrt(base * isec + 1)));
		/* A group that was busy, now (nearly) silent, with a thread stuck in a call. */
		if (base * isec >= a->o.min_calls) {
			v.valid = true;
			v.bad = stuck && z >= t && calls <= a->o.stall_ratio * base * isec;
			v.calm = !(stuck && z >= t / 2 && calls <= base * isec / 2);
			v.score = z;
			v.observed = calls / isec;
			v.baseline = base;
			v.impact =
			    v.threads * 1e9; /* each blocked thread loses a second per second */
		}
	}
	if (on)
		anomaly__step(a, NULL, ks, ANOMALY_STALL, &v, ts, isec);
	if (!ks->firing && !(on && v.bad)) {
		const float x = lr;

		ring_push(a, ks, g->rate, 1, &x);
	}
}
