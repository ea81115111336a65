// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * No vector kernels on arm64 yet: the histogram uses its portable scalar code, which the
 * compiler auto-vectorizes with NEON at -O2 well enough for the percentile pass.
 */
#include "arch.h"

const struct arch_vec_ops arch_vec = { 0 };
