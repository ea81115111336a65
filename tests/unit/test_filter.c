// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "filter/filter.h"
#include "lib/json.h"
#include "filter/syscall_classes.h"
#include "lib/syscalls.h"

#define NATIVE SYSRAY_ABI_NATIVE
#define COMPAT SYSRAY_ABI_COMPAT

static struct filter f;
static char err[256];

static void setup(void)
{
	filter__init(&f);
	err[0] = '\0';
}

static void teardown(void)
{
	filter__free(&f);
}

TestSuite(filter, .init = setup, .fini = teardown);

static bool sel(int abi, int nr)
{
	return filter__syscall_selected(&f, abi, nr);
}

static bool sel_name(int abi, const char *name)
{
	int nr = syscall_lookup(abi, name);

	cr_assert_geq(nr, 0, "no syscall %s in %s", name, abi_name(abi));
	return sel(abi, nr);
}

static int count(int abi)
{
	int n = 0;

	for (int nr = 0; nr < SYSRAY_MAX_NR; nr++)
		n += sel(abi, nr);
	return n;
}

static void trace_ok(const char *set)
{
	cr_assert_eq(filter__set_trace(&f, set, err, sizeof(err)), 0, "%s: %s", set, err);
}

static void fails(int rc, const char *msg)
{
	cr_assert_lt(rc, 0);
	cr_assert_str_eq(err, msg);
}

Test(filter, names_per_abi)
{
	trace_ok("openat,read,getppid");
	cr_assert(f.has_syscalls);
	cr_assert(sel(NATIVE, 257));
	cr_assert(sel(NATIVE, 0));
	cr_assert(sel(NATIVE, 110));
	cr_assert(sel(COMPAT, 64)); /* getppid */
	cr_assert(sel(COMPAT, 3));  /* read */
	cr_assert_eq(count(NATIVE), 3);
	cr_assert_eq(count(COMPAT), 3);
	cr_assert_not(sel(NATIVE, 1));

	trace_ok("open");
	cr_assert(sel(NATIVE, 2));
	cr_assert(sel(COMPAT, 5));
	cr_assert_eq(count(NATIVE), 1, "a later set replaces the earlier one");
	cr_assert_eq(count(COMPAT), 1);
}

Test(filter, name_in_one_abi)
{
	trace_ok("mmap2");
	cr_assert_eq(count(NATIVE), 0);
	cr_assert_eq(count(COMPAT), 1);
	cr_assert(sel(COMPAT, 192));

	trace_ok("arch_prctl@64,getppid@32");
	cr_assert_eq(count(NATIVE), 1);
	cr_assert(sel(NATIVE, 158));
	cr_assert_eq(count(COMPAT), 1);
	cr_assert(sel(COMPAT, 64));

	fails(filter__set_trace(&f, "mmap2@64", err, sizeof(err)),
	      "-e trace: unknown syscall 'mmap2@64'");
	/* x32's readv is 515, not x86_64's 19 */
	trace_ok("readv@x32");
	cr_assert_eq(count(NATIVE), 0);
	cr_assert_eq(count(COMPAT), 0);
	cr_assert_eq(count(SYSRAY_ABI_X32), 1);
	cr_assert(sel(SYSRAY_ABI_X32, 515));
}

Test(filter, negation)
{
	trace_ok("!getppid");
	cr_assert(f.has_syscalls);
	cr_assert_not(sel(NATIVE, 110));
	cr_assert_not(sel(COMPAT, 64));
	cr_assert_eq(count(NATIVE), SYSRAY_MAX_NR - 1);
	cr_assert_eq(count(COMPAT), SYSRAY_MAX_NR - 1);
	cr_assert(sel(NATIVE, 511), "numbers without a name are selected too");
	cr_assert_str_eq(f.trace_expr, "!getppid");

	trace_ok("!%desc");
	cr_assert_not(sel_name(NATIVE, "read"));
	cr_assert(sel_name(NATIVE, "getppid"));
}

