/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Kernel addresses into function names, from /proc/kallsyms (read once, when needed). */
#ifndef SYSRAY_STACKS_KSYMS_H
#define SYSRAY_STACKS_KSYMS_H

#include <linux/types.h>

struct ksyms;

/* path: normally "/proc/kallsyms". 0, -errno; addresses all zero (kptr_restrict): -EPERM. */
int ksyms__load(const char *path, struct ksyms **out);
/* The function holding addr, or NULL; *module: its kernel module, or NULL for vmlinux. */
const char *ksyms__find(const struct ksyms *k, __u64 addr, const char **module);
void ksyms__free(struct ksyms *k);

#endif /* SYSRAY_STACKS_KSYMS_H */
