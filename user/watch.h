/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --anomaly: the daemon side of anomaly detection. Every window tick it turns the window's
 * records into one observation per syscall for the detector (user/anomaly.h), prints the
 * episodes as they fire and resolve, and keeps the slow-call thresholds the aggregator
 * checks each record against. Driven by the poll loop, like -i.
 */
#ifndef SYSRAY_WATCH_H
#define SYSRAY_WATCH_H

#include <stdio.h>
#include <linux/types.h>
#include "anomaly.h"
#include "opts.h"
#include "profile.h"
#include "sysray.h"

struct watch;
struct tracer;

/*
 * win: the profile the aggregator fills for the current window (reset every tick);
 * tracer names the tasks of slow calls. Opens --anomaly-log.
 */
int watch__new(const struct sysray_config *cfg, struct tracer *tracer, struct profile *win,
	       struct watch **out);
void watch__start(struct watch *w, __u64 start_ns);
/* How long the poll may wait: max_ms, or less to wake up for the next tick; w may be NULL. */
int watch__timeout_ms(const struct watch *w, __u64 now, int max_ms);
/* If the window is over: observe it, score it, reset it. 0 with w NULL. */
int watch__tick(struct watch *w, __u64 now);
/* Per-record slow-call thresholds in ns by SYSRAY_SLOT(abi, nr); 0: none yet. */
const __u64 *watch__slow_thresholds(const struct watch *w);
/* A record above its threshold: report it, rate-limited. Returns 0. */
int watch__slow_call(void *w, const struct sysray_rec *rec);
/* SIGHUP: reopen the --anomaly-log file (log rotation). */
int watch__reopen(struct watch *w);
const struct anomaly *watch__detector(const struct watch *w);
void watch__free(struct watch *w);

#endif /* SYSRAY_WATCH_H */
