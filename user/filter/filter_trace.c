// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -e trace=SET, strace's syntax: [!]VALUE[,VALUE...], where VALUE is [?]X[@64|@32|@x32] and X is a
 * syscall name or number, %CLASS, /REGEX, all or none.  The result is one bitmap per ABI.
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filter/filter.h"
#include "lib/errmsg.h"
#include "lib/syscalls.h"

#define ALL_ABIS ((1U << SYSRAY_ABI_CNT) - 1)

typedef __u64 bitmaps_t[SYSRAY_ABI_CNT][SYSCALL_BITMAP_WORDS];

static void set_bit(bitmaps_t bits, int abi, int nr)
{
	bits[abi][nr / 64] |= 1ULL << (nr % 64);
}

/* A name or number for the ABIs of mask: how many bits were set, or -ENOENT. */
static int add_name(bitmaps_t bits, const char *name, unsigned int mask)
{
	int n = 0;

	if (isdigit((unsigned char)*name)) {
		char *end;
		long nr = strtol(name, &end, 10);

		if (*end || nr < 0 || nr >= SYSRAY_MAX_NR)
			return -ENOENT;
		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
			if (mask & (1U << abi))
				set_bit(bits, abi, nr), n++;
		}
		return n;
	}
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		int nr;

		if (!(mask & (1U << abi)))
			continue;
		nr = syscall_lookup(abi, name);
		if (nr >= 0)
			set_bit(bits, abi, nr), n++;
	}
	return n ? n : -ENOENT;
}

static int add_class(bitmaps_t bits, const struct syscall_class *c, unsigned int mask)
{
	int n = 0;

	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		if (mask & (1U << abi))
			n += syscall_class_fill(c, abi, bits[abi]);
	}
	return n;
}

/* Every named syscall matching re: how many, or -EINVAL for a bad expression. */
static int add_regex(bitmaps_t bits, const char *re, unsigned int mask)
{
	regex_t rx;
	int n = 0;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		return -EINVAL;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; (mask & (1U << abi)) && nr < SYSRAY_MAX_NR; nr++) {
			const char *name = syscall_table_name(abi, nr);

			if (name && !regexec(&rx, name, 0, NULL, 0))
				set_bit(bits, abi, nr), n++;
		}
	}
	regfree(&rx);
	return n;
}

/* One VALUE of the set (modified in place: the @ suffix is cut off). */
static int add_value(bitmaps_t bits, char *tok, char *err, size_t len)
{
	unsigned int mask = ALL_ABIS;
	bool quiet = false;
	const char *shown;
	char *at;
	int n;

	if (*tok == '?') {
		quiet = true;
		tok++;
	}
	shown = tok;
	at = strrchr(tok, '@');
	n = at ? abi_of_qualifier(at + 1) : -ENOENT;
	if (n >= 0)
		mask = 1U << n;
	else if (at && *tok != '/') /* a regular expression may contain '@' */
		return errmsg(err, len, -EINVAL, "-e trace: '%s': unknown ABI (@64, @32 or @x32)",
			      tok);
	else
		at = NULL;
	if (at) {
		tok = strndup(tok, at - tok);
		if (!tok)
			return errmsg(err, len, -ENOMEM, "-e trace: out of memory");
	}

	if (!*tok) {
		n = errmsg(err, len, -EINVAL, "-e trace: empty value in the set");
	} else if (!strcmp(tok, "all")) {
		n = 0;
		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
			if (mask & (1U << abi))
				memset(bits[abi], 0xff, sizeof(bits[abi]));
		}
	} else if (!strcmp(tok, "none")) {
		n = 0;
	} else if (*tok == '%') {
		const struct syscall_class *c = syscall_class_find(tok + 1);

		n = 0;
		if (c)
			add_class(bits, c, mask);
		else if (!quiet)
			n = errmsg(err, len, -EINVAL, "-e trace: unknown class '%s'", tok);
	} else if (*tok == '/') {
		n = add_regex(bits, tok + 1, mask);
		if (n == -EINVAL)
			n = errmsg(err, len, -EINVAL, "-e trace: invalid regular expression '%s'",
				   tok + 1);
		else if (!n && !quiet)
			n = errmsg(err, len, -EINVAL, "-e trace: no syscall matches '%s'", tok);
		else
			n = 0;
	} else {
		const struct syscall_class *c = syscall_class_find(tok);

		n = add_name(bits, tok, mask);
		/* strace still takes "file" for "%file": only where no syscall has the name */
		if (n == -ENOENT && c && c->bare)
			n = add_class(bits, c, mask);
		if (n >= 0 || quiet)
			n = 0;
		else
			n = errmsg(err, len, -EINVAL, "-e trace: unknown syscall '%s'", shown);
	}
	if (tok != shown)
		free(tok);
	return n;
}

