// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The HTML report without a browser: the heatmap's columns and merges, escaping, and the
 * page a pipeline of recorded records produces (the browser's view of it is an
 * integration test).
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include "memstream.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "anomaly/anomaly.h"
#include "html/heatmap.h"
#include "html/html_priv.h"
#include "html/html_sink.h"
#include "report/output.h"
#include "report/report.h"
#include "session/pipeline.h"

#define MS	   1000000ULL
#define NR_READ	   0
#define NR_WRITE   1
#define NR_GETPPID 110

static struct sysray_rec rec(__u64 end_ns, __u64 dur, int nr, long long ret, __u32 tgid)
{
	return (struct sysray_rec){ .start_ns = end_ns - dur,
				    .dur_ns = dur,
				    .ret = ret,
				    .tgid = tgid,
				    .tid = tgid,
				    .nr = nr };
}

static __u64 cells_sum(const __u32 *c, unsigned int cols)
{
	__u64 s = 0;

	for (unsigned int i = 0; i < cols * HEATMAP_ROWS; i++)
		s += c[i];
	return s;
}

Test(html, heatmap_places_calls_by_completion_time_and_latency)
{
	struct heatmap *h;
	struct sysray_rec r[] = {
		rec(1000 + 5 * MS, 100, NR_READ, 0, 1),		 /* column 0, row 6 (64..127 ns) */
		rec(1000 + 25 * MS, 3000, NR_READ, 0, 1),	 /* column 2, row 11 */
		rec(1000 + 25 * MS, 0, NR_READ, 0, 1),		 /* column 2, row 0 */
		rec(1000 + 15 * MS, 1ULL << 40, NR_WRITE, 0, 1), /* column 1, row 37: the top */
		rec(500, 100, NR_WRITE, 0, 1), /* ended before tracing began: column 0 */
	};
	const __u32 *c;

	cr_assert_eq(heatmap__new(1000, 10 * MS, &h), 0);
	cr_assert_eq(heatmap__add(h, r, 5), 0);
	cr_assert_eq(heatmap__cols(h), 3);
	cr_assert_eq(heatmap__col_ns(h), 10 * MS);
	c = heatmap__cells(h, 0, NR_READ);
	cr_assert_not_null(c);
	cr_expect_eq(c[0 * HEATMAP_ROWS + 6], 1);
	cr_expect_eq(c[2 * HEATMAP_ROWS + 11], 1);
	cr_expect_eq(c[2 * HEATMAP_ROWS + 0], 1);
	cr_expect_eq(cells_sum(c, 3), 3);
	c = heatmap__cells(h, 0, NR_WRITE);
	cr_assert_not_null(c);
	cr_expect_eq(c[1 * HEATMAP_ROWS + HEATMAP_ROWS - 1], 1);
	cr_expect_eq(c[0 * HEATMAP_ROWS + 6], 1, "placed at the start rather than lost");
	cr_expect_eq(cells_sum(c, 3), 2);
	cr_expect_null(heatmap__cells(h, 0, NR_GETPPID), "no call, no matrix");
	cr_expect_null(heatmap__cells(h, 2, 0));
	heatmap__free(h);
}

Test(html, heatmap_merges_columns_in_pairs_and_keeps_every_call)
{
	struct heatmap *h;
	__u64 n = 0;

	cr_assert_eq(heatmap__new(0, 1 * MS, &h), 0);
	/* One call per millisecond for 1000 ms: 1000 base columns, so two merges (4 ms). */
	for (__u64 t = 0; t < 1000; t++) {
		struct sysray_rec r = rec(t * MS + 500000, 1000 + t, NR_READ, 0, 1);

		cr_assert_eq(heatmap__add(h, &r, 1), 0);
		n++;
	}
	cr_expect_eq(heatmap__col_ns(h), 4 * MS);
	cr_expect_eq(heatmap__cols(h), 250);
	cr_expect_eq(cells_sum(heatmap__cells(h, 0, NR_READ), HEATMAP_COLS), n);
	/* Column 10 is 40..44 ms: four calls of 1040..1043 ns, row 10. */
	cr_expect_eq(heatmap__cells(h, 0, NR_READ)[10 * HEATMAP_ROWS + 10], 4);
	/* The run lasted 2 s: the columns cover all of it, still at most HEATMAP_COLS. */
	heatmap__finish(h, 2000 * MS);
	cr_expect_eq(heatmap__col_ns(h), 8 * MS);
	cr_expect_eq(heatmap__cols(h), 250);
	cr_expect_eq(cells_sum(heatmap__cells(h, 0, NR_READ), HEATMAP_COLS), n);
	heatmap__free(h);
}

