// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --events against strace on the same run: both attach to a stopped process, which then
 * goes on; every thread's sequence of (syscall, result) must be the same, the path strings
 * the same, the -y paths sysray prints the ones strace prints, and durations within the
 * workload's own timing. Needs root and strace.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"

struct call {
	int tid;
	char name[64];
	char result[160]; /* "3", "0x7f00", "-1 ENOENT (No such file...)", "?" */
	char *line;
	long dur_us; /* sysray -T, else -1 */
};

struct calls {
	struct call *v;
	int n;
};

/* "name(args) = result [<dur>]" into c; false for other lines (signals, exits). */
static bool parse_call(const char *line, int tid, struct call *c)
{
	const char *open = strchr(line, '('), *eq = NULL, *p;
	char res[128];

	if (!open || line[0] == '-' || line[0] == '+' || open - line >= 64)
		return false;
	/* The last " = ": no path of these workloads holds one. */
	for (p = line; (p = strstr(p, " = ")); p++)
		eq = p;
	if (!eq || sscanf(eq + 3, "%127s", res) != 1)
		return false;
	memset(c, 0, sizeof(*c));
	c->tid = tid;
	c->dur_us = -1;
	snprintf(c->name, sizeof(c->name), "%.*s", (int)(open - line), line);
	eq += 3;
	if ((!strcmp(res, "-1") || !strcmp(res, "?")) && eq[strlen(res)] == ' ' &&
	    eq[strlen(res) + 1] != '<') {
		const char *rest = eq + strlen(res) + 1, *end = strstr(rest, ") <");

		/* "-1 ENOENT (No such file or directory)": the name and strerror's text */
		end = end ? end + 1 : rest + strlen(rest);
		snprintf(c->result, sizeof(c->result), "%s %.*s", res, (int)(end - rest), rest);
	} else {
		/* A returned descriptor with its path (-y): the number alone. */
		res[strcspn(res, "<")] = 0;
		snprintf(c->result, sizeof(c->result), "%s", res);
	}
	p = strrchr(eq, '<');
	if (p && p[-1] == ' ' && p[1] >= '0' && p[1] <= '9') {
		long sec, us;

		if (sscanf(p, "<%ld.%ld>", &sec, &us) == 2)
			c->dur_us = sec * 1000000 + us;
	}
	c->line = strdup(line);
	return true;
}

static void add(struct calls *cs, const struct call *c)
{
	cs->v = realloc(cs->v, (cs->n + 1) * sizeof(*cs->v));
	cs->v[cs->n++] = *c;
}

/* strace -ff -o PREFIX: one file per thread, PREFIX.TID. */
static void read_strace(const char *dir, struct calls *cs)
{
	struct dirent *d;
	DIR *dp = opendir(dir);

	cr_assert_not_null(dp);
	while ((d = readdir(dp))) {
		char path[600], *text, *line, *save = NULL;
		int tid;

		if (sscanf(d->d_name, "st.%d", &tid) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		text = read_file(path);
		cr_assert_not_null(text);
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			struct call c;

			if (parse_call(line, tid, &c))
				add(cs, &c);
		}
		free(text);
	}
	closedir(dp);
}

static void read_sysray(const char *text, struct calls *cs)
{
	char *copy = strdup(text), *line, *save = NULL;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct call c;
		int tid, skip = 0;

		if (sscanf(line, "[pid %d] %n", &tid, &skip) != 1 || !skip)
			continue;
		cr_assert(parse_call(line + skip, tid, &c), "not an event line: %s", line);
		add(cs, &c);
	}
	free(copy);
}

/* The calls of one thread, in order. */
static int of_thread(const struct calls *cs, int tid, const struct call **out, int max)
{
	int n = 0;

	for (int i = 0; i < cs->n && n < max; i++)
		if (cs->v[i].tid == tid)
			out[n++] = &cs->v[i];
	return n;
}

/* The i-th quoted string of a line, or NULL. */
static bool quoted(const char *line, int i, char *buf, size_t len)
{
	const char *p = line;

	for (int k = 0; (p = strchr(p, '"')); k++) {
		const char *q = ++p;

		while (*q && *q != '"')
			q += *q == '\\' && q[1] ? 2 : 1;
		if (k == i) {
			snprintf(buf, len, "%.*s", (int)(q - p), p);
			return true;
		}
		p = *q ? q + 1 : q;
	}
	return false;
}

/*
 * The arguments, "(...)" up to the result, of a call whose every argument sysray decodes
 * as strace does (numbers, descriptors, paths, open flags, octal modes), without the -y
 * paths (check_fd_paths compares those: sysray leaves out one it cannot be sure of, such
 * as that of a file renamed since it was opened); else false.
 */
