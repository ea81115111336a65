/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* arm64: where a syscall's six arguments are, for per-call events (--events). */
#ifndef SYSRAY_ARGS_BPF_H
#define SYSRAY_ARGS_BPF_H

/*
 * The arguments as the task passed them: x0..x5 (r0..r5 for AArch32 tasks, 32-bit values).
 * x0 is where the return value goes, so the first comes from orig_x0, which the kernel
 * keeps for syscall restart. Valid at entry, and at exit for a call that did not run.
 */
static __always_inline void syscall_args(struct pt_regs *regs, __u32 abi, __u64 *args)
{
	args[0] = regs->orig_x0;
	for (int i = 1; i < 6; i++)
		args[i] = regs->regs[i];
	if (abi == SYSRAY_ABI_COMPAT)
		for (int i = 0; i < 6; i++)
			args[i] = (__u32)args[i];
}

#endif /* SYSRAY_ARGS_BPF_H */
