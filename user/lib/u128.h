/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Sums that must never wrap: total time over a long run of many threads (10,000 threads
 * blocked in epoll_wait pass 2^64 ns in about 21 days) is kept in 128 bits, and printed
 * exactly.
 */
#ifndef SYSRAY_LIB_U128_H
#define SYSRAY_LIB_U128_H

#include <stddef.h>

/* Enough for 2^128 - 1 in decimal (39 digits) and the NUL. */
#define U128_BUF 40

/* v in decimal, NUL-terminated in buf (len >= U128_BUF); returns buf. */
char *u128_format(unsigned __int128 v, char *buf, size_t len);

#endif /* SYSRAY_LIB_U128_H */
