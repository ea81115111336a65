// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The examples of docs/json-schema.md and docs/events.md are sysray's real output: each
 * block after a line "<!-- example: NAME -->" is checked against what a real run writes
 * now (JSON: the same members with the same types, at every level; an array in the doc
 * may be shorter; CSV: the same header and as many fields per row). After a change of
 * the output, regenerate the examples from a real run (arrays shortened) and review:
 *
 *   SYSRAY_UPDATE_DOCS=1 make integration   (or the integration tests filtered to docs)
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "minijson.h"
#include "lib/json.h"

TestSuite(docs, .timeout = 180);

/*
 * sysray ARGS -o FILE -- WL: the file's text; the run must succeed. The workload is found on
 * PATH and runs in /tmp, so the examples show "known" and no directory of this machine.
 */
static char *run(char *const args[], char *const wl[])
{
	char *out = tmp_path(".doc"), *argv[48] = { (char *)sysray_bin(), "-o", out }, *text;
	char cwd[4096], path[8192], dir[4096];
	struct proc_result r;
	int n = 3;

	snprintf(dir, sizeof(dir), "%s", workload(""));
	snprintf(path, sizeof(path), "%s:%s", dir, getenv("PATH") ? getenv("PATH") : "/usr/bin");
	setenv("PATH", path, 1);
	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n++] = "--";
	for (int i = 0; wl[i]; i++)
		argv[n++] = wl[i];
	argv[n] = NULL;
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir("/tmp"), 0);
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_assert_eq(chdir(cwd), 0);
	cr_assert_eq(r.status, 0, "sysray failed: %s", r.err);
	text = read_file(out);
	cr_assert_not_null(text);
	unlink(out);
	free(out);
	proc_result_free(&r);
	return text;
}

/* The first line of text that contains all of needles (NULL-terminated), as JSON. */
static struct json_value *line_with(const char *text, const char *const *needles)
{
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		char *line = strndup(l, nl ? (size_t)(nl - l) : strlen(l));
		bool all = true;

		for (int i = 0; needles[i]; i++)
			all &= strstr(line, needles[i]) != NULL;
		if (all) {
			struct json_value *v = mj_parse(line);

			cr_assert_not_null(v, "not JSON: %s", line);
			free(line);
			return v;
		}
		free(line);
		l = nl ? nl + 1 : NULL;
	}
	cr_assert_fail("no line with %s in:\n%s", needles[0], text);
	return NULL;
}

static const char *type_name(enum json_type t)
{
	static const char *const names[] = {
		"null", "bool", "number", "string", "array", "object"
	};

	return names[t];
}

/* An object whose keys are data (errnos by name): numbers under any keys. */
static bool counts_only(const struct json_value *v)
{
	for (size_t i = 0; v->type == JSON_OBJECT && i < v->n; i++)
		if (v->items[i]->type != JSON_NUMBER)
			return false;
	return v->type == JSON_OBJECT;
}

/* -y's paths are there when sysray could find them in time (docs/events.md): optional. */
static bool optional(const char *key)
{
	return !strcmp(key, "path") || !strcmp(key, "ret_path");
}

/* doc has the shape of real: same types, same members; arrays may be shorter in doc. */
static bool same_shape(const struct json_value *doc, const struct json_value *real, char *where,
		       size_t len)
{
	size_t at = strlen(where);

	if (at > 7 && !strcmp(where + at - 7, ".errnos") && counts_only(doc) && counts_only(real))
		return true;
	if (doc->type != real->type) {
		snprintf(where + at, len - at, ": %s in the doc, %s in the output",
			 type_name(doc->type), type_name(real->type));
		return false;
	}
	if (doc->type == JSON_OBJECT) {
		for (size_t i = 0; i < real->n; i++) {
			const struct json_value *d = json_get(doc, real->keys[i]);

			snprintf(where + at, len - at, ".%s", real->keys[i]);
			if (!d && optional(real->keys[i]))
				continue;
			if (!d) {
				strncat(where, ": missing in the doc", len - strlen(where) - 1);
				return false;
			}
			if (!same_shape(d, real->items[i], where, len))
				return false;
		}
		for (size_t i = 0; i < doc->n; i++) {
			if (!json_get(real, doc->keys[i]) && !optional(doc->keys[i])) {
				snprintf(where + at, len - at, ".%s: not in the output",
					 doc->keys[i]);
				return false;
			}
		}
	} else if (doc->type == JSON_ARRAY) {
		if (doc->n > real->n) {
			snprintf(where + at, len - at, ": %zu items in the doc, %zu in the output",
				 doc->n, real->n);
			return false;
		}
		for (size_t i = 0; i < doc->n; i++) {
			snprintf(where + at, len - at, "[%zu]", i);
			if (!same_shape(doc->items[i], real->items[i], where, len))
				return false;
		}
	}
	where[at] = 0;
	return true;
}

