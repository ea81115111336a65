/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the BPF side must know of x86: which ABI a syscall came through, and its number. */
#ifndef SYSRAY_ARCH_BPF_H
#define SYSRAY_ARCH_BPF_H

/* arch/x86/include/asm/thread_info.h: set while an ia32 syscall runs. Not in BTF. */
#define SYSRAY_TS_COMPAT 0x0002
/* arch/x86/include/uapi/asm/unistd.h: x32 syscalls are numbered from this bit. */
#define SYSRAY_X32_SYSCALL_BIT 0x40000000UL

/*
 * The ABI and table number of syscall id (the tracepoint's id, or orig_ax at exit): ia32
 * calls by the task's TS_COMPAT, x32 ones by their bit. Numbers beyond the tables share
 * the SYSRAY_NR_OUT_OF_RANGE row, negative ones too (syscall(-1), or a call a ptracer
 * cancelled by setting -1): every call the kernel sees is counted.
 */
static __always_inline bool syscall_decode(struct pt_regs *regs, long id, __u32 *abi, __u32 *nr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 n = id;

	if (task->thread_info.status & SYSRAY_TS_COMPAT) {
		*abi = SYSRAY_ABI_COMPAT;
	} else if (id >= 0 && (n & SYSRAY_X32_SYSCALL_BIT)) {
		*abi = SYSRAY_ABI_X32;
		n &= ~SYSRAY_X32_SYSCALL_BIT;
	} else {
		*abi = SYSRAY_ABI_NATIVE;
	}
	*nr = n < SYSRAY_NR_OUT_OF_RANGE ? n : SYSRAY_NR_OUT_OF_RANGE;
	return true;
}

/*
 * The syscall number and return value in a task's saved registers: at exit, for calls that
 * had no entry event (seccomp skipped them), and in the trampolines.
 */
static __always_inline long syscall_nr_of_regs(const struct pt_regs *regs)
{
	return regs->orig_ax;
}

/*
 * --stacks: the user registers at the syscall in DWARF numbering (rax rdx rcx rbx rsi rdi
 * rbp rsp r8..r15 rip), as the userspace unwinder takes them; sp and ip come last too.
 */
static __always_inline void stack_user_regs(struct pt_regs *regs, __u64 *out)
{
	out[0] = regs->ax;
	out[1] = regs->dx;
	out[2] = regs->cx;
	out[3] = regs->bx;
	out[4] = regs->si;
	out[5] = regs->di;
	out[6] = regs->bp;
	out[7] = regs->sp;
	out[8] = regs->r8;
	out[9] = regs->r9;
	out[10] = regs->r10;
	out[11] = regs->r11;
	out[12] = regs->r12;
	out[13] = regs->r13;
	out[14] = regs->r14;
	out[15] = regs->r15;
	out[16] = regs->ip;
}

static __always_inline __u64 stack_user_sp(struct pt_regs *regs)
{
	return regs->sp;
}

/*
 * --stacks: whether a call that returned ret mapped executable code (a library), so the
 * process's maps must be read again: mmap (x86_64, x32) or mmap2 (i386) with PROT_EXEC,
 * whose prot is the third argument, in dx for both ABIs.
 */
#define SYSRAY_PROT_EXEC 0x4
static __always_inline bool stack_maps_changed(struct pt_regs *regs, __u32 abi, __u32 nr, long ret)
{
	if (ret < 0 && ret >= -SYSRAY_MAX_ERRNO)
		return false;
	if (!(regs->dx & SYSRAY_PROT_EXEC))
		return false;
	return abi == SYSRAY_ABI_COMPAT ? nr == 192 : nr == 9;
}

static __always_inline long syscall_ret_of_regs(const struct pt_regs *regs)
{
	return regs->ax;
}

/*
 * Trampolines (bpf/trampoline.bpf.h): whether a call belongs to an ABI whose dispatcher
 * (ia32_sys_call, x32_sys_call) is hooked as a whole. A native function such as
 * __do_sys_getppid is also called by the ia32 dispatcher, and x32 calls reach the
 * __x64_sys_* functions: those calls are the dispatcher's to count.
 */
static __always_inline bool syscall_of_dispatched_abi(long id, bool ia32, bool x32)
{
	struct task_struct *task;

	if (x32 && id >= 0 && (id & SYSRAY_X32_SYSCALL_BIT))
		return true;
	if (!ia32)
		return false;
	task = bpf_get_current_task_btf();
	return task->thread_info.status & SYSRAY_TS_COMPAT;
}

#endif /* SYSRAY_ARCH_BPF_H */
