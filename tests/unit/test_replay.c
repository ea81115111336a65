// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A record stream recorded from a real run (tests/replay/golden/known.stream, made by
 * tests/replay/record.c) replayed through the pipeline and the real sinks: the reports must
 * equal the committed golden files byte for byte, so a refactor that changes any report
 * shows here. After an intended change, run the replay tests with SYSRAY_UPDATE_GOLDEN=1
 * in the environment: they rewrite the golden files (review the diff).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "replay/stream.h"
#include "report/interval_sink.h"
#include "report/output.h"
#include "report/report_sink.h"
#include "session/pipeline.h"

#define GOLDEN "tests/replay/golden/"

struct replay {
	char *buf; /* the whole stream file */
	size_t len, pos;
	struct stream_hdr hdr;
	char *argv[16];
};

static void replay_open(struct replay *r, const char *path)
{
	FILE *f = fopen(path, "re");
	long len;

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	r->buf = malloc(len + 1);
	cr_assert_eq(fread(r->buf, 1, len, f), (size_t)len);
	fclose(f);
	r->len = len;
	cr_assert_geq(r->len, sizeof(r->hdr));
	memcpy(&r->hdr, r->buf, sizeof(r->hdr));
	cr_assert_eq(memcmp(r->hdr.magic, STREAM_MAGIC, 8), 0);
	cr_assert_eq(r->hdr.version, STREAM_VERSION);
	cr_assert_eq(r->hdr.rec_size, sizeof(struct sysray_rec));
	r->pos = sizeof(r->hdr);
	for (int i = 0; r->pos < sizeof(r->hdr) + r->hdr.argv_len && i < 15; i++) {
		r->argv[i] = r->buf + r->pos;
		r->pos += strlen(r->argv[i]) + 1;
	}
	cr_assert_eq(r->pos, sizeof(r->hdr) + r->hdr.argv_len);
}

/* Feed every chunk to the pipeline; at the end, stop it with the recorded counts. */
static void replay_run(struct replay *r, struct pipeline *p)
{
	struct run_info run = {
		.mode = r->hdr.mode, .argv = r->argv, .exit_status = -1, .start_ns = r->hdr.start_ns
	};
	struct sink_start ss = { .run = &run, .pid_max = 1 << 22 };
	size_t pos = r->pos;

	cr_assert_eq(pipeline__start(p, &ss), 0);
	while (pos + sizeof(struct stream_chunk) <= r->len) {
		struct stream_chunk c;
		const char *data = r->buf + pos + sizeof(c);

		memcpy(&c, r->buf + pos, sizeof(c));
		pos += sizeof(c);
		if (c.kind == STREAM_RECORDS) {
			struct sysray_rec *recs = malloc(c.n * sizeof(*recs));

			memcpy(recs, data, c.n * sizeof(*recs));
			cr_assert_eq(pipeline__records(p, recs, c.n), 0);
			free(recs);
			pos += c.n * sizeof(*recs);
		} else if (c.kind == STREAM_TICK) {
			struct stream_tick t;

			memcpy(&t, data, sizeof(t));
			cr_assert_eq(pipeline__tick(p, &(struct sink_tick){ t.now, t.dropped }), 0);
			pos += sizeof(t);
		} else {
			struct stream_stop *s = malloc(sizeof(*s));
			struct sysray_counts *k = calloc(1, sizeof(*k));

			cr_assert_eq(c.kind, STREAM_STOP);
			memcpy(s, data, sizeof(*s));
			memcpy(k->sc, s->counts.sc, sizeof(k->sc));
			memcpy(k->stats, s->counts.stats, sizeof(k->stats));
			k->missed = s->counts.missed;
			run.exit_status = s->exit_status;
			cr_assert_eq(pipeline__stop(p, k, &run, s->duration_ns, s->procs), 0);
			free(k);
			free(s);
			pos += sizeof(*s);
			cr_assert_eq(pos, r->len, "data after the stop chunk");
			return;
		}
	}
	cr_assert_fail("the stream has no stop chunk");
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (n < 0)
		buf = strdup("");
	return buf;
}

/* The reports of the replayed stream with opts (and -i every interval_ms) vs a golden file. */
static void check(const struct report_opts *opts, unsigned int interval_ms, const char *golden)
{
	char dir[] = "/tmp/sysray-replay-XXXXXX", path[64], gpath[256];
	struct pipeline_opts po = { .pid_max = 1 << 22 };
	struct replay r = { 0 };
	struct pipeline *p;
	struct output *out;
	struct sink sink;
	char *got, *want;

	replay_open(&r, GOLDEN "known.stream");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/report", dir);
	cr_assert_eq(output__open(path, &out), 0);
	cr_assert_eq(pipeline__new(&po, &p), 0);
	if (interval_ms) {
		struct interval_sink_opts io = { .report = *opts,
						 .f = output__file(out),
						 .period_ns = interval_ms * 1000000ULL };

		io.report.intervals = true;
		cr_assert_eq(interval_sink__new(&io, &sink), 0);
		cr_assert_eq(pipeline__add_sink(p, sink), 0);
	}
	struct report_sink_opts ro = { .report = *opts, .out = out, .out_name = path };

	ro.report.intervals = interval_ms != 0;
	cr_assert_eq(report_sink__new(&ro, &sink), 0);
	cr_assert_eq(pipeline__add_sink(p, sink), 0);
	replay_run(&r, p);
	pipeline__free(p);
	output__free(out);

	got = slurp(path);
	cr_assert_not_null(got);
	snprintf(gpath, sizeof(gpath), GOLDEN "%s", golden);
	if (getenv("SYSRAY_UPDATE_GOLDEN")) {
		FILE *f = fopen(gpath, "we");

		cr_assert_not_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = slurp(gpath);
	cr_assert_not_null(want, "%s is missing", gpath);
	cr_expect_str_eq(got, want, "the report differs from %s", gpath);
	unlink(path);
	rmdir(dir);
	free(got);
	free(want);
	free(r.buf);
}

Test(replay, text_report_with_every_view)
{
	struct report_opts o = { .stats_extended = true };

	cr_assert_eq(report_hist_select(true, NULL, &o.hist, NULL, 0), 0);
	check(&o, 0, "known.txt");
}

Test(replay, json_report)
{
	struct report_opts o = { .format = REPORT_JSON };

	check(&o, 0, "known.json");
}

Test(replay, interval_reports_then_the_total)
{
	struct report_opts o = { .format = REPORT_JSON };

	check(&o, 100, "known-intervals.jsonl");
}

Test(replay, sorted_columns_and_top)
{
	struct report_opts o = { .text.top = 5 };
	char err[256];

	cr_assert_eq(report_parse_sort("calls", &o.text, err, sizeof(err)), 0);
	cr_assert_eq(report_parse_columns("calls,errors,name,max-time", &o.text, err, sizeof(err)),
		     0);
	check(&o, 0, "known-sorted.txt");
}
