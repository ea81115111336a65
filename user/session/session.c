// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/proc.h"
#include "lib/signals.h"
#include "lib/walltime.h"
#include "session/pipeline.h"
#include "session/session.h"
#include <linux/capability.h>
#include "trace/launcher.h"
#include "trace/privs.h"
#include "trace/targets.h"

#define POLL_MS 100

struct session {
	struct session_opts o;
	struct pipeline *pipe;
	struct tracer *tracer;
	struct launcher *launcher;
	struct run_info run;
	struct sysray_counts *counts;
	struct sysray_counts *tick_counts; /* for sinks that tick with the kernel's counts */
	struct targets *targets;	   /* pid mode: the processes of -p, held by pidfd */
	bool *target_gone;		   /* ...whose exit has been handled */
	__u64 start;
	__u32 pid_max;
	int stops;	    /* SIGINT/SIGTERM received while the command runs */
	int detach_sig;	    /* the one that made sysray detach, or 0 */
	bool command_done;  /* the command has exited (its descendants may not have) */
	bool output_failed; /* a sink could not write its report or log */
	struct sink_stack_source stack_src; /* --stacks: the tracer's stack maps */
};

/* Where the run happened, for reports read far from the machine. */
static void host_identity(struct run_info *run)
{
	struct utsname u;

	if (uname(&u))
		return;
	snprintf(run->hostname, sizeof(run->hostname), "%s", u.nodename);
	snprintf(run->kernel, sizeof(run->kernel), "%s", u.release);
}

int session__new(const struct session_opts *o, struct session **out)
{
	struct pipeline_opts po = {
		.group_by = o->group_by,
		.count_tgids = o->mode == TARGET_SYSTEM,
	};
	struct session *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->o = *o;
	s->run = (struct run_info){
		.mode = o->mode,
		.argv = o->argv,
		.pids = o->pids,
		.nr_pids = o->nr_pids,
		.exit_status = -1,
		.sample_every = o->sample_every > 1 ? o->sample_every : 0,
	};
	host_identity(&s->run);
	s->counts = calloc(1, sizeof(*s->counts));
	err = s->counts ? proc_pid_max(&s->pid_max) : -ENOMEM;
	if (err == -ENOMEM)
		p_err("out of memory");
	else if (err)
		p_err("cannot read /proc/sys/kernel/pid_max: %s", strerror(-err));
	po.pid_max = s->pid_max;
	if (!err)
		err = pipeline__new(&po, &s->pipe);
	if (err) {
		session__free(s);
		return err;
	}
	*out = s;
	return 0;
}

int session__add_sink(struct session *s, struct sink sink)
{
	return pipeline__add_sink(s->pipe, sink);
}

