/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --stacks: the code paths of slow and failing calls. The sink reads the maps of each
 * process image on its first stack event, unwinds the queued events on ticks, aggregates
 * them by code path, and at the end symbolizes every distinct frame once and adds its
 * sections to the report (text, JSON syscalls[].stacks[], --by-function, --format folded).
 */
#ifndef SYSRAY_STACKS_SINK_H
#define SYSRAY_STACKS_SINK_H

#include <stdbool.h>
#include "sysray_stacks.h"
#include "report/report.h"
#include "sink/sink.h"

struct stacks_sink_opts {
	struct sysray_stack_cfg cfg;   /* what the kernel captures (include/sysray_stacks.h) */
	const char *const *debug_dirs; /* --debug-dir, searched before /usr/lib/debug */
	int nr_debug_dirs;
	unsigned int top_syscalls;   /* text: syscalls with stacks shown (-T), 0: 10 */
	unsigned int top_stacks;     /* text: stacks per syscall (--stack-top), 0: 5 */
	bool by_function;	     /* --by-function */
	unsigned int function_depth; /* --function-depth, 0: 1 */
	bool folded_calls;	     /* --folded-value calls (else time) */
	const char *kallsyms;	     /* NULL: /proc/kallsyms */
};

/*
 * The sink, and in *extra the report sections it fills (valid while the sink lives): the
 * sink must be added before the report sink, so that it stops (and symbolizes) first.
 */
int stacks_sink__new(const struct stacks_sink_opts *o, struct sink *out,
		     const struct report_extra **extra);

#endif /* SYSRAY_STACKS_SINK_H */
