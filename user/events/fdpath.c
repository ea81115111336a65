// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "events/fdpath.h"

/* Filesystem magics (include/uapi/linux/magic.h) whose files /proc names by inode. */
#define SOCKFS_MAGIC 0x534F434B
#define PIPEFS_MAGIC 0x50495045

/* A power of two; an entry is replaced by the next descriptor that hashes to its slot. */
#define FDPATH_SLOTS 4096

struct fdpath_entry {
	__u32 tgid;
	int fd;
	__u64 ino;
	dev_t dev;
	char *path; /* the last name seen: from /proc, or learned from an open */
};

struct fdpath {
	struct fdpath_entry slots[FDPATH_SLOTS];
	char buf[64];
};

int fdpath__new(struct fdpath **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static struct fdpath_entry *slot_of(struct fdpath *p, __u32 tgid, int fd)
{
	__u64 h = ((__u64)tgid * 0x9E3779B97F4A7C15ULL) ^
		  ((__u64)(unsigned int)fd * 0xC2B2AE3D27D4EB4FULL);

	return &p->slots[(h >> 20) & (FDPATH_SLOTS - 1)];
}

/* The kernel's dev_t (major << 20 | minor) as stat(2) reports it. */
static dev_t user_dev(__u32 kdev)
{
	return makedev(kdev >> 20, kdev & 0xfffff);
}

/*
 * Whether path still ends with the name the kernel saw the file under at the call: a file
 * renamed since is not shown under its other name. Names that are not paths
 * ("anon_inode:[eventfd]") have nothing to check.
 */
static bool same_name(const char *path, const struct sysray_ev_file *f)
{
	const char *base = strrchr(path, '/');
	size_t n, kept = strnlen(f->name, sizeof(f->name));

	if (!base)
		return true;
	if (!strcmp(path, "/"))
		return !strcmp(f->name, "/");
	n = strlen(++base);
	/* /proc's mark of an unlinked file is not part of its name */
	if (n >= 10 && !strcmp(base + n - 10, " (deleted)"))
		n -= 10;
	if (kept == sizeof(f->name))
		return false;
	/* A name longer than the kernel kept: its first bytes must match */
	if (kept == sizeof(f->name) - 1)
		return n >= kept && !memcmp(base, f->name, kept);
	return n == kept && !memcmp(base, f->name, n);
}

static bool same_file(const struct fdpath_entry *e, __u32 tgid, int fd,
		      const struct sysray_ev_file *f)
{
	return e->path && e->tgid == tgid && e->fd == fd && e->ino == f->ino &&
	       e->dev == user_dev(f->dev) && same_name(e->path, f);
}

static void store(struct fdpath_entry *e, __u32 tgid, int fd, const struct sysray_ev_file *f,
		  char *path)
{
	free(e->path);
	*e = (struct fdpath_entry){
		.tgid = tgid, .fd = fd, .ino = f->ino, .dev = user_dev(f->dev), .path = path
	};
}

/* /proc/TGID/fd/FD, if it is still the file f: its link text, malloc'ed. */
static char *from_proc(__u32 tgid, int fd, const struct sysray_ev_file *f)
{
	char link[64], target[PATH_MAX + 1];
	struct stat st;
	ssize_t n;

	if (fd == SYSRAY_EV_AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%u/cwd", tgid);
	else
		snprintf(link, sizeof(link), "/proc/%u/fd/%d", tgid, fd);
	n = readlink(link, target, sizeof(target) - 1);
	/*
	 * Checked after the read, so a descriptor reused in between fails the check; stat
	 * only, and no automount: nothing is opened or triggered on the traced side.
	 */
	if (n <= 0 || fstatat(AT_FDCWD, link, &st, AT_NO_AUTOMOUNT) || st.st_ino != f->ino ||
	    st.st_dev != user_dev(f->dev))
		return NULL;
	target[n] = 0;
	return same_name(target, f) ? strdup(target) : NULL;
}

const char *fdpath__get(struct fdpath *p, __u32 tgid, int fd, const struct sysray_ev_file *f)
{
	struct fdpath_entry *e;
	char *path;

	if (!f->valid || (fd < 0 && fd != SYSRAY_EV_AT_FDCWD))
		return NULL;
	if (f->magic == SOCKFS_MAGIC || f->magic == PIPEFS_MAGIC) {
		snprintf(p->buf, sizeof(p->buf), "%s:[%llu]",
			 f->magic == SOCKFS_MAGIC ? "socket" : "pipe", (unsigned long long)f->ino);
		return p->buf;
	}
	/* /proc first, as strace reads it: the name now, after a rename too. */
	e = slot_of(p, tgid, fd);
	path = from_proc(tgid, fd, f);
	if (path) {
		store(e, tgid, fd, f, path);
		return e->path;
	}
	return same_file(e, tgid, fd, f) ? e->path : NULL;
}

void fdpath__learn(struct fdpath *p, __u32 tgid, int fd, const struct sysray_ev_file *f,
		   const char *path, size_t n)
{
	struct fdpath_entry *e = slot_of(p, tgid, fd);
	char *copy;

	if (!f->valid || fd < 0 || !n || path[0] != '/' || memchr(path, 0, n))
		return;
	if (same_file(e, tgid, fd, f))
		return;
	copy = strndup(path, n);
	if (copy)
		store(e, tgid, fd, f, copy);
}

void fdpath__free(struct fdpath *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < FDPATH_SLOTS; i++)
		free(p->slots[i].path);
	free(p);
}
