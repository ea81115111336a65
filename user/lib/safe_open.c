// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "lib/errmsg.h"
#include "lib/safe_open.h"

#define TMP_SUFFIX ".sysray-XXXXXX"
#define TMP_RANDOM 6

static const char untrusted[] = "in a directory other users can write";

int safe_open_parent(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	*name = slash ? slash + 1 : path;
	dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (!dir)
		return -ENOMEM;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fd = -errno;
	free(dir);
	return fd;
}

static bool stat_trusted(const struct stat *st)
{
	return (st->st_uid == 0 || st->st_uid == geteuid()) && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

bool safe_dir_trusted(int dirfd)
{
	struct stat st;

	return !fstat(dirfd, &st) && S_ISDIR(st.st_mode) && stat_trusted(&st);
}

/* Open for writing exactly the file an O_PATH descriptor refers to (no new lookup). */
static int reopen(int pathfd, int flags)
{
	char proc[40];
	int fd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pathfd);
	fd = open(proc, flags | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* How a file is written in place: appended to, truncated, or (a FIFO, a device) as it is. */
static int write_flags(enum safe_open_mode mode)
{
	return O_WRONLY | (mode == SAFE_APPEND ? O_APPEND : mode == SAFE_TRUNCATE ? O_TRUNC : 0);
}

static void random_name(char *p)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned int seq;
	unsigned char r[TMP_RANDOM];
	struct timespec ts;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != sizeof(r)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		for (int i = 0; i < TMP_RANDOM; i++)
			r[i] = (ts.tv_nsec >> (i * 5)) ^ (getpid() >> i) ^ (seq++ * 37);
	}
	for (int i = 0; i < TMP_RANDOM; i++)
		p[i] = set[r[i] % (sizeof(set) - 1)];
}

/*
 * A new file beside name, whose name fits NAME_MAX whatever name's length: name cut short,
 * then ".sysray-" and random characters. It takes keep's owner and mode when given.
 */
static int make_temp(int dirfd, const char *name, const struct stat *keep, struct safe_file *f)
{
	size_t len = strlen(name), max = NAME_MAX - (sizeof(TMP_SUFFIX) - 1);
	char *tmp;
	int fd = -1;

	if (len > max)
		len = max;
	tmp = malloc(len + sizeof(TMP_SUFFIX));
	f->name = strdup(name);
	if (!tmp || !f->name) {
		free(tmp);
		return -ENOMEM;
	}
	memcpy(tmp, name, len);
	memcpy(tmp + len, TMP_SUFFIX, sizeof(TMP_SUFFIX));
	for (int i = 0; i < 100 && fd < 0; i++) {
		random_name(tmp + len + sizeof(TMP_SUFFIX) - 1 - TMP_RANDOM);
		/* O_EXCL never follows a link; the kernel applies the umask to 0666. */
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		free(tmp);
		return -errno;
	}
	f->fd = fd;
	f->tmp = tmp;
	f->is_reg = true;
	if (!keep)
		return 0;
	/* As strace -o: the file keeps its owner (when we may give it) and its mode. */
	if ((keep->st_uid != geteuid() || keep->st_gid != getegid()) &&
	    fchown(fd, keep->st_uid, keep->st_gid) && errno != EPERM)
		return -errno;
	return fchmod(fd, keep->st_mode & 0777) ? -errno : 0;
}

static int refuse(const char *path, const struct stat *st, bool trusted, enum safe_open_mode mode,
		  const struct stat *dir, char *err, size_t errlen)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFLNK:
		return errmsg(err, errlen, -ELOOP, "'%s' is a symbolic link %s: not followed", path,
			      untrusted);
	case S_IFDIR:
		return errmsg(err, errlen, -EISDIR, "'%s' is a directory", path);
	case S_IFBLK:
		return errmsg(err, errlen, -ENOTBLK, "'%s' is a block device: refused", path);
	case S_IFCHR:
		if (!trusted)
			return errmsg(err, errlen, -EPERM, "'%s' is a device %s: refused", path,
				      untrusted);
		return 0;
	case S_IFIFO:
		return 0;
	case S_IFREG:
		/* Appending or truncating writes into the file itself: not a planted link. */
		if (trusted || mode == SAFE_REPLACE)
			return 0;
		if (st->st_nlink != 1)
			return errmsg(err, errlen, -EPERM, "'%s' has %lu hard links %s: refused",
				      path, (unsigned long)st->st_nlink, untrusted);
		if (st->st_uid != geteuid() && st->st_uid != dir->st_uid)
			return errmsg(err, errlen, -EPERM, "'%s' belongs to uid %u %s: refused",
				      path, (unsigned int)st->st_uid, untrusted);
		return 0;
	default:
		return errmsg(err, errlen, -ENXIO, "'%s' is not a file, FIFO or device", path);
	}
}

static int open_path(const char *path, enum safe_open_mode mode, struct safe_file *f, char *err,
		     size_t errlen, int depth);

/*
 * A symbolic link in a trusted directory: what it points to. A regular file is opened again
 * by its own path, so its directory gets the same checks; anything else (/dev/stdout is a
 * link to a pipe or a terminal) is checked and opened in place.
 */
