// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which calls --events shows, against workloads that know their own calls: --min-duration
 * on sleeps the workload times itself, --events-max-rate on a storm (shown + suppressed
 * = made, the summary exact), calls seccomp refused, the summary on and off (-C), CSV read
 * back with Python's csv module, and the renacer command line. Needs root and python3.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "minijson.h"

TestSuite(event_select, .timeout = 180);

/* sysray ARGS -- WL (sysray's -o out), which must succeed; the output file's text. */
static char *run_events(char *const args[], char *const wl[], struct proc_result *r)
{
	char *out = tmp_path(".events"), *argv[64] = { (char *)sysray_bin(), "-o", out };
	char *text;
	int n = 3;

	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n++] = "--";
	for (int i = 0; wl[i]; i++)
		argv[n++] = wl[i];
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, -1, r), 0);
	cr_assert_eq(r->status, 0, "sysray failed: %s", r->err);
	text = read_file(out);
	cr_assert_not_null(text);
	unlink(out);
	free(out);
	return text;
}

/* Each line of text as JSON, in an array of n (freed by free_lines). */
static struct json_value **json_lines(char *text, int *n)
{
	struct json_value **v = NULL;
	char *line, *save = NULL;

	*n = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		v = realloc(v, (*n + 1) * sizeof(*v));
		v[*n] = mj_parse(line);
		cr_assert_not_null(v[*n], "not one JSON object per line: %s", line);
		(*n)++;
	}
	return v;
}

static void free_lines(struct json_value **v, int n)
{
	for (int i = 0; i < n; i++)
		mj_free(v[i]);
	free(v);
}

static bool is(const struct json_value *o, const char *key, const char *val)
{
	const char *s = mj_str(o, key);

	return s && !strcmp(s, val);
}

#define MAX_CALLS 64

/*
 * Every call of the sleeper is timed by the workload itself around the syscall, on the
 * clock of the events, so each event belongs to exactly one call, and the kernel's
 * duration lies between what the call asked for and what the workload measured: exact
 * bounds however loaded the machine is.
 */
Test(event_select, min_duration_selects_the_calls_that_took_that_long)
{
	const unsigned long long t = 10000000; /* 10 ms */
	unsigned long long start[MAX_CALLS], req[MAX_CALLS], own[MAX_CALLS];
	char *args[] = { "--events",
			 "--format",
			 "json",
			 "--events-max-rate",
			 "0",
			 "-e",
			 "trace=clock_nanosleep",
			 "--min-duration",
			 "10ms",
			 NULL };
	char *wl[] = { (char *)workload("sleeper"), "1000x16", "25000x4", NULL };
	int ncalls = 0, n, matched[MAX_CALLS] = { 0 }, events = 0;
	struct json_value **v;
	struct proc_result r;
	char *text, *line;

	setenv("SLEEPER_EACH", "1", 1);
	text = run_events(args, wl, &r);
	for (line = r.out; (line = strstr(line, "call ")); line++)
		if (sscanf(line, "call %llu %llu %llu", &start[ncalls], &req[ncalls],
			   &own[ncalls]) == 3 &&
		    ++ncalls == MAX_CALLS)
			break;
	cr_assert_eq(ncalls, 20, "%s", r.out);
	v = json_lines(text, &n);
	for (int i = 0; i < n; i++) {
		unsigned long long s = mj_num(v[i], "mono_ns", 0),
				   d = mj_num(v[i], "duration_ns", 0);
		int k;

		cr_assert(is(v[i], "type", "syscall") && is(v[i], "syscall", "clock_nanosleep"));
		cr_expect_geq(d, t, "an event of %llu ns, below --min-duration", d);
		for (k = 0; k < ncalls; k++)
			if (s >= start[k] && s + d <= start[k] + own[k])
				break;
		cr_assert_lt(k, ncalls, "event at %llu (%llu ns) is no call of the workload", s, d);
		cr_expect_not(matched[k]++, "two events for call %d", k);
		cr_expect_geq(d, req[k], "call %d asked %llu ns, lasted %llu", k, req[k], d);
		events++;
	}
	for (int k = 0; k < ncalls; k++) {
		if (req[k] >= t)
			cr_expect(matched[k], "call %d slept %llu ns: no event", k, req[k]);
		if (own[k] < t)
			cr_expect_not(matched[k], "call %d took %llu ns: an event", k, own[k]);
	}
	cr_expect_geq(events, 4);
	free_lines(v, n);
	free(text);
	proc_result_free(&r);
}

