// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "metrics/cgroup_names.h"

struct cgroup_names {
	char *mount;
	size_t mount_len;
	int mount_fd;
	int handle_type; /* of the mount's file handles, -1 when it cannot export them */
};

static int find_mount(const char *mounts, char **out)
{
	struct mntent ent, *e;
	char buf[4096];
	FILE *fp = setmntent(mounts, "re");

	if (!fp)
		return -errno;
	*out = NULL;
	while (!*out && (e = getmntent_r(fp, &ent, buf, sizeof(buf))))
		if (!strcmp(e->mnt_type, "cgroup2"))
			*out = strdup(e->mnt_dir);
	endmntent(fp);
	return *out ? 0 : -ENOENT;
}

/* The handle type the mount gives its directories (FILEID_KERNFS on kernfs). */
static int probe_handles(struct cgroup_names *c)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[sizeof(__u64)];
	} h;
	int mount_id;

	h.fh.handle_bytes = sizeof(h.bytes);
	if (name_to_handle_at(c->mount_fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) ||
	    h.fh.handle_bytes != sizeof(__u64))
		return -1;
	return h.fh.handle_type;
}

int cgroup_names__new(const char *mounts, struct cgroup_names **out)
{
	struct cgroup_names *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	c->mount_fd = -1;
	err = find_mount(mounts, &c->mount);
	if (!err) {
		c->mount_len = strlen(c->mount);
		while (c->mount_len > 1 && c->mount[c->mount_len - 1] == '/')
			c->mount[--c->mount_len] = 0;
		c->mount_fd = open(c->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (c->mount_fd < 0)
			err = -errno;
	}
	if (err) {
		cgroup_names__free(c);
		return err;
	}
	c->handle_type = probe_handles(c);
	*out = c;
	return 0;
}

/* Whether the directory at fd is the cgroup with id_lo. */
static bool is_cgroup(int fd, __u32 id_lo)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISDIR(st.st_mode) && (__u32)st.st_ino == id_lo;
}

/* rel ("/a/b" below the mount, or "/") as the label: "a/b", or "/" for the root. */
static int put_path(const char *rel, char *buf, size_t len)
{
	const char *p = rel[0] == '/' && rel[1] ? rel + 1 : rel;

	if (!*p || (size_t)snprintf(buf, len, "%s", p) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* From the task's own view of its cgroup, if it is still there and still in it. */
static int from_proc(struct cgroup_names *c, __u32 id_lo, __u32 tgid, __u32 tid, char *buf,
		     size_t len)
{
	char path[64], line[PATH_MAX + 8], *rel = NULL;
	FILE *f;
	int fd, err = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/cgroup", tgid, tid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!rel && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::/", 4))
			rel = line + 3;
	fclose(f);
	if (!rel)
		return -ENOENT;
	rel[strcspn(rel, "\n")] = 0;
	/* Relative to the mount: openat never leaves it through "..", which a cgroup path
	 * cannot hold; O_NOFOLLOW, as nothing on cgroupfs is a link. */
	fd = openat(c->mount_fd, rel[1] ? rel + 1 : ".",
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (is_cgroup(fd, id_lo))
		err = put_path(rel, buf, len);
	close(fd);
	return err;
}

/* From the id as a file handle: the kernel finds the directory and says its path. */
static int from_handle(struct cgroup_names *c, __u32 id_lo, char *buf, size_t len)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[sizeof(__u64)];
	} h;
	char link[64], path[PATH_MAX];
	__u64 id = id_lo; /* the generation bits are 0 until the id space wraps */
	ssize_t n;
	int fd, err = -ENOENT;

	if (c->handle_type < 0)
		return -EOPNOTSUPP;
	h.fh.handle_bytes = sizeof(id);
	h.fh.handle_type = c->handle_type;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(c->mount_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0 && is_cgroup(fd, id_lo)) {
		path[n] = 0;
		/* A removed directory still open is named "... (deleted)": not a path. */
		if (n > 10 && !strcmp(path + n - 10, " (deleted)"))
			err = -ENOENT;
		else if (!strncmp(path, c->mount, c->mount_len) &&
			 (path[c->mount_len] == '/' || !path[c->mount_len]))
			err = put_path(path[c->mount_len] ? path + c->mount_len : "/", buf, len);
	}
	close(fd);
	return err;
}

int cgroup_names__path(struct cgroup_names *c, __u32 id_lo, __u32 tgid, __u32 tid, char *buf,
		       size_t len)
{
	if (!from_proc(c, id_lo, tgid, tid, buf, len))
		return 0;
	return from_handle(c, id_lo, buf, len);
}

const char *cgroup_names__mount(const struct cgroup_names *c)
{
	return c->mount;
}

void cgroup_names__free(struct cgroup_names *c)
{
	if (!c)
		return;
	if (c->mount_fd >= 0)
		close(c->mount_fd);
	free(c->mount);
	free(c);
}
