// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Syscall classes for -e trace=%CLASS.  The kernel's headers do not say which class a syscall
 * belongs to, so this table is the one place that does; docs/filters.md is generated from it.
 *
 * Membership follows strace 6.1's x86_64 and i386 tables (the flags of each syscall entry), with
 * three differences, all because sysray sees raw syscall numbers and one list serves both ABIs:
 *  - socketcall (i386) is in %network only: strace decodes its subcalls and files them under
 *    %network, while sysray cannot tell the subcalls apart;
 *  - ipc (i386) is in %ipc only: strace also files the shmat/shmdt subcalls under %memory;
 *  - mq_notify is in %desc on both ABIs: strace 6.1 has it there on i386 only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "filter/syscall_classes.h"
#include "lib/syscalls.h"

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Longer than any syscall name. */
#define NAME_MAX_LEN 64

static const struct syscall_class classes[] = {
	{
	    .name = "file",
	    .bare = true,
	    .doc = "Calls that take a file name as an argument.",
	    .members =
		"access acct chdir chmod chown chown32 chroot creat execve execveat faccessat "
		"faccessat2 fanotify_mark fchmodat fchownat fsconfig fspick fstatat64 futimesat "
		"getcwd getxattr inotify_add_watch lchown lchown32 lgetxattr link linkat "
		"listxattr llistxattr lremovexattr lsetxattr lstat lstat64 mkdir mkdirat mknod "
		"mknodat mount mount_setattr move_mount name_to_handle_at newfstatat oldlstat "
		"oldstat open open_tree openat openat2 pivot_root quotactl readlink readlinkat "
		"removexattr rename renameat renameat2 rmdir setxattr stat stat64 statfs statfs64 "
		"statx swapoff swapon symlink symlinkat truncate truncate64 umount umount2 unlink "
		"unlinkat uselib utime utimensat utimensat_time64 utimes",
	},
	{
	    .name = "desc",
	    .bare = true,
	    .doc = "Calls that take or return a file descriptor.",
	    .members =
		"_llseek _newselect bpf close copy_file_range creat dup dup2 dup3 epoll_create "
		"epoll_create1 epoll_ctl epoll_pwait epoll_pwait2 epoll_wait eventfd eventfd2 "
		"execveat faccessat faccessat2 fadvise64 fadvise64_64 fallocate fanotify_init "
		"fanotify_mark fchdir fchmod fchmodat fchown fchown32 fchownat fcntl fcntl64 "
		"fdatasync fgetxattr finit_module flistxattr flock fremovexattr fsconfig "
		"fsetxattr fsmount fsopen fspick fstat fstat64 fstatat64 fstatfs fstatfs64 fsync "
		"ftruncate ftruncate64 futimesat getdents getdents64 inotify_add_watch "
		"inotify_init inotify_init1 inotify_rm_watch io_uring_enter io_uring_register "
		"io_uring_setup ioctl kexec_file_load landlock_add_rule landlock_create_ruleset "
		"landlock_restrict_self linkat lseek memfd_create memfd_secret mkdirat mknodat "
		"mmap mmap2 mount_setattr move_mount mq_getsetattr mq_notify mq_open "
		"mq_timedreceive mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 "
		"name_to_handle_at newfstatat oldfstat open open_by_handle_at open_tree openat "
		"openat2 perf_event_open pidfd_getfd pidfd_open pidfd_send_signal pipe pipe2 poll "
		"ppoll ppoll_time64 pread64 preadv preadv2 process_madvise process_mrelease "
		"pselect6 pselect6_time64 pwrite64 pwritev pwritev2 quotactl_fd read readahead "
		"readdir readlinkat readv renameat renameat2 select sendfile sendfile64 setns "
		"signalfd signalfd4 splice statx symlinkat sync_file_range syncfs tee "
		"timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime "
		"timerfd_settime64 unlinkat userfaultfd utimensat utimensat_time64 vmsplice write "
		"writev",
	},
	{
	    .name = "network",
	    .alias = "net",
	    .bare = true,
	    .doc = "Socket and other network calls.",
	    .members =
		"accept accept4 bind connect getpeername getpmsg getsockname getsockopt listen "
		"putpmsg recvfrom recvmmsg recvmmsg_time64 recvmsg sendfile sendfile64 sendmmsg "
		"sendmsg sendto setsockopt shutdown socket socketcall socketpair",
	},
	{
	    .name = "process",
	    .bare = true,
	    .doc = "Process lifecycle: creation, exec, waiting, termination, signals to tasks.",
	    .members = "clone clone3 execve execveat exit exit_group fork kill pidfd_send_signal "
		       "rt_sigqueueinfo rt_tgsigqueueinfo tgkill tkill vfork wait4 waitid waitpid",
	},
	{
	    .name = "memory",
	    .bare = true,
	    .doc = "Memory mapping and memory policy calls.",
	    .members =
		"break brk get_mempolicy io_destroy io_setup io_uring_register madvise mbind "
		"migrate_pages mincore mlock mlock2 mlockall mmap mmap2 move_pages mprotect "
		"mremap msync munlock munlockall munmap pkey_mprotect remap_file_pages "
		"set_mempolicy set_mempolicy_home_node shmat shmdt",
	},
	{
	    .name = "signal",
	    .bare = true,
	    .doc = "Signal handling and sending calls.",
	    .members =
		"io_uring_enter kill pause pidfd_send_signal rt_sigaction rt_sigpending "
		"rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait "
		"rt_sigtimedwait_time64 rt_tgsigqueueinfo sgetmask sigaction sigaltstack signal "
		"signalfd signalfd4 sigpending sigprocmask sigreturn sigsuspend ssetmask tgkill "
		"tkill",
	},
	{
	    .name = "ipc",
	    .bare = true,
	    .doc = "System V IPC: message queues, semaphores, shared memory.",
	    .members =
		"ipc msgctl msgget msgrcv msgsnd semctl semget semop semtimedop semtimedop_time64 "
		"shmat shmctl shmdt shmget",
	},
	{
	    .name = "creds",
	    .doc = "Calls that read or change user and group ids or capability sets.",
	    .members =
		"capget capset getegid getegid32 geteuid geteuid32 getgid getgid32 getgroups "
		"getgroups32 getresgid getresgid32 getresuid getresuid32 getuid getuid32 prctl "
		"setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 "
		"setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid "
		"setreuid32 setuid setuid32",
	},
	{
	    .name = "clock",
	    .doc = "Calls that read or set system clocks.",
	    .members = "adjtimex clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 "
		       "clock_gettime clock_gettime64 clock_settime clock_settime64 gettimeofday "
		       "settimeofday time",
	},
	{
	    .name = "stat",
	    .doc = "stat variants.",
	    .members = "oldstat stat stat64",
	},
	{
	    .name = "lstat",
	    .doc = "lstat variants.",
	    .members = "lstat lstat64 oldlstat",
	},
	{
	    .name = "fstat",
	    .doc = "fstat, fstatat and statx variants.",
	    .members = "fstat fstat64 fstatat64 newfstatat oldfstat statx",
	},
	{
	    .name = "%stat",
	    .doc = "All file status calls: stat, lstat, fstat, fstatat and statx variants.",
	    .members =
		"fstat fstat64 fstatat64 lstat lstat64 newfstatat oldfstat oldlstat oldstat stat "
		"stat64 statx",
	},
	{
	    .name = "statfs",
	    .doc = "statfs variants.",
	    .members = "statfs statfs64",
	},
	{
	    .name = "fstatfs",
	    .doc = "fstatfs variants.",
	    .members = "fstatfs fstatfs64",
	},
	{
	    .name = "%statfs",
	    .doc = "File system statistics: statfs and fstatfs variants and ustat.",
	    .members = "fstatfs fstatfs64 statfs statfs64 ustat",
	},
	{
	    .name = "pure",
	    .doc = "Calls without arguments that always succeed.",
	    .members = "getegid getegid32 geteuid geteuid32 getgid getgid32 getpgrp getpid getppid "
		       "gettid getuid getuid32",
	},
};

