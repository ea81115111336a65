// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "lib/ratelimit.h"

void ratelimit__init(struct ratelimit *rl, double rate, double burst, __u64 now_ns)
{
	rl->rate = rate > 0 ? rate : 0;
	rl->burst = burst >= 1 ? burst : 1;
	rl->tokens = rl->burst;
	rl->last_ns = now_ns;
	rl->suppressed = 0;
}

bool ratelimit__allow(struct ratelimit *rl, __u64 now_ns)
{
	/* A clock that goes backwards refills nothing rather than wrapping. */
	if (now_ns > rl->last_ns) {
		rl->tokens += (now_ns - rl->last_ns) / 1e9 * rl->rate;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
		rl->last_ns = now_ns;
	}
	if (rl->tokens >= 1) {
		rl->tokens -= 1;
		return true;
	}
	rl->suppressed++;
	return false;
}
