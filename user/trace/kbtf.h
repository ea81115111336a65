/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Which functions the running kernel has, from its BTF, without a full parse. */
#ifndef SYSRAY_TRACE_KBTF_H
#define SYSRAY_TRACE_KBTF_H

#include <stddef.h>
#include <linux/types.h>

/*
 * ids[i] = the BTF type id of the kernel's function names[i], or 0 if it has none (names
 * sorted by strcmp). One pass
 * over /sys/kernel/btf/vmlinux, mapped where the kernel allows it (6.16+) or read: a few
 * milliseconds, where a full parse takes about ten. 0 or -errno.
 */
int kbtf_find_funcs(const char *const *names, size_t n, __u32 *ids);

#endif /* SYSRAY_TRACE_KBTF_H */
