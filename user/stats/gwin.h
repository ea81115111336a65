/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One window of records split by service: per group (a cgroup, a process, or everything) and
 * per syscall, the calls, errors, errnos and a small latency histogram, for the sinks that
 * watch services window by window (--anomaly, --correlate). Groups are numbered 0..max - 1;
 * services beyond max_groups share one more, "(others)", and are counted. The numbers of
 * groups that went idle can be given back (gwin__drop) for new services.
 */
#ifndef SYSRAY_STATS_GWIN_H
#define SYSRAY_STATS_GWIN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sysray.h"
#include "stats/groups.h"
#include "stats/lhist.h"

enum gwin_by {
	GWIN_NONE = 0, /* one group: everything traced */
	GWIN_PROCESS,  /* by tgid */
	GWIN_CGROUP,   /* by cgroup v2 id (the records must carry it) */
};

#define GWIN_ERRNOS	 16 /* distinct errnos per (group, syscall) and window */
#define GWIN_TIDS	 64 /* recently active threads remembered per group */
#define GWIN_NAME_MAX	 64
#define GWIN_MAX_GROUPS	 4096
#define GWIN_MAP_ENTRIES 8192 /* services remembered, folded ones included */

struct gwin_errno {
	__u32 err, count;
};

struct gwin_sc {
	__u64 calls, errors;
	__u64 slow_ns; /* for the user (slow-call threshold): kept across windows */
	__u32 n_errnos;
	__u32 errnos_lost; /* errors beyond GWIN_ERRNOS distinct errnos */
	struct gwin_errno errnos[GWIN_ERRNOS];
	struct lhist lat;
};

struct gwin_tid {
	__u32 tid;
	__u32 window; /* the last window it made a call in */
};

struct gwin_group {
	__u64 key; /* tgid or cgroup id; 0 for everything and for the others */
	char name[GWIN_NAME_MAX];
	bool others;
	__u64 calls;	   /* this window */
	__u32 last_active; /* the last window with a call */
	__u32 nr_used;
	__u16 used[SYSRAY_NR_SLOTS]; /* slots of sc that are allocated */
	struct gwin_sc *sc[SYSRAY_NR_SLOTS];
	struct gwin_tid tids[GWIN_TIDS]; /* hashed by tid; a collision forgets the older */
};

struct gwin_opts {
	enum gwin_by by;
	unsigned int max_groups;   /* GWIN_NONE: 1 */
	unsigned int idle_windows; /* folded services idle this long are forgotten */
	groups_comm_fn comm_fn;	   /* names of tasks gone from /proc, or NULL */
	void *comm_ctx;
};

struct gwin;

int gwin__new(const struct gwin_opts *o, struct gwin **out);
void gwin__free(struct gwin *w);
/*
 * Fold one record in (abi and nr in range); *group gets its group. The (group, syscall)
 * entry, or NULL when out of memory.
 */
struct gwin_sc *gwin__add(struct gwin *w, const struct sysray_rec *r, unsigned int *group);
/* Group numbers: below gwin__cap (max_groups and the others); NULL for an unused one. */
unsigned int gwin__cap(const struct gwin *w);
struct gwin_group *gwin__group(struct gwin *w, unsigned int idx);
/* Windows ended so far. */
__u32 gwin__window(const struct gwin *w);
/* Empty every group's window (entries are kept), forget folded services gone idle. */
void gwin__end_window(struct gwin *w);
/* Give a group's number back: its services are forgotten, its memory freed. */
void gwin__drop(struct gwin *w, unsigned int idx);
/* Services now folded into the others group; *more: some were beyond what is remembered. */
unsigned int gwin__folded(const struct gwin *w, bool *more);
/* "none", "process", "cgroup" into an enum gwin_by; -EINVAL. */
int gwin_parse_by(const char *s, enum gwin_by *by);
const char *gwin_by_str(enum gwin_by by);

#endif /* SYSRAY_STATS_GWIN_H */
