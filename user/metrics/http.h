/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The metrics endpoint's HTTP server (libmicrohttpd, one internal thread that serves every
 * connection without blocking). It never touches the profile: the consumer thread
 * publishes finished documents (reference-counted, immutable) and the health of the run;
 * a request takes a reference under a mutex held for a few instructions, and the bytes go
 * out from the document while the consumer goes on. A slow client holds only its own
 * reference to an old document.
 *
 *   GET /metrics   the latest document: OpenMetrics when Accept prefers it, else 0.0.4
 *   GET /healthz   200 "ok", or 503 with the reason
 *   GET /          a small page with links
 */
#ifndef SYSRAY_METRICS_HTTP_H
#define SYSRAY_METRICS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct webconfig;

/* An immutable, reference-counted document. */
struct http_doc;

/* Takes over text (malloc'ed, len bytes). NULL when out of memory (text is freed). */
struct http_doc *http_doc__new(char *text, size_t len);
void http_doc__put(struct http_doc *d);

enum http_health {
	HTTP_STARTING = 0, /* before tracing began */
	HTTP_OK,
	HTTP_DROPPING, /* the rings overflowed lately: records lost */
	HTTP_STOPPED,  /* tracing has stopped */
};

struct http_status {
	enum http_health health;
	char reason[160]; /* for the 503s */
	__u64 tick_ns;	  /* CLOCK_MONOTONIC of the publish */
	__u64 stale_ns;	  /* a consumer silent this long is unhealthy */
};

struct http_opts {
	int listen_fd;	       /* bound and listening; the server owns it */
	struct webconfig *web; /* TLS and users, or NULL; not owned */
};

struct http_server;

/*
 * The server, not serving yet: requests wait in the socket's backlog until
 * http_server__serve().
 */
int http_server__new(const struct http_opts *o, struct http_server **out);
/*
 * Start the daemon's thread, which handles every request. Called once sysray has given up
 * its capabilities (trace/privs.h): they are per thread, and a thread keeps those of the
 * thread that created it, so the code that parses what the network sends runs without them.
 */
int http_server__serve(struct http_server *s);
/* Publish the latest documents (references taken over; either may be NULL to keep the
 * current one) and status. */
void http_server__publish(struct http_server *s, struct http_doc *prom, struct http_doc *om,
			  const struct http_status *st);
/* Requests so far, and /metrics requests answered in OpenMetrics (om) or text 0.0.4. */
__u64 http_server__requests(struct http_server *s);
__u64 http_server__scrapes(struct http_server *s, bool om);
void http_server__free(struct http_server *s);

/* Whether an Accept header asks for OpenMetrics over the 0.0.4 text format. */
bool http_accepts_openmetrics(const char *accept);

#endif /* SYSRAY_METRICS_HTTP_H */
