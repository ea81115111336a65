// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --format html end to end: the page of a known workload, rendered by a real headless
 * Chromium. Its DOM (after the page's script ran) must hold the workload's summary rows
 * with their exact counts and one SVG histogram per syscall, and no external URL; its
 * screenshot must not be blank.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "harness.h"
#include "png.h"

#define CHROMIUM "/usr/bin/chromium"

TestSuite(html, .timeout = 180, .fini = bg_cleanup);

/* Chromium with no network, no profile and no background services, for one page. */
static void chromium(const char *page, const char *mode, struct proc_result *r)
{
	char *profile = tmp_path(".chromium"), url[512], rm[600];
	char *argv[] = { "/usr/bin/timeout",
			 "90",
			 CHROMIUM,
			 "--headless",
			 "--no-sandbox",
			 "--disable-gpu",
			 "--disable-quic",
			 "--no-first-run",
			 "--disable-background-networking",
			 "--disable-component-update",
			 "--disable-sync",
			 NULL /* --user-data-dir */,
			 "--window-size=1280,2000",
			 (char *)mode,
			 url,
			 NULL };
	char dir[600];

	cr_assert_eq(access(CHROMIUM, X_OK), 0,
		     "chromium is not installed: run scripts/install-deps.sh --test");
	cr_assert_eq(mkdir(profile, 0700), 0);
	snprintf(dir, sizeof(dir), "--user-data-dir=%s", profile);
	argv[11] = dir;
	snprintf(url, sizeof(url), "file://%s", page);
	cr_assert_eq(run_proc(argv, -1, r), 0);
	cr_assert_eq(r->status, 0, "chromium failed (%d): %s", r->status, r->err);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", profile);
	cr_expect_eq(system(rm), 0);
	free(profile);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The calls cell of a summary row: the first data-v after the row's ABI cell. */
static long row_calls_html(const char *dom, const char *name)
{
	char needle[128];
	const char *p;

	snprintf(needle, sizeof(needle), "<tr data-syscall=\"%s\">", name);
	p = strstr(dom, needle);
	cr_assert_not_null(p, "no summary row for %s", name);
	p = strstr(p, "<td>x86_64</td><td data-v=\"");
	cr_assert_not_null(p);
	return atol(p + strlen("<td>x86_64</td><td data-v=\""));
}

/* Every summary row has a figure with an SVG histogram of the same syscall. */
static int check_plots(const char *dom)
{
	const char *p = strstr(dom, "<tbody>"), *end = strstr(dom, "</tbody>");
	int rows = 0;

	cr_assert(p && end);
	while ((p = strstr(p, "<tr data-syscall=\"")) && p < end) {
		char name[64], fig[160];
		const char *f, *svg, *close;

		p += strlen("<tr data-syscall=\"");
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(p, "\""), p);
		snprintf(fig, sizeof(fig), "<figure class=\"plot\" id=\"h-x86_64-%s\"", name);
		f = strstr(dom, fig);
		cr_assert_not_null(f, "no histogram figure for %s", name);
		svg = strstr(f, "<svg class=\"hist\"");
		close = strstr(f, "</figure>");
		cr_assert(svg && close && svg < close, "the figure of %s has no SVG plot", name);
		rows++;
	}
	return rows;
}

/* Nothing in the page can make the browser fetch anything. */
static void check_offline(const char *dom)
{
	const char *p;

	cr_expect_null(strstr(dom, "http:"), "an http URL in the page");
	cr_expect_null(strstr(dom, "https:"), "an https URL in the page");
	cr_expect_null(strstr(dom, "//www."));
	cr_expect_null(strstr(dom, "url("), "a CSS url() in the page");
	cr_expect_null(strstr(dom, "@import"));
	cr_expect_null(strstr(dom, " src="), "an element with a source");
	for (p = dom; (p = strstr(p, "href=\"")); p += 6)
		cr_expect_eq(p[6], '#', "a link off the page: %.60s", p);
	cr_expect_not_null(strstr(dom, "Content-Security-Policy"));
	cr_expect_not_null(strstr(dom, "default-src 'none'"));
}

/* A screenshot with content: not one colour, and a good part of it not background. */
static void check_screenshot(const char *path)
{
	struct png_image img;
	char err[128];
	size_t ink = 0, colours = 0;
	static unsigned char seen[1 << 12];

	cr_assert_eq(png_read(path, &img, err, sizeof(err)), 0, "screenshot: %s", err);
	cr_expect_eq(img.w, 1280);
	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < (size_t)img.w * img.h; i++) {
		const unsigned char *px = img.rgb + 3 * i;
		unsigned int q = (px[0] >> 4) << 8 | (px[1] >> 4) << 4 | px[2] >> 4;

		ink += px[0] < 235 || px[1] < 235 || px[2] < 235;
		colours += !seen[q];
		seen[q] = 1;
	}
	cr_expect_gt(ink, (size_t)img.w * img.h / 20, "blank screenshot: %zu of %u pixels inked",
		     ink, img.w * img.h);
	cr_expect_gt(colours, 30, "only %zu colours", colours);
	png_free(&img);
}

