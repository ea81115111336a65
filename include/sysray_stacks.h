/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stacks: what the BPF side (bpf/stacks.bpf.h) captures at syscall exit and hands to
 * userspace (user/stacks/) beside the records. Fixed-width types only. docs/design.md,
 * "Stacks", says how calls are chosen and why the totals are unbiased.
 */
#ifndef SYSRAY_STACKS_H
#define SYSRAY_STACKS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum sysray_stack_mode {
	SYSRAY_STACKS_OFF = 0,
	SYSRAY_STACKS_FP,    /* frame-pointer walk in the kernel, plus a small stack window */
	SYSRAY_STACKS_DWARF, /* a copy of the user stack, unwound in userspace with CFI */
};

/* Frames kept per stack in the stack maps (deeper stacks lose their outermost frames). */
#define SYSRAY_STACK_DEPTH 64
/*
 * Entries of the user stack map by default (each SYSRAY_STACK_DEPTH * 8 bytes,
 * preallocated); --stack-map-size changes it, up to SYSRAY_USTACK_MAX.
 */
#define SYSRAY_USTACK_ENTRIES 8192
#define SYSRAY_USTACK_MAX     (1 << 20)
/*
 * Entries of the kernel stack map (--kernel-stacks). A stack whose hash bucket is taken is
 * lost (counted): the map is large so that it is rare (about k^2 / 2^16 for k distinct
 * kernel wait stacks).
 */
#define SYSRAY_KSTACK_ENTRIES 16384
/*
 * Bytes of user stack copied in frame-pointer mode (at least 512 are kept whatever sp's
 * alignment): enough for the frameless libc syscall wrappers a frame-pointer walk skips.
 */
#define SYSRAY_STACK_WINDOW 1024
/* Most bytes of user stack copied in DWARF mode (--stack-size). */
#define SYSRAY_STACK_COPY_MAX 16384
/*
 * User registers in an event, in DWARF numbering: x86-64's 0..16 (rax .. r15, rip); arm64's
 * 0..31 (x0 .. x30, sp) and the pc after them. Both sides are built for one architecture:
 * the BPF object with __TARGET_ARCH_<arch>, userspace by its compiler.
 */
#if defined(__TARGET_ARCH_arm64) || (!defined(__TARGET_ARCH_x86) && defined(__aarch64__))
#define SYSRAY_STACK_NREGS 33
#else
#define SYSRAY_STACK_NREGS 17
#endif

/*
 * Which calls get a stack, fixed for a run (BPF read-only data). A call qualifies when its
 * record is written (every scope filter passed) and:
 *   min_ns > 0: it took at least min_ns (--stack-min-duration);
 *   else: it failed, or it took at least period_ns, or else with probability
 *         dur / period_ns (--stacks alone: each captured call stands for 1/p calls).
 * At most max_per_sec qualifying calls per CPU and second get a stack; the others are
 * counted as throttled.
 */
struct sysray_stack_cfg {
	__u64 min_ns;
	__u64 period_ns;
	__u32 max_per_sec;
	__u32 copy_bytes; /* user stack bytes copied per event: the window, or --stack-size */
	__u8 mode;	  /* enum sysray_stack_mode */
	__u8 kernel;	  /* --kernel-stacks: where each call waited longest in the kernel */
	__u8 pad[2];
	__u32 ustack_entries; /* entries of the user stack map (--stack-map-size) */
};

/* Event flags. */
#define SYSRAY_STACK_F_FIRST 0x1 /* first event of this process image: read its maps now */
#define SYSRAY_STACK_F_SHORT 0x2 /* the user stack could not be copied whole */

/* The walk copied into an event when the stack map cannot hold it: SYSRAY_STACK_DEPTH pcs. */
#define SYSRAY_STACK_IPS_BYTES (SYSRAY_STACK_DEPTH * 8)

/*
 * One captured call, written to the stack ring (variable size: ips_bytes of the walk's
 * pcs, then stack_len bytes of user stack follow). 8-byte aligned; the fixed part is 208
 * bytes on x86-64, 336 on arm64.
 */
struct sysray_stack_event {
	__u64 dur_ns;
	__s64 ret;
	__u32 tgid;
	__u32 tid;
	__u32 exec_id; /* the process image: task->self_exec_id, bumped by every execve */
	__u16 nr;
	__u8 abi;
	__u8 flags;	 /* SYSRAY_STACK_F_* */
	__s32 ustack_id; /* frame-pointer mode: user stack map id; < 0: -errno (see ips_bytes) */
	__s32 kstack_id; /* --kernel-stacks: kernel stack map id of the longest wait; < 0: none */
	char comm[16];
	__u64 regs[SYSRAY_STACK_NREGS]; /* user registers at the syscall, DWARF numbering */
	__u32 stack_len;		/* bytes of user stack copied from sp, after the pcs */
	__u32 fork_parent; /* forked from this tgid with no execve since (same maps), or 0 */
	__u32 ips_bytes;   /* 0, or SYSRAY_STACK_IPS_BYTES when the walk is in the event */
	__u32 nips;	   /* ...how many of them are pcs */
	__u8 stack[];
};

/* Per-CPU counters of the capture, summed by userspace; reported like drops. */
enum sysray_stack_stat {
	SYSRAY_STACK_QUALIFIED = 0,   /* calls chosen for a stack */
	SYSRAY_STACK_THROTTLED,	      /* ...over the per-CPU rate: no stack */
	SYSRAY_STACK_LOST_RING,	      /* ...whose event found the stack ring full */
	SYSRAY_STACK_CAPTURED,	      /* events written */
	SYSRAY_STACK_USTACK_COLLIDED, /* user stack map: bucket held another stack (-EEXIST) */
	SYSRAY_STACK_USTACK_FULL,     /* user stack map full (-ENOMEM); these two are copied
				       * into the event instead: not lost */
	SYSRAY_STACK_USTACK_FAILED,   /* user stack not walkable (-EFAULT, ...) */
	SYSRAY_STACK_KSTACK_COLLIDED, /* the same for kernel stacks */
	SYSRAY_STACK_KSTACK_FULL,
	SYSRAY_STACK_KSTACK_FAILED,
	SYSRAY_STACK_COPY_SHORT, /* user stack copy ended at the end of the stack, or a fault */
	SYSRAY_STACK_STAT_CNT,
};

/* Per CPU in the BPF side: the rate limit's one-second window, and the counters above. */
struct sysray_stack_cpu {
	__u64 window_ns;
	__u64 used;
	__u64 stats[SYSRAY_STACK_STAT_CNT];
};

#endif /* SYSRAY_STACKS_H */
