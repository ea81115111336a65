/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* sysray's own pid namespace: every pid it takes or reports is a pid of that namespace. */
#ifndef SYSRAY_PIDNS_H
#define SYSRAY_PIDNS_H

#include <linux/types.h>

struct pidns_info {
	__u32 level;	    /* 0: the initial namespace, where the kernel's ids are sysray's */
	__u32 inum;	    /* inode number of /proc/self/ns/pid */
	__u32 root_pid_max; /* the initial namespace's pid_max, if known (else 0) */
	/*
	 * Its kernel address, only ever handed to the tracer's read-only data: comparing
	 * namespaces by address saves the programs a load on every syscall.
	 */
	__u64 ptr;
};

/*
 * Find sysray's pid namespace. Below the initial one this loads and runs a tiny BPF program
 * in sysray's own context (its level is not visible from inside). Also checks that /proc
 * shows this namespace: the pids read there must be the pids sysray is given.
 */
int pidns_probe(struct pidns_info *out);
/* 0 if /proc/self is this process, else an error printed: /proc is another namespace's. */
int pidns_check_proc(void);

#endif /* SYSRAY_PIDNS_H */
