// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "report_json.h"
#include "syscalls.h"

struct entry {
	const struct sc_stat *s;
	const char *name;
	int abi;
	int nr;
	char buf[SYSCALL_NAME_BUF];
};

/* Total order, so that the output does not depend on the sort algorithm. */
static int entry_cmp(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c;

	if (a->s->total_ns != b->s->total_ns)
		return a->s->total_ns < b->s->total_ns ? 1 : -1;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->abi != b->abi)
		return a->abi - b->abi;
	return a->nr - b->nr;
}

static void put_syscall(struct json_writer *w, const struct entry *e)
{
	const struct sc_stat *s = e->s;

	json_begin_object(w);
	json_kv_string(w, "name", e->name);
	json_kv_s64(w, "nr", e->nr);
	json_kv_string(w, "abi", abi_name(e->abi));
	json_kv_u64(w, "calls", s->calls);
	json_kv_u64(w, "errors", s->errors);
	json_kv_u64(w, "unfinished", s->unfinished);
	json_kv_u64(w, "total_ns", s->total_ns);
	json_kv_u64(w, "min_ns", s->timed ? s->min_ns : 0);
	json_kv_u64(w, "max_ns", s->timed ? s->max_ns : 0);
	json_end_object(w);
}

/* Everything with calls, in output order; NULL on allocation failure. */
static struct entry *collect(const struct sc_table *t, size_t *n)
{
	struct entry *e = calloc(SYSRAY_ABI_CNT * SYSRAY_MAX_NR, sizeof(*e));

	*n = 0;
	if (!e)
		return NULL;
	for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++) {
		for (int nr = 0; nr < SYSRAY_MAX_NR; nr++) {
			struct entry *x = &e[*n];

			if (!t->sc[abi][nr].calls)
				continue;
			x->s = &t->sc[abi][nr];
			x->abi = abi;
			x->nr = nr;
			x->name = syscall_name(abi, nr, x->buf, sizeof(x->buf));
			(*n)++;
		}
	}
	qsort(e, *n, sizeof(*e), entry_cmp);
	return e;
}

static const char *const modes[] = {
    [TARGET_COMMAND] = "command",
    [TARGET_PID] = "pid",
    [TARGET_SYSTEM] = "system",
};

static void put_target(struct json_writer *w, const struct profile *p)
{
	json_key(w, "target");
	json_begin_object(w);
	json_kv_string(w, "mode", modes[p->mode]);
	if (p->mode == TARGET_COMMAND) {
		json_key(w, "argv");
		json_begin_array(w);
		for (char **a = p->argv; a && *a; a++)
			json_string(w, *a);
		json_end_array(w);
		json_kv_s64(w, "exit_status", p->exit_status);
	} else if (p->mode == TARGET_PID) {
		json_key(w, "pids");
		json_begin_array(w);
		for (int i = 0; p->pids && i < p->nr_pids; i++)
			json_s64(w, p->pids[i]);
		json_end_array(w);
	}
	json_end_object(w);
}

int report_json(FILE *f, const struct profile *p, const char *version)
{
	struct json_writer w;
	struct entry *e;
	size_t n;

	/* Check and allocate first: a failure must not leave half a document behind. */
	if ((unsigned int)p->mode >= sizeof(modes) / sizeof(modes[0]))
		return -EINVAL;
	e = collect(&p->total, &n);
	if (!e)
		return -ENOMEM;

	json_init(&w, f, 2);
	json_begin_object(&w);
	json_kv_string(&w, "schema", REPORT_JSON_SCHEMA);
	json_key(&w, "tool");
	json_begin_object(&w);
	json_kv_string(&w, "name", "sysray");
	json_kv_string(&w, "version", version ? version : "");
	json_end_object(&w);
	put_target(&w, p);
	json_kv_u64(&w, "duration_ns", p->duration_ns);
	json_kv_u64(&w, "processes", p->procs);
	json_key(&w, "events");
	json_begin_object(&w);
	json_kv_u64(&w, "received", p->received);
	json_kv_u64(&w, "dropped", p->dropped);
	json_end_object(&w);
	json_key(&w, "syscalls");
	json_begin_array(&w);
	for (size_t i = 0; i < n; i++)
		put_syscall(&w, &e[i]);
	json_end_array(&w);
	json_end_object(&w);
	free(e);
	/* The writer's errors are sticky, so checking the end covers every call above. */
	return json_end(&w);
}
