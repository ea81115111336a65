/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Bytes from traced processes (command names, paths) are untrusted: a process can name
 * itself "\e[2J\n..." to clear a terminal or forge report lines. Every text output prints
 * them through these, which escape as strace does: \n \t \r \v \f \\ and octal for the
 * rest of the non-printable bytes (\33), so the output is one line of printable ASCII and
 * valid UTF-8 sequences pass unchanged (but for the C1 controls U+0080..U+009F, escaped as
 * their two bytes).
 */
#ifndef SYSRAY_LIB_ESCAPE_H
#define SYSRAY_LIB_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* The longest escape of one byte ("\377"). */
#define ESCAPE_MAX_PER_BYTE 4

/*
 * Escape src[0..n) into dst[len] (always NUL-terminated when len > 0); returns the length
 * the whole escape needs, as snprintf does, so dst was big enough when it is < len.
 */
size_t escape_bytes(char *dst, size_t len, const char *src, size_t n);
/*
 * The same with every byte outside printable ASCII in octal, UTF-8 too: how strace prints
 * the strings of a call's arguments, so that event lines are its lines byte for byte.
 */
size_t escape_bytes_ascii(char *dst, size_t len, const char *src, size_t n);
/* The same for a NUL-terminated string. */
size_t escape_str(char *dst, size_t len, const char *src);
/* Write src escaped to f. */
void fputs_escaped(const char *src, FILE *f);

#endif /* SYSRAY_LIB_ESCAPE_H */