static bool all_args(const struct call *c, char *buf, size_t len)
{
	static const char *const full[] = { "openat", "mkdir", "rmdir", "unlink",
					    "rename", "chdir", "close", "exit_group" };
	const char *open = strchr(c->line, '('), *end = NULL;
	bool known = false, in_str = false;
	size_t n = 0;

	for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++)
		known |= !strcmp(c->name, full[i]);
	/* the last " = ", before the padding that aligns it */
	for (const char *p = c->line; (p = strstr(p, " = ")); p++)
		end = p;
	while (end && end > c->line && end[-1] == ' ')
		end--;
	if (!known || !open || !end || end[-1] != ')')
		return false;
	for (const char *p = open; p < end && n + 1 < len; p++) {
		if (*p == '"' && (p == open || p[-1] != '\\'))
			in_str = !in_str;
		if (!in_str && *p == '<') {
			p = strchr(p, '>');
			if (!p || p >= end)
				return false;
			continue;
		}
		buf[n++] = *p;
	}
	buf[n] = 0;
	return true;
}

/* Every "N<path>" and "AT_FDCWD<path>" of sysray's line is in strace's; how many. */
static int check_fd_paths(const struct call *s, const struct call *t)
{
	const char *p = s->line;
	int n = 0;

	for (; (p = strchr(p, '<')); p++) {
		const char *a = p, *end = strchr(p, '>');
		char tok[400];

		while (a > s->line && (a[-1] == '_' || (a[-1] >= 'A' && a[-1] <= 'Z') ||
				       (a[-1] >= '0' && a[-1] <= '9')))
			a--;
		/* "<0.000012>" after a blank is -T's duration, not a path */
		if (a == p || !end)
			continue;
		snprintf(tok, sizeof(tok), "%.*s", (int)(end + 1 - a), a);
		cr_expect(strstr(t->line, tok), "sysray: %s\nstrace: %s\n(%s)", s->line, t->line,
			  tok);
		n++;
	}
	return n;
}

static bool wait_stopped(pid_t pid)
{
	char path[64], *st;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 500; i++) {
		st = read_file(path);
		if (st && strstr(st, ") T ")) {
			free(st);
			return true;
		}
		free(st);
		usleep(10000);
	}
	return false;
}

/* The workload's open of DIR/NAME returned a descriptor shown with that path (-y). */
static void expect_open_path(const char *text, const char *dir, const char *name)
{
	char call[300], path[300];
	const char *line, *eq, *nl;

	snprintf(call, sizeof(call), "\"%s/%s\", O_WRONLY|O_CREAT|O_TRUNC", dir, name);
	snprintf(path, sizeof(path), "<%s/%s>", dir, name);
	line = strstr(text, call);
	cr_assert_not_null(line, "no open of %s in:\n%s", name, text);
	eq = strstr(line, ") = ");
	nl = strchr(line, '\n');
	cr_expect(eq && nl && eq < nl && !strncmp(strchr(eq, '<'), path, strlen(path)),
		  "the open of %s returned no %s:\n%.*s", name, path, (int)(nl - line), line);
}

TestSuite(events, .timeout = 180);

static void compare(const struct calls *sy, const struct calls *st, int *paths, int *fds,
		    int *whole)
{
	int tids[64], nt = 0;

	for (int i = 0; i < st->n; i++) {
		bool seen = false;

		for (int k = 0; k < nt; k++)
			seen |= tids[k] == st->v[i].tid;
		if (!seen && nt < 64)
			tids[nt++] = st->v[i].tid;
	}
	cr_expect_eq(nt, 2, "two threads in strace's output");
	for (int k = 0; k < nt; k++) {
		const struct call *a[4096], *b[4096];
		int na = of_thread(sy, tids[k], a, 4096), nb = of_thread(st, tids[k], b, 4096);

		cr_expect_eq(na, nb, "thread %d: sysray %d calls, strace %d", tids[k], na, nb);
		for (int i = 0; i < na && i < nb; i++) {
			char x[512], y[512];

			cr_assert_str_eq(a[i]->name, b[i]->name, "thread %d call %d:\n%s\n%s",
					 tids[k], i, a[i]->line, b[i]->line);
			cr_expect_str_eq(a[i]->result, b[i]->result, "%s\n%s", a[i]->line,
					 b[i]->line);
			for (int s = 0; quoted(a[i]->line, s, x, sizeof(x)); s++) {
				cr_expect(quoted(b[i]->line, s, y, sizeof(y)) && !strcmp(x, y),
					  "string %d:\n%s\n%s", s, a[i]->line, b[i]->line);
				*paths += 1;
			}
			*fds += check_fd_paths(a[i], b[i]);
			if (all_args(a[i], x, sizeof(x)) && all_args(b[i], y, sizeof(y))) {
				cr_expect_str_eq(x, y, "arguments:\n%s\n%s", a[i]->line,
						 b[i]->line);
				*whole += 1;
			}
		}
	}
}