static bool scalars_only(const struct json_value *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i]->type == JSON_OBJECT ||
		    (v->items[i]->type == JSON_ARRAY && !scalars_only(v->items[i])))
			return false;
	return true;
}

/* Indented, small containers on one line, arrays of objects (but "args") cut to one item. */
static void put(struct json_writer *w, const struct json_value *v, bool whole)
{
	int indent = w->indent;
	size_t n = v->n;

	switch (v->type) {
	case JSON_NULL:
		json_writer__null(w);
		return;
	case JSON_BOOL:
		json_writer__bool(w, v->boolean);
		return;
	case JSON_NUMBER:
		if (v->is_uint)
			json_writer__u64(w, v->uint);
		else if (v->num == (long long)v->num)
			json_writer__s64(w, (long long)v->num);
		else
			json_writer__double(w, v->num);
		return;
	case JSON_STRING:
		json_writer__string_len(w, v->str, v->str_len);
		return;
	default:
		break;
	}
	if (v->type == JSON_ARRAY) {
		json_writer__begin_array(w);
		if (n > 1 && v->items[0]->type == JSON_OBJECT && !whole)
			n = 1;
		if (n > 3 && v->items[0]->type == JSON_ARRAY)
			n = 3;
	} else {
		json_writer__begin_object(w);
	}
	if (scalars_only(v))
		json_writer__set_indent(w, 0);
	for (size_t i = 0; i < n; i++) {
		if (v->type == JSON_OBJECT)
			json_writer__key(w, v->keys[i]);
		put(w, v->items[i], v->type == JSON_OBJECT && !strcmp(v->keys[i], "args"));
	}
	if (v->type == JSON_ARRAY)
		json_writer__end_array(w);
	else
		json_writer__end_object(w);
	json_writer__set_indent(w, indent);
}

static char *pretty(const struct json_value *v)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	json_writer__init(&w, f, 2);
	put(&w, v, false);
	cr_assert_eq(json_writer__end(&w), 0);
	fclose(f);
	return buf;
}

/* Header and rows of CSV text, cut to three rows, as the doc shows them. */
static char *csv_head(const char *text)
{
	const char *p = text;

	for (int i = 0; i < 4 && p && *p; i++)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	return strndup(text, p ? (size_t)(p - text) : strlen(text));
}

static int csv_fields(const char *line, size_t len)
{
	int n = 1;
	bool q = false;

	for (size_t i = 0; i < len; i++) {
		if (line[i] == '"')
			q = !q;
		else if (line[i] == ',' && !q)
			n++;
	}
	return n;
}

/* The CSV of the doc: the output's header, and rows with as many fields. */
static void check_csv(const char *name, const char *doc, const char *real)
{
	size_t hl = strcspn(real, "\r\n");
	int nf = csv_fields(real, hl);

	cr_expect(!strncmp(doc, real, hl) && (doc[hl] == '\n' || doc[hl] == '\r'),
		  "example %s: header differs from the output's:\n%.*s", name, (int)hl, real);
	for (const char *l = doc; *l;) {
		size_t n = strcspn(l, "\r\n");

		if (n)
			cr_expect_eq(csv_fields(l, n), nf, "example %s: %.*s", name, (int)n, l);
		l += n;
		l += strspn(l, "\r\n");
	}
}

