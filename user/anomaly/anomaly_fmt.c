// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Anomaly detector: names, text and JSON of events and episodes, slow-call rate limiter. */
#include <errno.h>
#include <stdio.h>
#include "anomaly/anomaly.h"
#include <string.h>
#include "lib/errmsg.h"
#include "lib/errnos.h"
#include "lib/escape.h"
#include "lib/json.h"
#include "lib/syscalls.h"

static const char *const kind_names[ANOMALY_KIND_CNT] = {
	[ANOMALY_LATENCY] = "latency", [ANOMALY_ERRORS] = "errors", [ANOMALY_RATE] = "rate",
	[ANOMALY_DROP] = "drop",       [ANOMALY_NEW] = "new",	    [ANOMALY_STALL] = "stall",
};

static const char *const metric_names[ANOMALY_M_CNT] = {
	[ANOMALY_M_P50] = "p50",
	[ANOMALY_M_P99] = "p99",
	[ANOMALY_M_ERR_RATIO] = "error_ratio",
	[ANOMALY_M_NEW_ERRNO] = "new_errno",
	[ANOMALY_M_RATE] = "calls_per_s",
	[ANOMALY_M_NEW_SYSCALL] = "new_syscall",
	[ANOMALY_M_STALL] = "stall",
};

static const char *const severity_names[ANOMALY_SEV_CNT] = {
	[ANOMALY_SEV_NONE] = "none",
	[ANOMALY_SEV_LOW] = "low",
	[ANOMALY_SEV_MEDIUM] = "medium",
	[ANOMALY_SEV_HIGH] = "high",
};

const char *anomaly_kind_str(enum anomaly_kind k)
{
	return (unsigned int)k < ANOMALY_KIND_CNT ? kind_names[k] : "?";
}

const char *anomaly_metric_str(enum anomaly_metric m)
{
	return (unsigned int)m < ANOMALY_M_CNT ? metric_names[m] : "?";
}

const char *anomaly_severity_str(enum anomaly_severity s)
{
	return (unsigned int)s < ANOMALY_SEV_CNT ? severity_names[s] : "?";
}

const char *anomaly_state_str(enum anomaly_state s)
{
	return s == ANOMALY_RESOLVED ? "resolved" : "firing";
}

/* 3 significant digits in the largest unit that keeps the number below 1000. */
static const char *fmt_ns(char *buf, size_t len, double ns)
{
	static const char *const units[] = { "ns", "us", "ms", "s" };
	unsigned int u = 0;

	while (u < 3 && ns >= 999.5) {
		ns /= 1000;
		u++;
	}
	snprintf(buf, len, "%.3g%s", ns, units[u]);
	return buf;
}

struct values {
	enum anomaly_metric m;
	double obs, base;
	int err;
	unsigned int threads;
	__u64 blocked_ns;
};

/* The observed-vs-baseline phrase of a metric. */
static void fmt_values(char *buf, size_t len, const struct values *x)
{
	double obs = x->obs, base = x->base;
	enum anomaly_metric m = x->m;
	char o[32], b[32];
	const char *en;
	int err = x->err;

	switch (m) {
	case ANOMALY_M_P50:
	case ANOMALY_M_P99:
		snprintf(buf, len, "%s %s vs baseline %s", anomaly_metric_str(m),
			 fmt_ns(o, sizeof(o), obs), fmt_ns(b, sizeof(b), base));
		break;
	case ANOMALY_M_ERR_RATIO:
		snprintf(buf, len, "%.3g%% vs baseline %.3g%%", obs * 100, base * 100);
		break;
	case ANOMALY_M_NEW_ERRNO:
		en = errno_name(err);
		if (en)
			snprintf(buf, len, "errno %s on %.3g%% of calls", en, obs * 100);
		else
			snprintf(buf, len, "errno %d on %.3g%% of calls", err, obs * 100);
		break;
	case ANOMALY_M_NEW_SYSCALL:
		snprintf(buf, len, "syscall, %s/s spent in it", fmt_ns(o, sizeof(o), obs));
		break;
	case ANOMALY_M_STALL:
		snprintf(buf, len,
			 "calls %.3g/s vs baseline %.3g/s, %u thread%s blocked in it up to %s", obs,
			 base, x->threads, x->threads == 1 ? "" : "s",
			 fmt_ns(o, sizeof(o), (double)x->blocked_ns));
		break;
	default:
		snprintf(buf, len, "%.3g/s vs baseline %.3g/s", obs, base);
		break;
	}
}

