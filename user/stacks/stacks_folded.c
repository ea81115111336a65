// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --format folded: one line per command and code path, "comm;outer;...;inner;syscall VALUE"
 * with the kernel frames (--kernel-stacks) after the syscall, as flamegraph.pl, inferno and
 * speedscope read them. Inlined frames end in "_[i]", kernel ones in "_[k]" (flamegraph.pl's
 * colours). VALUE: the estimated time in ns, or calls (--folded-value calls).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "lib/escape.h"
#include "lib/syscalls.h"
#include "stacks/stacks_priv.h"

/* Escaped (printable, one line), with ';' (the separator) as ':'. */
static void put_name(FILE *f, const char *s)
{
	char buf[1024];

	escape_str(buf, sizeof(buf), s);
	for (char *p = buf; *p; p++)
		if (*p == ';')
			*p = ':';
	fputs(buf, f);
}

static void put_frame(FILE *f, const struct vframe *fr)
{
	char buf[64];

	fputc(';', f);
	if (fr->func) {
		put_name(f, fr->func);
	} else if (fr->mod) {
		fputc('[', f);
		put_name(f, fr->mod->name);
		fputc(']', f);
	} else {
		snprintf(buf, sizeof(buf), fr->kernel ? "0x%" PRIx64 : "[unknown]",
			 (uint64_t)fr->addr);
		fputs(buf, f);
	}
	if (fr->inlined)
		fputs("_[i]", f);
	if (fr->kernel)
		fputs("_[k]", f);
}

int stacks_folded(void *ctx, FILE *f)
{
	struct stacks *s = ctx;
	const struct stack_view *v = &s->view;

	for (size_t i = 0; i < v->n_by_comm; i++) {
		const struct vstack *st = &v->by_comm[i];
		char name[SYSCALL_NAME_BUF];
		int nk = 0;

		while (nk < st->nframes && st->frames[nk].kernel)
			nk++;
		put_name(f, st->comm && *st->comm ? st->comm : "?");
		for (int j = st->nframes - 1; j >= nk; j--)
			put_frame(f, &st->frames[j]);
		fprintf(f, ";%s", syscall_name(st->abi, st->nr, name, sizeof(name)));
		for (int j = nk - 1; j >= 0; j--)
			put_frame(f, &st->frames[j]);
		if (s->o.folded_calls)
			fprintf(f, " %lld\n", llround(st->calls));
		else
			fprintf(f, " %" PRIu64 "\n", (uint64_t)st->time_ns);
	}
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}
