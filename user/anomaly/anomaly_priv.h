/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Internals shared by the files of the detector; not for other modules. */
#ifndef SYSRAY_ANOMALY_PRIV_H
#define SYSRAY_ANOMALY_PRIV_H

#include "anomaly/anomaly.h"
#include "sysray.h"

#define ERRNO_SLOTS 16
/* Floats of one interval summary: lat[4] (log p50, p99, p99.9, mean), err ratio, log rate. */
#define LAT_COLS  4
#define SLOT_FLTS (LAT_COLS + 2)

enum { COL_P50, COL_P99, COL_P999, COL_MEAN };
/* Signals whose spread is remembered beyond the window. */
enum { SIG_P50, SIG_P99, SIG_ERR, SIG_RATE, SIG_CNT };

struct kstate {
	__u32 votes; /* bad verdicts of the last fire_n intervals with data, bit 0 newest */
	__u16 head;  /* next ring slot to overwrite */
	__u16 count; /* ring entries in use */
	__u16 calm;  /* consecutive calm intervals while firing */
	bool firing;
	int ep; /* episode slot while firing, -1 if untracked */
};

struct errno_seen {
	__u32 err;
	__u32 last; /* key tick it was last seen */
};

struct scale_mem {
	float scale;
	__u32 n; /* scales averaged in, up to SCALE_MEMORY windows */
};

struct akey {
	struct anomaly_key key;
	char name[ANOMALY_NAME_MAX];
	bool pending;	 /* observed this tick */
	bool novel;	 /* first seen (or back after errno_memory ticks) with a mature baseline */
	__u32 seq;	 /* ticks seen by this key */
	__u32 last_call; /* group tick of the last interval with calls */
	__u32 novel_ticks; /* ticks present while novel */
	__u64 calls, errors, total_ns, timed, p50, p99, p999;
	__u32 new_err, new_cnt; /* most frequent errno unknown to the baseline, this tick */
	double err_z;		/* this tick's score of the error ratio, for a new errno */
	double base_mean_ns;	/* latency baseline's mean, 0 before there is one */
	struct scale_mem mem[SIG_CNT];
	__u64 slow_ns;
	struct kstate ks[ANOMALY_KIND_CNT]; /* ks[ANOMALY_STALL] unused: stall is per group */
	struct errno_seen errs[ERRNO_SLOTS];
	float data[]; /* lat[window][LAT_COLS], err[window], rate[window] */
};

/* One service: its syscalls' baselines and its own call rate, for stall. */
struct agroup {
	__u32 idx;
	bool mixed; /* services come and go in it: only per-call kinds */
	char name[ANOMALY_GROUP_MAX];
	__u32 seq;   /* ticks since the group appeared */
	__u64 calls; /* this tick, over its syscalls */
	bool blocked_seen;
	struct anomaly_blocked blocked; /* this tick's, name copied below */
	char blocked_name[ANOMALY_NAME_MAX];
	struct kstate stall;
	struct scale_mem stall_mem;
	struct akey *keys[SYSRAY_NR_SLOTS];
	float rate[]; /* log calls per second, window entries */
};

struct anomaly {
	struct anomaly_opts o;
	anomaly_event_fn fn;
	void *ctx;
	float *scratch; /* window floats for the medians */
	struct anomaly_episode *eps;
	unsigned int n_eps;
	unsigned int total_eps;
	unsigned int evicted;
	unsigned int evicted_sev[ANOMALY_SEV_CNT];
	unsigned int folded;
	struct agroup **groups; /* max_groups, NULL until a group is seen */
};

/* What one interval says about one kind. */
struct verdict {
	bool valid; /* the baseline is ready: the interval votes */
	bool bad;   /* score >= T and the absolute change is large enough */
	bool calm;  /* score < T / 2 (or the change is too small to matter) */
	bool force; /* fire now without waiting for k of n (a new errno or syscall) */
	enum anomaly_metric metric;
	int err;
	double score, observed, baseline, impact;
	bool capped;		/* impact caps the severity */
	struct anomaly_key key; /* what the event names */
	const char *name;
	unsigned int threads; /* stall */
	__u64 blocked_ns;
};

/* A median and a robust scale of one signal over a window (anomaly_stats.c). */
struct sstat {
	double med, scale;
};

#define SCALE_MEMORY 5

void sig_stats(struct anomaly *a, const float *col, int stride, int n, struct sstat *st);
double mem_scale(const struct anomaly *a, const struct kstate *ks, struct scale_mem *m,
		 double scale);
void ring_push(struct anomaly *a, struct kstate *ks, float *ring, int cols, const float *x);
double scaled_z(double x, const struct sstat *st, double min_scale);

/* The kinds, each scoring one interval and feeding its state machine. */
void anomaly_do_latency(struct anomaly *a, struct akey *k, __u64 ts, double isec);
void anomaly_do_errors(struct anomaly *a, struct akey *k, __u64 ts, double isec);
void anomaly_do_rate(struct anomaly *a, struct akey *k, __u64 ts, double isec);
void anomaly_do_new(struct anomaly *a, struct agroup *g, struct akey *k, __u64 ts, double isec);
void anomaly_do_stall(struct anomaly *a, struct agroup *g, __u64 ts, double isec);

/*
 * Whether kind k is judged in group g. A mixed group (services folded together) changes
 * members all the time: its rates and its syscalls come and go with them, so only latency and
 * errors, which are about each call, mean anything there.
 */
static inline bool kind_on(const struct anomaly *a, const struct agroup *g, enum anomaly_kind k)
{
	if (g && g->mixed && k != ANOMALY_LATENCY && k != ANOMALY_ERRORS)
		return false;
	return a->o.kinds & ANOMALY_KIND_BIT(k);
}

static inline const struct agroup *group_of_key(const struct anomaly *a, const struct akey *k)
{
	return a->groups[k->key.group];
}

/*
 * Feed one interval's verdict to the episode state machine ks of one kind; k is the syscall's
 * state (NULL for stall), whose errno a new-errno episode teaches when it resolves.
 */
void anomaly__step(struct anomaly *a, struct akey *k, struct kstate *ks, enum anomaly_kind kind,
		   const struct verdict *v, __u64 ts, double isec);
/* Resolve an open episode now (a group forgotten while it fired). */
void anomaly__close(struct anomaly *a, struct akey *k, struct kstate *ks, enum anomaly_kind kind,
		    __u32 group, __u64 ts);
/* Remember err as seen now (evicting the errno seen longest ago when full). */
void akey__learn_errno(struct akey *k, __u32 err);
/* Whether err was seen within the last memory ticks of k. */
bool akey__knows_errno(const struct akey *k, __u32 err, unsigned int memory);

#endif /* SYSRAY_ANOMALY_PRIV_H */
