/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* x86: where a syscall's six arguments are, for per-call events (--events). */
#ifndef SYSRAY_ARGS_BPF_H
#define SYSRAY_ARGS_BPF_H

/*
 * The arguments as the task passed them: rdi rsi rdx r10 r8 r9 for x86_64 and x32, ebx ecx
 * edx esi edi ebp for ia32 (32-bit values). Valid at entry, and at exit for a call that
 * did not run (seccomp refused it): a call such as execve may change the registers.
 */
static __always_inline void syscall_args(struct pt_regs *regs, __u32 abi, __u64 *args)
{
	if (abi == SYSRAY_ABI_COMPAT) {
		args[0] = (__u32)regs->bx;
		args[1] = (__u32)regs->cx;
		args[2] = (__u32)regs->dx;
		args[3] = (__u32)regs->si;
		args[4] = (__u32)regs->di;
		args[5] = (__u32)regs->bp;
		return;
	}
	args[0] = regs->di;
	args[1] = regs->si;
	args[2] = regs->dx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
}

#endif /* SYSRAY_ARGS_BPF_H */
