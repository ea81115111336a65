/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sysray's signal handlers: they only record what arrived; the poll loop takes the record
 * and does the work. The dispositions sysray found at start are kept, so that a command it
 * runs inherits exactly those (an ignored SIGHUP under nohup stays ignored), as under strace.
 */
#ifndef SYSRAY_LIB_SIGNALS_H
#define SYSRAY_LIB_SIGNALS_H

#include <stdbool.h>

struct signal_events {
	int stop;		/* SIGINT or SIGTERM received (the last one), else 0 */
	int stops;		/* how many since the last take */
	bool stop_from_process; /* sent with kill(2) rather than by the terminal */
	bool hup;		/* SIGHUP */
	bool hup_from_process;
	bool usr1;  /* SIGUSR1: report the run so far */
	bool child; /* SIGCHLD */
};

/*
 * Install the handlers (SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD; SIGPIPE ignored, so a
 * reader that went away is a write error), remembering the dispositions they replace.
 */
int signals_install(void);
/* What arrived since the last call; clears it. Safe to call at any time. */
void signals_take(struct signal_events *ev);
/* Whether a stop signal is pending (without taking it). */
bool signals_stop_pending(void);
/* In a child about to exec: put back the dispositions sysray was started with. */
void signals_restore(void);

#endif /* SYSRAY_LIB_SIGNALS_H */
