/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * How the arguments of each syscall are shown (docs/events.md, "What is decoded"): a kind
 * per argument, from the types and names the kernel declares (user/arch/<arch>/
 * syscall_args.c), and the few decoders: open flags, AT_FDCWD, octal modes. What is not
 * decoded is shown raw, never guessed.
 */
#ifndef SYSRAY_EVENTS_DECODE_H
#define SYSRAY_EVENTS_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sysray.h"

enum arg_kind {
	ARG_RAW = 0,	/* a call without a description: hex */
	ARG_INT,	/* signed, 32 bits: int, pid_t, clockid_t... */
	ARG_LONG,	/* signed, 64 bits: long, off_t, loff_t */
	ARG_UINT,	/* unsigned, 32 bits: unsigned int, uid_t... */
	ARG_ULONG,	/* unsigned, 64 bits: size_t, unsigned long */
	ARG_HEX,	/* flags, masks, protections: hex */
	ARG_PTR,	/* an address: hex, NULL for 0 */
	ARG_FD,		/* a file descriptor */
	ARG_DIRFD,	/* a directory descriptor, or AT_FDCWD */
	ARG_MODE,	/* permission bits: octal */
	ARG_PATH,	/* a path, read in the kernel at entry */
	ARG_OPEN_FLAGS, /* open and openat's flags: O_RDONLY|O_CLOEXEC */
	ARG_KIND_CNT,
};

enum ret_kind {
	RET_INT, /* decimal */
	RET_HEX, /* an address: mmap, brk, mremap, shmat */
	RET_FD,	 /* a new file descriptor: open, socket, dup... */
};

struct sys_arg {
	const char *name;
	enum arg_kind kind;
};

struct sys_desc {
	const char *name; /* NULL: no description (the arguments are raw) */
	int nargs;
	enum ret_kind ret;
	struct sys_arg args[6];
};

/* The description of syscall nr of an ABI; never NULL (an unknown one has 6 raw args). */
const struct sys_desc *decode_sys(int abi, int nr);
/* The kind of an argument declared with C type and name (exposed for its unit test). */
enum arg_kind decode_kind(const char *sys, const char *type, const char *name);
/* "int", "path"...: the kinds' names in the JSON events. */
const char *decode_kind_name(enum arg_kind k);

/*
 * What the kernel must capture for each (abi, nr) (SYSRAY_EV_SPEC_*, include/
 * sysray_events.h): spec[abi * SYSRAY_MAX_NR + nr].
 */
void decode_kernel_spec(__u16 spec[SYSRAY_ABI_CNT * SYSRAY_MAX_NR]);

/*
 * A scalar argument as strace prints it into buf (always terminated): decimal, hex, NULL,
 * AT_FDCWD, 0644, O_RDONLY|O_CLOEXEC, or raw hex for ARG_RAW and ARG_PATH (whose string
 * the caller prints when it has one). Returns the length, as snprintf.
 */
int decode_scalar(char *buf, size_t len, enum arg_kind k, __u64 raw, bool compat);
/* open's flags in strace's order; unknown bits in hex. */
int decode_open_flags(char *buf, size_t len, __u64 flags);
/* Whether strace shows open's mode argument: only with O_CREAT or O_TMPFILE. */
bool decode_open_has_mode(__u64 flags);

#endif /* SYSRAY_EVENTS_DECODE_H */
