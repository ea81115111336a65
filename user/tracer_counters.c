// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the kernel counted beside the records: drops, unfinished calls, misses, stats. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "tracer_priv.h"
#include "util.h"

/* Calls still in a start slot never returned while traced. */
static int add_blocked(struct tracer *t, struct sc_table *tbl)
{
	size_t len = (size_t)t->pid_max * sizeof(__u64);
	const __u64 *slots;

	len = (len + getpagesize() - 1) & ~((size_t)getpagesize() - 1);
	slots = mmap(NULL, len, PROT_READ, MAP_SHARED, bpf_map__fd(t->skel->maps.starts), 0);
	if (slots == MAP_FAILED)
		return -errno;
	for (__u32 tid = 0; tid < t->pid_max; tid++) {
		__u64 v = slots[tid];
		struct sc_stat *s;

		if (!(v & SYSRAY_SLOT_VALID))
			continue;
		s = &tbl->sc[(v >> SYSRAY_SLOT_ABI_SHIFT) & 1]
			    [(v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK];
		s->calls++;
		s->unfinished++;
	}
	munmap((void *)slots, len);
	return 0;
}

int tracer__add_counters(struct tracer *t, struct sc_table *tbl)
{
	struct sysray_counter *vals;
	int fd = bpf_map__fd(t->skel->maps.counters);
	__u32 key;
	int err;

	vals = calloc(t->ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (key = 0; key < SYSRAY_NR_SLOTS; key++) {
		struct sc_stat *s = &tbl->sc[key / SYSRAY_MAX_NR][key % SYSRAY_MAX_NR];
		int cpu;

		if (bpf_map_lookup_elem(fd, &key, vals)) {
			err = -errno;
			goto cleanup;
		}
		for (cpu = 0; cpu < t->ncpus; cpu++) {
			const struct sysray_counter *c = &vals[cpu];

			s->calls += c->dropped + (t->result_filter ? 0 : c->untimed);
			s->errors += c->dropped_errors;
			if (!t->result_filter) {
				s->calls += c->unfinished;
				s->unfinished += c->unfinished;
			}
		}
	}
	err = t->result_filter ? 0 : add_blocked(t, tbl);
cleanup:
	free(vals);
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

int tracer__read_misses(struct tracer *t, __u64 *missed)
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

__u32 tracer__pid_max(const struct tracer *t)
{
	return t->pid_max;
}
