/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Per-call events (--events, docs/events.md), included at the end of sysray.bpf.c: three
 * programs of their own, on sys_enter, sys_exit and sched_process_exit, loaded only with
 * --events; without it the verifier never sees them and the summary's programs are the
 * same instructions as before events existed.
 *
 * They read the summary's start slot (bpf/sysray.bpf.c) to know which calls are traced:
 * events_sys_enter runs after sys_enter has written it, events_sys_exit before sys_exit
 * retires it (the tracer attaches them in that order: a tracepoint calls its programs in
 * the order they were attached). At entry the six arguments go to task storage, and the
 * path strings (up to -s bytes) to the thread's entry of a hash map. At exit a call that
 * passes -Z/-z/--errno and --min-duration becomes one event in the event ring; the others
 * only mark their arguments used. A call that never returns (exit_group, a thread killed
 * inside a call) becomes an unfinished event when its thread ends.
 */
#ifndef SYSRAY_EVENTS_BPF_H
#define SYSRAY_EVENTS_BPF_H

#include "sysray_events.h"
#include "args.bpf.h"

const volatile bool ev_fds = false;	/* -y: identify the files behind fd arguments */
const volatile __u64 ev_min_dur_ns = 0; /* --min-duration */
const volatile __u32 ev_str_size = SYSRAY_EV_STR_DEFAULT; /* -s */
const volatile __u32 ev_str_slot = SYSRAY_EV_STR_SLOT(SYSRAY_EV_STR_DEFAULT);
/* SYSRAY_EV_SPEC_* of every (abi, nr), from userspace's argument table. */
const volatile __u16 ev_spec[SYSRAY_ABI_CNT][SYSRAY_MAX_NR] = {};

/* The arguments of the call a thread is in; freed with the task. */
struct ev_args {
	__u64 slot; /* the start slot at entry: which call these are; 0 once it returned */
	__u64 args[6];
	struct sysray_ev_file files[SYSRAY_EV_NFD];
	__u16 spec;
	__u8 strs;     /* this call's strings are in ev_strs */
	__u8 had_strs; /* the thread has an ev_strs entry, deleted when it ends */
	__u8 pad[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ev_args);
} ev_args SEC(".maps");

/* The path strings of a thread's current call, by tid: two slots of ev_str_slot bytes. */
struct ev_strs {
	__u64 slot; /* the call they belong to, as in ev_args */
	__u16 len[SYSRAY_EV_NSTR];
	__u8 state[SYSRAY_EV_NSTR];
	__u8 pad[2];
	char s[];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct ev_strs) + SYSRAY_EV_NSTR * SYSRAY_EV_STR_SLOT_MAX);
	__uint(max_entries, 1); /* set from pid_max, the value size from -s */
} ev_strs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* set by userspace */
} ev_ring SEC(".maps");

/* An event is built here before it is written: the header, then the strings. */
struct ev_scratch {
	struct sysray_event ev;
	char strs[SYSRAY_EV_NSTR * SYSRAY_EV_STR_SLOT_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct ev_scratch)); /* 8 without --events */
	__uint(max_entries, 1);
} ev_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, SYSRAY_EV_STAT_CNT);
} ev_stats SEC(".maps");

static __always_inline void ev_stat(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&ev_stats, &idx);

	if (v)
		*v += 1;
}

static __always_inline __u16 ev_spec_of(__u32 abi, __u32 nr)
{
	if (abi >= SYSRAY_ABI_CNT || nr >= SYSRAY_MAX_NR)
		return 0;
	return ev_spec[abi][nr];
}

/* The argument index (0..5) held in 3 bits of spec at shift, or -1. */
static __always_inline int ev_arg_at(__u16 spec, int shift)
{
	int a = ((spec >> shift) & SYSRAY_EV_SPEC_STR_MASK) - 1;

	return a >= 0 && a < 6 ? a : -1;
}

