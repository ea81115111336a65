/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Trampolines: fentry/fexit programs on the selected syscalls' own kernel functions
 * (__x64_sys_openat, __do_sys_getppid...) instead of the raw syscall tracepoints, when
 * -e trace= selects a few syscalls: every other syscall of the machine then runs untouched
 * (docs/design.md, "Trampolines"). Userspace (user/trace/tracer_hooks.c) picks the targets
 * and loads only the programs it uses; the work is do_enter/do_exit, as for the tracepoints.
 * Included by sysray.bpf.c.
 */
#ifndef SYSRAY_TRAMPOLINE_BPF_H
#define SYSRAY_TRAMPOLINE_BPF_H

/* The dispatchers of these ABIs are hooked: their calls are left to them. */
const volatile bool tramp_ia32_dispatch = false;
const volatile bool tramp_x32_dispatch = false;

/*
 * Set by userspace before it stops: the fexit of a call that was blocked when the programs
 * were detached still runs when the call returns, and must not write then (userspace has
 * counted the call as blocked).
 */
bool tramp_stopped = false;

/* Calls the hooked dispatchers count (an fexit runs after its call: test it first). */
static __always_inline bool tramp_skip(const struct pt_regs *regs)
{
	return syscall_of_dispatched_abi(syscall_nr_of_regs(regs), tramp_ia32_dispatch, tramp_x32_dispatch);
}

/*
 * One pair per syscall function, all with the prototype of the syscall wrappers:
 * long f(const struct pt_regs *regs). The target is set by userspace before load.
 */
#define TRAMP_PAIR(i)                                                                              \
	SEC("fentry")                                                                              \
	int BPF_PROG(tramp_enter##i, struct pt_regs *regs)                                         \
	{                                                                                          \
		return tramp_skip(regs) ? 0 : do_enter(regs, syscall_nr_of_regs(regs));                       \
	}                                                                                          \
	SEC("fexit")                                                                               \
	int BPF_PROG(tramp_exit##i, struct pt_regs *regs, long ret)                                \
	{                                                                                          \
		return tramp_stopped || tramp_skip(regs) ? 0 : do_exit(ctx, regs, ret);                 \
	}

/* SYSRAY_TRAMP_FUNCS pairs */
TRAMP_PAIR(0)
TRAMP_PAIR(1)
TRAMP_PAIR(2)
TRAMP_PAIR(3)
TRAMP_PAIR(4)
TRAMP_PAIR(5)
TRAMP_PAIR(6)
TRAMP_PAIR(7)
TRAMP_PAIR(8)
TRAMP_PAIR(9)
TRAMP_PAIR(10)
TRAMP_PAIR(11)
TRAMP_PAIR(12)
TRAMP_PAIR(13)
TRAMP_PAIR(14)
TRAMP_PAIR(15)

/* The dispatcher of a whole ABI: long ia32_sys_call(const struct pt_regs *regs, unsigned nr). */
#define TRAMP_DISPATCH(i)                                                                          \
	SEC("fentry")                                                                              \
	int BPF_PROG(tramp_disp_enter##i, struct pt_regs *regs, unsigned int nr)                   \
	{                                                                                          \
		return do_enter(regs, syscall_nr_of_regs(regs));                                              \
	}                                                                                          \
	SEC("fexit")                                                                               \
	int BPF_PROG(tramp_disp_exit##i, struct pt_regs *regs, unsigned int nr, long ret)          \
	{                                                                                          \
		return tramp_stopped ? 0 : do_exit(ctx, regs, ret);                                     \
	}

TRAMP_DISPATCH(0) /* ia32 */
TRAMP_DISPATCH(1) /* x32 */

/*
 * A call seccomp refuses (or a tracer skips) never reaches its function: seccomp's exit
 * says so (-1), and it is counted from the task's registers, as the sys_exit tracepoint
 * counts such a call: from the saved syscall number, with the return value seccomp set and no duration.
 */
SEC("fexit/__secure_computing")
int tramp_seccomp(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), ret = 0, *slot;
	__u32 tid = (__u32)pid_tgid, tgid = pid_tgid >> 32;
	struct pt_regs *regs;

	if (tramp_stopped || bpf_get_func_ret(ctx, &ret) || (int)ret != -1)
		return 0;
	/* want() takes the tgid in sysray's pid namespace */
	if (pidns_level)
		tgid = task_tgid(bpf_get_current_task_btf());
	if (!want(tgid))
		return 0;
	slot = bpf_map_lookup_elem(&starts, &tid);
	if (!slot)
		return 0;
	retire_slot(*slot);
	/* do_exit's path for an exit without an entry. */
	*slot = SYSRAY_SLOT_SEEN;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	return do_exit(ctx, regs, syscall_ret_of_regs(regs));
}

#endif /* SYSRAY_TRAMPOLINE_BPF_H */
