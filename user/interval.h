/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -i: every interval, report the records of that interval alone and start afresh.  Driven
 * by the poll loop (no timer signal): it asks how long it may wait and calls the tick.
 */
#ifndef SYSRAY_INTERVAL_H
#define SYSRAY_INTERVAL_H

#include <stdio.h>
#include <linux/types.h>
#include "opts.h"
#include "profile.h"
#include "tracer.h"

struct interval;

/* ival: the profile the aggregate fills for the current interval; reports go to f. */
int interval__new(const struct sysray_config *cfg, struct tracer *t, struct profile *ival, FILE *f,
		  struct interval **out);
/* Tracing started at start_ns (now_ns() clock); the first interval ends one period later. */
void interval__start(struct interval *iv, __u64 start_ns);
/* How long the poll may wait: max_ms, or less to wake up for the next tick; iv may be NULL. */
int interval__timeout_ms(const struct interval *iv, __u64 now, int max_ms);
/* If the interval is over: report it, then empty the interval profile.  0 with iv NULL. */
int interval__tick(struct interval *iv, __u64 now);
/*
 * After the last records were delivered: report what arrived since the last tick, if
 * anything.  end_ns is when tracing stopped (ns after start), dropped the run's total.
 */
int interval__finish(struct interval *iv, __u64 end_ns, __u64 dropped);
void interval__free(struct interval *iv);

#endif /* SYSRAY_INTERVAL_H */