Test(filter, class_file)
{
	const char *in[] = { "openat", "open",	 "stat",     "lstat",  "newfstatat",
			     "statx",  "execve", "execveat", "unlink", "chdir" };

	trace_ok("%file");
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		cr_assert(sel_name(NATIVE, in[i]), "%s not in %%file", in[i]);
	cr_assert(sel_name(COMPAT, "stat64"));
	cr_assert(sel_name(COMPAT, "open"));
	/* as in strace: calls on a descriptor are %desc, not %file */
	cr_assert_not(sel_name(NATIVE, "read"));
	cr_assert_not(sel_name(NATIVE, "fstat"));
	cr_assert_not(sel_name(NATIVE, "close"));
	cr_assert_not(sel_name(COMPAT, "read"));
}

Test(filter, class_desc_and_others)
{
	trace_ok("%desc");
	cr_assert(sel_name(NATIVE, "read"));
	cr_assert(sel_name(NATIVE, "close"));
	cr_assert(sel_name(COMPAT, "close"));
	cr_assert(sel_name(COMPAT, "_llseek"));
	cr_assert_not(sel_name(NATIVE, "getppid"));
	cr_assert_not(sel_name(COMPAT, "getppid"));

	trace_ok("%net");
	cr_assert(sel_name(NATIVE, "connect"));
	cr_assert(sel_name(COMPAT, "socketcall"));
	cr_assert_not(sel_name(NATIVE, "read"));

	trace_ok("%%stat");
	cr_assert(sel_name(NATIVE, "fstat"));
	cr_assert(sel_name(NATIVE, "lstat"));
	cr_assert_not(sel_name(NATIVE, "statfs"));

	trace_ok("%pure,%creds@64");
	cr_assert(sel_name(NATIVE, "getppid"));
	cr_assert(sel_name(COMPAT, "getppid"));
	cr_assert(sel_name(NATIVE, "setuid"));
	cr_assert_not(sel_name(COMPAT, "setuid"));

	trace_ok("file"); /* strace's deprecated form */
	cr_assert(sel_name(NATIVE, "openat"));
}

Test(filter, regex_numbers_all_none)
{
	trace_ok("/^getp.*id$");
	cr_assert(sel_name(NATIVE, "getpid"));
	cr_assert(sel_name(NATIVE, "getppid"));
	cr_assert_not(sel_name(NATIVE, "read"));

	trace_ok("110,read,,");
	cr_assert(sel(NATIVE, 110));
	cr_assert(sel(COMPAT, 110));
	cr_assert(sel(NATIVE, 0));
	cr_assert_eq(count(NATIVE), 2);

	trace_ok("all");
	cr_assert_not(f.has_syscalls, "all is no filter");
	cr_assert_null(f.trace_expr);
	cr_assert_eq(filter__finish(&f, err, sizeof(err)), 0);

	trace_ok("none,?no_such_call");
	cr_assert(f.has_syscalls);
	fails(filter__finish(&f, err, sizeof(err)),
	      "-e trace: 'none,?no_such_call' selects no syscall");
}

Test(filter, trace_errors)
{
	fails(filter__set_trace(&f, "read,foo", err, sizeof(err)),
	      "-e trace: unknown syscall 'foo'");
	fails(filter__set_trace(&f, "%foo", err, sizeof(err)), "-e trace: unknown class '%foo'");
	fails(filter__set_trace(&f, "!", err, sizeof(err)), "-e trace: empty set '!'");
	fails(filter__set_trace(&f, "/(", err, sizeof(err)),
	      "-e trace: invalid regular expression '('");
	fails(filter__set_trace(&f, "/^zzz", err, sizeof(err)),
	      "-e trace: no syscall matches '/^zzz'");
	fails(filter__set_trace(&f, "576", err, sizeof(err)), "-e trace: unknown syscall '576'");
	cr_assert_not(f.has_syscalls, "a failed set changes nothing");

	trace_ok("?foo,?%foo,read");
	cr_assert_eq(count(NATIVE), 1);
}

