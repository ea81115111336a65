/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Structs and limits shared by the BPF programs and userspace: fixed-width types only. */
#ifndef SYSRAY_H
#define SYSRAY_H

#ifndef __VMLINUX_H__
#include <linux/types.h> /* BPF programs get these types from vmlinux.h */
#endif

/* Syscall numbers per ABI; x86_64 and i386 both stay well below this. */
#define SYSRAY_MAX_NR 512

enum sysray_abi {
	SYSRAY_ABI_NATIVE = 0,
	SYSRAY_ABI_COMPAT = 1, /* ia32 syscalls on x86_64 */
	SYSRAY_ABI_CNT = 2,
};

/* Index into the per-CPU counter array: one slot per (abi, nr). */
#define SYSRAY_SLOT(abi, nr) ((abi) * SYSRAY_MAX_NR + (nr))
#define SYSRAY_NR_SLOTS (SYSRAY_ABI_CNT * SYSRAY_MAX_NR)

/* One completed syscall, as delivered through the ring buffer. */
struct sysray_rec {
	__u64 start_ns; /* bpf_ktime_get_ns() at entry */
	__u64 dur_ns;	/* entry to exit, wall clock */
	__s64 ret;	/* raw return value; -4095..-1 is an errno */
	__u32 tgid;
	__u32 tid;
	__u16 nr;
	__u8 abi; /* enum sysray_abi */
	__u8 flags;
	__u32 cpu;
};

/*
 * Exact per-(abi, nr) counters kept in a per-CPU array, independent of the
 * ring buffer: calls are counted at entry, exits and errors at exit.
 * calls - exits is the number of calls that never returned while traced.
 */
struct sysray_counter {
	__u64 calls;
	__u64 exits;
	__u64 errors;
};

/* Per-CPU global statistics, index into the "stats" per-CPU array. */
enum sysray_stat {
	SYSRAY_STAT_DROPPED = 0, /* records that could not be reserved in the ring */
	SYSRAY_STAT_FORKS,	 /* processes added to the traced set by fork */
	SYSRAY_STAT_TID_RANGE,	 /* tasks whose tid exceeded the slot array (not timed) */
	SYSRAY_STAT_CNT,
};

/* Values of the per-tgid trace state array. */
#define SYSRAY_TGID_TRACED 1

#endif /* SYSRAY_H */