int filter__set_trace(struct filter *f, const char *set, char *err, size_t len)
{
	const char *body = set + (*set == '!');
	bitmaps_t bits = { { 0 } };
	char *copy, *p, *tok;
	bool all = true;
	int rc = 0;

	if (!*body)
		return errmsg(err, len, -EINVAL, "-e trace: empty set '%s'", set);
	copy = strdup(body);
	if (!copy)
		return errmsg(err, len, -ENOMEM, "-e trace: out of memory");
	/* strace skips empty items: "read,,write" is "read,write" */
	for (p = copy; !rc && p; p = tok) {
		tok = strchr(p, ',');
		if (tok)
			*tok++ = '\0';
		if (*p)
			rc = add_value(bits, p, err, len);
	}
	free(copy);
	if (rc)
		return rc;

	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int i = 0; i < SYSCALL_BITMAP_WORDS; i++) {
			if (*set == '!')
				bits[abi][i] = ~bits[abi][i];
			all = all && bits[abi][i] == ~0ULL;
		}
	}
	/* A later set replaces an earlier one, as in strace 6.1. */
	free(f->trace_expr);
	f->trace_expr = NULL;
	f->has_syscalls = !all;
	memset(f->syscalls, 0, sizeof(f->syscalls));
	if (all)
		return 0;
	memcpy(f->syscalls, bits, sizeof(bits));
	f->trace_expr = strdup(set);
	if (!f->trace_expr) {
		f->has_syscalls = false;
		return errmsg(err, len, -ENOMEM, "-e trace: out of memory");
	}
	return 0;
}

/* strace's -e qualifiers other than trace and status: sysray has no use for them. */
static bool other_qualifier(const char *q, size_t n)
{
	static const char names[] = " abbrev a verbose v raw x signal signals s read reads r "
				    "write writes w fault inject quiet silent silence q kvm fd "
				    "fds trace-fd trace-fds decode-fd decode-fds decode-pid "
				    "decode-pids ";
	char key[24];

	if (n + 3 > sizeof(key))
		return false;
	snprintf(key, sizeof(key), " %.*s ", (int)n, q);
	return strstr(names, key);
}

int filter__set_expr(struct filter *f, const char *expr, char *err, size_t len)
{
	size_t n = strspn(expr, "abcdefghijklmnopqrstuvwxyz-");

	if (expr[n] != '=')
		return filter__set_trace(f, expr, err, len);
	if ((n == 5 && !strncmp(expr, "trace", 5)) || (n == 1 && expr[0] == 't'))
		return filter__set_trace(f, expr + n + 1, err, len);
	if (n == 6 && !strncmp(expr, "status", 6))
		return errmsg(err, len, -EINVAL,
			      "-e status: not supported; use -Z (failed) or -z (successful)");
	if (other_qualifier(expr, n))
		return errmsg(err, len, -EINVAL,
			      "-e %.*s: not supported by sysray (only -e trace=)", (int)n, expr);
	return errmsg(err, len, -EINVAL, "-e: unknown qualifier '%.*s'", (int)n, expr);
}