/* -p: the target processes, resolved, checked and held before anything is loaded. */
static int resolve_targets(struct session *s)
{
	int err;

	if (s->o.mode != TARGET_PID)
		return 0;
	err = targets__new(s->o.pids, s->o.nr_pids, &s->targets);
	if (err)
		return err;
	s->target_gone = calloc(targets__count(s->targets), sizeof(*s->target_gone));
	if (!s->target_gone) {
		p_err("out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int tracer_comm(void *ctx, __u32 tid, char *buf, size_t len)
{
	return tracer__comm(ctx, tid, buf, len);
}

static int tracer_ev_stats(void *ctx, __u64 stats[SYSRAY_EV_STAT_CNT])
{
	return tracer__read_event_stats(ctx, stats);
}

static int tracer_inflight(void *ctx, __u32 tid, int *abi, int *nr, __u64 *elapsed_ns)
{
	return tracer__inflight(ctx, tid, abi, nr, elapsed_ns);
}

/* Load the programs and put the targets in the traced set; nothing runs traced yet. */
static int setup_tracer(struct session *s)
{
	struct tracer_opts to = {
		.filter_tgid = s->o.mode != TARGET_SYSTEM,
		.follow_forks = s->o.mode == TARGET_COMMAND || s->o.follow_forks,
		.ring_bytes = s->o.ring_bytes,
		.shared_ring = s->o.shared_ring,
		.verbose = s->o.verbose,
		.record_cgroup = s->o.record_cgroup,
		.scope = s->o.scope,
		.cgroup_fds = s->o.cgroup_fds,
		.pid_max = s->pid_max,
		.sample_every = s->o.sample_every,
		.hooks = s->o.hooks,
		.stacks = s->o.stacks,
		.stack_fn = pipeline__stack_event,
		.stack_ctx = s->pipe,
	};
	struct tracer_events ev;
	int err;

	if (s->o.events) {
		ev = *s->o.events;
		ev.fn = pipeline__event;
		ev.ctx = s->pipe;
		to.events = &ev;
	}
	err = tracer__new(&to, pipeline__records, s->pipe, &s->tracer);
	if (err)
		return err;
	s->run.hooks = tracer__hooks(s->tracer);
	/* The held command runs nothing before it is released: traced from its first call. */
	if (s->launcher)
		err = tracer__trace_tgid(s->tracer, launcher__pid(s->launcher));
	for (int i = 0; !err && i < targets__count(s->targets); i++)
		err = tracer__watch_fd(s->tracer, targets__pidfd(s->targets, i));
	if (err) {
		p_err("cannot add the target to the traced set: %s", strerror(-err));
		return err;
	}
	/* The command's exit ends the wait at once, even if SIGCHLD came before it began. */
	if (s->launcher && launcher__pidfd(s->launcher) >= 0) {
		err = tracer__watch_fd(s->tracer, launcher__pidfd(s->launcher));
		if (err) {
			p_err("cannot watch the command: %s", strerror(-err));
			return err;
		}
	}
	return 0;
}

static __u64 procs_traced(struct session *s)
{
	switch (s->o.mode) {
	case TARGET_COMMAND:
		return 1 + s->counts->stats[SYSRAY_STAT_FORKS];
	case TARGET_PID:
		return targets__count(s->targets) + s->counts->stats[SYSRAY_STAT_FORKS];
	default:
		return pipeline__tgids_seen(s->pipe);
	}
}

/* SIGUSR1: the whole run so far, to the sinks that report it. */
static void snapshot(struct session *s)
{
	int err = tracer__read_counts(s->tracer, s->counts);

	if (!err)
		err = pipeline__snapshot(s->pipe, s->counts, now_ns() - s->start, procs_traced(s));
	if (err)
		p_warn("cannot report the run so far: %s", strerror(-err));
}

/*
 * SIGINT/SIGTERM while the command runs: the first is passed on (a terminal's Ctrl-C has
 * reached the command's process group already), a second detaches, like strace: the
 * report is written and the command goes on untraced. 1 when sysray must stop.
 */
static int command_stop(struct session *s, const struct signal_events *ev)
{
	if (!s->stops && ev->stop_from_process)
		kill(launcher__pid(s->launcher), ev->stop);
	s->stops += ev->stops;
	if (s->stops < 2)
		return 0;
	s->detach_sig = ev->stop;
	return 1;
}

/* A -p process that has exited leaves the traced set, even if it went before it was added. */
static void drop_exited_targets(struct session *s)
{
	for (int i = 0; i < targets__count(s->targets); i++) {
		if (s->target_gone[i] || !targets__exited(s->targets, i))
			continue;
		s->target_gone[i] = true;
		tracer__unwatch_fd(s->tracer, targets__pidfd(s->targets, i));
		tracer__untrace_tgid(s->tracer, targets__tgid(s->targets, i));
	}
}

/*
 * -p, once attached: a process that has gone by now is an error; the others join the
 * traced set, whose exit hook now sees them leave. One that went in between leaves it
 * again at once: its pid, perhaps another process's by then, is never traced.
 */
static int add_targets(struct session *s)
{
	int err = targets__check(s->targets);

	for (int i = 0; !err && i < targets__count(s->targets); i++) {
		err = tracer__trace_tgid(s->tracer, targets__tgid(s->targets, i));
		if (err)
			p_err("cannot add process %u to the traced set: %s",
			      targets__tgid(s->targets, i), strerror(-err));
	}
	if (!err)
		drop_exited_targets(s);
	return err;
}

/* Signals: stop (or pass on to the command), SIGHUP, SIGUSR1. 1 when tracing must stop. */
static int handle_signals(struct session *s)
{
	struct signal_events ev;

	signals_take(&ev);
	if (ev.hup) {
		if (s->launcher && ev.hup_from_process)
			kill(launcher__pid(s->launcher), SIGHUP);
		else if (!s->launcher && pipeline__reopen(s->pipe))
			p_warn("cannot reopen the log files; trying again at the next SIGHUP");
	}
	if (ev.usr1)
		snapshot(s);
	if (!ev.stop)
		return 0;
	/* Once the command is gone, a stop signal stops its descendants' trace. */
	if (!s->launcher || s->command_done)
		return 1;
	return command_stop(s, &ev);
}

/* The command's end: 1 once it has exited, 0 while it runs, or -errno. */
static int check_command(struct session *s)
{
	int err;

	if (!s->launcher || s->command_done)
		return 0;
	err = launcher__reap(s->launcher, false);
	if (err == 1) {
		s->command_done = true;
		tracer__unwatch_fd(s->tracer, launcher__pidfd(s->launcher));
	}
	return err;
}

static int tick(struct session *s, __u64 now)
{
	__u64 stats[SYSRAY_STAT_CNT] = { 0 };
	__u64 next = pipeline__next_tick(s->pipe);
	struct sink_tick t = { .now = now };
	int err;

	if (!next || next > now)
		return 0;
	if (pipeline__tick_wants_counts(s->pipe, now)) {
		if (!s->tick_counts)
			s->tick_counts = malloc(sizeof(*s->tick_counts));
		err = s->tick_counts ? tracer__read_kernel_counts(s->tracer, s->tick_counts)
				     : -ENOMEM;
		if (!err) {
			t.counts = s->tick_counts;
			t.dropped = s->tick_counts->stats[SYSRAY_STAT_DROPPED];
		}
	} else {
		err = tracer__read_stats(s->tracer, stats);
		t.dropped = stats[SYSRAY_STAT_DROPPED];
	}
	return err ? err : pipeline__tick(s->pipe, &t);
}

/* Poll until the command ends, the processes are gone, time is up or we are told to stop. */
static int trace_loop(struct session *s)
{
	int err;

	for (;;) {
		__u64 now = now_ns(), next = pipeline__next_tick(s->pipe);

		err =
		    tracer__poll(s->tracer, next ? clock_timeout_ms(now, next, POLL_MS) : POLL_MS);
		if (err) {
			p_err("reading the ring buffer: %s", strerror(-err));
			return err;
		}
		err = tick(s, now_ns());
		if (err)
			return err == SINK_STOP ? 0 : err;
		if (handle_signals(s))
			return 0;
		err = check_command(s);
		if (err < 0)
			return err;
		drop_exited_targets(s);
		/*
		 * Like strace -f, go on while any traced process lives: descendants that outlive
		 * the command, children of -p -f, a -p process whose main thread has exited.
		 * The kernel drops a tgid from the set when its last thread exits.
		 */
		if ((s->o.mode == TARGET_PID || s->command_done) && !tracer__any_traced(s->tracer))
			return 0;
		if (s->o.duration_ns && now_ns() - s->start >= s->o.duration_ns)
			return 0;
	}
}

/*
 * Stop tracing, collect the kernel's counts, and stop every sink with the whole run. A sink
 * that fails is not a tracing error: it sets output_failed.
 */
static int finish(struct session *s)
{
	__u64 duration = now_ns() - s->start;
	int err;

	s->run.end_wall_ns = walltime_of_mono(s->start + duration);
	err = tracer__stop(s->tracer);
	if (!err)
		err = tracer__read_counts(s->tracer, s->counts);
	if (err) {
		p_err("reading the kernel counters: %s", strerror(-err));
		return err;
	}
	if (s->counts->missed)
		p_warn("the kernel skipped the syscall hooks %llu times (recursion): those calls "
		       "are not counted",
		       (unsigned long long)s->counts->missed);
	if (s->counts->stats[SYSRAY_STAT_TID_RANGE])
		p_warn("%llu calls from threads above pid_max were counted but not timed",
		       (unsigned long long)s->counts->stats[SYSRAY_STAT_TID_RANGE]);
	/* The command's status, if it has ended; -d may stop tracing while it still runs. */
	if (s->launcher && launcher__reap(s->launcher, false) == 1)
		s->run.exit_status = launcher__exit_code(s->launcher);
	if (pipeline__stop(s->pipe, s->counts, &s->run, duration, procs_traced(s)))
		s->output_failed = true;
	return 0;
}

/*
 * Wait for a command that outlived tracing (-d), still passing a stop signal on to it; a
 * second one, or having detached already, leaves it running. Returns sysray's status.
 */
static int wait_command(struct session *s)
{
	struct pollfd pfd = { .fd = launcher__pidfd(s->launcher), .events = POLLIN };
	struct signal_events ev;

	while (!s->detach_sig && launcher__reap(s->launcher, false) == 0) {
		signals_take(&ev);
		if (ev.stop)
			command_stop(s, &ev);
		/* Without a pidfd, poll just sleeps between checks. */
		poll(&pfd, pfd.fd >= 0 && !s->detach_sig, POLL_MS);
	}
	if (launcher__reap(s->launcher, false) == 1)
		return launcher__exit_code(s->launcher);
	launcher__detach(s->launcher);
	fprintf(stderr, "sysray: detached: the command (pid %d) goes on untraced\n",
		launcher__pid(s->launcher));
	return 128 + s->detach_sig;
}

/*
 * Loaded and attached: keep only the capabilities still used (docs/security.md). The
 * command may run as another user (-u) or change its own: forwarding signals to it needs
 * CAP_KILL.
 */
static int drop_privileges(struct session *s)
{
	__u64 keep = s->o.keep_caps | (s->launcher ? PRIVS_CAP(CAP_KILL) : 0), kept = 0;
	char names[256];
	int err = privs_drop(s->tracer, keep, &kept);

	if (err) {
		p_err("cannot give up the capabilities no longer needed: %s", strerror(-err));
		return 1;
	}
	if (s->o.verbose)
		fprintf(stderr, "sysray: capabilities kept: %s\n",
			privs_names(kept, names, sizeof(names)));
	return -1;
}

/* Everything up to the first traced instruction; returns an exit status, or -1 to go on. */
static int begin(struct session *s)
{
	struct sink_start ss = {
		.run = &s->run,
		.pid_max = s->pid_max,
		.comm_fn = tracer_comm,
		.inflight_fn = tracer_inflight,
	};
	int err;

	if (resolve_targets(s))
		return 1;
	/* Before the command is forked: it puts back what sysray found before its exec. */
	err = signals_install();
	if (err) {
		p_err("cannot install signal handlers: %s", strerror(-err));
		return 1;
	}
	if (s->o.mode == TARGET_COMMAND) {
		err = launcher__spawn(s->o.argv, s->o.run_as, &s->launcher);
		if (err) {
			p_err("cannot execute '%s': %s", s->o.argv[0], strerror(-err));
			return 127;
		}
	}
	if (setup_tracer(s))
		return 1;
	ss.comm_ctx = ss.inflight_ctx = s->tracer;
	if (s->o.events) {
		ss.ev_stats_fn = tracer_ev_stats;
		ss.ev_stats_ctx = s->tracer;
	}
	if (s->o.stacks && s->o.stacks->mode) {
		s->stack_src = (struct sink_stack_source){
			.ctx = s->tracer,
			.frames = tracer__stack_frames,
			.stats = tracer__stack_stats,
		};
		ss.stacks = &s->stack_src;
	}
	s->run.start_ns = s->start = now_ns();
	s->run.start_wall_ns = walltime_of_mono(s->start);
	if (pipeline__start(s->pipe, &ss) || tracer__attach(s->tracer))
		return 1;
	/* The targets go into the BPF maps before the capabilities are given up. */
	if (s->targets && add_targets(s))
		return 1;
	return drop_privileges(s);
}

int session__run(struct session *s)
{
	int code, err;

	code = begin(s);
	if (code >= 0)
		return code;
	if (s->launcher) {
		err = launcher__release(s->launcher);
		if (err == -EPIPE) {
			/* Killed while it waited (a Ctrl-C at start-up): its status is ours. */
			launcher__reap(s->launcher, true);
			return launcher__exit_code(s->launcher);
		}
		if (err && launcher__creds_failed(s->launcher)) {
			p_err("cannot run '%s' as %s: %s", s->o.argv[0], s->o.run_as->name,
			      strerror(-err));
			return 127;
		}
		if (err) {
			p_err("cannot execute '%s': %s", s->o.argv[0], strerror(-err));
			return 127;
		}
	} else {
		fprintf(stderr, "sysray: tracing %s; Ctrl-C to stop\n",
			s->o.mode == TARGET_PID ? "the given processes" : "the whole system");
	}
	err = trace_loop(s);
	if (!err)
		err = finish(s);
	code = err ? 1 : 0;
	/* Report first, then wait: the command goes on untraced, and its status is ours. */
	if (s->launcher) {
		int status = wait_command(s);

		if (!err)
			code = status;
	}
	if (err || !s->output_failed)
		return code;
	/* The reports reached stderr at least; the status says that not all went where asked. */
	if (s->launcher)
		p_err("an output failed (above): exit status %d; the command's was %d",
		      SESSION_EXIT_OUTPUT, code);
	else
		p_err("an output failed (above): exit status %d", SESSION_EXIT_OUTPUT);
	return SESSION_EXIT_OUTPUT;
}

void session__free(struct session *s)
{
	if (!s)
		return;
	tracer__free(s->tracer);
	pipeline__free(s->pipe);
	launcher__free(s->launcher);
	targets__free(s->targets);
	free(s->target_gone);
	free(s->counts);
	free(s->tick_counts);
	free(s);
}
