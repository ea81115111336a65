/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A sysray serving metrics, curl as its client, and a real Prometheus scraping it. */
#ifndef SYSRAY_TEST_METRICS_CLIENT_H
#define SYSRAY_TEST_METRICS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include "harness.h"

struct served {
	struct bg_proc p;
	int port;
	bool tls;
};

/* sysray -a or -p ARGS in the background, until it serves and traces (asserted). */
void serve(char *const args[], struct served *s);
/* The same with a whole command line (sysray under setpriv, say). */
void serve_argv(char *const argv[], struct served *s);
/* SIGINT, then its exit status and output in r. */
void stop(struct served *s, struct proc_result *r);
/* The same with another signal (SIGTERM, as systemd stops it). */
void stop_with(struct served *s, int sig, struct proc_result *r);

/* curl URL with extra arguments: the body (malloc'ed), HTTP code (0 if none), type. */
char *http_req(const char *url, char *const extra[], long *code, char *ctype, size_t clen);
/* GET /path of a served sysray; accept is the Accept header or NULL; "POST" posts. */
char *http_get(int port, const char *path, const char *accept, long *code, char *ctype,
	       size_t clen);
/* The value of the sample line that starts with name{labels} exactly; -1 if none. */
double sample(const char *text, const char *name_labels);
/* Scrape until the sample is at least want (or timeout_s passes); its last value. */
double wait_metric(int port, const char *name_labels, double want, int timeout_s);
bool write_file(const char *path, const char *text);

struct prom {
	struct bg_proc p;
	int port;
	char *dir;
};

/* Prometheus scraping 127.0.0.1:target every second, ready to answer queries (asserted). */
void prom_start(int target, struct prom *pr);
/* The first value of an instant query; -1 when it has no result. */
double prom_query(struct prom *pr, const char *q);
/* Query until the value is want (any value when want < 0) or timeout_s passes: the last. */
double prom_wait(struct prom *pr, const char *q, double want, int timeout_s);
void prom_stop(struct prom *pr);

/* A free TCP port on 127.0.0.1 (bound, then released). */
int free_port(void);

#endif
