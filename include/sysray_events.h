/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Per-call events (--events): what bpf/events.bpf.h captures and writes to the event ring,
 * shared with userspace (user/events/). Fixed-width types only. Nothing here is used unless
 * --events is given: the BPF side is behind a read-only knob the verifier prunes.
 */
#ifndef SYSRAY_EVENTS_H
#define SYSRAY_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* -s: the longest string printed; strings longer than -s are cut and marked truncated. */
#define SYSRAY_EV_STR_DEFAULT 32
#define SYSRAY_EV_STR_MAX     4096
/* The bytes kept of one string: -s of them, one more to tell a longer one, and the NUL. */
#define SYSRAY_EV_STR_SLOT(s)  ((((s) + 2) + 7) & ~7U)
#define SYSRAY_EV_STR_SLOT_MAX SYSRAY_EV_STR_SLOT(SYSRAY_EV_STR_MAX)

/* Path strings read per call (rename, link, mount: two). */
#define SYSRAY_EV_NSTR 2
/* File descriptors identified per call with -y: two arguments and the return value. */
#define SYSRAY_EV_NFD	 2
#define SYSRAY_EV_FD_RET SYSRAY_EV_NFD

/*
 * What the kernel does for one (abi, nr), set by userspace from its argument table
 * (user/events/decode.c) in a read-only array: which arguments are path strings to read,
 * which are file descriptors to identify for -y, whether the return value is one.
 */
#define SYSRAY_EV_SPEC_STR0_SHIFT 0 /* argument index + 1 of the first string, 0: none */
#define SYSRAY_EV_SPEC_STR1_SHIFT 3 /* ... of the second */
#define SYSRAY_EV_SPEC_STR_MASK	  0x7
#define SYSRAY_EV_SPEC_FD0_SHIFT  6	     /* argument index + 1 of the first fd, 0: none */
#define SYSRAY_EV_SPEC_FD1_SHIFT  9	     /* ... of the second */
#define SYSRAY_EV_SPEC_RET_FD	  (1U << 12) /* a non-negative return is a new fd */
/* The strings cannot be read again at exit: a successful exec replaced the memory. */
#define SYSRAY_EV_SPEC_EXEC (1U << 13)

enum sysray_ev_str_state {
	SYSRAY_EV_STR_NONE = 0,	 /* not a string argument, or not read */
	SYSRAY_EV_STR_OK,	 /* the whole string */
	SYSRAY_EV_STR_TRUNCATED, /* longer than -s: the first -s bytes */
	SYSRAY_EV_STR_FAULT,	 /* unreadable (bad pointer, or a page not in memory) */
};

/* A dirfd argument meaning the working directory (<fcntl.h>); -y identifies it too. */
#define SYSRAY_EV_AT_FDCWD (-100)

/* Event flags. */
#define SYSRAY_EV_UNFINISHED (1U << 0) /* never returned (exit_group, killed): ret unknown */
#define SYSRAY_EV_ARGS_EXIT  (1U << 1) /* no entry seen (seccomp refused it): args at exit */

/* The last component of a file's name that -y keeps, NUL included (a prefix if longer). */
#define SYSRAY_EV_FILE_NAME 40

/*
 * The file behind a descriptor, taken in the kernel when the call used it (-y): which file
 * (device, inode) and its name then, so that a path found later is only shown if it is
 * still that file under that name.
 */
struct sysray_ev_file {
	__u64 ino;
	__u32 dev;   /* the kernel's dev_t: major << 20 | minor */
	__u32 magic; /* the filesystem's magic (sockfs, pipefs...) */
	__u16 mode;  /* S_IFMT bits and permissions */
	__u8 valid;  /* 0: no such descriptor (or not an fd argument) */
	__u8 pad[5];
	char name[SYSRAY_EV_FILE_NAME]; /* the dentry's name, NUL-terminated when shorter */
};

/*
 * One call, as written to the event ring: this header, then the strings back to back
 * (str_len[0] bytes, then str_len[1]), without NULs. A sample is exactly one event.
 */
struct sysray_event {
	__u64 start_ns; /* bpf_ktime_get_ns() at entry (CLOCK_MONOTONIC) */
	__u64 dur_ns;	/* entry to exit; for an unfinished call, entry to the thread's end */
	__s64 ret;	/* raw return value; meaningless with SYSRAY_EV_UNFINISHED */
	__u64 args[6];
	__u32 tgid;
	__u32 tid;
	__u16 nr;
	__u8 abi; /* enum sysray_abi */
	__u8 flags;
	__u16 str_len[SYSRAY_EV_NSTR];
	__u8 str_state[SYSRAY_EV_NSTR]; /* enum sysray_ev_str_state */
	__u8 str_arg[SYSRAY_EV_NSTR];	/* which argument each string is, + 1; 0: none */
	__u8 pad[6];
	char comm[16];
	struct sysray_ev_file files[SYSRAY_EV_NFD + 1]; /* the fd arguments, then the return */
};

/* Per-CPU counters of the event path, index into the "ev_stats" per-CPU array. */
enum sysray_ev_stat {
	SYSRAY_EV_STAT_LOST = 0,   /* events the ring had no room for */
	SYSRAY_EV_STAT_NO_STORAGE, /* calls whose arguments could not be stored at entry */
	SYSRAY_EV_STAT_CNT,
};

#endif /* SYSRAY_EVENTS_H */
