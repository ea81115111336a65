// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the kernel counted beside the records: drops, unfinished calls, misses, stats. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "trace/tracer_priv.h"
#include "lib/log.h"

/* Calls still in a start slot never returned while traced: unfinished. */
static int add_blocked(struct tracer *t, struct sysray_counts *c)
{
	size_t len = (size_t)t->pid_max * sizeof(__u64);
	const __u64 *slots;

	len = (len + getpagesize() - 1) & ~((size_t)getpagesize() - 1);
	slots = mmap(NULL, len, PROT_READ, MAP_SHARED, bpf_map__fd(t->skel->maps.starts), 0);
	if (slots == MAP_FAILED)
		return -errno;
	for (__u32 tid = 0; tid < t->pid_max; tid++) {
		__u64 v = slots[tid], abi = (v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK;
		__u64 nr = (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK;

		if ((v & SYSRAY_SLOT_VALID) && abi < SYSRAY_ABI_CNT && nr < SYSRAY_MAX_NR)
			c->sc[SYSRAY_SLOT(abi, nr)].unfinished++;
	}
	munmap((void *)slots, len);
	return 0;
}

/* The per-CPU counters summed; with -Z, -z or --errno, calls that never returned are not
 * in scope: nothing says they would have passed. */
static int read_counters(struct tracer *t, struct sysray_counts *c)
{
	int fd = bpf_map__fd(t->skel->maps.counters);
	struct sysray_counter *vals;
	int err = 0;

	vals = calloc(t->ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (__u32 key = 0; key < SYSRAY_NR_SLOTS && !err; key++) {
		struct sysray_counter *s = &c->sc[key];

		if (bpf_map_lookup_elem(fd, &key, vals)) {
			err = -errno;
			break;
		}
		for (int cpu = 0; cpu < t->ncpus; cpu++) {
			s->dropped += vals[cpu].dropped;
			s->dropped_errors += vals[cpu].dropped_errors;
			if (t->result_filter)
				continue;
			s->unfinished += vals[cpu].unfinished;
			s->untimed += vals[cpu].untimed;
		}
	}
	free(vals);
	return err;
}

/*
 * bpf_prog_info.recursion_misses of the syscall hooks: runs the kernel skipped because the
 * program was already running on that CPU.
 */
static int read_misses(struct tracer *t, __u64 *missed)
{
	struct bpf_program *progs[] = { t->skel->progs.sys_enter, t->skel->progs.sys_exit };

	*missed = 0;
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(bpf_program__fd(progs[i]), &info, &len))
			return -errno;
		*missed += info.recursion_misses;
	}
	return 0;
}

int tracer__read_kernel_counts(struct tracer *t, struct sysray_counts *c)
{
	int err;

	memset(c, 0, sizeof(*c));
	err = read_counters(t, c);
	if (!err)
		err = tracer__read_stats(t, c->stats);
	if (!err)
		err = read_misses(t, &c->missed);
	return err;
}

int tracer__read_counts(struct tracer *t, struct sysray_counts *c)
{
	int err = tracer__read_kernel_counts(t, c);

	if (!err && !t->result_filter)
		err = add_blocked(t, c);
	return err;
}

int tracer__read_stats(struct tracer *t, __u64 stats[SYSRAY_STAT_CNT])
{
	int fd = bpf_map__fd(t->skel->maps.stats);
	__u64 *vals;
	__u32 key;
	int err = 0;

	vals = calloc(t->ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (key = 0; key < SYSRAY_STAT_CNT; key++) {
		int cpu;

		if (bpf_map_lookup_elem(fd, &key, vals)) {
			err = -errno;
			break;
		}
		stats[key] = 0;
		for (cpu = 0; cpu < t->ncpus; cpu++)
			stats[key] += vals[cpu];
	}
	free(vals);
	return err;
}

__u32 tracer__pid_max(const struct tracer *t)
{
	return t->pid_max;
}
