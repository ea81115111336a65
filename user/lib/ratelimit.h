/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Rate limits for messages that a storm could multiply. */
#ifndef SYSRAY_LIB_RATELIMIT_H
#define SYSRAY_LIB_RATELIMIT_H

#include <stdbool.h>
#include <linux/types.h>

/* Token bucket: rate tokens per second, up to burst (slow-call reports, event lines). */
struct ratelimit {
	double rate, burst, tokens;
	__u64 last_ns;
	__u64 suppressed; /* denied since the last allowed report */
};

void ratelimit__init(struct ratelimit *rl, double rate, double burst, __u64 now_ns);
/* true: report; the caller may then print rl->suppressed and reset it to 0. */
bool ratelimit__allow(struct ratelimit *rl, __u64 now_ns);

#endif /* SYSRAY_LIB_RATELIMIT_H */
