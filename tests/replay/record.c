// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Record a real run's record stream for the golden replay test (tests/unit/test_replay.c):
 *   record OUT.stream TICK_MS -- COMMAND [ARGS...]
 * runs COMMAND under the real session (tracer, rings, pipeline) with one sink that writes
 * every batch, a tick every TICK_MS, and at the end the kernel's counts as the pipeline
 * folded them, in tests/replay/stream.h's format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/stream.h"
#include "session/session.h"
#include "stats/aggregate.h"

struct recorder {
	FILE *f;
	__u64 tick_ns, next;
	struct aggregate *agg; /* what the records say, to tell the kernel's counts apart */
	char **argv;
	int mode;
};

static int put(struct recorder *r, __u32 kind, __u32 n, const void *p, size_t len)
{
	struct stream_chunk c = { .kind = kind, .n = n };

	if (fwrite(&c, sizeof(c), 1, r->f) != 1 || (len && fwrite(p, len, 1, r->f) != 1))
		return -EIO;
	return 0;
}

static int start(void *ctx, const struct sink_start *s)
{
	struct recorder *r = ctx;
	struct aggregate_opts ao = { .pid_max = s->pid_max };
	struct stream_hdr h = { .version = STREAM_VERSION,
				.rec_size = sizeof(struct sysray_rec),
				.mode = s->run->mode,
				.start_ns = s->run->start_ns,
				.tick_ns = r->tick_ns };
	size_t len = 0;

	memcpy(h.magic, STREAM_MAGIC, sizeof(h.magic));
	for (char **a = r->argv; *a; a++)
		len += strlen(*a) + 1;
	h.argv_len = len;
	if (fwrite(&h, sizeof(h), 1, r->f) != 1)
		return -EIO;
	for (char **a = r->argv; *a; a++)
		if (fwrite(*a, strlen(*a) + 1, 1, r->f) != 1)
			return -EIO;
	r->next = s->run->start_ns + r->tick_ns;
	return aggregate__new(&ao, &r->agg);
}

static int records(void *ctx, const struct sysray_rec *recs, size_t n)
{
	struct recorder *r = ctx;

	return aggregate__add(r->agg, recs, n)
		   ?: put(r, STREAM_RECORDS, n, recs, n * sizeof(*recs));
}

static __u64 next_tick(void *ctx)
{
	return ((struct recorder *)ctx)->next;
}

static int tick(void *ctx, const struct sink_tick *t)
{
	struct recorder *r = ctx;
	struct stream_tick st = { .now = t->now, .dropped = t->dropped };

	while (r->next <= t->now)
		r->next += r->tick_ns;
	return put(r, STREAM_TICK, 1, &st, sizeof(st));
}

/* The kernel's counts back from the folded profile: whatever the records do not explain. */
static int stop(void *ctx, const struct profile *total)
{
	struct recorder *r = ctx;
	const struct profile *rec = aggregate__profile(r->agg);
	struct stream_stop *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			const struct sc_stat *t = &total->total.sc[abi][nr],
					     *d = &rec->total.sc[abi][nr];
			struct sysray_counter *k = &s->counts.sc[SYSRAY_SLOT(abi, nr)];

			k->unfinished = t->unfinished;
			k->dropped = t->calls - d->calls - t->unfinished;
			k->dropped_errors = t->errors - d->errors;
		}
	}
	s->counts.stats[SYSRAY_STAT_DROPPED] = total->dropped;
	s->counts.missed = total->missed;
	s->duration_ns = total->duration_ns;
	s->procs = total->procs;
	s->exit_status = total->run.exit_status;
	err = put(r, STREAM_STOP, 1, s, sizeof(*s));
	free(s);
	return err ?: (fflush(r->f) ? -errno : 0);
}

static void sink_free(void *ctx)
{
	struct recorder *r = ctx;

	aggregate__free(r->agg);
	free(r);
}

static const struct sink_ops recorder_ops = {
	.name = "recorder",
	.start = start,
	.records = records,
	.next_tick = next_tick,
	.tick = tick,
	.stop = stop,
	.free = sink_free,
};

int main(int argc, char **argv)
{
	struct session_opts so = { .mode = TARGET_COMMAND };
	struct recorder *r = calloc(1, sizeof(*r));
	struct session *s = NULL;
	FILE *f;
	int code = 1;

	if (argc < 5 || strcmp(argv[3], "--") || !r) {
		fprintf(stderr, "usage: record OUT.stream TICK_MS -- COMMAND [ARGS...]\n");
		return 2;
	}
	f = fopen(argv[1], "we");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	r->f = f;
	r->tick_ns = strtoull(argv[2], NULL, 10) * 1000000ULL;
	r->argv = so.argv = &argv[4];
	if (!session__new(&so, &s) &&
	    !session__add_sink(s, (struct sink){ .ops = &recorder_ops, .ctx = r }))
		code = session__run(s);
	session__free(s);
	if (fclose(f))
		code = 1;
	return code;
}