struct example {
	const char *name;
	struct json_value *json; /* or */
	char *csv;
};

/* Check (or with SYSRAY_UPDATE_DOCS, rewrite) every example of path. */
static void check_doc(const char *path, struct example *ex, int nex)
{
	char *doc = read_file(path), marker[96];
	bool update = getenv("SYSRAY_UPDATE_DOCS");
	FILE *out = NULL;
	char *cur;

	cr_assert_not_null(doc, "cannot read %s (run the tests from the top of the tree)", path);
	if (update) {
		out = fopen(path, "w");
		cr_assert_not_null(out);
	}
	cur = doc;
	for (int i = 0; i < nex; i++) {
		char *m, *begin, *end, *block, *real;

		snprintf(marker, sizeof(marker), "<!-- example: %s -->\n", ex[i].name);
		m = strstr(doc, marker);
		cr_assert_not_null(m, "%s: no '%s'", path, marker);
		begin = strstr(m, "```");
		begin = begin ? strchr(begin, '\n') : NULL;
		end = begin ? strstr(begin + 1, "```") : NULL;
		cr_assert(begin && end && m >= cur, "%s: example %s out of order", path,
			  ex[i].name);
		begin++;
		block = strndup(begin, end - begin);
		real = ex[i].json ? pretty(ex[i].json) : csv_head(ex[i].csv);
		if (update) {
			fwrite(cur, 1, begin - cur, out);
			for (const char *c = real; *c; c++)
				if (*c != '\r')
					fputc(*c, out);
			cur = end;
		} else if (ex[i].json) {
			struct json_value *d = mj_parse(block);
			char where[512] = "";

			cr_expect_not_null(d, "%s: example %s is not JSON:\n%s", path, ex[i].name,
					   block);
			if (d)
				cr_expect(
				    same_shape(d, ex[i].json, where, sizeof(where)),
				    "%s: example %s: %s\n(SYSRAY_UPDATE_DOCS=1 rewrites it from "
				    "the output now:)\n%s",
				    path, ex[i].name, where[0] ? where : "(top)", real);
			mj_free(d);
		} else {
			check_csv(ex[i].name, block, ex[i].csv);
		}
		free(block);
		free(real);
	}
	if (update) {
		fputs(cur, out);
		cr_assert_eq(fclose(out), 0);
	}
	free(doc);
}

static struct json_value *syscall_of(struct json_value *root, const char *name)
{
	struct json_value *sc = mj_find_syscall(root, name, "x86_64");

	cr_assert_not_null(sc, "no %s in the report", name);
	return sc;
}

Test(docs, json_schema_examples_are_real_output)
{
	char *wl[] = { "known", "getppid=100", "enoent=5", "write=3", NULL };
	char *sleep_wl[] = { "sleeper", "20000x10", NULL };
	char *whole[] = { "--format", "json", "-P", "--anomaly", "-e", "trace=%file,getppid",
			  "--uid",   "0",    NULL };
	char *iv[] = { "--format", "json", "-P", "-i", "0.05", NULL };
	char *csv[] = { "--format", "csv", NULL };
	/* The first interval with a call in it: under load the first ones may be empty. */
	const char *first_interval[] = { "\"interval\"", "clock_nanosleep", NULL };
	char *t1 = run(whole, wl), *t2 = run(iv, sleep_wl), *t3 = run(csv, wl);
	struct json_value *root = mj_parse(t1), *interval = line_with(t2, first_interval);
	struct example ex[] = {
		{ "profile", root, NULL },
		{ "syscall", syscall_of(root, "openat"), NULL },
		{ "group", mj_get(root, "processes_detail")->items[0], NULL },
		{ "interval", interval, NULL },
		{ "summary-csv", NULL, t3 },
	};

	cr_assert_not_null(root, "%s", t1);
	check_doc("docs/json-schema.md", ex, sizeof(ex) / sizeof(ex[0]));
	mj_free(root);
	mj_free(interval);
	free(t1);
	free(t2);
	free(t3);
}

