// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/proc.h"
#include "stats/groups.h"

#define GROUPS_INIT_CAP	  64 /* power of two */
#define GROUP_SC_INIT_CAP 8

struct groups {
	enum group_by by;
	struct group **tab; /* open addressing on id, linear probing */
	__u32 mask;
	__u32 n;
	struct group *last; /* records come in runs from one task: skip the probe */
	struct group *others;
	__u32 overflows;	/* first sightings sent to others since the last sweep */
	groups_comm_fn comm_fn; /* names of tasks gone from /proc, or NULL */
	void *comm_ctx;
};

void groups__set_comm_source(struct groups *g, groups_comm_fn fn, void *ctx)
{
	g->comm_fn = fn;
	g->comm_ctx = ctx;
}

static __u32 mix(__u32 x)
{
	x ^= x >> 16;
	x *= 0x45d9f3bU;
	x ^= x >> 16;
	return x;
}

int groups__new(enum group_by by, struct groups **out)
{
	struct groups *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	g->by = by;
	g->tab = calloc(GROUPS_INIT_CAP, sizeof(*g->tab));
	if (!g->tab) {
		free(g);
		return -ENOMEM;
	}
	g->mask = GROUPS_INIT_CAP - 1;
	*out = g;
	return 0;
}

static void group_free(struct group *grp)
{
	if (!grp)
		return;
	free(grp->sc);
	free(grp);
}

void groups__free(struct groups *g)
{
	if (!g)
		return;
	for (__u32 i = 0; i <= g->mask; i++)
		group_free(g->tab[i]);
	group_free(g->others);
	free(g->tab);
	free(g);
}

enum group_by groups__by(const struct groups *g)
{
	return g->by;
}

size_t groups__nr(const struct groups *g)
{
	return g->n;
}

static void read_comm(const struct groups *g, struct group *grp, enum group_by by)
{
	__u32 tid = by == GROUP_THREAD ? grp->id : 0;

	if (!proc_comm(grp->tgid, tid, grp->comm, sizeof(grp->comm)))
		return;
	/* The task may be gone by the time its records arrive: ask the kernel's record of it. */
	if (g->comm_fn &&
	    !g->comm_fn(g->comm_ctx, tid ? tid : grp->tgid, grp->comm, sizeof(grp->comm)))
		return;
	if (!grp->comm[0])
		strcpy(grp->comm, "?");
}

static struct group *group_new(__u32 id, __u32 tgid)
{
	struct group *grp = calloc(1, sizeof(*grp));

	if (!grp)
		return NULL;
	grp->sc = calloc(GROUP_SC_INIT_CAP, sizeof(*grp->sc));
	if (!grp->sc) {
		free(grp);
		return NULL;
	}
	grp->id = id;
	grp->tgid = tgid;
	grp->mask = GROUP_SC_INIT_CAP - 1;
	return grp;
}

/* Put grp in a table being rebuilt (linear probing; the table has room). */
static void tab_insert(struct group **tab, __u32 mask, struct group *grp)
{
	__u32 j;

	for (j = mix(grp->id) & mask; tab[j]; j = (j + 1) & mask)
		;
	tab[j] = grp;
}

static int grow(struct groups *g)
{
	__u32 cap = 2 * (g->mask + 1);
	struct group **tab = calloc(cap, sizeof(*tab));

	if (!tab)
		return -ENOMEM;
	for (__u32 i = 0; i <= g->mask; i++) {
		struct group *grp = g->tab[i];

		if (!grp)
			continue;
		tab_insert(tab, cap - 1, grp);
	}
	free(g->tab);
	g->tab = tab;
	g->mask = cap - 1;
	return 0;
}

static struct sc_stat *group_sc(struct group *grp, __u16 key);

static bool task_gone(const struct groups *g, const struct group *grp)
{
	char path[64];

	if (g->by == GROUP_THREAD)
		snprintf(path, sizeof(path), "/proc/%u/task/%u", grp->tgid, grp->id);
	else
		snprintf(path, sizeof(path), "/proc/%u", grp->id);
	return access(path, F_OK) != 0;
}

