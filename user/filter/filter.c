// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The filter set: lifetime, cross-checks, and the kernel side's view of it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "filter/filter.h"
#include "filter/filter_priv.h"
#include "lib/errmsg.h"

void filter__init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < FILTER_MAX_CGROUPS; i++)
		f->cgroup_fds[i] = -1;
}

void filter__free(struct filter *f)
{
	for (int i = 0; i < f->nr_cgroups; i++) {
		if (f->cgroup_fds[i] >= 0)
			close(f->cgroup_fds[i]);
		free(f->cgroup_paths[i]);
	}
	free(f->trace_expr);
	filter__init(f);
}

static bool bitmap_empty(const __u64 *bits)
{
	for (int i = 0; i < SYSCALL_BITMAP_WORDS; i++) {
		if (bits[i])
			return false;
	}
	return true;
}

int filter__finish(struct filter *f, char *err, size_t len)
{
	if ((f->seen & FILTER_SEEN_FAILED) && (f->seen & FILTER_SEEN_SUCCESSFUL))
		return errmsg(err, len, -EINVAL,
			      "-Z (--failed-only) and -z "
			      "(--successful-only) exclude each other");
	if (f->nr_errnos && f->result == FILTER_RESULT_OK)
		return errmsg(err, len, -EINVAL,
			      "--errno selects failed calls: it cannot be combined with -z");
	if (f->nr_errnos)
		f->result = FILTER_RESULT_FAILED;
	if (f->has_syscalls) {
		bool none = true;

		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++)
			none = none && bitmap_empty(f->syscalls[abi]);
		if (none)
			return errmsg(err, len, -EINVAL, "-e trace: '%s' selects no syscall",
				      f->trace_expr ? f->trace_expr : "");
	}
	return 0;
}

bool filter__active(const struct filter *f)
{
	return f->nr_cgroups || f->nr_uids || f->nr_tids || f->nr_comms || f->has_syscalls ||
	       f->result != FILTER_RESULT_ALL || f->nr_errnos;
}

void filter__scope(const struct filter *f, struct sysray_scope *s)
{
	memset(s, 0, sizeof(*s));
	if (f->has_syscalls) {
		s->filter_syscalls = 1;
		memcpy(s->syscall_bits, f->syscalls, sizeof(s->syscall_bits));
	}
	s->nr_tids = f->nr_tids;
	memcpy(s->tids, f->tids, f->nr_tids * sizeof(s->tids[0]));
	s->nr_uids = f->nr_uids;
	memcpy(s->uids, f->uids, f->nr_uids * sizeof(s->uids[0]));
	s->nr_comms = f->nr_comms;
	for (int i = 0; i < f->nr_comms; i++)
		memcpy(s->comms[i], f->comms[i], FILTER_COMM_LEN);
	s->nr_cgroups = f->nr_cgroups;
	s->result = f->result == FILTER_RESULT_FAILED ? SYSRAY_RESULT_FAILED
		    : f->result == FILTER_RESULT_OK   ? SYSRAY_RESULT_OK
						      : SYSRAY_RESULT_ALL;
	s->filter_errnos = f->nr_errnos > 0;
	for (int i = 0; i < f->nr_errnos; i++)
		if (f->errnos[i] < SYSRAY_ERRNO_CNT)
			s->errno_bits[f->errnos[i] / 64] |= 1ULL << (f->errnos[i] % 64);
}
