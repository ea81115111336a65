/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Structs and limits shared by the BPF programs and userspace: fixed-width types only. */
#ifndef SYSRAY_H
#define SYSRAY_H

#ifndef __VMLINUX_H__
#include <stdbool.h>
#include <linux/types.h> /* BPF programs get these types from vmlinux.h */
#endif

/* Always inlined, in the BPF programs (no calls on the hot path) and in userspace alike. */
#define SYSRAY_INLINE static inline __attribute__((always_inline))

/*
 * A syscall fails by returning -errno, errno in 1..SYSRAY_MAX_ERRNO (the kernel's MAX_ERRNO);
 * every other value, negative ones included (lseek, mmap addresses), is a success.
 */
#define SYSRAY_MAX_ERRNO 4095
/* Tables indexed by errno (0 unused): names, filter bitmaps. */
#define SYSRAY_ERRNO_CNT (SYSRAY_MAX_ERRNO + 1)

SYSRAY_INLINE bool sysray_is_error(__s64 ret)
{
	return ret < 0 && ret >= -SYSRAY_MAX_ERRNO;
}

/* The bit of SIGKILL in a sigset_t word (signals are numbered from 1). */
#define SYSRAY_SIGKILL_BIT (1ULL << (9 - 1))
/* signal_struct.flags: the thread group is exiting (include/linux/sched/signal.h). */
#define SYSRAY_SIGNAL_GROUP_EXIT 0x00000004

/*
 * Syscall numbers per ABI: tables are this long. Every number a task passes is counted:
 * those at or above SYSRAY_NR_OUT_OF_RANGE (no kernel has such a syscall; they fail with
 * ENOSYS) share that last row. x32's numbers reach 547; the others stay below 512.
 */
#define SYSRAY_MAX_NR	       576
#define SYSRAY_NR_OUT_OF_RANGE (SYSRAY_MAX_NR - 1)

enum sysray_abi {
	SYSRAY_ABI_NATIVE = 0,
	SYSRAY_ABI_COMPAT = 1, /* 32-bit syscalls of a 64-bit kernel (ia32 on x86_64) */
	SYSRAY_ABI_X32 = 2,    /* x86_64's x32 ABI; unused on other architectures */
	SYSRAY_ABI_CNT = 3,
};

/* Index into the per-CPU counter array: one slot per (abi, nr). */
#define SYSRAY_SLOT(abi, nr) ((abi)*SYSRAY_MAX_NR + (nr))
#define SYSRAY_NR_SLOTS	     (SYSRAY_ABI_CNT * SYSRAY_MAX_NR)

/* One completed syscall, as delivered through the ring buffer. */
struct sysray_rec {
	__u64 start_ns; /* bpf_ktime_get_ns() at entry */
	__u64 dur_ns;	/* entry to exit, wall clock */
	__s64 ret;	/* raw return value; sysray_is_error() tells an errno */
	__u32 tgid;
	__u32 tid;
	__u16 nr;
	__u8 abi; /* enum sysray_abi */
	__u8 flags;
	union {
		__u32 cpu; /* the CPU the call returned on */
		/*
		 * With the record_cgroup knob (--metrics-by cgroup): the low 32 bits of the
		 * task's cgroup v2 id at exit. They tell apart every cgroup that exists at one
		 * time (kernfs allocates them, cyclically, from one 31-bit id space); the high
		 * bits are a generation that only changes when that space wraps.
		 */
		__u32 cgroup_lo;
	};
};

/*
 * Per-(abi, nr) counters kept in a per-CPU array for what the records cannot say, so
 * that calls and errors stay exact: records lost to a full ring, calls that never
 * returned (their thread's slot was reused), and calls from tids beyond the slot array.
 * They are written only on those rare paths, never per syscall.
 */
struct sysray_counter {
	__u64 dropped;	      /* completed calls whose record was lost */
	__u64 dropped_errors; /* ...of which returned an error */
	__u64 unfinished;     /* entered, never returned: slot overwritten by fork or exec */
	__u64 untimed;	      /* entered with a tid >= pid_max: counted only */
};

/*
 * --sample N: per-(abi, nr) per-CPU tallies of the calls that were not chosen to be timed,
 * counted at their exit (after the -Z/-z/--errno filters), so that calls and errors stay
 * exact. Written once per call not timed, never for the timed ones (their record counts).
 */
struct sysray_tally {
	__u64 calls;
	__u64 errors;
};

