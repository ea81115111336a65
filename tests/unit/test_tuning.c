// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --sample and --hooks parsing, the ring budget, the kernel functions of syscalls. */
#include <criterion/criterion.h>
#include <string.h>
#include "arch.h"
#include "cli/opts.h"
#include "trace/tracer.h"
#include "trace/tracer_priv.h"

static int parse(struct cli_config *cfg, char *err, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return cli_config__parse(cfg, argc, argv, err, 256);
}

Test(tuning, sample_and_hooks_options)
{
	char *argv[] = { "sysray", "--sample", "64", "--hooks", "tracepoints", "-a", NULL };
	char *one[] = { "sysray", "--sample", "1", "--hooks", "trampolines", "-a", NULL };
	struct cli_config cfg;
	char err[256];

	cr_assert_eq(parse(&cfg, err, argv), 0, "%s", err);
	cr_expect_eq(cfg.sample_every, 64);
	cr_expect_eq(cfg.hooks, TRACER_HOOKS_TRACEPOINTS);
	cli_config__free(&cfg);
	/* --sample 1 times every call: no sampling at all */
	cr_assert_eq(parse(&cfg, err, one), 0, "%s", err);
	cr_expect_eq(cfg.sample_every, 0);
	cr_expect_eq(cfg.hooks, TRACER_HOOKS_TRAMPOLINES);
	cli_config__free(&cfg);
}

/* The default rings: 16 MiB in all, 64 KiB to 8 MiB each; --ring-size wins. */
Test(tuning, ring_sizes_from_the_budget)
{
	struct tracer_opts o = { 0 };
	const struct {
		int ncpus;
		__u64 bytes;
	} want[] = {
		{ 1, 8 << 20 },	   { 2, 8 << 20 },     { 3, 4 << 20 },	  { 64, 256 << 10 },
		{ 96, 128 << 10 }, { 128, 128 << 10 }, { 256, 64 << 10 }, { 1024, 64 << 10 },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		__u64 got = tracer_ring_size(&o, want[i].ncpus);

		cr_expect_eq(got, want[i].bytes, "%d CPUs: %llu bytes", want[i].ncpus,
			     (unsigned long long)got);
		/* the budget holds up to 256 CPUs */
		if (want[i].ncpus <= 256)
			cr_expect_leq(got * want[i].ncpus, 16 << 20);
	}
	o.shared_ring = true;
	cr_expect_eq(tracer_ring_size(&o, 256), 16 << 20);
	o.ring_bytes = 4096;
	cr_expect_eq(tracer_ring_size(&o, 256), 4096);
}

Test(tuning, kernel_functions_of_syscalls)
{
	char f[4][ARCH_FUNC_LEN];

	cr_assert_eq(arch_syscall_funcs("openat", f, 4), 2);
	cr_expect_str_eq(f[0], "__x64_sys_openat");
	cr_expect_str_eq(f[1], "__do_sys_openat");
	/* a table row whose function is named otherwise */
	cr_assert_eq(arch_syscall_funcs("stat", f, 4), 2);
	cr_expect_str_eq(f[0], "__x64_sys_newstat");
	cr_assert_eq(arch_syscall_funcs("umount2", f, 4), 2);
	cr_expect_str_eq(f[0], "__x64_sys_umount");
	/* rows without a function run the unimplemented one */
	cr_expect_eq(arch_syscall_funcs("uselib", f, 4), 0);
	cr_expect_eq(arch_syscall_funcs("_sysctl", f, 4), 0);
	cr_expect_eq(arch_syscall_funcs("openat", f, 1), -1);
	cr_expect_str_eq(arch_ni_funcs[0], "__do_sys_ni_syscall");
}