Test(filter, expr_forms)
{
	const char *forms[] = { "trace=getppid", "t=getppid", "getppid" };

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_EXPR, forms[i], err, sizeof(err)), 0);
		cr_assert(sel(NATIVE, 110));
		cr_assert_eq(count(NATIVE), 1, "%s", forms[i]);
		trace_ok("read");
	}
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_TRACE, "getppid", err, sizeof(err)), 0);
	cr_assert_eq(count(NATIVE), 1);
	cr_assert(sel(NATIVE, 110));

	fails(filter__set_expr(&f, "status=failed", err, sizeof(err)),
	      "-e status: not supported; use -Z (failed) or -z (successful)");
	fails(filter__set_expr(&f, "signal=none", err, sizeof(err)),
	      "-e signal: not supported by sysray (only -e trace=)");
	fails(filter__set_expr(&f, "bogus=1", err, sizeof(err)), "-e: unknown qualifier 'bogus'");
}

/* Every member of every class is a syscall, and every class has members in both ABIs. */
Test(filter, class_table)
{
	for (int i = 0; i < syscall_class_count(); i++) {
		const struct syscall_class *c = syscall_class_get(i);
		const char *p = c->members;

		cr_assert_eq(syscall_class_find(c->name), c);
		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
			__u64 bits[SYSCALL_BITMAP_WORDS] = { 0 };

			cr_assert_gt(syscall_class_fill(c, abi, bits), 0, "%%%s", c->name);
		}
		while (*p) {
			size_t n = strcspn(p, " ");
			char name[64];

			cr_assert(n > 0 && n < sizeof(name), "%%%s: bad spacing", c->name);
			memcpy(name, p, n);
			name[n] = '\0';
			cr_assert(syscall_lookup(NATIVE, name) >= 0 ||
				      syscall_lookup(COMPAT, name) >= 0,
				  "%%%s: no syscall '%s' in any ABI", c->name, name);
			p += n + (p[n] == ' ');
		}
	}
	cr_assert_null(syscall_class_get(syscall_class_count()));
	cr_assert_eq(syscall_class_find("net"), syscall_class_find("network"));
	cr_assert(syscall_class_has(syscall_class_find("%stat"), "statx"));
}

