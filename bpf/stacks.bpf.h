/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stacks: the stacks of slow and failing calls, captured at sys_exit for the calls that
 * qualify (include/sysray_stacks.h) and written to their own ring, so the records and the
 * cost of runs without --stacks stay as they are: every branch here hangs on stack_cfg,
 * read-only data the verifier folds, and the programs below load only when asked for.
 *
 * Included by sysray.bpf.c after its maps and helpers (starts); called from two places in
 * sys_exit: stack_note_mmap() for every traced call, stacks_capture() at the end.
 */
#ifndef SYSRAY_STACKS_BPF_H
#define SYSRAY_STACKS_BPF_H

#include "sysray_stacks.h"

/* Errnos the stack helpers return (vmlinux.h has no macros). */
#define SYSRAY_ENOENT 2
#define SYSRAY_ENOMEM 12
#define SYSRAY_EEXIST 17

const volatile struct sysray_stack_cfg stack_cfg = {};
/* Force a consumer wakeup once the stack ring holds more than this. */
const volatile __u64 stack_wakeup_bytes = 0;

/* Frame-pointer user stacks, deduplicated by the kernel: equal stacks share one id. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, SYSRAY_STACK_DEPTH * sizeof(__u64));
	__uint(max_entries, 1); /* set by userspace with --stacks */
} ustacks SEC(".maps");

/* Kernel stacks where traced calls waited (--kernel-stacks). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, SYSRAY_STACK_DEPTH * sizeof(__u64));
	__uint(max_entries, 1); /* set by userspace with --kernel-stacks */
} kstacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* set by userspace with --stacks */
} stack_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct sysray_stack_cpu);
	__uint(max_entries, 1);
} stack_cpus SEC(".maps");

/*
 * The process images announced to userspace, so it reads each one's maps once, and again
 * after the process maps more code (a library) and makes a captured call.
 */
struct stack_proc {
	__u32 exec_id;
	__u32 maps_gen;	 /* bumped by every mmap of executable code */
	__u32 announced; /* the maps_gen userspace was last told about */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32); /* tgid */
	__type(value, struct stack_proc);
	__uint(max_entries, 4096);
} stack_procs SEC(".maps");

/*
 * --kernel-stacks: per task, the kernel stack of the longest wait of its current call. At
 * sys_exit the kernel stack is only the exit path; where a slow call spent its time is
 * where it went off CPU, which the sched_switch hook sees.
 */
struct kwait {
	__u64 call;    /* the start slot of the call the waits belong to */
	__u64 out_ns;  /* when the task last went off CPU in it; 0 while on CPU */
	__u64 best_ns; /* the longest wait so far */
	__s32 pending; /* the stack of the wait in progress */
	__s32 best;    /* the stack of the longest wait */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct kwait);
} kwaits SEC(".maps");

static __always_inline void stack_count(struct sysray_stack_cpu *sc, int id, __s32 err, int base)
{
	if (id >= 0)
		return;
	if (err == -SYSRAY_EEXIST)
		sc->stats[base]++;
	else if (err == -SYSRAY_ENOMEM)
		sc->stats[base + 1]++;
	else
		sc->stats[base + 2]++;
}

/* Whether a call gets a stack: its duration and result against stack_cfg. */
static __always_inline bool stack_wanted(long ret, __u64 dur)
{
	if (stack_cfg.min_ns)
		return dur >= stack_cfg.min_ns;
	if (sysray_is_error(ret) || dur >= stack_cfg.period_ns)
		return true;
	/* Probability dur / period: a uniform draw in [0, period) below dur. */
	return (((__u64)bpf_get_prandom_u32() * stack_cfg.period_ns) >> 32) < dur;
}

/* The per-CPU budget of stacks a second; false when it is spent. */
static __always_inline bool stack_budget(struct sysray_stack_cpu *sc, __u64 now)
{
	sc->stats[SYSRAY_STACK_QUALIFIED]++;
	if (now - sc->window_ns >= 1000000000ULL) {
		sc->window_ns = now;
		sc->used = 0;
	}
	if (sc->used >= stack_cfg.max_per_sec) {
		sc->stats[SYSRAY_STACK_THROTTLED]++;
		return false;
	}
	sc->used++;
	return true;
}

/* bpf_find_vma's callback: the end of the mapping that holds the stack pointer. */
static long vma_end(struct task_struct *task, struct vm_area_struct *vma, void *end)
{
	*(__u64 *)end = vma->vm_end;
	return 0;
}

/*
 * Copy the user stack from sp, up to the end of its mapping (reading past it would fault,
 * which costs microseconds): a first piece up to sp's next 512-byte boundary, then 512-byte
 * blocks. Without the mapping's end, blocks stop at the first unmapped page (they never
 * straddle one), with everything below it kept.
 */
