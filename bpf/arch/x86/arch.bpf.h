/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Architecture-specific bits of the BPF side. */
#ifndef SYSRAY_ARCH_BPF_H
#define SYSRAY_ARCH_BPF_H

#if defined(__TARGET_ARCH_x86)
/* arch/x86/include/asm/thread_info.h: set while an ia32 syscall runs. Not in BTF. */
#define SYSRAY_TS_COMPAT 0x0002

static __always_inline __u8 current_abi(struct task_struct *task)
{
	return (task->thread_info.status & SYSRAY_TS_COMPAT) ? SYSRAY_ABI_COMPAT
							     : SYSRAY_ABI_NATIVE;
}

/* The syscall number at exit, for calls that had no entry event (seccomp skipped them). */
static __always_inline long syscall_nr_at_exit(struct pt_regs *regs)
{
	return regs->orig_ax;
}
#else
#error "sysray: the BPF side has no compat-syscall check for this architecture yet"
#endif

#endif /* SYSRAY_ARCH_BPF_H */
