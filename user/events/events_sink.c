// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/ratelimit.h"
#include "events/event.h"
#include "events/events_sink.h"

/* How often the output is flushed, and a note written if events were not shown. */
#define FLUSH_NS (200ULL * 1000 * 1000)
#define NOTE_NS	 (1000ULL * 1000 * 1000)

struct events_sink {
	struct events_sink_opts o;
	struct ev_fmt x;
	struct ratelimit rl;
	sink_ev_stats_fn stats_fn;
	void *stats_ctx;
	__u64 shown;	  /* event lines written */
	__u64 suppressed; /* over --events-max-rate */
	__u64 unwritten;  /* after the output failed */
	__u64 noted_supp; /* suppressed and lost as of the last note */
	__u64 noted_lost;
	__u64 next_flush;
	__u64 next_note;
	int err; /* the first write error: events stop, the summary still gets its chance */
};

void events_kernel_spec(__u16 spec[SYSRAY_ABI_CNT * SYSRAY_MAX_NR])
{
	decode_kernel_spec(spec);
}

static __s64 wall_offset(void)
{
	struct timespec rt;

	clock_gettime(CLOCK_REALTIME, &rt);
	return (__s64)rt.tv_sec * 1000000000 + rt.tv_nsec - (__s64)now_ns();
}

static int start(void *ctx, const struct sink_start *s)
{
	struct events_sink *k = ctx;
	int err = 0;

	k->stats_fn = s->ev_stats_fn;
	k->stats_ctx = s->ev_stats_ctx;
	k->x.wall_off_ns = wall_offset();
	ratelimit__init(&k->rl, k->o.max_rate, k->o.max_rate, now_ns());
	if (k->o.format == EVENTS_CSV)
		err = format_csv_header(&k->x);
	return err;
}

/* -y: a successful open of an absolute path names the descriptor it returned. */
static void learn(struct events_sink *k, const struct ev_view *v)
{
	const struct sysray_event *e = v->e;
	int s = -1;

	if (!k->x.fdp || v->unfinished || v->failed || v->d->ret != RET_FD || e->ret > 0x7fffffff)
		return;
	for (int i = 0; i < v->d->nargs && s < 0; i++)
		if (v->d->args[i].kind == ARG_PATH)
			s = v->str_of_arg[i];
	if (s >= 0 && e->str_state[s] == SYSRAY_EV_STR_OK)
		fdpath__learn(k->x.fdp, e->tgid, (int)e->ret, &e->files[SYSRAY_EV_FD_RET],
			      v->str[s], e->str_len[s]);
}

/*
 * The output failed: say so once with the stream's real errno, keep the file's whole lines
 * (cut back to the last flush) and send what follows (a -C summary) to stderr. Tracing goes
 * on: the counts, and the summary, stay whole.
 */
static void fail(struct events_sink *k, int err)
{
	int real = output__write_error(k->o.out);

	if (real)
		err = real;
	k->err = err;
	output__fail(k->o.out, err);
	p_err("cannot write the events to %s: %s; the rest are not written",
	      k->o.out_name ? k->o.out_name : "stderr", strerror(-err));
}

static int event(void *ctx, const struct sysray_event *e, size_t len)
{
	struct events_sink *k = ctx;
	struct ev_view v;
	int err;

	if (ev_view_init(&v, e, len))
		return 0;
	if (k->o.max_rate && !ratelimit__allow(&k->rl, e->start_ns + e->dur_ns)) {
		k->suppressed++;
		return 0;
	}
	if (k->err) {
		k->unwritten++;
		return 0;
	}
	learn(k, &v);
	switch (k->o.format) {
	case EVENTS_JSON:
		err = format_json(&k->x, &v);
		break;
	case EVENTS_CSV:
		err = format_csv(&k->x, &v);
		break;
	default:
		err = format_strace(&k->x, &v);
	}
	if (err == -ENOMEM)
		return err;
	if (err) {
		fail(k, err);
		k->unwritten++;
		return 0;
	}
	k->shown++;
	return 0;
}

