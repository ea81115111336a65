// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/proc.h"
#include "lib/syscalls.h"
#include "stats/gwin.h"

#define MAP_SLOTS (2 * GWIN_MAP_ENTRIES) /* a power of two, half full at most */

/* A service seen: its group, and when it last made a call. */
struct map_entry {
	__u64 key;
	__u32 idx;
	__u32 last;
	bool used;
};

struct gwin {
	struct gwin_opts o;
	unsigned int cap; /* max_groups + the others */
	struct gwin_group **groups;
	struct map_entry *map; /* open addressing on key, linear probing */
	unsigned int map_n;
	unsigned int untracked; /* folded services the map had no room for */
	struct map_entry *last; /* records come in runs from one task */
	__u32 window;
	int exec_nr[SYSRAY_ABI_CNT][2];
};

int gwin_parse_by(const char *s, enum gwin_by *by)
{
	static const char *const names[] = { "none", "process", "cgroup" };

	for (unsigned int i = 0; i < 3; i++) {
		if (!strcmp(s, names[i])) {
			*by = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *gwin_by_str(enum gwin_by by)
{
	return by == GWIN_PROCESS ? "process" : by == GWIN_CGROUP ? "cgroup" : "none";
}

int gwin__new(const struct gwin_opts *o, struct gwin **out)
{
	struct gwin *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->o = *o;
	if (w->o.by == GWIN_NONE || !w->o.max_groups)
		w->o.max_groups = 1;
	if (w->o.max_groups > GWIN_MAX_GROUPS) {
		free(w);
		return -EINVAL;
	}
	w->cap = w->o.by == GWIN_NONE ? 1 : w->o.max_groups + 1;
	w->groups = calloc(w->cap, sizeof(*w->groups));
	w->map = w->o.by == GWIN_NONE ? NULL : calloc(MAP_SLOTS, sizeof(*w->map));
	if (!w->groups || (w->o.by != GWIN_NONE && !w->map)) {
		gwin__free(w);
		return -ENOMEM;
	}
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		w->exec_nr[abi][0] = syscall_lookup(abi, "execve");
		w->exec_nr[abi][1] = syscall_lookup(abi, "execveat");
	}
	*out = w;
	return 0;
}

static void group_free(struct gwin_group *g)
{
	if (!g)
		return;
	for (__u32 i = 0; i < g->nr_used; i++)
		free(g->sc[g->used[i]]);
	free(g);
}

void gwin__free(struct gwin *w)
{
	if (!w)
		return;
	for (unsigned int i = 0; w->groups && i < w->cap; i++)
		group_free(w->groups[i]);
	free(w->groups);
	free(w->map);
	free(w);
}

/* The path of tgid's cgroup v2, as /proc/PID/cgroup shows it ("0::/system.slice/x"). */
static int cgroup_path(__u32 tgid, char *buf, size_t len)
{
	char path[64], line[512];
	int rc = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", tgid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		size_t n = strcspn(line + 3, "\n");

		/* Long paths keep their start, which names the service. */
		if (n >= len)
			n = len - 1;
		memcpy(buf, line + 3, n);
		buf[n] = 0;
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

/* A group's name: "comm[pid]" for a process, the cgroup's path for a cgroup. */
static void name_group(struct gwin *w, struct gwin_group *g, const struct sysray_rec *r)
{
	char comm[GROUP_COMM_LEN];

	if (w->o.by == GWIN_CGROUP) {
		if (cgroup_path(r->tgid, g->name, sizeof(g->name)))
			snprintf(g->name, sizeof(g->name), "cgroup %llu",
				 (unsigned long long)g->key);
		return;
	}
	if ((!w->o.comm_fn || w->o.comm_fn(w->o.comm_ctx, r->tgid, comm, sizeof(comm))) &&
	    proc_comm(r->tgid, 0, comm, sizeof(comm)))
		snprintf(comm, sizeof(comm), "?");
	snprintf(g->name, sizeof(g->name), "%s[%u]", comm, r->tgid);
}

static struct gwin_group *group_new(struct gwin *w, unsigned int idx, __u64 key)
{
	struct gwin_group *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->key = key;
	g->others = w->o.by != GWIN_NONE && idx == w->cap - 1;
	if (g->others)
		snprintf(g->name, sizeof(g->name), "(others)");
	w->groups[idx] = g;
	return g;
}

static __u64 key_of(const struct gwin *w, const struct sysray_rec *r)
{
	return w->o.by == GWIN_CGROUP ? r->cgroup_lo : r->tgid;
}

static struct map_entry *map_find(struct gwin *w, __u64 key, bool *found)
{
	__u32 i = (__u32)((key * 0x9e3779b97f4a7c15ULL) >> 40) & (MAP_SLOTS - 1);

	while (w->map[i].used && w->map[i].key != key)
		i = (i + 1) & (MAP_SLOTS - 1);
	*found = w->map[i].used;
	return &w->map[i];
}

/* The group number of a service seen for the first time: a free one, else the others. */
static int assign(struct gwin *w, struct map_entry *e, const struct sysray_rec *r, __u64 key)
{
	unsigned int idx = w->cap - 1;
	struct gwin_group *g;

	/* No room to remember it: folded, and counted as such. */
	if (w->map_n == GWIN_MAP_ENTRIES) {
		w->untracked++;
		return w->groups[idx] || group_new(w, idx, 0) ? (int)idx : -ENOMEM;
	}
	for (unsigned int i = 0; i < w->cap - 1; i++) {
		if (!w->groups[i]) {
			idx = i;
			break;
		}
	}
	g = w->groups[idx];
	if (!g) {
		g = group_new(w, idx, idx == w->cap - 1 ? 0 : key);
		if (!g)
			return -ENOMEM;
		if (!g->others)
			name_group(w, g, r);
	}
	*e = (struct map_entry){ .key = key, .idx = idx, .last = w->window, .used = true };
	w->map_n++;
	return idx;
}

static int group_of(struct gwin *w, const struct sysray_rec *r)
{
	__u64 key = key_of(w, r);
	struct map_entry *e = w->last;
	bool found;

	if (w->o.by == GWIN_NONE)
		return w->groups[0] || group_new(w, 0, 0) ? 0 : -ENOMEM;
	if (!e || e->key != key || !e->used) {
		e = map_find(w, key, &found);
		if (!found) {
			int idx = assign(w, e, r, key);

			if (idx < 0 || !e->used)
				return idx;
		}
		w->last = e;
	}
	e->last = w->window;
	return e->idx;
}

static struct gwin_sc *sc_get(struct gwin_group *g, unsigned int slot)
{
	struct gwin_sc *sc = g->sc[slot];

	if (sc)
		return sc;
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return NULL;
	g->sc[slot] = sc;
	g->used[g->nr_used++] = slot;
	return sc;
}

static void count_errno(struct gwin_sc *sc, __u32 err)
{
	for (__u32 i = 0; i < sc->n_errnos; i++) {
		if (sc->errnos[i].err == err) {
			sc->errnos[i].count++;
			return;
		}
	}
	if (sc->n_errnos < GWIN_ERRNOS)
		sc->errnos[sc->n_errnos++] = (struct gwin_errno){ err, 1 };
	else
		sc->errnos_lost++;
}

static bool is_exec(const struct gwin *w, const struct sysray_rec *r)
{
	return r->ret == 0 && (r->nr == w->exec_nr[r->abi][0] || r->nr == w->exec_nr[r->abi][1]);
}

struct gwin_sc *gwin__add(struct gwin *w, const struct sysray_rec *r, unsigned int *group)
{
	int idx = group_of(w, r);
	struct gwin_group *g;
	struct gwin_sc *sc;
	struct gwin_tid *t;

	if (idx < 0)
		return NULL;
	g = w->groups[idx];
	sc = sc_get(g, SYSRAY_SLOT(r->abi, r->nr));
	if (!sc)
		return NULL;
	*group = idx;
	sc->calls++;
	lhist_record(&sc->lat, r->dur_ns);
	if (sysray_is_error(r->ret)) {
		sc->errors++;
		count_errno(sc, (__u32)-r->ret);
	}
	g->calls++;
	g->last_active = w->window;
	t = &g->tids[(r->tid * 2654435761U) >> 26];
	t->tid = r->tid;
	t->window = w->window;
	/* A process that exec'd has a new name. */
	if (w->o.by == GWIN_PROCESS && !g->others && is_exec(w, r))
		name_group(w, g, r);
	return sc;
}

unsigned int gwin__cap(const struct gwin *w)
{
	return w->cap;
}

struct gwin_group *gwin__group(struct gwin *w, unsigned int idx)
{
	return idx < w->cap ? w->groups[idx] : NULL;
}

__u32 gwin__window(const struct gwin *w)
{
	return w->window;
}

/* Remove map entries that match (backward-shift deletion keeps the probe chains whole). */
static void map_remove_if(struct gwin *w,
			  bool (*match)(const struct gwin *, const struct map_entry *,
					unsigned int),
			  unsigned int arg)
{
	for (__u32 i = 0; i < MAP_SLOTS; i++) {
		__u32 hole, j;

		if (!w->map[i].used || !match(w, &w->map[i], arg))
			continue;
		hole = i;
		j = i;
		for (;;) {
			__u32 home;

			j = (j + 1) & (MAP_SLOTS - 1);
			if (!w->map[j].used)
				break;
			home = (__u32)((w->map[j].key * 0x9e3779b97f4a7c15ULL) >> 40) &
			       (MAP_SLOTS - 1);
			/* Move j into the hole unless its home lies cyclically in (hole, j]. */
			if ((j > hole && (home <= hole || home > j)) ||
			    (j < hole && home <= hole && home > j)) {
				w->map[hole] = w->map[j];
				hole = j;
			}
		}
		w->map[hole].used = false;
		w->map_n--;
		i--; /* the slot may hold a moved entry now */
	}
	w->last = NULL;
}

static bool idle_folded(const struct gwin *w, const struct map_entry *e, unsigned int others)
{
	return e->idx == others && w->window - e->last > w->o.idle_windows;
}

static bool in_group(const struct gwin *w, const struct map_entry *e, unsigned int idx)
{
	(void)w;
	return e->idx == idx;
}

void gwin__end_window(struct gwin *w)
{
	for (unsigned int i = 0; i < w->cap; i++) {
		struct gwin_group *g = w->groups[i];

		if (!g)
			continue;
		g->calls = 0;
		for (__u32 u = 0; u < g->nr_used; u++) {
			struct gwin_sc *sc = g->sc[g->used[u]];

			sc->calls = sc->errors = 0;
			sc->n_errnos = sc->errnos_lost = 0;
			lhist_reset(&sc->lat);
		}
	}
	w->window++;
	if (w->map && w->o.idle_windows && w->groups[w->cap - 1])
		map_remove_if(w, idle_folded, w->cap - 1);
	if (w->untracked && !w->groups[w->cap - 1])
		w->untracked = 0;
}

void gwin__drop(struct gwin *w, unsigned int idx)
{
	if (idx >= w->cap || !w->groups[idx])
		return;
	if (w->map)
		map_remove_if(w, in_group, idx);
	if (idx == w->cap - 1 && w->o.by != GWIN_NONE)
		w->untracked = 0;
	group_free(w->groups[idx]);
	w->groups[idx] = NULL;
}

unsigned int gwin__folded(const struct gwin *w, bool *more)
{
	unsigned int n = 0;

	*more = w->untracked != 0;
	if (!w->map || !w->groups[w->cap - 1])
		return 0;
	for (__u32 i = 0; i < MAP_SLOTS; i++)
		n += w->map[i].used && w->map[i].idx == w->cap - 1;
	return n + w->untracked;
}
