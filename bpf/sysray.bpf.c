// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Per-syscall latency records and exact counters from the raw syscall tracepoints. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "sysray.h"
#include "arch.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Fixed for a run, so the verifier drops the branches a mode does not use. */
const volatile bool filter_tgid = false;  /* only tgids in the traced bitmap */
const volatile bool follow_forks = false; /* children of traced tgids become traced */
const volatile __u32 self_tgid = 0;	  /* never traced */
const volatile __u64 wakeup_bytes = 0;	  /* force a consumer wakeup past this much data */

/*
 * Start slots, indexed by tid (sized to pid_max by userspace): an array lookup is
 * inlined by the verifier, unlike a hash map, and nothing is left behind to leak.
 * One u64 per thread: VALID | abi | nr | low 48 bits of the entry time. 48 bits of
 * nanoseconds wrap after 78 hours; durations are computed modulo that.
 */
#define SLOT_VALID (1ULL << 63)
#define SLOT_ABI_SHIFT 58
#define SLOT_NR_SHIFT 48
#define SLOT_NR_MASK 0x3ffULL
#define SLOT_TS_MASK ((1ULL << 48) - 1)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1); /* set from pid_max */
} starts SEC(".maps");

/* Traced tgids as a bitmap of u64 words, indexed by tgid / 64. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1); /* set from pid_max */
} tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct sysray_counter);
	__uint(max_entries, SYSRAY_NR_SLOTS);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, SYSRAY_STAT_CNT);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* set by userspace */
} events SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		(*v)++;
}

static __always_inline bool tgid_traced(__u32 tgid)
{
	__u32 word = tgid / 64;
	__u64 *bits = bpf_map_lookup_elem(&tgids, &word);

	return bits && (*bits & (1ULL << (tgid % 64)));
}

static __always_inline bool want(__u32 tgid)
{
	if (filter_tgid)
		return tgid_traced(tgid);
	return tgid != self_tgid;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, slot_idx;
	struct sysray_counter *c;
	__u64 *slot;
	__u8 abi;

	if (!want(pid_tgid >> 32))
		return 0;
	/* A tracer may set the number to -1 to skip the call; not a syscall. */
	if ((__u64)id >= SYSRAY_MAX_NR)
		return 0;

	abi = current_abi(bpf_get_current_task_btf());
	slot_idx = SYSRAY_SLOT(abi, id);
	c = bpf_map_lookup_elem(&counters, &slot_idx);
	if (c)
		c->calls++;

	slot = bpf_map_lookup_elem(&starts, &tid);
	if (!slot) {
		stat_inc(SYSRAY_STAT_TID_RANGE);
		return 0;
	}
	*slot = SLOT_VALID | ((__u64)abi << SLOT_ABI_SHIFT) | ((__u64)id << SLOT_NR_SHIFT) |
		(bpf_ktime_get_ns() & SLOT_TS_MASK);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, slot_idx;
	struct sysray_counter *c;
	struct sysray_rec *r;
	__u64 *slot, v, now;
	__u32 nr, abi;
	bool err;

	/* Only entries of traced tasks fill a slot, so an empty slot filters the rest. */
	slot = bpf_map_lookup_elem(&starts, &tid);
	if (!slot)
		return 0;
	v = *slot;
	if (!(v & SLOT_VALID))
		return 0;
	*slot = 0;
	now = bpf_ktime_get_ns();

	nr = (v >> SLOT_NR_SHIFT) & SLOT_NR_MASK;
	abi = (v >> SLOT_ABI_SHIFT) & 1;
	err = ret < 0 && ret >= -4095;
	slot_idx = SYSRAY_SLOT(abi, nr);
	c = bpf_map_lookup_elem(&counters, &slot_idx);
	if (c) {
		c->exits++;
		c->errors += err;
	}

	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		stat_inc(SYSRAY_STAT_DROPPED);
		return 0;
	}
	r->dur_ns = (now - v) & SLOT_TS_MASK;
	r->start_ns = now - r->dur_ns;
	r->ret = ret;
	r->tgid = pid_tgid >> 32;
	r->tid = tid;
	r->nr = nr;
	r->abi = abi;
	r->flags = 0;
	r->cpu = bpf_get_smp_processor_id();
	bpf_ringbuf_submit(r, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wakeup_bytes ?
				      BPF_RB_FORCE_WAKEUP :
				      BPF_RB_NO_WAKEUP);
	return 0;
}

static __always_inline void tgid_set(__u32 tgid, bool on)
{
	__u32 word = tgid / 64;
	__u64 *bits = bpf_map_lookup_elem(&tgids, &word);

	if (!bits)
		return;
	if (on)
		__sync_fetch_and_or(bits, 1ULL << (tgid % 64));
	else
		__sync_fetch_and_and(bits, ~(1ULL << (tgid % 64)));
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 tid = child->pid;
	__u64 *slot;

	/* The child's first event is the clone's exit, with no entry of its own. */
	slot = bpf_map_lookup_elem(&starts, &tid);
	if (slot)
		*slot = 0;

	if (filter_tgid && follow_forks && child->pid == child->tgid &&
	    tgid_traced(parent->tgid)) {
		tgid_set(child->tgid, true);
		stat_inc(SYSRAY_STAT_FORKS);
	}
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 new_tid = p->pid, old_tid = old_pid;
	__u64 *from, *to;

	/* A non-leader thread that execs takes over the leader's tid mid-execve. */
	if (new_tid == old_tid)
		return 0;
	from = bpf_map_lookup_elem(&starts, &old_tid);
	to = bpf_map_lookup_elem(&starts, &new_tid);
	if (from && to) {
		*to = *from;
		*from = 0;
	}
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit, struct task_struct *p)
{
	/* Forget a traced tgid once its last thread is gone, before the pid can be reused. */
	if (filter_tgid && p->signal->live.counter == 0)
		tgid_set(p->tgid, false);
	return 0;
}
