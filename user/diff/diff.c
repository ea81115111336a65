// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sysray diff: load two profiles, match their syscalls and apply the rules. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "diff/diff.h"
#include "diff/json_read.h"
#include "lib/log.h"

#define PROFILE_SCHEMA	  "sysray.profile/1"
#define DIFF_INTERVAL_MSG "interval reports (-i, JSON Lines): give a profile made without -i"

void diff_rules__default(struct diff_rules *r)
{
	*r = (struct diff_rules){
		.max_calls_pct = 10,
		.max_errors_pct = 10,
		.max_p99_pct = 20,
		.max_total_pct = 10,
		.min_calls = 100,
		.new_anomalies = true,
	};
}

/* One syscall entry of one profile, before matching. */
struct entry {
	const char *name, *abi;
	bool is_new;
	struct diff_side side;
};

static int read_entry(const struct json_value *v, size_t i, struct entry *e, char *err,
		      size_t errlen)
{
	static const char *const keys[] = { "calls", "errors", "p99_ns", "total_ns" };
	uint64_t *vals[] = { &e->side.calls, &e->side.errors, &e->side.p99_ns };

	e->name = json_get_str(v, "name");
	e->abi = json_get_str(v, "abi");
	if (!e->name || !e->abi) {
		snprintf(err, errlen, "syscalls[%zu]: no \"name\" or \"abi\" string", i);
		return -EINVAL;
	}
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		int rc = k < ARRAY_SIZE(vals) ? json_get_u64(v, keys[k], vals[k])
					      : json_get_u128(v, keys[k], &e->side.total_ns);

		/* Latencies came after calls and errors in the schema: missing means 0. */
		if (rc == -ENOENT && k >= 2)
			continue;
		if (rc) {
			snprintf(err, errlen, "syscalls[%zu] (%s): \"%s\" is %s", i, e->name,
				 keys[k], rc == -ENOENT ? "missing" : "not an unsigned integer");
			return -EINVAL;
		}
	}
	e->side.present = true;
	return 0;
}

/* Appends the profile's entries to *ents. err gets the reason, without the file name. */
static int read_profile(const struct json_value *root, bool is_new, struct entry **ents, size_t *n,
			char *err, size_t errlen)
{
	const struct json_value *sc;
	const char *schema;
	struct entry *e;

	schema = json_get_str(root, "schema");
	if (!schema || strcmp(schema, PROFILE_SCHEMA)) {
		snprintf(err, errlen, "not a sysray profile: schema %s%s%s, expected \"%s\"",
			 schema ? "\"" : "", schema ? schema : "missing", schema ? "\"" : "",
			 PROFILE_SCHEMA);
		return -EINVAL;
	}
	if (json_get(root, "interval")) {
		snprintf(err, errlen, DIFF_INTERVAL_MSG);
		return -EINVAL;
	}
	sc = json_get(root, "syscalls");
	if (!sc || sc->type != JSON_ARRAY) {
		snprintf(err, errlen, "no \"syscalls\" array");
		return -EINVAL;
	}
	e = realloc(*ents, (*n + sc->n) * sizeof(*e));
	if (!e && *n + sc->n) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*ents = e;
	for (size_t i = 0; i < sc->n; i++) {
		int rc = read_entry(sc->items[i], i, &e[*n], err, errlen);

		if (rc)
			return rc;
		e[*n].is_new = is_new;
		(*n)++;
	}
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->abi, y->abi);

	if (!c)
		c = strcmp(x->name, y->name);
	return c ? c : (int)x->is_new - (int)y->is_new;
}

bool diff_exceeds(uint64_t old, uint64_t new, double pct)
{
	if (pct < 0 || new <= old)
		return false;
	return !old || (double)(new - old) * 100.0 > pct * (double)old;
}

static unsigned int evaluate(const struct diff_row *r, const struct diff_rules *rules)
{
	const struct diff_side *o = &r->old, *n = &r->new;
	unsigned int broken = 0;

	if (!o->present)
		return rules->new_syscalls ? DIFF_BREAK_NEW : 0;
	if (!n->present)
		return 0;
	if (diff_exceeds(o->calls, n->calls, rules->max_calls_pct))
		broken |= DIFF_BREAK_CALLS;
	if (diff_exceeds(o->errors, n->errors, rules->max_errors_pct))
		broken |= DIFF_BREAK_ERRORS;
	/* A p99 of 0 means no timed call: nothing to compare. */
	if (o->calls >= rules->min_calls && n->calls >= rules->min_calls && o->p99_ns &&
	    diff_exceeds(o->p99_ns, n->p99_ns, rules->max_p99_pct))
		broken |= DIFF_BREAK_P99;
	return broken;
}

/* p99 counts as a change only where its rule looks: a handful of calls is noise. */
static bool changed(const struct diff_row *r, const struct diff_rules *rules)
{
	if (r->broken || !r->old.present || !r->new.present || r->old.calls != r->new.calls ||
	    r->old.errors != r->new.errors)
		return true;
	return r->old.calls >= rules->min_calls && r->new.calls >= rules->min_calls &&
	       r->old.p99_ns != r->new.p99_ns;
}

static unsigned __int128 total_delta(const struct diff_row *r)
{
	unsigned __int128 o = r->old.present ? r->old.total_ns : 0;
	unsigned __int128 n = r->new.present ? r->new.total_ns : 0;

	return o > n ? o - n : n - o;
}