Test(events, lines_match_strace_for_the_same_run)
{
	char dir[] = "/tmp/sysray-ev-XXXXXX", stdir[] = "/tmp/sysray-st-XXXXXX";
	char *out = tmp_path(".events"), prefix[64], pid[16], *text;
	struct calls sy = { 0 }, st = { 0 };
	struct bg_proc wl, tr, sr;
	struct proc_result r, rt, rs;
	unsigned long long req, own;
	int paths = 0, fds = 0, whole = 0;

	cr_assert_eq(access("/usr/bin/strace", X_OK), 0, "strace is not installed");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_not_null(mkdtemp(stdir));
	snprintf(prefix, sizeof(prefix), "%s/st", stdir);
	{
		char *wargv[] = { (char *)workload("files"), "stop", dir, NULL };

		cr_assert_eq(bg_start(wargv, &wl), 0);
	}
	cr_assert(wait_stopped(wl.pid), "the workload did not stop itself");
	snprintf(pid, sizeof(pid), "%d", wl.pid);
	{
		char *targv[] = { "/usr/bin/strace", "-ff", "-y", "-o", prefix, "-p", pid, NULL };
		char *sargv[] = { (char *)sysray_bin(),
				  "--events",
				  "-y",
				  "-T",
				  "-s",
				  "4096",
				  "--events-max-rate",
				  "0",
				  "-o",
				  out,
				  "-p",
				  pid,
				  NULL };

		cr_assert_eq(bg_start(targv, &tr), 0);
		cr_assert(bg_wait_for(tr.err_fd, "attached", 20000), "strace did not attach");
		cr_assert_eq(bg_start(sargv, &sr), 0);
		cr_assert(bg_wait_for(sr.err_fd, "sysray: tracing", 20000), "sysray did not start");
	}
	kill(wl.pid, SIGCONT);
	cr_assert_eq(bg_finish(&wl, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(bg_finish(&tr, &rt), 0);
	cr_assert_eq(bg_finish(&sr, &rs), 0);
	cr_assert_eq(rs.status, 0, "sysray: %s", rs.err);
	cr_assert_eq(
	    sscanf(strstr(r.out, "files: ") ?: "", "files: sleep_ns=%llu own_ns=%llu", &req, &own),
	    2, "%s", r.out);

	text = read_file(out);
	cr_assert_not_null(text);
	read_sysray(text, &sy);
	read_strace(stdir, &st);
	cr_assert_gt(st.n, 30, "strace saw %d calls", st.n);
	compare(&sy, &st, &paths, &fds, &whole);
	cr_expect_geq(paths, 15, "only %d path strings compared", paths);
	cr_expect_geq(whole, 12, "only %d calls' arguments compared whole", whole);

	/* The paths the workload's own opens returned are always known (learned if need be). */
	expect_open_path(text, dir, "a");
	expect_open_path(text, dir, "thread-file");
	cr_expect_geq(fds, 2);
	/* The 20 ms sleep: within what was asked and what the workload measured itself. */
	for (int i = 0; i < sy.n; i++) {
		if (strcmp(sy.v[i].name, "nanosleep"))
			continue;
		cr_expect(
		    sy.v[i].dur_us >= (long)(req / 1000) && sy.v[i].dur_us <= (long)(own / 1000),
		    "nanosleep %ld us, asked %llu ns, took %llu ns", sy.v[i].dur_us, req, own);
	}
	for (int i = 0; i < sy.n; i++)
		free(sy.v[i].line);
	for (int i = 0; i < st.n; i++)
		free(st.v[i].line);
	free(sy.v);
	free(st.v);
	free(text);
	unlink(out);
	free(out);
	proc_result_free(&r);
	proc_result_free(&rt);
	proc_result_free(&rs);
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", dir, stdir);
		cr_expect_eq(system(cmd), 0);
	}
}

/* The wall clock now, in seconds since the epoch. */
static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A timestamp of -t, -tt or -ttt at the start of a line after "[pid N] ", as seconds since
 * the epoch (the day of t0 for the local times); -1 when its layout is not strace's.
 */
static double line_time(const char *l, int t, double t0)
{
	time_t day = (time_t)t0;
	struct tm tm;
	int h, m, s, us, n = 0;
	long long sec;

	localtime_r(&day, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	if (t == 3)
		return sscanf(l, "%lld.%6d %n", &sec, &us, &n) == 2 && n == 18 ? sec + us / 1e6
									       : -1;
	if (t == 2 && !(sscanf(l, "%2d:%2d:%2d.%6d %n", &h, &m, &s, &us, &n) == 4 && n == 16))
		return -1;
	if (t == 1 && !(sscanf(l, "%2d:%2d:%2d %n", &h, &m, &s, &n) == 3 && n == 9))
		return -1;
	return mktime(&tm) + h * 3600 + m * 60 + s + (t == 2 ? us / 1e6 : 0);
}

/*
 * -e trace=%file -Z: the failed file calls, decided in the kernel, are strace's for the
 * same (deterministic) workload: the same calls with the same strings, errno names and
 * strerror texts; each line's -t/-tt/-ttt time is strace's layout and lies within the run.
 */
Test(events, failed_file_calls_and_timestamps_as_strace)
{
	char *out = tmp_path(".st"), *wl = (char *)workload("known");
	char *st[] = { "/usr/bin/strace", "-Z",	     "-e", "trace=%file", "-o", out, "--", wl,
		       "enoent=3",	  "write=2", NULL };
	static char *const ts[] = { "-t", "-tt", "-ttt" };
	struct calls want = { 0 };
	struct proc_result r;
	char *text, *line, *save = NULL;

	cr_assert_eq(access("/usr/bin/strace", X_OK), 0, "strace is not installed");
	cr_assert_eq(run_proc(st, -1, &r), 0);
	cr_assert_eq(r.status, 0, "strace: %s", r.err);
	proc_result_free(&r);
	text = read_file(out);
	cr_assert_not_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct call c;

		if (parse_call(line, 0, &c))
			add(&want, &c);
	}
	free(text);
	cr_assert_geq(want.n, 3, "strace saw %d failed file calls", want.n);
	for (int t = 1; t <= 3; t++) {
		char *sy[] = { (char *)sysray_bin(),
			       "--events",
			       ts[t - 1],
			       "-T",
			       "-e",
			       "trace=%file",
			       "-Z",
			       "-o",
			       out,
			       "--",
			       wl,
			       "enoent=3",
			       "write=2",
			       NULL };
		double t0 = wall_now(), t1;
		int k = 0;

		cr_assert_eq(run_proc(sy, -1, &r), 0);
		t1 = wall_now();
		cr_assert_eq(r.status, 0, "sysray: %s", r.err);
		proc_result_free(&r);
		text = read_file(out);
		cr_assert_not_null(text);
		save = NULL;
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			const char *l = strchr(line, ']');
			char *sp = l ? strchr(l + 2, ' ') : NULL;
			double when = l ? line_time(l + 2, t, t0) : -1;
			struct call c;
			char x[512], y[512];

			cr_assert(sp && parse_call(sp + 1, 0, &c), "not an event line: %s", line);
			cr_assert_lt(k, want.n, "more calls than strace's:\n%s", line);
			cr_expect_str_eq(c.name, want.v[k].name, "%s\n%s", line, want.v[k].line);
			cr_expect_str_eq(c.result, want.v[k].result, "%s\n%s", line,
					 want.v[k].line);
			for (int s = 0; quoted(c.line, s, x, sizeof(x)); s++)
				cr_expect(quoted(want.v[k].line, s, y, sizeof(y)) && !strcmp(x, y),
					  "string %d:\n%s\n%s", s, line, want.v[k].line);
			/* -t has whole seconds: the second the run began counts */
			cr_expect(when >= (t == 1 ? (long)t0 : t0 - 1e-6) && when <= t1,
				  "%s: %.6f outside the run [%.6f, %.6f]", line, when, t0, t1);
			cr_expect(c.dur_us >= 0 && c.dur_us <= (t1 - t0) * 1e6, "-T: %s", line);
			free(c.line);
			k++;
		}
		cr_expect_eq(k, want.n, "%s: %d calls, strace %d", ts[t - 1], k, want.n);
		free(text);
	}
	for (int i = 0; i < want.n; i++)
		free(want.v[i].line);
	free(want.v);
	unlink(out);
	free(out);
}

/* -s N: a path longer than N bytes shows its first N, then "..." after the quote (strace). */
Test(events, string_limit_cuts_paths)
{
	char *out = tmp_path(".ev");
	char *argv[] = { (char *)sysray_bin(),
			 "--events",
			 "-s",
			 "8",
			 "-Z",
			 "-e",
			 "trace=openat",
			 "-o",
			 out,
			 "--",
			 (char *)workload("known"),
			 "enoent=2",
			 NULL };
	const char *want = "openat(AT_FDCWD, \"/nonexis\"..., O_RDONLY) = -1 ENOENT (No such "
			   "file or directory)\n";
	struct proc_result r;
	char *text, *p;
	int n = 0;

	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(r.status, 0, "sysray: %s", r.err);
	text = read_file(out);
	cr_assert_not_null(text);
	for (p = text; (p = strstr(p, want)); p++)
		n++;
	cr_expect_eq(n, 2, "two cut paths in:\n%s", text);
	free(text);
	unlink(out);
	free(out);
	proc_result_free(&r);
}
