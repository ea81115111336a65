/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Privileges: what the kernel must offer before anything is loaded (checked up front for
 * clear errors), and giving up what is no longer needed once the programs are attached
 * (docs/security.md, "Privileges").
 */
#ifndef SYSRAY_PRIVS_H
#define SYSRAY_PRIVS_H

#include <stdbool.h>
#include <linux/types.h>

struct tracer;

#define PRIVS_CAP(c) (1ULL << (c))

/* 0, or prints which capability is missing and returns -EPERM. */
int privs_check(void);
/* 0, or prints that the kernel has no BTF and returns -ENOENT. */
int btf_check(void);
/*
 * 0, or prints the first BPF feature this kernel lacks, with the Linux version that added
 * it, and returns -EOPNOTSUPP (docs/portability.md lists what sysray needs).
 */
int features_check(void);

/*
 * The capabilities writing name in the directory dirfd (O_PATH) needs from a root that has
 * given up the others: CAP_DAC_OVERRIDE when the directory (or, with file, the existing
 * file) is not writable by our uid alone, CAP_FOWNER to replace another user's file in a
 * sticky directory. Measured with the capabilities lowered for the test (faccessat with
 * AT_EACCESS), then restored.
 */
__u64 privs_write_needs(int dirfd, const char *name, bool file);

/*
 * After load and attach: keep only keep (PRIVS_CAP bits) and what the BPF commands of the
 * poll loop need on this kernel (tracer__probe_access() is tried without them first: none
 * since Linux 6.5, CAP_BPF before it when kernel.unprivileged_bpf_disabled is set); drop
 * the rest from the effective, permitted, inheritable, ambient and bounding sets, and set
 * no_new_privs. *kept gets what stayed. 0 or -errno (capabilities are then unchanged).
 */
int privs_drop(struct tracer *t, __u64 keep, __u64 *kept);
/* "CAP_KILL,CAP_BPF" into buf, "none" when empty. */
const char *privs_names(__u64 caps, char *buf, unsigned int len);

#endif /* SYSRAY_PRIVS_H */
