/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One-line error messages returned through a caller's buffer, for parsers without I/O. */
#ifndef SYSRAY_LIB_ERRMSG_H
#define SYSRAY_LIB_ERRMSG_H

#include <stddef.h>

/* Room for any message of the parsers (longer ones are truncated). */
#define ERRMSG_LEN 256

/* Format fmt into err[len] (when err is not NULL) and return rc, a negative errno. */
__attribute__((format(printf, 4, 5))) int errmsg(char *err, size_t len, int rc, const char *fmt,
						 ...);

#endif /* SYSRAY_LIB_ERRMSG_H */
