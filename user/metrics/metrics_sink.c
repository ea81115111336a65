// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lib/errmsg.h"
#include "lib/log.h"
#include "lib/proc.h"
#include "lib/syscalls.h"
#include "lib/walltime.h"
#include "metrics/listen.h"
#include "metrics/metrics_priv.h"

/* The 1-2-5 series from 1 us to 10 s. */
static const __u64 default_bounds[] = {
	1000ULL,       2000ULL,	      5000ULL,	     10000ULL,	     20000ULL,	   50000ULL,
	100000ULL,     200000ULL,     500000ULL,     1000000ULL,     2000000ULL,   5000000ULL,
	10000000ULL,   20000000ULL,   50000000ULL,   100000000ULL,   200000000ULL, 500000000ULL,
	1000000000ULL, 2000000000ULL, 5000000000ULL, 10000000000ULL,
};

static __u32 id_cgroup(const struct sysray_rec *r)
{
	return r->cgroup_lo;
}

static __u32 id_tgid(const struct sysray_rec *r)
{
	return r->tgid;
}

static int label_cgroup(void *ctx, __u32 id, const struct sysray_rec *r, char *buf, size_t len)
{
	struct metrics_sink *m = ctx;

	return cgroup_names__path(m->cg, id, r->tgid, r->tid, buf, len);
}

/* A live process's name from /proc; a gone one's as the kernel recorded it at exit. */
static int label_comm(void *ctx, __u32 tgid, const struct sysray_rec *r, char *buf, size_t len)
{
	struct metrics_sink *m = ctx;

	(void)r;
	if (!proc_comm(tgid, 0, buf, len))
		return 0;
	return m->comm_fn ? m->comm_fn(m->comm_ctx, tgid, buf, len) : -ENOENT;
}

static bool is_exec(const struct metrics_sink *m, const struct sysray_rec *r)
{
	return r->ret == 0 && r->abi < SYSRAY_ABI_CNT &&
	       (r->nr == m->exec_nr[r->abi][0] || r->nr == m->exec_nr[r->abi][1]);
}

static int records(void *ctx, const struct sysray_rec *recs, size_t n)
{
	struct metrics_sink *m = ctx;
	int err;

	m->received += n;
	err = series_set__add(m->ss, recs, n, m->o.by == METRICS_BY_CGROUP ? id_cgroup : id_tgid);
	if (err) {
		p_err("metrics: out of memory");
		return err;
	}
	/* A process that called execve has a new name: look it up again. */
	for (size_t i = 0; m->o.by == METRICS_BY_COMM && i < n; i++)
		if (is_exec(m, &recs[i]))
			series_set__forget(m->ss, recs[i].tgid);
	return 0;
}

static __u64 next_tick(void *ctx)
{
	struct metrics_sink *m = ctx;

	if (m->stopped)
		return 0;
	/* At once: serving starts at the first tick, in the poll loop. */
	return m->serving ? m->ticker.next : 1;
}

/*
 * The first tick comes from the poll loop, after the session gave up its capabilities: the
 * HTTP thread started now has none of them (they are per thread).
 */
static int serve(struct metrics_sink *m)
{
	int err = http_server__serve(m->http);

	if (err) {
		p_err("cannot serve metrics on %s: %s", m->where, strerror(-err));
		return err;
	}
	m->serving = true;
	return 0;
}

/* What the kernel counted beside the records, kept for the next renderings. */
static void absorb_counts(struct metrics_sink *m, const struct sysray_counts *c)
{
	for (unsigned int i = 0; i < SYSRAY_NR_SLOTS; i++) {
		m->unfinished[i] = c->sc[i].unfinished;
		m->dropped_calls[i] = c->sc[i].dropped + c->sc[i].untimed;
	}
	m->missed = c->missed;
}

static int on_episode(void *ctx, const struct anomaly_episode *ep)
{
	struct metrics_sink *m = ctx;
	unsigned int slot = SYSRAY_SLOT(ep->key.abi, ep->key.nr);

	if (ep->key.abi >= SYSRAY_ABI_CNT || ep->key.nr >= SYSRAY_MAX_NR ||
	    (unsigned int)ep->kind >= ANOMALY_KIND_CNT)
		return 0;
	/* Episodes fire at the detector's ticks: every one that started after the newest
	 * counted is new (one still open is never evicted before it is seen). */
	if (ep->start_ns > m->episodes_until)
		m->episodes[slot][ep->kind]++;
	if (ep->open)
		m->open_sev[slot][ep->kind] = ep->max_severity;
	return 0;
}

static int newest_start(void *ctx, const struct anomaly_episode *ep)
{
	__u64 *newest = ctx;

	if (ep->start_ns > *newest)
		*newest = ep->start_ns;
	return 0;
}

static void absorb_anomalies(struct metrics_sink *m)
{
	__u64 newest = m->episodes_until;

	memset(m->open_sev, 0, SYSRAY_NR_SLOTS * sizeof(*m->open_sev));
	anomaly__for_each_episode(m->o.anomaly, on_episode, m);
	anomaly__for_each_episode(m->o.anomaly, newest_start, &newest);
	m->episodes_until = newest;
}