Test(html, known_workload_in_headless_chromium)
{
	char *page = tmp_path(".html"), *shot = tmp_path(".png"), *dir = tmp_path(".d"), mode[600];
	char hostile[600];
	char *argv[] = { (char *)sysray_bin(),
			 "--format",
			 "html",
			 "-o",
			 page,
			 "-P",
			 "--",
			 hostile,
			 "getppid=1000",
			 "enoent=50",
			 "write=20",
			 "fork=30",
			 "thread=40",
			 NULL };
	struct proc_result r;
	char *dom;
	int rows;

	/* The workload under a name that is markup: its command name must stay text. */
	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(hostile, sizeof(hostile), "%s/<script>x", dir);
	cr_assert_eq(symlink(workload("known"), hostile), 0);
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "sysray failed: %s", r.err);
	proc_result_free(&r);

	chromium(page, "--dump-dom", &r);
	dom = r.out;
	/* Exact counts of the workload's syscalls, as in the text report. */
	cr_expect_eq(row_calls_html(dom, "getppid"), 1070);
	cr_expect_eq(row_calls_html(dom, "openat"), 53);
	cr_expect_eq(row_calls_html(dom, "write"), 20);
	cr_expect_eq(row_calls_html(dom, "wait4"), 1);
	cr_expect_not_null(strstr(dom, "<td data-v=\"50\">50</td>"), "openat's 50 errors");
	rows = check_plots(dom);
	cr_expect_geq(rows, 10);
	cr_expect_eq(count(dom, "<svg class=\"hist\""), rows, "one plot per syscall");
	/* The script ran: every heatmap was drawn. */
	cr_expect_gt(count(dom, "<canvas class=\"hm\""), 0);
	cr_expect_eq(count(dom, "<canvas class=\"hm\""), count(dom, "data-drawn=\""));
	cr_expect_not_null(strstr(dom, "<section id=\"processes\">"), "-P gives the process table");
	cr_expect_not_null(strstr(dom, "<td>&lt;script&gt;x</td>"), "the command name as text");
	cr_expect_eq(count(dom, "<script"), 2, "the page's data block and script, nothing else");
	check_offline(dom);
	proc_result_free(&r);

	snprintf(mode, sizeof(mode), "--screenshot=%s", shot);
	chromium(page, mode, &r);
	check_screenshot(shot);
	proc_result_free(&r);
	unlink(hostile);
	rmdir(dir);
	unlink(page);
	unlink(shot);
	free(dir);
	free(page);
	free(shot);
}

Test(html, needs_an_output_file)
{
	char *args[] = { "--format", "html", "-a", NULL };

	expect_error(args, -1, "--format html writes a page: give -o FILE");
}

/* One drawn frame of the flame graph: its path from the command down, and its value. */
struct fg_node {
	char path[1024];
	long long value;
	int depth;
};

