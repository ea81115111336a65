// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include "interval.h"
#include "report.h"

struct interval {
	const struct sysray_config *cfg;
	struct tracer *tracer;
	struct profile *prof;
	FILE *f;
	__u64 start_ns; /* tracing started */
	__u64 last_ns;	/* the current interval started */
	__u64 next_ns;	/* the current interval ends */
	__u64 dropped;	/* the kernel's dropped count at the last tick */
	unsigned int seq;
};

int interval__new(const struct sysray_config *cfg, struct tracer *t, struct profile *ival, FILE *f,
		  struct interval **out)
{
	struct interval *iv;

	if (!cfg->interval_ns || !ival)
		return -EINVAL;
	iv = calloc(1, sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	iv->cfg = cfg;
	iv->tracer = t;
	iv->prof = ival;
	iv->f = f;
	*out = iv;
	return 0;
}

void interval__start(struct interval *iv, __u64 start_ns)
{
	if (!iv)
		return;
	iv->start_ns = start_ns;
	iv->last_ns = start_ns;
	iv->next_ns = start_ns + iv->cfg->interval_ns;
}

int interval__timeout_ms(const struct interval *iv, __u64 now, int max_ms)
{
	__u64 left;

	if (!iv || now >= iv->next_ns)
		return iv ? 0 : max_ms;
	/* Round up: waking a little early would only mean another short wait. */
	left = (iv->next_ns - now + 999999) / 1000000;
	return left < (__u64)max_ms ? (int)left : max_ms;
}

static int emit(struct interval *iv, __u64 end, __u64 dropped)
{
	struct profile *p = iv->prof;
	int err;

	p->seq = ++iv->seq;
	p->offset_ns = iv->last_ns - iv->start_ns;
	p->duration_ns = end - iv->last_ns;
	p->dropped = dropped - iv->dropped;
	err = report_write(iv->f, iv->cfg, p);
	profile__reset(p);
	iv->dropped = dropped;
	iv->last_ns = end;
	return err;
}

int interval__tick(struct interval *iv, __u64 now)
{
	__u64 stats[SYSRAY_STAT_CNT] = { 0 };
	int err;

	if (!iv || now < iv->next_ns)
		return 0;
	err = tracer__read_stats(iv->tracer, stats);
	if (err)
		return err;
	/* Keep to the start's grid; after a stall, skip the ticks that were missed. */
	while (iv->next_ns <= now)
		iv->next_ns += iv->cfg->interval_ns;
	return emit(iv, now, stats[SYSRAY_STAT_DROPPED]);
}

int interval__finish(struct interval *iv, __u64 end_ns, __u64 dropped)
{
	__u64 end;

	if (!iv)
		return 0;
	end = iv->start_ns + end_ns;
	if (end < iv->last_ns)
		end = iv->last_ns;
	if (!iv->prof->received && dropped == iv->dropped)
		return 0;
	return emit(iv, end, dropped);
}

void interval__free(struct interval *iv)
{
	free(iv);
}
