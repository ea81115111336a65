// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The metrics endpoint's parts that need no kernel: series, formats, web config, addresses. */
#include <criterion/criterion.h>
#include <crypt.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "lib/errmsg.h"
#include "metrics/exposition.h"
#include "metrics/http.h"
#include "metrics/listen.h"
#include "metrics/series.h"
#include "metrics/webconfig.h"

#define SEC 1000000000ULL

static const __u64 bounds_125[] = { 1000, 2000, 5000, 10000, 100000, 1000000, 10 * SEC };

static unsigned int naive_bucket(const __u64 *ns, unsigned int n, __u64 v)
{
	unsigned int i = 0;

	while (i < n && v > ns[i])
		i++;
	return i;
}

Test(metrics, bucket_of_a_latency_is_exact_at_every_bound)
{
	/* The default-like bounds, and bounds closer than one histogram bucket. */
	static const __u64 tight[] = { 1000, 1001, 1002, 1003, 1004, 100000, 100001 };
	const __u64 *sets[] = { bounds_125, tight };
	struct metric_bounds b;

	for (int s = 0; s < 2; s++) {
		cr_assert_eq(metric_bounds__init(&b, sets[s], 7), 0);
		for (int i = 0; i < 7; i++) {
			for (__u64 v = sets[s][i] - 2; v <= sets[s][i] + 2; v++)
				cr_assert_eq(metric_bounds__bucket(&b, v),
					     naive_bucket(sets[s], 7, v), "set %d value %llu", s,
					     (unsigned long long)v);
		}
		srand(7);
		for (int i = 0; i < 100000; i++) {
			__u64 v = ((__u64)rand() << 20 ^ rand()) >> (rand() % 40);

			cr_assert_eq(metric_bounds__bucket(&b, v), naive_bucket(sets[s], 7, v));
		}
		cr_assert_eq(metric_bounds__bucket(&b, UINT64_MAX), 7, "+Inf");
	}
	cr_expect_eq(metric_bounds__init(&b, tight, 0), -EINVAL);
	cr_expect_eq(metric_bounds__init(&b, (const __u64[]){ 5, 5 }, 2), -EINVAL);
	cr_expect_eq(metric_bounds__init(&b, (const __u64[]){ 0, 5 }, 2), -EINVAL);
}

/* Labels "c<id>"; ids >= 1000 resolve to "other", id 7 to the same label as 6. */
static int label_of(void *ctx, __u32 id, const struct sysray_rec *r, char *buf, size_t len)
{
	int *calls = ctx;

	(void)r;
	(*calls)++;
	if (id >= 1000)
		snprintf(buf, len, "other");
	else
		snprintf(buf, len, "c%u", id == 7 ? 6 : id);
	return 0;
}

static __u32 id_of(const struct sysray_rec *r)
{
	return r->cgroup_lo;
}

static struct sysray_rec rec(__u32 id, int nr, __u64 dur, __s64 ret, __u64 end)
{
	return (struct sysray_rec){
		.start_ns = end - dur,
		.dur_ns = dur,
		.ret = ret,
		.tgid = 1,
		.tid = 1,
		.nr = nr,
		.cgroup_lo = id,
	};
}

static const struct series *find(struct series_set *ss, const char *label)
{
	const struct series **list;
	size_t n;

	cr_assert_eq(series_set__list(ss, &list, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i]->label, label))
			return list[i];
	return NULL;
}

static const struct series_sc *sc_of(const struct series *s, int nr)
{
	const struct series_sc *buf[SYSRAY_NR_SLOTS];

	series__syscalls(s, buf);
	for (__u32 i = 0; i < s->nr_sc; i++)
		if (buf[i]->key == SYSRAY_SLOT(0, nr) + 1)
			return buf[i];
	return NULL;
}

static struct series_set *new_set(struct metric_bounds *b, int *resolved, unsigned int max)
{
	struct series_set_opts o = {
		.key = SERIES_KEY_ID,
		.max_series = max,
		.expire_ns = 10 * SEC,
		.bounds = b,
		.label_fn = label_of,
		.label_ctx = resolved,
	};
	struct series_set *ss;

	cr_assert_eq(metric_bounds__init(b, bounds_125, 7), 0);
	cr_assert_eq(series_set__new(&o, &ss), 0);
	return ss;
}

