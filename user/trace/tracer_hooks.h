/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Tracepoints or trampolines: which kernel hooks a run uses (tracer_hooks.c). */
#ifndef SYSRAY_TRACE_TRACER_HOOKS_H
#define SYSRAY_TRACE_TRACER_HOOKS_H

#include <stdbool.h>
#include "arch.h"
#include "sysray.h"

/* What a run hooks with trampolines. */
struct tramp_plan {
	int nfuncs; /* syscall functions with a pair of their own */
	char funcs[SYSRAY_TRAMP_FUNCS][ARCH_FUNC_LEN]; /* as the kernel's BTF names them */
	bool dispatch[SYSRAY_ABI_CNT];		       /* hook the ABI's dispatcher */
	bool seccomp;				       /* the kernel has seccomp: hook its exit */
	char why[96];				       /* on failure: why trampolines cannot do */
};

/*
 * The trampolines for the syscalls the scope selects, at most max_funcs functions: 0, or
 * -ENOENT (no -e trace=, or a selected syscall has no function to hook) or -E2BIG (more
 * functions than max_funcs), with the reason in p->why.
 */
int tramp_plan(const struct sysray_scope *s, int max_funcs, struct tramp_plan *p);

struct tracer;
/* Before load: the tracepoint programs (p NULL) or the trampolines of p. */
int tracer_hooks__setup(struct tracer *t, const struct tramp_plan *p);

#endif /* SYSRAY_TRACE_TRACER_HOOKS_H */
