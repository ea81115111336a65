/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where the reports go: stderr, stdout, or a file (lib/safe_open.h: written as a temporary
 * file beside it and renamed at the end, or in place for a FIFO or a device).
 *
 * Nothing is lost on a write error: the stream keeps the errno of the first failed write;
 * output__fail() cuts a file back to the whole reports written before (-i intervals) and
 * sends what follows to stderr instead.
 */
#ifndef SYSRAY_OUTPUT_H
#define SYSRAY_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct output;

/* path NULL: stderr; "-": stdout; else a file. A one-line reason in err on failure. */
int output__open(const char *path, struct output **out, char *err, size_t errlen);
/*
 * The same, but a file is written in place from the start (truncated, or created
 * 0666 & ~umask; an existing file keeps its owner and mode), so that it can be followed while
 * it grows: for event streams. Opened with the same checks (lib/safe_open.h).
 */
int output__open_stream(const char *path, struct output **out, char *err, size_t errlen);
/*
 * A stream's bytes so far are whole (events flushed up to a line's end): a later failure cuts
 * the file back to here, not to the last whole report.
 */
int output__mark(struct output *o);
/* The -errno of the target's first failed write, or 0. */
int output__write_error(const struct output *o);
/* The stream to write the next report to: the target, or stderr after output__fail(). */
FILE *output__file(struct output *o);
/* "stderr", "stdout" or the file's path, for messages. */
const char *output__name(const struct output *o);
/* A report was written whole: flush it. 0, or the -errno of the stream's first failed write. */
int output__end_report(struct output *o);
/*
 * The target failed with err: cut a file back to the reports that ended before, and go on
 * to stderr. false when the target was stderr itself (nowhere else to go).
 */
bool output__fail(struct output *o, int err);
bool output__failed(const struct output *o);
/* The -errno given to output__fail(), or 0. */
int output__error(const struct output *o);
/* Whole reports in the file when it failed (-i intervals kept), 0 otherwise. */
unsigned int output__kept(const struct output *o);
/*
 * The end: move a file into place (after a failure: only if it kept whole reports, else it
 * is removed). -errno if the rename failed; the file then stays under output__tmp_path().
 */
int output__commit(struct output *o);
/* The temporary file's path (for messages), or NULL. */
const char *output__tmp_path(struct output *o);
/* The directory of a file output (O_PATH) and the name in it, or -1 and NULL. */
int output__dirfd(const struct output *o);
const char *output__basename(const struct output *o);
/* Close; an uncommitted temporary file is removed, unless a failed rename kept it. */
void output__free(struct output *o);

#endif /* SYSRAY_OUTPUT_H */