Test(metrics, series_beyond_the_cap_fold_into_other_and_are_counted_once)
{
	struct metric_bounds b;
	int resolved = 0;
	struct series_set *ss = new_set(&b, &resolved, 3);
	struct sysray_rec r[40];

	/* ids 1..10, four calls each; then the same again: no new resolution or fold */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 40; i++)
			r[i] = rec(1 + i / 4, 39, 1500, 0, SEC + i);
		cr_assert_eq(series_set__add(ss, r, 40, id_of), 0);
	}
	cr_expect_eq(resolved, 10, "each id is resolved once");
	cr_expect_eq(series_set__nr(ss), 4, "three labels and other");
	cr_expect_eq(series_set__folded(ss), 7);
	cr_expect_eq(sc_of(find(ss, "c1"), 39)->calls, 8);
	cr_expect_eq(sc_of(find(ss, "other"), 39)->calls, 7 * 8, "every call is kept");
	cr_expect_eq(sc_of(find(ss, "c1"), 39)->buckets[1], 8, "1.5 us is in (1 us, 2 us]");

	/* a label that exists already (a restarted service) is no new series, no fold */
	series_set__free(ss);
	resolved = 0;
	ss = new_set(&b, &resolved, 1);
	r[0] = rec(6, 39, 1, 0, SEC);
	r[1] = rec(7, 39, 1, 0, SEC);
	r[2] = rec(1000, 39, 1, 0, SEC);
	cr_assert_eq(series_set__add(ss, r, 3, id_of), 0);
	cr_expect_eq(series_set__folded(ss), 0, "c6 twice, and a label that is 'other' itself");
	cr_expect_eq(sc_of(find(ss, "c6"), 39)->calls, 2);
	cr_expect_eq(series_set__nr(ss), 2);
	series_set__free(ss);
}

Test(metrics, counts_errors_and_sums_are_exact)
{
	struct metric_bounds b;
	int resolved = 0;
	struct series_set *ss = new_set(&b, &resolved, 10);
	struct sysray_rec r[6] = {
		rec(1, 2, 1000, -ENOENT, SEC), rec(1, 2, 1001, -ENOENT, SEC),
		rec(1, 2, 5000, -EACCES, SEC), rec(1, 2, 20 * SEC, 3, SEC * 30),
		rec(1, 2, 7, -4095, SEC),      rec(1, 2, 9, -4096, SEC), /* not an error */
	};
	const struct series_sc *e;

	cr_assert_eq(series_set__add(ss, r, 6, id_of), 0);
	e = sc_of(find(ss, "c1"), 2);
	cr_assert_not_null(e);
	cr_expect_eq(e->calls, 6);
	cr_expect_eq(e->errors, 4);
	cr_expect_eq(e->nr_err, 3);
	cr_expect(e->errs[0].err == ENOENT && e->errs[0].count == 2);
	cr_expect(e->errs[1].err == EACCES && e->errs[1].count == 1);
	cr_expect(e->errs[2].err == 4095 && e->errs[2].count == 1);
	cr_expect(e->sum_ns == (unsigned __int128)1000 + 1001 + 5000 + 20 * SEC + 7 + 9);
	cr_expect_eq(e->buckets[0], 3, "7 ns, 9 ns and exactly 1 us are <= 1 us");
	cr_expect_eq(e->buckets[1], 1);
	cr_expect_eq(e->buckets[2], 1);
	cr_expect_eq(e->buckets[7], 1, "20 s is above every bound: +Inf");
	series_set__free(ss);
}

