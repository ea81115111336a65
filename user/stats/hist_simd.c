// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Vector kernels of the histogram: u64 array add/sub and the rank scan, in portable
 * scalar code, or the architecture's vector versions (arch.h, arch_vec) when the CPU
 * has them. Both give identical results (tests/unit/test_hist.c checks it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "stats/hist.h"

/* -1: not probed yet, 0: scalar, 1: arch_vec.  Races only store the same value. */
static int hist_simd_mode = -1;

static bool hist_cpu_vec(void)
{
	return arch_vec.available && arch_vec.available();
}

static int hist_simd_mode_get(void)
{
	int mode = __atomic_load_n(&hist_simd_mode, __ATOMIC_RELAXED);
	const char *env;

	if (mode >= 0)
		return mode;
	env = getenv("SYSRAY_NO_SIMD");
	mode = hist_cpu_vec() && !(env && *env && strcmp(env, "0"));
	__atomic_store_n(&hist_simd_mode, mode, __ATOMIC_RELAXED);
	return mode;
}

int hist_simd_set(bool on)
{
	if (on && !hist_cpu_vec())
		return -ENOTSUP;
	__atomic_store_n(&hist_simd_mode, on, __ATOMIC_RELAXED);
	return 0;
}

bool hist_simd_active(void)
{
	return hist_simd_mode_get() == 1;
}

static void hist_add_scalar(__u64 *dst, const __u64 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] += src[i];
}

static void hist_sub_scalar(__u64 *dst, const __u64 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] -= src[i];
}

static size_t hist_scan_scalar(const __u64 *c, size_t n, __u64 *run, __u64 rank)
{
	__u64 r = *run;
	size_t i;

	for (i = 0; i < n && r + c[i] < rank; i++)
		r += c[i];
	*run = r;
	return i;
}

void hist_vec_add(__u64 *dst, const __u64 *src, size_t n)
{
	if (hist_simd_mode_get() == 1)
		arch_vec.add(dst, src, n);
	else
		hist_add_scalar(dst, src, n);
}

void hist_vec_sub(__u64 *dst, const __u64 *src, size_t n)
{
	if (hist_simd_mode_get() == 1)
		arch_vec.sub(dst, src, n);
	else
		hist_sub_scalar(dst, src, n);
}

size_t hist_vec_scan(const __u64 *c, size_t n, __u64 *run, __u64 rank)
{
	if (hist_simd_mode_get() == 1)
		return arch_vec.scan(c, n, run, rank);
	return hist_scan_scalar(c, n, run, rank);
}
