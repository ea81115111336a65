// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A latency histogram per syscall, as inline SVG on a log axis with its percentiles. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "html/html_priv.h"

/* The plot's frame in SVG units. */
#define W	 640
#define H	 172
#define LEFT	 14
#define RIGHT	 626
#define TOP	 30
#define BOTTOM	 146
#define PER_DEC	 10 /* bars per decade */
#define MAX_BINS (14 * PER_DEC)

static const double pcts[] = { 50, 90, 99, 99.9 };
static const char *const pct_names[] = { "p50", "p90", "p99", "p99.9" };
#define NR_PCTS 4

struct plot {
	int lo, hi; /* decades of ns on the axis: [10^lo, 10^hi] */
	int nbins;
	double bins[MAX_BINS];
	double peak;
};

static double x_of(const struct plot *pl, double ns)
{
	double d = (log10(ns < 1 ? 1 : ns) - pl->lo) / (pl->hi - pl->lo);

	return LEFT + (d < 0 ? 0 : d > 1 ? 1 : d) * (RIGHT - LEFT);
}

static int add_bucket(unsigned int idx, __u64 lo, __u64 hi, __u64 count, void *ctx)
{
	struct plot *pl = ctx;
	double v = hi == UINT64_MAX ? (double)lo : lo + (hi - lo) / 2.0;
	int b = (int)floor((log10(v < 1 ? 1 : v) - pl->lo) * PER_DEC);

	(void)idx;
	if (b < 0)
		b = 0;
	if (b >= pl->nbins)
		b = pl->nbins - 1;
	pl->bins[b] += count;
	if (pl->bins[b] > pl->peak)
		pl->peak = pl->bins[b];
	return 0;
}

static void setup(struct plot *pl, const struct hist *h)
{
	double mn = hist__min(h), mx = hist__max(h);

	memset(pl, 0, sizeof(*pl));
	pl->lo = (int)floor(log10(mn < 1 ? 1 : mn));
	pl->hi = (int)ceil(log10(mx < 1 ? 1 : mx) + 1e-9);
	/* At least three decades, so that one bar is not a tenth of the plot. */
	while (pl->hi - pl->lo < 3) {
		if (pl->lo > 0)
			pl->lo--;
		if (pl->hi - pl->lo < 3)
			pl->hi++;
	}
	if (pl->hi - pl->lo > MAX_BINS / PER_DEC)
		pl->lo = pl->hi - MAX_BINS / PER_DEC;
	pl->nbins = (pl->hi - pl->lo) * PER_DEC;
	hist__for_each_bucket(h, add_bucket, pl);
}

static const char *decade_label(int k, char *buf, size_t len)
{
	static const char *const units[] = { "ns", "µs", "ms", "s" };
	static const char *const mult[] = { "1", "10", "100" };
	int u = k / 3;

	if (u > 3)
		snprintf(buf, len, "1e%d s", k - 9);
	else
		snprintf(buf, len, "%s%s", mult[k % 3], units[u]);
	return buf;
}

static void put_axis(FILE *f, const struct plot *pl)
{
	char buf[16];

	fprintf(f, "<path class=\"axis\" d=\"M%d %dH%d\"/>", LEFT, BOTTOM, RIGHT);
	for (int k = pl->lo; k <= pl->hi; k++) {
		double x = x_of(pl, pow(10, k));

		fprintf(f, "<path class=\"grid\" d=\"M%.1f %dV%d\"/>", x, TOP, BOTTOM + 4);
		fprintf(f, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">%s</text>", x, BOTTOM + 16,
			decade_label(k, buf, sizeof(buf)));
	}
}

static void put_bars(FILE *f, const struct plot *pl)
{
	double w = (double)(RIGHT - LEFT) / pl->nbins;

	fputs("<path class=\"bars\" d=\"", f);
	for (int b = 0; b < pl->nbins; b++) {
		double h;

		if (!pl->bins[b])
			continue;
		h = (BOTTOM - TOP) * pl->bins[b] / pl->peak;
		if (h < 1)
			h = 1;
		fprintf(f, "M%.1f %dh%.1fv%.1fh%.1fz", LEFT + b * w, BOTTOM, w - 0.6, -h,
			-(w - 0.6));
	}
	fputs("\"/>", f);
}

