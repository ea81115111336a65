// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* JSON: syscalls[].stacks[] and the top-level "stack_capture" (docs/json-schema.md). */
#include <errno.h>
#include <math.h>
#include "lib/json.h"
#include "stacks/stacks_priv.h"

static void put_frame(struct json_writer *w, const struct vframe *fr)
{
	char id[2 * MODULE_BUILD_ID_MAX + 1];

	json_writer__begin_object(w);
	json_writer__kv_u64(w, "addr", fr->addr);
	json_writer__key(w, "module");
	if (fr->kernel)
		json_writer__string(w, "[kernel]");
	else if (fr->mod)
		json_writer__string(w, fr->mod->path);
	else
		json_writer__null(w);
	json_writer__key(w, "build_id");
	if (fr->mod && fr->mod->build_id_len)
		json_writer__string(w, module_build_id_hex(fr->mod, id));
	else
		json_writer__null(w);
	json_writer__key(w, "func");
	if (fr->func)
		json_writer__string(w, fr->func);
	else
		json_writer__null(w);
	json_writer__key(w, "file");
	if (fr->file)
		json_writer__string(w, fr->file);
	else
		json_writer__null(w);
	json_writer__key(w, "line");
	if (fr->line)
		json_writer__u64(w, fr->line);
	else
		json_writer__null(w);
	json_writer__key(w, "inlined");
	json_writer__bool(w, fr->inlined);
	json_writer__key(w, "kernel");
	json_writer__bool(w, fr->kernel);
	json_writer__end_object(w);
}

int stacks_json_syscall(void *ctx, struct json_writer *w, int abi, int nr)
{
	struct stacks *s = ctx;
	const struct vstack *v;
	size_t n = stacks_view_syscall(&s->view, abi, nr, &v);

	json_writer__key(w, "stacks");
	json_writer__begin_array(w);
	for (size_t i = 0; i < n; i++) {
		json_writer__begin_object(w);
		json_writer__kv_u64(w, "calls", llround(v[i].calls));
		json_writer__kv_u64(w, "errors", llround(v[i].errors));
		json_writer__kv_u64(w, "total_ns", v[i].time_ns);
		json_writer__kv_u64(w, "max_ns", v[i].max_ns);
		json_writer__kv_u64(w, "captured", v[i].captured);
		json_writer__key(w, "frames");
		json_writer__begin_array(w);
		for (int j = 0; j < v[i].nframes; j++)
			put_frame(w, &v[i].frames[j]);
		json_writer__end_array(w);
		json_writer__end_object(w);
	}
	json_writer__end_array(w);
	return 0;
}

static void put_lost(struct json_writer *w, const char *key, const __u64 *k, int base)
{
	json_writer__key(w, key);
	json_writer__begin_object(w);
	json_writer__kv_u64(w, "collided", k[base]);
	json_writer__kv_u64(w, "map_full", k[base + 1]);
	json_writer__kv_u64(w, "failed", k[base + 2]);
	json_writer__end_object(w);
}

int stacks_json(void *ctx, struct json_writer *w)
{
	struct stacks *s = ctx;
	const struct sysray_stack_cfg *c = &s->o.cfg;
	const __u64 *k = s->kstats;

	json_writer__key(w, "stack_capture");
	json_writer__begin_object(w);
	json_writer__kv_string(w, "mode", c->mode == SYSRAY_STACKS_DWARF ? "dwarf" : "fp");
	json_writer__key(w, "kernel_stacks");
	json_writer__bool(w, c->kernel);
	json_writer__kv_string(w, "policy", c->min_ns ? "min_duration" : "sampled");
	if (c->min_ns)
		json_writer__kv_u64(w, "min_duration_ns", c->min_ns);
	else
		json_writer__kv_u64(w, "period_ns", c->period_ns);
	json_writer__kv_u64(w, "max_per_sec", c->max_per_sec);
	json_writer__kv_u64(w, "qualified", k[SYSRAY_STACK_QUALIFIED]);
	json_writer__kv_u64(w, "captured", s->view.captured);
	json_writer__kv_u64(w, "code_paths", s->view.n_merged);
	json_writer__kv_u64(w, "throttled", k[SYSRAY_STACK_THROTTLED]);
	json_writer__kv_u64(w, "ring_full", k[SYSRAY_STACK_LOST_RING]);
	json_writer__kv_u64(w, "queue_full", s->counts.queue_full);
	json_writer__kv_u64(w, "table_full", s->counts.table_full);
	json_writer__kv_u64(w, "no_maps", s->counts.no_maps);
	json_writer__kv_u64(w, "copy_short", k[SYSRAY_STACK_COPY_SHORT]);
	put_lost(w, "user_stack_map", k, SYSRAY_STACK_USTACK_COLLIDED);
	put_lost(w, "kernel_stacks_lost", k, SYSRAY_STACK_KSTACK_COLLIDED);
	json_writer__end_object(w);
	if (s->o.by_function)
		return stacks_by_function_json(s, w);
	return 0;
}
