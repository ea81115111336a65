// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The filter options of the command line, by option id. */
#include <errno.h>
#include <stdio.h>
#include "filter/filter.h"
#include "filter/filter_priv.h"
#include "lib/errmsg.h"

int filter__parse_opt(struct filter *f, int opt_id, const char *arg, char *err, size_t len)
{
	switch (opt_id) {
	case FILTER_OPT_FAILED:
		f->seen |= FILTER_SEEN_FAILED;
		f->result = FILTER_RESULT_FAILED;
		return 0;
	case FILTER_OPT_SUCCESSFUL:
		f->seen |= FILTER_SEEN_SUCCESSFUL;
		f->result = FILTER_RESULT_OK;
		return 0;
	}
	if (!arg)
		return errmsg(err, len, -EINVAL, "filter option without an argument");
	switch (opt_id) {
	case FILTER_OPT_CGROUP:
		return filter__add_cgroup(f, arg, err, len);
	case FILTER_OPT_UID:
		return filter__add_uids(f, arg, err, len);
	case FILTER_OPT_TID:
		return filter__add_tids(f, arg, err, len);
	case FILTER_OPT_COMM:
		return filter__add_comm(f, arg, err, len);
	case FILTER_OPT_EXPR:
		return filter__set_expr(f, arg, err, len);
	case FILTER_OPT_TRACE:
		return filter__set_trace(f, arg, err, len);
	case FILTER_OPT_ERRNO:
		return filter__add_errnos(f, arg, err, len);
	}
	return errmsg(err, len, -EINVAL, "unknown filter option %d", opt_id);
}