static struct group *others(struct groups *g)
{
	if (!g->others) {
		g->others = group_new(GROUP_OTHERS_ID, GROUP_OTHERS_ID);
		if (g->others)
			strcpy(g->others->comm, "(others)");
	}
	return g->others;
}

/*
 * The table is full: fold the groups of tasks that have exited into "(others)" so that a
 * daemon watching processes come and go keeps bounded memory and every call in a table.
 * Returns 0 even if nothing could be freed; the caller then sends the new id to others.
 */
static int sweep(struct groups *g)
{
	struct group **tab, *oth = others(g);

	tab = calloc(g->mask + 1, sizeof(*tab));
	if (!tab || !oth) {
		free(tab);
		return -ENOMEM;
	}
	for (__u32 i = 0; i <= g->mask; i++) {
		struct group *grp = g->tab[i];

		if (!grp)
			continue;
		if (task_gone(g, grp)) {
			for (__u32 k = 0; k <= grp->mask; k++) {
				struct sc_stat *dst;

				if (!grp->sc[k].key)
					continue;
				dst = group_sc(oth, grp->sc[k].key);
				if (!dst)
					goto keep;
				sc_stat__merge(dst, &grp->sc[k].st);
				/* Out of memory half way, the group keeps only what was not moved.
				 */
				memset(&grp->sc[k].st, 0, sizeof(grp->sc[k].st));
			}
			group_free(grp);
			g->n--;
			continue;
		}
	keep:
		tab_insert(tab, g->mask, grp);
	}
	free(g->tab);
	g->tab = tab;
	g->last = NULL;
	g->overflows = 0;
	return 0;
}

static struct group *find(struct groups *g, __u32 id, __u32 tgid, bool create)
{
	struct group *grp;
	__u32 i;

	if (g->last && g->last->id == id)
		return g->last;
	for (i = mix(id) & g->mask; g->tab[i]; i = (i + 1) & g->mask) {
		if (g->tab[i]->id == id)
			return g->last = g->tab[i];
	}
	if (!create)
		return NULL;
	/* Sweep when full, and again only after many more newcomers: a sweep reads /proc. */
	if (g->n >= GROUPS_MAX && g->overflows % (GROUPS_MAX / 16) == 0) {
		sweep(g);
		/* The table was rebuilt: find the free entry for id again. */
		for (i = mix(id) & g->mask; g->tab[i]; i = (i + 1) & g->mask)
			;
	}
	if (g->n >= GROUPS_MAX) {
		g->overflows++;
		return others(g);
	}
	/* Keep the load under 3/4 so that probes stay short. */
	if (4 * (g->n + 1) > 3 * (g->mask + 1)) {
		if (grow(g))
			return NULL;
		for (i = mix(id) & g->mask; g->tab[i]; i = (i + 1) & g->mask)
			;
	}
	grp = group_new(id, tgid);
	if (!grp)
		return NULL;
	read_comm(g, grp, g->by);
	g->tab[i] = grp;
	g->n++;
	return g->last = grp;
}

static int sc_grow(struct group *grp)
{
	__u32 cap = 2 * (grp->mask + 1);
	struct group_sc *sc = calloc(cap, sizeof(*sc));

	if (!sc)
		return -ENOMEM;
	for (__u32 i = 0; i <= grp->mask; i++) {
		__u32 j;

		if (!grp->sc[i].key)
			continue;
		for (j = mix(grp->sc[i].key) & (cap - 1); sc[j].key; j = (j + 1) & (cap - 1))
			;
		sc[j] = grp->sc[i];
	}
	free(grp->sc);
	grp->sc = sc;
	grp->mask = cap - 1;
	return 0;
}

static struct sc_stat *group_sc(struct group *grp, __u16 key)
{
	__u32 i;

