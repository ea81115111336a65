/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF side as a module: load, scope, attach, consume records, read counters. */
#ifndef SYSRAY_TRACER_H
#define SYSRAY_TRACER_H

#include <stdbool.h>
#include <linux/types.h>
#include <stddef.h>
#include "sysray.h"
#include "sysray_events.h"
#include "sysray_stacks.h"

struct tracer;

/*
 * Called with every per-call event (--events): one struct sysray_event and its strings,
 * len bytes in all (at least the header). Non-zero stops the current poll, as for batches.
 */
typedef int (*tracer_event_fn)(void *ctx, const struct sysray_event *ev, size_t len);

/* --events: what the kernel captures per call (bpf/events.bpf.h). */
struct tracer_events {
	bool fds;	   /* -y: identify the files behind fd arguments */
	__u64 min_dur_ns;  /* --min-duration */
	__u32 str_size;	   /* -s, at most SYSRAY_EV_STR_MAX */
	__u64 ring_bytes;  /* the event ring: a power of two, at least a page */
	const __u16 *spec; /* SYSRAY_EV_SPEC_* of every (abi, nr): [abi * SYSRAY_MAX_NR + nr] */
	tracer_event_fn fn;
	void *ctx;
};

/* How the syscalls are hooked (docs/design.md, "Trampolines"). */
enum tracer_hooks {
	TRACER_HOOKS_AUTO = 0,	  /* trampolines for a small -e trace= set, else tracepoints */
	TRACER_HOOKS_TRACEPOINTS, /* the raw syscall tracepoints */
	TRACER_HOOKS_TRAMPOLINES, /* fentry/fexit on the selected syscalls, or an error */
};

/* --stacks: called with every stack event (the event and its stack bytes, size in all). */
typedef int (*tracer_stack_fn)(void *ctx, const struct sysray_stack_event *e, size_t size);

struct tracer_opts {
	bool filter_tgid;   /* trace only tgids added with tracer__trace_tgid() */
	bool follow_forks;  /* with filter_tgid: children of traced processes are traced */
	__u64 ring_bytes;   /* of each ring: a power of two, at least one page; 0: default */
	bool shared_ring;   /* one ring for all CPUs instead of one per CPU */
	bool verbose;	    /* let libbpf print its warnings */
	bool record_cgroup; /* records carry cgroup_lo instead of cpu (costs a helper call) */
	const struct sysray_scope *scope; /* scope filters, or NULL for none */
	const int *cgroup_fds;		  /* scope->nr_cgroups cgroup v2 directories */
	__u32 pid_max;			  /* pids in sysray's namespace; 0: read it */
	__u32 sample_every; /* time one call in N, chosen at random; 0 or 1: every call */
	enum tracer_hooks hooks;
	const struct tracer_events *events; /* --events, or NULL */
	const struct sysray_stack_cfg *stacks; /* --stacks, or NULL */
	tracer_stack_fn stack_fn;	       /* with stacks: where the stack events go */
	void *stack_ctx;
};

/*
 * Called with every batch of delivered records (one CPU's, in completion order); a
 * non-zero return stops the current poll and is returned by it.
 */
typedef int (*tracer_batch_fn)(void *ctx, const struct sysray_rec *recs, size_t n);

/* Where a ring's samples go: ring_buffer__new(fd, tracer_consume_sample, &consumer). */
struct tracer_consumer {
	tracer_batch_fn fn;
	void *ctx;
};
/* The ring buffer callback of the tracer: one sample is a batch of whole records. */
int tracer_consume_sample(void *consumer, void *data, size_t size);

int tracer__new(const struct tracer_opts *opts, tracer_batch_fn fn, void *ctx, struct tracer **out);
/* Add a process to the traced set (before or after attaching), or take it out. */
int tracer__trace_tgid(struct tracer *t, __u32 tgid);
void tracer__untrace_tgid(struct tracer *t, __u32 tgid);
int tracer__attach(struct tracer *t);
/* Whether any tgid is still in the traced set (the kernel drops a tgid when it exits). */
bool tracer__any_traced(struct tracer *t);
/*
 * The BPF commands of the poll loop, done once (a map read and a kick): 0, or -EPERM when
 * this kernel wants a capability for them (privs_drop() keeps it then).
 */
int tracer__probe_access(struct tracer *t);
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
 * What the records cannot tell, summed over the CPUs: calls whose records were dropped
 * (with their errors), calls that never returned (exit, exit_group, or blocked in the call
 * when read), the global statistics, and the times the kernel skipped a hook because it was
 * already running on that CPU (recursion_misses): calls that cannot have been counted.
 * Exact after tracer__stop(); a view of the run so far before it.
 */
int tracer__read_counts(struct tracer *t, struct sysray_counts *c);
/* --events: the counters of the event path, summed over the CPUs (enum sysray_ev_stat). */
int tracer__read_event_stats(struct tracer *t, __u64 stats[SYSRAY_EV_STAT_CNT]);
/*
 * The same without the calls still blocked in a start slot: every count only grows, as
 * counters exported on a timer must, and the slot array (pid_max entries) is not scanned.
 */
int tracer__read_kernel_counts(struct tracer *t, struct sysray_counts *c);
/* Just the global statistics (cheap: for periodic reports). */
int tracer__read_stats(struct tracer *t, __u64 stats[SYSRAY_STAT_CNT]);
__u32 tracer__pid_max(const struct tracer *t);
/*
 * The traced call thread tid is in now, from its start slot: 0 with the call's ABI, number
 * and time in it so far, or -ENOENT when it is in none (or untraced), -ENODATA with the ABI
 * and number but no time when the call was not timed (--sample), -errno if the slots cannot
 * be mapped.
 */
int tracer__inflight(void *tracer, __u32 tid, int *abi, int *nr, __u64 *elapsed_ns);
/* "tracepoints" or "trampolines": how this tracer hooks the syscalls. */
const char *tracer__hooks(const struct tracer *t);
/* The name the kernel saw for tid at its fork, exec or exit; -ENOENT if none. */
int tracer__comm(void *tracer, __u32 tid, char *buf, size_t len);
/*
 * --stacks: the frames of a stack map id (kernel: the kernel stack map), innermost first,
 * into ips[max]; returns how many, or -ENOENT for an unknown id.
 */
int tracer__stack_frames(void *tracer, __s32 id, bool kernel, __u64 *ips, size_t max);
/* --stacks: the capture's counters summed over the CPUs. */
int tracer__stack_stats(void *tracer, __u64 stats[SYSRAY_STACK_STAT_CNT]);
void tracer__free(struct tracer *t);

#endif /* SYSRAY_TRACER_H */