static __always_inline __u32 stack_copy(__u8 *dst, __u64 sp)
{
	__u32 first = 512 - (sp & 511), done, off, len;
	__u64 end = 0, avail = ~0ULL;

	bpf_find_vma(bpf_get_current_task_btf(), sp, vma_end, &end, 0);
	if (end > sp)
		avail = end - sp;
	if (first > avail)
		first = avail;
	if (!first || first > 512 || bpf_probe_read_user(dst, first, (void *)sp))
		return 0;
	done = first;
	for (__u32 i = 1; i < SYSRAY_STACK_COPY_MAX / 512; i++) {
		off = first + (i - 1) * 512;
		/* Checked as computed: the verifier must see off's bound on this very register. */
		asm volatile("" : "+r"(off));
		if (off > stack_cfg.copy_bytes - 512 || off >= avail)
			break;
		len = avail - off < 512 ? avail - off : 512;
		if (!len || len > 512 || bpf_probe_read_user(dst + off, len, (void *)(sp + off)))
			break;
		done = off + len;
		if (len < 512)
			break;
	}
	return done;
}

/*
 * The first event of a process image, and the first after it mapped more code, is flagged
 * and wakes the consumer to read its maps while the process still runs.
 */
static __always_inline bool stack_first_sight(__u32 tgid, __u32 exec_id)
{
	struct stack_proc *p = bpf_map_lookup_elem(&stack_procs, &tgid), fresh = {};

	if (p && p->exec_id == exec_id) {
		if (p->announced == p->maps_gen)
			return false;
		p->announced = p->maps_gen;
		return true;
	}
	fresh.exec_id = exec_id;
	bpf_map_update_elem(&stack_procs, &tgid, &fresh, BPF_ANY);
	return true;
}

/*
 * A traced process mapped executable code: its maps are to be read again. Without
 * --stacks (stack_cfg.mode 0, read-only data) the verifier drops all of it.
 */