	for (i = mix(key) & grp->mask; grp->sc[i].key; i = (i + 1) & grp->mask) {
		if (grp->sc[i].key == key)
			return &grp->sc[i].st;
	}
	if (4 * (grp->nr_sc + 1) > 3 * (grp->mask + 1)) {
		if (sc_grow(grp))
			return NULL;
		for (i = mix(key) & grp->mask; grp->sc[i].key; i = (i + 1) & grp->mask)
			;
	}
	grp->sc[i].key = key;
	grp->nr_sc++;
	return &grp->sc[i].st;
}

struct sc_stat *groups__stat(struct groups *g, __u32 tgid, __u32 tid, int abi, int nr)
{
	struct group *grp = find(g, g->by == GROUP_THREAD ? tid : tgid, tgid, true);

	return grp ? group_sc(grp, SYSRAY_SLOT(abi, nr) + 1) : NULL;
}

void groups__exec(struct groups *g, __u32 tgid, __u32 tid)
{
	struct group *grp = find(g, g->by == GROUP_THREAD ? tid : tgid, tgid, false);

	if (grp && grp != g->others)
		read_comm(g, grp, g->by);
}

static void group_clear(struct group *grp)
{
	if (!grp || !grp->nr_sc)
		return;
	memset(grp->sc, 0, (grp->mask + 1) * sizeof(*grp->sc));
	grp->nr_sc = 0;
}

void groups__reset(struct groups *g)
{
	struct group **tab = calloc(g->mask + 1, sizeof(*tab));

	/*
	 * A group without calls in the whole interval is most likely gone: drop it, so that
	 * a long run keeps only the live ones and does not fill up GROUPS_MAX with the dead.
	 * Without memory for the new table, keep them all; that is only less tidy.
	 */
	for (__u32 i = 0; i <= g->mask; i++) {
		struct group *grp = g->tab[i];

		if (!grp)
			continue;
		if (tab && !grp->nr_sc) {
			group_free(grp);
			g->n--;
			continue;
		}
		group_clear(grp);
		if (!tab)
			continue;
		tab_insert(tab, g->mask, grp);
	}
	if (tab) {
		free(g->tab);
		g->tab = tab;
	}
	group_clear(g->others);
	g->last = NULL;
}

static int summary_cmp(const void *pa, const void *pb)
{
	const struct group_summary *a = pa, *b = pb;

	if (a->total_ns != b->total_ns)
		return a->total_ns < b->total_ns ? 1 : -1;
	/* The overflow group goes last among equals; ids are unique otherwise. */
	if ((a->g->id == GROUP_OTHERS_ID) != (b->g->id == GROUP_OTHERS_ID))
		return a->g->id == GROUP_OTHERS_ID ? 1 : -1;
	return a->g->id < b->g->id ? -1 : a->g->id > b->g->id;
}

static void summarize(const struct group *grp, struct group_summary *s)
{
	*s = (struct group_summary){ .g = grp };
	for (__u32 i = 0; i <= grp->mask; i++) {
		if (!grp->sc[i].key)
			continue;
		s->calls += grp->sc[i].st.calls;
		s->errors += grp->sc[i].st.errors;
		s->total_ns += grp->sc[i].st.total_ns;
	}
}

int groups__summaries(const struct groups *g, unsigned int top, struct group_summary **out,
		      size_t *n)
{
	struct group_summary *s;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	s = calloc(g->n + 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (__u32 i = 0; i <= g->mask; i++) {
		if (g->tab[i] && g->tab[i]->nr_sc)
			summarize(g->tab[i], &s[k++]);
	}
	if (g->others && g->others->nr_sc)
		summarize(g->others, &s[k++]);
	qsort(s, k, sizeof(*s), summary_cmp);
	if (top && k > top)
		k = top;
	if (!k) {
		free(s);
		return 0;
	}
	*out = s;
	*n = k;
	return 0;
}

void group__fill_table(const struct group *grp, struct sc_table *t)
{
	memset(t, 0, sizeof(*t));
	for (__u32 i = 0; i <= grp->mask; i++) {
		__u16 slot = grp->sc[i].key - 1;

		if (grp->sc[i].key)
			t->sc[slot / SYSRAY_MAX_NR][slot % SYSRAY_MAX_NR] = grp->sc[i].st;
	}
}
