/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Task ids as sysray's pid namespace sees them (docs/design.md, "Pid namespaces"), beside
 * the kernel's, which index the start slots. Included by sysray.bpf.c after its rodata.
 */
#ifndef SYSRAY_IDS_BPF_H
#define SYSRAY_IDS_BPF_H

/* pid's number in sysray's namespace, or 0 if it has none there. */
static __always_inline __u32 ns_nr(struct pid *pid)
{
	struct upid *up, u;

	if (!pid || pid->level < pidns_level)
		return 0;
	/*
	 * pidns_level is a load-time constant, so numbers[pidns_level] is a fixed offset, read
	 * as a BTF access where numbers[] is a flexible array (6.5 on). Before, it was
	 * numbers[1], which the verifier does not let a BTF access go past: copy it.
	 */
	if (!bpf_core_field_size(pid->numbers)) {
		up = &pid->numbers[pidns_level];
		return (__u64)up->ns == pidns_ptr ? up->nr : 0;
	}
	if (bpf_probe_read_kernel(&u, sizeof(u), &pid->numbers[pidns_level]))
		return 0;
	return (__u64)u.ns == pidns_ptr ? u.nr : 0;
}

/* A task's thread id and process id as sysray sees them; 0 when it cannot see the task. */
static __always_inline __u32 task_tid(struct task_struct *t)
{
	return pidns_level ? ns_nr(t->thread_pid) : t->pid;
}

static __always_inline __u32 task_tgid(struct task_struct *t)
{
	if (!pidns_level)
		return t->tgid;
	/* A task of a shallower namespace (the host's) is rejected by its own pid's level. */
	if (t->thread_pid->level < pidns_level)
		return 0;
	return ns_nr(t->signal->pids[PIDTYPE_TGID]);
}

/*
 * The kernel's ids of the current task, which index the start slots whatever the namespace;
 * in a child namespace read from the task, which the translation needs anyway.
 */
static __always_inline __u64 current_kid(struct task_struct *task)
{
	return task ? (__u64)task->tgid << 32 | task->pid : bpf_get_current_pid_tgid();
}

static __always_inline __u32 current_tid(__u64 kid)
{
	return pidns_level ? task_tid(bpf_get_current_task_btf()) : (__u32)kid;
}

/* Both, for a record: the task is read once. */
static __always_inline __u64 current_ids(__u64 kid)
{
	struct task_struct *t;

	if (!pidns_level)
		return kid;
	t = bpf_get_current_task_btf();
	return (__u64)task_tgid(t) << 32 | task_tid(t);
}

/* For --tid, only computed when that filter is on. */
static __always_inline __u32 filter_tid(__u64 kid)
{
	return scope.nr_tids ? current_tid(kid) : 0;
}

#endif /* SYSRAY_IDS_BPF_H */
