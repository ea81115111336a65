// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sysray diff ARGS: the options, the two files, the exit status. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff/diff.h"
#include "lib/log.h"

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
	OPT_TOTAL,
	OPT_MIN_CALLS,
	OPT_NEW_ANOMALIES,
	OPT_NEW,
	OPT_FORMAT,
};

static const struct option diff_long_opts[] = {
	{ "max-calls-increase", required_argument, NULL, OPT_CALLS },
	{ "max-errors-increase", required_argument, NULL, OPT_ERRORS },
	{ "max-p99-increase", required_argument, NULL, OPT_P99 },
	{ "max-total-increase", required_argument, NULL, OPT_TOTAL },
	{ "new-anomalies", required_argument, NULL, OPT_NEW_ANOMALIES },
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
	      "  --max-total-increase PCT   the calls of all syscalls together may grow by\n"
	      "                             PCT % (default 10)\n"
	      "  --new-syscalls             a syscall only in NEW is a regression\n"
	      "  --new-anomalies on|off     an anomaly episode in NEW that OLD lacks is a\n"
	      "                             regression, when both were made with --anomaly\n"
	      "                             (default on)\n"
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

/* One option other than a percentage: 0, 1 after --help, or -1 after an error line. */
static int parse_opt(int c, char **argv, struct diff_rules *rules, bool *json)
{
	char *end;

	switch (c) {
	case OPT_MIN_CALLS:
		errno = 0;
		rules->min_calls = strtoull(optarg, &end, 10);
		if (errno || end == optarg || *end || *optarg == '-') {
			p_err("invalid --min-calls: '%s' (a count)", optarg);
			return -1;
		}
		return 0;
	case OPT_NEW:
		rules->new_syscalls = true;
		return 0;
	case OPT_NEW_ANOMALIES:
		if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
			p_err("invalid --new-anomalies: '%s' (on or off)", optarg);
			return -1;
		}
		rules->new_anomalies = !strcmp(optarg, "on");
		return 0;
	case OPT_FORMAT:
		if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
			p_err("invalid format: '%s' (text or json)", optarg);
			return -1;
		}
		*json = !strcmp(optarg, "json");
		return 0;
	case 'h':
		diff_usage(stdout);
		return 1;
	case ':':
		p_err("option '%s' needs an argument", argv[optind - 1]);
		return -1;
	default:
		if (optopt)
			p_err("unknown option '-%c' (see sysray diff --help)", optopt);
		else
			p_err("unknown option '%s' (see sysray diff --help)", argv[optind - 1]);
		return -1;
	}
}

int diff_main(int argc, char **argv)
{
	struct diff_rules rules;
	char *old_text = NULL, *new_text = NULL;
	size_t old_len, new_len;
	bool json = false;
	int c, rc, idx = 0, code = DIFF_BAD_INPUT;

	diff_rules__default(&rules);
	optind = 0; /* full re-initialisation: diff_main may run more than once (tests) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", diff_long_opts, &idx)) != -1) {
		double *pct = c == OPT_CALLS	? &rules.max_calls_pct
			      : c == OPT_ERRORS ? &rules.max_errors_pct
			      : c == OPT_P99	? &rules.max_p99_pct
			      : c == OPT_TOTAL	? &rules.max_total_pct
						: NULL;

		if (pct && parse_pct(optarg, pct)) {
			p_err("invalid --%s: '%s' (a percentage, or off)", diff_long_opts[idx].name,
			      optarg);
			return DIFF_BAD_INPUT;
		}
		rc = pct ? 0 : parse_opt(c, argv, &rules, &json);
		if (rc)
			return rc > 0 ? DIFF_OK : DIFF_BAD_INPUT;
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