/* "[group] " for an event of a group, escaped: names come from traced tasks. */
static const char *group_prefix(char *buf, size_t len, const char *group)
{
	size_t n;

	if (!group || !*group) {
		buf[0] = 0;
		return buf;
	}
	buf[0] = '[';
	n = escape_str(buf + 1, len - 3, group);
	if (n > len - 4)
		n = len - 4;
	snprintf(buf + 1 + n, len - 1 - n, "] ");
	return buf;
}

int anomaly_event_format_text(char *buf, size_t len, const struct anomaly_event *ev)
{
	const struct values x = { ev->metric, ev->observed, ev->baseline,
				  ev->err,    ev->threads,  ev->blocked_ns };
	char vals[160], imp[32] = "", grp[ANOMALY_GROUP_MAX * ESCAPE_MAX_PER_BYTE + 4];

	fmt_values(vals, sizeof(vals), &x);
	group_prefix(grp, sizeof(grp), ev->group);
	if (ev->impact_ns_per_s >= 1)
		fmt_ns(imp, sizeof(imp), ev->impact_ns_per_s);
	if (ev->state == ANOMALY_RESOLVED)
		return snprintf(buf, len,
				"sysray: anomaly resolved %s%s %s %s (score %.1f, was %s)", grp,
				ev->name, anomaly_kind_str(ev->kind), vals, ev->score,
				anomaly_severity_str(ev->severity));
	return snprintf(buf, len, "sysray: anomaly %s %s%s %s %s (score %.1f%s%s%s)",
			anomaly_severity_str(ev->severity), grp, ev->name,
			anomaly_kind_str(ev->kind), vals, ev->score, *imp ? ", impact " : "", imp,
			*imp ? "/s" : "");
}

static void put_key(struct json_writer *w, struct anomaly_key key, const char *name,
		    const char *group)
{
	const char *abi = abi_name(key.abi);

	if (group && *group)
		json_writer__kv_string(w, "group", group);
	json_writer__kv_string(w, "syscall", name);
	json_writer__kv_u64(w, "nr", key.nr);
	if (abi)
		json_writer__kv_string(w, "abi", abi);
}

static void put_errno(struct json_writer *w, int err)
{
	const char *en = errno_name(err);

	if (!err)
		return;
	json_writer__kv_s64(w, "errno", err);
	if (en)
		json_writer__kv_string(w, "errno_name", en);
}

static void put_stall(struct json_writer *w, enum anomaly_metric m, unsigned int threads,
		      __u64 blocked_ns)
{
	if (m != ANOMALY_M_STALL)
		return;
	json_writer__kv_u64(w, "threads", threads);
	json_writer__kv_u64(w, "blocked_ns", blocked_ns);
}

int anomaly_event_format_json(FILE *f, const struct anomaly_event *ev)
{
	struct json_writer w;

	json_writer__init(&w, f, 0);
	json_writer__begin_object(&w);
	json_writer__kv_u64(&w, "ts_ns", ev->ts_ns);
	put_key(&w, ev->key, ev->name, ev->group);
	json_writer__kv_string(&w, "kind", anomaly_kind_str(ev->kind));
	json_writer__kv_string(&w, "metric", anomaly_metric_str(ev->metric));
	json_writer__kv_string(&w, "severity", anomaly_severity_str(ev->severity));
	json_writer__kv_string(&w, "state", anomaly_state_str(ev->state));
	json_writer__key(&w, "score");
	json_writer__double(&w, ev->score);
	json_writer__key(&w, "observed");
	json_writer__double(&w, ev->observed);
	json_writer__key(&w, "baseline");
	json_writer__double(&w, ev->baseline);
	put_errno(&w, ev->err);
	put_stall(&w, ev->metric, ev->threads, ev->blocked_ns);
	json_writer__key(&w, "impact_ns_per_s");
	json_writer__double(&w, ev->impact_ns_per_s);
	json_writer__end_object(&w);
	return json_writer__end(&w) ? -EIO : 0;
}

