// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The table symbolized: every distinct frame resolved once, code paths merged by source. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "stacks/stacks_priv.h"

/* The kernel frames above the scheduler are sysray's own hook: they are not shown. */
static int kernel_start(const struct vframe *f, int n)
{
	for (int i = 0; i < n; i++)
		if (f[i].func && !strcmp(f[i].func, "__schedule"))
			return i;
	return 0;
}

static int kernel_frames(struct stacks *s, __s32 id, struct vframe *out, int max)
{
	__u64 ips[SYSRAY_STACK_DEPTH];
	struct vframe f[SYSRAY_STACK_DEPTH];
	int n, k, first;

	if (id < 0 || !s->src)
		return 0;
	n = s->src->frames(s->src->ctx, id, true, ips, SYSRAY_STACK_DEPTH);
	if (n <= 0)
		return 0;
	if (!s->ksyms && !s->ksyms_err)
		s->ksyms_err =
		    ksyms__load(s->o.kallsyms ? s->o.kallsyms : "/proc/kallsyms", &s->ksyms);
	for (int i = 0; i < n; i++) {
		const char *mod, *name = s->ksyms ? ksyms__find(s->ksyms, ips[i], &mod) : NULL;

		f[i] = (struct vframe){ .func = symbolizer__intern(s->sym, name),
					.kernel = true,
					.addr = ips[i] };
	}
	first = kernel_start(f, n);
	for (k = 0; first + k < n && k < max; k++)
		out[k] = f[first + k];
	return k;
}

/* The user frames of a key, inlined calls expanded; how many went into out[max]. */
static int user_frames(struct stacks *s, const struct stack_key *key, struct vframe *out, int max)
{
	int n = 0;

	for (__u32 i = 0; i < key->nframes && n < max; i++) {
		const struct frame_ref *r = &key->frames[i];
		struct module *m = module_cache__at(s->mods, r->mod);
		const struct sym_frame *sf;
		int k;

		if (!m || symbolizer__resolve(s->sym, m, r->addr, &sf, &k)) {
			out[n++] = (struct vframe){ .mod = m, .addr = r->addr };
			continue;
		}
		for (int j = 0; j < k && n < max; j++)
			out[n++] = (struct vframe){ .func = sf[j].func,
						    .file = sf[j].file,
						    .line = sf[j].line,
						    .inlined = sf[j].inlined,
						    .mod = m,
						    .addr = r->addr };
	}
	return n;
}

#define VIEW_MAX_FRAMES 256

static int resolve_entry(struct stacks *s, const struct stack_entry *e, struct vstack *v)
{
	struct vframe f[VIEW_MAX_FRAMES];
	int n;

	n = kernel_frames(s, e->key.kstack, f, VIEW_MAX_FRAMES);
	n += user_frames(s, &e->key, f + n, VIEW_MAX_FRAMES - n);
	*v = (struct vstack){ .abi = e->key.abi,
			      .nr = e->key.nr,
			      .comm = symbolizer__intern(s->sym, e->key.comm),
			      .exe = module_cache__at(s->mods, e->key.exe),
			      .captured = e->captured,
			      .time_ns = e->time_ns,
			      .max_ns = e->max_ns,
			      .calls = e->calls,
			      .errors = e->errors,
			      .nframes = n };
	v->frames = malloc((n ? n : 1) * sizeof(*f));
	if (!v->frames)
		return -ENOMEM;
	memcpy(v->frames, f, n * sizeof(*f));
	return 0;
}

/* Frames are the same code when they show the same: unknown ones by address. */
static bool same_frame(const struct vframe *a, const struct vframe *b)
{
	return a->func == b->func && a->file == b->file && a->line == b->line &&
	       a->inlined == b->inlined && a->kernel == b->kernel && a->mod == b->mod &&
	       (a->func || a->addr == b->addr);
}

static bool same_path(const struct vstack *a, const struct vstack *b)
{
	if (a->abi != b->abi || a->nr != b->nr || a->nframes != b->nframes)
		return false;
	for (int i = 0; i < a->nframes; i++)
		if (!same_frame(&a->frames[i], &b->frames[i]))
			return false;
	return true;
}

static int by_syscall_time(const void *pa, const void *pb)
{
	const struct vstack *a = pa, *b = pb;

	if (a->abi != b->abi)
		return a->abi - b->abi;
	if (a->nr != b->nr)
		return a->nr - b->nr;
	if (a->time_ns != b->time_ns)
		return a->time_ns < b->time_ns ? 1 : -1;
	return a->captured < b->captured ? 1 : a->captured > b->captured ? -1 : 0;
}