static void health(struct metrics_sink *m, struct http_status *st, __u64 now)
{
	__u64 before = m->drops_at[m->ticks % HEALTH_DROP_TICKS];

	*st = (struct http_status){
		.health = HTTP_OK,
		.tick_ns = now,
		/* Ticks come every period from the poll loop; five missed mean it is stuck. */
		.stale_ns = 5 * m->o.period_ns < 5000000000ULL ? 5000000000ULL : 5 * m->o.period_ns,
	};
	if (m->stopped) {
		st->health = HTTP_STOPPED;
		snprintf(st->reason, sizeof(st->reason), "tracing has stopped");
	} else if (m->dropped > before) {
		st->health = HTTP_DROPPING;
		snprintf(st->reason, sizeof(st->reason),
			 "%llu records dropped in the last %u ticks: the ring buffers overflow "
			 "(calls stay counted; see --ring-size)",
			 (unsigned long long)(m->dropped - before), HEALTH_DROP_TICKS);
	}
	m->drops_at[m->ticks++ % HEALTH_DROP_TICKS] = m->dropped;
}

/* Render both formats and hand them to the HTTP thread. */
static void publish(struct metrics_sink *m, __u64 now)
{
	struct http_doc *docs[2] = { NULL, NULL };
	struct http_status st;
	struct timespec c0, c1;

	/* CPU time, not wall time: what rendering costs, whatever else the machine runs. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	for (int f = EXPO_PROM; f <= EXPO_OM; f++) {
		struct expo e;
		size_t len;
		char *text;

		expo__init(&e, f);
		/* About last time's size: no copying while the buffer doubles. */
		expo__reserve(&e, m->size_hint[f] + m->size_hint[f] / 8);
		if (metrics_render(m, &e)) {
			expo__free(&e);
			continue;
		}
		text = expo__take(&e, &len);
		m->size_hint[f] = len;
		docs[f] = text ? http_doc__new(text, len) : NULL;
		if (f == EXPO_PROM && docs[f])
			m->render_bytes = len;
	}
	if (!docs[0] || !docs[1])
		p_warn("metrics: out of memory: the endpoint serves the previous document");
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	m->render_seconds = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9;
	health(m, &st, now);
	http_server__publish(m->http, docs[0], docs[1], &st);
}

/* From now on /metrics has a document (no calls yet) rather than "starting". */
static int start(void *ctx, const struct sink_start *s)
{
	struct metrics_sink *m = ctx;

	m->comm_fn = s->comm_fn;
	m->comm_ctx = s->comm_ctx;
	m->start_wall = s->run->start_wall_ns ? s->run->start_wall_ns : walltime_now();
	ticker__start(&m->ticker, m->o.period_ns, s->run->start_ns);
	publish(m, s->run->start_ns);
	return 0;
}

static int tick(void *ctx, const struct sink_tick *t)
{
	struct metrics_sink *m = ctx;

	if (!m->serving && serve(m))
		return -EIO;
	if (!ticker__due(&m->ticker, t->now))
		return 0;
	m->dropped = t->dropped;
	if (t->counts)
		absorb_counts(m, t->counts);
	if (m->o.anomaly)
		absorb_anomalies(m);
	/* Freed series give their memory back to the system, not just to malloc. */
	if (series_set__expire(m->ss, t->now))
		malloc_trim(0);
	publish(m, t->now);
	return 0;
}

/* The last document has the whole run; /healthz says tracing has stopped. */
static int stop(void *ctx, const struct profile *total)
{
	struct metrics_sink *m = ctx;

	m->stopped = true;
	m->dropped = total->dropped;
	m->missed = total->missed;
	if (m->o.anomaly)
		absorb_anomalies(m);
	publish(m, now_ns());
	return 0;
}

static void sink_free(void *ctx)
{
	struct metrics_sink *m = ctx;

	http_server__free(m->http);
	webconfig__free(m->web);
	series_set__free(m->ss);
	cgroup_names__free(m->cg);
	for (unsigned int i = 0; i <= METRICS_MAX_BUCKETS; i++)
		free(m->le[i]);
	for (unsigned int i = 0; i < SYSRAY_NR_SLOTS; i++)
		free(m->sc_labels[i]);
	free(m->episodes);
	free(m->open_sev);
	free(m->scratch);
	free(m->scs);
	free(m);
}

static const struct sink_ops metrics_ops = {
	.name = "metrics",
	.tick_counts = true,
	.start = start,
	.records = records,
	.next_tick = next_tick,
	.tick = tick,
	.stop = stop,
	.free = sink_free,
};

/* le="0.001" for every bound, then le="+Inf". */
static int make_le(struct metrics_sink *m)
{
	for (unsigned int b = 0; b <= m->bounds.n; b++) {
		struct expo e;
		size_t len;

		expo__init(&e, EXPO_PROM);
		expo__puts(&e, "le=\"");
		if (b < m->bounds.n)
			expo__double(&e, m->bounds.ns[b] / 1e9);
		else
			expo__puts(&e, "+Inf");
		expo__puts(&e, "\"");
		m->le[b] = expo__take(&e, &len);
		if (!m->le[b])
			return -ENOMEM;
	}
	return 0;
}

