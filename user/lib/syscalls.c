// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "arch.h"
#include "lib/syscalls.h"

static int abi_valid(int abi)
{
	return abi >= 0 && abi < SYSRAY_ABI_CNT && arch_abis[abi].name;
}

const char *syscall_name(int abi, int nr, char *buf, size_t len)
{
	if (abi_valid(abi) && nr >= 0 && nr < SYSRAY_MAX_NR && arch_syscall_names[abi][nr])
		return arch_syscall_names[abi][nr];
	if (nr == SYSRAY_NR_OUT_OF_RANGE)
		return SYSCALL_OUT_OF_RANGE;
	if (!buf || !len)
		return "syscall_?";
	snprintf(buf, len, "syscall_%d", nr);
	return buf;
}

const char *syscall_table_name(int abi, int nr)
{
	return abi_valid(abi) && nr >= 0 && nr < SYSRAY_MAX_NR ? arch_syscall_names[abi][nr] : NULL;
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
	if (errno || *end || v >= SYSRAY_NR_OUT_OF_RANGE)
		return -ENOENT;
	return (int)v;
}

int syscall_lookup(int abi, const char *name)
{
	if (!abi_valid(abi) || !name)
		return -ENOENT;
	for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
		const char *n = arch_syscall_names[abi][nr];

		if (n && !strcmp(n, name))
			return nr;
	}
	if (!strcmp(name, SYSCALL_OUT_OF_RANGE))
		return SYSRAY_NR_OUT_OF_RANGE;
	return parse_unnamed(name);
}

const char *abi_name(int abi)
{
	return abi_valid(abi) ? arch_abis[abi].name : NULL;
}

int abi_lookup(const char *name)
{
	for (int abi = 0; name && abi < SYSRAY_ABI_CNT; abi++) {
		if (abi_valid(abi) && !strcmp(arch_abis[abi].name, name))
			return abi;
	}
	return -ENOENT;
}

const char *abi_personality(int abi)
{
	return abi_valid(abi) ? arch_abis[abi].personality : NULL;
}

int abi_of_qualifier(const char *q)
{
	for (int abi = 0; q && abi < SYSRAY_ABI_CNT; abi++) {
		if (abi_valid(abi) && !strcmp(arch_abis[abi].trace_qualifier, q))
			return abi;
	}
	return -ENOENT;
}
