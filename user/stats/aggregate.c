// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/syscalls.h"
#include "stats/aggregate.h"

struct aggregate {
	struct profile prof;
	__u64 *seen_tgids; /* bitmap of tgids that delivered a record, or NULL */
	__u32 pid_max;
	__u64 seen;
	int exec_nr[SYSRAY_ABI_CNT][2]; /* execve and execveat: a group's comm changes */
};

int aggregate__new(const struct aggregate_opts *o, struct aggregate **out)
{
	struct aggregate *a = calloc(1, sizeof(*a));
	int err = 0;

	if (!a)
		return -ENOMEM;
	a->prof.run.exit_status = -1;
	a->pid_max = o->pid_max;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		a->exec_nr[abi][0] = syscall_lookup(abi, "execve");
		a->exec_nr[abi][1] = syscall_lookup(abi, "execveat");
	}
	if (o->count_tgids) {
		a->seen_tgids = calloc((o->pid_max + 63) / 64, sizeof(__u64));
		if (!a->seen_tgids)
			err = -ENOMEM;
	}
	if (!err && o->group_by != GROUP_NONE)
		err = groups__new(o->group_by, &a->prof.groups);
	if (err) {
		aggregate__free(a);
		return err;
	}
	*out = a;
	return 0;
}

void aggregate__set_comm_source(struct aggregate *a, groups_comm_fn fn, void *ctx)
{
	if (a->prof.groups)
		groups__set_comm_source(a->prof.groups, fn, ctx);
}

static bool is_exec(const struct aggregate *a, const struct sysray_rec *r)
{
	return r->ret == 0 && (r->nr == a->exec_nr[r->abi][0] || r->nr == a->exec_nr[r->abi][1]);
}

static inline int add(struct aggregate *a, const struct sysray_rec *r)
{
	struct profile *p = &a->prof;
	struct sc_stat *s = &p->total.sc[r->abi][r->nr];
	struct sc_detail *d = p->detail[r->abi][r->nr];
	bool failed = sysray_is_error(r->ret);

	p->received++;
	s->calls++;
	s->errors += failed;
	sc_stat__add_time(s, r->dur_ns);
	if (!d) {
		d = sc_detail__new();
		if (!d)
			return -ENOMEM;
		p->detail[r->abi][r->nr] = d;
	}
	if (sc_detail__add(d, r->dur_ns, r->ret))
		return -ENOMEM;
	/* The only hashing on this path, and only with -P or --per-thread. */
	if (p->groups) {
		s = groups__stat(p->groups, r->tgid, r->tid, r->abi, r->nr);
		if (!s)
			return -ENOMEM;
		s->calls++;
		s->errors += failed;
		sc_stat__add_time(s, r->dur_ns);
		if (is_exec(a, r))
			groups__exec(p->groups, r->tgid, r->tid);
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

int aggregate__add(struct aggregate *a, const struct sysray_rec *recs, size_t n)
{
	int err;

	for (size_t i = 0; i < n; i++) {
		const struct sysray_rec *r = &recs[i];

		/* The kernel only sends in-range values; a record that is not is not ours. */
		if (r->abi >= SYSRAY_ABI_CNT || r->nr >= SYSRAY_MAX_NR)
			continue;
		err = add(a, r);
		if (err)
			return err;
	}
	return 0;
}

struct profile *aggregate__profile(struct aggregate *a)
{
	return &a->prof;
}

__u64 aggregate__tgids_seen(const struct aggregate *a)
{
	return a->seen;
}

void aggregate__reset(struct aggregate *a)
{
	profile__reset(&a->prof);
}

void aggregate__free(struct aggregate *a)
{
	if (!a)
		return;
	profile__free_detail(&a->prof);
	free(a->seen_tgids);
	free(a);
}
