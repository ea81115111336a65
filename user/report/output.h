/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where the report goes: stderr, stdout, or a file that appears whole or not at all. */
#ifndef SYSRAY_OUTPUT_H
#define SYSRAY_OUTPUT_H

#include <stdio.h>

struct output;

/* path NULL: stderr; "-": stdout; else a temporary file beside path, renamed on commit. */
int output__open(const char *path, struct output **out);
/*
 * The same, but a file is written in place from the start (truncated, or created 0644 less
 * the umask), so that it can be followed while it grows: for event streams.
 */
int output__open_stream(const char *path, struct output **out);
FILE *output__file(struct output *o);
/* Flush and move the file into place; reports write errors (a full disk) as -errno. */
int output__commit(struct output *o);
/* Remove an uncommitted file; frees o. */
void output__free(struct output *o);

#endif /* SYSRAY_OUTPUT_H */
