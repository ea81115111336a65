// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Anomaly detector: the latency, errors, rate and drop kinds of one syscall's interval. */
#include <math.h>
#include "anomaly/anomaly_priv.h"

/* Lowest scales (log units, ratio): a flat baseline must not turn jitter into huge scores. */
#define LAT_SCALE_MIN  0.05
#define RATE_SCALE_MIN 0.05
#define ERR_SCALE_MIN  1e-4

void anomaly_do_latency(struct anomaly *a, struct akey *k, __u64 ts, double isec)
{
	struct kstate *ks = &k->ks[ANOMALY_LATENCY];
	float *ring = k->data;
	double mean, t = a->o.threshold;
	struct verdict v = {
		.metric = ANOMALY_M_P99, .capped = true, .key = k->key, .name = k->name
	};
	bool on = kind_on(a, group_of_key(a, k), ANOMALY_LATENCY);

	if (k->timed < a->o.min_calls || !k->p50 || !k->p99)
		return;
	mean = fmax((double)k->total_ns / k->timed, 1);
	if (ks->count >= a->o.min_samples) {
		const __u64 obs[2] = { k->p50, k->p99 };
		int pin = ks->firing && ks->ep >= 0 ? a->eps[ks->ep].metric == ANOMALY_M_P99 : -1;
		struct sstat st;
		bool gated = false;

		sig_stats(a, ring + COL_MEAN, LAT_COLS, ks->count, &st);
		k->base_mean_ns = exp(st.med);
		sig_stats(a, ring + COL_P999, LAT_COLS, ks->count, &st);
		k->slow_ns = (__u64)(exp(st.med) * a->o.slow_factor);
		v.valid = true;
		v.calm = true;
		v.score = -INFINITY;
		for (int m = 0; m < 2; m++) {
			double z, base;
			bool gate;

			sig_stats(a, ring + (m ? COL_P99 : COL_P50), LAT_COLS, ks->count, &st);
			st.scale = mem_scale(a, ks, &k->mem[m ? SIG_P99 : SIG_P50], st.scale);
			z = scaled_z(log((double)obs[m]), &st, LAT_SCALE_MIN);
			base = exp(st.med);
			gate = obs[m] - base >= a->o.min_latency_delta_ns;
			v.bad |= gate && z >= t;
			v.calm &= !(gate && z >= t / 2);
			/*
			 * Report the metric that matters: gated first, then the higher score; an
			 * episode keeps the one it fired on.
			 */
			if (pin >= 0 ? pin == m
				     : (gate && !gated) || (gate == gated && z > v.score)) {
				v.metric = m ? ANOMALY_M_P99 : ANOMALY_M_P50;
				v.score = z;
				v.observed = obs[m];
				v.baseline = base;
				gated = gate;
			}
		}
		v.impact = fmax(0, mean - k->base_mean_ns) * k->calls / isec;
	}
	if (on)
		anomaly__step(a, k, ks, ANOMALY_LATENCY, &v, ts, isec);
	/*
	 * A bad interval stays out of the baseline even before its episode fires: with a
	 * short window, one step sample would otherwise be the q95 that sets the scale and
	 * hide the second bad interval the vote needs. (With the kind off, the window is kept
	 * for the slow-call threshold and follows every change.)
	 */
	if (!ks->firing && !(on && v.bad)) {
		const float x[LAT_COLS] = { logf(k->p50), logf(k->p99), logf(k->p999), logf(mean) };

		ring_push(a, ks, ring, LAT_COLS, x);
	}
}