/* String i of a call into its slot: -s bytes and one more, to tell a longer string. */
static __always_inline void ev_read_str(struct ev_strs *s, int i, __u64 uptr)
{
	char *dst = s->s + (i ? ev_str_slot : 0);
	long n = bpf_probe_read_user_str(dst, ev_str_size + 2, (const void *)uptr);

	if (n <= 0) {
		s->state[i] = SYSRAY_EV_STR_FAULT;
		s->len[i] = 0;
	} else if (n - 1 > ev_str_size) {
		s->state[i] = SYSRAY_EV_STR_TRUNCATED;
		s->len[i] = ev_str_size;
	} else {
		s->state[i] = SYSRAY_EV_STR_OK;
		s->len[i] = n - 1;
	}
}

/* The path strings of a call at entry, into the thread's ev_strs entry; 1 if read. */
static __always_inline __u8 ev_capture_strs(__u16 spec, const __u64 *args, __u64 slot)
{
	int a0 = ev_arg_at(spec, SYSRAY_EV_SPEC_STR0_SHIFT);
	int a1 = ev_arg_at(spec, SYSRAY_EV_SPEC_STR1_SHIFT);
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct ev_strs *s;
	void *any;

	if (a0 < 0)
		return 0;
	s = bpf_map_lookup_elem(&ev_strs, &tid);
	if (!s) {
		/* Created from whatever the scratch holds: every field is written below. */
		any = bpf_map_lookup_elem(&ev_scratch, &zero);
		if (!any || bpf_map_update_elem(&ev_strs, &tid, any, BPF_NOEXIST))
			return 0;
		s = bpf_map_lookup_elem(&ev_strs, &tid);
		if (!s)
			return 0;
	}
	s->slot = slot;
	ev_read_str(s, 0, args[a0]);
	if (a1 >= 0) {
		ev_read_str(s, 1, args[a1]);
	} else {
		s->state[1] = SYSRAY_EV_STR_NONE;
		s->len[1] = 0;
	}
	return 1;
}

