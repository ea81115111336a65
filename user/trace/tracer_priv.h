/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The tracer's state, shared by tracer.c (lifecycle, rings) and tracer_counters.c. */
#ifndef SYSRAY_TRACER_PRIV_H
#define SYSRAY_TRACER_PRIV_H

#include <pthread.h>
#include "sysray.h" /* before the skeleton: its rodata holds struct sysray_scope */
#include "sysray_stacks.h"
#include "sysray.skel.h"
#include "trace/tracer.h"

struct tracer {
	struct sysray_bpf *skel;
	struct ring_buffer *rb;
	struct sysray_stage *stages; /* one per possible CPU, for reading the stage map */
	int *ring_fds;		     /* one ring per CPU, or one shared */
	__u64 *tgid_bits;	     /* the traced-tgid bitmap, shared with the programs */
	size_t tgid_bits_len;
	const __u64 *slots; /* the start slots, mapped read-only for tracer__inflight */
	size_t slots_len;
	int nrings;
	int outer_fd;	  /* the per-CPU ring slots (ARRAY_OF_MAPS), made before load */
	pthread_t filler; /* creates the other rings and fills the slots while loading */
	bool filling;
	int fill_err;
	struct tracer_consumer consumer;
	int epfd;	  /* the ring's wakeups and any fd given to tracer__watch_fd */
	__u64 ring_bytes; /* of each ring */
	__u32 pid_max;	  /* pids of sysray's namespace: the traced-tgid bitmap */
	__u32 nr_slots;	  /* the kernel's tids: the start slots (more in a child namespace) */
	int ncpus;
	bool attached;
	bool result_filter; /* calls that never return cannot pass -Z/-z/--errno */
	bool sampled;	    /* --sample: the tallies map holds the untimed calls */
	bool trampolines;   /* fentry/fexit on the selected syscalls, not the tracepoints */
	bool quiet;	    /* a first try with trampolines: failures are not errors yet */
	bool filter_tgid;   /* only the tgids of the traced set */
	bool child_pidns;   /* below the initial pid namespace: tids are not slot indexes */
	struct tracer_events events; /* .fn NULL without --events */
	struct tracer_stacks_consumer {
		tracer_stack_fn fn;
		void *ctx;
	} stack_consumer; /* --stacks */
	bool stacks;
};

/* tracer_events.c: --events, before load (rodata, map sizes) and after (the ring). */
int tracer_events_configure(struct tracer *t, const struct tracer_events *ev);
int tracer_events_install(struct tracer *t);
/* Attach the event programs: before the skeleton's (before = true), then after it. */
int tracer_events_attach(struct tracer *t, bool before);

/* tracer_rings.c: the size of each ring (opts->ring_bytes, or from the budget). */
__u64 tracer_ring_size(const struct tracer_opts *opts, int ncpus);
/* Before load: the first ring and the outer map; a thread makes the rest and fills it. */
int tracer_rings__start(struct tracer *t, int nrings);
/* Wait for that thread: 0 or its error. */
int tracer_rings__join(struct tracer *t);
/* After load: join, then consume every ring (the caller watches their fds). */
int tracer_rings__finish(struct tracer *t);
void tracer_rings__free(struct tracer *t);

/* tracer_stacks.c: --stacks before load (rodata, map and ring sizes). */
int tracer_stacks_configure(struct tracer *t, const struct tracer_opts *o);

#endif /* SYSRAY_TRACER_PRIV_H */