static __always_inline void stack_note_mmap(struct pt_regs *regs, long ret, __u64 v)
{
	__u32 abi = (v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK;
	__u32 nr = (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK;
	__u32 tgid = current_ids(bpf_get_current_pid_tgid()) >> 32;
	struct stack_proc *p;

	if (!stack_cfg.mode || !stack_maps_changed(regs, abi, nr, ret))
		return;
	p = bpf_map_lookup_elem(&stack_procs, &tgid);
	if (p)
		__sync_fetch_and_add(&p->maps_gen, 1);
}

static __always_inline __s32 kwait_stack(__u64 call)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct kwait *w = bpf_task_storage_get(&kwaits, task, 0, 0);

	return w && w->call == call ? w->best : -SYSRAY_ENOENT;
}

static __always_inline void stack_fill(struct sysray_stack_event *e, struct sysray_stack_cpu *sc,
				       struct pt_regs *regs, __u64 v)
{
	struct task_struct *task = bpf_get_current_task_btf();

	e->kstack_id = stack_cfg.kernel ? kwait_stack(v) : -SYSRAY_ENOENT;
	if (e->kstack_id != -SYSRAY_ENOENT)
		stack_count(sc, e->kstack_id, e->kstack_id, SYSRAY_STACK_KSTACK_COLLIDED);
	e->exec_id = task->self_exec_id;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	stack_user_regs(regs, e->regs);
	/* A child that has not exec'd maps what its parent did: a fallback for its maps. */
	e->fork_parent =
	    task->self_exec_id == task->parent_exec_id ? task_tgid(task->real_parent) : 0;
	if (e->stack_len < stack_cfg.copy_bytes - 511) {
		e->flags |= SYSRAY_STACK_F_SHORT;
		sc->stats[SYSRAY_STACK_COPY_SHORT]++;
	}
}

/*
 * The event, reserved in the ring with the user stack copied: in frame-pointer mode with
 * the walk's stack id, or, when the stack map cannot hold the walk (its bucket holds
 * another stack, or it is full), with the walk itself in the event: deduplicated in the
 * kernel when it can be, never lost for it.
 */
static __always_inline struct sysray_stack_event *stack_reserve(void *ctx, struct pt_regs *regs,
								 struct sysray_stack_cpu *sc,
								 __u64 *size)
{
	__s32 id = -SYSRAY_ENOENT;
	struct sysray_stack_event *e;
	long n;

	if (stack_cfg.mode == SYSRAY_STACKS_FP) {
		id = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
		stack_count(sc, id, id, SYSRAY_STACK_USTACK_COLLIDED);
	}
	if (id == -SYSRAY_EEXIST || id == -SYSRAY_ENOMEM) {
		*size = sizeof(*e) + SYSRAY_STACK_IPS_BYTES + stack_cfg.copy_bytes;
		e = bpf_ringbuf_reserve(&stack_events, *size, 0);
		if (!e)
			return NULL;
		n = bpf_get_stack(ctx, e->stack, SYSRAY_STACK_IPS_BYTES, BPF_F_USER_STACK);
		e->nips = n > 0 ? (__u64)n >> 3 : 0;
		e->ips_bytes = SYSRAY_STACK_IPS_BYTES;
		e->stack_len = stack_copy(e->stack + SYSRAY_STACK_IPS_BYTES, stack_user_sp(regs));
	} else {
		*size = sizeof(*e) + stack_cfg.copy_bytes;
		e = bpf_ringbuf_reserve(&stack_events, *size, 0);
		if (!e)
			return NULL;
		e->nips = 0;
		e->ips_bytes = 0;
		e->stack_len = stack_copy(e->stack, stack_user_sp(regs));
	}
	e->ustack_id = id;
	return e;
}

/*
 * The exit of a call whose record was just staged: v is its start slot, now its end.
 * Without --stacks (stack_cfg.mode 0) the verifier drops all of it.
 */
static __always_inline void stacks_capture(void *ctx, struct pt_regs *regs, long ret, __u64 v,
					   __u64 now)
{
	__u64 dur = (now - v) & SYSRAY_SLOT_TS_MASK, pid_tgid, flags = BPF_RB_NO_WAKEUP;
	struct sysray_stack_event *e;
	struct sysray_stack_cpu *sc;
	__u64 avail, size;
	__u32 zero = 0;

	if (!stack_cfg.mode || !stack_wanted(ret, dur))
		return;
	sc = bpf_map_lookup_elem(&stack_cpus, &zero);
	if (!sc || !stack_budget(sc, now))
		return;
	e = stack_reserve(ctx, regs, sc, &size);
	if (!e) {
		sc->stats[SYSRAY_STACK_LOST_RING]++;
		return;
	}
	/* The ids sysray sees (its pid namespace's), as its records carry them. */
	pid_tgid = current_ids(bpf_get_current_pid_tgid());
	e->dur_ns = dur;
	e->ret = ret;
	e->tgid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->nr = (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK;
	e->abi = (v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK;
	e->flags = 0;
	stack_fill(e, sc, regs, v);
	if (stack_first_sight(e->tgid, e->exec_id)) {
		e->flags |= SYSRAY_STACK_F_FIRST;
		flags = BPF_RB_FORCE_WAKEUP;
	}
	/*
	 * Otherwise the consumer drains on its timer, and is woken once when the ring fills
	 * past the threshold (size: the record with its 8-byte header, rounded up): a wakeup
	 * per event would cost an interrupt each.
	 */
	size = (size + 8 + 7) & ~7ULL;
	avail = bpf_ringbuf_query(&stack_events, BPF_RB_AVAIL_DATA);
	if (avail > stack_wakeup_bytes && avail - size <= stack_wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	sc->stats[SYSRAY_STACK_CAPTURED]++;
	bpf_ringbuf_submit(e, flags);
}

/* In a call: the task's start slot holds it (VALID). */
static __always_inline __u64 in_call(struct task_struct *p)
{
	__u32 tid = p->pid;
	__u64 *slot = bpf_map_lookup_elem(&starts, &tid);

	return slot && (*slot & SYSRAY_SLOT_VALID) ? *slot : 0;
}

/*
 * --kernel-stacks: a traced task that blocks inside a call leaves the kernel stack of that
 * wait; when it runs again, the wait's length decides whether it is the call's longest.
 * Loaded only with --kernel-stacks.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(stacks_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 now = bpf_ktime_get_ns(), call;
	struct kwait *w;

	if (!preempt && prev_state && (call = in_call(prev))) {
		w = bpf_task_storage_get(&kwaits, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (w) {
			if (w->call != call) {
				w->call = call;
				w->best_ns = 0;
				w->best = -SYSRAY_ENOENT;
			}
			w->pending = bpf_get_stackid(ctx, &kstacks, 0);
			w->out_ns = now;
		}
	}
	w = bpf_task_storage_get(&kwaits, next, 0, 0);
	if (w && w->out_ns) {
		if (in_call(next) == w->call && now - w->out_ns > w->best_ns) {
			w->best_ns = now - w->out_ns;
			w->best = w->pending;
		}
		w->out_ns = 0;
	}
	return 0;
}

#endif /* SYSRAY_STACKS_BPF_H */
