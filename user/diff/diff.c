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

#define PROFILE_SCHEMA "sysray.profile/1"

void diff_rules__default(struct diff_rules *r)
{
	*r = (struct diff_rules){
		.max_calls_pct = 10,
		.max_errors_pct = 10,
		.max_p99_pct = 20,
		.min_calls = 100,
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
		snprintf(err, errlen, "an interval report: give the whole-run document");
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

/* The increase from old to new exceeds pct % of old; any increase from 0 does. */
static bool exceeds(uint64_t old, uint64_t new, double pct)
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
	if (exceeds(o->calls, n->calls, rules->max_calls_pct))
		broken |= DIFF_BREAK_CALLS;
	if (exceeds(o->errors, n->errors, rules->max_errors_pct))
		broken |= DIFF_BREAK_ERRORS;
	/* A p99 of 0 means no timed call: nothing to compare. */
	if (o->calls >= rules->min_calls && n->calls >= rules->min_calls && o->p99_ns &&
	    exceeds(o->p99_ns, n->p99_ns, rules->max_p99_pct))
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
cleanup:
	free(ents);
	if (rc)
		diff_result__free(res);
	return rc;
}

void diff_result__free(struct diff_result *res)
{
	free(res->rows);
	memset(res, 0, sizeof(*res));
}

int diff_texts(const char *old_text, size_t old_len, const char *old_name, const char *new_text,
	       size_t new_len, const char *new_name, const struct diff_rules *rules, bool json,
	       FILE *f)
{
	struct json_value *old = NULL, *new = NULL;
	struct diff_result res = { 0 };
	char err[512];
	int rc, code = DIFF_BAD_INPUT;

	rc = json_parse(old_text, old_len, &old, err, sizeof(err));
	if (rc) {
		p_err("invalid JSON in '%s': %s", old_name, err);
		goto cleanup;
	}
	rc = json_parse(new_text, new_len, &new, err, sizeof(err));
	if (rc) {
		p_err("invalid JSON in '%s': %s", new_name, err);
		goto cleanup;
	}
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

/* The whole file, refusing more than DIFF_MAX_FILE bytes; reads pipes and /dev/stdin too. */
static int load_file(const char *path, char **text, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;
	FILE *f;
	int rc = 0;

	f = fopen(path, "re");
	if (!f) {
		rc = -errno;
		p_err("cannot read '%s': %s", path, strerror(-rc));
		return rc;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *b;

			if (cap > DIFF_MAX_FILE) {
				p_err("'%s' is larger than %lu MiB", path, DIFF_MAX_FILE >> 20);
				rc = -EFBIG;
				goto cleanup;
			}
			cap = cap ? cap * 2 : 65536;
			b = realloc(buf, cap);
			if (!b) {
				p_err("out of memory reading '%s'", path);
				rc = -ENOMEM;
				goto cleanup;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got)
			continue;
		if (ferror(f)) {
			rc = -EIO;
			p_err("cannot read '%s': %s", path, strerror(errno ? errno : EIO));
		}
		break;
	}
	if (!rc && n > DIFF_MAX_FILE) {
		p_err("'%s' is larger than %lu MiB", path, DIFF_MAX_FILE >> 20);
		rc = -EFBIG;
	}
cleanup:
	fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = n;
	return 0;
}

enum {
	OPT_CALLS = 256,
	OPT_ERRORS,
	OPT_P99,
	OPT_MIN_CALLS,
	OPT_NEW,
	OPT_FORMAT,
};

static const struct option diff_long_opts[] = {
	{ "max-calls-increase", required_argument, NULL, OPT_CALLS },
	{ "max-errors-increase", required_argument, NULL, OPT_ERRORS },
	{ "max-p99-increase", required_argument, NULL, OPT_P99 },
	{ "min-calls", required_argument, NULL, OPT_MIN_CALLS },
	{ "new-syscalls", no_argument, NULL, OPT_NEW },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static void diff_usage(FILE *f)
{
	fputs("usage: sysray diff [RULES] [--format text|json] OLD.json NEW.json\n"
	      "\n"
	      "Compare two JSON profiles (sysray --format json) per syscall and exit 1 when\n"
	      "NEW breaks a rule, 0 when not, 2 on bad input. Percentages are relative to\n"
	      "OLD; a negative PCT or 'off' turns the rule off.\n"
	      "  --max-calls-increase PCT   calls may grow by PCT % (default 10)\n"
	      "  --max-errors-increase PCT  errors may grow by PCT % (default 10); any errors\n"
	      "                             where OLD had none break it\n"
	      "  --max-p99-increase PCT     p99 latency may grow by PCT % (default 20), checked\n"
	      "                             with at least --min-calls N calls in both (100)\n"
	      "  --new-syscalls             a syscall only in NEW is a regression\n"
	      "  --format F                 text (default) or json (schema sysray.diff/1)\n"
	      "See docs/diff.md.\n",
	      f);
}

static int parse_pct(const char *s, double *out)
{
	char *end;
	double v;

	if (!strcmp(s, "off")) {
		*out = -1;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		return -EINVAL;
	*out = v;
	return 0;
}

int diff_main(int argc, char **argv)
{
	struct diff_rules rules;
	char *old_text = NULL, *new_text = NULL;
	size_t old_len, new_len;
	bool json = false;
	int c, idx = 0, code = DIFF_BAD_INPUT;

	diff_rules__default(&rules);
	optind = 0; /* full re-initialisation: diff_main may run more than once (tests) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", diff_long_opts, &idx)) != -1) {
		double *pct = c == OPT_CALLS	? &rules.max_calls_pct
			      : c == OPT_ERRORS ? &rules.max_errors_pct
			      : c == OPT_P99	? &rules.max_p99_pct
						: NULL;
		char *end;

		if (pct) {
			if (parse_pct(optarg, pct)) {
				p_err("invalid --%s: '%s' (a percentage, or off)",
				      diff_long_opts[idx].name, optarg);
				return DIFF_BAD_INPUT;
			}
			continue;
		}
		switch (c) {
		case OPT_MIN_CALLS:
			errno = 0;
			rules.min_calls = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-') {
				p_err("invalid --min-calls: '%s' (a count)", optarg);
				return DIFF_BAD_INPUT;
			}
			break;
		case OPT_NEW:
			rules.new_syscalls = true;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				p_err("invalid format: '%s' (text or json)", optarg);
				return DIFF_BAD_INPUT;
			}
			json = !strcmp(optarg, "json");
			break;
		case 'h':
			diff_usage(stdout);
			return DIFF_OK;
		case ':':
			p_err("option '%s' needs an argument", argv[optind - 1]);
			return DIFF_BAD_INPUT;
		default:
			if (optopt)
				p_err("unknown option '-%c' (see sysray diff --help)", optopt);
			else
				p_err("unknown option '%s' (see sysray diff --help)",
				      argv[optind - 1]);
			return DIFF_BAD_INPUT;
		}
	}
	if (argc - optind != 2) {
		p_err(
		    "sysray diff needs two files, OLD.json and NEW.json (see sysray diff --help)");
		return DIFF_BAD_INPUT;
	}
	if (load_file(argv[optind], &old_text, &old_len) ||
	    load_file(argv[optind + 1], &new_text, &new_len))
		goto cleanup;
	code = diff_texts(old_text, old_len, argv[optind], new_text, new_len, argv[optind + 1],
			  &rules, json, stdout);
	if (code != DIFF_BAD_INPUT && fflush(stdout)) {
		p_err("cannot write the diff: %s", strerror(errno));
		code = DIFF_BAD_INPUT;
	}
cleanup:
	free(old_text);
	free(new_text);
	return code;
}
