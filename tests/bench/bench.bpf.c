// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Hook variants for `bench_hooks MODE`, to measure what each part of the real programs
 * costs: the bare attachment, and the start-timestamp store as an array indexed by tid
 * (what sysray uses; two clocks and a store: the limit of any tracer without output), a
 * hash map, or task-local storage; and the two ways --sample could choose the calls it
 * times (at random, or every N-th on a CPU). None sends records.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sysray.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 target_tgid = 0;
/* random / stride: time one call in sample_every (a power of two) */
const volatile __u32 sample_every = 64;

/* Sink for the durations so the verifier and compiler keep the work. */
__u64 total_ns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1); /* set from pid_max */
} starts_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1); /* set from pid_max */
} starts_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} starts_task SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(bare_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bare_exit, struct pt_regs *regs, long ret)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(array_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), *slot;
	__u32 tid = pid_tgid;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	slot = bpf_map_lookup_elem(&starts_array, &tid);
	if (slot)
		*slot = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(array_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), *slot;
	__u32 tid = pid_tgid;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	slot = bpf_map_lookup_elem(&starts_array, &tid);
	if (slot && *slot) {
		total_ns += bpf_ktime_get_ns() - *slot;
		*slot = 0;
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(hash_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), ts;
	__u32 tid = pid_tgid;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&starts_hash, &tid, &ts, BPF_ANY);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(hash_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), *ts;
	__u32 tid = pid_tgid;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	ts = bpf_map_lookup_elem(&starts_hash, &tid);
	if (ts) {
		total_ns += bpf_ktime_get_ns() - *ts;
		bpf_map_delete_elem(&starts_hash, &tid);
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(task_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), *ts;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	ts = bpf_task_storage_get(&starts_task, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (ts)
		*ts = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(task_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), *ts;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	ts = bpf_task_storage_get(&starts_task, bpf_get_current_task_btf(), 0, 0);
	if (ts && *ts) {
		total_ns += bpf_ktime_get_ns() - *ts;
		*ts = 0;
	}
	return 0;
}

/* Calls counted untimed by the sampling variants, and the stride's per-CPU countdown. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 2);
} sample_state SEC(".maps");

#define UNTIMED 1ULL /* a slot value no clock gives */

static __always_inline int sample_exit(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), *slot, v, *n;
	__u32 tid = pid_tgid, zero = 0;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	slot = bpf_map_lookup_elem(&starts_array, &tid);
	if (!slot || !(v = *slot))
		return 0;
	*slot = 0;
	if (v != UNTIMED) {
		total_ns += bpf_ktime_get_ns() - v;
		return 0;
	}
	n = bpf_map_lookup_elem(&sample_state, &zero);
	if (n)
		*n += 1;
	return 0;
}

/* --sample as sysray does it: each call timed with probability 1/N, independently. */
SEC("tp_btf/sys_enter")
int BPF_PROG(random_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), *slot;
	__u32 tid = pid_tgid;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	slot = bpf_map_lookup_elem(&starts_array, &tid);
	if (slot)
		*slot = bpf_get_prandom_u32() & (sample_every - 1) ? UNTIMED : bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(random_exit, struct pt_regs *regs, long ret)
{
	return sample_exit();
}

/* The alternative: every N-th call of a CPU (a per-CPU countdown). */
SEC("tp_btf/sys_enter")
int BPF_PROG(stride_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), *slot, *left;
	__u32 tid = pid_tgid, one = 1;

	if (pid_tgid >> 32 != target_tgid)
		return 0;
	slot = bpf_map_lookup_elem(&starts_array, &tid);
	left = bpf_map_lookup_elem(&sample_state, &one);
	if (!slot || !left)
		return 0;
	if (*left) {
		*left -= 1;
		*slot = UNTIMED;
	} else {
		*left = sample_every - 1;
		*slot = bpf_ktime_get_ns();
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(stride_exit, struct pt_regs *regs, long ret)
{
	return sample_exit();
}

/*
 * Producer for tests/bench/bench_consumer.c: writes batches of SYSRAY_BATCH records, as
 * sys_exit's flush does, into a ring of its own until the ring is full or a run's batch
 * limit is reached. Run with BPF_PROG_TEST_RUN, never attached.
 */
#define BENCH_TEMPLATES	  8    /* batches userspace fills with a realistic record mix */
#define BENCH_RUN_BATCHES 4096 /* per run: a bounded loop the verifier walks quickly */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* set by bench_consumer */
} bench_ring SEC(".maps");

/* struct sysray_rec[SYSRAY_BATCH] each, as u64 words: the skeleton has no sysray.h. */
__u64 bench_recs[BENCH_TEMPLATES][SYSRAY_BATCH * sizeof(struct sysray_rec) / 8] = {};
__u64 bench_produced = 0; /* batches written by the last run */

SEC("raw_tp")
int bench_produce(void *ctx)
{
	__u64 n = 0;

	for (__u32 i = 0; i < BENCH_RUN_BATCHES; i++) {
		if (bpf_ringbuf_output(&bench_ring, bench_recs[i & (BENCH_TEMPLATES - 1)],
				       sizeof(bench_recs[0]), BPF_RB_NO_WAKEUP))
			break;
		n++;
	}
	bench_produced = n;
	return 0;
}
