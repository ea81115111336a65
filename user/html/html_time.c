// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The run over time: latency heatmaps of the busiest syscalls (drawn by the page's script
 * from the cells in the data block, so a heatmap costs a few bytes per non-empty cell rather
 * than an SVG element each) and the anomaly timeline (inline SVG, one lane per syscall and
 * kind, one band per episode).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "anomaly/anomaly.h"
#include "html/html_priv.h"
#include "lib/json.h"

#define TL_W	 900
#define TL_LABEL 170
#define TL_LANE	 18
#define TL_LANES 40

/* A heatmap of a few dots says nothing the histogram does not. */
#define MIN_TIMED 10

/* How many heatmaps: the busiest syscalls with MIN_TIMED timed calls, at most -T of them. */
static size_t nr_heatmaps(const struct html_doc *d, size_t *idx)
{
	size_t max = d->o->top && d->o->top < HTML_HEATMAPS ? d->o->top : HTML_HEATMAPS, n = 0;

	for (size_t i = 0; i < d->nr_sc && n < max; i++)
		if (d->sc[i].st->timed >= MIN_TIMED &&
		    heatmap__cells(d->hm, d->sc[i].abi, d->sc[i].nr))
			idx[n++] = i;
	return n;
}

void html_heatmaps(FILE *f, const struct html_doc *d)
{
	size_t idx[HTML_HEATMAPS], n = nr_heatmaps(d, idx);
	char buf[32];

	fputs("<section id=\"heatmaps\">\n<h2>Latency over time</h2>\n", f);
	if (!n) {
		fprintf(f, "<p class=\"note\">No syscall has %d timed calls.</p>\n</section>\n",
			MIN_TIMED);
		return;
	}
	fprintf(f,
		"<p class=\"note\">The %zu busiest syscalls by time with at least %d timed "
		"calls. Each column is %s of the run (columns merge in pairs as the run grows, "
		"so any run fits in %d), each row a power of two of latency; the colour is the "
		"number of calls that completed in that column with that latency, on a log "
		"scale. Shaded bands are anomaly episodes. Point at a cell for its count.</p>\n",
		n, MIN_TIMED, html_dur(buf, sizeof(buf), heatmap__col_ns(d->hm)), HEATMAP_COLS);
	for (size_t i = 0; i < n; i++) {
		const struct html_sc *s = &d->sc[idx[i]];

		fprintf(f,
			"<figure class=\"heatmap\"><figcaption><b>%s</b> <span "
			"class=\"abi\">%s</span></figcaption><canvas class=\"hm\" data-i=\"%zu\" "
			"width=\"900\" height=\"200\"></canvas></figure>\n",
			s->name, html_abi(s->abi), i);
	}
	fputs("<p class=\"noscript\">The heatmaps are drawn by the page's script.</p>\n"
	      "</section>\n",
	      f);
}

static void put_cells(struct json_writer *w, const __u32 *c, unsigned int cols)
{
	json_writer__begin_array(w);
	for (unsigned int col = 0; col < cols; col++) {
		for (unsigned int r = 0; r < HEATMAP_ROWS; r++) {
			__u32 v = c[col * HEATMAP_ROWS + r];

			if (!v)
				continue;
			json_writer__u64(w, col);
			json_writer__u64(w, r);
			json_writer__u64(w, v);
		}
	}
	json_writer__end_array(w);
}

struct ep_ctx {
	struct json_writer *w;
	__u64 start_ns;
};

static double offset_s(__u64 t, __u64 start)
{
	return t > start ? (t - start) / 1e9 : 0;
}

static int put_episode(void *ctx, const struct anomaly_episode *ep)
{
	struct ep_ctx *x = ctx;

	json_writer__begin_object(x->w);
	json_writer__kv_string(x->w, "syscall", ep->name);
	json_writer__kv_string(x->w, "abi", html_abi(ep->key.abi));
	json_writer__kv_string(x->w, "kind", anomaly_kind_str(ep->kind));
	json_writer__kv_string(x->w, "severity", anomaly_severity_str(ep->max_severity));
	json_writer__key(x->w, "start_s");
	json_writer__double(x->w, offset_s(ep->start_ns, x->start_ns));
	json_writer__key(x->w, "end_s");
	json_writer__double(x->w, offset_s(ep->end_ns, x->start_ns));
	json_writer__end_object(x->w);
	return 0;
}

/* JSON inside <script>: "</script" or "<!--" must not appear, so every '<' is escaped. */
static void put_script_safe(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '<')
			fputs("\\u003c", f);
		else
			fputc(s[i], f);
	}
}

static void put_data(struct json_writer *w, const struct html_doc *d)
{
	size_t idx[HTML_HEATMAPS], n = nr_heatmaps(d, idx);
	struct ep_ctx ec = { .w = w, .start_ns = d->p->run.start_ns };

	json_writer__begin_object(w);
	json_writer__kv_u64(w, "col_ns", heatmap__col_ns(d->hm));
	json_writer__kv_u64(w, "cols", heatmap__cols(d->hm));
	json_writer__kv_u64(w, "rows", HEATMAP_ROWS);
	json_writer__kv_u64(w, "duration_ns", d->p->duration_ns);
	json_writer__key(w, "heatmaps");
	json_writer__begin_array(w);
	for (size_t i = 0; i < n; i++) {
		const struct html_sc *s = &d->sc[idx[i]];

		json_writer__begin_object(w);
		json_writer__kv_string(w, "syscall", s->name);
		json_writer__kv_string(w, "abi", html_abi(s->abi));
		json_writer__key(w, "cells");
		put_cells(w, heatmap__cells(d->hm, s->abi, s->nr), heatmap__cols(d->hm));
		json_writer__end_object(w);
	}
	json_writer__end_array(w);
	json_writer__key(w, "episodes");
	json_writer__begin_array(w);
	if (d->o->anomaly)
		anomaly__for_each_episode(d->o->anomaly, put_episode, &ec);
	json_writer__end_array(w);
	json_writer__end_object(w);
}

