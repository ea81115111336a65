// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/clock.h"
#include "lib/log.h"
#include "stacks/stacks_priv.h"
#include "stacks/unwind.h"

/* Queued events are unwound this often: off the consumer's path, with little waiting. */
#define TICK_NS (100ULL * 1000 * 1000)
/* Code paths kept (each a few hundred bytes); later ones are counted as not kept. */
#define TABLE_MAX 65536

static int start(void *ctx, const struct sink_start *st)
{
	struct stacks *s = ctx;

	s->src = st->stacks;
	s->next_tick = now_ns() + TICK_NS;
	return s->src ? 0 : -EINVAL;
}

static int stack_event(void *ctx, const struct sysray_stack_event *e, size_t size)
{
	return stacks_queue(ctx, e, size);
}

static __u64 next_tick(void *ctx)
{
	struct stacks *s = ctx;

	return s->next_tick;
}

static int tick(void *ctx, const struct sink_tick *t)
{
	struct stacks *s = ctx;

	s->next_tick = t->now + TICK_NS;
	return stacks_drain(s);
}

/* Everything delivered so far, unwound, symbolized, with the kernel's counters. */
static int prepare(struct stacks *s)
{
	int err = stacks_drain(s);

	if (!err && s->src)
		err = s->src->stats(s->src->ctx, s->kstats);
	if (!err)
		err = stacks_view_build(s);
	return err;
}

static int snapshot(void *ctx, const struct profile *so_far)
{
	(void)so_far;
	return prepare(ctx);
}

static int stop(void *ctx, const struct profile *total)
{
	struct stacks *s = ctx;
	int err;

	(void)total;
	err = prepare(s);
	if (err)
		p_err("cannot build the stack report: %s", strerror(-err));
	return err;
}

static void sink_free(void *ctx)
{
	struct stacks *s = ctx;

	if (!s)
		return;
	stacks_view_free(&s->view);
	stacks_capture_free(s);
	symbolizer__free(s->sym);
	ksyms__free(s->ksyms);
	stack_table__free(s->table);
	images__free(s->images);
	module_cache__free(s->mods);
	free(s);
}

static const struct sink_ops stacks_ops = {
	.name = "stacks",
	.start = start,
	.stack_event = stack_event,
	.next_tick = next_tick,
	.tick = tick,
	.snapshot = snapshot,
	.stop = stop,
	.free = sink_free,
};

int stacks_sink__new(const struct stacks_sink_opts *o, struct sink *out,
		     const struct report_extra **extra)
{
	struct stacks *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->o = *o;
	s->dirs = (struct debug_dirs){ .dirs = o->debug_dirs, .n = o->nr_debug_dirs };
	err = module_cache__new(&s->mods);
	if (!err)
		err = images__new(s->mods, unwind_image_free, &s->images);
	if (!err)
		err = stack_table__new(TABLE_MAX, &s->table);
	if (err) {
		sink_free(s);
		return err;
	}
	s->extra = (struct report_extra){
		.ctx = s,
		.text = stacks_text,
		.json_syscall = stacks_json_syscall,
		.json = stacks_json,
		.folded = stacks_folded,
		.summary = stacks_summary,
	};
	*extra = &s->extra;
	*out = (struct sink){ .ops = &stacks_ops, .ctx = s };
	return 0;
}
