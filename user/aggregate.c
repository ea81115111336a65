// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "aggregate.h"

int aggregate__init(struct aggregate *a, struct profile *prof, __u32 pid_max, bool count_tgids)
{
	memset(a, 0, sizeof(*a));
	a->prof = prof;
	a->pid_max = pid_max;
	if (count_tgids) {
		a->seen_tgids = calloc((pid_max + 63) / 64, sizeof(__u64));
		if (!a->seen_tgids)
			return -ENOMEM;
	}
	return 0;
}

int aggregate__rec(void *ctx, const struct sysray_rec *r)
{
	struct aggregate *a = ctx;
	struct sc_stat *s;

	/* The kernel only sends in-range values; a record that is not is not ours to trust. */
	if (r->abi >= SYSRAY_ABI_CNT || r->nr >= SYSRAY_MAX_NR)
		return 0;
	a->prof->received++;
	s = &a->prof->total.sc[r->abi][r->nr];
	s->calls++;
	s->errors += r->ret < 0 && r->ret >= -4095;
	sc_stat_add_time(s, r->dur_ns);
	if (a->seen_tgids && r->tgid < a->pid_max) {
		__u64 bit = 1ULL << (r->tgid % 64), *w = &a->seen_tgids[r->tgid / 64];

		if (!(*w & bit)) {
			*w |= bit;
			a->seen++;
		}
	}
	return 0;
}

void aggregate__fini(struct aggregate *a)
{
	free(a->seen_tgids);
	a->seen_tgids = NULL;
}