Test(html, heatmap_cells_saturate_rather_than_wrap)
{
	struct heatmap *h;
	struct sysray_rec r = rec(10, 10, NR_READ, 0, 1);
	__u32 *c;

	cr_assert_eq(heatmap__new(0, MS, &h), 0);
	cr_assert_eq(heatmap__add(h, &r, 1), 0);
	c = (__u32 *)heatmap__cells(h, 0, NR_READ);
	c[3] = HEATMAP_CELL_MAX - 1;
	cr_assert_eq(heatmap__add(h, &r, 1), 0);
	cr_assert_eq(heatmap__add(h, &r, 1), 0);
	cr_expect_eq(c[3], HEATMAP_CELL_MAX);
	heatmap__free(h);
}

Test(html, text_from_processes_is_escaped)
{
	struct mem m;
	char *out;

	mem_open(&m);
	html_puts(m.f, "<script>alert('x\"&')</script>\n\033[2J");
	out = mem_text(&m);
	cr_expect_str_eq(out,
			 "&lt;script&gt;alert(&#39;x&quot;&amp;&#39;)&lt;/script&gt;\\n\\33[2J");
	free(out);
	mem_open(&m);
	html_puts(m.f, "caf\xc3\xa9 \xff");
	out = mem_text(&m);
	cr_expect_str_eq(out, "caf\xc3\xa9 \\377", "valid UTF-8 stays, a stray byte is escaped");
	free(out);
}

