// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --listen end to end: a real sysray serving real records, scraped by curl, checked by
 * promtool, and scraped by a real Prometheus whose query API must give the known counts.
 */
#include <criterion/criterion.h>
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "harness.h"
#include "metrics_client.h"
#include "minijson.h"

/* The default bucket bounds (docs/metrics.md), in seconds. */
static const double bounds[] = { 1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3,
				 5e-3, 1e-2, 2e-2, 5e-2, 0.1,  0.2,  0.5,  1,	 2,    5,    10 };

static void run_ok(char *const argv[], struct proc_result *r)
{
	cr_assert_eq(run_proc(argv, -1, r), 0);
	cr_assert_eq(r->status, 0, "%s failed (%d): %s%s", argv[0], r->status, r->out, r->err);
}

/*
 * A private copy of a workload under a name no other process on the machine has (other
 * test runs start "known" and "storm" too), so --comm NAME scopes to this test's own.
 * *comm is the name (the copy's path is returned); free both.
 */
static char *own_copy(const char *name, char **comm)
{
	char *dir = tmp_path(".bin"), *path, cmd[1024], *sh[] = { "/bin/sh", "-c", cmd, NULL };
	struct proc_result r;

	cr_assert(asprintf(comm, "%.2s%d", name, getpid()) > 0);
	cr_assert(asprintf(&path, "%s/%s", dir, *comm) > 0);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cp %s %s", dir, workload(name), path);
	run_ok(sh, &r);
	proc_result_free(&r);
	free(dir);
	return path;
}

static void remove_copy(char *path, char *comm)
{
	unlink(path);
	*strrchr(path, '/') = 0;
	rmdir(path);
	free(path);
	free(comm);
}

TestSuite(metrics, .fini = bg_cleanup);

