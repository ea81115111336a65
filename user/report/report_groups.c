// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include "stats/groups.h"
#include "report/report_groups.h"

static void put_title(FILE *f, const struct group_summary *s, enum group_by by)
{
	const struct group *g = s->g;

	fputc('\n', f);
	if (g->id == GROUP_OTHERS_ID)
		fprintf(f, "%s beyond the first %d", by == GROUP_THREAD ? "threads" : "processes",
			GROUPS_MAX);
	else if (by == GROUP_THREAD)
		fprintf(f, "tid %u of pid %u (%s)", g->id, g->tgid, g->comm);
	else
		fprintf(f, "pid %u (%s)", g->id, g->comm);
	fprintf(f, ": calls %llu, errors %llu, %.6f s\n", (unsigned long long)s->calls,
		(unsigned long long)s->errors, (double)s->total_ns / 1e9);
}

int report_groups(FILE *f, const struct profile *p, const struct report_text_opts *o)
{
	struct group_summary *s = NULL;
	struct sc_table *t = NULL;
	size_t n = 0;
	int err;

	if (!p->groups)
		return 0;
	err = groups__summaries(p->groups, o ? o->top : 0, &s, &n);
	if (err)
		return err;
	t = malloc(sizeof(*t));
	if (!t) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; !err && i < n; i++) {
		put_title(f, &s[i], groups__by(p->groups));
		group__fill_table(s[i].g, t);
		err = report_text(f, t, o);
	}
cleanup:
	free(t);
	free(s);
	return err;
}
