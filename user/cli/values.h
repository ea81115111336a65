/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Option values: numbers that reject garbage, signs, overflow and out-of-range input. */
#ifndef SYSRAY_CLI_VALUES_H
#define SYSRAY_CLI_VALUES_H

#include <linux/types.h>

/* Seconds as a decimal ("1.5", "2e-3") into ns, within [min_ns, max_ns]; -EINVAL. */
int value_seconds(const char *s, __u64 min_ns, __u64 max_ns, __u64 *ns);
/*
 * A duration: a decimal with a unit, ns, us, ms or s ("5ms", "2.5us"), or seconds without
 * one ("0.005"), into ns within [min_ns, max_ns]; -EINVAL.
 */
int value_duration(const char *s, __u64 min_ns, __u64 max_ns, __u64 *ns);
/* A decimal integer without sign within [min, max]; -EINVAL. */
int value_uint(const char *s, unsigned long long min, unsigned long long max,
	       unsigned long long *out);
/* A number with an optional k/K, m/M, g/G suffix (powers of 1024) within [min, max]. */
int value_size(const char *s, __u64 min, __u64 max, __u64 *out);
/* A positive finite decimal number within (0, max]. */
int value_positive(const char *s, double max, double *out);

#endif /* SYSRAY_CLI_VALUES_H */
