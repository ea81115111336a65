/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* UTF-8 validation, shared by the JSON writer and reader and the text escaper. */
#ifndef SYSRAY_LIB_UTF8_H
#define SYSRAY_LIB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s[0..n) (1 for ASCII), or 0 when there is none:
 * stray continuation bytes, truncated or overlong sequences, surrogates, values above
 * U+10FFFF. n must be at least 1.
 */
size_t utf8_seq_len(const unsigned char *s, size_t n);

#endif /* SYSRAY_LIB_UTF8_H */