/* The flame graph's frames in drawing order (callers before callees); how many. */
static int flame_nodes(const char *page, struct fg_node *n, int max, long long *total)
{
	const char *svg = strstr(page, "<svg class=\"flame\""), *p;
	char stack[64][1024];
	int k = 0;

	cr_assert_not_null(svg, "no flame graph in the page");
	cr_assert_eq(sscanf(strstr(svg, "data-total=\""), "data-total=\"%lld\"", total), 1);
	for (p = svg; (p = strstr(p, "<g class=\"fg\"")) && k < max; p++) {
		char name[512];
		int d;

		cr_assert_eq(
		    sscanf(p, "<g class=\"fg\" data-v=\"%lld\" data-depth=\"%d\"><title>%511[^<]",
			   &n[k].value, &d, name),
		    3);
		cr_assert(d >= 0 && d < 64);
		*strrchr(name, ':') = 0; /* "NAME: VALUE calls, P %" */
		snprintf(stack[d], sizeof(stack[d]), "%s%s%s", d ? stack[d - 1] : "", d ? ";" : "",
			 name);
		snprintf(n[k].path, sizeof(n[k].path), "%s", stack[d]);
		n[k++].depth = d;
	}
	return k;
}

/* The value of the frame whose path ends in suffix; -1 if none, -2 if several. */
static long long flame_value(const struct fg_node *n, int nr, const char *suffix)
{
	long long v = -1;
	size_t ls = strlen(suffix);

	for (int i = 0; i < nr; i++) {
		size_t lp = strlen(n[i].path);

		if (lp >= ls && !strcmp(n[i].path + lp - ls, suffix) &&
		    (lp == ls || n[i].path[lp - ls - 1] == ';'))
			v = v == -1 ? n[i].value : -2;
	}
	return v;
}

/*
 * --stacks with --format html: every call of 10 ms or more got a stack (counted in calls,
 * exact), so the flame graph shows the workload's known code paths with their exact calls,
 * and every frame's value is what its callees add up to, down to the syscalls.
 */
Test(html, flame_graph_of_known_code_paths)
{
	char *page = tmp_path(".html");
	char *argv[] = { (char *)sysray_bin(),
			 "--stacks",
			 "--stack-min-duration",
			 "10ms",
			 "--folded-value",
			 "calls",
			 "--format",
			 "html",
			 "-o",
			 page,
			 "--",
			 (char *)workload("stacks"),
			 "run",
			 "3",
			 "2",
			 NULL };
	static struct fg_node n[4096];
	const char *sleep = "__nanosleep;__clock_nanosleep;clock_nanosleep";
	char path[256];
	long long total, top = 0, leaves = 0;
	struct proc_result r;
	char *text;
	int nr;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "sysray failed: %s", r.err);
	proc_result_free(&r);
	text = read_file(page);
	cr_assert_not_null(text);
	nr = flame_nodes(text, n, 4096, &total);
	cr_assert_gt(nr, 10);
	for (int i = 0; i < nr; i++) {
		long long kids = 0;
		int j;

		if (!n[i].depth)
			top += n[i].value;
		for (j = i + 1; j < nr && n[j].depth > n[i].depth; j++)
			if (n[j].depth == n[i].depth + 1)
				kids += n[j].value;
		/* Each line ends in its syscall: a frame without callees is one. */
		if (j == i + 1)
			leaves += n[i].value;
		else
			cr_expect_eq(kids, n[i].value, "%s: %lld, its callees %lld", n[i].path,
				     n[i].value, kids);
	}
	cr_expect_eq(top, total, "the commands add up to the whole graph");
	cr_expect_eq(leaves, total, "the syscalls add up to the whole graph");
	snprintf(path, sizeof(path), "thread_main;slow_sleep;%s", sleep);
	cr_expect_eq(flame_value(n, nr, path), 3, "%s", path);
	snprintf(path, sizeof(path), "main;run;slow_sleep;%s", sleep);
	cr_expect_eq(flame_value(n, nr, path), 3, "%s", path);
	snprintf(path, sizeof(path), "run;child_sleep;%s", sleep);
	cr_expect_eq(flame_value(n, nr, path), 1, "the child that exited: %s", path);
	snprintf(path, sizeof(path), "deep;slow_sleep;%s", sleep);
	cr_expect_eq(flame_value(n, nr, path), 1, "the bottom of the recursion: %s", path);
	cr_expect_not_null(strstr(text, "<pre class=\"note\">Stacks (frame pointers"));
	cr_expect_not_null(strstr(text, "Width: calls (estimated)"));
	free(text);
	unlink(page);
	free(page);
}
