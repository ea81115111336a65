// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/proc.h"
#include "lib/syscalls.h"
#include "top/top_procs.h"

struct top_procs {
	struct top_proc **tab; /* open addressing by tgid */
	__u32 mask;
	size_t n;
	struct top_proc others; /* beyond TOP_PROCS_MAX */
	struct top_proc *last;	/* the last one looked up: batches come from one CPU */
	struct top_proc **list; /* scratch: the window's list, or the survivors of a reset */
	int exec_nr[SYSRAY_ABI_CNT][2];
	top_comm_fn comm_fn;
	void *comm_ctx;
};

void top_lat__merge(struct top_lat *dst, const struct top_lat *src)
{
	for (unsigned int i = 0; i < TOP_LAT_BUCKETS; i++)
		dst->c[i] += src->c[i];
	dst->n += src->n;
	if (src->max > dst->max)
		dst->max = src->max;
}

__u64 top_lat__percentile(const struct top_lat *l, double q)
{
	__u64 rank, run = 0;

	if (!l->n)
		return 0;
	/* A tolerance, so that 99.9 % of 1000 is rank 999 despite binary rounding. */
	rank = (__u64)ceil(q / 100 * l->n * (1 - 1e-12));
	if (rank < 1)
		rank = 1;
	/* The last rank is the exact max. */
	if (rank >= l->n)
		return l->max;
	for (unsigned int i = 0; i < TOP_LAT_BUCKETS; i++) {
		__u64 lo, hi, mid;

		run += l->c[i];
		if (run < rank)
			continue;
		lo = hist_bucket_lo(i << TOP_LAT_SHIFT);
		hi = hist_bucket_hi(((i + 1) << TOP_LAT_SHIFT) - 1);
		mid = hi == UINT64_MAX ? lo : lo + (hi - lo) / 2;
		return mid < l->max ? mid : l->max;
	}
	return l->max;
}

int top_procs__new(top_comm_fn fn, void *ctx, struct top_procs **out)
{
	struct top_procs *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->mask = 255;
	t->tab = calloc(t->mask + 1, sizeof(*t->tab));
	t->list = calloc(TOP_PROCS_MAX + 1, sizeof(*t->list));
	if (!t->tab || !t->list) {
		top_procs__free(t);
		return -ENOMEM;
	}
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		t->exec_nr[abi][0] = syscall_lookup(abi, "execve");
		t->exec_nr[abi][1] = syscall_lookup(abi, "execveat");
	}
	snprintf(t->others.comm, sizeof(t->others.comm), "(others)");
	t->comm_fn = fn;
	t->comm_ctx = ctx;
	*out = t;
	return 0;
}

void top_procs__free(struct top_procs *t)
{
	if (!t)
		return;
	for (__u32 i = 0; t->tab && i <= t->mask; i++)
		free(t->tab[i]);
	free(t->tab);
	free(t->list);
	free(t);
}

static __u32 slot_of(const struct top_procs *t, __u32 tgid)
{
	__u32 i = (tgid * 2654435761U) & t->mask;

	while (t->tab[i] && t->tab[i]->tgid != tgid)
		i = (i + 1) & t->mask;
	return i;
}

/* Name and cgroup, read while the process most likely still runs. */
static void identify(struct top_procs *t, struct top_proc *p)
{
	if (proc_comm(p->tgid, 0, p->comm, sizeof(p->comm)) &&
	    (!t->comm_fn || t->comm_fn(t->comm_ctx, p->tgid, p->comm, sizeof(p->comm))))
		snprintf(p->comm, sizeof(p->comm), "?");
	if (proc_cgroup(p->tgid, p->cgroup, sizeof(p->cgroup)))
		p->cgroup[0] = 0;
	p->stale = false;
}

static int grow(struct top_procs *t)
{
	struct top_proc **old = t->tab;
	__u32 old_mask = t->mask;

	t->tab = calloc((size_t)(old_mask + 1) * 2, sizeof(*t->tab));
	if (!t->tab) {
		t->tab = old;
		return -ENOMEM;
	}
	t->mask = old_mask * 2 + 1;
	for (__u32 i = 0; i <= old_mask; i++)
		if (old[i])
			t->tab[slot_of(t, old[i]->tgid)] = old[i];
	free(old);
	return 0;
}

static struct top_proc *lookup(struct top_procs *t, __u32 tgid)
{
	__u32 i = slot_of(t, tgid);
	struct top_proc *p = t->tab[i];

	if (p)
		return p;
	if (!tgid || t->n >= TOP_PROCS_MAX || (2 * (t->n + 1) > t->mask && grow(t)))
		return &t->others;
	i = slot_of(t, tgid);
	p = calloc(1, sizeof(*p));
	if (!p)
		return &t->others;
	p->tgid = tgid;
	identify(t, p);
	t->tab[i] = p;
	t->n++;
	return p;
}

void top_procs__add(struct top_procs *t, const struct sysray_rec *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sysray_rec *r = &recs[i];
		struct top_proc *p = t->last && t->last->tgid == r->tgid ? t->last : NULL;

		if (!p)
			t->last = p = lookup(t, r->tgid);
		p->calls++;
		p->errors += sysray_is_error(r->ret);
		top_lat__add(&p->lat, r->dur_ns);
		if (r->abi < SYSRAY_ABI_CNT && !r->ret &&
		    (r->nr == t->exec_nr[r->abi][0] || r->nr == t->exec_nr[r->abi][1]))
			p->stale = true;
	}
}

size_t top_procs__list(struct top_procs *t, const struct top_proc ***out)
{
	size_t k = 0;

	for (__u32 i = 0; i <= t->mask; i++) {
		struct top_proc *p = t->tab[i];

		if (!p || !p->calls)
			continue;
		if (p->stale)
			identify(t, p);
		t->list[k++] = p;
	}
	if (t->others.calls)
		t->list[k++] = &t->others;
	*out = (const struct top_proc **)t->list;
	return k;
}

static void clear_window(struct top_proc *p)
{
	p->idle = p->calls ? 0 : p->idle + 1;
	p->calls = p->errors = 0;
	memset(&p->lat, 0, sizeof(p->lat));
}

void top_procs__reset(struct top_procs *t)
{
	size_t idle = 0, kept = 0;

	clear_window(&t->others);
	t->last = NULL;
	for (__u32 i = 0; i <= t->mask; i++) {
		if (!t->tab[i])
			continue;
		clear_window(t->tab[i]);
		idle += t->tab[i]->idle > TOP_IDLE_MAX;
	}
	if (!idle)
		return;
	/* Forget the idle ones and re-insert the rest: open addressing has no delete. */
	for (__u32 i = 0; i <= t->mask; i++) {
		struct top_proc *p = t->tab[i];

		t->tab[i] = NULL;
		if (p && p->idle > TOP_IDLE_MAX)
			free(p);
		else if (p)
			t->list[kept++] = p;
	}
	t->n = kept;
	for (size_t i = 0; i < kept; i++)
		t->tab[slot_of(t, t->list[i]->tgid)] = t->list[i];
}
