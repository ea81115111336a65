// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "fsutil.h"

/* The mounts of this test, for fsutil_fini() when an assertion ends the test early. */
static char mounted[4][64];

/* A new directory under /tmp with that mode and owner. */
char *new_dir(mode_t mode, uid_t owner)
{
	char *d = strdup("/tmp/sysray-files-XXXXXX");

	cr_assert_not_null(mkdtemp(d));
	cr_assert_eq(chown(d, owner, owner), 0);
	cr_assert_eq(chmod(d, mode), 0);
	return d;
}

char *join(const char *dir, const char *name)
{
	char *p;

	cr_assert_geq(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

void put_file(const char *path, const char *text, mode_t mode, uid_t owner)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	cr_assert_eq(fchown(fd, owner, owner), 0);
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

void remove_tree(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

/* Temporary files (".sysray-") left in dir. */
int leftovers(const char *dir)
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

void run_sysray(char *const args[], struct proc_result *r)
{
	char *argv[40] = { (char *)sysray_bin() };
	int n = 1;

	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, -1, r), 0);
}

/*
 * A tmpfs of 64 KiB at a new directory, full but for free_pages pages; with old, a file of
 * that name holding "old\n" first.
 */
char *full_fs(int free_pages, const char *old)
{
	char *dir = new_dir(0755, 0), *fill = join(dir, "fill"), *spare = join(dir, "spare");
	char page[4096];
	int fd;

	cr_assert_eq(mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0755"), 0, "%s",
		     strerror(errno));
	for (int i = 0; i < 4; i++) {
		if (!mounted[i][0]) {
			snprintf(mounted[i], sizeof(mounted[i]), "%s", dir);
			break;
		}
	}
	if (old) {
		char *p = join(dir, old);

		put_file(p, "old\n", 0644, 0);
		free(p);
	}
	memset(page, 'x', sizeof(page));
	fd = open(spare, O_WRONLY | O_CREAT, 0600);
	for (int i = 0; i < free_pages; i++)
		cr_assert_eq(write(fd, page, sizeof(page)), (ssize_t)sizeof(page));
	close(fd);
	fd = open(fill, O_WRONLY | O_CREAT, 0600);
	while (write(fd, page, sizeof(page)) > 0)
		;
	close(fd);
	unlink(spare);
	free(fill);
	free(spare);
	return dir;
}

static void forget_mount(const char *dir)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(mounted[i], dir))
			mounted[i][0] = 0;
}

void unmount(char *dir)
{
	cr_expect_eq(umount(dir), 0, "%s", strerror(errno));
	rmdir(dir);
	forget_mount(dir);
	free(dir);
}

void fsutil_fini(void)
{
	for (int i = 0; i < 4; i++) {
		if (!mounted[i][0])
			continue;
		umount2(mounted[i], MNT_DETACH);
		remove_tree(mounted[i]);
		mounted[i][0] = 0;
	}
}

/*
 * A link to a workload named like an attack: the kernel names the task after the file it
 * runs, so sysray's reports see "\e[2J\a\nX". The caller frees it and its directory.
 */
char *evil_name(const char *wl, char **dir)
{
	char *link;

	*dir = new_dir(0755, 0);
	link = join(*dir, "\033[2J\a\nX");
	cr_assert_eq(symlink(workload(wl), link), 0);
	return link;
}

void expect_untouched(const char *victim)
{
	struct stat st;
	char *text = read_file(victim);

	cr_assert_not_null(text);
	cr_expect_str_eq(text, "secret\n", "the victim was written");
	cr_assert_eq(stat(victim, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0600);
	cr_expect_eq(st.st_uid, 0);
	free(text);
}

/* args with "@" replaced by path, in argv (at most 15 arguments). */
static void with_path(char *const args[], char *path, char *argv[16])
{
	int i;

	for (i = 0; args[i] && i < 15; i++)
		argv[i] = strcmp(args[i], "@") ? args[i] : path;
	argv[i] = NULL;
}

void expect_planted_links_refused(char *const args[])
{
	char *dir = new_dir(01777, 0), *victim = join(dir, "victim"), *sym = join(dir, "out");
	char *hard = join(dir, "hard"), *argv[16];
	struct proc_result r;

	put_file(victim, "secret\n", 0600, 0);
	cr_assert_eq(symlink(victim, sym), 0);
	cr_assert_eq(lchown(sym, NOBODY, NOBODY), 0);
	with_path(args, sym, argv);
	run_sysray(argv, &r);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "is a symbolic link in a directory other users can write"), "%s",
		  r.err);
	proc_result_free(&r);
	/* a hard link (possible where fs.protected_hardlinks is 0): writing would change it */
	cr_assert_eq(link(victim, hard), 0);
	with_path(args, hard, argv);
	run_sysray(argv, &r);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "has 2 hard links"), "%s", r.err);
	proc_result_free(&r);
	expect_untouched(victim);
	remove_tree(dir);
	free(victim);
	free(sym);
	free(hard);
	free(dir);
}