#define DOC_BEGIN "<!-- BEGIN generated from user/syscall_classes.c: do not edit -->\n\n"
#define DOC_END	  "<!-- END generated from user/syscall_classes.c -->"

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc(n + 1);
	cr_assert_not_null(buf);
	*len = fread(buf, 1, n, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

/*
 * docs/filters.md lists each class's members from the table.  After changing the table:
 * SYSRAY_UPDATE_DOCS=1 .output/unit_tests --filter 'filter/classes_doc'
 */
Test(filter, classes_doc)
{
	const char *path = "docs/filters.md";
	char *doc, *gen = NULL, *begin, *end;
	size_t len, genlen;
	FILE *mem;

	doc = slurp(path, &len);
	cr_assert_not_null(doc, "cannot read %s: run the tests from the top of the tree", path);
	begin = strstr(doc, DOC_BEGIN);
	end = begin ? strstr(begin, DOC_END) : NULL;
	cr_assert(begin && end, "%s: no generated section", path);
	begin += strlen(DOC_BEGIN);

	mem = open_memstream(&gen, &genlen);
	cr_assert_not_null(mem);
	cr_assert_eq(syscall_classes_markdown(mem), 0);
	fclose(mem);

	if (getenv("SYSRAY_UPDATE_DOCS")) {
		FILE *out = fopen(path, "w");

		cr_assert_not_null(out);
		fwrite(doc, 1, begin - doc, out);
		fputs(gen, out);
		fputs(end, out);
		cr_assert_eq(fclose(out), 0);
	} else {
		cr_assert(strlen(gen) == (size_t)(end - begin) && !memcmp(gen, begin, end - begin),
			  "%s does not match user/syscall_classes.c; regenerate it with "
			  "SYSRAY_UPDATE_DOCS=1 .output/unit_tests --filter 'filter/classes_doc'",
			  path);
	}
	free(gen);
	free(doc);
}

Test(filter, uids)
{
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_UID, "root", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(filter__add_uids(&f, "nobody,1000,root", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(f.nr_uids, 3, "root given twice counts once");
	cr_assert_eq(f.uids[0], 0);
	cr_assert_eq(f.uids[1], 65534);
	cr_assert_eq(f.uids[2], 1000);

	fails(filter__add_uids(&f, "no_such_user_xyz", err, sizeof(err)),
	      "--uid: unknown user 'no_such_user_xyz'");
	fails(filter__add_uids(&f, "4294967295", err, sizeof(err)),
	      "--uid: invalid uid '4294967295'");
	fails(filter__add_uids(&f, "-1", err, sizeof(err)), "--uid: unknown user '-1'");
	fails(filter__add_uids(&f, "0,,1", err, sizeof(err)), "--uid: empty item in '0,,1'");
	cr_assert_eq(f.nr_uids, 3);
}

Test(filter, limits)
{
	char buf[16];

	for (int i = 0; i < FILTER_MAX_UIDS; i++) {
		snprintf(buf, sizeof(buf), "%d", 100 + i);
		cr_assert_eq(filter__add_uids(&f, buf, err, sizeof(err)), 0);
	}
	fails(filter__add_uids(&f, "5000", err, sizeof(err)), "--uid: too many users (at most 64)");
	cr_assert_eq(filter__add_uids(&f, "100", err, sizeof(err)), 0, "a duplicate still fits");
	for (int i = 0; i < FILTER_MAX_TIDS; i++) {
		snprintf(buf, sizeof(buf), "%d", 1 + i);
		cr_assert_eq(filter__add_tids(&f, buf, err, sizeof(err)), 0);
	}
	fails(filter__add_tids(&f, "999", err, sizeof(err)),
	      "--tid: too many threads (at most 64)");
}

Test(filter, tids)
{
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_TID, "12,13", err, sizeof(err)), 0);
	cr_assert_eq(filter__add_tids(&f, "12", err, sizeof(err)), 0);
	cr_assert_eq(f.nr_tids, 2);
	cr_assert_eq(f.tids[1], 13);
	fails(filter__add_tids(&f, "0", err, sizeof(err)),
	      "--tid: invalid thread id '0' (a number > 0)");
	fails(filter__add_tids(&f, "+5", err, sizeof(err)),
	      "--tid: invalid thread id '+5' (a number > 0)");
	fails(filter__add_tids(&f, "2147483648", err, sizeof(err)),
	      "--tid: invalid thread id '2147483648' (a number > 0)");
}

Test(filter, comms)
{
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_COMM, "123456789012345", err, sizeof(err)),
		     0);
	cr_assert_eq(filter__add_comm(&f, "a,b", err, sizeof(err)), 0);
	cr_assert_eq(f.nr_comms, 2);
	cr_assert_str_eq(f.comms[0], "123456789012345");
	cr_assert_str_eq(f.comms[1], "a,b", "a comm is not a list");
	cr_assert_eq(f.comms[1][15], '\0');
	fails(filter__add_comm(&f, "1234567890123456", err, sizeof(err)),
	      "--comm: '1234567890123456' is 16 characters long; the kernel keeps at most 15 "
	      "(TASK_COMM_LEN-1)");
	fails(filter__add_comm(&f, "", err, sizeof(err)), "--comm: empty name");
}

Test(filter, results)
{
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_FAILED, NULL, err, sizeof(err)), 0);
	cr_assert_eq(filter__finish(&f, err, sizeof(err)), 0);
	cr_assert_eq(f.result, FILTER_RESULT_FAILED);
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_SUCCESSFUL, NULL, err, sizeof(err)), 0);
	fails(filter__finish(&f, err, sizeof(err)),
	      "-Z (--failed-only) and -z (--successful-only) exclude each other");
}

Test(filter, errnos)
{
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_ERRNO, "ENOENT,EACCES", err, sizeof(err)), 0);
	cr_assert_eq(filter__add_errnos(&f, "5,EWOULDBLOCK,ENOENT", err, sizeof(err)), 0);
	cr_assert_eq(f.nr_errnos, 4);
	cr_assert_eq(f.errnos[0], ENOENT);
	cr_assert_eq(f.errnos[1], EACCES);
	cr_assert_eq(f.errnos[2], 5);
	cr_assert_eq(f.errnos[3], EAGAIN);
	fails(filter__add_errnos(&f, "ENOENT,EFOO", err, sizeof(err)),
	      "--errno: unknown errno 'EFOO'");
	fails(filter__add_errnos(&f, "0", err, sizeof(err)), "--errno: unknown errno '0'");
	cr_assert_eq(filter__finish(&f, err, sizeof(err)), 0);
	cr_assert_eq(f.result, FILTER_RESULT_FAILED, "--errno implies -Z");

	filter__free(&f);
	cr_assert_eq(filter__add_errnos(&f, "ENOENT", err, sizeof(err)), 0);
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_SUCCESSFUL, NULL, err, sizeof(err)), 0);
	fails(filter__finish(&f, err, sizeof(err)),
	      "--errno selects failed calls: it cannot be combined with -z");
}

