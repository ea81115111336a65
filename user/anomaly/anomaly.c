// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Anomaly detector: per-syscall baselines and scoring of each interval. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "anomaly/anomaly_priv.h"
#include "stats/hist.h"

/* Lowest scales (log units, ratio): a flat baseline must not turn jitter into huge scores. */
#define LAT_SCALE_MIN  0.05
#define RATE_SCALE_MIN 0.05
#define ERR_SCALE_MIN  1e-4

struct sstat {
	double med, scale;
};

static void set_defaults(struct anomaly_opts *o)
{
	if (!o->threshold)
		o->threshold = 4;
	if (!o->window)
		o->window = 60;
	if (!o->min_samples)
		o->min_samples = ANOMALY_MIN_SAMPLES;
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
}

static bool opts_ok(const struct anomaly_opts *o)
{
	return isfinite(o->threshold) && o->threshold > 0 && o->window <= ANOMALY_WINDOW_MAX &&
	       o->min_samples >= 3 && o->min_samples <= o->window && o->fire_k <= o->fire_n &&
	       o->fire_n <= ANOMALY_VOTES_MAX && o->min_rate_delta > 0 && o->min_error_delta > 0 &&
	       o->impact_floor_ns > 0 && o->slow_factor > 0;
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
	if (!a->scratch || !a->eps) {
		anomaly__free(a);
		return -ENOMEM;
	}
	*out = a;
	return 0;
}

void anomaly__free(struct anomaly *a)
{
	if (!a)
		return;
	for (int i = 0; i < SYSRAY_NR_SLOTS; i++)
		free(a->keys[i]);
	free(a->scratch);
	free(a->eps);
	free(a);
}

