// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Trampolines are not ported to arm64 (arch.h): no function is offered for any syscall. */
#include "arch.h"

int arch_syscall_funcs(const char *name, char out[][ARCH_FUNC_LEN], int max)
{
	(void)name;
	(void)out;
	(void)max;
	return 0;
}

const char *const arch_ni_funcs[] = { NULL };

const struct arch_abi_funcs arch_abi_funcs[SYSRAY_ABI_CNT];
