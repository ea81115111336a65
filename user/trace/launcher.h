/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Runs the profiled command: forked early, held until tracing is in place. */
#ifndef SYSRAY_LAUNCHER_H
#define SYSRAY_LAUNCHER_H

#include <stdbool.h>
#include <sys/types.h>

struct launcher;

/* Resolve argv[0] on PATH and fork a child that waits; -ENOENT etc. if it cannot run. */
int launcher__spawn(char **argv, struct launcher **out);
pid_t launcher__pid(const struct launcher *l);
/* A pidfd that becomes readable when the child exits, or -1 (kernels before 5.3). */
int launcher__pidfd(const struct launcher *l);
/* Let the child exec; returns -errno of a failed execve (the child then exits 127). */
int launcher__release(struct launcher *l);
/* Reap the child if it has ended (or wait for it when block); 1 if reaped, 0 if not yet. */
int launcher__reap(struct launcher *l, bool block);
/* The exit status to pass through: the code, 128+signal, or 127 if it never ran. */
int launcher__exit_code(const struct launcher *l);
/* Leave a released child running: launcher__free() will not wait for it. */
void launcher__detach(struct launcher *l);
/* Kill a child that was never released, and reap it (unless detached). */
void launcher__free(struct launcher *l);

#endif /* SYSRAY_LAUNCHER_H */
