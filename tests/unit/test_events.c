// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The event formats on events built here byte for byte as the kernel writes them: strace's
 * layout (checked against lines strace 6.1 printed for the same calls), JSON Lines read
 * back with the product's reader, CSV; the argument kinds of the generated table; the
 * decoders; -y against this process's own descriptors in /proc.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include "diff/json_read.h"
#include "events/event.h"
#include "lib/csv.h"
#include "memstream.h"

/* An event with its strings after the header, as one ring sample. */
struct sample {
	struct sysray_event e;
	char strs[2 * SYSRAY_EV_STR_MAX];
};

static size_t add_str(struct sample *s, int i, int arg, const char *str, int state)
{
	size_t off = 0;

	for (int k = 0; k < i; k++)
		off += s->e.str_len[k];
	s->e.str_len[i] = strlen(str);
	s->e.str_state[i] = state;
	s->e.str_arg[i] = arg + 1;
	memcpy(s->strs + off, str, strlen(str));
	return sizeof(s->e) + off + strlen(str);
}

static void init(struct sample *s, int nr, long ret, __u64 dur)
{
	memset(s, 0, sizeof(*s));
	s->e.start_ns = 5000000000ULL;
	s->e.dur_ns = dur;
	s->e.ret = ret;
	s->e.tgid = 42;
	s->e.tid = 43;
	s->e.nr = nr;
	s->e.abi = SYSRAY_ABI_NATIVE;
	memcpy(s->e.comm, "tool", 5);
}

/* One event through a format into a string (freed by the caller). */
static char *render(int (*fmt)(struct ev_fmt *, const struct ev_view *), struct sample *s,
		    size_t len, int timestamps, bool durations)
{
	struct ev_fmt x = { .timestamps = timestamps, .durations = durations };
	struct ev_view v;
	struct mem m;

	mem_open(&m);
	x.f = m.f;
	cr_assert_eq(ev_view_init(&v, &s->e, len), 0);
	cr_assert_eq(fmt(&x, &v), 0);
	ev_line_free(&x.line);
	ev_line_free(&x.aux);
	return mem_text(&m);
}

static void expect_line(struct sample *s, size_t len, const char *want)
{
	char *got = render(format_strace, s, len, 0, false);

	cr_expect_str_eq(got, want);
	free(got);
}

Test(events, strace_layout_of_open_calls)
{
	struct sample s;
	size_t len;

	/* openat(AT_FDCWD, "/nonexist", O_WRONLY|O_SYNC|O_PATH) = -1 ENOENT, from strace */
	init(&s, SYS_openat, -2, 1000);
	s.e.args[0] = (__u64)-100;
	s.e.args[1] = 0x5555;
	s.e.args[2] = 01 | 04010000 | 010000000;
	len = add_str(&s, 0, 1, "/nonexist", SYSRAY_EV_STR_OK);
	expect_line(
	    &s, len,
	    "[pid    43] openat(AT_FDCWD, \"/nonexist\", O_WRONLY|O_SYNC|O_PATH) = -1 ENOENT "
	    "(No such file or directory)\n");

	/* The mode only with O_CREAT (or O_TMPFILE), in octal; unknown bits in hex. */
	s.e.args[2] = 2 | 020200000;
	s.e.args[3] = 0600;
	s.e.ret = 3;
	expect_line(&s, len,
		    "[pid    43] openat(AT_FDCWD, \"/nonexist\", O_RDWR|O_TMPFILE, 0600) = 3\n");
	s.e.args[0] = 5;
	s.e.args[2] = 3 | 0x40000000;
	expect_line(&s, len, "[pid    43] openat(5, \"/nonexist\", O_ACCMODE|0x40000000) = 3\n");
	/* All flags, in the order strace printed them. */
	s.e.args[2] = 0100 | 0200 | 0400 | 01000 | 02000 | 04000 | 010000 | 020000 | 040000 |
		      0100000 | 0200000 | 0400000 | 01000000 | 02000000;
	s.e.args[3] = 0644;
	expect_line(&s, len,
		    "[pid    43] openat(5, \"/nonexist\", "
		    "O_RDONLY|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_DSYNC|O_DIRECT|"
		    "O_LARGEFILE|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_DIRECTORY|FASYNC, 0644) = 3\n");
}

