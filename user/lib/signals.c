// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include "lib/log.h"
#include "lib/signals.h"

/* The handlers' only state: written by them, read and cleared by signals_take(). */
static volatile sig_atomic_t stop_sig, stop_count, stop_from_process;
static volatile sig_atomic_t hup_received, hup_from_process, usr1_received, child_changed;

static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD, SIGPIPE };
static struct sigaction original[ARRAY_SIZE(handled)];
static bool installed;

static void on_stop(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	stop_sig = sig;
	stop_count++;
	/* A tty's Ctrl-C reaches the command's process group by itself; kill(1) does not. */
	stop_from_process = si->si_code <= 0;
}

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
	usr1_received = 1;
}

static void on_child(int sig)
{
	(void)sig;
	child_changed = 1;
}

int signals_install(void)
{
	/*
	 * SA_RESTART keeps a signal from failing a report write; epoll_wait returns EINTR
	 * whatever the flag, so the poll loop still wakes at once.
	 */
	struct sigaction sa[ARRAY_SIZE(handled)] = {
		{ .sa_sigaction = on_stop, .sa_flags = SA_SIGINFO | SA_RESTART },
		{ .sa_sigaction = on_stop, .sa_flags = SA_SIGINFO | SA_RESTART },
		{ .sa_sigaction = on_hup, .sa_flags = SA_SIGINFO | SA_RESTART },
		{ .sa_handler = on_usr1, .sa_flags = SA_RESTART },
		{ .sa_handler = on_child, .sa_flags = SA_NOCLDSTOP | SA_RESTART },
		{ .sa_handler = SIG_IGN },
	};

	for (size_t i = 0; i < ARRAY_SIZE(handled); i++) {
		sigemptyset(&sa[i].sa_mask);
		if (sigaction(handled[i], &sa[i], installed ? NULL : &original[i]))
			return -errno;
	}
	installed = true;
	return 0;
}

void signals_take(struct signal_events *ev)
{
	sigset_t block, old;

	/* No handler may run between reading a flag and clearing it. */
	sigemptyset(&block);
	for (size_t i = 0; i < ARRAY_SIZE(handled); i++)
		sigaddset(&block, handled[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	ev->stop = stop_sig;
	ev->stops = stop_count;
	ev->stop_from_process = stop_from_process;
	ev->hup = hup_received;
	ev->hup_from_process = hup_from_process;
	ev->usr1 = usr1_received;
	ev->child = child_changed;
	stop_sig = stop_count = 0;
	hup_received = usr1_received = child_changed = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

bool signals_stop_pending(void)
{
	return stop_sig != 0;
}

void signals_restore(void)
{
	if (!installed)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(handled); i++)
		sigaction(handled[i], &original[i], NULL);
}
