// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --cgroup PATH: a cgroup v2 directory to its kernel cgroup id and an open fd.
 *
 * The id is read with name_to_handle_at(2): on kernfs (cgroup2) the file handle is the kernfs
 * node id, which is exactly what bpf_get_current_cgroup_id() returns (cgroup_id() is
 * kn->id) on every architecture.  On 64-bit hosts the same number is also the directory's
 * inode number; st_ino is only the fallback for a kernel that cannot export handles, because
 * with a 32-bit ino_t it would be just the low half of the id.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "filter/filter.h"
#include "lib/errmsg.h"

#define MAX_V2_MOUNTS 16

struct cg_mounts {
	int nr;
	char *dirs[MAX_V2_MOUNTS]; /* cgroup2 mount points, in /proc/mounts order */
	bool has_v1;
};

static void mounts_free(struct cg_mounts *m)
{
	for (int i = 0; i < m->nr; i++)
		free(m->dirs[i]);
	m->nr = 0;
}

static int mounts_read(const char *file, struct cg_mounts *m)
{
	struct mntent ent, *e;
	char buf[4096];
	FILE *fp;

	memset(m, 0, sizeof(*m));
	fp = setmntent(file, "re");
	if (!fp)
		return -errno;
	while ((e = getmntent_r(fp, &ent, buf, sizeof(buf)))) {
		if (!strcmp(e->mnt_type, "cgroup")) {
			m->has_v1 = true;
			continue;
		}
		if (strcmp(e->mnt_type, "cgroup2") || m->nr >= MAX_V2_MOUNTS)
			continue;
		m->dirs[m->nr] = strdup(e->mnt_dir);
		if (!m->dirs[m->nr]) {
			endmntent(fp);
			mounts_free(m);
			return -ENOMEM;
		}
		m->nr++;
	}
	endmntent(fp);
	return 0;
}

/*
 * The path of the cgroup at abs (a canonical path) in its hierarchy, "/" for the root, as
 * /proc/PID/cgroup shows it: abs without the longest cgroup2 mount point it is under.
 */
static char *hierarchy_path(const struct cg_mounts *m, const char *abs)
{
	size_t best = 0;
	bool found = false;

	for (int i = 0; i < m->nr; i++) {
		size_t n = strlen(m->dirs[i]);

		while (n && m->dirs[i][n - 1] == '/')
			n--;
		if (strncmp(abs, m->dirs[i], n) || (abs[n] && abs[n] != '/'))
			continue;
		if (!found || n > best)
			best = n;
		found = true;
	}
	if (!found)
		return strdup(abs);
	return strdup(abs[best] ? abs + best : "/");
}

/* Open path if it is a directory on a cgroup2 file system: the fd, or a negative errno. */
static int open_v2_dir(const char *path)
{
	struct statfs sfs;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		return -ENOTDIR;
	}
	return fd;
}

static int cgroup_id(int fd, __u64 *id)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[sizeof(__u64)];
	} h;
	struct stat st;
	int mount_id;

	h.fh.handle_bytes = sizeof(h.bytes);
	if (!name_to_handle_at(fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) &&
	    h.fh.handle_bytes == sizeof(__u64)) {
		memcpy(id, h.fh.f_handle, sizeof(*id));
		return 0;
	}
	if (errno != EOPNOTSUPP && errno != ENOSYS && errno != EOVERFLOW)
		return -errno;
	if (fstat(fd, &st))
		return -errno;
	*id = st.st_ino;
	return 0;
}

/* Open arg as given or under the first cgroup2 mount; the fd and its path, or -errno. */
static int open_cgroup(const struct cg_mounts *m, const char *arg, char *path, size_t size)
{
	int fd = -ENOENT;

	if (arg[0] == '/') {
		snprintf(path, size, "%s", arg);
		fd = open_v2_dir(path);
		if (fd >= 0 || (fd != -ENOENT && fd != -ENOTDIR))
			return fd;
		/* "/system.slice/x.service", as /proc/PID/cgroup shows it */
	}
	if ((size_t)snprintf(path, size, "%s/%s", m->dirs[0], arg + (arg[0] == '/')) >= size)
		return -ENAMETOOLONG;
	return open_v2_dir(path);
}

int filter__add_cgroup_mounts(struct filter *f, const char *arg, const char *mounts, char *err,
			      size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct cg_mounts m;
	char *hpath;
	__u64 id = 0;
	int fd, rc;

	if (!*arg)
		return errmsg(err, len, -EINVAL, "--cgroup: empty path");
	rc = mounts_read(mounts, &m);
	if (rc)
		return errmsg(err, len, rc, "--cgroup: cannot read %s: %s", mounts, strerror(-rc));
	if (!m.nr) {
		rc = errmsg(err, len, -ENOENT, "--cgroup: no cgroup v2 hierarchy is mounted%s",
			    m.has_v1 ? " (only v1)" : "");
		goto out;
	}
	fd = open_cgroup(&m, arg, path, sizeof(path));
	if (fd == -ENOENT || fd == -ENOTDIR || fd == -ENAMETOOLONG) {
		if (arg[0] == '/')
			rc = errmsg(err, len, -EINVAL,
				    "--cgroup: '%s' is not a cgroup v2 directory", arg);
		else
			rc = errmsg(err, len, -EINVAL,
				    "--cgroup: '%s' is not a cgroup v2 directory "
				    "(relative to %s)",
				    arg, m.dirs[0]);
		goto out;
	}
	if (fd < 0) {
		rc = errmsg(err, len, fd, "--cgroup: cannot open '%s': %s", path, strerror(-fd));
		goto out;
	}
	rc = cgroup_id(fd, &id);
	if (rc) {
		rc = errmsg(err, len, rc, "--cgroup: cannot get the id of '%s': %s", path,
			    strerror(-rc));
		goto out_close;
	}
	for (int i = 0; i < f->nr_cgroups; i++) {
		if (f->cgroup_ids[i] == id)
			goto out_close; /* rc == 0: given twice */
	}
	if (f->nr_cgroups >= FILTER_MAX_CGROUPS) {
		rc = errmsg(err, len, -EINVAL, "--cgroup: too many cgroups (at most %d)",
			    FILTER_MAX_CGROUPS);
		goto out_close;
	}
	hpath = hierarchy_path(&m, realpath(path, real) ? real : path);
	if (!hpath) {
		rc = errmsg(err, len, -ENOMEM, "--cgroup: out of memory");
		goto out_close;
	}
	f->cgroup_ids[f->nr_cgroups] = id;
	f->cgroup_fds[f->nr_cgroups] = fd;
	f->cgroup_paths[f->nr_cgroups] = hpath;
	f->nr_cgroups++;
	goto out;
out_close:
	close(fd);
out:
	mounts_free(&m);
	return rc;
}

int filter__add_cgroup(struct filter *f, const char *path, char *err, size_t len)
{
	return filter__add_cgroup_mounts(f, path, "/proc/mounts", err, len);
}
