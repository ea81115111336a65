/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Interned strings: one copy of each function and file name, compared by pointer. */
#ifndef SYSRAY_STACKS_STRPOOL_H
#define SYSRAY_STACKS_STRPOOL_H

struct strpool;

int strpool__new(struct strpool **out);
/* The pool's copy of s; NULL without memory. */
const char *strpool__intern(struct strpool *p, const char *s);
void strpool__free(struct strpool *p);

#endif /* SYSRAY_STACKS_STRPOOL_H */
