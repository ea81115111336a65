// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kernel functions that run x86's syscalls, for trampolines (user/trace/tracer_hooks.c). */
#include <stdio.h>
#include <string.h>
#include "arch.h"

/* syscall_64.tbl rows whose function is not sys_<name>. */
static const char *const aliases[][2] = {
	{ "stat", "newstat" },	      { "fstat", "newfstat" }, { "lstat", "newlstat" },
	{ "sendfile", "sendfile64" }, { "uname", "newuname" }, { "umount2", "umount" },
};

/* syscall_64.tbl rows without a function: the kernel runs sys_ni_syscall for them. */
static const char *const unimplemented[] = {
	"uselib",	  "_sysctl",	     "create_module",	"get_kernel_syms", "query_module",
	"nfsservctl",	  "getpmsg",	     "putpmsg",		"afs_syscall",	   "tuxcall",
	"security",	  "set_thread_area", "get_thread_area", "lookup_dcookie",  "epoll_ctl_old",
	"epoll_wait_old", "vserver",
};

int arch_syscall_funcs(const char *name, char out[][ARCH_FUNC_LEN], int max)
{
	const char *entry = name;

	for (size_t i = 0; i < sizeof(unimplemented) / sizeof(unimplemented[0]); i++)
		if (!strcmp(name, unimplemented[i]))
			return 0;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i][0]))
			entry = aliases[i][1];
	if (max < 2)
		return -1;
	/* SYSCALL_DEFINEn wrappers; a syscall without arguments is named __do_sys_ in BTF. */
	snprintf(out[0], ARCH_FUNC_LEN, "__x64_sys_%s", entry);
	snprintf(out[1], ARCH_FUNC_LEN, "__do_sys_%s", entry);
	return 2;
}

/* What the kernel runs for a number it has no syscall for (one function for every ABI). */
const char *const arch_ni_funcs[] = { "__do_sys_ni_syscall", "__x64_sys_ni_syscall", NULL };

/*
 * Since Linux 6.9 each ABI's calls go through one function with a switch; hooking it takes
 * every call of that ABI (the programs keep the selected ones). The marker is a function
 * of the ABI that exists when the kernel runs it without such a dispatcher (older kernels):
 * then there is no one place, and sysray uses the tracepoints. A kernel without the ABI
 * runs x32 calls as unimplemented native ones; ia32 calls do not reach a syscall at all.
 */
const struct arch_abi_funcs arch_abi_funcs[SYSRAY_ABI_CNT] = {
	[SYSRAY_ABI_COMPAT] = { "ia32_sys_call", "__ia32_sys_read", false },
	[SYSRAY_ABI_X32] = { "x32_sys_call", "__x32_compat_sys_ioctl", true },
};