Test(metrics, prometheus_scrapes_exact_counts, .timeout = 180)
{
	char *json = tmp_path(".json"), *kc, *sc, *kp = own_copy("known", &kc);
	char *sp = own_copy("sleeper", &sc), calls[256], enoent[256], sleeps_n[256], p99q[256];
	char *args[] = {
		"-a",		"--comm", kc,	      "--comm", sc,   "--listen", "127.0.0.1:0",
		"--metrics-by", "comm",	  "--format", "json",	"-o", json,	  NULL
	};
	char *first[] = { kp, "getppid=1", "enoent=1", NULL };
	char *second[] = { kp, "getppid=5000", "enoent=300", NULL };
	char *sleeps[] = { sp, "1000x99", "20000x1", NULL };
	char q[1024];
	struct served s;
	struct prom pr;
	struct proc_result r;
	struct json_value *root;
	double e1, v, lo = 0, hi = 0, p99;
	long code;

	snprintf(calls, sizeof(calls), "sysray_syscalls_total{syscall=\"getppid\",comm=\"%s\"}",
		 kc);
	snprintf(enoent, sizeof(enoent),
		 "sysray_syscall_errors_total{syscall=\"openat\",errno=\"ENOENT\",comm=\"%s\"}",
		 kc);
	snprintf(sleeps_n, sizeof(sleeps_n),
		 "sysray_syscall_duration_seconds_count{syscall=\"clock_nanosleep\",comm=\"%s\"}",
		 sc);
	snprintf(p99q, sizeof(p99q),
		 "histogram_quantile(0.99, sysray_syscall_duration_seconds_bucket{syscall=\"clock_"
		 "nanosleep\",comm=\"%s\"})",
		 sc);
	serve(args, &s);
	prom_start(s.port, &pr);
	/* A first run, so Prometheus has seen the series before the counted calls. */
	run_ok(first, &r);
	proc_result_free(&r);
	if (prom_wait(&pr, calls, 1, 60) != 1) {
		char ctype[128], *text = http_get(s.port, "/metrics", NULL, &code, ctype, 128);
		const char *line = strstr(text, "sysray_syscalls_total{syscall=\"getppid\"");

		cr_assert_fail("Prometheus never saw the first call: up %g, sysray has %.200s",
			       prom_query(&pr, "up"), line ? line : "no getppid");
	}
	e1 = prom_wait(&pr, enoent, -1, 5);
	cr_assert_geq(e1, 1);
	run_ok(second, &r);
	proc_result_free(&r);
	run_ok(sleeps, &r);
	proc_result_free(&r);
	cr_assert_eq(prom_wait(&pr, calls, 5001, 30), 5001);
	cr_assert_eq(prom_wait(&pr, sleeps_n, 100, 30), 100);

	/* The increase over the counted run, exactly (no extrapolation: max - min). */
	snprintf(q, sizeof(q), "max_over_time(%s[10m]) - min_over_time(%s[10m])", calls, calls);
	cr_expect_eq(prom_query(&pr, q), 5000);
	/* The loader's own failed opens (if any) happen in both runs: e1 - 1 of them. */
	cr_expect_eq(prom_wait(&pr, enoent, 2 * e1 + 299, 10), 2 * e1 + 299);
	snprintf(q, sizeof(q), "max_over_time(%s[10m]) - min_over_time(%s[10m])", enoent, enoent);
	cr_expect_eq(prom_query(&pr, q), 300 + (e1 - 1));
	snprintf(q, sizeof(q),
		 "sysray_syscall_duration_seconds_count{syscall=\"getppid\",comm=\"%s\"}", kc);
	cr_expect_eq(prom_query(&pr, q), 5001, "_count is the calls");
	p99 = prom_query(&pr, p99q);
	cr_expect_eq(prom_query(&pr, "up{job=\"sysray\"}"), 1, "every scrape parsed");
	cr_expect_gt(prom_query(&pr, "sysray_scrapes_total{format=\"openmetrics\"}"), 0,
		     "Prometheus negotiated OpenMetrics");
	prom_stop(&pr);
	stop(&s, &r);

	/* sysray's own whole-run report: the same errnos, and its p99 in Prometheus' bucket. */
	root = mj_parse(read_file(json));
	cr_assert_not_null(root, "no JSON report: %s", r.err);
	v = mj_num(mj_get(mj_find_syscall(root, "openat", "x86_64"), "errnos"), "ENOENT", -1);
	cr_expect_eq(v, 2 * e1 + 299, "the errno series matches the report");
	v = mj_num(mj_find_syscall(root, "clock_nanosleep", "x86_64"), "p99_ns", -1) / 1e9;
	for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]) && !hi; i++)
		if (v <= bounds[i])
			hi = bounds[i], lo = i ? bounds[i - 1] : 0;
	cr_expect(hi > 0 && p99 >= lo && p99 <= hi,
		  "JSON p99 %g s, Prometheus %g s, bucket (%g, %g]", v, p99, lo, hi);
	mj_free(root);
	proc_result_free(&r);
	unlink(json);
	free(json);
	remove_copy(kp, kc);
	remove_copy(sp, sc);
}