Test(metrics, idle_series_and_ids_expire_and_come_back_as_new)
{
	struct metric_bounds b;
	int resolved = 0;
	struct series_set *ss = new_set(&b, &resolved, 2);
	struct sysray_rec r[3] = { rec(1, 0, 5, 0, SEC), rec(2, 0, 5, 0, 5 * SEC),
				   rec(3, 0, 5, 0, 8 * SEC) };

	cr_assert_eq(series_set__add(ss, r, 3, id_of), 0);
	cr_expect_eq(series_set__nr(ss), 3);
	cr_expect_eq(series_set__ids(ss), 3);
	cr_expect_eq(series_set__expire(ss, 11 * SEC), 1, "c1 was idle for 10 s");
	cr_expect_null(find(ss, "c1"));
	cr_expect_eq(series_set__ids(ss), 2);
	cr_expect_eq(series_set__expire(ss, 18 * SEC), 2, "c2 and other (id 3) went");
	cr_expect_eq(series_set__nr(ss), 0);
	cr_expect_eq(series_set__ids(ss), 0);
	cr_expect_eq(series_set__expired(ss), 3);

	/* id 1 again: resolved again, a new series from zero */
	r[0] = rec(1, 0, 5, 0, 20 * SEC);
	cr_assert_eq(series_set__add(ss, r, 1, id_of), 0);
	cr_expect_eq(resolved, 4);
	cr_expect_eq(sc_of(find(ss, "c1"), 0)->calls, 1);
	series_set__free(ss);
}

Test(metrics, a_forgotten_id_is_resolved_again)
{
	struct metric_bounds b;
	int resolved = 0;
	struct series_set *ss = new_set(&b, &resolved, 5);
	struct sysray_rec r = rec(4, 0, 5, 0, SEC);

	cr_assert_eq(series_set__add(ss, &r, 1, id_of), 0);
	cr_assert_eq(series_set__add(ss, &r, 1, id_of), 0);
	cr_expect_eq(resolved, 1);
	series_set__forget(ss, 4);
	cr_assert_eq(series_set__add(ss, &r, 1, id_of), 0);
	cr_expect_eq(resolved, 2);
	cr_expect_eq(sc_of(find(ss, "c4"), 0)->calls, 3);
	series_set__free(ss);
}

Test(metrics, label_values_are_escaped_for_the_exposition)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "system.slice/nginx.service", "system.slice/nginx.service" },
		{ "dev-disk-by\\x2duuid.swap", "dev-disk-by\\\\x2duuid.swap" },
		{ "a\"b", "a\\\"b" },
		{ "x\ny\033", "x\\\\012y\\\\033" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "bad\xff", "bad\\\\377" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		series_label_escape(buf, sizeof(buf), cases[i].in);
		cr_expect_str_eq(buf, cases[i].out);
	}
}

static char *render(enum expo_format fmt)
{
	struct expo e;
	size_t len;
	char *text;

	expo__init(&e, fmt);
	expo__family(&e, "x_calls_total", EXPO_COUNTER, NULL, "Calls.");
	expo__sample(&e, "", "a=\"1\"", NULL, 42);
	expo__created(&e, "a=\"1\"", 1748779200ULL * SEC + 123456789);
	expo__family(&e, "x_seconds", EXPO_HISTOGRAM, "seconds", "Time.");
	expo__sample(&e, "_bucket", "a=\"1\"", "le=\"1e-06\"", 1);
	expo__sample(&e, "_bucket", NULL, "le=\"+Inf\"", 2);
	expo__sample_f(&e, "_sum", "", NULL, 0.1);
	expo__family(&e, "x_gauge", EXPO_GAUGE, NULL, "G.");
	expo__sample_f(&e, "", NULL, NULL, 1.0 / 0.0);
	expo__end(&e);
	text = expo__take(&e, &len);
	cr_assert_not_null(text);
	cr_assert_eq(strlen(text), len);
	return text;
}

Test(metrics, both_text_formats)
{
	char *prom = render(EXPO_PROM), *om = render(EXPO_OM);

	cr_expect_str_eq(prom, "# HELP x_calls_total Calls.\n"
			       "# TYPE x_calls_total counter\n"
			       "x_calls_total{a=\"1\"} 42\n"
			       "# HELP x_seconds Time.\n"
			       "# TYPE x_seconds histogram\n"
			       "x_seconds_bucket{a=\"1\",le=\"1e-06\"} 1\n"
			       "x_seconds_bucket{le=\"+Inf\"} 2\n"
			       "x_seconds_sum 0.1\n"
			       "# HELP x_gauge G.\n"
			       "# TYPE x_gauge gauge\n"
			       "x_gauge +Inf\n");
	cr_expect_str_eq(om, "# HELP x_calls Calls.\n"
			     "# TYPE x_calls counter\n"
			     "x_calls_total{a=\"1\"} 42\n"
			     "x_calls_created{a=\"1\"} 1748779200.123456\n"
			     "# HELP x_seconds Time.\n"
			     "# TYPE x_seconds histogram\n"
			     "# UNIT x_seconds seconds\n"
			     "x_seconds_bucket{a=\"1\",le=\"1e-06\"} 1\n"
			     "x_seconds_bucket{le=\"+Inf\"} 2\n"
			     "x_seconds_sum 0.1\n"
			     "# HELP x_gauge G.\n"
			     "# TYPE x_gauge gauge\n"
			     "x_gauge +Inf\n"
			     "# EOF\n");
	free(prom);
	free(om);
}

