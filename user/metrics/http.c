// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <microhttpd.h>
#include "lib/clock.h"
#include "metrics/exposition.h"
#include "metrics/http.h"
#include "metrics/webconfig.h"

#define MAX_CONNECTIONS	   64
#define CONNECTION_TIMEOUT 10 /* s: a client that sends or reads nothing this long is cut */
#define REALM		   "sysray"

struct http_doc {
	atomic_uint refs;
	size_t len;
	char *text;
};

struct http_server {
	struct MHD_Daemon *daemon;
	int listen_fd; /* bound and listening; the daemon's once it started */
	struct webconfig *web;
	pthread_mutex_t lock; /* guards the four below: held for a few instructions */
	struct http_doc *prom, *om;
	struct http_status status;
	atomic_ullong requests;
	atomic_ullong scrapes[2]; /* text, OpenMetrics */
};

static const char index_page[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>sysray</title></head>\n"
    "<body><h1>sysray</h1><p>Syscall counts, errors and latencies of this host.</p>\n"
    "<ul><li><a href=\"/metrics\">/metrics</a></li>"
    "<li><a href=\"/healthz\">/healthz</a></li></ul></body></html>\n";

struct http_doc *http_doc__new(char *text, size_t len)
{
	struct http_doc *d = malloc(sizeof(*d));

	if (!d) {
		free(text);
		return NULL;
	}
	atomic_init(&d->refs, 1);
	d->text = text;
	d->len = len;
	return d;
}

void http_doc__put(struct http_doc *d)
{
	if (d && atomic_fetch_sub(&d->refs, 1) == 1) {
		free(d->text);
		free(d);
	}
}

static void doc_release(void *cls)
{
	http_doc__put(cls);
}

/* q of one Accept element ("type/subtype;version=1.0.0;q=0.5"): 1 unless it says. */
static double quality(const char *params)
{
	const char *q = strstr(params, ";q=");

	if (!q)
		q = strstr(params, "; q=");
	return q ? strtod(strchr(q, '=') + 1, NULL) : 1.0;
}

bool http_accepts_openmetrics(const char *accept)
{
	double om = 0, text = 0;
	const char *p = accept;

	while (p && *p) {
		const char *end = strchr(p, ','), *type = p + strspn(p, " \t");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char elem[256];
		double q;

		snprintf(elem, sizeof(elem), "%.*s", (int)(n < 255 ? n : 255), type);
		q = quality(elem);
		if (!strncasecmp(elem, "application/openmetrics-text", 28) &&
		    (!strstr(elem, "version=") || strstr(elem, "version=1.0.0")))
			om = q > om ? q : om;
		else if (!strncasecmp(elem, "text/plain", 10) || !strncasecmp(elem, "*/*", 3) ||
			 !strncasecmp(elem, "text/*", 6))
			text = q > text ? q : text;
		p = end ? end + 1 : NULL;
	}
	return om > 0 && om >= text;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code, const char *type,
			     const char *body)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result serve_metrics(struct http_server *s, struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	bool om = accept && http_accepts_openmetrics(accept);
	struct MHD_Response *r;
	struct http_doc *d;
	enum MHD_Result ret;

	pthread_mutex_lock(&s->lock);
	d = om ? s->om : s->prom;
	if (d)
		atomic_fetch_add(&d->refs, 1);
	pthread_mutex_unlock(&s->lock);
	if (!d)
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
			     "sysray is starting: no metrics yet\n");
	atomic_fetch_add(&s->scrapes[om], 1);
	r = MHD_create_response_from_buffer_with_free_callback_cls(d->len, d->text, doc_release, d);
	if (!r) {
		http_doc__put(d);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				om ? EXPO_OM_CONTENT_TYPE : EXPO_PROM_CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result serve_health(struct http_server *s, struct MHD_Connection *c)
{
	struct http_status st;
	char body[200];
	__u64 now = now_ns();

	pthread_mutex_lock(&s->lock);
	st = s->status;
	pthread_mutex_unlock(&s->lock);
	if (st.health == HTTP_OK && st.stale_ns && now > st.tick_ns + st.stale_ns)
		snprintf(st.reason, sizeof(st.reason), "the ring consumer has not run for %.1f s",
			 (now - st.tick_ns) / 1e9);
	else if (st.health == HTTP_OK)
		return reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n");
	snprintf(body, sizeof(body), "%s\n",
		 st.reason[0]		      ? st.reason
		 : st.health == HTTP_STARTING ? "starting"
					      : "stopped");
	return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", body);
}

/* Basic authentication when users are configured: true when the request may go on. */
static bool authorized(struct http_server *s, struct MHD_Connection *c)
{
	char *pass = NULL, *user;
	bool ok;

	if (!webconfig__auth(s->web))
		return true;
	user = MHD_basic_auth_get_username_password(c, &pass);
	ok = user && pass && webconfig__check(s->web, user, pass);
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	if (user)
		MHD_free(user);
	return ok;
}

static enum MHD_Result deny(struct MHD_Connection *c)
{
	static const char body[] = "authentication required\n";
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	ret = MHD_queue_basic_auth_fail_response(c, REALM, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;

	(void)version, (void)upload_data, (void)upload_size, (void)con_cls;
	atomic_fetch_add(&s->requests, 1);
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
			     "only GET and HEAD\n");
	if (!authorized(s, c))
		return deny(c);
	if (!strcmp(url, "/metrics"))
		return serve_metrics(s, c);
	if (!strcmp(url, "/healthz"))
		return serve_health(s, c);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", index_page);
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
}

/* Start the daemon with every signal blocked, so its thread never takes one: sysray's
 * handlers must run on the session's thread, which they wake. */
static struct MHD_Daemon *start(struct http_server *s, int fd)
{
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD;
	struct MHD_Daemon *d;
	sigset_t all, old;

	if (webconfig__tls(s->web))
		flags |= MHD_USE_TLS;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (webconfig__tls(s->web))
		d = MHD_start_daemon(
		    flags, 0, NULL, NULL, handle, s, MHD_OPTION_LISTEN_SOCKET, fd,
		    MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
		    CONNECTION_TIMEOUT, MHD_OPTION_HTTPS_MEM_KEY, webconfig__key(s->web),
		    MHD_OPTION_HTTPS_MEM_CERT, webconfig__cert(s->web), MHD_OPTION_END);
	else
		d = MHD_start_daemon(flags, 0, NULL, NULL, handle, s, MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS,
				     MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT,
				     MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return d;
}

int http_server__new(const struct http_opts *o, struct http_server **out)
{
	struct http_server *s;

	if (webconfig__tls(o->web) && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		close(o->listen_fd);
		return -ENOTSUP;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(o->listen_fd);
		return -ENOMEM;
	}
	s->web = o->web;
	s->listen_fd = o->listen_fd;
	pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return 0;
}

int http_server__serve(struct http_server *s)
{
	if (!s->daemon)
		s->daemon = start(s, s->listen_fd);
	return s->daemon ? 0 : -EIO;
}

void http_server__publish(struct http_server *s, struct http_doc *prom, struct http_doc *om,
			  const struct http_status *st)
{
	struct http_doc *old_prom = NULL, *old_om = NULL;

	pthread_mutex_lock(&s->lock);
	if (prom) {
		old_prom = s->prom;
		s->prom = prom;
	}
	if (om) {
		old_om = s->om;
		s->om = om;
	}
	s->status = *st;
	pthread_mutex_unlock(&s->lock);
	/* Freed here unless a response still sends them. */
	http_doc__put(old_prom);
	http_doc__put(old_om);
}

__u64 http_server__requests(struct http_server *s)
{
	return atomic_load(&s->requests);
}

__u64 http_server__scrapes(struct http_server *s, bool om)
{
	return atomic_load(&s->scrapes[om]);
}

void http_server__free(struct http_server *s)
{
	if (!s)
		return;
	/* Stops the thread, closes the listening socket and ends every connection, which
	 * releases its document. */
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	else
		close(s->listen_fd);
	http_doc__put(s->prom);
	http_doc__put(s->om);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