Test(metrics, busy_scrape_passes_promtool_and_negotiates_openmetrics, .timeout = 60)
{
	char *args[] = { "-a", "--listen", "127.0.0.1:0", "--metrics-by", "comm", NULL };
	char *stc, *stp = own_copy("storm", &stc), name[128];
	char *storm[] = { stp, "300000", "2", NULL };
	char *known[] = { (char *)workload("known"), "enoent=50", "write=20", "thread=5", NULL };
	char *file = tmp_path(".prom"), *check, *text, ctype[128];
	char *sh[] = { "/bin/sh", "-c", NULL, NULL };
	struct served s;
	struct proc_result r;
	long code;

	serve(args, &s);
	run_ok(storm, &r);
	proc_result_free(&r);
	run_ok(known, &r);
	proc_result_free(&r);
	snprintf(name, sizeof(name),
		 "sysray_syscalls_total{syscall=\"getppid\",abi=\"x86_64\",comm=\"%s\"}", stc);
	cr_expect_eq(wait_metric(s.port, name, 600000, 20), 600000);

	text = http_get(s.port, "/metrics", NULL, &code, ctype, sizeof(ctype));
	cr_expect_eq(code, 200);
	cr_expect_str_eq(ctype, "text/plain; version=0.0.4; charset=utf-8");
	cr_expect_gt(strlen(text), 10000, "a busy host's document: %zu bytes", strlen(text));
	cr_assert(write_file(file, text));
	cr_assert(asprintf(&check, "promtool check metrics < %s", file) > 0);
	sh[2] = check;
	cr_assert_eq(run_proc(sh, -1, &r), 0);
	cr_expect_eq(r.status, 0, "promtool: %s%s", r.out, r.err);
	cr_expect_str_empty(r.out, "lint: %s", r.out);
	cr_expect_str_empty(r.err, "lint: %s", r.err);
	proc_result_free(&r);
	free(text);

	text = http_get(s.port, "/metrics", "application/openmetrics-text;version=1.0.0", &code,
			ctype, sizeof(ctype));
	cr_expect_str_eq(ctype, "application/openmetrics-text; version=1.0.0; charset=utf-8");
	cr_expect(strlen(text) > 6 && !strcmp(text + strlen(text) - 6, "# EOF\n"));
	cr_expect(strstr(text, "\n# TYPE sysray_syscalls counter\n"), "OpenMetrics family name");
	cr_expect(strstr(text, "\nsysray_syscalls_created{syscall=\"getppid\""));
	cr_expect(strstr(text, "\n# UNIT sysray_syscall_duration_seconds seconds\n"));
	free(text);
	text = http_get(s.port, "/", NULL, &code, ctype, sizeof(ctype));
	cr_expect(code == 200 && strstr(text, "href=\"/metrics\"") && strstr(ctype, "text/html"));
	free(text);
	free(http_get(s.port, "/nope", NULL, &code, ctype, sizeof(ctype)));
	cr_expect_eq(code, 404);
	free(http_get(s.port, "/metrics", "POST", &code, ctype, sizeof(ctype)));
	cr_expect_eq(code, 405);
	stop(&s, &r);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_str_empty(r.out, "no final report without -o");
	proc_result_free(&r);
	unlink(file);
	free(file);
	free(check);
	remove_copy(stp, stc);
}

Test(metrics, healthz_reports_overflowing_rings_and_no_call_is_lost, .timeout = 60)
{
	char *stc, *stp = own_copy("storm", &stc);
	char *args[] = { "-a",		"--comm",   stc,
			 "--ring-size", "4096",	    "--ring-layout",
			 "shared",	"--listen", "127.0.0.1:0",
			 NULL };
	char *storm[] = { stp, "1000000", "2", NULL };
	char *text = NULL, ctype[128];
	struct served s;
	struct proc_result r;
	double got = 0, lost = 0;
	long code;

	serve(args, &s);
	/* After the first tick: healthy. */
	for (int i = 0; i < 100; i++) {
		free(text);
		text = http_get(s.port, "/healthz", NULL, &code, ctype, sizeof(ctype));
		if (code == 200)
			break;
		usleep(100000);
	}
	cr_assert_eq(code, 200, "never healthy: %ld %s", code, text);
	free(text);
	run_ok(storm, &r);
	proc_result_free(&r);
	/* Every call is in the delivered or the dropped series, once the counters are read. */
	for (int i = 0; i < 100 && got + lost != 2000000; i++) {
		usleep(200000);
		text = http_get(s.port, "/metrics", NULL, &code, ctype, sizeof(ctype));
		got = sample(text, "sysray_syscalls_total{syscall=\"getppid\",abi=\"x86_64\"}");
		lost = sample(text,
			      "sysray_syscalls_dropped_total{syscall=\"getppid\",abi=\"x86_64\"}");
		free(text);
	}
	cr_expect_eq(got + lost, 2000000, "delivered %g + dropped %g", got, lost);
	cr_expect_gt(lost, 0, "a 4 KiB ring must overflow");
	text = http_get(s.port, "/healthz", NULL, &code, ctype, sizeof(ctype));
	cr_expect_eq(code, 503);
	cr_expect(strstr(text, "records dropped in the last"), "%s", text);
	free(text);
	stop(&s, &r);
	proc_result_free(&r);
	remove_copy(stp, stc);
}

