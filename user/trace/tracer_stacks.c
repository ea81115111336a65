// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --stacks on the BPF side: its knobs and map sizes, stack map reads, its counters. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "trace/tracer_priv.h"

/* The stack ring: events are rare (rate-limited) but DWARF ones carry kilobytes of stack. */
#define STACK_RING_FP	 (4U << 20)
#define STACK_RING_DWARF (32U << 20)

int tracer_stacks_configure(struct tracer *t, const struct tracer_opts *o)
{
	const struct sysray_stack_cfg *c = o->stacks;
	struct sysray_bpf *skel = t->skel;
	__u32 ring;
	int err;

	/* Without --stacks nothing of it loads: the sched_switch hook stays out too. */
	bpf_program__set_autoload(skel->progs.stacks_switch, c && c->mode && c->kernel);
	if (!c || c->mode == SYSRAY_STACKS_OFF)
		return 0;
	if (!o->stack_fn || c->copy_bytes < 1024 || c->copy_bytes > SYSRAY_STACK_COPY_MAX ||
	    (c->mode == SYSRAY_STACKS_FP &&
	     (!c->ustack_entries || c->ustack_entries > SYSRAY_USTACK_MAX)))
		return -EINVAL;
	t->stacks = true;
	t->stack_consumer.fn = o->stack_fn;
	t->stack_consumer.ctx = o->stack_ctx;
	memcpy((void *)&skel->rodata->stack_cfg, c, sizeof(*c));
	ring = c->mode == SYSRAY_STACKS_DWARF ? STACK_RING_DWARF : STACK_RING_FP;
	skel->rodata->stack_wakeup_bytes = ring / 4;
	err = bpf_map__set_max_entries(skel->maps.stack_events, ring);
	if (!err && c->mode == SYSRAY_STACKS_FP)
		err = bpf_map__set_max_entries(skel->maps.ustacks, c->ustack_entries);
	if (!err && c->kernel)
		err = bpf_map__set_max_entries(skel->maps.kstacks, SYSRAY_KSTACK_ENTRIES);
	return err;
}

int tracer__stack_frames(void *tracer, __s32 id, bool kernel, __u64 *ips, size_t max)
{
	struct tracer *t = tracer;
	__u64 buf[SYSRAY_STACK_DEPTH];
	struct bpf_map *map = kernel ? t->skel->maps.kstacks : t->skel->maps.ustacks;
	size_t n = 0;

	if (id < 0 || bpf_map_lookup_elem(bpf_map__fd(map), &id, buf))
		return -ENOENT;
	/* Unused slots at the end are zero. */
	while (n < SYSRAY_STACK_DEPTH && n < max && buf[n]) {
		ips[n] = buf[n];
		n++;
	}
	return n;
}

int tracer__stack_stats(void *tracer, __u64 stats[SYSRAY_STACK_STAT_CNT])
{
	struct tracer *t = tracer;
	struct sysray_stack_cpu *vals;
	__u32 zero = 0;
	int err = 0;

	memset(stats, 0, SYSRAY_STACK_STAT_CNT * sizeof(*stats));
	if (!t->stacks)
		return 0;
	vals = calloc(t->ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.stack_cpus), &zero, vals))
		err = -errno;
	for (int cpu = 0; !err && cpu < t->ncpus; cpu++)
		for (int i = 0; i < SYSRAY_STACK_STAT_CNT; i++)
			stats[i] += vals[cpu].stats[i];
	free(vals);
	return err;
}