Test(events, strace_padding_strings_and_results)
{
	struct sample s;
	size_t len;

	/* strace -f: [pid  5905] mkdir("/nonexist/x", 000)   = -1 ENOENT (...) */
	init(&s, SYS_mkdir, -20, 1000);
	len = add_str(&s, 0, 0, "/nonexist/x", SYSRAY_EV_STR_OK);
	expect_line(&s, len,
		    "[pid    43] mkdir(\"/nonexist/x\", 000)   = -1 ENOTDIR (Not a directory)\n");
	/* Escapes as strace: control bytes, quotes, backslashes; cut strings end with ... */
	init(&s, SYS_openat, -9, 1000);
	s.e.args[0] = 5;
	len = add_str(&s, 0, 1, "a\nb\033\"x\\y", SYSRAY_EV_STR_TRUNCATED);
	expect_line(
	    &s, len,
	    "[pid    43] openat(5, \"a\\nb\\33\\\"x\\\\y\"..., O_RDONLY) = -1 EBADF (Bad file "
	    "descriptor)\n");
	/* Unreadable: the pointer, or NULL; a short call is padded to column 40. */
	init(&s, SYS_openat, -14, 1000);
	s.e.args[0] = (__u64)-100;
	s.e.args[1] = 0;
	s.e.str_state[0] = SYSRAY_EV_STR_FAULT;
	s.e.str_arg[0] = 2;
	expect_line(&s, sizeof(s.e),
		    "[pid    43] openat(AT_FDCWD, NULL, O_RDONLY) = -1 EFAULT (Bad address)\n");
	init(&s, SYS_getppid, 7, 1000);
	expect_line(&s, sizeof(s.e), "[pid    43] getppid()                   = 7\n");
	/* Addresses returned in hex; a signal's restart code as strace shows it. */
	init(&s, SYS_brk, 0x5625c48de000, 1000);
	expect_line(&s, sizeof(s.e), "[pid    43] brk(NULL)                   = 0x5625c48de000\n");
	init(&s, SYS_read, -512, 1000);
	s.e.args[1] = 0x7ffd00;
	s.e.args[2] = 64;
	expect_line(&s, sizeof(s.e),
		    "[pid    43] read(0, 0x7ffd00, 64)       = ? ERESTARTSYS (To be restarted if "
		    "SA_RESTART is set)\n");
	init(&s, SYS_exit_group, 0, 1000);
	s.e.flags = SYSRAY_EV_UNFINISHED;
	expect_line(&s, sizeof(s.e), "[pid    43] exit_group(0)               = ?\n");
}

Test(events, strace_times)
{
	struct sample s;
	char *got;

	init(&s, SYS_getppid, 7, 1234567);
	got = render(format_strace, &s, sizeof(s.e), 0, true);
	cr_expect_str_eq(got, "[pid    43] getppid()                   = 7 <0.001234>\n");
	free(got);
	/* -ttt: seconds since the epoch, here the monotonic time as the offset is 0 */
	got = render(format_strace, &s, sizeof(s.e), 3, false);
	cr_expect_str_eq(got, "[pid    43] 5.000000 getppid()          = 7\n");
	free(got);
	got = render(format_strace, &s, sizeof(s.e), 2, false);
	cr_expect(strlen(got) == strlen("[pid    43] 00:00:05.000000 getppid()   = 7\n") &&
		      !strcmp(got + 27, " getppid()   = 7\n") && got[14] == ':',
		  "%s", got);
	free(got);
}