/* A fresh cgroup v2 directory for this test: its absolute path, and *rel below the mount. */
static char *test_cgroup(const char **rel)
{
	FILE *f = fopen("/proc/mounts", "r");
	char dev[256], dir[1024], type[64], *path = NULL;

	cr_assert_not_null(f);
	while (!path && fscanf(f, "%255s %1023s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "cgroup2"))
			cr_assert(asprintf(&path, "%s/sysray-test-%d-%ld", dir, getpid(),
					   (long)time(NULL)) > 0);
	fclose(f);
	cr_assert_not_null(path, "no cgroup2 mount");
	cr_assert_eq(mkdir(path, 0755), 0, "mkdir %s: %s", path, strerror(errno));
	*rel = path + strlen(dir) + 1;
	return path;
}

static double rss_kb(pid_t pid)
{
	char path[64], *text, *p;
	double v = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	text = read_file(path);
	p = text ? strstr(text, "VmRSS:") : NULL;
	if (p)
		v = strtod(p + 6, NULL);
	free(text);
	return v;
}

Test(metrics, cgroup_label_is_the_path_below_the_mount, .timeout = 60)
{
	const char *rel;
	char *dir = test_cgroup(&rel), name[512],
	     *churn[] = { (char *)workload("cgchurn"), dir, "1", "100", "keep", NULL };
	char *args[] = { "-a",		"--cgroup",	dir,	  "--listen",
			 "127.0.0.1:0", "--metrics-by", "cgroup", NULL };
	struct bg_proc w;
	struct served s;
	struct proc_result r;

	serve(args, &s);
	cr_assert_eq(bg_start(churn, &w), 0);
	cr_assert(bg_wait_for(w.out_fd, "cgchurn: 1 cgroups", 30000));
	snprintf(name, sizeof(name),
		 "sysray_syscalls_total{syscall=\"getppid\",abi=\"x86_64\",cgroup=\"%s/c0\"}", rel);
	if (wait_metric(s.port, name, 100, 20) != 100) {
		char ctype[128], *text;
		long code;

		text = http_get(s.port, "/metrics", NULL, &code, ctype, sizeof(ctype));
		cr_expect_fail("no %s in:\n%.2000s", name, text);
		free(text);
	}
	bg_finish(&w, &r);
	proc_result_free(&r);
	stop(&s, &r);
	proc_result_free(&r);
	rmdir(dir);
	free(dir);
}

/* sysray_series and the getppid calls summed over every cgroup series of a document. */
static double getppid_total(const char *text)
{
	const char *calls = "sysray_syscalls_total{syscall=\"getppid\",abi=\"x86_64\",cgroup=";
	double total = 0;

	for (const char *p = strstr(text, calls); p; p = strstr(p + 1, calls))
		total += strtod(strchr(p, '}') + 2, NULL);
	return total;
}

static char *cgchurn_args[] = { NULL, NULL, "2000", "10", NULL };

/* 2000 cgroups through a cap of 1000, with an expiry no test run reaches: exact numbers. */
Test(metrics, cgroup_churn_folds_beyond_the_cap_exactly, .timeout = 240)
{
	const char *rel;
	char *dir = test_cgroup(&rel);
	char *args[] = { "-a",		"--cgroup",	    dir,      "--listen",
			 "127.0.0.1:0", "--metrics-by",	    "cgroup", "--metrics-max-series",
			 "1000",	"--metrics-expire", "3600",   NULL };
	struct served s;
	struct proc_result r;
	double base, peak, dropped;
	char *text, ctype[128];
	long code;

	cgchurn_args[0] = (char *)workload("cgchurn");
	cgchurn_args[1] = dir;
	serve(args, &s);
	base = rss_kb(s.p.pid);
	run_ok(cgchurn_args, &r);
	proc_result_free(&r);
	cr_expect_eq(wait_metric(s.port, "sysray_series_folded_total", 1000, 30), 1000,
		     "2000 cgroups, 1000 series: 1000 folded");
	/*
	 * The last records may still be staged or in a ring when the 2000th cgroup is seen:
	 * wait until every call is in (records a full ring dropped are counted per syscall
	 * without a label, which slow builds need).
	 */
	for (int i = 0;; i++) {
		text = http_get(s.port, "/metrics", NULL, &code, ctype, sizeof(ctype));
		dropped = sample(text, "sysray_syscalls_dropped_total{syscall=\"getppid\","
				       "abi=\"x86_64\"}");
		if (i == 100 || getppid_total(text) + (dropped > 0 ? dropped : 0) == 20000)
			break;
		free(text);
		usleep(200000);
	}
	peak = rss_kb(s.p.pid);
	cr_expect_eq(sample(text, "sysray_series"), 1001, "1000 cgroups and other");
	cr_expect_eq(sample(text, "sysray_series_created_total"), 1000);
	cr_expect_eq(getppid_total(text) + (dropped > 0 ? dropped : 0), 20000,
		     "every call in a cgroup's series, in other, or dropped: %g + %g",
		     getppid_total(text), dropped);
	cr_expect_gt(peak - base, 1024, "RSS %g KiB -> %g KiB: 1001 series cost memory", base,
		     peak);
	fprintf(stderr, "churn: RSS %.0f KiB before, %.0f KiB with 1001 series\n", base, peak);
	free(text);
	stop(&s, &r);
	proc_result_free(&r);
	cr_expect_eq(rmdir(dir), 0);
	free(dir);
}

/*
 * The same churn with a 2 s expiry: however long the churn takes on a loaded machine, the
 * cap holds while it runs, each cgroup gets a series or is folded exactly once, and when
 * it is over every series expires and the memory comes back.
 */
Test(metrics, cgroup_churn_expires_and_memory_comes_back, .timeout = 240)
{
	const char *rel;
	char *dir = test_cgroup(&rel);
	char *args[] = { "-a",		"--cgroup",	    dir,      "--listen",
			 "127.0.0.1:0", "--metrics-by",	    "cgroup", "--metrics-max-series",
			 "1000",	"--metrics-expire", "2",      NULL };
	struct served s;
	struct bg_proc w;
	struct proc_result r;
	double base, peak = 0, after, series = 0, most = 0;
	char *text, ctype[128];
	long code;
	pid_t pid;
	int st = 0;

	cgchurn_args[0] = (char *)workload("cgchurn");
	cgchurn_args[1] = dir;
	serve(args, &s);
	base = rss_kb(s.p.pid);
	cr_assert_eq(bg_start(cgchurn_args, &w), 0);
	while ((pid = waitpid(w.pid, &st, WNOHANG)) == 0) {
		text = http_get(s.port, "/metrics", NULL, &code, ctype, sizeof(ctype));
		series = sample(text, "sysray_series");
		most = series > most ? series : most;
		peak = rss_kb(s.p.pid) > peak ? rss_kb(s.p.pid) : peak;
		free(text);
		usleep(100000);
	}
	cr_expect(pid == w.pid && WIFEXITED(st) && !WEXITSTATUS(st), "cgchurn failed");
	close(w.in_fd);
	close(w.out_fd);
	close(w.err_fd);
	cr_expect_leq(most, 1001, "the cap held while the cgroups came and went");
	for (int i = 0; i < 150; i++) {
		text = http_get(s.port, "/metrics", NULL, &code, ctype, sizeof(ctype));
		series = sample(text, "sysray_series");
		if (series == 0 && sample(text, "sysray_series_created_total") +
					   sample(text, "sysray_series_folded_total") >=
				       2000)
			break;
		free(text);
		text = NULL;
		usleep(200000);
	}
	cr_assert_not_null(text, "the series never all expired (%g left)", series);
	cr_expect_eq(sample(text, "sysray_series_created_total") +
			 sample(text, "sysray_series_folded_total"),
		     2000, "each cgroup has a series or is folded, once: %g + %g",
		     sample(text, "sysray_series_created_total"),
		     sample(text, "sysray_series_folded_total"));
	free(text);
	after = rss_kb(s.p.pid);
	fprintf(stderr, "churn: RSS %.0f KiB before, peak %.0f KiB (%.0f series), %.0f KiB after\n",
		base, peak, most, after);
	cr_expect_lt(after - base, 1024, "RSS %g KiB, peak %g KiB, after %g KiB", base, peak,
		     after);
	stop(&s, &r);
	proc_result_free(&r);
	cr_expect_eq(rmdir(dir), 0);
	free(dir);
}

static char *bcrypt_of(const char *password)
{
	struct crypt_data d;
	char salt[64];

	memset(&d, 0, sizeof(d));
	cr_assert_not_null(crypt_gensalt_rn("$2b$", 4, NULL, 0, salt, sizeof(salt)));
	cr_assert_not_null(crypt_r(password, salt, &d));
	return strdup(d.output);
}

/* A self-signed certificate for 127.0.0.1 from openssl, in dir: cert.pem and key.pem. */
static void make_cert(const char *dir)
{
	char cmd[1024], *sh[] = { "/bin/sh", "-c", cmd, NULL };
	struct proc_result r;

	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
		 "-addext subjectAltName=IP:127.0.0.1 -keyout %s/key.pem -out %s/cert.pem",
		 dir, dir);
	run_ok(sh, &r);
	proc_result_free(&r);
}

Test(metrics, tls_and_basic_auth, .timeout = 60)
{
	char *dir = tmp_path(".d"), *hash = bcrypt_of("s3cret"), cfg[512], url[128], cacert[600];
	char *text, ctype[128], *yml;
	char *args[10] = { "-a",       "--comm",      "sysray-nothing",
			   "--listen", "127.0.0.1:0", "--web-config",
			   cfg,	       NULL };
	char *good[] = { "--cacert", cacert, "-u", "alice:s3cret", NULL };
	char *bad[] = { "--cacert", cacert, "-u", "alice:wrong", NULL };
	char *none[] = { "--cacert", cacert, NULL };
	struct served s;
	struct proc_result r;
	long code;

	cr_assert_eq(mkdir(dir, 0700), 0);
	make_cert(dir);
	snprintf(cfg, sizeof(cfg), "%s/web.yml", dir);
	snprintf(cacert, sizeof(cacert), "%s/cert.pem", dir);
	/* cert_file and key_file relative to the file, as the exporter toolkit has them */
	cr_assert(asprintf(&yml,
			   "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
			   "basic_auth_users:\n  alice: %s\n",
			   hash) > 0);
	cr_assert(write_file(cfg, yml));
	serve(args, &s);
	cr_expect(s.tls, "it says https");
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/metrics", s.port);
	text = http_req(url, good, &code, ctype, sizeof(ctype));
	cr_expect_eq(code, 200);
	cr_expect(strstr(text, "sysray_build_info{"), "%.200s", text);
	free(text);
	free(http_req(url, bad, &code, ctype, sizeof(ctype)));
	cr_expect_eq(code, 401, "a wrong password");
	free(http_req(url, none, &code, ctype, sizeof(ctype)));
	cr_expect_eq(code, 401, "no password");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", s.port);
	free(http_req(url, NULL, &code, ctype, sizeof(ctype)));
	cr_expect_neq(code, 200, "no plain HTTP on the TLS port");
	stop(&s, &r);
	proc_result_free(&r);

	/* Passwords in clear text on every address: refused unless forced. */
	cr_assert(asprintf(&text, "basic_auth_users:\n  alice: %s\n", hash) > 0);
	cr_assert(write_file(cfg, text));
	free(text);
	expect_error((char *[]){ "-a", "--listen", ":0", "--web-config", cfg, NULL }, -1,
		     "basic authentication without TLS would send passwords in clear text");
	args[4] = ":0";
	args[7] = "--web-insecure-auth";
	args[8] = NULL;
	serve(args, &s);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", s.port);
	free(http_req(url, (char *[]){ "-u", "alice:s3cret", NULL }, &code, ctype, sizeof(ctype)));
	cr_expect_eq(code, 200);
	stop(&s, &r);
	proc_result_free(&r);
	snprintf(cacert, sizeof(cacert), "rm -rf %s", dir);
	run_ok((char *[]){ "/bin/sh", "-c", cacert, NULL }, &r);
	proc_result_free(&r);
	free(yml);
	free(hash);
	free(dir);
}

Test(metrics, bad_options_are_one_line_errors)
{
	char busy[32];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	expect_error((char *[]){ "-a", "--listen", "9464", NULL }, -1, "invalid --listen: '9464'");
	expect_error((char *[]){ "-a", "--metrics-by", "cgroup", NULL }, -1,
		     "the metrics options need --listen");
	expect_error((char *[]){ "-a", "--listen", ":0", "--metrics-by", "pod", NULL }, -1,
		     "invalid --metrics-by: 'pod'");
	expect_error((char *[]){ "-a", "--listen", "127.0.0.1:0", "--sample", "64", NULL }, -1,
		     "--listen does not work with --sample yet");
	expect_error((char *[]){ "-a", "--listen", ":0", "--metrics-buckets", "0.1,0.05", NULL },
		     -1, "bounds must increase");
	expect_error((char *[]){ "-a", "--listen", ":0", "--metrics-max-series", "0", NULL }, -1,
		     "invalid --metrics-max-series");
	expect_error((char *[]){ "-a", "--listen", ":0", "--web-config", "/nonexistent.yml", NULL },
		     -1, "cannot read '/nonexistent.yml'");
	/* A port in use is an error before anything is traced. */
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(fd, 1), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	snprintf(busy, sizeof(busy), "127.0.0.1:%d", ntohs(a.sin_port));
	expect_error((char *[]){ "-a", "--listen", busy, NULL }, -1, "Address already in use");
	close(fd);
}

/* The shipped rules load, and fire on synthetic series (docs/fleet.md). */
Test(metrics, rules_file_passes_promtool)
{
	char *check[] = { "/usr/bin/promtool", "check", "rules", "dist/sysray-rules.yml", NULL };
	char *test[] = { "/usr/bin/promtool", "test", "rules",
			 "tests/prometheus/sysray-rules.test.yml", NULL };
	struct proc_result r;

	run_ok(check, &r);
	cr_expect(strstr(r.out, "SUCCESS: 7 rules found"), "%s", r.out);
	proc_result_free(&r);
	run_ok(test, &r);
	cr_expect(strstr(r.out, "SUCCESS"), "%s", r.out);
	proc_result_free(&r);
}

/* The value of "Key=" in the unit file's text (up to the end of its line); asserted. */
static char *unit_value(const char *unit, const char *key)
{
	const char *p = strstr(unit, key);
	char *v;

	cr_assert_not_null(p, "dist/sysray.service has no %s", key);
	p += strlen(key);
	v = strndup(p, strcspn(p, "\n"));
	cr_assert_not_null(v);
	return v;
}

/* "CAP_BPF CAP_PERFMON" as setpriv's "-all,+bpf,+perfmon". */
static void setpriv_caps(const char *caps, char *out, size_t len)
{
	char *copy = strdup(caps), *save = NULL;
	size_t n = snprintf(out, len, "-all");

	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		cr_assert(!strncmp(t, "CAP_", 4), "%s", t);
		n += snprintf(out + n, len - n, ",+");
		for (t += 4; *t && n < len - 1; t++)
			out[n++] = tolower((unsigned char)*t);
		out[n] = 0;
	}
	free(copy);
}

