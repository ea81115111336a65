// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "sysray_events.h"
#include "events/decode.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* Arguments that name a file: read as strings in the kernel (-s bytes). */
static bool is_path(const char *sys, const char *type, const char *name)
{
	static const char *const names[] = { "filename", "pathname", "oldname",	    "newname",
					     "path",	 "dev_name", "dir_name",    "new_root",
					     "put_old",	 "special",  "specialfile", "library" };

	if (strcmp(type, "char *") && strcmp(type, "const char *"))
		return false;
	if (!strcmp(name, "name"))
		return !strcmp(sys, "umount2") || !strcmp(sys, "acct");
	return in_list(name, names, ARRAY_LEN(names)) || ends_with(name, "_pathname");
}

static bool is_signed32(const char *t)
{
	static const char *const types[] = { "int",   "pid_t", "timer_t",      "mqd_t",	   "key_t",
					     "rwf_t", "__s32", "key_serial_t", "clockid_t" };

	return in_list(t, types, ARRAY_LEN(types)) || !strncmp(t, "enum ", 5);
}

static enum arg_kind integer_kind(const char *sys, const char *t, const char *name)
{
	static const char *const u32s[] = { "unsigned int", "unsigned", "u32",	"__u32",
					    "uid_t",	    "gid_t",	"qid_t" };
	static const char *const u64s[] = { "unsigned long", "size_t", "u64", "__u64",
					    "aio_context_t" };
	static const char *const s64s[] = { "long", "loff_t", "off_t" };
	static const char *const addrs[] = { "addr", "start", "brk", "new_addr", "old_addr" };
	bool s32 = is_signed32(t), u32 = in_list(t, u32s, ARRAY_LEN(u32s));
	bool s64 = in_list(t, s64s, ARRAY_LEN(s64s)), u64 = in_list(t, u64s, ARRAY_LEN(u64s));

	if (!s32 && !u32 && !s64 && !u64)
		return ARG_RAW;
	if (!strcmp(name, "dfd") || ends_with(name, "_dfd") || ends_with(name, "dirfd") ||
	    !strcmp(name, "olddfd") || !strcmp(name, "newdfd"))
		return ARG_DIRFD;
	if (!strcmp(name, "fd") || !strncmp(name, "fd_", 3) || !strcmp(name, "fildes") ||
	    (ends_with(name, "fd") && strcmp(name, "nfd")))
		return ARG_FD;
	if (!strcmp(name, "flags") &&
	    (!strcmp(sys, "open") || !strcmp(sys, "openat") || !strcmp(sys, "open_by_handle_at")))
		return ARG_OPEN_FLAGS;
	if (!strcmp(sys, "umask"))
		return ARG_MODE;
	/* Untyped "arg2".."arg5" (prctl, arch_prctl) are addresses as often as numbers. */
	if (strstr(name, "flags") || strstr(name, "mask") || !strcmp(name, "prot") ||
	    (!strcmp(sys, "ioctl") && !strcmp(name, "cmd")) || (u64 && !strncmp(name, "arg", 3)))
		return ARG_HEX;
	if (u64 && in_list(name, addrs, ARRAY_LEN(addrs)))
		return ARG_PTR;
	return s32 ? ARG_INT : u32 ? ARG_UINT : s64 ? ARG_LONG : ARG_ULONG;
}

enum arg_kind decode_kind(const char *sys, const char *type, const char *name)
{
	if (!strncmp(type, "const ", 6))
		type += 6;
	if (is_path(sys, type, name))
		return ARG_PATH;
	if (strchr(type, '*') || !strcmp(type, "cap_user_header_t") ||
	    !strcmp(type, "cap_user_data_t"))
		return ARG_PTR;
	if (!strcmp(type, "umode_t") || !strcmp(type, "mode_t"))
		return ARG_MODE;
	return integer_kind(sys, type, name);
}