/* Breaks first, then the largest change in total time, then by ABI and name. */
static int cmp_row(const void *a, const void *b)
{
	const struct diff_row *x = a, *y = b;
	unsigned __int128 dx = total_delta(x), dy = total_delta(y);
	int c;

	if (!x->broken != !y->broken)
		return x->broken ? -1 : 1;
	if (dx != dy)
		return dx > dy ? -1 : 1;
	c = strcmp(x->abi, y->abi);
	return c ? c : strcmp(x->name, y->name);
}

int diff_profiles(const struct json_value *old, const char *old_name, const struct json_value *new,
		  const char *new_name, const struct diff_rules *rules, struct diff_result *res,
		  char *err, size_t errlen)
{
	struct entry *ents = NULL;
	bool read_old_ok;
	size_t n = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	rc = read_profile(old, false, &ents, &n, err, errlen);
	read_old_ok = !rc;
	if (!rc)
		rc = read_profile(new, true, &ents, &n, err, errlen);
	if (rc) {
		/* Name the file the reason is about. */
		char why[256];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "'%s': %s", read_old_ok ? new_name : old_name, why);
		goto cleanup;
	}
	if (n)
		qsort(ents, n, sizeof(*ents), cmp_entry);
	res->rows = calloc(n ? n : 1, sizeof(*res->rows));
	if (!res->rows) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n;) {
		struct diff_row r = { .name = ents[i].name, .abi = ents[i].abi };
		size_t j = i;

		for (; j < n && !strcmp(ents[j].abi, r.abi) && !strcmp(ents[j].name, r.name); j++) {
			struct diff_side *s = ents[j].is_new ? &r.new : &r.old;

			if (s->present) {
				snprintf(err, errlen, "'%s': syscall %s (%s) appears twice",
					 ents[j].is_new ? new_name : old_name, r.name, r.abi);
				rc = -EINVAL;
				goto cleanup;
			}
			*s = ents[j].side;
			if (ents[j].is_new)
				res->new_total += s->calls;
			else
				res->old_total += s->calls;
		}
		i = j;
		res->compared++;
		r.broken = evaluate(&r, rules);
		if (r.broken)
			res->regressions++;
		if (changed(&r, rules))
			res->rows[res->n++] = r;
	}
	if (res->n)
		qsort(res->rows, res->n, sizeof(*res->rows), cmp_row);
	res->total_broken = diff_exceeds(res->old_total, res->new_total, rules->max_total_pct);
	res->regressions += res->total_broken;
	if (rules->new_anomalies) {
		rc = diff_anomalies(old, old_name, new, new_name, res, err, errlen);
		res->regressions += res->n_new_anoms;
	}
cleanup:
	free(ents);
	if (rc)
		diff_result__free(res);
	return rc;
}

void diff_result__free(struct diff_result *res)
{
	free(res->rows);
	free(res->new_anoms);
	memset(res, 0, sizeof(*res));
}

/*
 * Whether text that is not one JSON value is the JSON Lines of -i: its first line alone is an
 * interval report. Such a file gets its own message whatever its number of lines.
 */
static bool interval_lines(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	struct json_value *v = NULL;
	char err[64];
	bool yes;

	if (json_parse(text, nl ? (size_t)(nl - text) : len, &v, err, sizeof(err)))
		return false;
	yes = json_get_str(v, "schema") && !strcmp(json_get_str(v, "schema"), PROFILE_SCHEMA) &&
	      json_get(v, "interval");
	json_value_free(v);
	return yes;
}

static int parse_profile(const char *text, size_t len, const char *name, struct json_value **out)
{
	char err[512];
	int rc = json_parse(text, len, out, err, sizeof(err));

	if (rc == -EINVAL && interval_lines(text, len))
		p_err("'%s': %s", name, DIFF_INTERVAL_MSG);
	else if (rc == -ENOMEM)
		p_err("out of memory reading '%s'", name);
	else if (rc)
		p_err("invalid JSON in '%s': %s", name, err);
	return rc;
}

int diff_texts(const char *old_text, size_t old_len, const char *old_name, const char *new_text,
	       size_t new_len, const char *new_name, const struct diff_rules *rules, bool json,
	       FILE *f)
{
	struct json_value *old = NULL, *new = NULL;
	struct diff_result res = { 0 };
	char err[512];
	int rc, code = DIFF_BAD_INPUT;

	if (parse_profile(old_text, old_len, old_name, &old) ||
	    parse_profile(new_text, new_len, new_name, &new))
		goto cleanup;
	rc = diff_profiles(old, old_name, new, new_name, rules, &res, err, sizeof(err));
	if (rc) {
		p_err("%s", err);
		goto cleanup;
	}
	if (json)
		rc = diff_write_json(f, &res, rules, old_name, new_name);
	else
		rc = diff_write_text(f, &res, rules, old_name, new_name);
	if (rc) {
		p_err("cannot write the diff: %s", strerror(-rc));
		goto cleanup;
	}
	code = res.regressions ? DIFF_REGRESSED : DIFF_OK;
cleanup:
	diff_result__free(&res);
	json_value_free(old);
	json_value_free(new);
	return code;
}