Test(docs, event_examples_are_real_output)
{
	char *wl[] = { "known", "write=1", "enoent=1", NULL };
	char *storm[] = { "known", "getppid=500", NULL };
	char *ev[] = {
		"--events",	     "--format", "json", "-y", "-e", "trace=openat,exit_group",
		"--events-max-rate", "0",	 NULL
	};
	char *rate[] = { "--events",	  "--format",	       "json", "-e",
			 "trace=getppid", "--events-max-rate", "10",   NULL };
	char *csv[] = { "--events", "--format", "csv", "-y", "-e", "trace=openat,close", NULL };
	char *text[] = { "--events", "-tt", "-T", "-y", "-e", "trace=openat,write,close", NULL };
	const char *ok[] = { "\"/dev/null\"", NULL }, *failed[] = { "ENOENT", NULL };
	const char *unfinished[] = { "exit_group", NULL }, *lost[] = { "\"lost\"", NULL };
	char *t1 = run(ev, wl), *t2 = run(rate, storm), *t3 = run(csv, wl), *t4 = run(text, wl);
	struct example ex[] = {
		{ "event", line_with(t1, ok), NULL },
		{ "event-failed", line_with(t1, failed), NULL },
		{ "event-unfinished", line_with(t1, unfinished), NULL },
		{ "lost", line_with(t2, lost), NULL },
		{ "events-csv", NULL, t3 },
	};

	check_doc("docs/events.md", ex, sizeof(ex) / sizeof(ex[0]));
	/* The text example: strace's layout, with -y paths, durations and timestamps. */
	cr_expect(strstr(t4, "openat(AT_FDCWD") && strstr(t4, "\"/dev/null\", O_WRONLY) = ") &&
		      strstr(t4, "</dev/null>"),
		  "%s", t4);
	for (size_t i = 0; i < 4; i++)
		mj_free(ex[i].json);
	free(t1);
	free(t2);
	free(t3);
	free(t4);
}

/*
 * The manual renders without a groff warning (-ww: all of them), and make install puts it
 * where man finds it: DESTDIR/PREFIX/share/man/man1, byte for byte (-o sysray: install the
 * binary built, do not rebuild it from the test).
 */
Test(docs, man_page_renders_and_installs)
{
	char *groff[] = { "/usr/bin/groff", "-man", "-ww", "-z", "docs/sysray.1", NULL };
	char *dest = tmp_path(".install"), *page, *installed, *mp;
	char *make[] = {
		"/usr/bin/make", "--no-print-directory", "-o", "sysray", "install", NULL, NULL
	};
	char *rm[] = { "/bin/rm", "-rf", dest, NULL };
	char *man[] = { "/usr/bin/man", "-l", NULL, NULL };
	struct proc_result r;

	cr_assert_eq(run_proc(groff, -1, &r), 0);
	cr_expect_eq(r.status, 0, "groff failed");
	cr_expect_str_eq(r.err, "", "groff warns about docs/sysray.1:\n%s", r.err);
	proc_result_free(&r);

	cr_assert(asprintf(&make[5], "DESTDIR=%s", dest) > 0);
	cr_assert_eq(run_proc(make, -1, &r), 0);
	cr_expect_eq(r.status, 0, "make install failed: %s", r.err);
	proc_result_free(&r);
	cr_assert(asprintf(&mp, "%s/usr/local/share/man/man1/sysray.1", dest) > 0);
	page = read_file("docs/sysray.1");
	installed = read_file(mp);
	cr_assert_not_null(page);
	cr_expect(installed && !strcmp(page, installed), "%s is not docs/sysray.1", mp);
	man[2] = mp;
	cr_assert_eq(run_proc(man, -1, &r), 0);
	cr_expect_eq(r.status, 0, "man -l %s: %s", mp, r.err);
	cr_expect(strstr(r.out, "--min-duration") || strstr(r.out, "‐‐min‐duration"),
		  "man -l shows no --min-duration:\n%.400s", r.out);
	proc_result_free(&r);
	run_proc(rm, -1, &r);
	proc_result_free(&r);
	free(page);
	free(installed);
	free(mp);
	free(make[5]);
	free(dest);
}