int anomaly_episode_format_text(char *buf, size_t len, const struct anomaly_episode *ep)
{
	const struct values x = { ep->metric, ep->observed, ep->baseline,
				  ep->err,    ep->threads,  ep->blocked_ns };
	char vals[160], imp[32], dur[32], grp[ANOMALY_GROUP_MAX * ESCAPE_MAX_PER_BYTE + 4];

	fmt_values(vals, sizeof(vals), &x);
	group_prefix(grp, sizeof(grp), ep->group);
	fmt_ns(imp, sizeof(imp), ep->peak_impact_ns_per_s);
	fmt_ns(dur, sizeof(dur), (double)(ep->end_ns - ep->start_ns));
	return snprintf(buf, len, "%-6s %s%s %s %s (max score %.1f, peak impact %s/s, %s%s)",
			anomaly_severity_str(ep->max_severity), grp, ep->name,
			anomaly_kind_str(ep->kind), vals, ep->max_score, imp, dur,
			ep->open ? ", still firing" : "");
}

void anomaly_episode_put_json(struct json_writer *w, const struct anomaly_episode *ep)
{
	json_writer__begin_object(w);
	put_key(w, ep->key, ep->name, ep->group);
	json_writer__kv_string(w, "kind", anomaly_kind_str(ep->kind));
	json_writer__kv_string(w, "metric", anomaly_metric_str(ep->metric));
	json_writer__kv_string(w, "max_severity", anomaly_severity_str(ep->max_severity));
	json_writer__key(w, "max_score");
	json_writer__double(w, ep->max_score);
	json_writer__key(w, "observed");
	json_writer__double(w, ep->observed);
	json_writer__key(w, "baseline");
	json_writer__double(w, ep->baseline);
	put_errno(w, ep->err);
	put_stall(w, ep->metric, ep->threads, ep->blocked_ns);
	json_writer__key(w, "peak_impact_ns_per_s");
	json_writer__double(w, ep->peak_impact_ns_per_s);
	json_writer__key(w, "extra_ns");
	json_writer__double(w, ep->extra_ns);
	json_writer__kv_u64(w, "start_ns", ep->start_ns);
	json_writer__kv_u64(w, "end_ns", ep->end_ns);
	json_writer__key(w, "open");
	json_writer__bool(w, ep->open);
	json_writer__end_object(w);
}

int anomaly_episode_format_json(FILE *f, const struct anomaly_episode *ep)
{
	struct json_writer w;

	json_writer__init(&w, f, 0);
	anomaly_episode_put_json(&w, ep);
	return json_writer__end(&w) ? -EIO : 0;
}

int anomaly_parse_kinds(const char *s, unsigned int *kinds, char *err, size_t len)
{
	const char *p = s;

	*kinds = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		int k;

		for (k = 0; k < ANOMALY_KIND_CNT; k++)
			if (strlen(kind_names[k]) == n && !strncmp(p, kind_names[k], n))
				break;
		if (k == ANOMALY_KIND_CNT)
			return errmsg(
			    err, len, -EINVAL,
			    "invalid --anomaly-kinds: '%.*s' (latency, errors, rate, drop, "
			    "new, stall)",
			    (int)n, p);
		*kinds |= ANOMALY_KIND_BIT(k);
		p += n;
		if (*p == ',' && *++p == 0)
			return errmsg(err, len, -EINVAL, "invalid --anomaly-kinds: '%s'", s);
	}
	return *kinds ? 0 : errmsg(err, len, -EINVAL, "invalid --anomaly-kinds: '%s'", s);
}
