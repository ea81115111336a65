// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The flame graph of the stacks captured with --stacks: the folded stacks the stacks sink
 * writes for --format folded (report_extra.folded, so this folder does not depend on
 * user/stacks/) merged into a tree and drawn as an inline SVG icicle: the command on top,
 * then the outermost frame down to the syscall and the kernel frames under it. Widths are
 * the folded values (estimated syscall time, or calls with --folded-value calls); a frame
 * narrower than MIN_PX is not drawn, its value stays in its caller's width. Tooltips are
 * SVG titles: the page stays without script for this part.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "html/html_priv.h"
#include "report/report.h"

#define FLAME_W 1200 /* viewBox units, scaled to the page's width */
#define ROW_H	17
#define MIN_PX	0.5
#define CHAR_PX 6.2 /* of the 10 px font, for cutting labels to their box */

static int child_of(struct flame *fl, size_t parent, const char *name, size_t len, size_t *out)
{
	size_t *link = &fl->n[parent].child;

	for (size_t c = *link; c; c = fl->n[c].next) {
		if (fl->n[c].len == len && !memcmp(fl->n[c].name, name, len)) {
			*out = c;
			return 0;
		}
		link = &fl->n[c].next;
	}
	if (fl->nr == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 256;
		struct fnode *n = realloc(fl->n, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		fl->n = n, fl->cap = cap;
		link = NULL; /* fl->n moved: find the end of the list again */
	}
	if (!link)
		for (link = &fl->n[parent].child; *link; link = &fl->n[*link].next)
			;
	fl->n[fl->nr] = (struct fnode){ .name = name, .len = len };
	*link = *out = fl->nr++;
	return 0;
}

/* One folded line, "a;b;c VALUE" (not terminated: end is its end), into the tree. */
static int add_line(struct flame *fl, const char *s, const char *end)
{
	const char *sp = end;
	unsigned long long v;
	size_t cur = 0;
	char *vend;

	while (sp > s && sp[-1] != ' ')
		sp--;
	if (sp <= s + 1)
		return 0; /* no frames: nothing to place */
	v = strtoull(sp, &vend, 10);
	if (vend != end || !v)
		return 0;
	fl->n[0].value += v;
	for (const char *p = s; p < sp - 1;) {
		const char *semi = memchr(p, ';', sp - 1 - p);
		size_t len = (semi ? semi : sp - 1) - p;
		int err = child_of(fl, cur, p, len, &cur);

		if (err)
			return err;
		fl->n[cur].value += v;
		p += len + 1;
	}
	return 0;
}

int html_flame_build(struct flame *fl, const char *text, size_t len)
{
	const char *end = text + len;
	int err = 0;

	fl->cap = 256;
	fl->n = calloc(fl->cap, sizeof(*fl->n));
	if (!fl->n)
		return -ENOMEM;
	fl->nr = 1; /* the root: every command */
	for (const char *s = text; !err && s < end;) {
		const char *nl = memchr(s, '\n', end - s);

		if (!nl)
			nl = end;
		err = add_line(fl, s, nl);
		s = nl + 1;
	}
	return err;
}

static int name_cmp(const void *pa, const void *pb, void *arg)
{
	const struct fnode *n = arg, *a = &n[*(const size_t *)pa], *b = &n[*(const size_t *)pb];
	int c = memcmp(a->name, b->name, a->len < b->len ? a->len : b->len);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Warm colours by name, kernel frames ("_[k]") blue-green and inlined ("_[i]") lighter. */
static void colour(const struct fnode *n, char *buf, size_t len)
{
	unsigned int h = 2166136261u;
	bool k = n->len > 4 && !memcmp(n->name + n->len - 4, "_[k]", 4);
	bool i = n->len > 4 && !memcmp(n->name + n->len - 4, "_[i]", 4);

	for (size_t j = 0; j < n->len; j++)
		h = (h ^ (unsigned char)n->name[j]) * 16777619u;
	if (k)
		snprintf(buf, len, "hsl(%u,55%%,%u%%)", 170 + h % 30, 55 + (h >> 8) % 15);
	else
		snprintf(buf, len, "hsl(%u,85%%,%u%%)", 5 + h % 45, (i ? 70 : 55) + (h >> 8) % 12);
}

static void put_text(FILE *f, const char *s, size_t len)
{
	char *t = strndup(s, len);

	html_puts(f, t ? t : "?");
	free(t);
}

static void put_node(FILE *f, const struct flame *fl, size_t i, double x, double w, int row,
		     const char *unit)
{
	const struct fnode *n = &fl->n[i];
	double pct = 100.0 * n->value / fl->n[0].value;
	size_t fit = w / CHAR_PX;
	char fill[40];

	colour(n, fill, sizeof(fill));
	fprintf(f, "<g class=\"fg\" data-v=\"%llu\" data-depth=\"%d\"><title>",
		(unsigned long long)n->value, row);
	put_text(f, n->name, n->len);
	fprintf(f, ": %llu %s, %.2f %%</title>", (unsigned long long)n->value, unit, pct);
	fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", x,
		row * ROW_H, w, ROW_H - 1, fill);
	if (fit >= 3) {
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">", x + 3, row * ROW_H + 12);
		put_text(f, n->name, n->len <= fit ? n->len : fit - 2);
		fputs(n->len <= fit ? "</text>" : "..</text>", f);
	}
	fputs("</g>\n", f);
}