Test(html, durations_for_people)
{
	char b[32];

	cr_expect_str_eq(html_dur(b, sizeof(b), 0), "0 ns");
	cr_expect_str_eq(html_dur(b, sizeof(b), 850), "850 ns");
	cr_expect_str_eq(html_dur(b, sizeof(b), 999.4), "999 ns");
	cr_expect_str_eq(html_dur(b, sizeof(b), 999.6), "1.00 µs");
	cr_expect_str_eq(html_dur(b, sizeof(b), 1234), "1.23 µs");
	cr_expect_str_eq(html_dur(b, sizeof(b), 45.6e6), "45.6 ms");
	cr_expect_str_eq(html_dur(b, sizeof(b), 123e6), "123 ms");
	cr_expect_str_eq(html_dur(b, sizeof(b), 2.5e9), "2.50 s");
	cr_expect_str_eq(html_dur(b, sizeof(b), 3600e9), "3600 s");
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, k;

	cr_assert_not_null(f, "no page at %s", path);
	do {
		if (n + 4096 + 1 > cap) {
			cap = 2 * cap + 8192;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		k = fread(buf + n, 1, 4096, f);
		n += k;
	} while (k);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A run of known records through the pipeline and the html sink, into a file. */
struct page {
	char path[64];
	char *text;
};

static int hostile_comm(void *ctx, __u32 tid, char *buf, size_t len)
{
	(void)ctx, (void)tid;
	snprintf(buf, len, "<b>x</b>");
	return 0;
}

static void render(struct page *pg, const struct anomaly *det, unsigned int top)
{
	char *argv[] = { "./app", "<i>", NULL };
	struct run_info run = {
		.mode = TARGET_COMMAND, .argv = argv, .exit_status = 3, .start_ns = 1000
	};
	struct sink_start ss = { .run = &run, .pid_max = 1 << 22, .comm_fn = hostile_comm };
	struct pipeline_opts po = { .group_by = GROUP_PROCESS, .pid_max = 1 << 22 };
	struct sysray_counts *c = calloc(1, sizeof(*c));
	struct html_sink_opts ho = { .anomaly = det, .top = top };
	struct pipeline *p;
	struct output *out;
	struct sink sink;
	int fd;

	cr_assert_not_null(c);
	snprintf(pg->path, sizeof(pg->path), "/tmp/sysray-html-XXXXXX");
	fd = mkstemp(pg->path);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(output__open(pg->path, &out, NULL, 0), 0);
	ho.out = out;
	ho.out_name = pg->path;
	cr_assert_eq(pipeline__new(&po, &p), 0);
	cr_assert_eq(html_sink__new(&ho, &sink), 0);
	cr_assert_eq(pipeline__add_sink(p, sink), 0);
	cr_assert_eq(pipeline__start(p, &ss), 0);
	/* A tgid above any pid_max: its name comes from the comm source. */
	for (int i = 0; i < 100; i++) {
		struct sysray_rec r[] = { rec(1000 + i * MS, 500 + i, NR_GETPPID, 1, 4000000),
					  rec(1000 + i * MS, 20000, NR_READ, i % 10 ? 5 : -11,
					      4000000) };

		cr_assert_eq(pipeline__records(p, r, 2), 0);
	}
	c->sc[SYSRAY_SLOT(0, NR_WRITE)].unfinished = 2;
	cr_assert_eq(pipeline__stop(p, c, &run, 100 * MS, 1), 0);
	pipeline__free(p);
	output__free(out);
	free(c);
	pg->text = read_all(pg->path);
}

static void page_free(struct page *pg)
{
	unlink(pg->path);
	free(pg->text);
}

Test(html, page_of_a_known_run)
{
	struct page pg;
	char *tbody, *end;

	render(&pg, NULL, 0);
	/* Every syscall with calls has a summary row and a histogram, getppid first by time. */
	tbody = strstr(pg.text, "<tbody>");
	cr_assert_not_null(tbody);
	end = strstr(tbody, "</tbody>");
	cr_assert_not_null(end);
	*end = 0;
	cr_expect_eq(count(tbody, "<tr data-syscall="), 3);
	cr_expect_not_null(strstr(tbody, "<tr data-syscall=\"read\"><td><a href=\"#h-x86_64-read\">"
					 "read</a></td><td>x86_64</td><td data-v=\"100\">100</td>"
					 "<td data-v=\"10\">10</td>"));
	cr_expect_not_null(strstr(tbody, "<tr data-syscall=\"write\">"));
	*end = '<';
	cr_expect_eq(count(pg.text, "<svg class=\"hist\""), 3);
	cr_expect_not_null(strstr(pg.text, "no timed call: 2 unfinished"),
			   "write never returned: its plot says so");
	cr_expect_eq(count(pg.text, "<canvas class=\"hm\""), 2, "read and getppid were timed");
	cr_expect_not_null(strstr(pg.text, "\"cols\":10,"), "100 ms in columns of 10 ms");
	/* The run's facts, with what came from the command line escaped. */
	cr_expect_not_null(strstr(pg.text, "<code>./app &lt;i&gt;</code>"));
	cr_expect_not_null(strstr(pg.text, "(exit status 3)"));
	cr_expect_not_null(strstr(pg.text, "200 received, 0 dropped"));
	/* -P: the process's name from the kernel's record, escaped. */
	cr_expect_not_null(strstr(pg.text, "<td>&lt;b&gt;x&lt;/b&gt;</td>"));
	cr_expect_null(strstr(pg.text, "<b>x</b>"));
	cr_expect_eq(count(pg.text, "<script"), 2, "the data block and the script, nothing else");
	cr_expect_null(strstr(pg.text, "http:"));
	cr_expect_null(strstr(pg.text, "https:"));
	cr_expect_null(strstr(pg.text, "url("));
	cr_expect_null(strstr(pg.text, "id=\"anomalies\""), "no --anomaly, no section");
	page_free(&pg);
}

/* A detector fed a latency step on a syscall with a hostile name. */
static struct anomaly *stepped_detector(void)
{
	struct anomaly_opts o = { 0 };
	struct anomaly *a;

	cr_assert_eq(anomaly__new(&o, NULL, NULL, &a), 0);
	for (unsigned int t = 1; t <= 40; t++) {
		bool slow = t >= 25 && t < 32;
		__u64 p50 = slow ? 2 * MS : 10000 + (t % 5) * 200;
		struct anomaly_obs obs = {
			.calls = 1000,
			.timed = 1000,
			.total_ns = 1000 * p50,
			.p50_ns = p50,
			.p99_ns = 2 * p50,
			.p999_ns = 3 * p50,
		};

		cr_assert_eq(
		    anomaly__observe(a, (struct anomaly_key){ 0, NR_READ, 0 }, "</script><i>", &obs),
		    0);
		cr_assert_eq(anomaly__tick_end(a, 1000 + t * 2 * MS, 2 * MS), 0);
	}
	return a;
}

Test(html, anomaly_episodes_as_bands)
{
	struct anomaly *det = stepped_detector();
	struct anomaly_summary s;
	struct page pg;

	anomaly__summary(det, &s);
	cr_assert_geq(s.episodes, 1, "the step must fire");
	render(&pg, det, 0);
	cr_expect_not_null(strstr(pg.text, "<section id=\"anomalies\">"));
	cr_expect_eq(count(pg.text, "<rect class=\"ep "), (int)s.episodes);
	cr_expect_not_null(strstr(pg.text, "&lt;/script&gt;&lt;i&gt;"));
	/* In the data block '<' is escaped, so the name cannot close the script. */
	cr_expect_not_null(strstr(pg.text, "\"syscall\":\"\\u003c/script>\\u003ci>\""));
	cr_expect_eq(count(pg.text, "</script>"), 2);
	page_free(&pg);
	anomaly__free(det);
}

Test(html, top_limits_the_heatmaps_and_processes)
{
	struct page pg;

	render(&pg, NULL, 1);
	cr_expect_eq(count(pg.text, "<canvas class=\"hm\""), 1);
	cr_expect_eq(count(pg.text, "<svg class=\"hist\""), 3, "histograms are never cut");
	page_free(&pg);
}

Test(html, sigusr1_prints_the_run_so_far_as_text, .init = cr_redirect_stderr)
{
	struct run_info run = { .mode = TARGET_SYSTEM, .start_ns = 1000 };
	struct sink_start ss = { .run = &run, .pid_max = 1 << 22 };
	struct pipeline_opts po = { .pid_max = 1 << 22 };
	struct sysray_counts *c = calloc(1, sizeof(*c));
	struct html_sink_opts ho = { .out_name = "/dev/null" };
	struct sysray_rec r = rec(2000, 500, NR_GETPPID, 1, 1);
	struct pipeline *p;
	struct output *out;
	struct sink sink;
	char buf[4096];
	size_t n;

	cr_assert_not_null(c);
	cr_assert_eq(output__open("/dev/null", &out, NULL, 0), 0);
	ho.out = out;
	cr_assert_eq(pipeline__new(&po, &p), 0);
	cr_assert_eq(html_sink__new(&ho, &sink), 0);
	cr_assert_eq(pipeline__add_sink(p, sink), 0);
	cr_assert_eq(pipeline__start(p, &ss), 0);
	cr_assert_eq(pipeline__records(p, &r, 1), 0);
	cr_assert_eq(pipeline__snapshot(p, c, MS, 1), 0);
	fflush(stderr);
	n = fread(buf, 1, sizeof(buf) - 1, cr_get_redirected_stderr());
	buf[n] = 0;
	cr_expect_not_null(strstr(buf, "getppid"), "no table on stderr: %s", buf);
	cr_expect_not_null(strstr(buf, "1 events received"), "%s", buf);
	pipeline__free(p);
	output__free(out);
	free(c);
}

/* A folded callback of fixed lines: what the stacks sink hands the page. */
static const char folded_text[] = "app;main;work;read 5\n"
				  "app;main;work;write 3\n"
				  "app;main;read 2\n"
				  "app;<b>;read 0\n" /* nothing to place */
				  "no-value-here\n"
				  "app;main;x_[k] 1\n";

static int fixed_folded(void *ctx, FILE *f)
{
	(void)ctx;
	fputs(folded_text, f);
	return 0;
}

static int fixed_summary(void *ctx, FILE *f)
{
	(void)ctx;
	fputs("Stacks: 11 calls captured\n  not captured: 2 <lost>\n", f);
	return 0;
}

Test(html, flame_graph_merges_folded_stacks_and_keeps_every_value)
{
	struct flame fl = { 0 };
	const struct fnode *app, *main_, *work;
	struct mem m;
	char *out;

	cr_assert_eq(html_flame_build(&fl, folded_text, strlen(folded_text)), 0);
	cr_expect_eq(fl.n[0].value, 11, "the root holds every line's value");
	app = &fl.n[fl.n[0].child];
	cr_expect_eq(app->len, 3);
	cr_expect_eq(app->value, 11);
	cr_expect_eq(app->next, 0, "one command");
	main_ = &fl.n[app->child];
	cr_expect_eq(main_->value, 11);
	work = &fl.n[main_->child];
	cr_expect(work->len == 4 && !memcmp(work->name, "work", 4));
	cr_expect_eq(work->value, 8);
	cr_expect_eq(fl.nr, 8, "root, app, main, work, read, write, read, x_[k]");

	mem_open(&m);
	cr_assert_eq(html_flame_svg(m.f, &fl, "calls"), 0);
	out = mem_text(&m);
	/* Rows 0..3, 17 units each; widths by value over 1200 units. */
	cr_expect_not_null(strstr(out, "viewBox=\"0 0 1200 68\""), "%s", out);
	cr_expect_not_null(strstr(out, "data-total=\"11\""));
	cr_expect_not_null(strstr(out, "<title>work: 8 calls, 72.73 %</title>"
				       "<rect x=\"218.2\" y=\"34\" width=\"872.7\""),
			   "%s", out);
	/* main's children alphabetically: read (2), work (8), x_[k] (1). */
	cr_expect_not_null(strstr(out, "<title>read: 2 calls, 18.18 %</title>"
				       "<rect x=\"0.0\" y=\"34\" width=\"218.2\""));
	cr_expect_not_null(strstr(out, "<title>x_[k]: 1 calls, 9.09 %</title>"
				       "<rect x=\"1090.9\" y=\"34\" width=\"109.1\""));
	cr_expect_null(strstr(out, "&lt;b&gt;"), "a line of value 0 draws nothing");
	free(out);
	html_flame_free(&fl);
}

Test(html, page_has_the_flame_graph_and_the_capture_summary_with_stacks)
{
	struct report_extra x = { .folded = fixed_folded, .summary = fixed_summary };
	struct html_sink_opts o = { .stacks = &x, .stacks_by_calls = true };
	struct profile p = { 0 };
	struct html_doc d = { .p = &p, .o = &o };
	struct mem m;
	char *out;

	mem_open(&m);
	cr_assert_eq(html_stacks(m.f, &d), 0);
	out = mem_text(&m);
	cr_expect_not_null(strstr(out, "<section id=\"stacks\">"));
	cr_expect_not_null(strstr(out, "Width: calls (estimated)"));
	cr_expect_not_null(strstr(out, "<pre class=\"note\">Stacks: 11 calls captured\n"
				       "  not captured: 2 &lt;lost&gt;\n</pre>"),
			   "%s", out);
	cr_expect_not_null(strstr(out, "<svg class=\"flame\""));
	free(out);
	/* Without --stacks, no section at all. */
	o.stacks = NULL;
	mem_open(&m);
	cr_assert_eq(html_stacks(m.f, &d), 0);
	out = mem_text(&m);
	cr_expect_str_eq(out, "");
	free(out);
}