static int follow(int dirfd, const char *path, const char *name, enum safe_open_mode mode,
		  struct safe_file *f, char *err, size_t errlen, int depth)
{
	char proc[40], target[PATH_MAX];
	struct stat st = { 0 };
	ssize_t n = -1;
	int fd, rc;

	fd = openat(dirfd, name, O_PATH | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = refuse(path, &st, true, mode, &st, err, errlen);
		if (rc)
			goto out;
		rc = reopen(fd, write_flags(mode));
		if (rc >= 0)
			f->fd = rc;
		rc = rc < 0 ? rc : 0;
		goto cleanup;
	}
	/* The kernel's name of what was opened: no link left in it to follow again. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, target, sizeof(target) - 1);
	rc = n < 0 ? -errno : 0;
cleanup:
	if (rc)
		errmsg(err, errlen, rc, "cannot open '%s' for writing: %s", path, strerror(-rc));
out:
	if (fd >= 0)
		close(fd);
	if (rc || !S_ISREG(st.st_mode))
		return rc;
	target[n] = 0;
	if (depth > 0 || target[0] != '/')
		return errmsg(err, errlen, -ELOOP, "'%s': too many symbolic links", path);
	return open_path(target, mode, f, err, errlen, depth + 1);
}

/* The name exists (an O_PATH descriptor that does not follow it): use or refuse it. */
static int open_existing(int dirfd, const char *path, const char *name, int pfd,
			 enum safe_open_mode mode, struct safe_file *f, char *err, size_t errlen,
			 int depth)
{
	struct stat st, dst;
	bool trusted;
	int rc;

	if (fstat(pfd, &st) || fstat(dirfd, &dst))
		return errmsg(err, errlen, -errno, "cannot open '%s' for writing: %s", path,
			      strerror(errno));
	trusted = stat_trusted(&dst);
	if (S_ISLNK(st.st_mode) && trusted)
		return follow(dirfd, path, name, mode, f, err, errlen, depth);
	rc = refuse(path, &st, trusted, mode, &dst, err, errlen);
	if (rc)
		return rc;
	if (S_ISREG(st.st_mode) && mode == SAFE_REPLACE) {
		rc = make_temp(dirfd, name, &st, f);
		goto check;
	}
	rc = reopen(pfd, write_flags(mode));
	if (rc >= 0) {
		f->fd = rc;
		f->is_reg = S_ISREG(st.st_mode);
		rc = 0;
	}
check:
	if (rc)
		errmsg(err, errlen, rc, "cannot open '%s' for writing: %s", path, strerror(-rc));
	return rc;
}

static int open_path(const char *path, enum safe_open_mode mode, struct safe_file *f, char *err,
		     size_t errlen, int depth)
{
	const char *name;
	int dirfd, pfd, rc = -EEXIST;

	dirfd = safe_open_parent(path, &name);
	if (dirfd < 0)
		return errmsg(err, errlen, dirfd, "cannot open '%s' for writing: %s", path,
			      strerror(-dirfd));
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
		close(dirfd);
		return errmsg(err, errlen, -EISDIR, "'%s' is a directory", path);
	}
	/* Created by someone else between our look and our O_EXCL: look again. */
	for (int tries = 0; rc == -EEXIST && tries < 5; tries++) {
		pfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (pfd >= 0) {
			rc = open_existing(dirfd, path, name, pfd, mode, f, err, errlen, depth);
			close(pfd);
		} else if (errno != ENOENT) {
			rc = errmsg(err, errlen, -errno, "cannot open '%s' for writing: %s", path,
				    strerror(errno));
		} else if (mode == SAFE_REPLACE) {
			rc = make_temp(dirfd, name, NULL, f);
		} else {
			rc = openat(dirfd, name,
				    write_flags(mode) | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
					O_NOCTTY,
				    0666);
			f->fd = rc < 0 ? -1 : rc;
			f->is_reg = true;
			rc = rc < 0 ? -errno : 0;
		}
	}
	if (rc && errlen && !*err)
		errmsg(err, errlen, rc, "cannot open '%s' for writing: %s", path, strerror(-rc));
	/* Kept with a temporary file, also a failed one: safe_file_close() removes it. */
	if (f->tmp && f->dirfd < 0)
		f->dirfd = dirfd;
	else
		close(dirfd);
	return rc;
}

int safe_open(const char *path, enum safe_open_mode mode, struct safe_file *f, char *err,
	      size_t errlen)
{
	int rc;

	*f = (struct safe_file){ .fd = -1, .dirfd = -1 };
	if (errlen)
		err[0] = 0;
	rc = open_path(path, mode, f, err, errlen, 0);
	if (rc)
		safe_file_close(f);
	return rc;
}

int safe_file_commit(struct safe_file *f)
{
	if (!f->tmp)
		return 0;
	if (renameat(f->dirfd, f->tmp, f->dirfd, f->name))
		return -errno;
	free(f->tmp);
	f->tmp = NULL;
	return 0;
}

void safe_file_close(struct safe_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp && f->dirfd >= 0)
		unlinkat(f->dirfd, f->tmp, 0);
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f->tmp);
	free(f->name);
	*f = (struct safe_file){ .fd = -1, .dirfd = -1 };
}
