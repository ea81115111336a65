/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Separate debug information, found by build-id only: DIR/.build-id/NN/REST.debug under
 * the --debug-dir directories, then /usr/lib/debug (Debian's -dbgsym packages). Never a
 * network lookup (debuginfod), never a path taken from a traced process, and a file is
 * used only if its build-id is the module's.
 */
#ifndef SYSRAY_STACKS_DEBUGINFO_H
#define SYSRAY_STACKS_DEBUGINFO_H

#include <elfutils/libdwfl.h>

struct debug_dirs {
	const char *const *dirs; /* searched in order, then /usr/lib/debug */
	int n;
};

/* The libdwfl callbacks of every session of this folder: modules come from descriptors. */
const Dwfl_Callbacks *debuginfo_callbacks(void);
/* Set on each reported module, so the lookup knows the directories. */
void debuginfo_attach(Dwfl_Module *mod, const struct debug_dirs *dirs);

#endif /* SYSRAY_STACKS_DEBUGINFO_H */