int html_data(FILE *f, const struct html_doc *d)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int err;

	if (!mem)
		return -ENOMEM;
	json_writer__init(&w, mem, 0);
	put_data(&w, d);
	err = json_writer__end(&w);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	if (!err) {
		fputs("<script type=\"application/json\" id=\"sysray-data\">", f);
		put_script_safe(f, buf, len);
		fputs("</script>\n", f);
	}
	free(buf);
	return err;
}

/* Lanes of the timeline: one per (syscall, kind), in order of first episode. */
struct lanes {
	struct html_doc const *d;
	FILE *f;
	int n;
	struct anomaly_key key[TL_LANES];
	enum anomaly_kind kind[TL_LANES];
	char name[TL_LANES][ANOMALY_NAME_MAX];
	int dropped; /* episodes in lanes beyond TL_LANES */
	bool draw;
};

static int lane_of(struct lanes *l, const struct anomaly_episode *ep)
{
	for (int i = 0; i < l->n; i++)
		if (l->key[i].abi == ep->key.abi && l->key[i].nr == ep->key.nr &&
		    l->kind[i] == ep->kind)
			return i;
	if (l->draw || l->n == TL_LANES)
		return -1;
	l->key[l->n] = ep->key;
	l->kind[l->n] = ep->kind;
	snprintf(l->name[l->n], ANOMALY_NAME_MAX, "%s", ep->name);
	return l->n++;
}

static double tl_x(const struct html_doc *d, __u64 t)
{
	double dur = d->p->duration_ns ? d->p->duration_ns / 1e9 : 1;
	double x = offset_s(t, d->p->run.start_ns) / dur;

	return TL_LABEL + (x > 1 ? 1 : x) * (TL_W - TL_LABEL - 10);
}

static int band(void *ctx, const struct anomaly_episode *ep)
{
	struct lanes *l = ctx;
	int lane = lane_of(l, ep);
	double x0, x1;
	char line[512];

	if (lane < 0) {
		l->dropped += !l->draw;
		return 0;
	}
	if (!l->draw)
		return 0;
	x0 = tl_x(l->d, ep->start_ns);
	x1 = tl_x(l->d, ep->end_ns);
	anomaly_episode_format_text(line, sizeof(line), ep);
	fprintf(l->f,
		"<rect class=\"ep %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>",
		anomaly_severity_str(ep->max_severity), x0, lane * TL_LANE + 2,
		x1 - x0 < 2 ? 2 : x1 - x0, TL_LANE - 4);
	html_puts(l->f, line);
	fputs("</title></rect>", l->f);
	return 0;
}

static void put_time_axis(FILE *f, const struct html_doc *d, int y)
{
	double dur = d->p->duration_ns / 1e9, step = 1;

	if (dur <= 0)
		return;
	/* 1, 2 or 5 times a power of ten, for five to ten ticks. */
	step = pow(10, floor(log10(dur / 5)));
	if (dur / step > 20)
		step *= 5;
	else if (dur / step > 10)
		step *= 2;
	for (double t = 0; t <= dur + 1e-9; t += step) {
		double x = TL_LABEL + t / dur * (TL_W - TL_LABEL - 10);

		fprintf(f,
			"<path class=\"grid\" d=\"M%.1f 0V%d\"/><text class=\"tick\" x=\"%.1f\" "
			"y=\"%d\">%gs</text>",
			x, y, x, y + 13, t);
	}
}

void html_anomalies(FILE *f, const struct html_doc *d)
{
	struct lanes l = { .d = d, .f = f };
	struct anomaly_summary s;
	char line[512];

	if (!d->o->anomaly)
		return;
	anomaly__summary(d->o->anomaly, &s);
	fprintf(f,
		"<section id=\"anomalies\">\n<h2>Anomalies</h2>\n<p class=\"note\">%u episode%s "
		"(high %u, medium %u, low %u), %u still firing at the end. One lane per syscall "
		"and kind; point at a band for its details.</p>\n",
		s.episodes, s.episodes == 1 ? "" : "s", s.by_severity[ANOMALY_SEV_HIGH],
		s.by_severity[ANOMALY_SEV_MEDIUM], s.by_severity[ANOMALY_SEV_LOW], s.open);
	anomaly__for_each_episode(d->o->anomaly, band, &l);
	if (!l.n) {
		fputs("</section>\n", f);
		return;
	}
	l.draw = true;
	fprintf(f,
		"<svg class=\"timeline\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"anomaly timeline\">",
		TL_W, l.n * TL_LANE + 20);
	for (int i = 0; i < l.n; i++) {
		fprintf(f, "<text class=\"lane\" x=\"%d\" y=\"%d\">", TL_LABEL - 6,
			i * TL_LANE + TL_LANE - 5);
		html_puts(f, l.name[i]);
		fprintf(f, " %s</text>", anomaly_kind_str(l.kind[i]));
	}
	put_time_axis(f, d, l.n * TL_LANE + 2);
	anomaly__for_each_episode(d->o->anomaly, band, &l);
	fputs("</svg>\n", f);
	if (l.dropped)
		fprintf(f, "<p class=\"note\">%d episodes in further lanes are not drawn.</p>\n",
			l.dropped);
	fputs("<ol class=\"episodes\">\n", f);
	for (unsigned int i = 0; i < s.n_top; i++) {
		anomaly_episode_format_text(line, sizeof(line), s.top[i]);
		fputs("<li>", f);
		html_puts(f, line);
		fputs("</li>\n", f);
	}
	fputs("</ol>\n</section>\n", f);
}
