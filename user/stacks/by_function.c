// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --by-function: time in syscalls by function of the program itself, renacer's function
 * profile: each code path counts for its innermost frame in the program's own binary (or
 * its N innermost with --function-depth N), inlined functions included.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lib/escape.h"
#include "lib/json.h"
#include "stacks/stacks_priv.h"

#define NO_FRAME "[no frame in the program]"

struct fn_row {
	const char *func; /* interned: the innermost function(s), " <- "-joined */
	__u64 time_ns, max_ns, captured;
	double calls, errors;
};

/* The key of a code path: its innermost frames in the program, interned. */
static const char *key_of(struct stacks *s, const struct vstack *v, unsigned int depth)
{
	char key[2048] = "";
	size_t len = 0;
	unsigned int k = 0;

	for (int i = 0; i < v->nframes && k < depth; i++) {
		const struct vframe *fr = &v->frames[i];
		char addr[32];
		const char *name = fr->func;

		if (fr->kernel || !v->exe || fr->mod != v->exe)
			continue;
		if (!name) {
			snprintf(addr, sizeof(addr), "0x%" PRIx64, (uint64_t)fr->addr);
			name = addr;
		}
		len += snprintf(key + len, len < sizeof(key) ? sizeof(key) - len : 0, "%s%s",
				k ? " <- " : "", name);
		k++;
	}
	return symbolizer__intern(s->sym, k ? key : NO_FRAME);
}

static int by_time(const void *pa, const void *pb)
{
	const struct fn_row *a = pa, *b = pb;

	if (a->time_ns != b->time_ns)
		return a->time_ns < b->time_ns ? 1 : -1;
	return strcmp(a->func, b->func);
}

/* Rows by time descending; how many, or -errno. Keys are interned: equal ones are equal. */
static int build_rows(struct stacks *s, struct fn_row **out)
{
	unsigned int depth = s->o.function_depth ? s->o.function_depth : 1;
	const struct stack_view *v = &s->view;
	struct fn_row *rows = calloc(v->n_merged ? v->n_merged : 1, sizeof(*rows));
	size_t n = 0;

	if (!rows)
		return -ENOMEM;
	for (size_t i = 0; i < v->n_merged; i++) {
		const struct vstack *m = &v->merged[i];
		const char *key = key_of(s, m, depth);
		size_t j;

		if (!key) {
			free(rows);
			return -ENOMEM;
		}
		/* Few distinct functions: a linear search is enough. */
		for (j = 0; j < n && rows[j].func != key; j++)
			;
		if (j == n)
			rows[n++].func = key;
		rows[j].time_ns += m->time_ns;
		rows[j].captured += m->captured;
		rows[j].calls += m->calls;
		rows[j].errors += m->errors;
		if (m->max_ns > rows[j].max_ns)
			rows[j].max_ns = m->max_ns;
	}
	qsort(rows, n, sizeof(*rows), by_time);
	*out = rows;
	return n;
}

int stacks_by_function_text(struct stacks *s, FILE *f)
{
	unsigned int depth = s->o.function_depth ? s->o.function_depth : 1;
	struct fn_row *rows;
	__u64 total = 0;
	int n = build_rows(s, &rows);

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		total += rows[i].time_ns;
	fprintf(f, "\nTime in syscalls by function of the program (innermost %u frame%s)\n", depth,
		depth > 1 ? "s" : "");
	fprintf(f, "%6s %11s %9s %9s %11s  %s\n", "% time", "seconds", "calls", "errors",
		"max usecs", "function");
	fprintf(f, "------ ----------- --------- --------- -----------  ----------------\n");
	for (int i = 0; i < n; i++) {
		fprintf(f, "%6.2f %11.6f %9lld %9lld %11.0f  ",
			total ? 100.0 * rows[i].time_ns / total : 0.0, rows[i].time_ns / 1e9,
			llround(rows[i].calls), llround(rows[i].errors), rows[i].max_ns / 1e3);
		fputs_escaped(rows[i].func, f);
		fputc('\n', f);
	}
	free(rows);
	return 0;
}

int stacks_by_function_json(struct stacks *s, struct json_writer *w)
{
	struct fn_row *rows;
	int n = build_rows(s, &rows);

	if (n < 0)
		return n;
	json_writer__key(w, "functions");
	json_writer__begin_array(w);
	for (int i = 0; i < n; i++) {
		json_writer__begin_object(w);
		json_writer__kv_string(w, "function", rows[i].func);
		json_writer__kv_u64(w, "calls", llround(rows[i].calls));
		json_writer__kv_u64(w, "errors", llround(rows[i].errors));
		json_writer__kv_u64(w, "total_ns", rows[i].time_ns);
		json_writer__kv_u64(w, "max_ns", rows[i].max_ns);
		json_writer__kv_u64(w, "captured", rows[i].captured);
		json_writer__end_object(w);
	}
	json_writer__end_array(w);
	free(rows);
	return 0;
}
