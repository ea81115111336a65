// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the anomaly detector (user/anomaly*.c) on synthetic series. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysray.h"
#include "anomaly/anomaly.h"
#include "lib/ratelimit.h"
#include "stats/hist.h"

#define SEC	   1000000000ULL
#define MAX_EVENTS 64

/* splitmix64 with an explicit state, so that each test has its own seed. */
struct rng {
	__u64 s;
};

static __u64 rng_next(struct rng *r)
{
	__u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rng_unif(struct rng *r)
{
	return (rng_next(r) >> 11) * 0x1p-53;
}

static double rng_normal(struct rng *r)
{
	double u1 = 1.0 - rng_unif(r), u2 = rng_unif(r);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Poisson: Knuth below 30, rounded normal approximation above. */
static __u64 rng_poisson(struct rng *r, double lambda)
{
	double l, p = 1;
	__u64 k = 0;

	if (lambda >= 30) {
		double x = lambda + sqrt(lambda) * rng_normal(r);

		return x < 0 ? 0 : (__u64)(x + 0.5);
	}
	l = exp(-lambda);
	do {
		k++;
		p *= rng_unif(r);
	} while (p > l);
	return k - 1;
}

/* One syscall's behaviour in an interval. */
struct gen {
	double calls;	  /* mean per interval (Poisson) */
	double med_ns;	  /* lognormal median */
	double sigma;	  /* lognormal sigma */
	double slow_frac; /* share of calls at slow_ns (lognormal, sigma 0.2) */
	double slow_ns;
	double err_p; /* share of calls failing with err */
	__u32 err;
	double err2_p; /* a second errno */
	__u32 err2;
};

struct rec {
	struct anomaly_event ev[MAX_EVENTS];
	char names[MAX_EVENTS][ANOMALY_NAME_MAX];
	char groups[MAX_EVENTS][ANOMALY_GROUP_MAX];
	int n;
	int dropped;
};

static void record(void *ctx, const struct anomaly_event *ev)
{
	struct rec *r = ctx;

	if (r->n == MAX_EVENTS) {
		r->dropped++;
		return;
	}
	r->ev[r->n] = *ev;
	snprintf(r->names[r->n], ANOMALY_NAME_MAX, "%s", ev->name);
	r->ev[r->n].name = r->names[r->n];
	snprintf(r->groups[r->n], ANOMALY_GROUP_MAX, "%s", ev->group);
	r->ev[r->n].group = r->groups[r->n];
	r->n++;
}

struct fixture {
	struct anomaly *a;
	struct hist *h;
	struct rng rng;
	struct rec rec;
	unsigned int tick;
};

static void fx_init(struct fixture *fx, const struct anomaly_opts *o, __u64 seed)
{
	memset(&fx->rec, 0, sizeof(fx->rec));
	fx->rng.s = seed;
	fx->tick = 0;
	cr_assert_eq(anomaly__new(o, record, &fx->rec, &fx->a), 0);
	fx->h = hist__new();
	cr_assert_not_null(fx->h);
}

static void fx_fini(struct fixture *fx)
{
	cr_assert_eq(fx->rec.dropped, 0);
	anomaly__free(fx->a);
	hist__free(fx->h);
}

/* Sample one interval of g into a histogram, as the daemon would, and observe it. */
static void feed_group(struct fixture *fx, __u32 group, __u16 nr, const char *name,
		       const struct gen *g)
{
	struct anomaly_errno_count ec[2] = { { g->err, 0 }, { g->err2, 0 } };
	struct anomaly_obs obs = { .errnos = ec, .n_errnos = 2 };
	__u64 n = rng_poisson(&fx->rng, g->calls);

	hist__reset(fx->h);
	for (__u64 i = 0; i < n; i++) {
		double u = rng_unif(&fx->rng);
		double v;

		if (u < g->slow_frac)
			v = g->slow_ns * exp(0.2 * rng_normal(&fx->rng));
		else
			v = g->med_ns * exp(g->sigma * rng_normal(&fx->rng));
		hist__record(fx->h, (__u64)v + 1);
		u = rng_unif(&fx->rng);
		if (u < g->err_p)
			ec[0].count++;
		else if (u < g->err_p + g->err2_p)
			ec[1].count++;
	}
	obs.calls = n;
	obs.errors = ec[0].count + ec[1].count;
	cr_assert_eq(anomaly_obs__from_hist(&obs, fx->h), 0);
	cr_assert_eq(anomaly__observe(fx->a, (struct anomaly_key){ 0, nr, group }, name, &obs), 0);
}

static void feed(struct fixture *fx, __u16 nr, const char *name, const struct gen *g)
{
	feed_group(fx, 0, nr, name, g);
}

static void end_tick(struct fixture *fx)
{
	fx->tick++;
	cr_assert_eq(anomaly__tick_end(fx->a, fx->tick * SEC, SEC), 0);
}

/* Events of one syscall, optionally of one kind (-1: any). */
static int count_events(const struct rec *r, const char *name, int kind, int state)
{
	int n = 0;

	for (int i = 0; i < r->n; i++)
		n += !strcmp(r->ev[i].name, name) && (kind < 0 || (int)r->ev[i].kind == kind) &&
		     (state < 0 || (int)r->ev[i].state == state);
	return n;
}

static const struct anomaly_event *find_event(const struct rec *r, const char *name, int state)
{
	for (int i = 0; i < r->n; i++) {
		if (!strcmp(r->ev[i].name, name) && (int)r->ev[i].state == state)
			return &r->ev[i];
	}
	return NULL;
}

static const struct gen g_read = {
	.calls = 300, .med_ns = 8000, .sigma = 1, .err_p = 0.02, .err = EAGAIN
};
static const struct gen g_fsync = { .calls = 200, .med_ns = 500000, .sigma = 1 };
static const struct gen g_getppid = { .calls = 500, .med_ns = 300, .sigma = 1 };

Test(anomaly, heavy_tailed_noise_is_quiet)
{
	struct anomaly_summary s;
	struct fixture fx;
	__u64 slow;

	fx_init(&fx, NULL, 0x1234);
	for (int i = 0; i < 10000; i++) {
		feed(&fx, 0, "read", &g_read);
		feed(&fx, 74, "fsync", &g_fsync);
		feed(&fx, 110, "getppid", &g_getppid);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 0, "%d events, first %s %s", fx.rec.n,
		     fx.rec.n ? fx.rec.ev[0].name : "",
		     fx.rec.n ? anomaly_kind_str(fx.rec.ev[0].kind) : "");
	anomaly__summary(fx.a, &s);
	cr_assert_eq(s.episodes, 0);
	/*
	 * The baseline p99.9 is the median of the intervals' p99.9; of ~200 calls that is the
	 * largest, whose median is the 0.5^(1/200) = 99.65 % point: median * e^(2.70 sigma).
	 */
	slow = anomaly__slow_threshold(fx.a, (struct anomaly_key){ 0, 74, 0 });
	cr_assert(slow > 0.8 * 3 * 500000 * exp(2.70) && slow < 1.25 * 3 * 500000 * exp(2.70),
		  "slow threshold %llu", (unsigned long long)slow);
	cr_assert_eq(anomaly__slow_threshold(fx.a, (struct anomaly_key){ 0, 75, 0 }), 0);
	fx_fini(&fx);
}

/* fsync p99 2 ms -> 80 ms: 5 % of calls become very slow. */
static const struct gen g_fsync2 = { .calls = 200, .med_ns = 500000, .sigma = 0.6 };
static const struct gen g_fsync2_slow = {
	.calls = 200, .med_ns = 500000, .sigma = 0.6, .slow_frac = 0.05, .slow_ns = 80e6
};

Test(anomaly, p99_step_fires_once_and_resolves)
{
	const struct anomaly_event *f, *r;
	struct fixture fx;
	char buf[160];

	fx_init(&fx, NULL, 0xf5);
	for (int i = 0; i < 100; i++) {
		feed(&fx, 74, "fsync", &g_fsync2);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 0);
	for (int i = 0; i < 20; i++) {
		feed(&fx, 74, "fsync", &g_fsync2_slow);
		end_tick(&fx);
	}
	for (int i = 0; i < 30; i++) {
		feed(&fx, 74, "fsync", &g_fsync2);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 2);
	f = find_event(&fx.rec, "fsync", ANOMALY_FIRING);
	r = find_event(&fx.rec, "fsync", ANOMALY_RESOLVED);
	cr_assert(f && r);
	cr_assert_eq(f->kind, ANOMALY_LATENCY);
	cr_assert_eq(f->metric, ANOMALY_M_P99);
	cr_assert_eq(f->severity, ANOMALY_SEV_HIGH);
	/* Change at tick 101: caught within 3 intervals. */
	cr_assert(f->ts_ns >= 101 * SEC && f->ts_ns <= 103 * SEC, "fired at %llu",
		  (unsigned long long)(f->ts_ns / SEC));
	cr_assert(f->observed > 50e6 && f->baseline > 1.5e6 && f->baseline < 3e6);
	/* k = 2 calm intervals (score < T / 2): normally ticks 121 and 122. */
	cr_assert(r->ts_ns >= 121 * SEC && r->ts_ns <= 130 * SEC);
	cr_assert_eq(r->kind, ANOMALY_LATENCY);
	cr_assert_eq(r->severity, ANOMALY_SEV_HIGH);
	anomaly_event_format_text(buf, sizeof(buf), f);
	cr_assert(!strncmp(buf, "sysray: anomaly high fsync latency p99 ", 39), "%s", buf);
	fx_fini(&fx);
}

static const struct gen g_openat = {
	.calls = 200, .med_ns = 3000, .sigma = 0.5, .err_p = 0.01, .err = ENOENT
};
static const struct gen g_openat_eacces = { .calls = 200,
					    .med_ns = 3000,
					    .sigma = 0.5,
					    .err_p = 0.01,
					    .err = ENOENT,
					    .err2_p = 0.05,
					    .err2 = EACCES };
static const struct gen g_openat_eacces_rare = { .calls = 200,
						 .med_ns = 3000,
						 .sigma = 0.5,
						 .err_p = 0.01,
						 .err = ENOENT,
						 .err2_p = 0.005,
						 .err2 = EACCES };

/* A new errno is the kind new; the error ratio it raises is the kind errors, on its own. */
Test(anomaly, new_errno_fires_new)
{
	const struct anomaly_event *f;
	struct fixture fx;

	fx_init(&fx, NULL, 0xe7);
	for (int i = 0; i < 60; i++) {
		feed(&fx, 257, "openat", &g_openat);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 0);
	for (int i = 0; i < 5; i++) {
		feed(&fx, 257, "openat", &g_openat_eacces);
		end_tick(&fx);
	}
	f = find_event(&fx.rec, "openat", ANOMALY_FIRING);
	cr_assert_not_null(f);
	cr_assert_eq(f->ts_ns, 61 * SEC, "a new errno fires at once");
	cr_assert_eq(f->kind, ANOMALY_NEW);
	cr_assert_eq(f->metric, ANOMALY_M_NEW_ERRNO);
	cr_assert_eq(f->err, EACCES);
	cr_assert(f->score >= 4);
	for (int i = 0; i < 10; i++) {
		feed(&fx, 257, "openat", &g_openat);
		end_tick(&fx);
	}
	cr_assert_eq(count_events(&fx.rec, "openat", ANOMALY_NEW, ANOMALY_RESOLVED), 1);
	cr_assert_leq(count_events(&fx.rec, "openat", ANOMALY_ERRORS, ANOMALY_FIRING), 1);
	cr_assert_eq(count_events(&fx.rec, "openat", ANOMALY_ERRORS, ANOMALY_FIRING),
		     count_events(&fx.rec, "openat", ANOMALY_ERRORS, ANOMALY_RESOLVED));
	/* Once resolved the errno is known: it coming back is not new. */
	for (int i = 0; i < 20; i++) {
		feed(&fx, 257, "openat", &g_openat_eacces_rare);
		end_tick(&fx);
	}
	cr_assert_eq(count_events(&fx.rec, "openat", ANOMALY_NEW, -1), 2);
	for (int i = 0; i < fx.rec.n; i++) {
		if (fx.rec.ev[i].kind != ANOMALY_NEW)
			continue;
		cr_assert_eq(fx.rec.ev[i].metric, ANOMALY_M_NEW_ERRNO);
		cr_assert_eq(fx.rec.ev[i].err, EACCES);
	}
	fx_fini(&fx);
}

static const struct gen g_getpid = { .calls = 300, .med_ns = 400, .sigma = 0.5 };
static const struct gen g_getpid3 = { .calls = 900, .med_ns = 400, .sigma = 0.5 };

Test(anomaly, rate_tripling_fires_rate)
{
	const struct anomaly_event *f;
	struct fixture fx;

	fx_init(&fx, NULL, 0x3a7e);
	for (int i = 0; i < 60; i++) {
		feed(&fx, 39, "getpid", &g_getpid);
		end_tick(&fx);
	}
	for (int i = 0; i < 20; i++) {
		feed(&fx, 39, "getpid", &g_getpid3);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 1);
	f = &fx.rec.ev[0];
	cr_assert_eq(f->kind, ANOMALY_RATE);
	cr_assert_eq(f->state, ANOMALY_FIRING);
	cr_assert(f->ts_ns <= 63 * SEC);
	cr_assert(fabs(f->observed - 900) < 150 && fabs(f->baseline - 300) < 30,
		  "observed %g baseline %g", f->observed, f->baseline);
	/* 600 extra calls/s of ~450 ns: well below 1 ms/s, so at most low. */
	cr_assert_eq(f->severity, ANOMALY_SEV_LOW);
	fx_fini(&fx);
}

Test(anomaly, rate_drop_and_unobserved_syscalls)
{
	struct anomaly_opts o = { .kinds = ANOMALY_KINDS_ALL };
	struct fixture quiet, loud;

	fx_init(&quiet, NULL, 0xd0);
	fx_init(&loud, &o, 0xd0);
	for (int i = 0; i < 60; i++) {
		feed(&quiet, 39, "getpid", &g_getpid);
		feed(&loud, 39, "getpid", &g_getpid);
		end_tick(&quiet);
		end_tick(&loud);
	}
	/* Not observed any more: zero-call intervals. */
	for (int i = 0; i < 5; i++) {
		end_tick(&quiet);
		end_tick(&loud);
	}
	cr_assert_eq(quiet.rec.n, 0);
	cr_assert_eq(loud.rec.n, 1);
	cr_assert_eq(loud.rec.ev[0].kind, ANOMALY_DROP);
	cr_assert_eq(loud.rec.ev[0].observed, 0);
	fx_fini(&quiet);
	fx_fini(&loud);
}

/* getppid 10x slower at ~200 us/s; fsync 2x slower at ~300 ms/s. */
static const struct gen g_ppid = { .calls = 20, .med_ns = 1000, .sigma = 0.3 };
static const struct gen g_ppid10 = { .calls = 20, .med_ns = 10000, .sigma = 0.3 };
static const struct gen g_fs = { .calls = 100, .med_ns = 3e6, .sigma = 0.3 };
static const struct gen g_fs2 = { .calls = 100, .med_ns = 6e6, .sigma = 0.3 };

Test(anomaly, severity_and_rank_follow_impact)
{
	const struct anomaly_episode *fs = NULL, *pp = NULL;
	struct anomaly_summary s;
	struct fixture fx;

	fx_init(&fx, NULL, 0x1a9);
	for (int i = 0; i < 100; i++) {
		bool bad = i >= 60 && i < 80;

		feed(&fx, 110, "getppid", bad ? &g_ppid10 : &g_ppid);
		feed(&fx, 74, "fsync", bad ? &g_fs2 : &g_fs);
		end_tick(&fx);
	}
	anomaly__summary(fx.a, &s);
	cr_assert_eq(s.episodes, 2);
	cr_assert_eq(s.open, 0);
	cr_assert_eq(s.n_top, 2);
	cr_assert_str_eq(s.top[0]->name, "fsync");
	cr_assert_str_eq(s.top[1]->name, "getppid");
	fs = s.top[0];
	pp = s.top[1];
	cr_assert_eq(fs->kind, ANOMALY_LATENCY);
	cr_assert_eq(pp->kind, ANOMALY_LATENCY);
	/* getppid's score is the higher (10x vs 2x), its impact far lower. */
	cr_assert_gt(pp->max_score, fs->max_score);
	cr_assert_gt(fs->peak_impact_ns_per_s, 100e6);
	cr_assert_lt(pp->peak_impact_ns_per_s, 1e6);
	cr_assert_gt(fs->max_severity, pp->max_severity);
	cr_assert_eq(pp->max_severity, ANOMALY_SEV_LOW);
	cr_assert_eq(s.by_severity[ANOMALY_SEV_LOW], 1);
	cr_assert_eq(count_events(&fx.rec, "fsync", -1, -1), 2);
	cr_assert_eq(count_events(&fx.rec, "getppid", -1, -1), 2);
	fx_fini(&fx);
}

static int collect_ep(void *ctx, const struct anomaly_episode *ep)
{
	const struct anomaly_episode **out = ctx;

	*out = ep;
	return 0;
}

Test(anomaly, baseline_frozen_during_episode)
{
	const struct anomaly_episode *ep = NULL;
	struct fixture fx;
	__u64 slow;

	fx_init(&fx, NULL, 0xf0f0);
	for (int i = 0; i < 100; i++) {
		feed(&fx, 74, "fsync", &g_fsync2);
		end_tick(&fx);
	}
	slow = anomaly__slow_threshold(fx.a, (struct anomaly_key){ 0, 74, 0 });
	cr_assert_gt(slow, 0);
	/* Ten windows' worth of anomaly: it must not become the new normal. */
	for (int i = 0; i < 600; i++) {
		feed(&fx, 74, "fsync", &g_fsync2_slow);
		end_tick(&fx);
		/* The k - 1 bad intervals before firing enter the window; then it is frozen. */
		if (i == 2) {
			cr_assert_eq(fx.rec.n, 1);
			cr_assert(fabs((double)anomaly__slow_threshold(
					   fx.a, (struct anomaly_key){ 0, 74, 0 }) -
				       slow) < 0.1 * slow);
			slow = anomaly__slow_threshold(fx.a, (struct anomaly_key){ 0, 74, 0 });
		}
	}
	cr_assert_eq(fx.rec.n, 1);
	cr_assert_eq(fx.rec.ev[0].state, ANOMALY_FIRING);
	cr_assert_eq(anomaly__slow_threshold(fx.a, (struct anomaly_key){ 0, 74, 0 }), slow);
	cr_assert_eq(anomaly__for_each_episode(fx.a, collect_ep, &ep), 0);
	cr_assert_not_null(ep);
	cr_assert(ep->open);
	cr_assert_eq(ep->end_ns, 700 * SEC);
	for (int i = 0; i < 10; i++) {
		feed(&fx, 74, "fsync", &g_fsync2);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 2);
	cr_assert_eq(fx.rec.ev[1].state, ANOMALY_RESOLVED);
	cr_assert(!ep->open);
	fx_fini(&fx);
}

/*
 * Deterministic series: log p99 cycles through base - d, base, base + d, so median = base,
 * MAD = d and the scale is 1.4826 d, widened by 1 + 3 / 60 for a window of 60; an interval
 * at base + z * scale scores exactly z.
 */
static void feed_exact(struct fixture *fx, double z)
{
	static const double cyc[3] = { -0.1, 0, 0.1 };
	double scale = 1.4826 * 0.1 * (1 + 3.0 / 60);
	double lp99 = log(1e6) + (z ? z * scale : cyc[fx->tick % 3]);
	struct anomaly_obs obs = {
		.calls = 100,
		.timed = 100,
		.total_ns = z ? 100 * 2000000ULL : 100 * 500000ULL,
		.p50_ns = 400000,
		.p99_ns = (__u64)exp(lp99),
		.p999_ns = 2000000,
	};

	cr_assert_eq(anomaly__observe(fx->a, (struct anomaly_key){ 0, 74, 0 }, "fsync", &obs), 0);
	end_tick(fx);
}

static enum anomaly_severity fired_at(double threshold, double z)
{
	struct anomaly_opts o = { .threshold = threshold };
	enum anomaly_severity sev = ANOMALY_SEV_NONE;
	struct fixture fx;

	fx_init(&fx, &o, 1);
	for (int i = 0; i < 60; i++)
		feed_exact(&fx, 0);
	for (int i = 0; i < 3; i++)
		feed_exact(&fx, z);
	if (fx.rec.n) {
		cr_assert_eq(fx.rec.n, 1);
		cr_assert(fabs(fx.rec.ev[0].score - z) < 0.01, "score %g", fx.rec.ev[0].score);
		sev = fx.rec.ev[0].severity;
	}
	fx_fini(&fx);
	return sev;
}

Test(anomaly, threshold_moves_the_bands)
{
	struct anomaly_opts o3 = { .threshold = 3 };
	struct anomaly *a3, *a4;

	cr_assert_eq(anomaly__new(&o3, NULL, NULL, &a3), 0);
	cr_assert_eq(anomaly__new(NULL, NULL, NULL, &a4), 0);
	/* T = 3: low [3, 4.5), medium [4.5, 7.5), high >= 7.5. */
	cr_assert_eq(anomaly__severity_of(a3, 2.99, 1e9), ANOMALY_SEV_NONE);
	cr_assert_eq(anomaly__severity_of(a3, 3.5, 1e9), ANOMALY_SEV_LOW);
	cr_assert_eq(anomaly__severity_of(a3, 4.49, 1e9), ANOMALY_SEV_LOW);
	cr_assert_eq(anomaly__severity_of(a3, 4.5, 1e9), ANOMALY_SEV_MEDIUM);
	cr_assert_eq(anomaly__severity_of(a3, 7.49, 1e9), ANOMALY_SEV_MEDIUM);
	cr_assert_eq(anomaly__severity_of(a3, 7.5, 1e9), ANOMALY_SEV_HIGH);
	/* T = 4: low [4, 6), medium [6, 10), high >= 10. */
	cr_assert_eq(anomaly__severity_of(a4, 3.5, 1e9), ANOMALY_SEV_NONE);
	cr_assert_eq(anomaly__severity_of(a4, 4, 1e9), ANOMALY_SEV_LOW);
	cr_assert_eq(anomaly__severity_of(a4, 7.5, 1e9), ANOMALY_SEV_MEDIUM);
	cr_assert_eq(anomaly__severity_of(a4, 10, 1e9), ANOMALY_SEV_HIGH);
	/* Impact caps (floor 1 ms/s): low below it, medium below 10x; errors are not capped. */
	cr_assert_eq(anomaly__severity_of(a4, 20, 0.5e6), ANOMALY_SEV_LOW);
	cr_assert_eq(anomaly__severity_of(a4, 20, 5e6), ANOMALY_SEV_MEDIUM);
	cr_assert_eq(anomaly__severity_of(a4, 20, -1), ANOMALY_SEV_HIGH);
	anomaly__free(a3);
	anomaly__free(a4);

	/* End to end through the detector: the same series, two thresholds. */
	cr_assert_eq(fired_at(3, 3.5), ANOMALY_SEV_LOW);
	cr_assert_eq(fired_at(4, 3.5), ANOMALY_SEV_NONE);
	cr_assert_eq(fired_at(3, 8), ANOMALY_SEV_HIGH);
	cr_assert_eq(fired_at(4, 8), ANOMALY_SEV_MEDIUM);
}

Test(anomaly, formats)
{
	struct anomaly_event ev = {
		.ts_ns = 5,
		.key = { 0, 74 },
		.name = "fs\"ync",
		.kind = ANOMALY_LATENCY,
		.metric = ANOMALY_M_P99,
		.severity = ANOMALY_SEV_HIGH,
		.state = ANOMALY_FIRING,
		.score = 14.25,
		.observed = 80.2e6,
		.baseline = 2.1e6,
		.impact_ns_per_s = 1.5e6,
	};
	char *buf = NULL, text[160];
	size_t len = 0;
	FILE *f;

	ev.name = "fsync";
	anomaly_event_format_text(text, sizeof(text), &ev);
	cr_assert_str_eq(text, "sysray: anomaly high fsync latency p99 80.2ms vs baseline 2.1ms "
			       "(score 14.2, impact 1.5ms/s)");
	ev.state = ANOMALY_RESOLVED;
	ev.score = 0.5;
	ev.observed = 999.7;
	anomaly_event_format_text(text, sizeof(text), &ev);
	cr_assert_str_eq(text, "sysray: anomaly resolved fsync latency p99 1us vs baseline 2.1ms "
			       "(score 0.5, was high)");
	ev.state = ANOMALY_FIRING;
	ev.severity = ANOMALY_SEV_LOW;
	ev.kind = ANOMALY_NEW;
	ev.metric = ANOMALY_M_NEW_ERRNO;
	ev.err = EACCES;
	ev.observed = 0.02;
	ev.score = 4;
	ev.impact_ns_per_s = 0;
	anomaly_event_format_text(text, sizeof(text), &ev);
	cr_assert_str_eq(text, "sysray: anomaly low fsync new errno EACCES on 2% of calls "
			       "(score 4.0)");

	ev.name = "fs\"ync";
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(anomaly_event_format_json(f, &ev), 0);
	fclose(f);
	cr_assert_str_eq(buf,
			 "{\"ts_ns\":5,\"syscall\":\"fs\\\"ync\",\"nr\":74,\"abi\":\"x86_64\","
			 "\"kind\":\"new\",\"metric\":\"new_errno\",\"severity\":\"low\","
			 "\"state\":\"firing\",\"score\":4,\"observed\":0.02,\"baseline\":2100000,"
			 "\"errno\":13,\"errno_name\":\"EACCES\",\"impact_ns_per_s\":0}\n");
	free(buf);

	/* a service's events name it, escaped in text (names come from traced tasks) */
	ev = (struct anomaly_event){ .ts_ns = 7,
				     .key = { 0, 202, 3 },
				     .name = "futex",
				     .group = "web\n[1]",
				     .kind = ANOMALY_STALL,
				     .metric = ANOMALY_M_STALL,
				     .severity = ANOMALY_SEV_HIGH,
				     .score = 12,
				     .observed = 0,
				     .baseline = 480,
				     .impact_ns_per_s = 2e9,
				     .threads = 2,
				     .blocked_ns = 3200000000ULL };
	anomaly_event_format_text(text, sizeof(text), &ev);
	cr_assert_str_eq(text,
			 "sysray: anomaly high [web\\n[1]] futex stall calls 0/s vs baseline "
			 "480/s, 2 threads blocked in it up to 3.2s (score 12.0, impact 2s/s)");
	buf = NULL;
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(anomaly_event_format_json(f, &ev), 0);
	fclose(f);
	cr_assert_str_eq(
	    buf, "{\"ts_ns\":7,\"group\":\"web\\u000a[1]\",\"syscall\":\"futex\",\"nr\":202,"
		 "\"abi\":\"x86_64\",\"kind\":\"stall\",\"metric\":\"stall\","
		 "\"severity\":\"high\",\"state\":\"firing\",\"score\":12,\"observed\":0,"
		 "\"baseline\":480,\"threads\":2,\"blocked_ns\":3200000000,"
		 "\"impact_ns_per_s\":2000000000}\n");
	free(buf);
	ev = (struct anomaly_event){ .key = { 0, 74, 0 },
				     .name = "fsync",
				     .group = "",
				     .kind = ANOMALY_NEW,
				     .metric = ANOMALY_M_NEW_SYSCALL,
				     .severity = ANOMALY_SEV_HIGH,
				     .score = 13.2,
				     .observed = 2e8,
				     .impact_ns_per_s = 2e8 };
	anomaly_event_format_text(text, sizeof(text), &ev);
	cr_assert_str_eq(text, "sysray: anomaly high fsync new syscall, 200ms/s spent in it "
			       "(score 13.2, impact 200ms/s)");
}

Test(anomaly, ratelimit)
{
	struct ratelimit rl;
	int ok = 0;

	ratelimit__init(&rl, 2, 3, 0);
	for (int i = 0; i < 10; i++)
		ok += ratelimit__allow(&rl, 0);
	cr_assert_eq(ok, 3);
	cr_assert_eq(rl.suppressed, 7);
	cr_assert(ratelimit__allow(&rl, SEC / 2));
	cr_assert(!ratelimit__allow(&rl, SEC / 2));
	/* A long pause refills only up to the burst. */
	ok = 0;
	for (int i = 0; i < 10; i++)
		ok += ratelimit__allow(&rl, 100 * SEC);
	cr_assert_eq(ok, 3);
}

Test(anomaly, rejects_bad_input)
{
	struct anomaly_opts bad = { .threshold = -1 }, bad2 = { .fire_k = 4, .fire_n = 3 };
	struct anomaly_obs obs = { .calls = 1 };
	struct anomaly *a;

	cr_assert_eq(anomaly__new(&bad, NULL, NULL, &a), -EINVAL);
	cr_assert_null(a);
	cr_assert_eq(anomaly__new(&bad2, NULL, NULL, &a), -EINVAL);
	cr_assert_eq(anomaly__new(NULL, NULL, NULL, &a), 0);
	cr_assert_eq(anomaly__observe(a, (struct anomaly_key){ SYSRAY_ABI_CNT, 0, 0 }, "x", &obs),
		     -EINVAL);
	cr_assert_eq(anomaly__observe(a, (struct anomaly_key){ 0, SYSRAY_MAX_NR, 0 }, "x", &obs),
		     -EINVAL);
	cr_assert_eq(anomaly__observe(a, (struct anomaly_key){ 1, 3, 0 }, "close", &obs), 0);
	cr_assert_eq(anomaly__observe(a, (struct anomaly_key){ 1, 3, 0 }, "close", &obs), -EEXIST);
	cr_assert_eq(anomaly__tick_end(a, SEC, 0), -EINVAL);
	cr_assert_eq(anomaly__tick_end(a, SEC, SEC), 0);
	cr_assert_eq(anomaly__observe(a, (struct anomaly_key){ 1, 3, 0 }, "close", &obs), 0);
	/* one group by default */
	cr_assert_eq(anomaly__observe(a, (struct anomaly_key){ 1, 4, 1 }, "x", &obs), -EINVAL);
	cr_assert_eq(anomaly__set_group(a, 1, "x", false), -EINVAL);
	anomaly__free(a);
	bad.threshold = 4;
	bad.kinds = 1U << ANOMALY_KIND_CNT;
	cr_assert_eq(anomaly__new(&bad, NULL, NULL, &a), -EINVAL);
}

Test(anomaly, parse_kinds)
{
	unsigned int k;
	char err[128];

	cr_assert_eq(anomaly_parse_kinds("latency,new,stall", &k, err, sizeof(err)), 0);
	cr_expect_eq(k, ANOMALY_KIND_BIT(ANOMALY_LATENCY) | ANOMALY_KIND_BIT(ANOMALY_NEW) |
			    ANOMALY_KIND_BIT(ANOMALY_STALL));
	cr_assert_eq(anomaly_parse_kinds("drop", &k, err, sizeof(err)), 0);
	cr_expect_eq(k, ANOMALY_KIND_BIT(ANOMALY_DROP));
	cr_expect_eq(anomaly_parse_kinds("latency,nope", &k, err, sizeof(err)), -EINVAL);
	cr_expect_str_eq(err, "invalid --anomaly-kinds: 'nope' (latency, errors, rate, drop, new, "
			      "stall)");
	cr_expect_eq(anomaly_parse_kinds("", &k, err, sizeof(err)), -EINVAL);
	cr_expect_eq(anomaly_parse_kinds("rate,", &k, err, sizeof(err)), -EINVAL);
}

/* The fixture with room for n groups, named svc-0, svc-1... */
static void fx_groups(struct fixture *fx, struct anomaly_opts *o, unsigned int n, __u64 seed)
{
	char name[16];

	o->max_groups = n;
	fx_init(fx, o, seed);
	for (unsigned int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "svc-%u", i);
		cr_assert_eq(anomaly__set_group(fx->a, i, name, false), 0);
	}
}

/* One idle thread per group waiting in epoll_wait for up to 3 s: normal for a server. */
static void idle_waiter(struct fixture *fx, __u32 group)
{
	struct anomaly_blocked b = {
		.threads = 1,
		.longest_ns = (__u64)(rng_unif(&fx->rng) * 3 * SEC),
		.key = { 0, 232, 0 },
		.name = "epoll_wait",
	};

	cr_assert_eq(anomaly__observe_blocked(fx->a, group, &b), 0);
}

static const struct gen g_fdatasync = { .calls = 20, .med_ns = 2e6, .sigma = 0.3 };

/*
 * Two services for 10,000 steady windows with only one kind on: heavy-tailed latencies,
 * Poisson call counts, a steady share of errors, a 40 ms/s fdatasync burst every 50 windows
 * and an idle thread waiting in epoll_wait. No kind may fire.
 */
static void steady(enum anomaly_kind kind, __u64 seed)
{
	struct anomaly_opts o = { .kinds = ANOMALY_KIND_BIT(kind) };
	struct fixture fx;

	fx_groups(&fx, &o, 2, seed);
	for (int i = 0; i < 10000; i++) {
		feed_group(&fx, 0, 0, "read", &g_read);
		feed_group(&fx, 0, 74, "fsync", &g_fsync);
		feed_group(&fx, 1, 110, "getppid", &g_getppid);
		feed_group(&fx, 1, 257, "openat", &g_openat);
		if (i % 50 == 5)
			feed_group(&fx, 1, 75, "fdatasync", &g_fdatasync);
		idle_waiter(&fx, 0);
		idle_waiter(&fx, 1);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 0, "%s: %d events, first %s %s %s", anomaly_kind_str(kind), fx.rec.n,
		     fx.rec.n ? fx.rec.ev[0].group : "", fx.rec.n ? fx.rec.ev[0].name : "",
		     fx.rec.n ? anomaly_kind_str(fx.rec.ev[0].kind) : "");
	fx_fini(&fx);
}

Test(anomaly, steady_windows_fire_no_latency)
{
	steady(ANOMALY_LATENCY, 0x51);
}

Test(anomaly, steady_windows_fire_no_errors)
{
	steady(ANOMALY_ERRORS, 0x52);
}

Test(anomaly, steady_windows_fire_no_rate)
{
	steady(ANOMALY_RATE, 0x53);
}

Test(anomaly, steady_windows_fire_no_drop)
{
	steady(ANOMALY_DROP, 0x54);
}

Test(anomaly, steady_windows_fire_no_new)
{
	steady(ANOMALY_NEW, 0x55);
}

Test(anomaly, steady_windows_fire_no_stall)
{
	steady(ANOMALY_STALL, 0x56);
}

static const struct gen g_fsync_new = { .calls = 200, .med_ns = 1e6, .sigma = 0.3 };
static const struct gen g_getpid_cheap = { .calls = 10, .med_ns = 300, .sigma = 0.3 };

/*
 * fsync appears at 200 calls of 1 ms a second: 200 ms/s, 200 x the impact floor, so its
 * score is T (1 + log10 200) = 13.2 and its severity high. A cheap new getpid (3 us/s) is not
 * news. Once the fsync episode is over, fsync is known.
 */
Test(anomaly, new_syscall_fires_once)
{
	const struct anomaly_event *f;
	struct fixture fx;

	fx_init(&fx, NULL, 0x9e);
	for (int i = 0; i < 60; i++) {
		feed(&fx, 0, "read", &g_read);
		/* learnt while the baseline fills: not news */
		if (i == 3)
			feed(&fx, 1, "write", &g_fsync_new);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 0);
	for (int i = 0; i < 5; i++) {
		feed(&fx, 0, "read", &g_read);
		feed(&fx, 74, "fsync", &g_fsync_new);
		feed(&fx, 39, "getpid", &g_getpid_cheap);
		end_tick(&fx);
	}
	f = find_event(&fx.rec, "fsync", ANOMALY_FIRING);
	cr_assert_not_null(f);
	cr_expect_eq(f->ts_ns, 61 * SEC, "fires at once");
	cr_expect_eq(f->kind, ANOMALY_NEW);
	cr_expect_eq(f->metric, ANOMALY_M_NEW_SYSCALL);
	cr_expect_eq(f->severity, ANOMALY_SEV_HIGH);
	cr_expect(f->observed > 150e6 && f->observed < 250e6, "%g ns/s", f->observed);
	cr_expect_float_eq(f->score, 4 * (1 + log10(f->observed / 1e6)), 1e-9);
	cr_expect_eq(count_events(&fx.rec, "getpid", -1, -1), 0);
	cr_expect_eq(count_events(&fx.rec, "write", -1, -1), 0);
	for (int i = 0; i < 10; i++) {
		feed(&fx, 0, "read", &g_read);
		end_tick(&fx);
	}
	cr_expect_eq(count_events(&fx.rec, "fsync", ANOMALY_NEW, ANOMALY_RESOLVED), 1);
	for (int i = 0; i < 10; i++) {
		feed(&fx, 0, "read", &g_read);
		feed(&fx, 74, "fsync", &g_fsync_new);
		end_tick(&fx);
	}
	cr_expect_eq(count_events(&fx.rec, "fsync", ANOMALY_NEW, -1), 2, "known once resolved");
	fx_fini(&fx);
}

static const struct gen g_silent = { .calls = 0, .med_ns = 1000, .sigma = 0.3 };

/* Threads of the group stuck in a call: futex, for seconds. */
static void stuck(struct fixture *fx, __u32 group, unsigned int threads, __u64 ns)
{
	struct anomaly_blocked b = { threads, ns, { 0, 202, 0 }, "futex" };

	cr_assert_eq(anomaly__observe_blocked(fx->a, group, &b), 0);
}

/*
 * A service at 300 calls/s stops: with two threads blocked in futex for seconds it is a
 * stall, named after futex; the same silence with no thread in a call (it exited) is not.
 */
Test(anomaly, stall_needs_silence_and_a_blocked_thread)
{
	struct anomaly_opts o = { 0 };
	const struct anomaly_event *f;
	struct fixture fx;

	fx_groups(&fx, &o, 2, 0x57a1);
	for (int i = 0; i < 60; i++) {
		feed_group(&fx, 0, 39, "getpid", &g_getpid);
		feed_group(&fx, 1, 39, "getpid", &g_getpid);
		stuck(&fx, 0, 0, 0);
		stuck(&fx, 1, 0, 0);
		end_tick(&fx);
	}
	for (int i = 0; i < 6; i++) {
		feed_group(&fx, 0, 39, "getpid", &g_silent);
		stuck(&fx, 0, 2, (2 + i) * SEC);
		stuck(&fx, 1, 0, 0);
		end_tick(&fx);
	}
	cr_assert_eq(fx.rec.n, 1, "%d events", fx.rec.n);
	f = &fx.rec.ev[0];
	cr_expect_eq(f->kind, ANOMALY_STALL);
	cr_expect_eq(f->metric, ANOMALY_M_STALL);
	cr_expect_str_eq(f->name, "futex");
	cr_expect_str_eq(f->group, "svc-0");
	cr_expect_eq(f->threads, 2);
	cr_expect(f->blocked_ns >= 3 * SEC);
	cr_expect(f->ts_ns <= 63 * SEC, "fired at %llu", (unsigned long long)(f->ts_ns / SEC));
	cr_expect(f->observed < 1 && f->baseline > 250, "%g vs %g", f->observed, f->baseline);
	cr_expect_eq(f->severity, ANOMALY_SEV_HIGH);
	cr_expect(anomaly__group_stalled(fx.a, 0));
	/* it recovers */
	for (int i = 0; i < 4; i++) {
		feed_group(&fx, 0, 39, "getpid", &g_getpid);
		stuck(&fx, 0, 0, 0);
		end_tick(&fx);
	}
	cr_expect_eq(count_events(&fx.rec, "futex", ANOMALY_STALL, ANOMALY_RESOLVED), 1);
	cr_expect_not(anomaly__group_stalled(fx.a, 0));
	fx_fini(&fx);
}

/*
 * Two services, one noisy and one quiet; the quiet one regresses (p99 x 40). Only its
 * group fires, and its events name it; forgetting the group resolves what it had open.
 */
Test(anomaly, groups_have_their_own_baselines)
{
	struct anomaly_opts o = { 0 };
	struct anomaly_summary s;
	struct fixture fx;

	fx_groups(&fx, &o, 2, 0x6a);
	for (int i = 0; i < 100; i++) {
		feed_group(&fx, 0, 74, "fsync", &g_fsync);
		feed_group(&fx, 1, 74, "fsync", &g_fsync2);
		end_tick(&fx);
	}
	for (int i = 0; i < 10; i++) {
		feed_group(&fx, 0, 74, "fsync", &g_fsync);
		feed_group(&fx, 1, 74, "fsync", &g_fsync2_slow);
		end_tick(&fx);
	}
	cr_assert_geq(fx.rec.n, 1);
	for (int i = 0; i < fx.rec.n; i++) {
		cr_expect_str_eq(fx.rec.ev[i].group, "svc-1");
		cr_expect_eq(fx.rec.ev[i].key.group, 1);
	}
	cr_expect_eq(count_events(&fx.rec, "fsync", ANOMALY_LATENCY, ANOMALY_FIRING), 1);
	anomaly__summary(fx.a, &s);
	cr_expect_eq(s.groups, 2);
	cr_expect_str_eq(s.top[0]->group, "svc-1");
	anomaly__forget_group(fx.a, 1, 111 * SEC);
	cr_expect_eq(count_events(&fx.rec, "fsync", ANOMALY_LATENCY, ANOMALY_RESOLVED), 1);
	anomaly__summary(fx.a, &s);
	cr_expect_eq(s.groups, 1);
	cr_expect_eq(s.open, 0);
	fx_fini(&fx);
}

/*
 * A mixed group (services folded together) only judges latency and errors: members coming
 * and going bring new syscalls and other rates, which mean nothing there.
 */
Test(anomaly, mixed_group_judges_only_per_call_kinds)
{
	struct anomaly_opts o = { .max_groups = 1 };
	struct fixture fx;

	fx_init(&fx, &o, 0x3e);
	cr_assert_eq(anomaly__set_group(fx.a, 0, "(others)", true), 0);
	for (int i = 0; i < 60; i++) {
		feed(&fx, 39, "getpid", &g_getpid);
		end_tick(&fx);
	}
	for (int i = 0; i < 10; i++) {
		feed(&fx, 39, "getpid", &g_getpid3);
		feed(&fx, 74, "fsync", &g_fsync_new);
		end_tick(&fx);
	}
	cr_expect_eq(fx.rec.n, 0, "%d events, first %s %s", fx.rec.n,
		     fx.rec.n ? fx.rec.ev[0].name : "",
		     fx.rec.n ? anomaly_kind_str(fx.rec.ev[0].kind) : "");
	for (int i = 0; i < 100; i++) {
		feed(&fx, 74, "fsync", &g_fsync2);
		end_tick(&fx);
	}
	for (int i = 0; i < 5; i++) {
		feed(&fx, 74, "fsync", &g_fsync2_slow);
		end_tick(&fx);
	}
	cr_expect_eq(count_events(&fx.rec, "fsync", ANOMALY_LATENCY, ANOMALY_FIRING), 1);
	fx_fini(&fx);
}
