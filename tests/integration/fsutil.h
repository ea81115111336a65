/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Files, directories and file systems for the tests of what sysray writes (docs/security.md). */
#ifndef SYSRAY_TEST_FSUTIL_H
#define SYSRAY_TEST_FSUTIL_H

#include <sys/types.h>
#include "harness.h"

#define NOBODY 65534

/* A new directory under /tmp with that mode and owner. */
char *new_dir(mode_t mode, uid_t owner);
char *join(const char *dir, const char *name);
void put_file(const char *path, const char *text, mode_t mode, uid_t owner);
void remove_tree(const char *dir);
/* Temporary files (".sysray-") left in dir. */
int leftovers(const char *dir);
/* sysray ARGS, to completion. */
void run_sysray(char *const args[], struct proc_result *r);
/*
 * A tmpfs of 64 KiB at a new directory, full but for free_pages pages; with old, a file of
 * that name holding "old\n" first. unmount() removes it.
 */
char *full_fs(int free_pages, const char *old);
void unmount(char *dir);
/* A test's .fini: unmounts what an assertion left mounted. */
void fsutil_fini(void);
/*
 * A link to a workload named like an attack: the kernel names the task after the file it
 * runs, so sysray's reports see "\e[2J\a\nX". The caller frees it and its directory.
 */
char *evil_name(const char *wl, char **dir);
/* The victim: a root file, "secret\n", 0600, that no output may touch. */
void expect_untouched(const char *victim);
/*
 * sysray ARGS, where "@" stands for the output path, refuses a symlink nobody planted in a
 * sticky world-writable directory and a hard link to a root file; the victim is untouched.
 */
void expect_planted_links_refused(char *const args[]);

#endif