/* shown + suppressed (+ lost) = made, exactly; the rate holds; the summary stays exact. */
Test(event_select, max_rate_suppresses_and_counts)
{
	char *args[] = { "--events",	      "-C",   "--format", "json", "-e", "trace=getppid",
			 "--events-max-rate", "1000", NULL };
	char *wl[] = { (char *)workload("known"), "getppid=20000", NULL };
	unsigned long long shown = 0, supp = 0, lost = 0, dur = 0;
	struct json_value **v, *sc = NULL;
	struct proc_result r;
	char *text;
	int n;

	text = run_events(args, wl, &r);
	v = json_lines(text, &n);
	for (int i = 0; i < n; i++) {
		if (is(v[i], "type", "syscall")) {
			shown++;
		} else if (is(v[i], "type", "lost")) {
			supp += mj_num(v[i], "suppressed", 0);
			lost += mj_num(v[i], "lost", 0);
		} else {
			cr_assert_eq(i, n - 1, "the summary comes last");
			cr_assert(is(v[i], "schema", "sysray.profile/1"));
			sc = mj_find_syscall(v[i], "getppid", "x86_64");
			dur = mj_num(v[i], "duration_ns", 0);
		}
	}
	cr_assert_not_null(sc, "no summary with -C");
	cr_expect_eq(mj_num(sc, "calls", -1), 20000, "the summary's count is exact");
	cr_expect_eq(shown + supp + lost, 20000, "shown %llu + suppressed %llu + lost %llu", shown,
		     supp, lost);
	cr_expect_geq(shown, 1000, "a burst of the rate is shown");
	cr_expect_leq(shown, 1000 + 1000 * dur / 1000000000 + 1, "%llu shown in %llu ns", shown,
		      dur);
	cr_expect_gt(supp, 0);
	cr_expect(strstr(r.err, "events not shown"), "no warning: %s", r.err);
	free_lines(v, n);
	free(text);
	proc_result_free(&r);
}

/*
 * An event ring of one page cannot hold a storm of events: the kernel counts the ones it
 * could not write, and shown + lost is every call, exactly (nothing over a rate here).
 */
Test(event_select, a_full_event_ring_counts_what_it_lost)
{
	char *args[] = {
		"--events",	     "-C", "--format",		 "json", "-e", "trace=getppid",
		"--events-max-rate", "0",  "--events-ring-size", "4096", NULL
	};
	char *wl[] = { (char *)workload("known"), "getppid=100000", NULL };
	unsigned long long shown = 0, supp = 0, lost = 0;
	struct json_value **v, *sc = NULL;
	struct proc_result r;
	char *text;
	int n;

	text = run_events(args, wl, &r);
	v = json_lines(text, &n);
	for (int i = 0; i < n; i++) {
		if (is(v[i], "type", "syscall")) {
			shown++;
		} else if (is(v[i], "type", "lost")) {
			supp += mj_num(v[i], "suppressed", 0);
			lost += mj_num(v[i], "lost", 0);
		} else {
			sc = mj_find_syscall(v[i], "getppid", "x86_64");
		}
	}
	cr_assert_not_null(sc, "no summary with -C");
	cr_expect_eq(mj_num(sc, "calls", -1), 100000, "the summary's count is exact");
	cr_expect_eq(supp, 0, "no rate limit");
	cr_expect_gt(lost, 0, "a one-page ring held 100000 events");
	cr_expect_eq(shown + lost, 100000, "shown %llu + lost %llu", shown, lost);
	cr_expect(strstr(r.err, "lost"), "no warning: %s", r.err);
	free_lines(v, n);
	free(text);
	proc_result_free(&r);
}

Test(event_select, text_notes_and_summary_off_by_default)
{
	char *args[] = { "--events", "-e", "trace=getppid", "--events-max-rate", "100", NULL };
	char *wl[] = { (char *)workload("known"), "getppid=3000", NULL };
	unsigned long long shown = 0, noted = 0, n;
	struct proc_result r;
	char *text, *p;

	text = run_events(args, wl, &r);
	for (p = text; (p = strstr(p, "getppid() ")); p++)
		shown++;
	for (p = text; (p = strstr(p, "--- sysray: ")); p++) {
		cr_assert_eq(sscanf(p, "--- sysray: %llu events not shown", &n), 1);
		noted += n;
	}
	cr_expect_eq(shown + noted, 3000, "shown %llu, noted %llu", shown, noted);
	cr_expect_null(strstr(text, "% time"), "no summary without -C");
	free(text);
	proc_result_free(&r);
}

