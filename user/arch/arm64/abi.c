// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "arch.h"

/* AArch64 and its AArch32 compat ABI, named as strace names its arm64 personalities. */
const struct arch_abi arch_abis[SYSRAY_ABI_CNT] = {
	[SYSRAY_ABI_NATIVE] = { "aarch64", "64 bit", "64" },
	[SYSRAY_ABI_COMPAT] = { "arm", "32 bit", "32" },
};
