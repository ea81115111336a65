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

TestSuite(html, .timeout = 180);

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
