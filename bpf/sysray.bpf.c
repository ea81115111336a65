// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Per-syscall latency records from the raw syscall tracepoints, batched per CPU. */
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
const volatile __u64 flush_age_ns = 0;	  /* flush a stage whose oldest record is older */
/* --metrics-by cgroup: records carry the cgroup id instead of the CPU (a helper call). */
const volatile bool record_cgroup = false;
/* --sample N (N > 1): time a call when a random u32 is below sample_below (2^32 / N). */
const volatile __u32 sample_every = 0;
const volatile __u32 sample_below = 0;
/*
 * sysray's pid namespace (docs/design.md, "Pid namespaces"): at level 0 the kernel's ids are
 * sysray's; deeper, every id sysray sees or reports is translated into that namespace, and a
 * task without an id there is not visible to it.
 */
const volatile __u32 pidns_level = 0;
const volatile __u64 pidns_ptr = 0; /* its struct pid_namespace, from bpf/pidns.bpf.c */

/* Scope filters (docs/filters.md); each is compiled out when its count is zero. */
const volatile struct sysray_scope scope = {};

#define barrier() asm volatile("" ::: "memory")

/*
 * Start slots indexed by tid, sized to pid_max: an array lookup is inlined by the
 * verifier (a hash map's is not, and a hash map never cleaned leaks), and userspace
 * maps it to find the calls still blocked when tracing stops.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1); /* set from pid_max */
} starts SEC(".maps");

/* Traced tgids as a bitmap of u64 words, indexed by tgid / 64; userspace maps it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1); /* set from pid_max */
} tgids SEC(".maps");

/* --cgroup: tasks in any of these cgroups or their descendants. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1); /* set from the number of cgroups */
} cgroups SEC(".maps");

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

/* --sample: calls counted but not timed; 1 entry (never used) without sampling. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct sysray_tally);
	__uint(max_entries, 1); /* SYSRAY_NR_SLOTS with --sample */
} tallies SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct sysray_stage);
	__uint(max_entries, 1);
} stages SEC(".maps");

/*
 * Names of tasks that were forked, exec'd or exited while traced, for reports that
 * name processes: their records arrive after they may have gone from /proc.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, char[16]);
	__uint(max_entries, 16384);
} task_comms SEC(".maps");

/*
 * One ring per CPU, so CPUs never contend on a ring's producer lock or bounce its
 * producer position (with --ring-layout shared every slot holds the same ring).
 * Userspace sizes the inner template and fills the slots before attaching.
 */
struct ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* set by userspace */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 1); /* set to the number of possible CPUs */
	__array(values, struct ring);
} rings SEC(".maps");

static __always_inline void stat_add(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += n;
}

/* The lookup checks the index: a stray abi or nr finds no counter, never another's. */
static __always_inline struct sysray_counter *counter(__u32 abi, __u32 nr)
{
	__u32 idx = SYSRAY_SLOT(abi, nr);

	return bpf_map_lookup_elem(&counters, &idx);
}

#include "ids.bpf.h"

static __always_inline bool tgid_traced(__u32 tgid)
{
	__u32 word = tgid / 64;
	__u64 *bits = bpf_map_lookup_elem(&tgids, &word);

	return bits && (*bits & (1ULL << (tgid % 64)));
}

