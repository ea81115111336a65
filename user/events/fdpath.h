/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -y: the path of a file descriptor as the call saw it. The kernel identifies the file
 * (device and inode) when the call uses the descriptor; a path is only shown for that
 * file, so a descriptor closed and reused since is never given another file's path:
 *   - sockets and pipes are named from their inode, as /proc names them;
 *   - other files from /proc/PID/fd/FD (the working directory for AT_FDCWD), if it is
 *     still that file (checked by stat), as strace does;
 *   - once the process is gone (events are read a little after the calls), the last name
 *     seen for that file: from /proc, or the absolute path an open() of it was given;
 *   - else none: the descriptor is shown alone.
 */
#ifndef SYSRAY_EVENTS_FDPATH_H
#define SYSRAY_EVENTS_FDPATH_H

#include <stddef.h>
#include <linux/types.h>
#include "sysray_events.h"

struct fdpath;

int fdpath__new(struct fdpath **out);
/* The path of descriptor fd of process tgid if it is file f, or NULL (valid until next call). */
const char *fdpath__get(struct fdpath *p, __u32 tgid, int fd, const struct sysray_ev_file *f);
/* An open of path (n bytes) returned fd, file f: remember it for when /proc is gone. */
void fdpath__learn(struct fdpath *p, __u32 tgid, int fd, const struct sysray_ev_file *f,
		   const char *path, size_t n);
void fdpath__free(struct fdpath *p);

#endif /* SYSRAY_EVENTS_FDPATH_H */
