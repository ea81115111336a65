// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <stdlib.h>
#include <unistd.h>
#include "stats/groups.h"

/* Ids far above any pid_max: no /proc entry, so these processes count as exited. */
#define GONE_BASE 2000000000U

static __u64 calls_in(const struct groups *g, __u32 id)
{
	struct group_summary *s;
	size_t n;
	__u64 calls = 0;

	cr_assert_eq(groups__summaries(g, 0, &s, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (s[i].g->id == id)
			calls = s[i].calls;
	free(s);
	return calls;
}

Test(groups, a_full_table_folds_exited_processes_into_others)
{
	struct groups *g;
	__u32 self = getpid();

	cr_assert_eq(groups__new(GROUP_PROCESS, &g), 0);
	groups__stat(g, self, self, 0, 110)->calls = 5;
	for (__u32 i = 0; i < GROUPS_MAX - 1; i++)
		groups__stat(g, GONE_BASE + i, GONE_BASE + i, 0, 39)->calls += 2;
	cr_assert_eq(groups__nr(g), GROUPS_MAX);

	/* one more process: the exited ones are folded, the live one stays */
	groups__stat(g, GONE_BASE - 1, GONE_BASE - 1, 0, 0)->calls = 7;
	cr_expect_eq(groups__nr(g), 2, "held %zu groups", groups__nr(g));
	cr_expect_eq(calls_in(g, self), 5);
	cr_expect_eq(calls_in(g, GONE_BASE - 1), 7);
	cr_expect_eq(calls_in(g, GROUP_OTHERS_ID), 2ULL * (GROUPS_MAX - 1),
		     "every exited process's calls are kept in (others)");
	groups__free(g);
}
