/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `sysray --bench-hooks MODE -- CMD`: run CMD under a cost-measurement hook variant. */
#ifndef SYSRAY_BENCH_HOOKS_H
#define SYSRAY_BENCH_HOOKS_H

/* Modes: bare, array, hash, task. Returns the process exit code to use. */
int bench_hooks_run(const char *mode, char **argv);
/* 0 if mode names a variant. */
int bench_hooks_check(const char *mode);

#endif /* SYSRAY_BENCH_HOOKS_H */