/*
 * The shipped unit's command line, run as nobody with exactly the unit's capabilities
 * (setpriv does what systemd's DynamicUser, AmbientCapabilities, CapabilityBoundingSet and
 * NoNewPrivileges do to the process): it traces, names a new cgroup and counts its calls
 * exactly, and a SIGTERM (systemd's stop) ends it with status 0.
 */
Test(metrics, the_unit_runs_with_only_its_capabilities, .timeout = 60)
{
	char *unit = read_file("dist/sysray.service"), *exec, *amb, *bound, *argv[32];
	char inh[256], ambient[256], bounding[256], name[512], *save = NULL;
	const char *rel;
	char *dir = test_cgroup(&rel),
	     *churn[] = { (char *)workload("cgchurn"), dir, "1", "100", "keep", NULL };
	struct bg_proc w;
	struct served s;
	struct proc_result r;
	int n = 0;

	cr_assert_not_null(unit);
	cr_expect(strstr(unit, "\nNoNewPrivileges=yes\n"));
	cr_expect(strstr(unit, "\nProtectSystem=strict\n"));
	cr_expect(strstr(unit, "\nMemoryMax="));
	exec = unit_value(unit, "\nExecStart=@BINDIR@/sysray ");
	amb = unit_value(unit, "\nAmbientCapabilities=");
	bound = unit_value(unit, "\nCapabilityBoundingSet=");
	cr_expect_str_eq(amb, bound, "nothing bounded that is not used");
	setpriv_caps(amb, ambient, sizeof(ambient));
	setpriv_caps(amb, inh, sizeof(inh));
	setpriv_caps(bound, bounding, sizeof(bounding));
	argv[n++] = "/usr/bin/setpriv";
	argv[n++] = "--reuid=65534";
	argv[n++] = "--regid=65534";
	argv[n++] = "--clear-groups";
	argv[n++] = "--no-new-privs";
	cr_assert(asprintf(&argv[n++], "--inh-caps=%s", inh) > 0);
	cr_assert(asprintf(&argv[n++], "--ambient-caps=%s", ambient) > 0);
	cr_assert(asprintf(&argv[n++], "--bounding-set=%s", bounding) > 0);
	argv[n++] = "--";
	argv[n++] = (char *)sysray_bin();
	for (char *t = strtok_r(exec, " ", &save); t && n < 31; t = strtok_r(NULL, " ", &save))
		argv[n++] = strcmp(t, "127.0.0.1:9464") ? t : "127.0.0.1:0";
	argv[n] = NULL;
	cr_assert_eq(access(argv[0], X_OK), 0, "setpriv (util-linux) is missing");

	serve_argv(argv, &s);
	cr_assert_eq(bg_start(churn, &w), 0);
	cr_assert(bg_wait_for(w.out_fd, "cgchurn: 1 cgroups", 30000));
	snprintf(name, sizeof(name),
		 "sysray_syscalls_total{syscall=\"getppid\",abi=\"x86_64\",cgroup=\"%s/c0\"}", rel);
	cr_expect_eq(wait_metric(s.port, name, 100, 20), 100, "%s", name);
	bg_finish(&w, &r);
	proc_result_free(&r);
	stop_with(&s, SIGTERM, &r);
	cr_expect_eq(r.status, 0, "SIGTERM ends it cleanly: %s", r.err);
	proc_result_free(&r);
	rmdir(dir);
	free(dir);
	for (int i = 5; i < 8; i++)
		free(argv[i]);
	free(exec);
	free(amb);
	free(bound);
	free(unit);
}

