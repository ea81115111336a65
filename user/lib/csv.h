/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* CSV as RFC 4180 writes it: fields quoted when they need it, records ended by CRLF. */
#ifndef SYSRAY_LIB_CSV_H
#define SYSRAY_LIB_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_EOL "\r\n"

/*
 * Field s (n bytes) into dst[len] (always terminated when len > 0), in double quotes with
 * each quote doubled when it holds a comma, a quote, CR, LF or blanks at either end;
 * returns the length the whole field needs, as snprintf does.
 */
size_t csv_field(char *dst, size_t len, const char *s, size_t n);
/* The same, written to f. */
void csv_fputs(FILE *f, const char *s);

#endif /* SYSRAY_LIB_CSV_H */
