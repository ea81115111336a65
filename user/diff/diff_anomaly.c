// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The new-anomalies rule of sysray diff: an episode in NEW whose group, syscall, ABI, kind and
 * errno match no episode of OLD. Both profiles must have been made with --anomaly (an
 * "anomalies" array); otherwise there is nothing to compare and the rule is silent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff/diff.h"
#include "diff/json_read.h"

static const char *str_or(const struct json_value *o, const char *key, const char *dflt)
{
	const char *s = json_get_str(o, key);

	return s ? s : dflt;
}

/* The episode's identity; err gets the reason when a required key is missing. */
static int read_episode(const struct json_value *e, size_t i, struct diff_anomaly *a, char *err,
			size_t errlen)
{
	a->syscall = json_get_str(e, "syscall");
	a->abi = json_get_str(e, "abi");
	a->kind = json_get_str(e, "kind");
	if (!a->syscall || !a->abi || !a->kind) {
		snprintf(err, errlen, "anomalies[%zu]: no \"syscall\", \"abi\" or \"kind\" string",
			 i);
		return -EINVAL;
	}
	a->group = str_or(e, "group", "");
	a->metric = str_or(e, "metric", "");
	a->severity = str_or(e, "max_severity", "");
	return 0;
}

static const char *errno_of(const struct json_value *e)
{
	return str_or(e, "errno_name", "");
}

static bool same(const struct json_value *x, const struct diff_anomaly *a,
		 const struct json_value *y)
{
	struct diff_anomaly b;
	char err[8];

	if (read_episode(y, 0, &b, err, sizeof(err)))
		return false;
	return !strcmp(a->group, b.group) && !strcmp(a->syscall, b.syscall) &&
	       !strcmp(a->abi, b.abi) && !strcmp(a->kind, b.kind) &&
	       !strcmp(errno_of(x), errno_of(y));
}

static int check_array(const struct json_value *arr, const char *name, char *err, size_t errlen)
{
	struct diff_anomaly a;
	char why[256];

	if (arr->type != JSON_ARRAY) {
		snprintf(err, errlen, "'%s': \"anomalies\" is not an array", name);
		return -EINVAL;
	}
	for (size_t i = 0; i < arr->n; i++) {
		if (read_episode(arr->items[i], i, &a, why, sizeof(why))) {
			snprintf(err, errlen, "'%s': %s", name, why);
			return -EINVAL;
		}
	}
	return 0;
}

int diff_anomalies(const struct json_value *old, const char *old_name, const struct json_value *new,
		   const char *new_name, struct diff_result *res, char *err, size_t errlen)
{
	const struct json_value *oa = json_get(old, "anomalies"), *na = json_get(new, "anomalies");
	int rc;

	if (!oa || !na)
		return 0;
	rc = check_array(oa, old_name, err, errlen);
	if (!rc)
		rc = check_array(na, new_name, err, errlen);
	if (rc)
		return rc;
	res->anomalies_compared = true;
	res->new_anoms = calloc(na->n ? na->n : 1, sizeof(*res->new_anoms));
	if (!res->new_anoms) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < na->n; i++) {
		struct diff_anomaly a;
		bool known = false;

		read_episode(na->items[i], i, &a, err, errlen);
		for (size_t j = 0; j < oa->n && !known; j++)
			known = same(na->items[i], &a, oa->items[j]);
		/* The same episode twice in NEW (it fired, resolved and fired again) counts once.
		 */
		for (size_t j = 0; j < i && !known; j++)
			known = same(na->items[i], &a, na->items[j]);
		if (!known)
			res->new_anoms[res->n_new_anoms++] = a;
	}
	return 0;
}
