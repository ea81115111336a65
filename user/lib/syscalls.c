// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "lib/syscalls.h"

static const char *const abi_names[SYSRAY_ABI_CNT] = {
	[SYSRAY_ABI_NATIVE] = "x86_64",
	[SYSRAY_ABI_COMPAT] = "i386",
};

/* As strace 6.1 names its x86_64 personalities in "System call usage summary for %s mode". */
static const char *const abi_personalities[SYSRAY_ABI_CNT] = {
	[SYSRAY_ABI_NATIVE] = "64 bit",
	[SYSRAY_ABI_COMPAT] = "32 bit",
};

static int abi_valid(int abi)
{
	return abi >= 0 && abi < SYSRAY_ABI_CNT;
}

const char *syscall_name(int abi, int nr, char *buf, size_t len)
{
	if (abi_valid(abi) && nr >= 0 && nr < SYSRAY_MAX_NR && sysray_syscall_names[abi][nr])
		return sysray_syscall_names[abi][nr];
	if (!buf || !len)
		return "syscall_?";
	snprintf(buf, len, "syscall_%d", nr);
	return buf;
}

/* "syscall_NNN" (decimal) or "syscall_0xHHH" (as strace prints unknown syscalls). */
static int parse_unnamed(const char *name)
{
	const char *p = name + strlen("syscall_");
	int base = 10;
	unsigned long v;
	char *end;

	if (strncmp(name, "syscall_", strlen("syscall_")))
		return -ENOENT;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		base = 16;
	}
	/* strtoul alone would accept a sign or leading blanks. */
	if (!(base == 16 ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
		return -ENOENT;
	errno = 0;
	v = strtoul(p, &end, base);
	if (errno || *end || v >= SYSRAY_MAX_NR)
		return -ENOENT;
	return (int)v;
}

int syscall_lookup(int abi, const char *name)
{
	if (!abi_valid(abi) || !name)
		return -ENOENT;
	for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
		const char *n = sysray_syscall_names[abi][nr];

		if (n && !strcmp(n, name))
			return nr;
	}
	return parse_unnamed(name);
}

const char *abi_name(int abi)
{
	return abi_valid(abi) ? abi_names[abi] : NULL;
}

int abi_lookup(const char *name)
{
	for (int abi = 0; name && abi < SYSRAY_ABI_CNT; abi++) {
		if (!strcmp(abi_names[abi], name))
			return abi;
	}
	return -ENOENT;
}

const char *abi_personality(int abi)
{
	return abi_valid(abi) ? abi_personalities[abi] : NULL;
}
