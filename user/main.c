// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sysray: count and time every syscall of a command, some processes or the whole system. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "aggregate.h"
#include "bench_hooks.h"
#include "diff.h"
#include "interval.h"
#include "launcher.h"
#include "opts.h"
#include "output.h"
#include "privs.h"
#include "report.h"
#include "targets.h"
#include "tracer.h"
#include "util.h"
#include "watch.h"

#define POLL_MS 100

static volatile sig_atomic_t stop_signal;	/* last SIGINT/SIGTERM */
static volatile sig_atomic_t stop_from_process; /* ...sent by a process, not the tty */
static volatile sig_atomic_t hup_received, hup_from_process;
static volatile sig_atomic_t report_requested; /* SIGUSR1 */
static volatile sig_atomic_t child_changed;    /* set so SIGCHLD has a handler that wakes us */

static void on_stop(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	stop_signal = sig;
	/* A tty's Ctrl-C reaches the command's process group by itself; kill(1) does not. */
	stop_from_process = si->si_code <= 0;
}

/* Command mode: passed on to the command. -p and -a: reopen the log files. */
static void on_hup(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	hup_received = 1;
	hup_from_process = si->si_code <= 0;
}

static void on_usr1(int sig)
{
	(void)sig;
	report_requested = 1;
}

static void on_child(int sig)
{
	(void)sig;
	child_changed = 1;
}

