// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "arch.h"

/* Named as strace 6.1 names its x86_64 personalities. */
const struct arch_abi arch_abis[SYSRAY_ABI_CNT] = {
	[SYSRAY_ABI_NATIVE] = { "x86_64", "64 bit", "64" },
	[SYSRAY_ABI_COMPAT] = { "i386", "32 bit", "32" },
	[SYSRAY_ABI_X32] = { "x32", "x32", "x32" },
};
