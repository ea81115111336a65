/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Folds delivered records into a profile: the consumer's per-record work. */
#ifndef SYSRAY_AGGREGATE_H
#define SYSRAY_AGGREGATE_H

#include "profile.h"

struct aggregate {
	struct profile *prof;
	__u64 *seen_tgids; /* bitmap of tgids that delivered a record, or NULL */
	__u32 pid_max;
	__u64 seen;
};

int aggregate__init(struct aggregate *a, struct profile *prof, __u32 pid_max, bool count_tgids);
/* tracer_rec_fn */
int aggregate__rec(void *ctx, const struct sysray_rec *rec);
void aggregate__fini(struct aggregate *a);

#endif /* SYSRAY_AGGREGATE_H */