static enum ret_kind ret_kind_of(const char *sys)
{
	static const char *const hex[] = { "mmap", "mremap", "brk", "shmat" };
	static const char *const fds[] = {
		"open",
		"openat",
		"openat2",
		"creat",
		"dup",
		"dup2",
		"dup3",
		"socket",
		"accept",
		"accept4",
		"epoll_create",
		"epoll_create1",
		"eventfd",
		"eventfd2",
		"timerfd_create",
		"signalfd",
		"signalfd4",
		"inotify_init",
		"inotify_init1",
		"fanotify_init",
		"memfd_create",
		"memfd_secret",
		"pidfd_open",
		"pidfd_getfd",
		"perf_event_open",
		"userfaultfd",
		"open_tree",
		"open_tree_attr",
		"fsopen",
		"fsmount",
		"fspick",
		"io_uring_setup",
		"open_by_handle_at",
		"landlock_create_ruleset",
		"mq_open",
	};

	if (in_list(sys, hex, ARRAY_LEN(hex)))
		return RET_HEX;
	return in_list(sys, fds, ARRAY_LEN(fds)) ? RET_FD : RET_INT;
}

/*
 * A 32-bit task (ia32, AArch32) passes a 64-bit argument in two registers, and a few calls
 * of the same name take other arguments there (old_mmap and old_select take one struct,
 * clone its own order): such calls keep raw values rather than a native layout's, wrong.
 */
static bool compat_layout_differs(const struct arch_syscall_args *a)
{
	static const char *const other[] = { "mmap", "select", "clone" };
	static const char *const wide[] = { "loff_t", "u64",	   "__u64",
					    "s64",    "long long", "unsigned long long" };

	if (in_list(a->name, other, ARRAY_LEN(other)))
		return true;
	for (int i = 0; i < a->nargs; i++)
		if (in_list(a->args[i].type, wide, ARRAY_LEN(wide)))
			return true;
	return false;
}

static int desc_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct arch_syscall_args *)elem)->name);
}

/* Descriptions of every (abi, nr), built on first use from the arch's table. */
static struct sys_desc descs[SYSRAY_ABI_CNT][SYSRAY_MAX_NR];
static const struct sys_desc raw_desc = {
	.nargs = 6,
	.args = { { "arg0", ARG_RAW },
		  { "arg1", ARG_RAW },
		  { "arg2", ARG_RAW },
		  { "arg3", ARG_RAW },
		  { "arg4", ARG_RAW },
		  { "arg5", ARG_RAW } },
};
static bool descs_ready;

static void build_descs(void)
{
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			const char *name = arch_syscall_names[abi][nr];
			const struct arch_syscall_args *a;
			struct sys_desc *d = &descs[abi][nr];

			*d = raw_desc;
			a = name ? bsearch(name, arch_syscall_args, arch_nr_syscall_args,
					   sizeof(*a), desc_cmp)
				 : NULL;
			if (!a || (abi == SYSRAY_ABI_COMPAT && compat_layout_differs(a)))
				continue;
			d->name = a->name;
			d->nargs = a->nargs;
			d->ret = ret_kind_of(a->name);
			for (int i = 0; i < a->nargs; i++)
				d->args[i] = (struct sys_arg){
					a->args[i].name,
					decode_kind(a->name, a->args[i].type, a->args[i].name),
				};
		}
	}
	descs_ready = true;
}

const struct sys_desc *decode_sys(int abi, int nr)
{
	if (abi < 0 || abi >= SYSRAY_ABI_CNT || nr < 0 || nr >= SYSRAY_MAX_NR)
		return &raw_desc;
	if (!descs_ready)
		build_descs();
	return &descs[abi][nr];
}

const char *decode_kind_name(enum arg_kind k)
{
	static const char *const names[ARG_KIND_CNT] = {
		[ARG_RAW] = "raw",   [ARG_INT] = "int",	    [ARG_LONG] = "long",
		[ARG_UINT] = "uint", [ARG_ULONG] = "ulong", [ARG_HEX] = "hex",
		[ARG_PTR] = "ptr",   [ARG_FD] = "fd",	    [ARG_DIRFD] = "dirfd",
		[ARG_MODE] = "mode", [ARG_PATH] = "path",   [ARG_OPEN_FLAGS] = "open_flags",
	};

	return (unsigned int)k < ARG_KIND_CNT ? names[k] : "raw";
}

