/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Internals shared by anomaly.c and anomaly_episodes.c; not for other modules. */
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

struct akey {
	struct anomaly_key key;
	char name[ANOMALY_NAME_MAX];
	bool pending; /* observed this tick */
	__u32 seq;    /* ticks seen by this key */
	__u64 calls, errors, total_ns, timed, p50, p99, p999;
	__u32 new_err, new_cnt; /* most frequent errno unknown to the baseline, this tick */
	double base_mean_ns;	/* latency baseline's mean, 0 before there is one */
	struct scale_mem {
		float scale;
		__u32 n; /* scales averaged in, up to SCALE_MEMORY windows */
	} mem[SIG_CNT];
	__u64 slow_ns;
	struct kstate ks[ANOMALY_KIND_CNT];
	struct errno_seen errs[ERRNO_SLOTS];
	float data[]; /* lat[window][LAT_COLS], err[window], rate[window] */
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
	struct akey *keys[SYSRAY_NR_SLOTS];
};

/* What one interval says about one kind. */
struct verdict {
	bool valid; /* the baseline is ready: the interval votes */
	bool bad;   /* score >= T and the absolute change is large enough */
	bool calm;  /* score < T / 2 (or the change is too small to matter) */
	bool force; /* fire now without waiting for k of n (a new errno) */
	enum anomaly_metric metric;
	int err;
	double score, observed, baseline, impact;
	bool capped; /* impact caps the severity */
};

/* Feed one interval's verdict to the episode state machine of one kind. */
void anomaly__step(struct anomaly *a, struct akey *k, enum anomaly_kind kind,
		   const struct verdict *v, __u64 ts, double isec);
/* Remember err as seen now (evicting the errno seen longest ago when full). */
void akey__learn_errno(struct akey *k, __u32 err);
/* Whether err was seen within the last memory ticks of k. */
bool akey__knows_errno(const struct akey *k, __u32 err, unsigned int memory);

#endif /* SYSRAY_ANOMALY_PRIV_H */
