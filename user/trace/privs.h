/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the kernel must offer before anything is loaded, checked up front for clear errors. */
#ifndef SYSRAY_PRIVS_H
#define SYSRAY_PRIVS_H

/* 0, or prints which capability is missing and returns -EPERM. */
int privs_check(void);
/* 0, or prints that the kernel has no BTF and returns -ENOENT. */
int btf_check(void);
/*
 * 0, or prints the first BPF feature this kernel lacks, with the Linux version that added
 * it, and returns -EOPNOTSUPP (docs/portability.md lists what sysray needs).
 */
int features_check(void);

#endif /* SYSRAY_PRIVS_H */
