/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* strace's syscall classes (-e trace=%file...): one table of syscall names per class. */
#ifndef SYSRAY_SYSCALL_CLASSES_H
#define SYSRAY_SYSCALL_CLASSES_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "sysray.h"

/* Words in a per-ABI syscall bitmap. */
#define SYSCALL_BITMAP_WORDS (SYSRAY_MAX_NR / 64)

/*
 * A class lists syscalls by name, so that one list serves every ABI: a name that an ABI does
 * not have is skipped for that ABI.
 */
struct syscall_class {
	const char *name;    /* as written after '%': "file", "%stat" for %%stat */
	const char *alias;   /* a second name, or NULL */
	bool bare;	     /* strace also accepts it without '%' (deprecated syntax) */
	const char *doc;     /* one sentence for --help and docs/filters.md */
	const char *members; /* syscall names separated by single spaces */
};

/* The number of classes; syscall_class_get(i) for 0 <= i < count, NULL beyond. */
int syscall_class_count(void);
const struct syscall_class *syscall_class_get(int i);

/* The class called name (without the leading '%', "%stat" for %%stat), or NULL. */
const struct syscall_class *syscall_class_find(const char *name);

/*
 * Set the bits of the class's members that exist in abi in bitmap (SYSCALL_BITMAP_WORDS words).
 * Returns how many members exist in abi, or -EINVAL for an invalid abi.
 */
int syscall_class_fill(const struct syscall_class *c, int abi, __u64 *bitmap);

/* Whether name (of any ABI) is a member of c. */
bool syscall_class_has(const struct syscall_class *c, const char *name);

/*
 * The class section of docs/filters.md, generated from the table so the two never disagree
 * (tests/unit/test_filter.c compares them).  Returns 0 or -EIO.
 */
int syscall_classes_markdown(FILE *out);

#endif /* SYSRAY_SYSCALL_CLASSES_H */
