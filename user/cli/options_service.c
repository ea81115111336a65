// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The options of service mode: the metrics endpoint and the per-service anomaly baselines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/options_service.h"
#include "cli/values.h"
#include "lib/errmsg.h"

#define SEC_NS 1000000000ULL

static int parse_buckets(struct cli_config *c, const char *s, char *err, size_t len)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	c->nr_metrics_buckets = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		__u64 *b = &c->metrics_buckets[c->nr_metrics_buckets];

		if (c->nr_metrics_buckets == METRICS_MAX_BUCKETS)
			rc = errmsg(err, len, -EINVAL, "--metrics-buckets: at most %d bounds",
				    METRICS_MAX_BUCKETS);
		else if (value_seconds(tok, 1, 1000000ULL * SEC_NS, b))
			rc = errmsg(err, len, -EINVAL,
				    "invalid --metrics-buckets bound: '%s' (seconds, from 1e-9 to "
				    "1000000)",
				    tok);
		else if (c->nr_metrics_buckets && *b <= b[-1])
			rc = errmsg(err, len, -EINVAL,
				    "--metrics-buckets: bounds must increase ('%s')", tok);
		else
			c->nr_metrics_buckets++;
	}
	if (!rc && !c->nr_metrics_buckets)
		rc = errmsg(err, len, -EINVAL, "--metrics-buckets: no bounds in '%s'", s);
	free(copy);
	return rc;
}

int cli_parse_metrics(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	unsigned long long n;

	c->metrics_opts |= id != 'l';
	switch (id) {
	case 'l':
		c->listen = s;
		return 0;
	case 'b':
		if (!strcmp(s, "cgroup"))
			c->metrics_by = METRICS_BY_CGROUP;
		else if (!strcmp(s, "comm"))
			c->metrics_by = METRICS_BY_COMM;
		else if (!strcmp(s, "none"))
			c->metrics_by = METRICS_BY_NONE;
		else
			return errmsg(err, len, -EINVAL,
				      "invalid --metrics-by: '%s' (cgroup, comm or none)", s);
		return 0;
	case 'm':
		if (value_uint(s, 1, 100000, &n))
			return errmsg(err, len, -EINVAL,
				      "invalid --metrics-max-series: '%s' (an integer from 1 to "
				      "100000)",
				      s);
		c->metrics_max_series = n;
		return 0;
	case 'e':
		if (value_seconds(s, SEC_NS, 100000000ULL * SEC_NS, &c->metrics_expire_ns))
			return errmsg(err, len, -EINVAL,
				      "invalid --metrics-expire: '%s' (seconds, from 1 to 1e8)", s);
		return 0;
	case 'B':
		return parse_buckets(c, s, err, len);
	case 'w':
		c->web_config = s;
		return 0;
	}
	c->web_insecure_auth = true;
	return 0;
}

/* --anomaly-by, --anomaly-max-groups, --anomaly-kinds, --slow-calls */
int cli_set_service(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	unsigned long long n;

	switch (id) {
	case 'b':
		if (gwin_parse_by(s, &c->anomaly_by))
			return errmsg(err, len, -EINVAL,
				      "invalid --anomaly-by: '%s' (cgroup, process or none)", s);
		return 0;
	case 'g':
		if (value_uint(s, 1, GWIN_MAX_GROUPS, &n))
			return errmsg(
			    err, len, -EINVAL,
			    "invalid --anomaly-max-groups: '%s' (an integer from 1 to %d)", s,
			    GWIN_MAX_GROUPS);
		c->anomaly_max_groups = n;
		return 0;
	case 'k':
		return anomaly_parse_kinds(s, &c->anomaly_kinds, err, len);
	}
	c->slow_given = true;
	if (!strcmp(s, "off")) {
		c->slow_calls = SLOW_CALLS_OFF;
	} else if (!strcmp(s, "auto")) {
		c->slow_calls = SLOW_CALLS_AUTO;
	} else if (!value_duration(s, 1000, 86400 * SEC_NS, &c->slow_ns)) {
		c->slow_calls = SLOW_CALLS_FIXED;
	} else {
		return errmsg(err, len, -EINVAL,
			      "invalid --slow-calls: '%s' (off, auto, or a duration such as 50ms, "
			      "from 1us to 86400s)",
			      s);
	}
	return 0;
}