/* Node i at (x, row) with width w, then its children, alphabetically like flamegraph.pl. */
static int draw(FILE *f, struct flame *fl, size_t i, double x, double w, int row, const char *unit)
{
	size_t nc = 0, *kids;
	int err = 0;

	if (i)
		put_node(f, fl, i, x, w, row, unit);
	if (row > fl->depth)
		fl->depth = row;
	for (size_t c = fl->n[i].child; c; c = fl->n[c].next)
		nc++;
	if (!nc)
		return 0;
	kids = malloc(nc * sizeof(*kids));
	if (!kids)
		return -ENOMEM;
	nc = 0;
	for (size_t c = fl->n[i].child; c; c = fl->n[c].next)
		kids[nc++] = c;
	qsort_r(kids, nc, sizeof(*kids), name_cmp, fl->n);
	for (size_t k = 0; k < nc && !err; k++) {
		double cw = w * fl->n[kids[k]].value / fl->n[i].value;

		if (cw >= MIN_PX)
			err = draw(f, fl, kids[k], x, cw, row + 1, unit);
		x += cw;
	}
	free(kids);
	return err;
}

/* The capture's summary (what was kept and lost), as the text report prints it. */
static int put_summary(FILE *f, const struct report_extra *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int err;

	if (!x->summary)
		return 0;
	mem = open_memstream(&buf, &len);
	if (!mem)
		return -ENOMEM;
	err = x->summary(x->ctx, mem);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	if (!err) {
		fputs("<pre class=\"note\">", f);
		/* Line by line: html_puts would show a newline as an escape. */
		for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			html_puts(f, line);
			fputc('\n', f);
		}
		fputs("</pre>\n", f);
	}
	free(buf);
	return err;
}

int html_flame_svg(FILE *f, struct flame *fl, const char *unit)
{
	char *body = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&body, &len);
	int err;

	if (!mem)
		return -ENOMEM;
	/* The children are drawn first: the height is known once they are. */
	fl->depth = 0;
	err = draw(mem, fl, 0, 0, FLAME_W, -1, unit);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	if (!err)
		fprintf(f,
			"<svg class=\"flame\" viewBox=\"0 0 %d %d\" role=\"img\" "
			"aria-label=\"flame graph\" data-total=\"%llu\">\n%s</svg>\n",
			FLAME_W, (fl->depth + 1) * ROW_H, (unsigned long long)fl->n[0].value, body);
	free(body);
	return err;
}

void html_flame_free(struct flame *fl)
{
	free(fl->n);
	*fl = (struct flame){ 0 };
}

int html_stacks(FILE *f, const struct html_doc *d)
{
	const struct report_extra *x = d->o->stacks;
	const char *unit = d->o->stacks_by_calls ? "calls" : "ns";
	struct flame fl = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int err;

	if (!x || !x->folded)
		return 0;
	mem = open_memstream(&text, &len);
	if (!mem)
		return -ENOMEM;
	err = x->folded(x->ctx, mem);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	if (!err)
		err = html_flame_build(&fl, text, len);
	fprintf(f,
		"<section id=\"stacks\">\n<h2>Code paths</h2>\n<p class=\"note\">The stacks "
		"captured with --stacks, merged: the command on top, then each caller above its "
		"callee down to the syscall (and its kernel frames). Width: %s. Hover for the "
		"value; frames narrower than half a pixel are left out, their share stays in "
		"their caller.</p>\n",
		d->o->stacks_by_calls ? "calls (estimated)" : "estimated syscall time");
	if (!err)
		err = put_summary(f, x);
	if (!err && fl.n[0].value)
		err = html_flame_svg(f, &fl, unit);
	else if (!err)
		fputs("<p class=\"note\">No call got a stack.</p>\n", f);
	fputs("</section>\n", f);
	html_flame_free(&fl);
	free(text);
	return err;
}
