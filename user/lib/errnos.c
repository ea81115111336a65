// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/errnos.h"

const char *errno_name(int err)
{
	if (err <= 0 || err >= SYSRAY_ERRNO_CNT)
		return NULL;
	return sysray_errno_names[err];
}

int errno_lookup(const char *s)
{
	unsigned long v;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] >= '0' && s[0] <= '9') {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || *end || v == 0 || v >= SYSRAY_ERRNO_CNT)
			return -EINVAL;
		return (int)v;
	}
	for (int i = 1; i < SYSRAY_ERRNO_CNT; i++) {
		if (sysray_errno_names[i] && !strcmp(sysray_errno_names[i], s))
			return i;
	}
	for (const struct sysray_errno_alias *a = sysray_errno_aliases; a->name; a++) {
		if (!strcmp(a->name, s))
			return a->err;
	}
	return -EINVAL;
}