Test(metrics, openmetrics_only_when_the_scraper_prefers_it)
{
	/* What Prometheus 2.x sends */
	cr_expect(http_accepts_openmetrics(
	    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
	    "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
	cr_expect(http_accepts_openmetrics("application/openmetrics-text"));
	cr_expect(!http_accepts_openmetrics("text/plain"));
	cr_expect(!http_accepts_openmetrics("*/*"));
	cr_expect(!http_accepts_openmetrics("application/openmetrics-text;q=0.5, text/plain"));
	cr_expect(!http_accepts_openmetrics("application/openmetrics-text; version=0.0.1"));
	cr_expect(http_accepts_openmetrics("text/plain;q=0.2, application/openmetrics-text"));
}

static char *bcrypt_of(const char *password)
{
	struct crypt_data d;
	char salt[64];

	memset(&d, 0, sizeof(d));
	/* cost 4, the lowest: the tests check the logic, not the strength */
	cr_assert_not_null(crypt_gensalt_rn("$2b$", 4, NULL, 0, salt, sizeof(salt)));
	cr_assert_not_null(crypt_r(password, salt, &d));
	return strdup(d.output);
}

Test(metrics, web_config_users_and_passwords)
{
	char *hash = bcrypt_of("s3cret"), *text, err[ERRMSG_LEN];
	struct webconfig *w;

	cr_assert(asprintf(&text,
			   "# sysray\n"
			   "basic_auth_users:\n"
			   "  alice: %s\n"
			   "  'bob': \"%s\"   # quoted\n",
			   hash, hash) > 0);
	cr_assert_eq(webconfig_parse(text, "w.yml", &w, err, sizeof(err)), 0, "%s", err);
	cr_expect(webconfig__auth(w));
	cr_expect(!webconfig__tls(w));
	cr_expect(webconfig__check(w, "alice", "s3cret"));
	cr_expect(webconfig__check(w, "alice", "s3cret"), "remembered");
	cr_expect(!webconfig__check(w, "alice", "s3cre"));
	cr_expect(!webconfig__check(w, "alice", "s3cret!"));
	cr_expect(webconfig__check(w, "bob", "s3cret"));
	cr_expect(!webconfig__check(w, "carol", "s3cret"));
	cr_expect(!webconfig__check(w, "", ""));
	webconfig__free(w);
	free(text);
	free(hash);
}

Test(metrics, web_config_errors_name_the_line)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "http_server_config:\n  http2: true\n",
		  "line 1: unsupported key 'http_server_config'" },
		{ "tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n",
		  "line 2: unsupported key 'tls_server_config.client_auth_type'" },
		{ "basic_auth_users:\n\n  alice: plain\n",
		  "line 3: the password of 'alice' is not a bcrypt" },
		{ "  alice: x\n", "line 1: indented key 'alice' outside a section" },
		{ "tls_server_config:\n  cert_file: /nonexistent/c.pem\n  key_file: k.pem\n",
		  "cannot read '/nonexistent/c.pem'" },
		{ "tls_server_config:\n  cert_file: c.pem\n", "needs cert_file and key_file" },
		{ "basic_auth_users:\n  alice: \"$2y$\n", "line 2: unterminated quotes" },
		/* The file's bytes are quoted escaped: no terminal escape reaches stderr. */
		{ "\33[2J\33]0;pwn\a: x\n", "line 1: '\\33[2J\\33]0;pwn\\7' must be a mapping" },
	};
	char err[ERRMSG_LEN];
	struct webconfig *w;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = 0;
		cr_expect_lt(webconfig_parse(cases[i].text, "/etc/w.yml", &w, err, sizeof(err)), 0);
		cr_expect(strstr(err, cases[i].msg) && strstr(err, "/etc/w.yml"), "case %zu: %s", i,
			  err);
	}
}

