// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdw.h>
#include "stacks/strpool.h"
#include "stacks/symbolize.h"

/* Modules open at once: each holds its ELF and DWARF data. */
#define OPEN_MODULES 8
/* Inlined calls listed at one address at most. */
#define MAX_INLINE 16

struct open_module {
	int idx; /* module index, -1: free */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	unsigned long used;
};

/* A resolved address: (module, pc) -> frames. */
struct resolved {
	int mod;
	__u64 pc;
	struct sym_frame *frames;
	int n;
};

struct symbolizer {
	const struct debug_dirs *dirs;
	struct strpool *strings;
	struct open_module open[OPEN_MODULES];
	unsigned long clock;
	struct resolved *slots; /* open addressing on (mod, pc) */
	size_t n, nslots;
	unsigned char *dwarf_state; /* per module: 0 unknown, 1 DWARF, 2 symbols only, 3 none */
	int nstate;
};

int symbolizer__new(const struct debug_dirs *dirs, struct symbolizer **out)
{
	struct symbolizer *s = calloc(1, sizeof(*s));

	if (!s || strpool__new(&s->strings))
		goto nomem;
	s->nslots = 1024;
	s->slots = calloc(s->nslots, sizeof(*s->slots));
	if (!s->slots)
		goto nomem;
	for (int i = 0; i < OPEN_MODULES; i++)
		s->open[i].idx = -1;
	s->dirs = dirs;
	*out = s;
	return 0;
nomem:
	symbolizer__free(s);
	return -ENOMEM;
}

const char *symbolizer__intern(struct symbolizer *s, const char *str)
{
	return str ? strpool__intern(s->strings, str) : NULL;
}

/* A libdwfl session with m alone, at its ELF addresses (no bias). */
static Dwfl_Module *open_module(struct symbolizer *s, struct module *m)
{
	struct open_module *o = &s->open[0];
	int fd;

	for (int i = 0; i < OPEN_MODULES; i++) {
		if (s->open[i].idx == m->idx) {
			s->open[i].used = ++s->clock;
			return s->open[i].mod;
		}
		if (s->open[i].used < o->used)
			o = &s->open[i];
	}
	if (o->dwfl)
		dwfl_end(o->dwfl);
	*o = (struct open_module){ .idx = m->idx, .used = ++s->clock };
	fd = module_open(m);
	o->dwfl = fd >= 0 ? dwfl_begin(debuginfo_callbacks()) : NULL;
	if (!o->dwfl) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	dwfl_report_begin(o->dwfl);
	o->mod = dwfl_report_elf(o->dwfl, m->name, m->path, fd, 0, true);
	if (!o->mod)
		close(fd);
	else
		debuginfo_attach(o->mod, s->dirs);
	dwfl_report_end(o->dwfl, NULL, NULL);
	return o->mod;
}

static const char *intern(struct symbolizer *s, const char *str)
{
	return str ? strpool__intern(s->strings, str) : NULL;
}

/* The source file of an inlined call's call site (its DW_AT_call_file). */
static const char *call_file(Dwarf_Die *cu, Dwarf_Die *inl)
{
	Dwarf_Attribute a;
	Dwarf_Files *files;
	Dwarf_Word idx;
	size_t nfiles;

	if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_file, &a), &idx) ||
	    dwarf_getsrcfiles(cu, &files, &nfiles) || idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

/*
 * The concrete scopes holding addr, innermost first: dwarf_getscopes follows an inlined
 * instance to its abstract definition, so its parents are taken from the DIE tree.
 */
static int concrete_scopes(Dwarf_Die *cu, Dwarf_Addr addr, Dwarf_Die **out)
{
	Dwarf_Die *scopes = NULL;
	int n = dwarf_getscopes(cu, addr, &scopes);

	if (n <= 0) {
		free(scopes);
		return 0;
	}
	n = dwarf_getscopes_die(&scopes[0], out);
	free(scopes);
	return n > 0 ? n : 0;
}

/* The DWARF frames at addr: inlined calls innermost first, then their function. */
static int dwarf_frames(struct symbolizer *s, Dwfl_Module *mod, Dwarf_Addr addr,
			struct sym_frame *f)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, &bias), *scopes = NULL;
	Dwfl_Line *line = dwfl_module_getsrc(mod, addr);
	const char *file = NULL;
	int n = 0, nscopes, lineno = 0;

	if (!cu)
		return 0;
	if (line)
		file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
	nscopes = concrete_scopes(cu, addr - bias, &scopes);
	for (int i = 0; i < nscopes && n < MAX_INLINE; i++) {
		Dwarf_Die *d = &scopes[i];
		int tag = dwarf_tag(d);
		Dwarf_Attribute a;
		Dwarf_Word v;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		f[n++] = (struct sym_frame){ .func = intern(s, dwarf_diename(d)),
					     .file = intern(s, file),
					     .line = lineno > 0 ? lineno : 0,
					     .inlined = tag == DW_TAG_inlined_subroutine };
		if (tag == DW_TAG_subprogram)
			break;
		/* The caller's position is the inlined call's call site. */
		file = call_file(cu, d);
		lineno = dwarf_formudata(dwarf_attr(d, DW_AT_call_line, &a), &v) ? 0 : (int)v;
	}
	free(scopes);
	/* A CU without the function's DIE (assembly): the line alone. */
	if (!n && file)
		f[n++] = (struct sym_frame){ .file = intern(s, file), .line = lineno };
	return n;
}

