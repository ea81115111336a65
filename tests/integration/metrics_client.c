// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "metrics_client.h"
#include "minijson.h"

void serve(char *const args[], struct served *s)
{
	char *argv[48] = { (char *)sysray_bin() };
	int n = 1;

	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	serve_argv(argv, s);
}

void serve_argv(char *const argv[], struct served *s)
{
	char line[512], *p;

	cr_assert_eq(bg_start(argv, &s->p), 0);
	cr_assert(
	    bg_read_line(s->p.err_fd, "sysray: serving metrics on ", line, sizeof(line), 30000),
	    "sysray did not start serving");
	s->tls = strstr(line, "https://") != NULL;
	p = strstr(line, "/metrics");
	cr_assert_not_null(p, "%s", line);
	while (p > line && p[-1] != ':')
		p--;
	s->port = atoi(p);
	cr_assert_gt(s->port, 0, "%s", line);
	/* It serves from before the programs are loaded; -a and -p say when tracing began. */
	cr_assert(bg_wait_for(s->p.err_fd, "sysray: tracing ", 30000), "tracing did not start");
}

void stop(struct served *s, struct proc_result *r)
{
	stop_with(s, SIGINT, r);
}

void stop_with(struct served *s, int sig, struct proc_result *r)
{
	kill(s->p.pid, sig);
	cr_assert_eq(bg_finish(&s->p, r), 0);
}

char *http_req(const char *url, char *const extra[], long *code, char *ctype, size_t clen)
{
	char *out = tmp_path(".body"), *argv[32] = { "/usr/bin/curl",
						     "-s",
						     "--max-time",
						     "20",
						     "-o",
						     out,
						     "-w",
						     "%{http_code} %{content_type}" };
	struct proc_result r;
	char *body;
	int n = 8;

	for (int i = 0; extra && extra[i]; i++)
		argv[n++] = extra[i];
	argv[n++] = (char *)url;
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	*code = 0;
	ctype[0] = 0;
	sscanf(r.out, "%ld %127[^\n]", code, ctype);
	(void)clen;
	proc_result_free(&r);
	body = read_file(out);
	unlink(out);
	free(out);
	return body ? body : strdup("");
}

char *http_get(int port, const char *path, const char *accept, long *code, char *ctype, size_t clen)
{
	char url[128], hdr[256];
	char *extra[4] = { NULL };

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	if (accept && !strcmp(accept, "POST")) {
		extra[0] = "-X";
		extra[1] = "POST";
	} else if (accept) {
		snprintf(hdr, sizeof(hdr), "Accept: %s", accept);
		extra[0] = "-H";
		extra[1] = hdr;
	}
	return http_req(url, extra, code, ctype, clen);
}

double sample(const char *text, const char *name_labels)
{
	size_t n = strlen(name_labels);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name_labels, n) && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	return -1;
}

double wait_metric(int port, const char *name_labels, double want, int timeout_s)
{
	double v = -1;
	char ctype[128];
	long code;

	for (int i = 0; i < timeout_s * 5; i++) {
		char *text = http_get(port, "/metrics", NULL, &code, ctype, sizeof(ctype));

		v = sample(text, name_labels);
		free(text);
		if (v >= want)
			break;
		usleep(200000);
	}
	return v;
}

bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f && fclose(f))
		ok = false;
	return ok;
}

int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	cr_assert_geq(fd, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

void prom_start(int target, struct prom *pr)
{
	char *cfg = tmp_path(".yml"), flag[4][512], url[128], ctype[128];
	char *argv[] = { "/usr/bin/prometheus", flag[0], flag[1], flag[2], flag[3], NULL };
	char text[512];
	long code = 0;

	cr_assert_eq(access(argv[0], X_OK), 0,
		     "%s is missing: scripts/install-deps.sh --test installs Debian's prometheus",
		     argv[0]);
	pr->dir = tmp_path(".tsdb");
	pr->port = free_port();
	snprintf(text, sizeof(text),
		 "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
		 "scrape_configs:\n  - job_name: sysray\n    static_configs:\n"
		 "      - targets: ['127.0.0.1:%d']\n",
		 target);
	cr_assert(write_file(cfg, text));
	snprintf(flag[0], sizeof(flag[0]), "--config.file=%s", cfg);
	snprintf(flag[1], sizeof(flag[1]), "--storage.tsdb.path=%s", pr->dir);
	snprintf(flag[2], sizeof(flag[2]), "--web.listen-address=127.0.0.1:%d", pr->port);
	snprintf(flag[3], sizeof(flag[3]), "--log.level=warn");
	cr_assert_eq(bg_start(argv, &pr->p), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/-/ready", pr->port);
	for (int i = 0; i < 300 && code != 200; i++) {
		free(http_req(url, NULL, &code, ctype, sizeof(ctype)));
		if (code != 200)
			usleep(100000);
	}
	cr_assert_eq(code, 200, "Prometheus did not become ready");
	unlink(cfg);
	free(cfg);
}

double prom_query(struct prom *pr, const char *q)
{
	char url[128], arg[1024], ctype[128];
	char *extra[] = { "-G", "--data-urlencode", arg, NULL }, *body;
	struct json_value *root, *res;
	double v = -1;
	long code;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/query", pr->port);
	snprintf(arg, sizeof(arg), "query=%s", q);
	body = http_req(url, extra, &code, ctype, sizeof(ctype));
	root = mj_parse(body);
	cr_assert_not_null(root, "query %s: %s", q, body);
	cr_assert_str_eq(mj_str(root, "status"), "success", "query %s: %s", q, body);
	res = mj_get(mj_get(root, "data"), "result");
	if (res && res->type == JSON_ARRAY && res->n) {
		struct json_value *val = mj_get(res->items[0], "value");

		if (val && val->type == JSON_ARRAY && val->n == 2 &&
		    val->items[1]->type == JSON_STRING)
			v = strtod(val->items[1]->str, NULL);
	}
	mj_free(root);
	free(body);
	return v;
}

double prom_wait(struct prom *pr, const char *q, double want, int timeout_s)
{
	double v = -1;

	for (int i = 0; i < timeout_s * 4; i++) {
		v = prom_query(pr, q);
		if (want < 0 ? v >= 0 : v == want)
			break;
		usleep(250000);
	}
	return v;
}

void prom_stop(struct prom *pr)
{
	struct proc_result r;
	char *argv[] = { "/bin/rm", "-rf", pr->dir, NULL };

	kill(pr->p.pid, SIGTERM);
	bg_finish(&pr->p, &r);
	proc_result_free(&r);
	run_proc(argv, -1, &r);
	proc_result_free(&r);
	free(pr->dir);
}