static void put_markers(FILE *f, const struct plot *pl, const __u64 *pct)
{
	double last[2] = { -100, -100 };

	for (int i = 0; i < NR_PCTS; i++) {
		double x = x_of(pl, pct[i]);
		int row = x - last[0] >= 28 ? 0 : x - last[1] >= 28 ? 1 : -1;

		fprintf(f, "<path class=\"pct p%d\" d=\"M%.1f %dV%d\"/>", i, x, TOP - 2, BOTTOM);
		/* Two label rows; a label with no room is left to the caption, which has all. */
		if (row < 0)
			continue;
		last[row] = x;
		fprintf(f, "<text class=\"pctl p%d\" x=\"%.1f\" y=\"%d\">%s</text>", i, x,
			row ? TOP - 16 : TOP - 5, pct_names[i]);
	}
}

static void put_caption(FILE *f, const struct html_sc *s, const struct hist *h, const __u64 *pct,
			double peak)
{
	char buf[32];

	fprintf(f, "<figcaption><b>%s</b> <span class=\"abi\">%s</span> %llu timed", s->name,
		html_abi(s->abi), (unsigned long long)(h ? hist__count(h) : 0));
	if (h) {
		for (int i = 0; i < NR_PCTS; i++)
			fprintf(f, " · <span class=\"p%d\">%s %s</span>", i, pct_names[i],
				html_dur(buf, sizeof(buf), pct[i]));
		fprintf(f, " · max %s · tallest bar %.0f calls",
			html_dur(buf, sizeof(buf), hist__max(h)), peak);
	}
	fputs("</figcaption>\n", f);
}

/* Calls with no latency: dropped records, calls beyond the slot array. */
static __u64 untimed(const struct sc_stat *st)
{
	__u64 known = st->unfinished + st->timed;

	return st->calls > known ? st->calls - known : 0;
}

static int put_plot(FILE *f, const struct html_sc *s, struct plot *pl)
{
	const struct hist *h = s->detail && hist__count(&s->detail->hist) ? &s->detail->hist : NULL;
	__u64 pct[NR_PCTS] = { 0 };
	int err;

	if (h) {
		err = hist__percentiles(h, pcts, NR_PCTS, pct);
		if (err)
			return err;
	}
	fprintf(f, "<figure class=\"plot\" id=\"h-%s-%s\" data-syscall=\"%s\">\n", html_abi(s->abi),
		s->name, s->name);
	if (h)
		setup(pl, h);
	put_caption(f, s, h, pct, h ? pl->peak : 0);
	fprintf(f,
		"<svg class=\"hist\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"latency "
		"histogram of %s\">",
		W, H, s->name);
	if (h) {
		put_axis(f, pl);
		put_bars(f, pl);
		put_markers(f, pl, pct);
	} else {
		/* Every call is counted, but none returned with a record to time. */
		fprintf(f,
			"<text class=\"none\" x=\"%d\" y=\"%d\">no timed call: %llu unfinished "
			"(never returned), %llu without a record (dropped)</text>",
			W / 2, H / 2, (unsigned long long)s->st->unfinished,
			(unsigned long long)untimed(s->st));
	}
	fputs("</svg>\n</figure>\n", f);
	return 0;
}

int html_histograms(FILE *f, const struct html_doc *d)
{
	struct plot *pl = malloc(sizeof(*pl));
	int err = 0;

	if (!pl)
		return -ENOMEM;
	fputs("<section id=\"latency\">\n<h2>Latency distributions</h2>\n<p class=\"note\">One "
	      "histogram per syscall, in the order of the summary table: latency on a log axis, "
	      "ten bars per decade, bar height = calls. The lines mark the nearest-rank "
	      "percentiles P50, P90, P99 and P99.9.</p>\n<div class=\"plots\">\n",
	      f);
	for (size_t i = 0; !err && i < d->nr_sc; i++)
		err = put_plot(f, &d->sc[i], pl);
	fputs("</div>\n</section>\n", f);
	free(pl);
	return err;
}