Test(metrics, listen_addresses)
{
	static const char *const bad[] = { "9464",   "host:", "::1:9464",
					   ":99999", ":abc",  "[::1]9464" };
	char err[ERRMSG_LEN], where[80];
	int fd;

	fd = listen_open("127.0.0.1:0", err, sizeof(err));
	cr_assert_geq(fd, 0, "%s", err);
	cr_expect(listen_is_loopback(fd));
	listen_describe(fd, where, sizeof(where));
	cr_expect(!strncmp(where, "127.0.0.1:", 10) && atoi(where + 10) > 0, "%s", where);
	close(fd);
	fd = listen_open(":0", err, sizeof(err));
	cr_assert_geq(fd, 0, "%s", err);
	cr_expect(!listen_is_loopback(fd), "a bare :PORT binds every address");
	close(fd);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		cr_expect_eq(listen_open(bad[i], err, sizeof(err)), -EINVAL, "%s", bad[i]);
		cr_expect(strstr(err, "invalid --listen"), "%s: %s", bad[i], err);
	}
}

/* A request on a fresh connection; the whole response (headers and body). */
static char *request(int port, const char *head)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char *buf = calloc(1, 65536);
	size_t len = 0;
	ssize_t n;

	cr_assert_geq(fd, 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(write(fd, head, strlen(head)), (ssize_t)strlen(head));
	while ((n = read(fd, buf + len, 65535 - len)) > 0)
		len += n;
	close(fd);
	return buf;
}

static int status_of(const char *resp)
{
	return strncmp(resp, "HTTP/1.", 7) ? -1 : atoi(resp + 9);
}

static void publish_text(struct http_server *srv, const char *prom, const char *om,
			 enum http_health h, __u64 tick_ns)
{
	struct http_status st = { .health = h, .tick_ns = tick_ns, .stale_ns = 5 * SEC };

	if (h == HTTP_DROPPING)
		snprintf(st.reason, sizeof(st.reason), "7 records dropped");
	http_server__publish(srv, http_doc__new(strdup(prom), strlen(prom)),
			     http_doc__new(strdup(om), strlen(om)), &st);
}

Test(metrics, http_server_states_and_negotiation)
{
	struct http_opts o = { 0 };
	struct http_server *srv;
	char err[ERRMSG_LEN], where[64], *resp;
	int port;
	struct timespec ts;
	__u64 now;

	o.listen_fd = listen_open("127.0.0.1:0", err, sizeof(err));
	cr_assert_geq(o.listen_fd, 0, "%s", err);
	listen_describe(o.listen_fd, where, sizeof(where));
	port = atoi(strchr(where, ':') + 1);
	cr_assert_eq(http_server__new(&o, &srv), 0);
	cr_assert_eq(http_server__serve(srv), 0);

	resp = request(port, "GET /healthz HTTP/1.0\r\n\r\n");
	cr_expect_eq(status_of(resp), 503, "%s", resp);
	cr_expect(strstr(resp, "\r\n\r\nstarting\n"), "%s", resp);
	free(resp);
	resp = request(port, "GET /metrics HTTP/1.0\r\n\r\n");
	cr_expect_eq(status_of(resp), 503, "no document yet: %s", resp);
	free(resp);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = ts.tv_sec * SEC + ts.tv_nsec;
	publish_text(srv, "a 1\n", "a 1\n# EOF\n", HTTP_OK, now);
	resp = request(port, "GET /healthz HTTP/1.0\r\n\r\n");
	cr_expect_eq(status_of(resp), 200, "%s", resp);
	free(resp);
	resp = request(port, "GET /metrics HTTP/1.0\r\n\r\n");
	cr_expect(status_of(resp) == 200 && strstr(resp, "\r\n\r\na 1\n") &&
		      strstr(resp, "text/plain; version=0.0.4"),
		  "%s", resp);
	free(resp);
	resp = request(port, "GET /metrics HTTP/1.0\r\nAccept: application/openmetrics-text; "
			     "version=1.0.0\r\n\r\n");
	cr_expect(strstr(resp, "a 1\n# EOF\n") && strstr(resp, "application/openmetrics-text"),
		  "%s", resp);
	free(resp);
	cr_expect_eq(http_server__scrapes(srv, false), 1);
	cr_expect_eq(http_server__scrapes(srv, true), 1);

	publish_text(srv, "a 2\n", "a 2\n# EOF\n", HTTP_DROPPING, now);
	resp = request(port, "GET /healthz HTTP/1.0\r\n\r\n");
	cr_expect(status_of(resp) == 503 && strstr(resp, "7 records dropped"), "%s", resp);
	free(resp);
	/* A consumer that stopped publishing is unhealthy by itself. */
	publish_text(srv, "a 3\n", "a 3\n# EOF\n", HTTP_OK, now - 6 * SEC);
	resp = request(port, "GET /healthz HTTP/1.0\r\n\r\n");
	cr_expect(status_of(resp) == 503 && strstr(resp, "has not run for"), "%s", resp);
	free(resp);
	publish_text(srv, "a 4\n", "a 4\n# EOF\n", HTTP_STOPPED, now);
	resp = request(port, "GET /healthz HTTP/1.0\r\n\r\n");
	cr_expect(status_of(resp) == 503 && strstr(resp, "stopped"), "%s", resp);
	free(resp);
	resp = request(port, "HEAD /metrics HTTP/1.0\r\n\r\n");
	cr_expect(status_of(resp) == 200 && !strstr(resp, "a 4"), "no body: %s", resp);
	free(resp);
	resp = request(port, "DELETE /metrics HTTP/1.0\r\n\r\n");
	cr_expect_eq(status_of(resp), 405, "%s", resp);
	free(resp);
	http_server__free(srv);
}