static int install_signals(void)
{
	/*
	 * SA_RESTART keeps a signal from failing a report write; epoll_wait returns EINTR
	 * whatever the flag, so the poll loop still wakes at once.
	 */
	struct sigaction sa = { .sa_sigaction = on_stop, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct sigaction sh = { .sa_sigaction = on_hup, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct sigaction su = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct sigaction sc = { .sa_handler = on_child, .sa_flags = SA_NOCLDSTOP | SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigemptyset(&sh.sa_mask);
	sigemptyset(&su.sa_mask);
	sigemptyset(&sc.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGHUP, &sh, NULL) || sigaction(SIGUSR1, &su, NULL))
		return -errno;
	if (sigaction(SIGCHLD, &sc, NULL))
		return -errno;
	/* A reader that went away (`sysray ... | head`) is a write error, not a silent death. */
	return signal(SIGPIPE, SIG_IGN) == SIG_ERR ? -errno : 0;
}

struct run {
	struct sysray_config *cfg;
	struct tracer *tracer;
	struct launcher *launcher;
	struct profile prof;
	struct aggregate agg;
	struct interval *iv; /* -i, else NULL */
	struct watch *watch; /* --anomaly, else NULL */
	struct output *out;
	__u64 start;
	__u32 *tgids; /* pid mode: the processes of -p, without duplicates */
	int nr_tgids;
	bool exec_failed;
	bool command_done; /* the command has exited (its descendants may not have) */
};

static int snapshot_report(struct run *r);

static __u64 procs_traced(const struct run *r, const __u64 *stats)
{
	switch (r->cfg->mode) {
	case TARGET_COMMAND:
		return 1 + stats[SYSRAY_STAT_FORKS];
	case TARGET_PID:
		return r->nr_tgids + stats[SYSRAY_STAT_FORKS];
	default:
		return r->agg.seen;
	}
}

/* The poll loop's answers to SIGHUP and SIGUSR1. */
static void handle_requests(struct run *r)
{
	int err;

	if (hup_received) {
		hup_received = 0;
		if (r->cfg->mode == TARGET_COMMAND) {
			if (hup_from_process)
				kill(launcher__pid(r->launcher), SIGHUP);
		} else {
			err = watch__reopen(r->watch);
			if (err)
				p_warn("cannot reopen '%s': %s", r->cfg->anomaly_log,
				       strerror(-err));
		}
	}
	if (report_requested) {
		report_requested = 0;
		err = snapshot_report(r);
		if (err)
			p_warn("cannot print the report so far: %s", strerror(-err));
	}
}

/* Poll until the command ends, the processes are gone, time is up or we are told to stop. */
static int trace_loop(struct run *r, __u64 start)
{
	struct sysray_config *cfg = r->cfg;
	int err, timeout;

	interval__start(r->iv, start);
	watch__start(r->watch, start);
	for (;;) {
		__u64 now = now_ns();

		timeout = interval__timeout_ms(r->iv, now, POLL_MS);
		timeout = watch__timeout_ms(r->watch, now, timeout);
		err = tracer__poll(r->tracer, timeout);
		if (err) {
			p_err("reading the ring buffer: %s", strerror(-err));
			return err;
		}
		err = interval__tick(r->iv, now_ns());
		if (err) {
			p_err("cannot write an interval report: %s", strerror(-err));
			return err;
		}
		err = watch__tick(r->watch, now_ns());
		if (err) {
			p_err("anomaly detection failed: %s", strerror(-err));
			return err;
		}
		handle_requests(r);
		if (stop_signal) {
			/* Once the command is gone, a stop signal stops its descendants' trace. */
			if (cfg->mode != TARGET_COMMAND || r->command_done)
				return 0;
			if (stop_from_process)
				kill(launcher__pid(r->launcher), stop_signal);
			stop_signal = 0;
		}
		if (cfg->mode == TARGET_COMMAND && !r->command_done) {
			child_changed = 0;
			err = launcher__reap(r->launcher, false);
			if (err < 0)
				return err;
			if (err == 1) {
				r->command_done = true;
				tracer__unwatch_fd(r->tracer, launcher__pidfd(r->launcher));
			}
		}
		/*
		 * Like strace -f, go on while any traced process lives: descendants that outlive
		 * the command, children of -p -f, a -p process whose main thread has exited.
		 * The kernel drops a tgid from the set when its last thread exits.
		 */
		if ((cfg->mode == TARGET_PID || r->command_done) && !tracer__any_traced(r->tracer))
			return 0;
		if (cfg->duration_ns && now_ns() - start >= cfg->duration_ns)
			return 0;
	}
}

/* Wait for a command that outlived tracing (-d), still passing stop signals on to it. */
static void wait_command(struct run *r)
{
	struct pollfd pfd = { .fd = launcher__pidfd(r->launcher), .events = POLLIN };

	while (launcher__reap(r->launcher, false) == 0) {
		if (stop_signal) {
			if (stop_from_process)
				kill(launcher__pid(r->launcher), stop_signal);
			stop_signal = 0;
		}
		/* Without a pidfd, poll just sleeps between checks. */
		poll(&pfd, pfd.fd >= 0, POLL_MS);
	}
}

/* SIGUSR1: the whole run so far, to the report stream (stderr if the report is a file). */
static int snapshot_report(struct run *r)
{
	struct profile snap = r->prof;
	__u64 stats[SYSRAY_STAT_CNT] = {};
	FILE *f = r->cfg->output && strcmp(r->cfg->output, "-") ? stderr : output__file(r->out);
	int err;

	err = tracer__add_counters(r->tracer, &snap.total);
	if (!err)
		err = tracer__read_stats(r->tracer, stats);
	if (err)
		return err;
	snap.dropped = stats[SYSRAY_STAT_DROPPED];
	snap.duration_ns = now_ns() - r->start;
	snap.procs = procs_traced(r, stats);
	snap.anomaly = watch__detector(r->watch);
	return report_write(f, r->cfg, &snap);
}

static int collect(struct run *r)
{
	__u64 stats[SYSRAY_STAT_CNT] = {};
	int err;

	err = tracer__stop(r->tracer);
	if (!err)
		err = tracer__add_counters(r->tracer, &r->prof.total);
	if (!err)
		err = tracer__read_stats(r->tracer, stats);
	if (err) {
		p_err("reading the kernel counters: %s", strerror(-err));
		return err;
	}
	r->prof.dropped = stats[SYSRAY_STAT_DROPPED];
	r->prof.procs = procs_traced(r, stats);
	err = tracer__read_misses(r->tracer, &r->prof.missed);
	if (err) {
		p_err("reading the programs' miss counters: %s", strerror(-err));
		return err;
	}
	if (r->prof.missed)
		p_warn("the kernel skipped the syscall hooks %llu times (recursion): those calls "
		       "are not counted",
		       (unsigned long long)r->prof.missed);
	if (stats[SYSRAY_STAT_TID_RANGE])
		p_warn("%llu calls from threads above pid_max were counted but not timed",
		       (unsigned long long)stats[SYSRAY_STAT_TID_RANGE]);
	return 0;
}

static int run(struct sysray_config *cfg, struct output *out)
{
	struct tracer_opts topts = {
		.filter_tgid = cfg->mode != TARGET_SYSTEM,
		.follow_forks = cfg->follow_forks,
		.ring_bytes = cfg->ring_bytes,
		.shared_ring = cfg->shared_ring,
		.verbose = cfg->verbose,
		.filter = &cfg->filter,
	};
	struct aggregate_opts aopts = {
		.count_tgids = cfg->mode == TARGET_SYSTEM,
		.group_by = cfg->group_by,
		.interval = cfg->interval_ns != 0,
		.comm_fn = tracer__comm,
		.window = cfg->anomaly,
	};
	struct run r = { .cfg = cfg, .out = out };
	__u64 start;
	int err, code = 1;

	r.prof.mode = cfg->mode;
	r.prof.argv = cfg->argv;
	r.prof.pids = cfg->pids;
	r.prof.nr_pids = cfg->nr_pids;
	r.prof.exit_status = -1;

	if (cfg->mode == TARGET_PID) {
		err = targets_resolve(cfg->pids, cfg->nr_pids, &r.tgids, &r.nr_tgids);
		if (err)
			return 1;
	}
	/* Before the command is forked: it resets them to the defaults before its exec. */
	err = install_signals();
	if (err) {
		p_err("cannot install signal handlers: %s", strerror(-err));
		goto cleanup;
	}
	if (cfg->mode == TARGET_COMMAND) {
		err = launcher__spawn(cfg->argv, &r.launcher);
		if (err) {
			p_err("cannot execute '%s': %s", cfg->argv[0], strerror(-err));
			code = 127;
			goto cleanup;
		}
	}
	err = tracer__new(&topts, aggregate__rec, &r.agg, &r.tracer);
	if (err)
		goto cleanup;
	aopts.pid_max = tracer__pid_max(r.tracer);
	aopts.comm_ctx = r.tracer;
	err = aggregate__init(&r.agg, &r.prof, &aopts);
	if (!err && cfg->interval_ns)
		err = interval__new(cfg, r.tracer, r.agg.ival, output__file(out), &r.iv);
	if (err) {
		p_err("out of memory");
		goto cleanup;
	}
	if (cfg->anomaly) {
		err = watch__new(cfg, r.tracer, r.agg.win, &r.watch);
		if (err)
			goto cleanup;
		aggregate__set_slow(&r.agg, watch__slow_thresholds(r.watch), watch__slow_call,
				    r.watch);
	}
	if (cfg->mode == TARGET_COMMAND)
		err = tracer__trace_tgid(r.tracer, launcher__pid(r.launcher));
	for (int i = 0; !err && cfg->mode == TARGET_PID && i < r.nr_tgids; i++)
		err = tracer__trace_tgid(r.tracer, r.tgids[i]);
	if (err) {
		p_err("cannot add the target to the traced set: %s", strerror(-err));
		goto cleanup;
	}
	/* The command's exit ends the wait at once, even if SIGCHLD came before it began. */
	if (cfg->mode == TARGET_COMMAND && launcher__pidfd(r.launcher) >= 0) {
		err = tracer__watch_fd(r.tracer, launcher__pidfd(r.launcher));
		if (err) {
			p_err("cannot watch the command: %s", strerror(-err));
			goto cleanup;
		}
	}
	err = tracer__attach(r.tracer);
	if (err)
		goto cleanup;

	start = r.start = now_ns();
	if (cfg->mode == TARGET_COMMAND) {
		err = launcher__release(r.launcher);
		if (err == -EPIPE) {
			/* Killed while it waited (a Ctrl-C at start-up): its status is ours. */
			launcher__reap(r.launcher, true);
			code = launcher__exit_code(r.launcher);
			goto cleanup;
		}
		if (err) {
			p_err("cannot execute '%s': %s", cfg->argv[0], strerror(-err));
			r.exec_failed = true;
		}
	} else {
		fprintf(stderr, "sysray: tracing %s; Ctrl-C to stop\n",
			cfg->mode == TARGET_PID ? "the given processes" : "the whole system");
	}
	err = r.exec_failed ? 0 : trace_loop(&r, start);
	r.prof.duration_ns = now_ns() - start;
	if (!err)
		err = collect(&r);
	if (!err && !r.exec_failed)
		err = interval__finish(r.iv, r.prof.duration_ns, r.prof.dropped);
	if (err)
		goto cleanup;

	if (r.exec_failed) {
		code = 127;
		goto cleanup;
	}
	/* The command's status, if it has ended; -d may stop tracing while it still runs. */
	code = 0;
	if (cfg->mode == TARGET_COMMAND && launcher__reap(r.launcher, false) == 1)
		code = r.prof.exit_status = launcher__exit_code(r.launcher);
	r.prof.anomaly = watch__detector(r.watch);
	err = report_write(output__file(out), cfg, &r.prof);
	if (!err)
		err = output__commit(out);
	if (err)
		p_err("cannot write the report to %s: %s", cfg->output ? cfg->output : "stderr",
		      strerror(-err));
	if (r.prof.dropped && cfg->output)
		p_warn("%llu records dropped (ring buffer full); calls and errors are exact, "
		       "latencies cover the %llu delivered; try a larger --ring-size",
		       (unsigned long long)r.prof.dropped, (unsigned long long)r.prof.received);
	/* Report first, then wait: the command goes on untraced, and its status is ours. */
	if (cfg->mode == TARGET_COMMAND) {
		wait_command(&r);
		code = launcher__exit_code(r.launcher);
	}
	if (err)
		code = 1;
cleanup:
	tracer__free(r.tracer);
	aggregate__fini(&r.agg);
	interval__free(r.iv);
	watch__free(r.watch);
	launcher__free(r.launcher);
	free(r.tgids);
	return code;
}

int main(int argc, char **argv)
{
	struct sysray_config cfg;
	struct output *out = NULL;
	char msg[256] = "";
	int err, code;

	/* Before the tracing options: diff only reads files and needs neither root nor BPF. */
	if (argc > 1 && !strcmp(argv[1], "diff"))
		return diff_main(argc - 1, argv + 1);

	err = opts_parse(argc, argv, &cfg, msg, sizeof(msg));
	if (err) {
		p_err("%s", msg[0] ? msg : strerror(-err));
		opts_free(&cfg);
		return 1;
	}
	if (cfg.help) {
		opts_usage(stdout);
		return 0;
	}
	if (cfg.version) {
		printf("sysray %s\n", SYSRAY_VERSION);
		return 0;
	}
	code = 1;
	if (report_check_opts(&cfg, msg, sizeof(msg))) {
		p_err("%s", msg);
		goto cleanup;
	}
	if (cfg.bench_hooks && bench_hooks_check(cfg.bench_hooks)) {
		p_err("invalid --bench-hooks mode: '%s' (bare, array, hash or task)",
		      cfg.bench_hooks);
		goto cleanup;
	}
	if (privs_check() || btf_check())
		goto cleanup;
	if (cfg.bench_hooks) {
		code = bench_hooks_run(cfg.bench_hooks, cfg.argv);
		goto cleanup;
	}
	err = output__open(cfg.output, &out);
	if (err) {
		p_err("cannot open '%s' for writing: %s", cfg.output, strerror(-err));
		goto cleanup;
	}
	code = run(&cfg, out);
cleanup:
	output__free(out);
	opts_free(&cfg);
	return code;
}