Test(events, view_rejects_inconsistent_samples)
{
	struct sample s;
	struct ev_view v;
	size_t len;

	init(&s, SYS_openat, 0, 1);
	len = add_str(&s, 0, 1, "/etc/passwd", SYSRAY_EV_STR_OK);
	cr_expect_eq(ev_view_init(&v, &s.e, len), 0);
	cr_expect_eq(ev_view_init(&v, &s.e, len - 1), -EINVAL, "strings past the sample");
	cr_expect_eq(ev_view_init(&v, &s.e, sizeof(s.e) - 1), -EINVAL, "short header");
	s.e.str_arg[0] = 7;
	cr_expect_eq(ev_view_init(&v, &s.e, len), -EINVAL, "no argument 7");
	s.e.str_arg[0] = 2;
	s.e.abi = SYSRAY_ABI_CNT;
	cr_expect_eq(ev_view_init(&v, &s.e, len), -EINVAL, "bad abi");
}

static const struct json_value *member(const struct json_value *o, const char *key)
{
	for (size_t i = 0; o && o->type == JSON_OBJECT && i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->items[i];
	return NULL;
}

Test(events, json_line)
{
	struct json_value *root = NULL;
	const struct json_value *args, *a;
	struct sample s;
	char err[128], *got;
	size_t len;

	init(&s, SYS_openat, -2, 2500);
	s.e.args[0] = (__u64)-100;
	s.e.args[1] = 0x1234;
	s.e.args[2] = 02000000;
	memcpy(s.e.comm, "a\"b\n", 5);
	len = add_str(&s, 0, 1, "/etc/pass", SYSRAY_EV_STR_TRUNCATED);
	got = render(format_json, &s, len, 0, false);
	cr_assert_eq(strchr(got, '\n'), got + strlen(got) - 1, "one line: %s", got);
	cr_assert_eq(json_parse(got, strlen(got), &root, err, sizeof(err)), 0, "%s: %s", err, got);
	cr_expect_str_eq(member(root, "schema")->str, "sysray.event/1");
	cr_expect_str_eq(member(root, "type")->str, "syscall");
	cr_expect_str_eq(member(root, "time")->str, "1970-01-01T00:00:05.000000000Z");
	cr_expect_eq(member(root, "mono_ns")->uint, 5000000000ULL);
	cr_expect_eq(member(root, "pid")->uint, 42);
	cr_expect_eq(member(root, "tid")->uint, 43);
	cr_expect_str_eq(member(root, "comm")->str, "a\"b\n");
	cr_expect_str_eq(member(root, "syscall")->str, "openat");
	cr_expect_str_eq(member(root, "abi")->str, "x86_64");
	cr_expect_eq(member(root, "ret")->num, -2);
	cr_expect_str_eq(member(root, "errno")->str, "ENOENT");
	cr_expect_eq(member(root, "duration_ns")->uint, 2500);
	cr_expect_not(member(root, "unfinished")->boolean);
	args = member(root, "args");
	cr_assert_eq(args->n, 3, "openat without O_CREAT: three arguments, as strace");
	a = args->items[0];
	cr_expect_str_eq(member(a, "name")->str, "dfd");
	cr_expect_str_eq(member(a, "type")->str, "dirfd");
	cr_expect_str_eq(member(a, "raw")->str, "0xffffffffffffff9c");
	cr_expect_str_eq(member(a, "value")->str, "AT_FDCWD");
	a = args->items[1];
	cr_expect_str_eq(member(a, "type")->str, "path");
	cr_expect_str_eq(member(a, "value")->str, "/etc/pass");
	cr_expect(member(a, "truncated")->boolean);
	cr_expect_str_eq(member(args->items[2], "value")->str, "O_RDONLY|O_CLOEXEC");
	json_value_free(root);
	free(got);
}

Test(events, csv_row)
{
	struct sample s;
	char *got;
	size_t len;

	init(&s, SYS_rename, 0, 999);
	memcpy(s.e.comm, "x,y", 4);
	len = add_str(&s, 0, 0, "/a \"b\"", SYSRAY_EV_STR_OK);
	s.e.str_len[1] = 2;
	s.e.str_state[1] = SYSRAY_EV_STR_OK;
	s.e.str_arg[1] = 2;
	memcpy(s.strs + s.e.str_len[0], "/c", 2);
	len += 2;
	got = render(format_csv, &s, len, 0, false);
	cr_expect_str_eq(got,
			 "1970-01-01T00:00:05.000000000Z,5000000000,42,43,\"x,y\",rename,x86_64,"
			 "\"\"\"/a \\\"\"b\\\"\"\"\", \"\"/c\"\"\",0,,999,0\r\n");
	free(got);
}

Test(events, csv_fields)
{
	char buf[64];

	cr_expect_eq(csv_field(buf, sizeof(buf), "plain", 5), 5);
	cr_expect_str_eq(buf, "plain");
	csv_field(buf, sizeof(buf), "a,b", 3);
	cr_expect_str_eq(buf, "\"a,b\"");
	csv_field(buf, sizeof(buf), "say \"hi\"", 8);
	cr_expect_str_eq(buf, "\"say \"\"hi\"\"\"");
	csv_field(buf, sizeof(buf), " x", 2);
	cr_expect_str_eq(buf, "\" x\"");
	csv_field(buf, sizeof(buf), "l1\nl2", 5);
	cr_expect_str_eq(buf, "\"l1\nl2\"");
	cr_expect_eq(csv_field(buf, 3, "a,b", 3), 5, "the length needed, as snprintf");
	cr_expect_str_eq(buf, "\"a");
}

static enum arg_kind kind_of(const char *sys, int i)
{
	int nr = syscall_lookup(SYSRAY_ABI_NATIVE, sys);

	cr_assert_geq(nr, 0, "%s", sys);
	cr_assert_lt(i, decode_sys(SYSRAY_ABI_NATIVE, nr)->nargs, "%s", sys);
	return decode_sys(SYSRAY_ABI_NATIVE, nr)->args[i].kind;
}

Test(events, argument_kinds_from_the_kernels_declarations)
{
	cr_expect_eq(kind_of("openat", 0), ARG_DIRFD);
	cr_expect_eq(kind_of("openat", 1), ARG_PATH);
	cr_expect_eq(kind_of("openat", 2), ARG_OPEN_FLAGS);
	cr_expect_eq(kind_of("openat", 3), ARG_MODE);
	cr_expect_eq(kind_of("read", 0), ARG_FD);
	cr_expect_eq(kind_of("read", 1), ARG_PTR);
	cr_expect_eq(kind_of("read", 2), ARG_ULONG);
	cr_expect_eq(kind_of("lseek", 1), ARG_LONG);
	cr_expect_eq(kind_of("kill", 0), ARG_INT);
	cr_expect_eq(kind_of("setuid", 0), ARG_UINT);
	cr_expect_eq(kind_of("mmap", 0), ARG_PTR);
	cr_expect_eq(kind_of("mmap", 2), ARG_HEX);
	cr_expect_eq(kind_of("mmap", 4), ARG_FD);
	cr_expect_eq(kind_of("stat", 0), ARG_PATH);
	cr_expect_eq(kind_of("rename", 1), ARG_PATH);
	cr_expect_eq(kind_of("mount", 0), ARG_PATH);
	cr_expect_eq(kind_of("mount", 1), ARG_PATH);
	cr_expect_eq(kind_of("mount", 2), ARG_PTR);
	cr_expect_eq(kind_of("umount2", 0), ARG_PATH);
	cr_expect_eq(kind_of("execve", 0), ARG_PATH);
	cr_expect_eq(kind_of("execve", 1), ARG_PTR);
	cr_expect_eq(kind_of("renameat2", 2), ARG_DIRFD);
	cr_expect_eq(kind_of("setxattr", 1), ARG_PTR, "an attribute name is no path");
	cr_expect_eq(kind_of("poll", 1), ARG_UINT, "nfds is no descriptor");
	cr_expect_eq(kind_of("ioctl", 1), ARG_HEX);
	cr_expect_eq(decode_kind("x", "const char *const *", "argv"), ARG_PTR);
	cr_expect_eq(decode_kind("x", "struct weird", "thing"), ARG_RAW);
}

Test(events, kernel_spec_of_path_and_fd_calls)
{
	static __u16 spec[SYSRAY_ABI_CNT * SYSRAY_MAX_NR];
	__u16 s;

	decode_kernel_spec(spec);
	s = spec[SYS_renameat2];
	cr_expect_eq((s >> SYSRAY_EV_SPEC_STR0_SHIFT) & 7, 2, "oldname is argument 1");
	cr_expect_eq((s >> SYSRAY_EV_SPEC_STR1_SHIFT) & 7, 4, "newname is argument 3");
	cr_expect_eq((s >> SYSRAY_EV_SPEC_FD0_SHIFT) & 7, 1);
	cr_expect_eq((s >> SYSRAY_EV_SPEC_FD1_SHIFT) & 7, 3);
	cr_expect_eq(spec[SYS_read] & 0x3f, 0, "no strings for read");
	cr_expect(spec[SYS_openat] & SYSRAY_EV_SPEC_RET_FD);
	cr_expect(spec[SYS_execve] & SYSRAY_EV_SPEC_EXEC);
	cr_expect_not(spec[SYS_getppid]);
}

/* The kernel's dev_t of a stat(2) device. */
static __u32 kdev(dev_t d)
{
	return major(d) << 20 | minor(d);
}

Test(events, fd_paths_are_only_those_of_the_same_file)
{
	struct sysray_ev_file f = { .valid = 1 };
	char tmpl[] = "/tmp/sysray-fdpath-XXXXXX";
	struct fdpath *p;
	struct stat st;
	const char *got;
	int fd = mkstemp(tmpl), pipefd[2];

	cr_assert_geq(fd, 0);
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert_eq(fdpath__new(&p), 0);
	f.ino = st.st_ino;
	f.dev = kdev(st.st_dev);
	f.mode = st.st_mode;
	snprintf(f.name, sizeof(f.name), "%s", strrchr(tmpl, '/') + 1);
	got = fdpath__get(p, getpid(), fd, &f);
	cr_expect(got && !strcmp(got, tmpl), "got %s", got ? got : "(null)");
	/* The call saw the file under another name (renamed since): not this path. */
	snprintf(f.name, sizeof(f.name), "other");
	cr_expect_null(fdpath__get(p, getpid(), fd, &f));
	snprintf(f.name, sizeof(f.name), "%s", strrchr(tmpl, '/') + 1);
	/* Another file behind the same number: no path rather than a wrong one. */
	f.ino++;
	cr_expect_null(fdpath__get(p, getpid(), fd, &f));
	f.ino--;
	/* Once the descriptor is gone, the last name seen for that file. */
	close(fd);
	got = fdpath__get(p, getpid(), fd, &f);
	cr_expect(got && !strcmp(got, tmpl));
	unlink(tmpl);
	/* What an open taught, for a process /proc no longer shows. */
	f.ino = 77;
	snprintf(f.name, sizeof(f.name), "x");
	fdpath__learn(p, 999999999, 5, &f, "/var/log/x", 10);
	got = fdpath__get(p, 999999999, 5, &f);
	cr_expect(got && !strcmp(got, "/var/log/x"));
	fdpath__learn(p, 999999999, 6, &f, "relative", 8);
	cr_expect_null(fdpath__get(p, 999999999, 6, &f), "relative paths are not learned");
	snprintf(f.name, sizeof(f.name), "y");
	cr_expect_null(fdpath__get(p, 999999999, 5, &f), "renamed since it was learned");
	/* Pipes are named from the inode, as /proc names them. */
	cr_assert_eq(pipe(pipefd), 0);
	cr_assert_eq(fstat(pipefd[0], &st), 0);
	f = (struct sysray_ev_file){
		.valid = 1, .ino = st.st_ino, .dev = kdev(st.st_dev), .magic = 0x50495045
	};
	{
		char want[64];

		snprintf(want, sizeof(want), "pipe:[%llu]", (unsigned long long)st.st_ino);
		got = fdpath__get(p, getpid(), pipefd[0], &f);
		cr_expect(got && !strcmp(got, want), "got %s", got ? got : "(null)");
	}
	close(pipefd[0]);
	close(pipefd[1]);
	fdpath__free(p);
}