/* -y: the file behind descriptor fd of the current task (AT_FDCWD: the working directory). */
static __always_inline void ev_file(struct sysray_ev_file *f, int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file **fds, *file = NULL;
	struct dentry *dentry;
	struct fdtable *fdt;
	struct inode *inode;

	f->valid = 0;
	if (fd == SYSRAY_EV_AT_FDCWD) {
		dentry = BPF_CORE_READ(task, fs, pwd.dentry);
	} else {
		if (fd < 0)
			return;
		fdt = BPF_CORE_READ(task, files, fdt);
		if (!fdt || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
			return;
		fds = BPF_CORE_READ(fdt, fd);
		if (bpf_probe_read_kernel(&file, sizeof(file), fds + fd) || !file)
			return;
		dentry = BPF_CORE_READ(file, f_path.dentry);
	}
	/* The dentry's inode, as stat(2) of /proc/PID/fd/FD reports it (overlayfs too). */
	inode = dentry ? BPF_CORE_READ(dentry, d_inode) : NULL;
	if (!inode)
		return;
	f->ino = BPF_CORE_READ(inode, i_ino);
	f->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	f->magic = BPF_CORE_READ(inode, i_sb, s_magic);
	f->mode = BPF_CORE_READ(inode, i_mode);
	if (bpf_probe_read_kernel_str(f->name, sizeof(f->name),
				      BPF_CORE_READ(dentry, d_name.name)) < 0)
		f->name[0] = 0;
	f->valid = 1;
}

/* The fd argument at shift in spec, identified into f (-y); f invalid when there is none. */
static __always_inline void ev_arg_file(struct sysray_ev_file *f, __u16 spec, int shift,
					const __u64 *args)
{
	int a = ev_arg_at(spec, shift);

	if (a >= 0)
		ev_file(f, (int)args[a]);
	else
		f->valid = 0;
}

/* A traced call has entered and its start slot holds slot. */
static __always_inline void events_enter(struct pt_regs *regs, __u32 abi, __u32 nr, __u64 slot)
{
	struct ev_args *a;
	__u16 spec;

	a = bpf_task_storage_get(&ev_args, bpf_get_current_task_btf(), NULL,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!a) {
		ev_stat(SYSRAY_EV_STAT_NO_STORAGE);
		return;
	}
	a->slot = slot;
	syscall_args(regs, abi, a->args);
	spec = ev_spec_of(abi, nr);
	a->spec = spec;
	a->strs = ev_capture_strs(spec, a->args, slot);
	a->had_strs |= a->strs;
	if (ev_fds) {
		ev_arg_file(&a->files[0], spec, SYSRAY_EV_SPEC_FD0_SHIFT, a->args);
		ev_arg_file(&a->files[1], spec, SYSRAY_EV_SPEC_FD1_SHIFT, a->args);
	}
}

/*
 * String i after the header at off: as read at entry, or read again now if that faulted
 * (the kernel has since brought the page in) unless a successful exec replaced the memory.
 */
static __always_inline __u32 ev_put_str(struct ev_scratch *sc, struct ev_strs *s,
					const struct ev_args *a, int i, long ret, __u32 off)
{
	int arg = ev_arg_at(a->spec, i ? SYSRAY_EV_SPEC_STR1_SHIFT : SYSRAY_EV_SPEC_STR0_SHIFT);
	__u32 len;

	if (arg < 0)
		return off;
	if (s->state[i] == SYSRAY_EV_STR_FAULT && a->args[arg] &&
	    !((a->spec & SYSRAY_EV_SPEC_EXEC) && ret == 0) &&
	    !(sc->ev.flags & SYSRAY_EV_UNFINISHED))
		ev_read_str(s, i, a->args[arg]);
	len = s->len[i];
	if (len > ev_str_size || len > SYSRAY_EV_STR_MAX || off > SYSRAY_EV_STR_MAX)
		return off;
	bpf_probe_read_kernel(sc->strs + off, len, s->s + (i ? ev_str_slot : 0));
	sc->ev.str_len[i] = len;
	sc->ev.str_state[i] = s->state[i];
	sc->ev.str_arg[i] = arg + 1;
	return off + len;
}

/* Write the event of call v (its args in a, or already in sc when a is NULL). */
static __always_inline void ev_emit(struct ev_scratch *sc, struct ev_args *a, long ret, __u64 v,
				    __u64 now)
{
	__u64 kid = bpf_get_current_pid_tgid();
	/* The pids sysray's pid namespace sees; the kernel's tid keys the string map. */
	__u64 pid_tgid = current_ids(kid);
	struct sysray_event *e = &sc->ev;
	__u32 tid = (__u32)kid, off = 0;
	struct ev_strs *s;

	e->dur_ns = (now - v) & SYSRAY_SLOT_TS_MASK;
	e->start_ns = now - e->dur_ns;
	e->ret = ret;
	e->tgid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->nr = (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK;
	e->abi = (v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	for (int i = 0; i < SYSRAY_EV_NSTR; i++) {
		e->str_len[i] = 0;
		e->str_state[i] = SYSRAY_EV_STR_NONE;
		e->str_arg[i] = 0;
	}
	e->files[0].valid = e->files[1].valid = e->files[SYSRAY_EV_FD_RET].valid = 0;
	if (a) {
		for (int i = 0; i < 6; i++)
			e->args[i] = a->args[i];
		if (ev_fds) {
			e->files[0] = a->files[0];
			e->files[1] = a->files[1];
		}
		s = a->strs ? bpf_map_lookup_elem(&ev_strs, &tid) : NULL;
		if (s && s->slot == v) {
			off = ev_put_str(sc, s, a, 0, ret, off);
			off = ev_put_str(sc, s, a, 1, ret, off);
		}
	}
	if (ev_fds && !(e->flags & SYSRAY_EV_UNFINISHED) && ret >= 0 && ret <= 0x7fffffff &&
	    (ev_spec_of(e->abi, e->nr) & SYSRAY_EV_SPEC_RET_FD))
		ev_file(&e->files[SYSRAY_EV_FD_RET], ret);
	if (off > SYSRAY_EV_NSTR * SYSRAY_EV_STR_MAX)
		return;
	if (bpf_ringbuf_output(&ev_ring, sc, sizeof(*e) + off, 0))
		ev_stat(SYSRAY_EV_STAT_LOST);
}

/*
 * The call in start slot v returned ret at now (v is made up at exit for a call seccomp
 * refused, which had no entry). Its arguments are marked used whatever happens next.
 */
static __always_inline void events_exit(struct pt_regs *regs, long ret, __u64 v, __u64 now)
{
	struct ev_args *a;
	struct ev_scratch *sc;
	__u32 zero = 0;
	bool mine;

	a = bpf_task_storage_get(&ev_args, bpf_get_current_task_btf(), NULL, 0);
	mine = a && a->slot == v;
	if (a)
		a->slot = 0;
	if (!result_wanted(ret) || ((now - v) & SYSRAY_SLOT_TS_MASK) < ev_min_dur_ns)
		return;
	sc = bpf_map_lookup_elem(&ev_scratch, &zero);
	if (!sc)
		return;
	sc->ev.flags = 0;
	if (!mine) {
		syscall_args(regs, (v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK,
			     sc->ev.args);
		sc->ev.flags = SYSRAY_EV_ARGS_EXIT;
	}
	ev_emit(sc, mine ? a : NULL, ret, v, now);
}

/* After sys_enter: a call in scope has a fresh start slot of its own number. */
SEC("tp_btf/sys_enter")
int BPF_PROG(events_sys_enter, struct pt_regs *regs, long id)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), abi, nr;
	__u64 *slot = bpf_map_lookup_elem(&starts, &tid), v;

	if (!slot)
		return 0;
	v = *slot;
	if (!(v & SYSRAY_SLOT_VALID) || !syscall_decode(regs, id, &abi, &nr) ||
	    abi != ((v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK) ||
	    nr != ((v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK))
		return 0;
	events_enter(regs, abi, nr, v);
	return 0;
}

/* Before sys_exit, which retires the slot: the same decisions it makes, on the same slot. */
SEC("tp_btf/sys_exit")
int BPF_PROG(events_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 kid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)kid, abi, nr;
	__u64 *slot = bpf_map_lookup_elem(&starts, &tid), v, now;

	if (!slot)
		return 0;
	v = *slot;
	if (!(v & SYSRAY_SLOT_VALID)) {
		if (!v || (v & SYSRAY_SLOT_FORKED))
			return 0;
		/* An exit with no entry: seccomp refused the call before sys_enter. */
		if (!syscall_decode(regs, syscall_nr_of_regs(regs), &abi, &nr) ||
		    !scope_wanted(filter_tid(kid), abi, nr))
			return 0;
		now = bpf_ktime_get_ns();
		v = SYSRAY_SLOT_VALID | ((__u64)abi << SYSRAY_SLOT_ABI_SHIFT) |
		    ((__u64)nr << SYSRAY_SLOT_NR_SHIFT) | (now & SYSRAY_SLOT_TS_MASK);
	} else {
		/* Killed inside the call: it stays pending, written when the thread ends. */
		if (killed_in_call())
			return 0;
		now = bpf_ktime_get_ns();
	}
	events_exit(regs, ret, v, now);
	return 0;
}

/* A traced thread ends (the current task): a call it is still in never returns. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(events_sched_exit, struct task_struct *p)
{
	struct ev_scratch *sc;
	struct ev_args *a;
	__u32 tid = p->pid, zero = 0;
	__u64 now;

	a = bpf_task_storage_get(&ev_args, p, NULL, 0);
	if (!a)
		return 0;
	/* No result to filter on: with -Z, -z or --errno an unfinished call is not shown. */
	if ((a->slot & SYSRAY_SLOT_VALID) && scope.result == SYSRAY_RESULT_ALL) {
		now = bpf_ktime_get_ns();
		sc = bpf_map_lookup_elem(&ev_scratch, &zero);
		if (sc && ((now - a->slot) & SYSRAY_SLOT_TS_MASK) >= ev_min_dur_ns) {
			sc->ev.flags = SYSRAY_EV_UNFINISHED;
			ev_emit(sc, a, 0, a->slot, now);
		}
	}
	a->slot = 0;
	if (a->had_strs)
		bpf_map_delete_elem(&ev_strs, &tid);
	return 0;
}

#endif /* SYSRAY_EVENTS_BPF_H */