Test(filter, describe)
{
	char *buf = NULL;
	size_t len;
	FILE *mem;
	struct json_writer w;

	cr_assert_not(filter__active(&f));
	mem = open_memstream(&buf, &len);
	filter__describe_text(&f, mem);
	fclose(mem);
	cr_assert_str_eq(buf, "", "no line without filters");
	free(buf);

	cr_assert_eq(filter__add_uids(&f, "0,7", err, sizeof(err)), 0);
	cr_assert_eq(filter__add_comm(&f, "a \"b\"", err, sizeof(err)), 0);
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_EXPR, "trace=%file", err, sizeof(err)), 0);
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_FAILED, NULL, err, sizeof(err)), 0);
	cr_assert(filter__active(&f));
	mem = open_memstream(&buf, &len);
	filter__describe_text(&f, mem);
	fclose(mem);
	cr_assert_str_eq(buf, "filters: uid=0,7 comm=\"a \\\"b\\\"\" trace=%file failed-only\n");
	free(buf);

	trace_ok("getppid");
	cr_assert_eq(filter__add_errnos(&f, "ENOENT,4000", err, sizeof(err)), 0);
	cr_assert_eq(filter__finish(&f, err, sizeof(err)), 0);
	mem = open_memstream(&buf, &len);
	json_writer__init(&w, mem, 0);
	json_writer__begin_object(&w);
	filter__describe_json(&f, &w);
	json_writer__end_object(&w);
	cr_assert_eq(json_writer__end(&w), 0);
	fclose(mem);
	cr_assert_str_eq(buf, "{\"filters\":{\"uids\":[0,7],\"comms\":[\"a \\\"b\\\"\"],"
			      "\"trace\":{\"set\":\"getppid\","
			      "\"selected\":{\"x86_64\":1,\"i386\":1,\"x32\":1}},"
			      "\"result\":\"failed\",\"errnos\":[\"ENOENT\",\"4000\"]}}\n");
	free(buf);
}

/*
 * --cgroup against the real cgroup2 mount: a cgroup created for the test, removed by the fini
 * even if the test fails.
 */
static char cg_mount[PATH_MAX], cg_name[64], cg_path[PATH_MAX + 64];
static int cg_skip; /* errno of a failed set-up: no cgroup2, or no permission */

static void cg_setup(void)
{
	struct mntent ent, *e;
	char buf[4096];
	FILE *fp;

	setup();
	cg_skip = ENOENT;
	fp = setmntent("/proc/mounts", "re");
	cr_assert_not_null(fp);
	while ((e = getmntent_r(fp, &ent, buf, sizeof(buf)))) {
		if (!strcmp(e->mnt_type, "cgroup2")) {
			snprintf(cg_mount, sizeof(cg_mount), "%s", e->mnt_dir);
			cg_skip = 0;
			break;
		}
	}
	endmntent(fp);
	if (cg_skip)
		return;
	snprintf(cg_name, sizeof(cg_name), "sysray-test-%d", (int)getpid());
	snprintf(cg_path, sizeof(cg_path), "%s/%s", cg_mount, cg_name);
	if (mkdir(cg_path, 0755) && errno != EEXIST)
		cg_skip = errno;
}

static void cg_teardown(void)
{
	teardown();
	if (!cg_skip)
		rmdir(cg_path);
}

static void cg_require(void)
{
	if (cg_skip)
		cr_skip_test("cannot create a cgroup v2 directory: %s", strerror(cg_skip));
}

