/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Addresses in modules into functions, source files and lines, with the inlined calls at
 * each address, from DWARF through elfutils' libdw (in the module, or in separate debug
 * information found by build-id, see debuginfo.h); without DWARF, the function from
 * .symtab or .dynsym. Each address is resolved once; a few modules are open at a time.
 */
#ifndef SYSRAY_STACKS_SYMBOLIZE_H
#define SYSRAY_STACKS_SYMBOLIZE_H

#include <stdbool.h>
#include <linux/types.h>
#include "stacks/debuginfo.h"
#include "stacks/modules.h"

/* One frame at an address: strings live as long as the symbolizer. */
struct sym_frame {
	const char *func; /* NULL when unknown */
	const char *file; /* the source file as DWARF names it, NULL when unknown */
	unsigned int line;
	bool inlined; /* an inlined call: the next frame is the function it was inlined into */
};

struct symbolizer;

int symbolizer__new(const struct debug_dirs *dirs, struct symbolizer **out);
/*
 * The frames at pc in m, innermost first (inlined callees, then the function that holds
 * them): *frames[*n], at least one. For a return address (or the pc after a syscall
 * instruction), the line is that of the call. 0, or -ENOMEM.
 */
int symbolizer__resolve(struct symbolizer *s, struct module *m, __u64 pc,
			const struct sym_frame **frames, int *n);
/* Modules whose lookups found no DWARF (functions only) or no symbols at all. */
void symbolizer__counts(const struct symbolizer *s, int *no_dwarf, int *no_symbols);
/* A string interned for the symbolizer's lifetime (the renderers share them); NULL: -ENOMEM. */
const char *symbolizer__intern(struct symbolizer *s, const char *str);
void symbolizer__free(struct symbolizer *s);

#endif /* SYSRAY_STACKS_SYMBOLIZE_H */
