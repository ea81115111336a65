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
#include "diff/json_read.h"
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
			cr_assert_eq(pipeline__tick(p, &(struct sink_tick){ .now = t.now,
									    .dropped = t.dropped }),
				     0);
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

/*
 * Interval times are the recorded monotonic instants in wall-clock time with this boot's
 * offset between the clocks: "T" in place of each, so the golden files hold on any host.
 */
static void mask_times(char *s)
{
	static const char *const keys[] = { "\"start_time\":\"", "\"end_time\":\"" };

	for (int k = 0; k < 2; k++) {
		for (char *p = strstr(s, keys[k]); p; p = strstr(p, keys[k])) {
			char *v = p + strlen(keys[k]), *end = strchr(v, '"');

			if (!end)
				break;
			*v = 'T';
			memmove(v + 1, end, strlen(end) + 1);
			p = v;
		}
	}
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
	cr_assert_eq(output__open(path, &out, NULL, 0), 0);
	cr_assert_eq(pipeline__new(&po, &p), 0);
	if (interval_ms) {
		struct interval_sink_opts io = { .report = *opts,
						 .out = out,
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
	mask_times(got);
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

Test(replay, csv_report)
{
	struct report_opts o = { .format = REPORT_CSV };

	check(&o, 0, "known.csv");
}

/* The CSV and JSON reports of the same replayed run agree on every value of every row. */
Test(replay, csv_matches_the_json_report)
{
	char *csv = slurp(GOLDEN "known.csv"), *json = slurp(GOLDEN "known.json"), err[128];
	static const char *const keys[] = { "calls",  "errors", "unfinished", "total_ns",
					    "p50_ns", "p90_ns", "p99_ns",     "max_ns" };
	struct json_value *root, *arr;
	char *line, *save = NULL;
	size_t rows = 0;

	cr_assert(csv && json);
	cr_assert_eq(json_parse(json, strlen(json), &root, err, sizeof(err)), 0, "%s", err);
	arr = (struct json_value *)json_get(root, "syscalls");
	cr_assert_not_null(arr);
	line = strtok_r(csv, "\r\n", &save);
	cr_assert_str_eq(line, "syscall,abi,calls,errors,unfinished,total_ns,mean_ns,p50_ns,p90_ns,"
			       "p99_ns,max_ns");
	while ((line = strtok_r(NULL, "\r\n", &save))) {
		char name[64], abi[16], mean[40];
		unsigned long long v[8];
		const struct json_value *e = NULL;

		cr_assert_eq(
		    sscanf(line, "%63[^,],%15[^,],%llu,%llu,%llu,%llu,%39[^,],%llu,%llu,%llu,%llu",
			   name, abi, &v[0], &v[1], &v[2], &v[3], mean, &v[4], &v[5], &v[6], &v[7]),
		    11, "%s", line);
		for (size_t i = 0; i < arr->n && !e; i++)
			if (!strcmp(json_get_str(arr->items[i], "name"), name) &&
			    !strcmp(json_get_str(arr->items[i], "abi"), abi))
				e = arr->items[i];
		cr_assert_not_null(e, "%s/%s is not in the JSON report", name, abi);
		for (int k = 0; k < 8; k++) {
			uint64_t want;

			cr_assert_eq(json_get_u64(e, keys[k], &want), 0);
			cr_expect_eq(v[k], want, "%s %s: CSV %llu, JSON %llu", name, keys[k], v[k],
				     (unsigned long long)want);
		}
		cr_expect_eq(strtod(mean, NULL), json_get(e, "mean_ns")->num, "%s mean_ns", name);
		rows++;
	}
	cr_expect_eq(rows, arr->n, "one CSV row per JSON entry");
	json_value_free(root);
	free(csv);
	free(json);
}