/* The spec of one description: its first two paths and first two fds, a returned fd. */
static __u16 spec_of(const struct sys_desc *d)
{
	int nstr = 0, nfd = 0;
	__u16 spec = 0;

	for (int i = 0; i < d->nargs; i++) {
		if (d->args[i].kind == ARG_PATH && nstr < SYSRAY_EV_NSTR)
			spec |= (i + 1)
				<< (nstr++ ? SYSRAY_EV_SPEC_STR1_SHIFT : SYSRAY_EV_SPEC_STR0_SHIFT);
		if ((d->args[i].kind == ARG_FD || d->args[i].kind == ARG_DIRFD) &&
		    nfd < SYSRAY_EV_NFD)
			spec |= (i + 1)
				<< (nfd++ ? SYSRAY_EV_SPEC_FD1_SHIFT : SYSRAY_EV_SPEC_FD0_SHIFT);
	}
	if (d->ret == RET_FD)
		spec |= SYSRAY_EV_SPEC_RET_FD;
	if (d->name && (!strcmp(d->name, "execve") || !strcmp(d->name, "execveat")))
		spec |= SYSRAY_EV_SPEC_EXEC;
	return spec;
}

void decode_kernel_spec(__u16 spec[SYSRAY_ABI_CNT * SYSRAY_MAX_NR])
{
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++)
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++)
			spec[abi * SYSRAY_MAX_NR + nr] = spec_of(decode_sys(abi, nr));
}

/* open's flags, in the order strace 6.1 prints them on x86_64 (values of asm-generic). */
static const struct {
	unsigned int bits;
	const char *name;
} open_flags[] = {
	{ 0100, "O_CREAT" },	    { 0200, "O_EXCL" },	       { 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" },	    { 02000, "O_APPEND" },     { 04000, "O_NONBLOCK" },
	{ 04010000, "O_SYNC" },	    { 010000, "O_DSYNC" },     { 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" },  { 010000000, "O_PATH" },   { 020200000, "O_TMPFILE" },
	{ 0200000, "O_DIRECTORY" }, { 020000, "FASYNC" },
};

int decode_open_flags(char *buf, size_t len, __u64 raw)
{
	static const char *const modes[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	unsigned int f = (unsigned int)raw, left = f & ~3U;
	int n = snprintf(buf, len, "%s", modes[f & 3]);

	for (size_t i = 0; i < ARRAY_LEN(open_flags); i++) {
		if ((left & open_flags[i].bits) != open_flags[i].bits)
			continue;
		left &= ~open_flags[i].bits;
		n += snprintf(buf + (n < (int)len ? n : (int)len), n < (int)len ? len - n : 0,
			      "|%s", open_flags[i].name);
	}
	if (left)
		n += snprintf(buf + (n < (int)len ? n : (int)len), n < (int)len ? len - n : 0,
			      "|%#x", left);
	return n;
}

bool decode_open_has_mode(__u64 flags)
{
	return (flags & 0100) || (flags & 020200000) == 020200000;
}

int decode_scalar(char *buf, size_t len, enum arg_kind k, __u64 raw, bool compat)
{
	if (compat && raw > 0xffffffffULL)
		raw &= 0xffffffffULL;
	switch (k) {
	case ARG_INT:
	case ARG_FD:
		return snprintf(buf, len, "%d", (int)raw);
	case ARG_DIRFD:
		if ((int)raw == SYSRAY_EV_AT_FDCWD)
			return snprintf(buf, len, "AT_FDCWD");
		return snprintf(buf, len, "%d", (int)raw);
	case ARG_LONG:
		return snprintf(buf, len, "%lld", compat ? (long long)(int)raw : (long long)raw);
	case ARG_UINT:
		return snprintf(buf, len, "%u", (unsigned int)raw);
	case ARG_ULONG:
		return snprintf(buf, len, "%llu", (unsigned long long)raw);
	case ARG_MODE:
		return snprintf(buf, len, "%#03o", (unsigned int)raw);
	case ARG_OPEN_FLAGS:
		return decode_open_flags(buf, len, raw);
	case ARG_PTR:
	case ARG_PATH:
		if (!raw)
			return snprintf(buf, len, "NULL");
		return snprintf(buf, len, "%#llx", (unsigned long long)raw);
	case ARG_HEX:
	case ARG_RAW:
	default:
		return snprintf(buf, len, "%#llx", (unsigned long long)raw);
	}
}