/* The series and their key, and how a key becomes a label. */
static int setup_series(struct metrics_sink *m)
{
	struct series_set_opts so = {
		.key = m->o.by == METRICS_BY_NONE ? SERIES_KEY_NONE : SERIES_KEY_ID,
		.max_series = m->o.max_series,
		.expire_ns = m->o.expire_ns,
		.bounds = &m->bounds,
		.label_fn = m->o.by == METRICS_BY_CGROUP ? label_cgroup : label_comm,
		.label_ctx = m,
	};
	int err;

	if (m->o.by == METRICS_BY_CGROUP) {
		err = cgroup_names__new(m->o.mounts ? m->o.mounts : "/proc/mounts", &m->cg);
		if (err == -ENOENT)
			p_err("--metrics-by cgroup: no cgroup v2 file system is mounted");
		else if (err)
			p_err("--metrics-by cgroup: cannot read the mounts: %s", strerror(-err));
		if (err)
			return err;
	}
	m->by_name = m->o.by == METRICS_BY_CGROUP ? "cgroup"
		     : m->o.by == METRICS_BY_COMM ? "comm"
						  : NULL;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		m->exec_nr[abi][0] = syscall_lookup(abi, "execve");
		m->exec_nr[abi][1] = syscall_lookup(abi, "execveat");
	}
	err = series_set__new(&so, &m->ss);
	if (err)
		p_err("out of memory");
	return err;
}

/*
 * Read --web-config, bind (CAP_NET_BIND_SERVICE for a port below 1024 is only needed here,
 * before sysray gives up its capabilities), refuse passwords in clear text. Requests are
 * answered from the first tick on, after the capabilities are given up (serve()).
 */
static int setup_server(struct metrics_sink *m)
{
	char msg[ERRMSG_LEN], where[80];
	struct http_opts ho;
	int fd, err;

	if (m->o.web_config) {
		err = webconfig_load(m->o.web_config, &m->web, msg, sizeof(msg));
		if (err) {
			p_err("%s", msg);
			return err;
		}
	}
	fd = listen_open(m->o.listen, msg, sizeof(msg));
	if (fd < 0) {
		p_err("%s", msg);
		return fd;
	}
	listen_describe(fd, where, sizeof(where));
	if (webconfig__auth(m->web) && !webconfig__tls(m->web) && !listen_is_loopback(fd) &&
	    !m->o.insecure_auth) {
		close(fd);
		p_err("--web-config: basic authentication without TLS would send passwords in "
		      "clear text on %s: add tls_server_config, listen on loopback, or give "
		      "--web-insecure-auth",
		      where);
		return -EINVAL;
	}
	ho = (struct http_opts){ .listen_fd = fd, .web = m->web };
	err = http_server__new(&ho, &m->http);
	if (err) {
		p_err("cannot serve metrics on %s: %s", where,
		      err == -ENOTSUP ? "this libmicrohttpd has no TLS" : strerror(-err));
		return err;
	}
	snprintf(m->where, sizeof(m->where), "%s", where);
	/* Connections made from now on wait in the socket's backlog until serve(). */
	fprintf(stderr, "sysray: serving metrics on %s://%s/metrics\n",
		webconfig__tls(m->web) ? "https" : "http", where);
	return 0;
}

int metrics_sink__new(const struct metrics_sink_opts *o, struct sink *out)
{
	struct metrics_sink *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	/*
	 * The documents (up to megabytes, rendered every second) must come from mmap, so that
	 * freeing one gives its memory back at once. glibc raises its mmap threshold to the
	 * size of the first large block freed, after which they would be carved from the heap
	 * and leave it fragmented when the series shrink; a fixed threshold keeps it at 128 KiB.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	m->o = *o;
	if (!m->o.max_series)
		m->o.max_series = METRICS_DEFAULT_MAX_SERIES;
	if (!m->o.expire_ns)
		m->o.expire_ns = METRICS_DEFAULT_EXPIRE_NS;
	if (!m->o.period_ns)
		m->o.period_ns = METRICS_DEFAULT_PERIOD_NS;
	err = o->nr_buckets
		  ? metric_bounds__init(&m->bounds, o->buckets_ns, o->nr_buckets)
		  : metric_bounds__init(&m->bounds, default_bounds, ARRAY_SIZE(default_bounds));
	if (err) {
		p_err("invalid histogram bounds");
		goto cleanup;
	}
	err = make_le(m);
	if (!err && o->anomaly) {
		m->episodes = calloc(SYSRAY_NR_SLOTS, sizeof(*m->episodes));
		m->open_sev = calloc(SYSRAY_NR_SLOTS, sizeof(*m->open_sev));
		err = m->episodes && m->open_sev ? 0 : -ENOMEM;
	}
	if (err) {
		p_err("out of memory");
		goto cleanup;
	}
	err = setup_series(m);
	if (!err)
		err = setup_server(m);
	if (err)
		goto cleanup;
	*out = (struct sink){ .ops = &metrics_ops, .ctx = m };
	return 0;
cleanup:
	sink_free(m);
	return err;
}
