// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Where sysray's pid namespace sits, read once before the tracer is loaded: run with
 * BPF_PROG_TEST_RUN from sysray itself, so the current task is sysray.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Deeper namespaces cannot be created (include/linux/pid_namespace.h). */
#define MAX_PID_NS_LEVEL 32

__u32 level;	    /* of sysray's pid namespace: 0 is the initial one */
__u32 inum;	    /* its inode number in nsfs, as stat(/proc/self/ns/pid) gives it */
__u32 root_pid_max; /* the initial namespace's pid_max, where the kernel has one per namespace */
__u64 ns_ptr;	    /* its address, which the tracer compares pid numbers' namespaces with */

/* pid_max moved into the namespace in 6.14: not in every vmlinux.h this is built with. */
struct pid_namespace___pidmax {
	int pid_max;
} __attribute__((preserve_access_index));

SEC("raw_tp")
int probe(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pid_namespace *ns;
	struct pid *pid = task->thread_pid;

	level = BPF_CORE_READ(pid, level);
	if (level > MAX_PID_NS_LEVEL)
		return 1;
	ns = BPF_CORE_READ(pid, numbers[level].ns);
	inum = BPF_CORE_READ(ns, ns.inum);
	ns_ptr = (__u64)ns;
	/* Global pids are bounded by the initial namespace's pid_max (per namespace since 6.14). */
	for (int i = 0; i < MAX_PID_NS_LEVEL && ns; i++) {
		struct pid_namespace *up = BPF_CORE_READ(ns, parent);

		if (!up)
			break;
		ns = up;
	}
	if (ns && bpf_core_field_exists(((struct pid_namespace___pidmax *)ns)->pid_max))
		root_pid_max = BPF_CORE_READ((struct pid_namespace___pidmax *)ns, pid_max);
	return 0;
}