int syscall_class_count(void)
{
	return ARRAY_LEN(classes);
}

const struct syscall_class *syscall_class_get(int i)
{
	return i >= 0 && i < ARRAY_LEN(classes) ? &classes[i] : NULL;
}

const struct syscall_class *syscall_class_find(const char *name)
{
	for (int i = 0; name && i < ARRAY_LEN(classes); i++) {
		const struct syscall_class *c = &classes[i];

		if (!strcmp(c->name, name) || (c->alias && !strcmp(c->alias, name)))
			return c;
	}
	return NULL;
}

/* Copy the word at *p into buf and advance *p past it; false at the end of the list. */
static bool next_word(const char **p, char *buf, size_t len)
{
	const char *s = *p;
	size_t n;

	while (*s == ' ')
		s++;
	n = strcspn(s, " ");
	if (!n)
		return false;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*p = s + strcspn(s, " ");
	return true;
}

int syscall_class_fill(const struct syscall_class *c, int abi, __u64 *bitmap)
{
	const char *p = c->members;
	char name[NAME_MAX_LEN];
	int n = 0;

	if (!abi_name(abi))
		return -EINVAL;
	while (next_word(&p, name, sizeof(name))) {
		int nr = syscall_lookup(abi, name);

		if (nr < 0)
			continue;
		bitmap[nr / 64] |= 1ULL << (nr % 64);
		n++;
	}
	return n;
}

