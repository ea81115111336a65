// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "stats/profile.h"

void profile__add_counts(struct profile *p, const struct sysray_counts *c)
{
	__u64 unsampled = 0;

	for (__u32 slot = 0; slot < SYSRAY_NR_SLOTS; slot++) {
		const struct sysray_counter *k = &c->sc[slot];
		struct sc_stat *s = &p->total.sc[slot / SYSRAY_MAX_NR][slot % SYSRAY_MAX_NR];

		const struct sysray_tally *u = &c->unsampled[slot];

		s->calls += k->dropped + k->unfinished + k->untimed + u->calls;
		s->errors += k->dropped_errors + u->errors;
		s->unfinished += k->unfinished;
		unsampled += u->calls;
	}
	p->unsampled = unsampled;
	p->dropped = c->stats[SYSRAY_STAT_DROPPED];
	p->missed = c->missed;
}

void profile__reset(struct profile *p)
{
	memset(&p->total, 0, sizeof(p->total));
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			if (p->detail[abi][nr])
				sc_detail__reset(p->detail[abi][nr]);
		}
	}
	if (p->groups)
		groups__reset(p->groups);
	p->received = 0;
	p->dropped = 0;
	p->unsampled = 0;
}

void profile__free_detail(struct profile *p)
{
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			sc_detail__free(p->detail[abi][nr]);
			p->detail[abi][nr] = NULL;
		}
	}
	groups__free(p->groups);
	p->groups = NULL;
}
