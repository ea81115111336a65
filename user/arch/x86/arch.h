/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Everything userspace must know of x86: its ABIs and their names, the generated syscall
 * tables, and the vector kernels of the histogram. Generic code includes "arch.h" and
 * gets the one of the architecture it is built for (user/arch/<arch>/); a port adds its
 * own directory (arch.mk, arch.h, syscalls.conf, the generated syscall_names.c, and
 * vector kernels or none) and edits nothing else.
 */
#ifndef SYSRAY_ARCH_H
#define SYSRAY_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sysray.h"

struct arch_abi {
	const char *name;	     /* in JSON and metrics: "x86_64", "i386", "x32" */
	const char *personality;     /* strace's "System call usage summary for %s mode" */
	const char *trace_qualifier; /* strace's -e trace=VALUE@QUALIFIER: "64", "32", "x32" */
};

/* Indexed by enum sysray_abi; an ABI this architecture lacks has a NULL name. */
extern const struct arch_abi arch_abis[SYSRAY_ABI_CNT];

/* Generated from the kernel's tables (syscall_names.c); NULL for numbers without a name. */
extern const char *const arch_syscall_names[SYSRAY_ABI_CNT][SYSRAY_MAX_NR];

/* One syscall's arguments as the kernel declares them: C type and name (syscall_args.c). */
struct arch_syscall_args {
	const char *name; /* as in arch_syscall_names */
	unsigned char nargs;
	struct {
		const char *type; /* "const char *", "unsigned int", "umode_t"... */
		const char *name; /* "filename", "flags"... */
	} args[6];
};

/* Generated from the kernel's syscall trace events, sorted by name (bytewise). */
extern const struct arch_syscall_args arch_syscall_args[];
extern const size_t arch_nr_syscall_args;

/*
 * The vector kernels of the histogram (user/stats/hist_simd.c) and of k-means, with the
 * semantics of their scalar versions, or NULL members where the architecture has none.
 */
struct arch_vec_ops {
	const char *name;	 /* "avx2" */
	bool (*available)(void); /* the CPU running us has the instructions */
	void (*add)(__u64 *dst, const __u64 *src, size_t n);
	void (*sub)(__u64 *dst, const __u64 *src, size_t n);
	size_t (*scan)(const __u64 *c, size_t n, __u64 *run, __u64 rank);
	/*
	 * k-means (user/analysis/kmeans_vec.c): squared distance and element-wise add of
	 * double vectors whose stride is a multiple of 4, rounding exactly as the scalar
	 * versions there (one partial sum per lane, lanes summed as (l0 + l2) + (l1 + l3)).
	 */
	double (*dist2)(const double *a, const double *b, size_t stride);
	void (*fadd)(double *dst, const double *src, size_t stride);
};

extern const struct arch_vec_ops arch_vec;

/*
 * --stacks: the DWARF register numbers of the user registers the BPF side copies
 * (SYSRAY_STACK_NREGS of them, bpf/arch/x86/arch.bpf.h): the stack pointer and the pc.
 */
#define ARCH_DWARF_NREGS 17
#define ARCH_DWARF_SP	 7
#define ARCH_DWARF_IP	 16

/*
 * Trampolines (user/trace/tracer_hooks.c): the kernel functions that run the syscalls, as
 * the kernel's BTF names them.
 */
#define ARCH_FUNC_LEN 64

/*
 * The candidate functions of native syscall `name` (the first one the kernel has is it):
 * how many were written to out, 0 when the kernel's table has no function for it (it runs
 * one of arch_ni_funcs), -1 when max is too small.
 */
int arch_syscall_funcs(const char *name, char out[][ARCH_FUNC_LEN], int max);

/* What the kernel runs for a number without a syscall: NULL-terminated candidates. */
extern const char *const arch_ni_funcs[];

struct arch_abi_funcs {
	const char *dispatcher; /* one function that runs every call of the ABI, or NULL */
	const char *marker;	/* exists when the kernel runs the ABI without a dispatcher */
	bool absent_runs_ni;	/* a kernel without the ABI runs its calls as unimplemented */
};

/* Indexed by enum sysray_abi; the native ABI's calls are hooked function by function. */
extern const struct arch_abi_funcs arch_abi_funcs[SYSRAY_ABI_CNT];

#endif /* SYSRAY_ARCH_H */
