/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the BPF side must know of arm64: which ABI a syscall came through, and its number. */
#ifndef SYSRAY_ARCH_BPF_H
#define SYSRAY_ARCH_BPF_H

/*
 * The saved PSTATE of an AArch32 task has the mode bit M[4] (PSR_MODE32_BIT) set: an
 * architectural fact, unlike the kernel's TIF_32BIT flag, whose number may move.
 */
#define SYSRAY_PSR_MODE32_BIT 0x10

/*
 * The ABI and table number of syscall id: AArch32 calls by their saved mode. Numbers beyond
 * the tables share the SYSRAY_NR_OUT_OF_RANGE row, negative ones too.
 */
static __always_inline bool syscall_decode(struct pt_regs *regs, long id, __u32 *abi, __u32 *nr)
{
	__u64 n = id;

	*abi = (regs->pstate & SYSRAY_PSR_MODE32_BIT) ? SYSRAY_ABI_COMPAT : SYSRAY_ABI_NATIVE;
	*nr = n < SYSRAY_NR_OUT_OF_RANGE ? n : SYSRAY_NR_OUT_OF_RANGE;
	return true;
}

/*
 * The syscall number and return value in a task's saved registers: at exit, for calls that
 * had no entry event (seccomp skipped them), and in the trampolines.
 */
static __always_inline long syscall_nr_of_regs(const struct pt_regs *regs)
{
	return regs->syscallno;
}

static __always_inline long syscall_ret_of_regs(const struct pt_regs *regs)
{
	return regs->regs[0];
}

/* Trampolines are not ported to arm64 (user/arch/arm64/arch.h): no ABI has a dispatcher. */
static __always_inline bool syscall_of_dispatched_abi(long id, bool ia32, bool x32)
{
	return false;
}

#endif /* SYSRAY_ARCH_BPF_H */
