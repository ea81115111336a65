// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The errnos a syscall's baseline knows, shared by the scoring and the episodes. */
#include "anomaly/anomaly_priv.h"

void akey__learn_errno(struct akey *k, __u32 err)
{
	struct errno_seen *old = &k->errs[0];

	for (int i = 0; i < ERRNO_SLOTS; i++) {
		struct errno_seen *e = &k->errs[i];

		if (e->err == err || !e->err) {
			e->err = err;
			e->last = k->seq;
			return;
		}
		if (e->last < old->last)
			old = e;
	}
	old->err = err;
	old->last = k->seq;
}

bool akey__knows_errno(const struct akey *k, __u32 err, unsigned int memory)
{
	for (int i = 0; i < ERRNO_SLOTS; i++) {
		if (k->errs[i].err == err)
			return k->seq - k->errs[i].last <= memory;
	}
	return false;
}