/* Per-CPU global statistics, index into the "stats" per-CPU array. */
enum sysray_stat {
	SYSRAY_STAT_DROPPED = 0, /* records lost because the ring was full */
	SYSRAY_STAT_FORKS,	 /* processes added to the traced set by fork */
	SYSRAY_STAT_TID_RANGE,	 /* calls from tids >= pid_max (counted, not timed) */
	SYSRAY_STAT_FLUSHES,	 /* batches written to the ring */
	SYSRAY_STAT_CNT,
};

/*
 * Records are staged per CPU and written to the ring SYSRAY_BATCH at a time: one
 * reservation, one header and one producer update per batch instead of per record.
 * A stage is flushed when full, when its oldest record is older than the flush age,
 * when userspace kicks an idle CPU, and by userspace itself once tracing stops.
 */
#define SYSRAY_BATCH 32

struct sysray_stage {
	__u32 n;	/* records staged */
	__u32 busy;	/* set while sys_exit works on the stage: a kick must leave it alone */
	__u64 first_ns; /* completion time of the oldest staged record */
	struct sysray_rec recs[SYSRAY_BATCH];
};

/*
 * Start slots, one u64 per tid: VALID | abi | nr | low 48 bits of the entry time.
 * 48 bits of nanoseconds wrap after 78 hours; durations are taken modulo that.
 */
#define SYSRAY_SLOT_VALID (1ULL << 63)
/*
 * A traced task whose slot holds no call: its next exit without an entry is a call that
 * seccomp (or a ptracer) skipped before the entry tracepoint, to be counted from the exit.
 */
#define SYSRAY_SLOT_SEEN (1ULL << 62)
/* Set by the fork hook: the child's first exit is the clone's return, not a call. */
#define SYSRAY_SLOT_FORKED    (1ULL << 61)
/* With --sample: a call not chosen for timing; its exit is counted, never timed. */
#define SYSRAY_SLOT_UNTIMED   (1ULL << 60)
#define SYSRAY_SLOT_ABI_SHIFT 58
#define SYSRAY_SLOT_ABI_MASK  0x3ULL
#define SYSRAY_SLOT_NR_SHIFT  48
#define SYSRAY_SLOT_NR_MASK   0x3ffULL
#define SYSRAY_SLOT_TS_MASK   ((1ULL << 48) - 1)

/*
 * Trampolines: at most this many syscall functions get an fentry/fexit pair of their own
 * (bpf/trampoline.bpf.h), besides the dispatchers of the other ABIs and seccomp's exit.
 */
#define SYSRAY_TRAMP_FUNCS 16

/* Most entries of one kind of scope filter (cgroups, uids, tids, comms, errnos). */
#define SYSRAY_FILTER_MAX 64

enum sysray_result_filter {
	SYSRAY_RESULT_ALL = 0,
	SYSRAY_RESULT_FAILED, /* -Z, --errno */
	SYSRAY_RESULT_OK,     /* -z */
};

/*
 * The scope filters of a run (docs/filters.md), resolved by userspace and set in the
 * programs' read-only data before load, so the verifier drops every check not asked for.
 */
struct sysray_scope {
	__u64 syscall_bits[SYSRAY_ABI_CNT][SYSRAY_MAX_NR / 64]; /* with filter_syscalls */
	__u64 errno_bits[SYSRAY_ERRNO_CNT / 64];		/* with filter_errnos */
	__u64 comms[SYSRAY_FILTER_MAX][2];			/* NUL-padded task names */
	__u32 tids[SYSRAY_FILTER_MAX];
	__u32 uids[SYSRAY_FILTER_MAX];
	__u32 nr_tids;
	__u32 nr_uids;
	__u32 nr_comms;
	__u32 nr_cgroups; /* entries of the cgroup array map, filled after load */
	__u32 result;	  /* enum sysray_result_filter */
	__u8 filter_syscalls;
	__u8 filter_errnos;
	__u8 pad[2];
};

/*
 * Everything the kernel counted beside the records, summed over the CPUs when tracing
 * stops (or for a report of the run so far): with the records, exact calls and errors.
 */
struct sysray_counts {
	struct sysray_counter sc[SYSRAY_NR_SLOTS]; /* unfinished includes calls still blocked */
	struct sysray_tally unsampled[SYSRAY_NR_SLOTS]; /* --sample: completed, not timed */
	__u64 stats[SYSRAY_STAT_CNT];
	__u64 missed; /* hook runs the kernel skipped (recursion): calls not counted */
};

#endif /* SYSRAY_H */
