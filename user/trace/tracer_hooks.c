// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * How the syscalls are hooked: the raw syscall tracepoints (every syscall of the machine
 * pays for the hooks, filtered or not), or trampolines on the functions of the syscalls
 * -e trace= selects, so that the others run untouched (docs/design.md, "Trampolines").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lib/log.h"
#include "arch.h"
#include "lib/syscalls.h"
#include "trace/kbtf.h"
#include "trace/tracer_hooks.h"
#include "trace/tracer_priv.h"

/* The names looked up in the kernel's BTF: candidates of every selected syscall, and more. */
#define MAX_NAMES 640

struct names {
	char (*v)[ARCH_FUNC_LEN];
	const char **sorted;
	__u32 *ids; /* BTF type ids, 0: the kernel has no such function */
	size_t n;
};

/* A name into a buffer of ARCH_FUNC_LEN; longer ones (there are none) are dropped. */
static bool copy_name(char *dst, const char *name)
{
	size_t len = strlen(name);

	if (len >= ARCH_FUNC_LEN)
		return false;
	memcpy(dst, name, len + 1);
	return true;
}

static void add_name(struct names *nm, const char *name)
{
	if (nm->n < MAX_NAMES && copy_name(nm->v[nm->n], name))
		nm->n++;
}

static __u32 id_of(const struct names *nm, const char *name)
{
	for (size_t i = 0; name && i < nm->n; i++)
		if (!strcmp(nm->sorted[i], name))
			return nm->ids[i];
	return 0;
}

static bool has(const struct names *nm, const char *name)
{
	return id_of(nm, name) != 0;
}

/*
 * Whether the kernel lets an fentry program attach to function id: some refuse every
 * trampoline (a lockdown or an LSM policy; EPERM). An empty program, loaded and freed.
 */
static int probe_fentry(__u32 id)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = id);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "sysray_probe", "GPL", insns,
			       ARRAY_SIZE(insns), &o);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool selected(const struct sysray_scope *s, int abi, int nr)
{
	return s->syscall_bits[abi][nr / 64] & (1ULL << (nr % 64));
}

static bool abi_selected(const struct sysray_scope *s, int abi)
{
	for (int nr = 0; nr < SYSRAY_MAX_NR; nr++)
		if (selected(s, abi, nr))
			return true;
	return false;
}

/* Every name the plan may need, looked up in one pass over the kernel's BTF. */
static int lookup(const struct sysray_scope *s, struct names *nm)
{
	char cand[4][ARCH_FUNC_LEN];
	int err;

	for (int nr = 0; nr < SYSRAY_NR_OUT_OF_RANGE; nr++) {
		const char *name = syscall_table_name(SYSRAY_ABI_NATIVE, nr);
		int k = name && selected(s, SYSRAY_ABI_NATIVE, nr)
			    ? arch_syscall_funcs(name, cand, 4)
			    : 0;

		for (int i = 0; i < k; i++)
			add_name(nm, cand[i]);
	}
	for (int i = 0; arch_ni_funcs[i]; i++)
		add_name(nm, arch_ni_funcs[i]);
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		if (arch_abi_funcs[abi].dispatcher)
			add_name(nm, arch_abi_funcs[abi].dispatcher);
		if (arch_abi_funcs[abi].marker)
			add_name(nm, arch_abi_funcs[abi].marker);
	}
	add_name(nm, "__secure_computing");
	if (nm->n == MAX_NAMES)
		return -E2BIG;
	for (size_t i = 0; i < nm->n; i++)
		nm->sorted[i] = nm->v[i];
	qsort(nm->sorted, nm->n, sizeof(*nm->sorted), cmp_str);
	err = kbtf_find_funcs(nm->sorted, nm->n, nm->ids);
	return err;
}

static int add_func(struct tramp_plan *p, const char *f)
{
	for (int i = 0; i < p->nfuncs; i++)
		if (!strcmp(p->funcs[i], f))
			return 0;
	if (p->nfuncs == SYSRAY_TRAMP_FUNCS)
		return -E2BIG;
	return copy_name(p->funcs[p->nfuncs++], f) ? 0 : -ENOENT;
}

/* The function of each selected native syscall; ni: the unimplemented ones are selected. */
static int plan_native(const struct sysray_scope *s, const struct names *nm, struct tramp_plan *p,
		       bool *ni)
{
	char cand[4][ARCH_FUNC_LEN];
	int err = 0;

	for (int nr = 0; nr < SYSRAY_MAX_NR && !err; nr++) {
		const char *name = syscall_table_name(SYSRAY_ABI_NATIVE, nr);
		int k, i;

		if (!selected(s, SYSRAY_ABI_NATIVE, nr))
			continue;
		k = name && nr < SYSRAY_NR_OUT_OF_RANGE ? arch_syscall_funcs(name, cand, 4) : 0;
		if (k <= 0) {
			*ni = true;
			continue;
		}
		for (i = 0; i < k && !has(nm, cand[i]); i++)
			;
		if (i == k) {
			snprintf(p->why, sizeof(p->why), "this kernel has no function for %s",
				 name);
			return -ENOENT;
		}
		err = add_func(p, cand[i]);
	}
	return err;
}