void anomaly_do_errors(struct anomaly *a, struct akey *k, __u64 ts, double isec)
{
	struct kstate *ks = &k->ks[ANOMALY_ERRORS];
	float *ring = k->data + (size_t)a->o.window * LAT_COLS;
	bool enough = k->calls >= a->o.min_calls,
	     on = kind_on(a, group_of_key(a, k), ANOMALY_ERRORS);
	double calls = fmax(k->calls, 1), ratio = fmin(k->errors / calls, 1);
	double t = a->o.threshold;
	struct verdict v = { .metric = ANOMALY_M_ERR_RATIO, .key = k->key, .name = k->name };

	k->err_z = 0;
	if (!enough && !k->new_cnt)
		return;
	if (ks->count >= a->o.min_samples) {
		struct sstat st;
		double p, z, mean = k->timed ? (double)k->total_ns / k->timed : k->base_mean_ns;
		bool gate;

		sig_stats(a, ring, 1, ks->count, &st);
		st.scale = mem_scale(a, ks, &k->mem[SIG_ERR], st.scale);
		/* Binomial noise of this interval's count: a zero baseline has no MAD. */
		p = (st.med * calls + 1) / (calls + 2);
		z = (ratio - st.med) /
		    fmax(fmax(st.scale, sqrt(p * (1 - p) / calls)), ERR_SCALE_MIN);
		k->err_z = z;
		gate = enough && ratio - st.med >= a->o.min_error_delta;
		v.valid = enough;
		v.bad = gate && z >= t;
		v.calm = !(gate && z >= t / 2);
		v.score = z;
		v.observed = ratio;
		v.baseline = st.med;
		v.impact = fmax(0, ratio - st.med) * k->calls / isec * mean;
	}
	if (on)
		anomaly__step(a, k, ks, ANOMALY_ERRORS, &v, ts, isec);
	if (!ks->firing && enough && !(on && v.bad)) {
		const float x = ratio;

		ring_push(a, ks, ring, 1, &x);
	}
}

/* The rate up (kind rate) or down (kind drop) against one baseline. */
static void rate_verdicts(struct anomaly *a, struct akey *k, double isec, struct verdict *up,
			  struct verdict *dn)
{
	struct kstate both = k->ks[ANOMALY_RATE];
	float *ring = k->data + (size_t)a->o.window * (LAT_COLS + 1);
	double rate = k->calls / isec, lr = log((k->calls + 1) / isec), t = a->o.threshold;
	double base, z, mean;
	struct sstat st;
	bool gate;

	/* The scale memory is frozen while either direction fires. */
	both.firing |= k->ks[ANOMALY_DROP].firing;
	sig_stats(a, ring, 1, both.count, &st);
	st.scale = mem_scale(a, &both, &k->mem[SIG_RATE], st.scale);
	base = fmax(exp(st.med) - 1 / isec, 0);
	/* Mostly idle syscalls (bursts, periodic jobs) have no rate to compare with. */
	if (base * isec < a->o.min_calls)
		return;
	/* Poisson: sd(log count) ~ 1 / sqrt(count). */
	z = scaled_z(lr, &st, fmax(RATE_SCALE_MIN, 1 / sqrt(base * isec + 1)));
	mean = k->base_mean_ns;
	if (!mean && k->timed)
		mean = (double)k->total_ns / k->timed;
	gate = rate - base >= a->o.min_rate_delta;
	*up = (struct verdict){ .valid = true,
				.bad = gate && z >= t,
				.calm = !(gate && z >= t / 2),
				.metric = ANOMALY_M_RATE,
				.score = z,
				.observed = rate,
				.baseline = base,
				.impact = fmax(0, rate - base) * mean,
				.capped = true,
				.key = k->key,
				.name = k->name };
	gate = base - rate >= a->o.min_rate_delta;
	*dn = *up;
	dn->bad = gate && -z >= t;
	dn->calm = !(gate && -z >= t / 2);
	dn->score = -z;
	dn->impact = fmax(0, base - rate) * mean;
}

void anomaly_do_rate(struct anomaly *a, struct akey *k, __u64 ts, double isec)
{
	struct kstate *ks = &k->ks[ANOMALY_RATE], *ds = &k->ks[ANOMALY_DROP];
	float *ring = k->data + (size_t)a->o.window * (LAT_COLS + 1);
	struct verdict up = { .key = k->key, .name = k->name }, dn = up;
	bool on_up = kind_on(a, group_of_key(a, k), ANOMALY_RATE),
	     on_dn = kind_on(a, group_of_key(a, k), ANOMALY_DROP);

	if (ks->count >= a->o.min_samples)
		rate_verdicts(a, k, isec, &up, &dn);
	if (on_up)
		anomaly__step(a, k, ks, ANOMALY_RATE, &up, ts, isec);
	if (on_dn)
		anomaly__step(a, k, ds, ANOMALY_DROP, &dn, ts, isec);
	/* One window for both directions, frozen while either fires. */
	if (!ks->firing && !ds->firing && !(on_up && up.bad) && !(on_dn && dn.bad)) {
		const float x = log((k->calls + 1) / isec);

		ring_push(a, ks, ring, 1, &x);
	}
}