/*
 * --anomaly: a latency step in a process of its own (the phases of
 * anomaly/latency_step_fires_once_and_resolves) is one high episode in the metrics, active
 * while it fires and 0 once the latency is back.
 */
Test(metrics, anomaly_episodes_are_series, .timeout = 90)
{
	char *phc, *php = own_copy("phases", &phc);
	char *args[] = { "-a",
			 "--comm",
			 phc,
			 "--listen",
			 "127.0.0.1:0",
			 "--anomaly",
			 "--window-interval",
			 "0.5",
			 "--slow-calls",
			 "off",
			 NULL };
	char *phases[] = { php, "sleep:1000:8", "sleep:20000:3", "sleep:1000:3", NULL };
	const char *active = "sysray_anomaly_active{syscall=\"clock_nanosleep\",abi=\"x86_64\","
			     "kind=\"latency\",severity=\"high\"}",
		   *episodes = "sysray_anomaly_episodes_total{syscall=\"clock_nanosleep\","
			       "abi=\"x86_64\",kind=\"latency\"}";
	char *text, ctype[128];
	struct bg_proc w;
	struct served s;
	struct proc_result r;
	double seen = 0, now = -1;
	long code;

	serve(args, &s);
	cr_assert_eq(bg_start(phases, &w), 0);
	/* While the phases run (14 s): the episode fires, and shows as active. */
	for (int i = 0; i < 200 && waitpid(w.pid, NULL, WNOHANG) == 0; i++) {
		text = http_get(s.port, "/metrics", NULL, &code, ctype, sizeof(ctype));
		seen = sample(text, active) == 1 ? 1 : seen;
		free(text);
		usleep(100000);
	}
	cr_expect_eq(seen, 1, "%s was never 1", active);
	cr_expect_eq(wait_metric(s.port, episodes, 1, 20), 1, "one episode");
	for (int i = 0; i < 100 && now != 0; i++) {
		text = http_get(s.port, "/metrics", NULL, &code, ctype, sizeof(ctype));
		now = sample(text, active);
		free(text);
		if (now != 0)
			usleep(200000);
	}
	cr_expect_eq(now, 0, "resolved once the latency came back");
	close(w.in_fd);
	close(w.out_fd);
	close(w.err_fd);
	stop(&s, &r);
	proc_result_free(&r);
	remove_copy(php, phc);
}
