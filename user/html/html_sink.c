// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#include "html/html_priv.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "report/output.h"
#include "report/report.h"

struct html_sink {
	struct html_sink_opts o;
	struct heatmap *hm;
	struct html_facts facts;
};

/* The wall clock of the monotonic instant start_ns, and where the run took place. */
static void gather_facts(struct html_facts *f, __u64 start_ns)
{
	struct timespec rt;
	struct utsname u;
	__u64 mono = now_ns();

	clock_gettime(CLOCK_REALTIME, &rt);
	f->start_wall_ns = (__s64)rt.tv_sec * 1000000000LL + rt.tv_nsec -
			   (__s64)(mono > start_ns ? mono - start_ns : 0);
	if (uname(&u))
		return;
	snprintf(f->host, sizeof(f->host), "%s", u.nodename);
	snprintf(f->kernel, sizeof(f->kernel), "%s", u.release);
	snprintf(f->machine, sizeof(f->machine), "%s", u.machine);
}

static int start(void *ctx, const struct sink_start *s)
{
	struct html_sink *h = ctx;
	int err;

	gather_facts(&h->facts, s->run->start_ns);
	err = heatmap__new(s->run->start_ns, h->o.column_ns ? h->o.column_ns : HTML_COLUMN_NS,
			   &h->hm);
	if (err)
		p_err("out of memory");
	return err;
}

static int records(void *ctx, const struct sysray_rec *recs, size_t n)
{
	struct html_sink *h = ctx;
	int err = heatmap__add(h->hm, recs, n);

	if (err)
		p_err("out of memory");
	return err;
}

static int sc_cmp(const void *pa, const void *pb)
{
	const struct html_sc *a = pa, *b = pb;
	int c;

	if (a->st->total_ns != b->st->total_ns)
		return a->st->total_ns < b->st->total_ns ? 1 : -1;
	c = strcmp(a->name, b->name);
	return c ? c : a->abi != b->abi ? a->abi - b->abi : a->nr - b->nr;
}

/* Every syscall with calls, busiest first. */
static int collect(struct html_doc *d)
{
	const struct profile *p = d->p;

	d->sc = calloc(SYSRAY_NR_SLOTS, sizeof(*d->sc));
	if (!d->sc)
		return -ENOMEM;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			struct html_sc *x = &d->sc[d->nr_sc];

			if (!p->total.sc[abi][nr].calls)
				continue;
			x->abi = abi;
			x->nr = nr;
			x->st = &p->total.sc[abi][nr];
			x->detail = p->detail[abi][nr];
			x->name = syscall_name(abi, nr, x->buf, sizeof(x->buf));
			d->nr_sc++;
		}
	}
	qsort(d->sc, d->nr_sc, sizeof(*d->sc), sc_cmp);
	return 0;
}

/* SIGUSR1: the page is written once, at the end; the run so far goes to stderr as text. */
static int snapshot(void *ctx, const struct profile *so_far)
{
	struct html_sink *h = ctx;
	struct report_opts ro = { .format = REPORT_TEXT, .filter = h->o.filter };

	return report_write(stderr, &ro, so_far);
}

static const char *out_label(const char *name)
{
	return !name ? "stderr" : strcmp(name, "-") ? name : "stdout";
}

static int stop(void *ctx, const struct profile *total)
{
	struct html_sink *h = ctx;
	struct html_doc d = { .p = total, .hm = h->hm, .o = &h->o, .facts = &h->facts };
	int err;

	/* A run that failed before it started has nothing to show. */
	if (!h->hm)
		return 0;
	heatmap__finish(h->hm, total->duration_ns);
	err = collect(&d);
	if (!err)
		err = html_write(output__file(h->o.out), &d);
	if (!err)
		err = output__commit(h->o.out);
	if (err)
		p_err("cannot write the report to %s: %s", out_label(h->o.out_name),
		      strerror(-err));
	if (total->dropped)
		p_warn("%llu records dropped (ring buffer full); calls and errors are exact, "
		       "latencies cover the %llu delivered; try a larger --ring-size",
		       (unsigned long long)total->dropped, (unsigned long long)total->received);
	free(d.sc);
	return err;
}

static void sink_free(void *ctx)
{
	struct html_sink *h = ctx;

	heatmap__free(h->hm);
	free(h);
}

static const struct sink_ops html_ops = {
	.name = "html",
	.start = start,
	.records = records,
	.snapshot = snapshot,
	.stop = stop,
	.free = sink_free,
};

int html_sink__new(const struct html_sink_opts *o, struct sink *out)
{
	struct html_sink *h;

	if (!o->out)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->o = *o;
	*out = (struct sink){ .ops = &html_ops, .ctx = h };
	return 0;
}
