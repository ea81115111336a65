// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "targets.h"
#include "util.h"

/* Tgid and state from /proc/PID/status; -ESRCH if there is no such task. */
static int proc_status(int pid, __u32 *tgid, char *state)
{
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned int v;

		if (sscanf(line, "Tgid: %u", &v) == 1) {
			*tgid = v;
			found |= 1;
		} else if (sscanf(line, "State: %c", state) == 1) {
			found |= 2;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -ESRCH;
}

int targets_resolve(const int *pids, int n, __u32 **out)
{
	__u32 *tgids = calloc(n, sizeof(*tgids));
	char state;
	int err;

	if (!tgids) {
		p_err("out of memory");
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		err = proc_status(pids[i], &tgids[i], &state);
		if (!err && state == 'Z')
			err = -ESRCH;
		/* Its own syscalls would feed the ring that makes them: a loop, not a profile. */
		if (!err && tgids[i] == (__u32)getpid()) {
			p_err("cannot trace process %d: it is sysray itself", pids[i]);
			free(tgids);
			return -EINVAL;
		}
		if (err) {
			p_err("cannot trace process %d: %s", pids[i],
			      err == -ESRCH ? "no such process" : strerror(-err));
			free(tgids);
			return err;
		}
	}
	*out = tgids;
	return 0;
}

bool targets_alive(const __u32 *tgids, int n)
{
	for (int i = 0; i < n; i++) {
		__u32 tgid;
		char state;

		if (!proc_status(tgids[i], &tgid, &state) && state != 'Z')
			return true;
	}
	return false;
}