Test(metrics, http_server_basic_auth)
{
	char *hash = bcrypt_of("pw"), *text, err[ERRMSG_LEN], where[64], *resp;
	struct http_opts o = { 0 };
	struct http_server *srv;
	int port;

	cr_assert(asprintf(&text, "basic_auth_users:\n  u: %s\n", hash) > 0);
	cr_assert_eq(webconfig_parse(text, "w.yml", &o.web, err, sizeof(err)), 0, "%s", err);
	o.listen_fd = listen_open("127.0.0.1:0", err, sizeof(err));
	listen_describe(o.listen_fd, where, sizeof(where));
	port = atoi(strchr(where, ':') + 1);
	cr_assert_eq(http_server__new(&o, &srv), 0);
	cr_assert_eq(http_server__serve(srv), 0);
	resp = request(port, "GET /healthz HTTP/1.0\r\n\r\n");
	cr_expect(status_of(resp) == 401 && strstr(resp, "WWW-Authenticate: Basic"), "%s", resp);
	free(resp);
	/* "u:pw" and "u:px" in base64 */
	resp = request(port, "GET /healthz HTTP/1.0\r\nAuthorization: Basic dTpwdw==\r\n\r\n");
	cr_expect_eq(status_of(resp), 503, "authenticated, and starting: %s", resp);
	free(resp);
	resp = request(port, "GET /healthz HTTP/1.0\r\nAuthorization: Basic dTpweA==\r\n\r\n");
	cr_expect_eq(status_of(resp), 401, "%s", resp);
	free(resp);
	http_server__free(srv);
	webconfig__free(o.web);
	free(text);
	free(hash);
}

Test(metrics, numbers_read_back_exactly)
{
	static const struct {
		double v;
		const char *s;
	} cases[] = {
		{ 100, "100" },	    { 2e4, "20000" },	    { 1e-6, "1e-06" },
		{ 0.1, "0.1" },	    { 1795992993.76, "1795992993.76" }, { -0.0, "0" },
		{ 1.0 / 3, "0.3333333333333333" },	    { 9007199254740993.0, "9007199254740992" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct expo e;
		size_t len;
		char *text;

		expo__init(&e, EXPO_PROM);
		expo__double(&e, cases[i].v);
		text = expo__take(&e, &len);
		cr_expect_str_eq(text, cases[i].s);
		cr_expect_eq(strtod(text, NULL), cases[i].v, "%s reads back", text);
		free(text);
	}
}
