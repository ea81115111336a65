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

/*
 * The slot array is mapped this much at a time: with pid_max 4194304 it is 32 MiB, which
 * would otherwise all become resident in sysray at every stop (docs/design.md, "Memory").
 */
#define SLOT_WINDOW (1UL << 20)

/* Calls still in a start slot never returned while traced: unfinished. */
static int add_blocked(struct tracer *t, struct sysray_counts *c)
{
	size_t len = (size_t)t->nr_slots * sizeof(__u64), page = getpagesize();

	len = (len + page - 1) & ~(page - 1);
	for (size_t off = 0; off < len; off += SLOT_WINDOW) {
		size_t win = len - off < SLOT_WINDOW ? len - off : SLOT_WINDOW;
		const __u64 *slots =
		    mmap(NULL, win, PROT_READ, MAP_SHARED, bpf_map__fd(t->skel->maps.starts), off);

		if (slots == MAP_FAILED)
			return -errno;
		for (size_t i = 0; i < win / sizeof(__u64) && off / sizeof(__u64) + i < t->nr_slots;
		     i++) {
			__u64 v = slots[i],
			      abi = (v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK;
			__u64 nr = (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK;

			if ((v & SYSRAY_SLOT_VALID) && abi < SYSRAY_ABI_CNT && nr < SYSRAY_MAX_NR)
				c->sc[SYSRAY_SLOT(abi, nr)].unfinished++;
		}
		munmap((void *)slots, win);
	}
	return 0;
}

/* Keys of a per-CPU array read per system call: bounded memory on many CPUs. */
#define BATCH_KEYS 64

/*
 * out[key][0..words) += the per-CPU values of every key of a per-CPU array whose values are
 * `words` u64s, BATCH_KEYS keys per system call (one lookup per key was 1728 system calls
 * for the counters: about 2 ms of every run's stop).
 */
static int sum_percpu(struct tracer *t, int fd, __u32 nkeys, size_t words, __u64 *out)
{
	__u32 keys[BATCH_KEYS], in = 0, next = 0, count, done = 0;
	size_t stride = (size_t)t->ncpus * words;
	__u64 *vals = calloc(BATCH_KEYS * stride, sizeof(__u64));
	int err = 0;

	if (!vals)
		return -ENOMEM;
	while (done < nkeys && !err) {
		count = nkeys - done < BATCH_KEYS ? nkeys - done : BATCH_KEYS;
		/* The last batch ends with ENOENT, having read count keys. */
		if (bpf_map_lookup_batch(fd, done ? &in : NULL, &next, keys, vals, &count, NULL) &&
		    errno != ENOENT)
			err = -errno;
		else if (!count)
			break;
		for (__u32 i = 0; !err && i < count; i++) {
			const __u64 *v = &vals[i * stride];
			__u64 *o = &out[(size_t)keys[i] * words];

			if (keys[i] >= nkeys) {
				err = -ERANGE;
				break;
			}
			for (int cpu = 0; cpu < t->ncpus; cpu++)
				for (size_t w = 0; w < words; w++)
					o[w] += v[cpu * words + w];
		}
		done += count;
		in = next;
	}
	free(vals);
	return err;
}

/*
 * The per-CPU counters summed, and with --sample the tallies of the untimed calls; with -Z,
 * -z or --errno, calls that never returned are not in scope: nothing says they would have
 * passed.
 */
static int read_counters(struct tracer *t, struct sysray_counts *c)
{
	int err;

	err = sum_percpu(t, bpf_map__fd(t->skel->maps.counters), SYSRAY_NR_SLOTS,
			 sizeof(c->sc[0]) / sizeof(__u64), (__u64 *)c->sc);
	if (!err && t->sampled)
		err = sum_percpu(t, bpf_map__fd(t->skel->maps.tallies), SYSRAY_NR_SLOTS,
				 sizeof(c->unsampled[0]) / sizeof(__u64), (__u64 *)c->unsampled);
	for (__u32 key = 0; !err && t->result_filter && key < SYSRAY_NR_SLOTS; key++)
		c->sc[key].unfinished = c->sc[key].untimed = 0;
	return err;
}

/*
 * bpf_prog_info.recursion_misses of the syscall hooks (the tracepoint programs, or the
 * trampolines): runs the kernel skipped because the program was already running on that CPU.
 */
static int read_misses(struct tracer *t, __u64 *missed)
{
	struct bpf_program *p;

	*missed = 0;
	bpf_object__for_each_program(p, t->skel->obj)
	{
		const char *name = bpf_program__name(p);
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		if (bpf_program__fd(p) < 0 ||
		    (strncmp(name, "sys_", 4) && strncmp(name, "tramp_", 6)))
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			return -errno;
		*missed += info.recursion_misses;
	}
	return 0;
}

int tracer__read_counts(struct tracer *t, struct sysray_counts *c)
{
	int err;

	memset(c, 0, sizeof(*c));
	err = read_counters(t, c);
	if (!err && !t->result_filter)
		err = add_blocked(t, c);
	if (!err)
		err = tracer__read_stats(t, c->stats);
	if (!err)
		err = read_misses(t, &c->missed);
	return err;
}

int tracer__read_stats(struct tracer *t, __u64 stats[SYSRAY_STAT_CNT])
{
	memset(stats, 0, SYSRAY_STAT_CNT * sizeof(__u64));
	return sum_percpu(t, bpf_map__fd(t->skel->maps.stats), SYSRAY_STAT_CNT, 1, stats);
}

__u32 tracer__pid_max(const struct tracer *t)
{
	return t->pid_max;
}
