/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --web-config FILE: TLS and basic authentication for the metrics endpoint, in the subset
 * of the Prometheus exporter toolkit's web configuration file that sysray supports:
 *
 *   tls_server_config:
 *     cert_file: server.crt       # PEM; relative paths are relative to FILE
 *     key_file: server.key
 *   basic_auth_users:
 *     alice: $2y$10$...           # bcrypt hashes (htpasswd -nBC 10 alice)
 *
 * Any other key is an error rather than ignored: a setting the user relies on (client
 * certificates, say) must not silently do nothing.
 */
#ifndef SYSRAY_METRICS_WEBCONFIG_H
#define SYSRAY_METRICS_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct webconfig;

/* 0, or a negative errno with a one-line message (file and line) in err. */
int webconfig_load(const char *path, struct webconfig **out, char *err, size_t len);
/* The same from text (path only names it in messages and anchors relative files). */
int webconfig_parse(const char *text, const char *path, struct webconfig **out, char *err,
		    size_t len);
void webconfig__free(struct webconfig *w);

bool webconfig__tls(const struct webconfig *w);
bool webconfig__auth(const struct webconfig *w);
/* The PEM texts of the certificate chain and the key (with TLS). */
const char *webconfig__cert(const struct webconfig *w);
const char *webconfig__key(const struct webconfig *w);
/*
 * Whether user and password match a configured user (bcrypt, compared in constant time).
 * Remembers the last password that matched per user, so a scraper does not pay bcrypt on
 * every scrape; one caller thread at a time.
 */
bool webconfig__check(struct webconfig *w, const char *user, const char *password);

#endif /* SYSRAY_METRICS_WEBCONFIG_H */