/* The other ABIs: their dispatcher, or nothing to hook, or no way but the tracepoints. */
static int plan_abis(const struct sysray_scope *s, const struct names *nm, struct tramp_plan *p,
		     bool *ni)
{
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		const struct arch_abi_funcs *f = &arch_abi_funcs[abi];

		if (!f->dispatcher || !abi_selected(s, abi))
			continue;
		if (has(nm, f->dispatcher)) {
			p->dispatch[abi] = true;
		} else if (has(nm, f->marker)) {
			snprintf(p->why, sizeof(p->why), "%s calls have no one function here",
				 abi_name(abi));
			return -ENOENT;
		} else if (f->absent_runs_ni) {
			*ni = true;
		}
	}
	return 0;
}

int tramp_plan(const struct sysray_scope *s, int max_funcs, struct tramp_plan *p)
{
	struct names nm = { 0 };
	const char *probe = NULL;
	bool ni = false;
	int err, i;

	memset(p, 0, sizeof(*p));
#ifdef ARCH_TRAMPOLINES_WHY
	snprintf(p->why, sizeof(p->why), "%s", ARCH_TRAMPOLINES_WHY);
	return -EOPNOTSUPP;
#endif
	if (!s || !s->filter_syscalls) {
		snprintf(p->why, sizeof(p->why), "no -e trace= set");
		return -ENOENT;
	}
	nm.v = calloc(MAX_NAMES, sizeof(*nm.v));
	nm.sorted = calloc(MAX_NAMES, sizeof(*nm.sorted));
	nm.ids = calloc(MAX_NAMES, sizeof(*nm.ids));
	err = nm.v && nm.sorted && nm.ids ? lookup(s, &nm) : -ENOMEM;
	if (err)
		snprintf(p->why, sizeof(p->why), "cannot read the kernel's BTF: %s",
			 strerror(-err));
	if (!err)
		err = plan_native(s, &nm, p, &ni);
	if (!err)
		err = plan_abis(s, &nm, p, &ni);
	for (i = 0; !err && ni && arch_ni_funcs[i] && !has(&nm, arch_ni_funcs[i]); i++)
		;
	if (!err && ni)
		err = arch_ni_funcs[i] ? add_func(p, arch_ni_funcs[i]) : -ENOENT;
	if (!err && p->nfuncs > max_funcs)
		err = -E2BIG;
	if (err == -E2BIG)
		snprintf(p->why, sizeof(p->why), "-e trace= selects more than %d functions",
			 max_funcs);
	else if (err == -ENOENT && !p->why[0])
		snprintf(p->why, sizeof(p->why), "no unimplemented-syscall function found");
	p->seccomp = !err && has(&nm, "__secure_computing");
	for (int abi = 0; !err && !probe && abi < SYSRAY_ABI_CNT; abi++)
		probe = p->dispatch[abi] ? arch_abi_funcs[abi].dispatcher : NULL;
	if (!err && p->nfuncs)
		probe = p->funcs[0];
	if (!err && probe) {
		err = probe_fentry(id_of(&nm, probe));
		if (err)
			snprintf(p->why, sizeof(p->why), "the kernel refuses fentry programs (%s)",
				 strerror(-err));
	}
	free(nm.v);
	free(nm.sorted);
	free(nm.ids);
	return err;
}

static struct bpf_program *prog(struct tracer *t, const char *fmt, int i)
{
	char name[32];

	snprintf(name, sizeof(name), fmt, i);
	return bpf_object__find_program_by_name(t->skel->obj, name);
}

/* Before load: which programs load, and where the trampolines attach. */
int tracer_hooks__setup(struct tracer *t, const struct tramp_plan *p)
{
	struct sysray_bpf__rodata *ro = t->skel->rodata;
	bool tramp = p != NULL;
	int err = 0;

	bpf_program__set_autoload(t->skel->progs.sys_enter, !tramp);
	bpf_program__set_autoload(t->skel->progs.sys_exit, !tramp);
	bpf_program__set_autoload(t->skel->progs.tramp_seccomp, tramp && p->seccomp);
	for (int i = 0; i < SYSRAY_TRAMP_FUNCS; i++) {
		bool on = tramp && i < p->nfuncs;

		for (int k = 0; k < 2; k++) {
			struct bpf_program *g = prog(t, k ? "tramp_exit%d" : "tramp_enter%d", i);

			if (!g)
				return -ENOENT;
			bpf_program__set_autoload(g, on);
			if (on && !err)
				err = bpf_program__set_attach_target(g, 0, p->funcs[i]);
		}
	}
	for (int abi = 0, d = 0; abi < SYSRAY_ABI_CNT; abi++) {
		const char *f = arch_abi_funcs[abi].dispatcher;
		bool on = tramp && p->dispatch[abi];

		if (!f)
			continue;
		for (int k = 0; k < 2; k++) {
			struct bpf_program *g =
			    prog(t, k ? "tramp_disp_exit%d" : "tramp_disp_enter%d", d);

			if (!g)
				return -ENOENT;
			bpf_program__set_autoload(g, on);
			if (on && !err)
				err = bpf_program__set_attach_target(g, 0, f);
		}
		d++;
	}
	if (tramp) {
		ro->tramp_ia32_dispatch = p->dispatch[SYSRAY_ABI_COMPAT];
		ro->tramp_x32_dispatch = p->dispatch[SYSRAY_ABI_X32];
	}
	t->trampolines = tramp;
	return err;
}