Test(event_select, calls_seccomp_refused_and_the_summary_after_them)
{
	char *args[] = { "--events", "-C", "-U", "calls,errors,name", "-e", "trace=getppid", NULL };
	char *wl[] = { (char *)workload("known"), "seccomp=3", "getppid=2", NULL };
	struct report_rows rows;
	struct proc_result r;
	char *text, *p, *table;
	int refused = 0, ok = 0;

	text = run_events(args, wl, &r);
	table = strstr(text, "errors syscall");
	cr_assert_not_null(table, "no summary with -C:\n%s", text);
	for (p = text; (p = strstr(p, "getppid()")) && p < table; p++) {
		if (!strncmp(strstr(p, "= "), "= -1 EPERM (Operation not permitted)", 36))
			refused++;
		else
			ok++;
	}
	/* known: getppid=2 first, then the filter and seccomp=3 refused calls */
	cr_expect_eq(refused, 3, "%s", text);
	cr_expect_eq(ok, 2, "%s", text);
	parse_report(table, &rows);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), refused + ok);
	cr_expect_eq(row_errors(&rows, 0, "getppid"), refused);
	free(rows.rows);
	free(text);
	proc_result_free(&r);
}

/* Rows of a CSV file as Python's csv module reads them: "f1\tf2...\n" per row. */
static char *python_csv(const char *path)
{
	static const char prog[] = "import csv, sys\n"
				   "with open(sys.argv[1], newline='') as f:\n"
				   "    for row in csv.reader(f, strict=True):\n"
				   "        print('\\t'.join(row))\n";
	char *argv[] = { "/usr/bin/env", "python3", "-c", (char *)prog, (char *)path, NULL };
	struct proc_result r;
	char *out;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "python3's csv module could not read %s: %s", path, r.err);
	out = r.out;
	free(r.err);
	return out;
}

Test(event_select, summary_csv_reads_back_and_matches_the_json_report)
{
	char *wl[] = { (char *)workload("known"), "getppid=1000", "enoent=50", "write=20", NULL };
	char *csv = tmp_path(".csv");
	char *args[] = { (char *)sysray_bin(),
			 "--format",
			 "csv",
			 "-o",
			 csv,
			 "--",
			 wl[0],
			 wl[1],
			 wl[2],
			 wl[3],
			 NULL };
	struct json_value *root;
	struct proc_result r, rj;
	char *rows, *line, *save = NULL;
	int n = 0;

	cr_assert_eq(run_proc(args, -1, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	rows = python_csv(csv);
	line = strtok_r(rows, "\n", &save);
	cr_assert_str_eq(line,
			 "syscall\tabi\tcalls\terrors\tunfinished\ttotal_ns\tmean_ns\tp50_ns\t"
			 "p90_ns\tp99_ns\tmax_ns");
	/* The same workload's JSON report: its calls, errors and unfinished are the same. */
	root = sysray_json(NULL, wl, &rj);
	while ((line = strtok_r(NULL, "\n", &save))) {
		char name[64], abi[16];
		long long calls, errors, unf, total, p50, p90, p99, max;
		double mean;
		struct json_value *sc;

		cr_assert_eq(sscanf(line, "%63s %15s %lld %lld %lld %lld %lf %lld %lld %lld %lld",
				    name, abi, &calls, &errors, &unf, &total, &mean, &p50, &p90,
				    &p99, &max),
			     11, "%s", line);
		sc = mj_find_syscall(root, name, abi);
		cr_assert_not_null(sc, "%s (%s) not in the JSON report", name, abi);
		cr_expect_eq(calls, mj_num(sc, "calls", -1), "%s", name);
		cr_expect_eq(errors, mj_num(sc, "errors", -1), "%s", name);
		cr_expect_eq(unf, mj_num(sc, "unfinished", -1), "%s", name);
		cr_expect(p50 <= p90 && p90 <= p99 && p99 <= max && mean <= max, "%s", line);
		n++;
	}
	cr_expect_eq(n, (int)mj_get(root, "syscalls")->n, "one row per syscall of the report");
	line = read_file(csv);
	cr_expect(line && strstr(line, "\r\n"), "RFC 4180 ends records with CRLF");
	free(line);
	mj_free(root);
	free(rows);
	unlink(csv);
	free(csv);
	proc_result_free(&r);
	proc_result_free(&rj);
}

Test(event_select, event_csv_reads_back)
{
	char *args[] = { "--events", "--format", "csv", "-e", "trace=openat", "-Z", NULL };
	char *wl[] = { (char *)workload("known"), "enoent=7", NULL };
	char *csv = tmp_path(".csv"), *text, *rows, *line, *save = NULL;
	struct proc_result r;
	FILE *f;
	int n = 0;

	text = run_events(args, wl, &r);
	f = fopen(csv, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	rows = python_csv(csv);
	line = strtok_r(rows, "\n", &save);
	cr_assert_str_eq(line, "time\tmono_ns\tpid\ttid\tcomm\tsyscall\tabi\targs\tret\terrno\t"
			       "duration_ns\tunfinished");
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *f[12], *p = line;

		for (int i = 0; i < 12; i++)
			f[i] = strsep(&p, "\t");
		cr_assert_not_null(f[11], "%s", line);
		cr_expect_str_eq(f[5], "openat");
		cr_expect_str_eq(f[9], "ENOENT", "-Z: failed calls only");
		cr_expect_str_eq(f[8], "-2");
		cr_expect(!strncmp(f[7], "AT_FDCWD, \"", 11), "args: %s", f[7]);
		n += strstr(f[7], "\"/nonexistent") != NULL;
	}
	cr_expect_eq(n, 7, "%s", text);
	unlink(csv);
	free(csv);
	free(rows);
	free(text);
	proc_result_free(&r);
}

/* renacer -c -T --stats-extended: the summary with the extended statistics. */
Test(event_select, renacer_command_line)
{
	char *argv[] = {
		(char *)sysray_bin(), "-c", "-T", "--stats-extended", "--", "/bin/ls", "/", NULL
	};
	struct proc_result r;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "% time") && strstr(r.err, "Latency in microseconds"), "%s", r.err);
	cr_expect(strstr(r.out, "usr"), "ls printed: %s", r.out);
	proc_result_free(&r);
}

