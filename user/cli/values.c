// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli/values.h"

int value_seconds(const char *s, __u64 min_ns, __u64 max_ns, __u64 *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || isspace((unsigned char)*s))
		return -EINVAL;
	v *= 1e9;
	if (v < (double)min_ns || v > (double)max_ns)
		return -EINVAL;
	*ns = (__u64)v;
	/* Below a nanosecond would round to 0, which means "no limit". */
	return *ns ? 0 : -EINVAL;
}

int value_duration(const char *s, __u64 min_ns, __u64 max_ns, __u64 *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1e9 } };
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0 || isspace((unsigned char)*s))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		v = v * units[i].ns + 0.5;
		if (v < (double)min_ns || v > (double)max_ns || v < 1)
			return -EINVAL;
		*ns = (__u64)v;
		return 0;
	}
	return -EINVAL;
}

int value_uint(const char *s, unsigned long long min, unsigned long long max,
	       unsigned long long *out)
{
	unsigned long long v;
	char *end;

	/* strtoull alone would take a sign (and negate) or leading blanks. */
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int value_size(const char *s, __u64 min, __u64 max, __u64 *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10, end++;
		break;
	case 'm':
	case 'M':
		shift = 20, end++;
		break;
	case 'g':
	case 'G':
		shift = 30, end++;
		break;
	}
	/* The suffix must not shift bits out: that would wrap to a small valid size. */
	if (*end || (shift && v > (~0ULL >> shift)))
		return -EINVAL;
	v <<= shift;
	if (v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int value_positive(const char *s, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > max ||
	    isspace((unsigned char)*s))
		return -EINVAL;
	*out = v;
	return 0;
}
