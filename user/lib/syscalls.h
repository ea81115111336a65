/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Syscall and ABI names, from the architecture's tables (user/arch/<arch>/). */
#ifndef SYSRAY_SYSCALLS_H
#define SYSRAY_SYSCALLS_H

#include <stddef.h>
#include <linux/types.h> /* sysray.h needs it */
#include "sysray.h"

/* Enough for "syscall_" and any int. */
#define SYSCALL_NAME_BUF 24

/* The row of every number beyond the tables (SYSRAY_NR_OUT_OF_RANGE). */
#define SYSCALL_OUT_OF_RANGE "syscall_out_of_range"

/*
 * The name of syscall nr of an ABI.  For a number without a name (or an ABI or number out
 * of range) "syscall_NNN" with NNN in decimal is formatted into buf, which is returned;
 * SYSRAY_NR_OUT_OF_RANGE is SYSCALL_OUT_OF_RANGE.
 */
const char *syscall_name(int abi, int nr, char *buf, size_t len);

/* The table's name of syscall nr of an ABI, or NULL when it has none. */
const char *syscall_table_name(int abi, int nr);

/* The number of a syscall name (or of "syscall_NNN"/"syscall_0xHHH"), or -ENOENT. */
int syscall_lookup(int abi, const char *name);

/* "x86_64", "i386", "x32" as used in the JSON output; NULL for an ABI the arch lacks. */
const char *abi_name(int abi);

/* The abi named by abi_name(), or -ENOENT. */
int abi_lookup(const char *name);

/* strace's personality name ("64 bit", "32 bit") for the text report; NULL if invalid. */
const char *abi_personality(int abi);

/* The ABI of strace's -e trace=VALUE@QUALIFIER ("64", "32", "x32"), or -ENOENT. */
int abi_of_qualifier(const char *qualifier);

#endif /* SYSRAY_SYSCALLS_H */
