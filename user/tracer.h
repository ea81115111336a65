/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF side as a module: load, scope, attach, consume records, read counters. */
#ifndef SYSRAY_TRACER_H
#define SYSRAY_TRACER_H

#include <stdbool.h>
#include <linux/types.h>
#include "sysray.h"
#include "profile.h"

struct filter_spec;

struct tracer;

struct tracer_opts {
	bool filter_tgid;  /* trace only tgids added with tracer__trace_tgid() */
	bool follow_forks; /* with filter_tgid: children of traced processes are traced */
	__u64 ring_bytes;  /* of each ring: a power of two, at least one page; 0: default */
	bool shared_ring;  /* one ring for all CPUs instead of one per CPU */
	bool verbose;	   /* let libbpf print its warnings */
	const struct filter_spec *filter; /* scope filters, or NULL */
};

/* Called for every delivered record; a non-zero return stops the current poll. */
typedef int (*tracer_rec_fn)(void *ctx, const struct sysray_rec *rec);

int tracer__new(const struct tracer_opts *opts, tracer_rec_fn fn, void *ctx, struct tracer **out);
int tracer__trace_tgid(struct tracer *t, __u32 tgid);
int tracer__attach(struct tracer *t);
/* Whether any tgid is still in the traced set (the kernel drops a tgid when it exits). */
bool tracer__any_traced(struct tracer *t);
/* Also end tracer__poll's wait when fd becomes readable (a pidfd, say). */
int tracer__watch_fd(struct tracer *t, int fd);
void tracer__unwatch_fd(struct tracer *t, int fd);
/*
 * Wait up to timeout_ms for a wakeup or a watched fd, consume what is in the ring, and kick CPUs
 * that went idle with staged records.
 */
int tracer__poll(struct tracer *t, int timeout_ms);
/* Detach the programs and deliver every record still in the ring or staged. */
int tracer__stop(struct tracer *t);
/*
 * After tracer__stop(), once: add what records cannot tell to a table built from them:
 * calls whose records were dropped (with their errors), and calls that never returned
 * (exit, exit_group, or still blocked when tracing stopped) as calls and unfinished.
 */
int tracer__add_counters(struct tracer *t, struct sc_table *tbl);
int tracer__read_stats(struct tracer *t, __u64 stats[SYSRAY_STAT_CNT]);
/*
 * Times the kernel skipped sys_enter or sys_exit because the program was already running
 * on that CPU (bpf_prog_info.recursion_misses): calls that cannot have been counted.
 */
int tracer__read_misses(struct tracer *t, __u64 *missed);
__u32 tracer__pid_max(const struct tracer *t);
/* The name the kernel saw for tid at its fork, exec or exit; -ENOENT if none. */
int tracer__comm(void *tracer, __u32 tid, char *buf, size_t len);
void tracer__free(struct tracer *t);

#endif /* SYSRAY_TRACER_H */