/* The tags (hashes of the instructions) of the BPF programs process pid has loaded, once each. */
static int prog_tags(pid_t pid, char tags[][17], int max)
{
	char dir[64], path[320], *info, *t;
	struct dirent *d;
	int n = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", pid);
	dp = opendir(dir);
	cr_assert_not_null(dp);
	while ((d = readdir(dp)) && n < max) {
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		info = read_file(path);
		t = info ? strstr(info, "prog_tag:") : NULL;
		/* Links name their program's tag too: each tag once. */
		if (t && sscanf(t, "prog_tag: %16s", tags[n]) == 1) {
			int k = 0;

			while (k < n && strcmp(tags[k], tags[n]))
				k++;
			n += k == n;
		}
		free(info);
	}
	closedir(dp);
	return n;
}

/*
 * Without --events the event programs are not loaded, and the summary's programs are the
 * same instructions with and without it (their tags are equal): a run without --events
 * costs what it did before events existed.
 */
Test(event_select, summary_programs_are_the_same_with_and_without_events)
{
	char *plain[] = { (char *)sysray_bin(), "-a", "-o", "/dev/null", NULL };
	char *ev[] = { (char *)sysray_bin(), "-a", "--events", "-o", "/dev/null", NULL };
	char a[16][17], b[16][17];
	struct bg_proc p, q;
	struct proc_result r;
	int na, nb;

	cr_assert_eq(bg_start(plain, &p), 0);
	cr_assert(bg_wait_for(p.err_fd, "sysray: tracing", 20000));
	na = prog_tags(p.pid, a, 16);
	cr_assert_eq(bg_start(ev, &q), 0);
	cr_assert(bg_wait_for(q.err_fd, "sysray: tracing", 20000));
	nb = prog_tags(q.pid, b, 16);
	kill(p.pid, SIGINT);
	kill(q.pid, SIGINT);
	cr_assert_eq(bg_finish(&p, &r), 0);
	proc_result_free(&r);
	cr_assert_eq(bg_finish(&q, &r), 0);
	proc_result_free(&r);
	cr_expect_eq(na, 6, "sys_enter, sys_exit, kick and the three sched programs");
	cr_expect_eq(nb, na + 3, "the three event programs more");
	for (int i = 0; i < na; i++) {
		bool found = false;

		for (int k = 0; k < nb; k++)
			found |= !strcmp(a[i], b[k]);
		cr_expect(found, "program %s without --events differs with it", a[i]);
	}
}

/* Lines of call (such as "] read(") that end with " = ?": calls that never returned. */
static int unfinished_lines(const char *text, const char *call)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, call)); p++) {
		const char *nl = strchr(p, '\n');

		n += nl && nl - p >= 4 && !strncmp(nl - 4, " = ?", 4);
	}
	return n;
}

/* Calls that never return: exit_group, and the reads of threads it killed, end with "= ?". */
Test(event_select, calls_that_never_return)
{
	char *args[] = { "--events", "-T", "-e", "trace=read,exit_group", NULL };
	char *wl[] = { (char *)workload("known"), "blocked=2", NULL };
	struct proc_result r;
	char *text;

	text = run_events(args, wl, &r);
	cr_expect_eq(unfinished_lines(text, "] read("), 2, "two threads blocked in read:\n%s",
		     text);
	cr_expect_eq(unfinished_lines(text, "] exit_group("), 1, "%s", text);
	free(text);
	proc_result_free(&r);
}