static __u64 kernel_lost(struct events_sink *k)
{
	__u64 st[SYSRAY_EV_STAT_CNT] = { 0 };

	if (k->stats_fn && k->stats_fn(k->stats_ctx, st))
		return k->noted_lost;
	return st[SYSRAY_EV_STAT_LOST];
}

/* In the stream, where the events would have been: how many were not shown since the last note. */
static int note(struct events_sink *k, __u64 now)
{
	__u64 lost = kernel_lost(k), supp = k->suppressed;
	__u64 ds = supp - k->noted_supp, dl = lost - k->noted_lost;
	FILE *f = k->x.f;
	int err = 0;

	if ((!ds && !dl) || k->err)
		return 0;
	k->noted_supp = supp;
	k->noted_lost = lost;
	if (k->o.format == EVENTS_JSON)
		err = format_json_lost(f, &k->x, now, ds, dl);
	else if (k->o.format == EVENTS_TEXT &&
		 fprintf(f,
			 "--- sysray: %llu events not shown: %llu over --events-max-rate, %llu "
			 "lost (event ring full) ---\n",
			 (unsigned long long)(ds + dl), (unsigned long long)ds,
			 (unsigned long long)dl) < 0)
		err = -EIO;
	return err;
}

static __u64 next_tick(void *ctx)
{
	struct events_sink *k = ctx;

	return k->next_flush < k->next_note ? k->next_flush : k->next_note;
}

static int tick(void *ctx, const struct sink_tick *t)
{
	struct events_sink *k = ctx;

	int err;

	if (t->now >= k->next_note) {
		err = note(k, t->now);
		if (err && !k->err)
			fail(k, err);
		k->next_note = t->now + NOTE_NS;
	}
	if (t->now >= k->next_flush) {
		err = k->err ? 0 : output__mark(k->o.out);
		if (err)
			fail(k, err);
		k->next_flush = t->now + FLUSH_NS;
	}
	return 0;
}

static int stop(void *ctx, const struct profile *total)
{
	struct events_sink *k = ctx;
	__u64 lost;
	int err;

	(void)total;
	err = k->err ? 0 : note(k, now_ns());
	if (!err && !k->err)
		err = output__mark(k->o.out);
	if (err && !k->err)
		fail(k, err);
	err = 0;
	if (!k->err && k->o.commit)
		err = output__commit(k->o.out);
	if (err)
		p_err("cannot write the events to %s: %s", k->o.out_name ? k->o.out_name : "stderr",
		      strerror(-err));
	lost = k->noted_lost;
	/* In front of the user too when the stream is not: a file, or CSV (no note rows). */
	if ((k->suppressed || lost) && (k->o.out_name || k->o.format == EVENTS_CSV))
		p_warn("%llu events not shown: %llu over --events-max-rate %g/s, %llu lost (event "
		       "ring full); the summary's counts are exact",
		       (unsigned long long)(k->suppressed + lost),
		       (unsigned long long)k->suppressed, k->o.max_rate, (unsigned long long)lost);
	return k->err ? k->err : err;
}

static void sink_free(void *ctx)
{
	struct events_sink *k = ctx;

	ev_line_free(&k->x.line);
	ev_line_free(&k->x.aux);
	fdpath__free(k->x.fdp);
	free(k);
}

static const struct sink_ops events_ops = {
	.name = "events",
	.start = start,
	.event = event,
	.next_tick = next_tick,
	.tick = tick,
	.stop = stop,
	.free = sink_free,
};

int events_sink__new(const struct events_sink_opts *o, struct sink *out)
{
	struct events_sink *k = calloc(1, sizeof(*k));
	int err;

	if (!k)
		return -ENOMEM;
	k->o = *o;
	k->x.f = output__file(o->out);
	k->x.timestamps = o->timestamps;
	k->x.durations = o->durations;
	k->next_flush = 1;
	k->next_note = 1;
	if (o->fds) {
		err = fdpath__new(&k->x.fdp);
		if (err) {
			free(k);
			return err;
		}
	}
	*out = (struct sink){ .ops = &events_ops, .ctx = k };
	return 0;
}
