/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --listen ADDR:PORT: parsed and bound before tracing starts, so a taken port fails early. */
#ifndef SYSRAY_METRICS_LISTEN_H
#define SYSRAY_METRICS_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * "127.0.0.1:9464", "[::1]:9464", "localhost:9464" or ":9464" (every address, IPv6 and
 * IPv4); port 0 picks a free one. The listening socket (non-blocking, close-on-exec), or a
 * negative errno with a one-line message in err.
 */
int listen_open(const char *spec, char *err, size_t len);
/* Whether the socket is bound to a loopback address only. */
bool listen_is_loopback(int fd);
/* "127.0.0.1:9464" / "[::]:9464" of the bound socket, for the start-up message. */
void listen_describe(int fd, char *buf, size_t len);

#endif /* SYSRAY_METRICS_LISTEN_H */
