/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Per-process (or per-thread) syscall tables for -P / --per-thread: a hash map keyed by
 * tgid (or tid), each group holding a small hash table of only the syscalls it made.
 * Memory is bounded: when GROUPS_MAX groups are held, the groups of tasks that have exited
 * are folded into one "(others)" group (their calls stay in the report); if all are alive,
 * new ids share that group.
 */
#ifndef SYSRAY_GROUPS_H
#define SYSRAY_GROUPS_H

#include <stddef.h>
#include <linux/types.h>
#include "stats/sc_stat.h"

/* -P groups by process (tgid), --per-thread by thread (tid). */
enum group_by {
	GROUP_NONE = 0,
	GROUP_PROCESS,
	GROUP_THREAD,
};

struct groups;

#define GROUPS_MAX 16384
/* The overflow group: no process has pid 0 in userspace's view. */
#define GROUP_OTHERS_ID 0
#define GROUP_COMM_LEN	16

struct group_sc {
	__u16 key; /* SYSRAY_SLOT(abi, nr) + 1; 0 marks a free entry */
	struct sc_stat st;
};

struct group {
	__u32 id; /* tgid, or tid per thread */
	__u32 tgid;
	char comm[GROUP_COMM_LEN]; /* read from /proc when first seen; "?" if it was gone */
	__u32 nr_sc;
	__u32 mask; /* capacity of sc - 1 */
	struct group_sc *sc;
};

/* A group with its sums over its syscalls, for reports. */
struct group_summary {
	const struct group *g;
	__u64 calls;
	__u64 errors;
	unsigned __int128 total_ns;
};

int groups__new(enum group_by by, struct groups **out);
/* Where to find the name of a task that is gone from /proc: 0 and buf filled, or < 0. */
typedef int (*groups_comm_fn)(void *ctx, __u32 tid, char *buf, size_t len);
void groups__set_comm_source(struct groups *g, groups_comm_fn fn, void *ctx);
void groups__free(struct groups *g);
enum group_by groups__by(const struct groups *g);
/* Groups held, the "(others)" group aside. */
size_t groups__nr(const struct groups *g);

/*
 * The table entry of rec's syscall in rec's group, created (and the group's comm read) on
 * first sight; NULL when out of memory.
 */
struct sc_stat *groups__stat(struct groups *g, __u32 tgid, __u32 tid, int abi, int nr);
/* Re-read the comm of rec's group (after a successful execve). */
void groups__exec(struct groups *g, __u32 tgid, __u32 tid);
/*
 * For the next interval: empty every group's table, keeping its memory, and drop the groups
 * that made no call since the last reset.
 */
void groups__reset(struct groups *g);

/*
 * Groups that made calls, by total time descending then id, at most top (0: all);
 * *out is malloc'ed (NULL when *n is 0).
 */
int groups__summaries(const struct groups *g, unsigned int top, struct group_summary **out,
		      size_t *n);
/* Fill t (cleared first) with the group's calls. */
void group__fill_table(const struct group *grp, struct sc_table *t);

#endif /* SYSRAY_GROUPS_H */
