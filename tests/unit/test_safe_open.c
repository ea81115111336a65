// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* lib/safe_open: what a root tool may write, checked on real files in a scratch directory. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "lib/safe_open.h"

static char dir[PATH_MAX];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/sysray-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

static char *path_of(const char *name)
{
	static char buf[4][PATH_MAX + 300];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static void put(const char *name, const char *text, mode_t mode)
{
	int fd = open(path_of(name), O_WRONLY | O_CREAT | O_TRUNC, mode);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cr_assert_eq(chmod(path_of(name), mode), 0);
}

static char *get(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* Files of dir whose name has ".sysray-": temporary files. */
static int leftovers(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".sysray-") != NULL;
	closedir(d);
	return n;
}

static int open_write(const char *name, enum safe_open_mode mode, const char *text, char *err)
{
	struct safe_file f;
	int rc = safe_open(path_of(name), mode, &f, err, 256);

	if (rc)
		return rc;
	cr_assert_eq(write(f.fd, text, strlen(text)), (ssize_t)strlen(text));
	rc = safe_file_commit(&f);
	safe_file_close(&f);
	return rc;
}

TestSuite(safe_open, .init = setup, .fini = teardown);

Test(safe_open, new_files_get_0666_minus_the_umask)
{
	static const mode_t masks[] = { 077, 022, 0 };
	char err[256], name[16];
	struct stat st;

	for (size_t i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "new%zu", i);
		umask(masks[i]);
		cr_assert_eq(open_write(name, SAFE_REPLACE, "report", err), 0, "%s", err);
		cr_assert_eq(stat(path_of(name), &st), 0);
		cr_expect_eq(st.st_mode & 07777, 0666 & ~masks[i], "umask %03o: mode %03o",
			     masks[i], st.st_mode & 07777);
		cr_expect_str_eq(get(path_of(name)), "report");
	}
}

Test(safe_open, replacing_keeps_the_mode_and_leaves_no_temporary_file)
{
	char err[256];
	struct stat st;

	put("r.txt", "old", 0640);
	cr_assert_eq(open_write("r.txt", SAFE_REPLACE, "new", err), 0, "%s", err);
	cr_assert_eq(stat(path_of("r.txt"), &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0640);
	cr_expect_str_eq(get(path_of("r.txt")), "new");
	cr_expect_eq(leftovers(), 0, "a temporary file is left");
}

Test(safe_open, an_uncommitted_file_is_removed_and_the_old_one_stays)
{
	struct safe_file f;
	char err[256];

	put("r.txt", "old", 0644);
	cr_assert_eq(safe_open(path_of("r.txt"), SAFE_REPLACE, &f, err, sizeof(err)), 0);
	cr_assert_not_null(f.tmp);
	cr_assert_eq(write(f.fd, "half", 4), 4);
	safe_file_close(&f);
	cr_expect_str_eq(get(path_of("r.txt")), "old");
	cr_expect_eq(leftovers(), 0);
}

Test(safe_open, no_link_is_followed_in_a_directory_others_can_write)
{
	char err[256] = "";

	put("victim", "secret", 0600);
	cr_assert_eq(mkdir(path_of("pub"), 0777), 0);
	cr_assert_eq(chmod(path_of("pub"), 01777), 0);
	cr_assert_eq(symlink(path_of("victim"), path_of("pub/r.txt")), 0);
	cr_expect_eq(open_write("pub/r.txt", SAFE_REPLACE, "x", err), -ELOOP);
	cr_expect(strstr(err, "symbolic link"), "%s", err);
	cr_expect_eq(open_write("pub/r.txt", SAFE_APPEND, "x", err), -ELOOP);
	cr_expect_str_eq(get(path_of("victim")), "secret");
	/* group-writable is as open as world-writable */
	cr_assert_eq(chmod(path_of("pub"), 0775), 0);
	cr_expect_eq(open_write("pub/r.txt", SAFE_APPEND, "x", err), -ELOOP);
	cr_expect_str_eq(get(path_of("victim")), "secret");
}

Test(safe_open, a_link_in_a_trusted_directory_writes_its_target)
{
	char err[256];
	struct stat st;

	put("real.txt", "old", 0600);
	cr_assert_eq(symlink("real.txt", path_of("link.txt")), 0);
	cr_assert_eq(open_write("link.txt", SAFE_REPLACE, "new", err), 0, "%s", err);
	cr_expect_str_eq(get(path_of("real.txt")), "new");
	cr_assert_eq(lstat(path_of("link.txt"), &st), 0);
	cr_expect(S_ISLNK(st.st_mode), "the link was replaced");
	cr_assert_eq(open_write("link.txt", SAFE_APPEND, "+", err), 0, "%s", err);
	cr_expect_str_eq(get(path_of("real.txt")), "new+");
}

Test(safe_open, appending_refuses_a_hard_link_planted_in_an_open_directory)
{
	char err[256] = "";

	put("victim", "secret", 0600);
	cr_assert_eq(mkdir(path_of("pub"), 0777), 0);
	cr_assert_eq(chmod(path_of("pub"), 01777), 0);
	cr_assert_eq(link(path_of("victim"), path_of("pub/log")), 0);
	cr_expect_eq(open_write("pub/log", SAFE_APPEND, "x", err), -EPERM);
	cr_expect(strstr(err, "hard links"), "%s", err);
	cr_expect_str_eq(get(path_of("victim")), "secret");
	/* our own file with one link is appended to */
	put("pub/mine", "a", 0600);
	cr_expect_eq(open_write("pub/mine", SAFE_APPEND, "b", err), 0, "%s", err);
	cr_expect_str_eq(get(path_of("pub/mine")), "ab");
	/* and a missing one created, not through anything */
	cr_expect_eq(open_write("pub/new", SAFE_APPEND, "c", err), 0, "%s", err);
	cr_expect_str_eq(get(path_of("pub/new")), "c");
}

Test(safe_open, directories_are_refused_fifos_and_devices_written_in_place)
{
	struct safe_file f;
	char err[256];
	int rd;

	cr_expect_eq(safe_open(dir, SAFE_REPLACE, &f, err, sizeof(err)), -EISDIR);
	cr_expect_eq(safe_open(path_of(""), SAFE_REPLACE, &f, err, sizeof(err)), -EISDIR);
	cr_assert_eq(mkfifo(path_of("fifo"), 0600), 0);
	rd = open(path_of("fifo"), O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rd, 0);
	cr_assert_eq(safe_open(path_of("fifo"), SAFE_REPLACE, &f, err, sizeof(err)), 0, "%s", err);
	cr_expect_null(f.tmp, "a FIFO is written in place");
	cr_expect_eq(write(f.fd, "hi", 2), 2);
	safe_file_close(&f);
	close(rd);
	cr_assert_eq(safe_open("/dev/null", SAFE_REPLACE, &f, err, sizeof(err)), 0, "%s", err);
	cr_expect_null(f.tmp);
	cr_expect_eq(safe_file_commit(&f), 0);
	safe_file_close(&f);
}

Test(safe_open, the_temporary_name_fits_name_max)
{
	char name[NAME_MAX + 1], err[256];
	struct safe_file f;

	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = 0;
	cr_assert_eq(safe_open(path_of(name), SAFE_REPLACE, &f, err, sizeof(err)), 0, "%s", err);
	cr_expect_leq(strlen(f.tmp), NAME_MAX);
	cr_expect_eq(strncmp(f.tmp, name, 16), 0);
	cr_expect_eq(safe_file_commit(&f), 0);
	safe_file_close(&f);
	cr_expect_eq(access(path_of(name), F_OK), 0);
}
