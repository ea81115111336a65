/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The tracer's state, shared by tracer.c (lifecycle, rings) and tracer_counters.c. */
#ifndef SYSRAY_TRACER_PRIV_H
#define SYSRAY_TRACER_PRIV_H

#include "sysray.h" /* before the skeleton: its rodata holds struct sysray_scope */
#include "sysray_stacks.h"
#include "sysray.skel.h"
#include "trace/tracer.h"

struct tracer {
	struct sysray_bpf *skel;
	struct ring_buffer *rb;
	struct sysray_stage *stages; /* one per possible CPU, for reading the stage map */
	int *ring_fds;		     /* one ring per CPU, or one shared */
	const __u64 *tgid_bits;	     /* the traced-tgid bitmap, mapped read-only */
	size_t tgid_bits_len;
	const __u64 *slots; /* the start slots, mapped read-only for tracer__inflight */
	size_t slots_len;
	int nrings;
	struct tracer_consumer consumer;
	int epfd;	  /* the ring's wakeups and any fd given to tracer__watch_fd */
	__u64 ring_bytes; /* of each ring */
	__u32 pid_max;
	int ncpus;
	bool attached;
	bool result_filter; /* calls that never return cannot pass -Z/-z/--errno */
	struct tracer_stacks_consumer {
		tracer_stack_fn fn;
		void *ctx;
	} stack_consumer; /* --stacks */
	bool stacks;
};

/* tracer_stacks.c: --stacks before load (rodata, map and ring sizes). */
int tracer_stacks_configure(struct tracer *t, const struct tracer_opts *o);

#endif /* SYSRAY_TRACER_PRIV_H */
