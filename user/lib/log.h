/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Messages for the user on stderr, and the one macro every module wants. */
#ifndef SYSRAY_LIB_LOG_H
#define SYSRAY_LIB_LOG_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* One line: "sysray: error: ..." / "sysray: warning: ...". */
__attribute__((format(printf, 1, 2))) void p_err(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void p_warn(const char *fmt, ...);

#endif /* SYSRAY_LIB_LOG_H */
