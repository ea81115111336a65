// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The text section: per syscall, its code paths by time, one frame per line. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lib/escape.h"
#include "lib/syscalls.h"
#include "stacks/stacks_priv.h"

#define DEFAULT_TOP_SYSCALLS 10
#define DEFAULT_TOP_STACKS   5

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void stacks_frame_text(const struct vframe *fr, char *buf, size_t len)
{
	char func[512], where[512];
	const char *mod = fr->kernel ? "kernel" : fr->mod ? fr->mod->name : NULL;

	if (fr->func)
		escape_str(func, sizeof(func), fr->func);
	else
		snprintf(func, sizeof(func), mod ? "0x%" PRIx64 : "[unknown] 0x%" PRIx64,
			 (uint64_t)fr->addr);
	if (fr->file && fr->line) {
		escape_str(where, sizeof(where), base_name(fr->file));
		snprintf(buf, len, "%s (%s:%u)%s", func, where, fr->line,
			 fr->inlined ? " [inlined]" : "");
	} else if (mod) {
		escape_str(where, sizeof(where), mod);
		snprintf(buf, len, "%s [%s]%s", func, where, fr->inlined ? " [inlined]" : "");
	} else {
		snprintf(buf, len, "%s", func);
	}
}

/* A duration with its unit and up to three decimals, trailing zeros dropped: "100 us". */
static void print_ns(FILE *f, double ns)
{
	static const struct {
		double scale;
		const char *unit;
	} u[] = { { 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" }, { 1, "ns" } };
	char buf[32];
	size_t i = 0, n;

	while (i < 3 && ns < u[i].scale)
		i++;
	n = snprintf(buf, sizeof(buf), "%.3f", ns / u[i].scale);
	while (n > 1 && buf[n - 1] == '0')
		buf[--n] = 0;
	if (n && buf[n - 1] == '.')
		buf[--n] = 0;
	fprintf(f, "%s %s", buf, u[i].unit);
}

/* What a --stacks run keeps and why; each loss on its own line, like drops. */
int stacks_summary_text(const struct stacks *s, FILE *f)
{
	const struct sysray_stack_cfg *c = &s->o.cfg;
	const __u64 *k = s->kstats;
	__u64 lost_k = k[SYSRAY_STACK_THROTTLED] + k[SYSRAY_STACK_LOST_RING];
	__u64 lost_u = s->counts.queue_full + s->counts.table_full + s->counts.bad;

	fprintf(f, "Stacks (%s%s): %" PRIu64 " calls captured, %zu code paths\n",
		c->mode == SYSRAY_STACKS_DWARF ? "DWARF unwinding of a stack copy"
					       : "frame pointers, CFI for the innermost frames",
		c->kernel ? ", kernel stacks of the longest wait" : "", (uint64_t)s->view.captured,
		s->view.n_merged);
	if (c->min_ns) {
		fprintf(f, "  every call of ");
		print_ns(f, c->min_ns);
		fprintf(f, " or longer\n");
	} else {
		fprintf(f, "  sampled: every failed call and every call of ");
		print_ns(f, c->period_ns);
		fprintf(f, " or longer; a shorter call with probability duration / ");
		print_ns(f, c->period_ns);
		fprintf(f, ",\n  counted as 1/probability calls: calls and times are estimates\n");
	}
	if (lost_k || lost_u)
		fprintf(f,
			"  not captured: %" PRIu64 " over the rate limit (%u/s per CPU), %" PRIu64
			" stack ring full, %" PRIu64 " queue full, %" PRIu64 " table full\n",
			(uint64_t)k[SYSRAY_STACK_THROTTLED], c->max_per_sec,
			(uint64_t)k[SYSRAY_STACK_LOST_RING], (uint64_t)s->counts.queue_full,
			(uint64_t)s->counts.table_full);
	if (k[SYSRAY_STACK_USTACK_COLLIDED] + k[SYSRAY_STACK_USTACK_FULL])
		fprintf(f,
			"  %" PRIu64
			" user stacks did not fit the kernel's stack map (--stack-map-size)"
			" and came whole in their events\n",
			(uint64_t)(k[SYSRAY_STACK_USTACK_COLLIDED] + k[SYSRAY_STACK_USTACK_FULL]));
	if (k[SYSRAY_STACK_USTACK_FAILED])
		fprintf(f,
			"  %" PRIu64
			" user stacks could not be walked: only their innermost frames\n",
			(uint64_t)k[SYSRAY_STACK_USTACK_FAILED]);
	if (k[SYSRAY_STACK_KSTACK_COLLIDED] + k[SYSRAY_STACK_KSTACK_FULL] +
	    k[SYSRAY_STACK_KSTACK_FAILED])
		fprintf(f,
			"  kernel stacks lost: %" PRIu64 " (map bucket taken %" PRIu64
			", map full %" PRIu64 ", not walkable %" PRIu64
			"): those calls show no kernel frames\n",
			(uint64_t)(k[SYSRAY_STACK_KSTACK_COLLIDED] + k[SYSRAY_STACK_KSTACK_FULL] +
				   k[SYSRAY_STACK_KSTACK_FAILED]),
			(uint64_t)k[SYSRAY_STACK_KSTACK_COLLIDED],
			(uint64_t)k[SYSRAY_STACK_KSTACK_FULL],
			(uint64_t)k[SYSRAY_STACK_KSTACK_FAILED]);
	if (s->counts.no_maps)
		fprintf(f,
			"  %" PRIu64 " calls of processes gone before their maps were read: "
			"frames shown as [unknown]\n",
			(uint64_t)s->counts.no_maps);
	if (s->view.no_dwarf || s->view.no_symbols)
		fprintf(f, "  modules without debug info: %d (functions only), %d (no symbols)\n",
			s->view.no_dwarf, s->view.no_symbols);
	return lost_k || lost_u;
}

/* Syscalls by their stacks' time, for the top N. */
struct sc_time {
	int abi, nr;
	__u64 time_ns;
	size_t first, n;
};

static int by_time(const void *pa, const void *pb)
{
	const struct sc_time *a = pa, *b = pb;

	if (a->time_ns != b->time_ns)
		return a->time_ns < b->time_ns ? 1 : -1;
	return a->abi != b->abi ? a->abi - b->abi : a->nr - b->nr;
}

static void print_stack(FILE *f, const struct vstack *v, size_t rank)
{
	char buf[1200];

	fprintf(f, "  #%zu  calls %lld  errors %lld  total ", rank, llround(v->calls),
		llround(v->errors));
	print_ns(f, v->time_ns);
	fprintf(f, "  max ");
	print_ns(f, v->max_ns);
	fprintf(f, "  (%" PRIu64 " captured)\n", (uint64_t)v->captured);
	for (int i = 0; i < v->nframes; i++) {
		stacks_frame_text(&v->frames[i], buf, sizeof(buf));
		fprintf(f, "      %s\n", buf);
	}
}

static struct sc_time *syscalls_by_time(const struct stack_view *v, size_t *n)
{
	struct sc_time *t = calloc(v->n_merged ? v->n_merged : 1, sizeof(*t));

	*n = 0;
	for (size_t i = 0; t && i < v->n_merged; i++) {
		const struct vstack *m = &v->merged[i];

		if (!*n || t[*n - 1].abi != m->abi || t[*n - 1].nr != m->nr)
			t[(*n)++] = (struct sc_time){ m->abi, m->nr, 0, i, 0 };
		t[*n - 1].time_ns += m->time_ns;
		t[*n - 1].n++;
	}
	if (t)
		qsort(t, *n, sizeof(*t), by_time);
	return t;
}

int stacks_summary(void *ctx, FILE *f)
{
	stacks_summary_text(ctx, f);
	return fflush(f) || ferror(f) ? -EIO : 0;
}

int stacks_text(void *ctx, FILE *f)
{
	struct stacks *s = ctx;
	const struct stack_view *v = &s->view;
	unsigned int top = s->o.top_syscalls ? s->o.top_syscalls : DEFAULT_TOP_SYSCALLS;
	unsigned int per = s->o.top_stacks ? s->o.top_stacks : DEFAULT_TOP_STACKS;
	struct sc_time *t;
	size_t n;

	fputc('\n', f);
	stacks_summary_text(s, f);
	t = syscalls_by_time(v, &n);
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < n && i < top; i++) {
		char name[SYSCALL_NAME_BUF];
		__u64 captured = 0;

		for (size_t j = 0; j < t[i].n; j++)
			captured += v->merged[t[i].first + j].captured;
		fprintf(f, "\n%s%s%s: %" PRIu64 " calls captured, %zu code paths\n",
			syscall_name(t[i].abi, t[i].nr, name, sizeof(name)), t[i].abi ? "@" : "",
			t[i].abi ? abi_name(t[i].abi) : "", (uint64_t)captured, t[i].n);
		for (size_t j = 0; j < t[i].n && j < per; j++)
			print_stack(f, &v->merged[t[i].first + j], j + 1);
		if (t[i].n > per)
			fprintf(f, "  ... %zu more code paths (--stack-top)\n", t[i].n - per);
	}
	if (n > top)
		fprintf(f, "\n... %zu more syscalls with stacks (-T)\n", n - top);
	free(t);
	if (s->o.by_function)
		return stacks_by_function_text(s, f);
	return 0;
}