Test(filter, cgroup_absolute_and_relative, .init = cg_setup, .fini = cg_teardown)
{
	char hpath[128], rel[128], line[160], *buf = NULL;
	struct stat st;
	size_t len;
	FILE *mem;

	cg_require();
	cr_assert_eq(stat(cg_path, &st), 0);
	cr_assert_eq(filter__parse_opt(&f, FILTER_OPT_CGROUP, cg_path, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_eq(f.nr_cgroups, 1);
	cr_assert_eq(f.cgroup_ids[0], (__u64)st.st_ino, "the id is the directory's inode");
	snprintf(hpath, sizeof(hpath), "/%s", cg_name);
	cr_assert_str_eq(f.cgroup_paths[0], hpath);
	cr_assert_geq(fcntl(f.cgroup_fds[0], F_GETFD), 0, "the fd is open");
	cr_assert(filter__active(&f));
	mem = open_memstream(&buf, &len);
	filter__describe_text(&f, mem);
	fclose(mem);
	snprintf(line, sizeof(line), "filters: cgroup=%s\n", hpath);
	cr_assert_str_eq(buf, line);
	free(buf);

	/* relative to the mount, and as /proc/PID/cgroup writes it: the same cgroup */
	cr_assert_eq(filter__add_cgroup(&f, cg_name, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(filter__add_cgroup(&f, hpath, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(f.nr_cgroups, 1, "the same cgroup three times counts once");

	/* the root of the hierarchy, relative with "..", and a second cgroup */
	snprintf(rel, sizeof(rel), "%s/..", cg_name);
	cr_assert_eq(filter__add_cgroup(&f, rel, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(f.nr_cgroups, 2);
	cr_assert_str_eq(f.cgroup_paths[1], "/");
	cr_assert_eq(stat(cg_mount, &st), 0);
	cr_assert_eq(f.cgroup_ids[1], (__u64)st.st_ino);
}

Test(filter, cgroup_errors, .init = cg_setup, .fini = cg_teardown)
{
	char msg[PATH_MAX + 128];
	int fd;

	cg_require();
	fails(filter__add_cgroup(&f, "/tmp", err, sizeof(err)),
	      "--cgroup: '/tmp' is not a cgroup v2 directory");
	fails(filter__add_cgroup(&f, "/x", err, sizeof(err)),
	      "--cgroup: '/x' is not a cgroup v2 directory");
	snprintf(msg, sizeof(msg),
		 "--cgroup: 'no-such-cgroup-xyz' is not a cgroup v2 directory (relative to %s)",
		 cg_mount);
	fails(filter__add_cgroup(&f, "no-such-cgroup-xyz", err, sizeof(err)), msg);
	/* a file in a cgroup directory is on cgroup2 but no directory */
	snprintf(msg, sizeof(msg), "%s/cgroup.procs", cg_path);
	cr_assert_eq(filter__add_cgroup(&f, msg, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "/cgroup.procs' is not a cgroup v2 directory"), "%s", err);
	cr_assert_eq(f.nr_cgroups, 0);

	cr_assert_eq(filter__add_cgroup(&f, cg_path, err, sizeof(err)), 0, "%s", err);
	fd = f.cgroup_fds[0];
	filter__free(&f);
	cr_assert_eq(fcntl(fd, F_GETFD), -1, "filter__free closes the cgroup fds");
	cr_assert_eq(f.nr_cgroups, 0);
	cr_assert_eq(f.cgroup_fds[0], -1);
}

static void mounts_file(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/sysray-mounts-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

Test(filter, cgroup_no_v2)
{
	char path[64];
	int rc;

	mounts_file(path, "sysfs /sys sysfs rw 0 0\n"
			  "tmpfs /sys/fs/cgroup tmpfs rw,mode=755 0 0\n"
			  "cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n");
	rc = filter__add_cgroup_mounts(&f, "/sys/fs/cgroup/cpu", path, err, sizeof(err));
	unlink(path);
	fails(rc, "--cgroup: no cgroup v2 hierarchy is mounted (only v1)");

	mounts_file(path, "sysfs /sys sysfs rw 0 0\n");
	rc = filter__add_cgroup_mounts(&f, "a", path, err, sizeof(err));
	unlink(path);
	fails(rc, "--cgroup: no cgroup v2 hierarchy is mounted");
}
