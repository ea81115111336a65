/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cgroup v2 ids (as records carry them: the low 32 bits) to paths below the cgroup2
 * mount, "system.slice/nginx.service" ("/" for the root). Two ways, cheapest first: the
 * task's /proc/PID/task/TID/cgroup, checked against the directory's inode number (the id
 * on 64-bit hosts); else the id as a kernfs file handle (open_by_handle_at, which needs
 * CAP_DAC_READ_SEARCH), whose path the kernel gives back. A cgroup removed before its
 * first record is read has no path any more.
 */
#ifndef SYSRAY_METRICS_CGROUP_NAMES_H
#define SYSRAY_METRICS_CGROUP_NAMES_H

#include <stddef.h>
#include <linux/types.h>

struct cgroup_names;

/* Find the cgroup2 mount in mounts (/proc/mounts); -ENOENT when there is none. */
int cgroup_names__new(const char *mounts, struct cgroup_names **out);
/* The path of the cgroup whose id has these low bits, seen in task tid of tgid. */
int cgroup_names__path(struct cgroup_names *c, __u32 id_lo, __u32 tgid, __u32 tid, char *buf,
		       size_t len);
const char *cgroup_names__mount(const struct cgroup_names *c);
void cgroup_names__free(struct cgroup_names *c);

#endif /* SYSRAY_METRICS_CGROUP_NAMES_H */
