// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "aggregate.h"
#include "groups.h"
#include "syscalls.h"

int aggregate__init(struct aggregate *a, struct profile *prof, const struct aggregate_opts *o)
{
	int err = 0;

	memset(a, 0, sizeof(*a));
	a->prof = prof;
	a->pid_max = o->pid_max;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		a->exec_nr[abi][0] = syscall_lookup(abi, "execve");
		a->exec_nr[abi][1] = syscall_lookup(abi, "execveat");
	}
	if (o->count_tgids) {
		a->seen_tgids = calloc((o->pid_max + 63) / 64, sizeof(__u64));
		if (!a->seen_tgids)
			return -ENOMEM;
	}
	if (o->interval) {
		a->ival = calloc(1, sizeof(*a->ival));
		if (!a->ival)
			return -ENOMEM;
		a->ival->mode = prof->mode;
		a->ival->exit_status = -1;
	}
	if (o->window) {
		a->win = calloc(1, sizeof(*a->win));
		if (!a->win)
			return -ENOMEM;
		a->win->mode = prof->mode;
		a->win->exit_status = -1;
	}
	if (o->group_by != GROUP_NONE) {
		err = groups__new(o->group_by, &prof->groups);
		if (!err && a->ival)
			err = groups__new(o->group_by, &a->ival->groups);
		if (!err && o->comm_fn) {
			groups__set_comm_source(prof->groups, o->comm_fn, o->comm_ctx);
			if (a->ival)
				groups__set_comm_source(a->ival->groups, o->comm_fn, o->comm_ctx);
		}
	}
	return err;
}

static bool is_exec(const struct aggregate *a, const struct sysray_rec *r)
{
	return r->ret == 0 && (r->nr == a->exec_nr[r->abi][0] || r->nr == a->exec_nr[r->abi][1]);
}

static int add(struct aggregate *a, struct profile *p, const struct sysray_rec *r, bool failed)
{
	struct sc_stat *s = &p->total.sc[r->abi][r->nr];
	struct sc_detail *d = p->detail[r->abi][r->nr];

	p->received++;
	s->calls++;
	s->errors += failed;
	sc_stat_add_time(s, r->dur_ns);
	if (!d) {
		d = sc_detail__new();
		if (!d)
			return -ENOMEM;
		p->detail[r->abi][r->nr] = d;
	}
	if (sc_detail_add(d, r->dur_ns, r->ret))
		return -ENOMEM;
	/* The only hashing on this path, and only with -P or --per-thread. */
	if (p->groups) {
		s = groups__stat(p->groups, r->tgid, r->tid, r->abi, r->nr);
		if (!s)
			return -ENOMEM;
		s->calls++;
		s->errors += failed;
		sc_stat_add_time(s, r->dur_ns);
		if (is_exec(a, r))
			groups__exec(p->groups, r->tgid, r->tid);
	}
	return 0;
}

int aggregate__rec(void *ctx, const struct sysray_rec *r)
{
	struct aggregate *a = ctx;
	bool failed = r->ret < 0 && r->ret >= -4095;
	int err;

	/* The kernel only sends in-range values; a record that is not is not ours to trust. */
	if (r->abi >= SYSRAY_ABI_CNT || r->nr >= SYSRAY_MAX_NR)
		return 0;
	err = add(a, a->prof, r, failed);
	if (!err && a->ival)
		err = add(a, a->ival, r, failed);
	if (!err && a->win)
		err = add(a, a->win, r, failed);
	if (err)
		return err;
	if (a->slow_ns) {
		__u64 thr = a->slow_ns[SYSRAY_SLOT(r->abi, r->nr)];

		if (thr && r->dur_ns > thr)
			a->slow_fn(a->slow_ctx, r);
	}
	if (a->seen_tgids && r->tgid < a->pid_max) {
		__u64 bit = 1ULL << (r->tgid % 64), *w = &a->seen_tgids[r->tgid / 64];

		if (!(*w & bit)) {
			*w |= bit;
			a->seen++;
		}
	}
	return 0;
}

void aggregate__set_slow(struct aggregate *a, const __u64 *thresholds, aggregate_slow_fn fn,
			 void *ctx)
{
	a->slow_ns = thresholds;
	a->slow_fn = fn;
	a->slow_ctx = ctx;
}

void aggregate__fini(struct aggregate *a)
{
	free(a->seen_tgids);
	a->seen_tgids = NULL;
	if (a->prof)
		profile__free_detail(a->prof);
	if (a->ival) {
		profile__free_detail(a->ival);
		free(a->ival);
		a->ival = NULL;
	}
	if (a->win) {
		profile__free_detail(a->win);
		free(a->win);
		a->win = NULL;
	}
}
