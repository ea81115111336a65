// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "lib/errnos.h"
#include "lib/syscalls.h"

static const char *name_of(int abi, int nr)
{
	static char buf[SYSCALL_NAME_BUF];

	return syscall_name(abi, nr, buf, sizeof(buf));
}

Test(syscalls, native_names)
{
	cr_assert_str_eq(name_of(SYSRAY_ABI_NATIVE, 0), "read");
	cr_assert_str_eq(name_of(SYSRAY_ABI_NATIVE, 1), "write");
	cr_assert_str_eq(name_of(SYSRAY_ABI_NATIVE, 59), "execve");
	cr_assert_str_eq(name_of(SYSRAY_ABI_NATIVE, 110), "getppid");
	cr_assert_str_eq(name_of(SYSRAY_ABI_NATIVE, 231), "exit_group");
	cr_assert_str_eq(name_of(SYSRAY_ABI_NATIVE, 262), "newfstatat");
}

Test(syscalls, i386_names)
{
	cr_assert_str_eq(name_of(SYSRAY_ABI_COMPAT, 1), "exit");
	cr_assert_str_eq(name_of(SYSRAY_ABI_COMPAT, 20), "getpid");
	cr_assert_str_eq(name_of(SYSRAY_ABI_COMPAT, 64), "getppid");
	cr_assert_str_eq(name_of(SYSRAY_ABI_COMPAT, 140), "_llseek");
	cr_assert_str_eq(name_of(SYSRAY_ABI_COMPAT, 252), "exit_group");
}

Test(syscalls, unknown_numbers)
{
	char buf[SYSCALL_NAME_BUF];

	/* 511 is in the tables' range and unused on all three ABIs */
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_NATIVE, 511, buf, sizeof(buf)), "syscall_511");
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_COMPAT, 511, buf, sizeof(buf)), "syscall_511");
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_X32, 511, buf, sizeof(buf)), "syscall_511");
	/* x32's own range, and the row of every number beyond the tables */
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_X32, 515, buf, sizeof(buf)), "readv");
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_NATIVE, 515, buf, sizeof(buf)), "syscall_515");
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_NATIVE, SYSRAY_NR_OUT_OF_RANGE, buf, sizeof(buf)),
			 "syscall_out_of_range");
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_NATIVE, SYSRAY_MAX_NR, buf, sizeof(buf)),
			 "syscall_576");
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_NATIVE, -1, buf, sizeof(buf)), "syscall_-1");
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_CNT, 0, buf, sizeof(buf)), "syscall_0");
	/* a short buffer truncates rather than overflows */
	cr_assert_str_eq(syscall_name(SYSRAY_ABI_NATIVE, 511, buf, 5), "sysc");
}

Test(syscalls, lookup)
{
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "read"), 0);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "exit_group"), 231);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_COMPAT, "exit_group"), 252);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_COMPAT, "getppid"), 64);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "no_such_call"), -ENOENT);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, ""), -ENOENT);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, NULL), -ENOENT);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_CNT, "read"), -ENOENT);
	/* socketcall exists only on i386 */
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "socketcall"), -ENOENT);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_COMPAT, "socketcall"), 102);
}

Test(syscalls, lookup_unnamed)
{
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_511"), 511);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_0x1ff"), 511);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_512"), 512);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_575"), -ENOENT,
		     "the out-of-range row");
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_X32, "syscall_out_of_range"),
		     SYSRAY_NR_OUT_OF_RANGE);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_"), -ENOENT);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_0x"), -ENOENT);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_-1"), -ENOENT);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_ 1"), -ENOENT);
	cr_assert_eq(syscall_lookup(SYSRAY_ABI_NATIVE, "syscall_12x"), -ENOENT);
}

Test(syscalls, round_trip_every_name)
{
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		int named = 0;

		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			char buf[SYSCALL_NAME_BUF];
			const char *n = syscall_name(abi, nr, buf, sizeof(buf));

			cr_assert_eq(syscall_lookup(abi, n), nr, "%s %s", abi_name(abi), n);
			if (syscall_table_name(abi, nr))
				named++;
		}
		/* the tables come from the kernel's full tables, not a stub */
		cr_assert_gt(named, 300, "%s has only %d names", abi_name(abi), named);
		/* and from one newer than Debian 12's headers (which stop at 450) */
		cr_assert_str_eq(syscall_name(abi, 451, NULL, 0), "cachestat");
	}
}