bool syscall_class_has(const struct syscall_class *c, const char *name)
{
	const char *p = c->members;
	char word[NAME_MAX_LEN];

	while (next_word(&p, word, sizeof(word))) {
		if (!strcmp(word, name))
			return true;
	}
	return false;
}

/* The members present in the ABIs of mask (bit per abi) and in no other, as `name` words. */
static void md_names(FILE *out, const struct syscall_class *c, unsigned int mask, const char *label)
{
	const char *p = c->members;
	char name[NAME_MAX_LEN];
	int col = 0, n = 0;

	while (next_word(&p, name, sizeof(name))) {
		unsigned int in = 0;
		int w = (int)strlen(name) + 3;

		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
			if (syscall_lookup(abi, name) >= 0)
				in |= 1U << abi;
		}
		/* x32 takes x86_64's names: the docs compare x86_64 with i386. */
		if ((in & ((1U << SYSRAY_ABI_NATIVE) | (1U << SYSRAY_ABI_COMPAT))) != mask)
			continue;
		if (!n++) {
			fprintf(out, "%s:", label);
			col = (int)strlen(label) + 1;
		}
		if (col + w > 100) {
			fputc('\n', out);
			col = 0;
			w--;
		} else {
			fputc(' ', out);
		}
		fprintf(out, "`%s`", name);
		col += w;
	}
	if (n)
		fputs("\n\n", out);
}

int syscall_classes_markdown(FILE *out)
{
	const unsigned int native = 1U << SYSRAY_ABI_NATIVE, compat = 1U << SYSRAY_ABI_COMPAT;

	for (int i = 0; i < ARRAY_LEN(classes); i++) {
		const struct syscall_class *c = &classes[i];

		fprintf(out, "### %%%s", c->name);
		if (c->alias)
			fprintf(out, " (also %%%s)", c->alias);
		fprintf(out, "\n\n%s\n", c->doc);
		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
			__u64 bits[SYSCALL_BITMAP_WORDS] = { 0 };

			fprintf(out, "%s %s: %d", abi ? "," : "Members:", abi_name(abi),
				syscall_class_fill(c, abi, bits));
		}
		fputs(".\n\n", out);
		md_names(out, c, native | compat, "Both ABIs");
		md_names(out, c, native, "x86_64 only");
		md_names(out, c, compat, "i386 only");
	}
	return ferror(out) ? -EIO : 0;
}
