// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "pidns.skel.h"
#include "trace/pidns.h"
#include "lib/log.h"

/* include/linux/proc_ns.h: the initial pid namespace's fixed inode number. */
#define PROC_PID_INIT_INO 0xEFFFFFFCU

/* /proc/self names this process only if /proc was mounted for its pid namespace. */
int pidns_check_proc(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n < 0 && errno != ENOENT) {
		p_err("cannot read /proc/self: %s", strerror(errno));
		return -errno;
	}
	if (n > 0)
		buf[n] = 0;
	if (n <= 0 || strtol(buf, NULL, 10) != getpid()) {
		p_err("/proc is not mounted for sysray's pid namespace, so its pids are not "
		      "sysray's (mount one: unshare --mount-proc, or mount -t proc proc /proc)");
		return -EINVAL;
	}
	return 0;
}

/* Run the probe program in this task: it reads where its pid namespace sits. */
static int run_probe(struct pidns_info *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct pidns_bpf *skel = pidns_bpf__open_and_load();
	int err;

	if (!skel)
		return -errno ?: -EINVAL;
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.probe), &opts);
	if (err)
		err = -errno;
	else if (opts.retval)
		err = -ERANGE;
	out->level = skel->bss->level;
	out->inum = skel->bss->inum;
	out->root_pid_max = skel->bss->root_pid_max;
	out->ptr = skel->bss->ns_ptr;
	pidns_bpf__destroy(skel);
	return err;
}

int pidns_probe(struct pidns_info *out)
{
	struct stat st;
	int err;

	memset(out, 0, sizeof(*out));
	err = pidns_check_proc();
	if (err)
		return err;
	if (stat("/proc/self/ns/pid", &st)) {
		err = -errno;
		p_err("cannot read sysray's pid namespace (/proc/self/ns/pid): %s", strerror(-err));
		return err;
	}
	out->inum = st.st_ino;
	if (st.st_ino == PROC_PID_INIT_INO)
		return 0;
	err = run_probe(out);
	if (err) {
		p_err("cannot find sysray's pid namespace with BPF: %s", strerror(-err));
		return err;
	}
	/* The program must have run in this task: it saw this namespace. */
	if (out->inum != st.st_ino || !out->level || !out->ptr) {
		p_err("cannot find sysray's pid namespace with BPF: it saw namespace %u at level "
		      "%u, not %u",
		      out->inum, out->level, (unsigned int)st.st_ino);
		return -EINVAL;
	}
	return 0;
}