Test(syscalls, abi_names)
{
	cr_assert_str_eq(abi_name(SYSRAY_ABI_NATIVE), "x86_64");
	cr_assert_str_eq(abi_name(SYSRAY_ABI_COMPAT), "i386");
	cr_assert_null(abi_name(SYSRAY_ABI_CNT));
	cr_assert_null(abi_name(-1));
	cr_assert_eq(abi_lookup("x86_64"), SYSRAY_ABI_NATIVE);
	cr_assert_eq(abi_lookup("i386"), SYSRAY_ABI_COMPAT);
	cr_assert_eq(abi_lookup("x32"), SYSRAY_ABI_X32);
	cr_assert_eq(abi_lookup("arm"), -ENOENT);
	cr_assert_eq(abi_of_qualifier("x32"), SYSRAY_ABI_X32);
	cr_assert_eq(abi_of_qualifier("64"), SYSRAY_ABI_NATIVE);
	cr_assert_str_eq(abi_personality(SYSRAY_ABI_COMPAT), "32 bit");
}

Test(errnos, names)
{
	cr_assert_str_eq(errno_name(EPERM), "EPERM");
	cr_assert_str_eq(errno_name(ENOENT), "ENOENT");
	cr_assert_str_eq(errno_name(EBADF), "EBADF");
	cr_assert_str_eq(errno_name(EHWPOISON), "EHWPOISON");
	/* the name strace prints wins over its aliases */
	cr_assert_str_eq(errno_name(EAGAIN), "EAGAIN");
	cr_assert_str_eq(errno_name(EDEADLK), "EDEADLK");
	cr_assert_str_eq(errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	/* kernel-internal codes */
	cr_assert_str_eq(errno_name(512), "ERESTARTSYS");
	cr_assert_str_eq(errno_name(516), "ERESTART_RESTARTBLOCK");
	cr_assert_str_eq(errno_name(519), "ENOPARAM");
	cr_assert_str_eq(errno_name(524), "ENOTSUPP");
	cr_assert_str_eq(errno_name(530), "ERECALLCONFLICT");
	cr_assert_null(errno_name(0));
	cr_assert_null(errno_name(-1));
	cr_assert_null(errno_name(41)); /* a hole in the Linux numbering */
	cr_assert_null(errno_name(520));
	cr_assert_null(errno_name(SYSRAY_ERRNO_CNT));
}

Test(errnos, lookup)
{
	cr_assert_eq(errno_lookup("ENOENT"), ENOENT);
	cr_assert_eq(errno_lookup("EAGAIN"), EAGAIN);
	cr_assert_eq(errno_lookup("EWOULDBLOCK"), EAGAIN);
	cr_assert_eq(errno_lookup("EDEADLOCK"), EDEADLK);
	cr_assert_eq(errno_lookup("ENOTSUP"), EOPNOTSUPP);
	cr_assert_eq(errno_lookup("ERESTARTSYS"), 512);
	cr_assert_eq(errno_lookup("2"), 2);
	cr_assert_eq(errno_lookup("4095"), 4095);
	cr_assert_eq(errno_lookup("4096"), -EINVAL);
	cr_assert_eq(errno_lookup("0"), -EINVAL);
	cr_assert_eq(errno_lookup("-2"), -EINVAL);
	cr_assert_eq(errno_lookup("2x"), -EINVAL);
	cr_assert_eq(errno_lookup("enoent"), -EINVAL);
	cr_assert_eq(errno_lookup("EFOO"), -EINVAL);
	cr_assert_eq(errno_lookup(""), -EINVAL);
	cr_assert_eq(errno_lookup(NULL), -EINVAL);
}

Test(errnos, round_trip_every_name)
{
	int named = 0;

	for (int e = 1; e < SYSRAY_ERRNO_CNT; e++) {
		const char *n = errno_name(e);

		if (!n)
			continue;
		named++;
		cr_assert_eq(errno_lookup(n), e, "%s", n);
	}
	cr_assert_gt(named, 130);
	for (const struct sysray_errno_alias *a = sysray_errno_aliases; a->name; a++) {
		cr_assert_eq(errno_lookup(a->name), a->err, "%s", a->name);
		cr_assert_str_neq(errno_name(a->err), a->name);
	}
}
