/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Opening a file to write, as root, in directories other users may control (docs/security.md).
 *
 * The target's directory is opened once (O_PATH) and everything after is relative to that
 * descriptor, so no path is looked up twice. A directory is "trusted" when it is owned by
 * root or by us and nobody else can write to it; in any other directory (sticky /tmp, a
 * group-writable spool, another user's home) the last component is never followed if it is
 * a symbolic link, whatever fs.protected_symlinks says, and an existing file is only used
 * when it cannot be a planted hard link. What is opened is checked with fstat() on the
 * descriptor itself: regular files, FIFOs and character devices (character devices only in
 * a trusted directory) are written; block devices, directories and sockets are refused.
 */
#ifndef SYSRAY_LIB_SAFE_OPEN_H
#define SYSRAY_LIB_SAFE_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum safe_open_mode {
	/*
	 * -o: a regular file is written as a new temporary file beside it, which
	 * safe_file_commit() renames over it (so it appears whole); created 0666 & ~umask, or
	 * with the owner, group and mode of the file it replaces. A FIFO or a character device
	 * is written in place.
	 */
	SAFE_REPLACE,
	/* --anomaly-log: the file itself, appended to, created 0666 & ~umask if missing. */
	SAFE_APPEND,
	/*
	 * --events -o: the file itself, truncated and written in place so that it can be
	 * followed as it grows; created 0666 & ~umask if missing (an existing file keeps its
	 * owner and mode). The same checks as SAFE_APPEND: it writes into the file itself.
	 */
	SAFE_TRUNCATE,
};

struct safe_file {
	int fd;	     /* write here */
	int dirfd;   /* with a temporary file: the directory (O_PATH), else -1 */
	char *name;  /* with a temporary file: the target's name in dirfd */
	char *tmp;   /* the temporary file's name in dirfd; NULL when written in place */
	bool is_reg; /* fd is a regular file (it can be truncated back on a write error) */
};

/*
 * Open path for writing. 0, or a negative errno with one line (naming path) in err:
 * -ELOOP for a symbolic link that is not followed, -EISDIR, -ENOTBLK for a block device
 * (nothing is written to one), -EPERM for a file refused in an untrusted directory.
 */
int safe_open(const char *path, enum safe_open_mode mode, struct safe_file *f, char *err,
	      size_t errlen);
/* SAFE_REPLACE: rename the temporary file over the target. 0 or -errno. */
int safe_file_commit(struct safe_file *f);
/* Close; an uncommitted temporary file is removed. f can be closed twice. */
void safe_file_close(struct safe_file *f);

/* Owned by root or euid, and not writable by group or others. */
bool safe_dir_trusted(int dirfd);
/*
 * The directory of path, opened O_PATH|O_DIRECTORY (following symbolic links on the way, as
 * every lookup does), and the last component: *name points into path. -errno on failure.
 */
int safe_open_parent(const char *path, const char **name);

#endif /* SYSRAY_LIB_SAFE_OPEN_H */