/* tgid as sysray sees it: 0 for a task outside its pid namespace. */
static __always_inline bool want(__u32 tgid)
{
	if (pidns_level && !tgid)
		return false;
	return filter_tgid ? tgid_traced(tgid) : tgid != self_tgid;
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

/* Every scope filter but the tgid set, cheapest first; all compiled out when unused. */
static __always_inline bool scope_wanted(__u32 tid, __u32 abi, __u32 nr)
{
	__u32 i;

	/*
	 * The compiler knows abi and nr are in range and would drop the check below; older
	 * verifiers (6.1) lose that range through a stack spill, so keep the check in.
	 */
	barrier_var(abi);
	barrier_var(nr);
	if (scope.filter_syscalls && (abi >= SYSRAY_ABI_CNT || nr >= SYSRAY_MAX_NR ||
				      !(scope.syscall_bits[abi][nr / 64] & (1ULL << (nr % 64)))))
		return false;
	if (scope.nr_tids) {
		for (i = 0; i < SYSRAY_FILTER_MAX && i < scope.nr_tids; i++)
			if (scope.tids[i] == tid)
				break;
		if (i == scope.nr_tids)
			return false;
	}
	if (scope.nr_uids) {
		__u32 uid = bpf_get_current_uid_gid();

		for (i = 0; i < SYSRAY_FILTER_MAX && i < scope.nr_uids; i++)
			if (scope.uids[i] == uid)
				break;
		if (i == scope.nr_uids)
			return false;
	}
	if (scope.nr_comms) {
		__u64 comm[2] = {};

		bpf_get_current_comm(comm, sizeof(comm));
		for (i = 0; i < SYSRAY_FILTER_MAX && i < scope.nr_comms; i++)
			if (scope.comms[i][0] == comm[0] && scope.comms[i][1] == comm[1])
				break;
		if (i == scope.nr_comms)
			return false;
	}
	if (scope.nr_cgroups) {
		for (i = 0; i < SYSRAY_FILTER_MAX && i < scope.nr_cgroups; i++)
			if (bpf_current_task_under_cgroup(&cgroups, i) == 1)
				break;
		if (i == scope.nr_cgroups)
			return false;
	}
	return true;
}

/*
 * A call made by a thread that is being killed (SIGKILL, a fatal signal, another thread's
 * exit_group or execve, a core dump) never returns to userspace, whatever it was about to
 * return: -ERESTART*, but also -EINTR (epoll_wait, accept with a timeout, rt_sigtimedwait)
 * or a result. The kernel queues SIGKILL to every such thread, and a pending SIGKILL is
 * what makes ptrace_stop() skip the syscall-exit stop, so strace does not count these calls
 * either; SIGNAL_GROUP_EXIT is checked too, in case SIGKILL is ever not queued. They are
 * unfinished.
 */
static __always_inline bool killed_in_call(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return (task->pending.signal.sig[0] & SYSRAY_SIGKILL_BIT) ||
	       (task->signal->flags & SYSRAY_SIGNAL_GROUP_EXIT);
}

/* -Z, -z and --errno can only be decided when the call returns. */
static __always_inline bool result_wanted(long ret)
{
	bool err = sysray_is_error(ret);

	if (scope.result == SYSRAY_RESULT_FAILED && !err)
		return false;
	if (scope.result == SYSRAY_RESULT_OK && err)
		return false;
	if (scope.filter_errnos) {
		__u64 e = -ret;

		return err && (scope.errno_bits[(e / 64) & (SYSRAY_ERRNO_CNT / 64 - 1)] &
			       (1ULL << (e % 64)));
	}
	return true;
}

static __always_inline void remember_comm(struct task_struct *p)
{
	__u32 tid = task_tid(p);
	char comm[16];

	bpf_probe_read_kernel(comm, sizeof(comm), p->comm);
	bpf_map_update_elem(&task_comms, &tid, comm, BPF_ANY);
}

/* A slot about to be overwritten still holds a call that never returned: count it. */
static __always_inline void retire_slot(__u64 v)
{
	struct sysray_counter *c;

	if (!(v & SYSRAY_SLOT_VALID))
		return;
	c = counter((v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK,
		    (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK);
	if (c)
		c->unfinished++;
}

/*
 * --sample: whether this call goes untimed. Each call is chosen independently (a Bernoulli
 * sample, docs/design.md "Sampling"): no per-thread or per-CPU state to keep, and no
 * aliasing with a workload whose calls repeat with a period that a stride would share.
 */
static __always_inline bool sampled_out(void)
{
	return sample_every > 1 && bpf_get_prandom_u32() >= sample_below;
}

/* A completed call that --sample did not time: counted, so calls and errors stay exact. */
static __always_inline void count_untimed(__u32 abi, __u32 nr, long ret)
{
	__u32 idx = SYSRAY_SLOT(abi, nr);
	struct sysray_tally *t;

	if (!result_wanted(ret))
		return;
	t = bpf_map_lookup_elem(&tallies, &idx);
	if (t) {
		t->calls++;
		t->errors += sysray_is_error(ret);
	}
}

/* Write n staged records to the ring; if it is full, keep their calls in the counters. */
static __always_inline void flush(struct sysray_stage *st, __u32 n)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 flags = BPF_RB_NO_WAKEUP;
	void *ring;

	if (n == 0 || n > SYSRAY_BATCH)
		return;
	ring = bpf_map_lookup_elem(&rings, &cpu);
	if (ring) {
		if (bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) > wakeup_bytes)
			flags = BPF_RB_FORCE_WAKEUP;
		if (!bpf_ringbuf_output(ring, st->recs, n * sizeof(struct sysray_rec), flags)) {
			stat_add(SYSRAY_STAT_FLUSHES, 1);
			return;
		}
	}
	for (__u32 i = 0; i < SYSRAY_BATCH && i < n; i++) {
		struct sysray_rec *r = &st->recs[i];
		struct sysray_counter *c = counter(r->abi, r->nr);

		if (c) {
			c->dropped++;
			c->dropped_errors += sysray_is_error(r->ret);
		}
	}
	stat_add(SYSRAY_STAT_DROPPED, n);
}

#include "stacks.bpf.h" /* --stacks: stack_note_mmap() and stacks_capture() for do_exit */
/* A syscall's entry, from the tracepoint or from a trampoline (bpf/trampoline.bpf.h). */
static __always_inline int do_enter(struct pt_regs *regs, long id)
{
	/* Only a child namespace needs the task before deciding (host: one helper call). */
	struct task_struct *task = pidns_level ? bpf_get_current_task_btf() : NULL;
	__u64 kid = current_kid(task);
	__u32 tid = (__u32)kid, abi, nr;
	__u64 *slot, v;

	if (!want(task ? task_tgid(task) : kid >> 32))
		return 0;
	if (!syscall_decode(regs, id, &abi, &nr))
		return 0;
	/* Decided here, so a filtered-out call leaves no slot and its exit costs nothing. */
	if (!scope_wanted(filter_tid(kid), abi, nr))
		return 0;
	slot = bpf_map_lookup_elem(&starts, &tid);
	if (!slot) {
		struct sysray_counter *c = counter(abi, nr);

		if (c)
			c->untimed++;
		stat_add(SYSRAY_STAT_TID_RANGE, 1);
		return 0;
	}
	v = SYSRAY_SLOT_VALID | ((__u64)abi << SYSRAY_SLOT_ABI_SHIFT) |
	    ((__u64)nr << SYSRAY_SLOT_NR_SHIFT);
	/* --sample: a call not chosen reads no clock; its exit only counts it. */
	*slot = sampled_out() ? v | SYSRAY_SLOT_UNTIMED
			      : v | (bpf_ktime_get_ns() & SYSRAY_SLOT_TS_MASK);
	return 0;
}

/* A syscall's exit, from the tracepoint or a trampoline; ctx: the program's, for --stacks. */
static __always_inline int do_exit(void *ctx, struct pt_regs *regs, long ret)
{
	__u64 kid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)kid, zero = 0, n;
	struct sysray_stage *st;
	struct sysray_rec *r;
	__u64 *slot, v, now;
	__u32 abi, nr;

	/* Only traced tasks mark their slot, so an empty slot filters the rest. */
	slot = bpf_map_lookup_elem(&starts, &tid);
	if (!slot)
		return 0;
	v = *slot;
	if (!(v & SYSRAY_SLOT_VALID)) {
		if (!v)
			return 0;
		*slot = SYSRAY_SLOT_SEEN;
		if (v & SYSRAY_SLOT_FORKED)
			return 0;
		/* An exit with no entry: seccomp refused the call before sys_enter. */
		if (!syscall_decode(regs, syscall_nr_of_regs(regs), &abi, &nr) ||
		    !scope_wanted(filter_tid(kid), abi, nr))
			return 0;
		/* From here on as if it had entered just now. */
		v = SYSRAY_SLOT_VALID | ((__u64)abi << SYSRAY_SLOT_ABI_SHIFT) |
		    ((__u64)nr << SYSRAY_SLOT_NR_SHIFT);
		v |= sampled_out() ? SYSRAY_SLOT_UNTIMED : bpf_ktime_get_ns() & SYSRAY_SLOT_TS_MASK;
	} else {
		*slot = SYSRAY_SLOT_SEEN;
	}
	if (killed_in_call()) {
		retire_slot(v);
		return 0;
	}
	if (sample_every > 1 && (v & SYSRAY_SLOT_UNTIMED)) {
		count_untimed((v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK,
			      (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK, ret);
		return 0;
	}
	now = bpf_ktime_get_ns();
	stack_note_mmap(regs, ret, v); /* --stacks: a library was mapped (bpf/stacks.bpf.h) */
	if (!result_wanted(ret))
		return 0;
	st = bpf_map_lookup_elem(&stages, &zero);
	if (!st)
		return 0;

	/* busy before reading n: a kick that lands after this leaves the stage alone. */
	st->busy = 1;
	barrier();
	n = st->n;
	if (n >= SYSRAY_BATCH)
		n = 0;
	r = &st->recs[n];
	r->dur_ns = (now - v) & SYSRAY_SLOT_TS_MASK;
	r->start_ns = now - r->dur_ns;
	r->ret = ret;
	kid = current_ids(kid);
	r->tgid = kid >> 32;
	r->tid = (__u32)kid;
	r->nr = (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK;
	r->abi = (v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK;
	r->flags = 0;
	if (record_cgroup)
		r->cgroup_lo = (__u32)bpf_get_current_cgroup_id();
	else
		r->cpu = bpf_get_smp_processor_id();
	if (n++ == 0)
		st->first_ns = now;
	if (n == SYSRAY_BATCH || now - st->first_ns >= flush_age_ns) {
		flush(st, n);
		n = 0;
	}
	st->n = n;
	barrier();
	st->busy = 0;
	stacks_capture(ctx, regs, ret, v, now); /* --stacks (bpf/stacks.bpf.h) */
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	return do_enter(regs, id);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	return do_exit(ctx, regs, ret);
}

/* fentry/fexit on the selected syscalls' own functions instead, for a small -e trace= set. */
#include "trampoline.bpf.h"

/* Run by userspace on an idle CPU (BPF_PROG_TEST_RUN on that CPU) to push out its stage. */
SEC("raw_tp")
int kick(void *ctx)
{
	__u32 zero = 0;
	struct sysray_stage *st = bpf_map_lookup_elem(&stages, &zero);

	if (!st || st->busy || !st->n)
		return 0;
	flush(st, st->n);
	st->n = 0;
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 tid = child->pid, tgid = task_tgid(child);
	bool wanted;
	__u64 *slot;

	if (filter_tgid && follow_forks && child->pid == child->tgid &&
	    tgid_traced(task_tgid(parent))) {
		tgid_set(tgid, true);
		stat_add(SYSRAY_STAT_FORKS, 1);
	}
	wanted = want(tgid);
	/* The child's first event is the clone's exit, with no entry of its own. */
	slot = bpf_map_lookup_elem(&starts, &tid);
	if (slot) {
		retire_slot(*slot);
		*slot = wanted ? SYSRAY_SLOT_FORKED : 0;
	}
	if (wanted)
		remember_comm(child);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 new_tid = p->pid, old_tid = old_pid;
	__u64 *from, *to;

	if (want(task_tgid(p)))
		remember_comm(p);
	/* A non-leader thread that execs takes over the leader's tid mid-execve. */
	if (new_tid == old_tid)
		return 0;
	from = bpf_map_lookup_elem(&starts, &old_tid);
	to = bpf_map_lookup_elem(&starts, &new_tid);
	if (from && to) {
		retire_slot(*to);
		*to = *from;
		*from = 0;
	}
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit, struct task_struct *p)
{
	__u32 tgid = task_tgid(p);

	if (!want(tgid))
		return 0;
	remember_comm(p);
	/* Forget a traced tgid once its last thread is gone, before the pid can be reused. */
	if (filter_tgid && p->signal->live.counter == 0)
		tgid_set(tgid, false);
	return 0;
}

/*
 * --events (docs/events.md): programs of their own on the same tracepoints, loaded only
 * with --events, so the programs above are the same instructions with or without it.
 */
#include "events.bpf.h"
