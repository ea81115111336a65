/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the kernel must offer before anything is loaded, checked up front for clear errors. */
#ifndef SYSRAY_PRIVS_H
#define SYSRAY_PRIVS_H

/* 0, or prints which capability is missing and returns -EPERM. */
int privs_check(void);
/* 0, or prints that the kernel has no BTF and returns -ENOENT. */
int btf_check(void);

#endif /* SYSRAY_PRIVS_H */
