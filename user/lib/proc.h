/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The few facts sysray reads from /proc. */
#ifndef SYSRAY_LIB_PROC_H
#define SYSRAY_LIB_PROC_H

#include <stddef.h>
#include <linux/types.h>

/* /proc/sys/kernel/pid_max: one more than the largest pid; 0 or a negative errno. */
int proc_pid_max(__u32 *out);

/*
 * The command name of thread tid of process tgid (tid 0: the process itself), without its
 * newline; a thread that is gone gets its process's name. 0, or -errno if neither is there.
 */
int proc_comm(__u32 tgid, __u32 tid, char *buf, size_t len);

/*
 * The cgroup v2 path of process tgid ("/system.slice/ssh.service"), from /proc/PID/cgroup;
 * on a v1-only system the path of its first hierarchy. 0, or -errno (-ENOENT: it is gone).
 */
int proc_cgroup(__u32 tgid, char *buf, size_t len);
/* The same from the text of a /proc/PID/cgroup file: 0, or -ENOENT if it names none. */
int proc_cgroup_parse(const char *text, char *buf, size_t len);

#endif /* SYSRAY_LIB_PROC_H */