static __u64 mix(__u64 h, __u64 v)
{
	return (h ^ v) * 0x100000001b3ULL;
}

static __u64 path_hash(const struct vstack *v)
{
	__u64 h = mix(mix(0xcbf29ce484222325ULL, v->abi), v->nr);

	for (int i = 0; i < v->nframes; i++) {
		const struct vframe *f = &v->frames[i];

		h = mix(h, (__u64)(uintptr_t)f->func ^ ((__u64)(uintptr_t)f->file << 1));
		h = mix(h, f->line ^ ((__u64)f->inlined << 32) ^ ((__u64)f->kernel << 33));
		h = mix(h, (__u64)(uintptr_t)f->mod ^ (f->func ? 0 : f->addr));
	}
	return h;
}

static void add_into(struct vstack *m, const struct vstack *b)
{
	m->captured += b->captured;
	m->time_ns += b->time_ns;
	m->calls += b->calls;
	m->errors += b->errors;
	if (b->max_ns > m->max_ns)
		m->max_ns = b->max_ns;
}

/* Merge the per-command stacks by (syscall, frames), through a hash of the paths. */
static int merge(struct stack_view *v)
{
	size_t nslots = 16, *slots;

	while (nslots < 2 * v->n_by_comm)
		nslots *= 2;
	slots = malloc(nslots * sizeof(*slots));
	v->merged = calloc(v->n_by_comm ? v->n_by_comm : 1, sizeof(*v->merged));
	if (!slots || !v->merged) {
		free(slots);
		return -ENOMEM;
	}
	memset(slots, 0xff, nslots * sizeof(*slots));
	for (size_t i = 0; i < v->n_by_comm; i++) {
		const struct vstack *b = &v->by_comm[i];
		size_t j = path_hash(b) & (nslots - 1);

		for (; slots[j] != (size_t)-1; j = (j + 1) & (nslots - 1))
			if (same_path(&v->merged[slots[j]], b))
				break;
		if (slots[j] != (size_t)-1) {
			add_into(&v->merged[slots[j]], b);
			continue;
		}
		slots[j] = v->n_merged;
		v->merged[v->n_merged] = *b;
		v->merged[v->n_merged++].comm = NULL;
	}
	free(slots);
	qsort(v->merged, v->n_merged, sizeof(*v->merged), by_syscall_time);
	return 0;
}

void stacks_view_free(struct stack_view *v)
{
	for (size_t i = 0; i < v->n_by_comm; i++)
		free(v->by_comm[i].frames);
	free(v->by_comm);
	/* The merged stacks share the frames of by_comm. */
	free(v->merged);
	memset(v, 0, sizeof(*v));
}

int stacks_view_build(struct stacks *s)
{
	struct stack_view *v = &s->view;
	size_t n = stack_table__count(s->table);
	int err = 0;

	stacks_view_free(v);
	if (!s->sym && (err = symbolizer__new(&s->dirs, &s->sym)))
		return err;
	v->by_comm = calloc(n ? n : 1, sizeof(*v->by_comm));
	if (!v->by_comm)
		return -ENOMEM;
	for (size_t i = 0; !err && i < n; i++) {
		err = resolve_entry(s, stack_table__at(s->table, i), &v->by_comm[i]);
		if (!err) {
			v->captured += v->by_comm[i].captured;
			v->n_by_comm++;
		}
	}
	qsort(v->by_comm, v->n_by_comm, sizeof(*v->by_comm), by_syscall_time);
	if (!err)
		err = merge(v);
	symbolizer__counts(s->sym, &v->no_dwarf, &v->no_symbols);
	v->kernel_syms = s->ksyms != NULL;
	return err;
}

size_t stacks_view_syscall(const struct stack_view *v, int abi, int nr, const struct vstack **first)
{
	size_t lo = 0, hi = v->n_merged, n = 0;

	/* The first stack of (abi, nr) in the sorted list. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct vstack *m = &v->merged[mid];

		if (m->abi < abi || (m->abi == abi && m->nr < nr))
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < v->n_merged && v->merged[lo + n].abi == abi && v->merged[lo + n].nr == nr)
		n++;
	*first = n ? &v->merged[lo] : NULL;
	return n;
}