/* k-th smallest of v[0..n-1] (Hoare partitioning); leaves v[k+1..] >= the result. */
static float select_k(float *v, int n, int k)
{
	int lo = 0, hi = n - 1;

	while (lo < hi) {
		float pivot = v[lo + (hi - lo) / 2];
		int i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				float t = v[i];

				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

static double median(float *v, int n)
{
	float lo = select_k(v, n, (n - 1) / 2), hi = lo;

	if (n % 2 == 0) {
		hi = v[n / 2];
		for (int i = n / 2 + 1; i < n; i++)
			hi = v[i] < hi ? v[i] : hi;
	}
	return ((double)lo + hi) / 2;
}

/*
 * Median, and a scale that is the larger of 1.4826 MAD and the upper semi-spread
 * (q95 - median) / 1.645: both estimate sigma for normal data, but the second grows with a
 * heavy right tail that MAD ignores, and only upward moves are alarms.
 */
static void sig_stats(struct anomaly *a, const float *col, int stride, int n, struct sstat *st)
{
	float *v = a->scratch;
	double q95, mad;

	for (int i = 0; i < n; i++)
		v[i] = col[i * stride];
	st->med = median(v, n);
	q95 = select_k(v, n, (int)ceil(0.95 * n) - 1);
	for (int i = 0; i < n; i++)
		v[i] = fabsf(v[i] - (float)st->med);
	mad = median(v, n);
	st->scale = fmax(1.4826 * mad, (q95 - st->med) / 1.645);
}

/*
 * A spread needs more samples than a level.  The scale used is never below a slow average of
 * past scales (a running mean, then an EWMA over SCALE_MEMORY windows), so a window that
 * happens to look calm does not turn noise into alarms; and it is widened by 1 + 3 / n for
 * the uncertainty of a scale taken from only n intervals, as a Student t would be.
 */
#define SCALE_MEMORY 5

static double mem_scale(const struct anomaly *a, const struct kstate *ks, struct scale_mem *m,
			double scale)
{
	if (!ks->firing) {
		if (m->n < SCALE_MEMORY * a->o.window)
			m->n++;
		m->scale += (scale - m->scale) / m->n;
	}
	return fmax(scale, m->scale) * (1 + 3.0 / ks->count);
}

static void ring_push(struct anomaly *a, struct kstate *ks, float *ring, int cols, const float *x)
{
	memcpy(ring + (size_t)ks->head * cols, x, cols * sizeof(*x));
	ks->head = (ks->head + 1) % a->o.window;
	if (ks->count < a->o.window)
		ks->count++;
}

static double scaled_z(double x, const struct sstat *st, double min_scale)
{
	return (x - st->med) / fmax(st->scale, min_scale);
}

static void do_latency(struct anomaly *a, struct akey *k, __u64 ts, double isec)
{
	struct kstate *ks = &k->ks[ANOMALY_LATENCY];
	float *ring = k->data;
	double mean, t = a->o.threshold;
	struct verdict v = { .metric = ANOMALY_M_P99, .capped = true };

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
	anomaly__step(a, k, ANOMALY_LATENCY, &v, ts, isec);
	/*
	 * A bad interval stays out of the baseline even before its episode fires: with a
	 * short window, one step sample would otherwise be the q95 that sets the scale and
	 * hide the second bad interval the vote needs.
	 */
	if (!ks->firing && !v.bad) {
		const float x[LAT_COLS] = { logf(k->p50), logf(k->p99), logf(k->p999), logf(mean) };

		ring_push(a, ks, ring, LAT_COLS, x);
	}
}

static void do_errors(struct anomaly *a, struct akey *k, __u64 ts, double isec)
{
	struct kstate *ks = &k->ks[ANOMALY_ERRORS];
	float *ring = k->data + (size_t)a->o.window * LAT_COLS;
	bool enough = k->calls >= a->o.min_calls, fresh = k->new_cnt > 0;
	double calls = fmax(k->calls, 1), ratio = fmin(k->errors / calls, 1);
	double t = a->o.threshold;
	struct verdict v = { .metric = ANOMALY_M_ERR_RATIO };

	if (!enough && !fresh)
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
		gate = enough && ratio - st.med >= a->o.min_error_delta;
		v.valid = true;
		v.bad = (gate && z >= t) || fresh;
		v.calm = !(gate && z >= t / 2) && !fresh;
		v.force = fresh;
		v.score = z;
		v.observed = ratio;
		v.baseline = st.med;
		v.impact = fmax(0, ratio - st.med) * k->calls / isec * mean;
		if (fresh) {
			v.metric = ANOMALY_M_NEW_ERRNO;
			v.err = k->new_err;
			v.score = fmax(z, t);
			v.observed = fmin(k->new_cnt / calls, 1);
			v.baseline = 0;
		}
	}
	anomaly__step(a, k, ANOMALY_ERRORS, &v, ts, isec);
	if (!ks->firing && enough && !v.bad) {
		const float x = ratio;

		ring_push(a, ks, ring, 1, &x);
	}
}

static void do_rate(struct anomaly *a, struct akey *k, __u64 ts, double isec)
{
	struct kstate *ks = &k->ks[ANOMALY_RATE];
	float *ring = k->data + (size_t)a->o.window * (LAT_COLS + 1);
	double rate = k->calls / isec, lr = log((k->calls + 1) / isec), t = a->o.threshold;
	struct verdict v = { .metric = ANOMALY_M_RATE, .capped = true };

	if (ks->count >= a->o.min_samples) {
		struct sstat st;
		double base, z, mean;
		bool gate;

		sig_stats(a, ring, 1, ks->count, &st);
		st.scale = mem_scale(a, ks, &k->mem[SIG_RATE], st.scale);
		base = fmax(exp(st.med) - 1 / isec, 0);
		/* Mostly idle syscalls (bursts, periodic jobs) have no rate to compare with. */
		if (base * isec >= a->o.min_calls) {
			/* Poisson: sd(log count) ~ 1 / sqrt(count). */
			z = scaled_z(lr, &st, fmax(RATE_SCALE_MIN, 1 / sqrt(base * isec + 1)));
			gate = rate - base >= a->o.min_rate_delta;
			if (a->o.rate_drops && z < 0) {
				z = -z;
				gate = base - rate >= a->o.min_rate_delta;
			}
			mean = k->base_mean_ns;
			if (!mean && k->timed)
				mean = (double)k->total_ns / k->timed;
			v.valid = true;
			v.bad = gate && z >= t;
			v.calm = !(gate && z >= t / 2);
			v.score = z;
			v.observed = rate;
			v.baseline = base;
			v.impact = fmax(0, rate - base) * mean;
		}
	}
	anomaly__step(a, k, ANOMALY_RATE, &v, ts, isec);
	if (!ks->firing && !v.bad) {
		const float x = lr;

		ring_push(a, ks, ring, 1, &x);
	}
}

static struct akey *key_get(struct anomaly *a, struct anomaly_key key, const char *name)
{
	struct akey **slot = &a->keys[SYSRAY_SLOT(key.abi, key.nr)];
	struct akey *k = *slot;

	if (k)
		return k;
	k = calloc(1, sizeof(*k) + (size_t)a->o.window * SLOT_FLTS * sizeof(float));
	if (!k)
		return NULL;
	k->key = key;
	if (name)
		snprintf(k->name, sizeof(k->name), "%s", name);
	else
		snprintf(k->name, sizeof(k->name), "syscall_%u", key.nr);
	for (int i = 0; i < ANOMALY_KIND_CNT; i++)
		k->ks[i].ep = -1;
	*slot = k;
	return k;
}

int anomaly__observe(struct anomaly *a, struct anomaly_key key, const char *name,
		     const struct anomaly_obs *obs)
{
	const struct kstate *eks;
	bool frozen, judged;
	struct akey *k;

	if (!a || !obs || key.abi >= SYSRAY_ABI_CNT || key.nr >= SYSRAY_MAX_NR ||
	    obs->n_errnos < 0 || (obs->n_errnos && !obs->errnos))
		return -EINVAL;
	k = key_get(a, key, name);
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
	eks = &k->ks[ANOMALY_ERRORS];
	frozen = eks->firing;
	judged = eks->count >= a->o.min_samples;
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
	return 0;
}

int anomaly__tick_end(struct anomaly *a, __u64 ts_ns, __u64 interval_ns)
{
	double isec;

	if (!a || !interval_ns)
		return -EINVAL;
	isec = interval_ns / 1e9;
	for (int i = 0; i < SYSRAY_NR_SLOTS; i++) {
		struct akey *k = a->keys[i];

		if (!k)
			continue;
		if (!k->pending) {
			k->calls = k->errors = k->total_ns = k->timed = 0;
			k->p50 = k->p99 = k->p999 = 0;
		}
		do_latency(a, k, ts_ns, isec);
		do_errors(a, k, ts_ns, isec);
		do_rate(a, k, ts_ns, isec);
		k->pending = false;
		k->new_err = k->new_cnt = 0;
		k->seq++;
	}
	return 0;
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
	const struct akey *k;

	if (key.abi >= SYSRAY_ABI_CNT || key.nr >= SYSRAY_MAX_NR)
		return 0;
	k = a->keys[SYSRAY_SLOT(key.abi, key.nr)];
	return k ? k->slow_ns : 0;
}
