/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A tracing session: start the command (or resolve the -p targets), load and attach the
 * tracer, poll its rings into the pipeline of sinks until the end, stop, and hand the
 * exact whole-run profile to every sink. It knows sinks only through sink/sink.h.
 */
#ifndef SYSRAY_SESSION_H
#define SYSRAY_SESSION_H

#include <linux/types.h>
#include "sink/sink.h"
#include "stats/groups.h"
#include "stats/run.h"
#include "lib/users.h"
#include "trace/tracer.h"

struct session_opts {
	enum target_mode mode;
	char **argv;			 /* command mode */
	const struct user_creds *run_as; /* command mode: run it as this user (-u), or NULL */
	const int *pids;		 /* pid mode */
	int nr_pids;
	bool follow_forks; /* -p -f; always on in command mode */
	__u64 duration_ns; /* -d, 0 for none */
	enum group_by group_by;
	__u64 ring_bytes;
	bool shared_ring;
	bool verbose;
	bool record_cgroup;		  /* records carry their cgroup (--metrics-by cgroup) */
	const struct sysray_scope *scope; /* NULL: no scope filter */
	const int *cgroup_fds;
	/* --events: what the kernel captures (its fn and ctx are the session's), or NULL */
	const struct tracer_events *events;
	__u64 keep_caps; /* PRIVS_CAP bits the outputs need after start-up (trace/privs.h) */
	__u32 sample_every; /* --sample N: time one call in N; 0: every call */
	enum tracer_hooks hooks; /* --hooks */
	const struct sysray_stack_cfg *stacks; /* --stacks, or NULL */
};

/* Traced to the end, but a report or log could not be written where asked (as timeout(1)). */
#define SESSION_EXIT_OUTPUT 125

struct session;

int session__new(const struct session_opts *o, struct session **out);
/* The session owns the sink from now on, also when this fails. */
int session__add_sink(struct session *s, struct sink sink);
/*
 * Trace until the command and its descendants are done, the processes are gone, the
 * duration is up or a stop signal came; stop every sink. Returns the exit status for
 * sysray: the command's (command mode), 0, 1 after an error (already printed), or
 * SESSION_EXIT_OUTPUT when a sink failed to write (the command's status is then printed).
 */
int session__run(struct session *s);
void session__free(struct session *s);

#endif /* SYSRAY_SESSION_H */
