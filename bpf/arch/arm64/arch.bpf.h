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

/*
 * --stacks: the user registers at the syscall in DWARF numbering (x0..x30, then sp as 31),
 * and the pc last (index 32), as the userspace unwinder takes them (user/arch/arm64/arch.h).
 * At exit x0 holds the return value: no unwind rule reads it.
 */
static __always_inline void stack_user_regs(struct pt_regs *regs, __u64 *out)
{
	for (int i = 0; i < 31; i++)
		out[i] = regs->regs[i];
	out[31] = regs->sp;
	out[32] = regs->pc;
}

static __always_inline __u64 stack_user_sp(struct pt_regs *regs)
{
	return regs->sp;
}

/*
 * --stacks: whether a call that returned ret mapped executable code (a library), so the
 * process's maps must be read again: mmap (arm64: 222) or AArch32's mmap2 (192) with
 * PROT_EXEC, whose prot is the third argument, in x2 (r2) for both ABIs.
 */
#define SYSRAY_PROT_EXEC 0x4
static __always_inline bool stack_maps_changed(struct pt_regs *regs, __u32 abi, __u32 nr, long ret)
{
	if (ret < 0 && ret >= -SYSRAY_MAX_ERRNO)
		return false;
	if (!(regs->regs[2] & SYSRAY_PROT_EXEC))
		return false;
	return abi == SYSRAY_ABI_COMPAT ? nr == 192 : nr == 222;
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