static int resolve_in(struct symbolizer *s, struct module *m, __u64 pc, struct sym_frame *f)
{
	Dwfl_Module *mod = open_module(s, m);
	Dwarf_Addr addr = pc - 1, bias;
	GElf_Off off;
	GElf_Sym sym;
	const char *name;
	int n;

	if (!mod)
		return 0;
	/* After a call (or a syscall instruction): the line is the call's. */
	n = dwfl_module_getdwarf(mod, &bias) ? dwarf_frames(s, mod, addr, f) : 0;
	if (n) {
		/* Functions without a DIE name (rare): the symbol table's name. */
		if (!f[n - 1].func) {
			name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL);
			f[n - 1].func = intern(s, name);
		}
		return n;
	}
	name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL);
	if (!name)
		return 0;
	f[0] = (struct sym_frame){ .func = intern(s, name) };
	return 1;
}

static void note_state(struct symbolizer *s, const struct module *m, const struct sym_frame *f,
		       int n)
{
	unsigned char st = !n ? 3 : f[0].file ? 1 : 2;

	if (m->idx >= s->nstate) {
		int cap = m->idx + 64;
		unsigned char *a = realloc(s->dwarf_state, cap);

		if (!a)
			return;
		memset(a + s->nstate, 0, cap - s->nstate);
		s->dwarf_state = a;
		s->nstate = cap;
	}
	if (!s->dwarf_state[m->idx] || st < s->dwarf_state[m->idx])
		s->dwarf_state[m->idx] = st;
}

static size_t slot_of(int mod, __u64 pc, size_t nslots)
{
	return ((pc ^ ((__u64)mod << 40)) * 0x9e3779b97f4a7c15ULL >> 20) & (nslots - 1);
}

static int grow(struct symbolizer *s)
{
	size_t n = s->nslots * 2;
	struct resolved *a = calloc(n, sizeof(*a));

	if (!a)
		return -ENOMEM;
	for (size_t i = 0; i < s->nslots; i++) {
		size_t j;

		if (!s->slots[i].frames)
			continue;
		for (j = slot_of(s->slots[i].mod, s->slots[i].pc, n); a[j].frames;
		     j = (j + 1) & (n - 1))
			;
		a[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = a;
	s->nslots = n;
	return 0;
}

int symbolizer__resolve(struct symbolizer *s, struct module *m, __u64 pc,
			const struct sym_frame **frames, int *n)
{
	struct sym_frame f[MAX_INLINE];
	struct resolved *r;
	size_t i;
	int k;

	if (s->n * 2 >= s->nslots && grow(s))
		return -ENOMEM;
	for (i = slot_of(m->idx, pc, s->nslots); s->slots[i].frames; i = (i + 1) & (s->nslots - 1))
		if (s->slots[i].mod == m->idx && s->slots[i].pc == pc)
			goto found;
	k = resolve_in(s, m, pc, f);
	note_state(s, m, f, k);
	if (!k)
		f[k++] = (struct sym_frame){ 0 };
	r = &s->slots[i];
	r->frames = malloc(k * sizeof(*f));
	if (!r->frames)
		return -ENOMEM;
	memcpy(r->frames, f, k * sizeof(*f));
	r->mod = m->idx;
	r->pc = pc;
	r->n = k;
	s->n++;
found:
	*frames = s->slots[i].frames;
	*n = s->slots[i].n;
	return 0;
}

void symbolizer__counts(const struct symbolizer *s, int *no_dwarf, int *no_symbols)
{
	*no_dwarf = *no_symbols = 0;
	for (int i = 0; i < s->nstate; i++) {
		*no_dwarf += s->dwarf_state[i] == 2;
		*no_symbols += s->dwarf_state[i] == 3;
	}
}

void symbolizer__free(struct symbolizer *s)
{
	if (!s)
		return;
	for (int i = 0; i < OPEN_MODULES; i++)
		if (s->open[i].dwfl)
			dwfl_end(s->open[i].dwfl);
	for (size_t i = 0; s->slots && i < s->nslots; i++)
		free(s->slots[i].frames);
	free(s->slots);
	free(s->dwarf_state);
	strpool__free(s->strings);
	free(s);
}
