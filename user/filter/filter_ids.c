// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --uid, --tid, --comm and --errno: sets of ids and names. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "filter/filter.h"
#include "lib/errmsg.h"
#include "lib/errnos.h"

/* Add v to a set of *n values unless it is there; -ENOSPC if the set is full. */
static int add_u32(__u32 *set, int *n, int max, __u32 v)
{
	for (int i = 0; i < *n; i++) {
		if (set[i] == v)
			return 0;
	}
	if (*n >= max)
		return -ENOSPC;
	set[(*n)++] = v;
	return 0;
}

/* A decimal number without sign or blanks in 0..max; -EINVAL otherwise. */
static int parse_dec(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Call fn for each comma-separated item of list; an empty item is an error. */
static int for_each_item(struct filter *f, const char *opt, const char *list,
			 int (*fn)(struct filter *, const char *, char *, size_t), char *err,
			 size_t len)
{
	char *copy, *p, *item;
	int rc = 0;

	if (!*list)
		return errmsg(err, len, -EINVAL, "%s: empty argument", opt);
	copy = strdup(list);
	if (!copy)
		return errmsg(err, len, -ENOMEM, "%s: out of memory", opt);
	for (p = copy; !rc && p; p = item) {
		item = strchr(p, ',');
		if (item)
			*item++ = '\0';
		if (!*p)
			rc = errmsg(err, len, -EINVAL, "%s: empty item in '%s'", opt, list);
		else
			rc = fn(f, p, err, len);
	}
	free(copy);
	return rc;
}

/* The uid of a user name; -ENOENT if there is no such user. */
static int lookup_user(const char *name, uid_t *uid)
{
	long sz = sysconf(_SC_GETPW_R_SIZE_MAX);
	struct passwd pw, *res = NULL;
	size_t buflen = sz > 0 ? (size_t)sz : 1024;
	char *buf = NULL;
	int rc;

	for (;;) {
		char *nb = realloc(buf, buflen);

		if (!nb) {
			free(buf);
			return -ENOMEM;
		}
		buf = nb;
		rc = getpwnam_r(name, &pw, buf, buflen, &res);
		if (rc != ERANGE || buflen >= (1U << 20))
			break;
		buflen *= 2;
	}
	free(buf);
	if (res) {
		*uid = pw.pw_uid;
		return 0;
	}
	/* getpwnam_r(3): these mean "not found" too */
	if (!rc || rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM)
		return -ENOENT;
	return -rc;
}

static int add_uid(struct filter *f, const char *s, char *err, size_t len)
{
	unsigned long v;
	uid_t uid;
	int rc;

	/* (uid_t)-1 is no uid: chown(2) and setreuid(2) use it for "unchanged" */
	if (!parse_dec(s, UINT32_MAX - 1, &v)) {
		uid = v;
	} else if (isdigit((unsigned char)*s) ||
		   ((*s == '-' || *s == '+') && isdigit((unsigned char)s[1]))) {
		return errmsg(err, len, -EINVAL, "--uid: invalid uid '%s' (from 0 to %u)", s,
			      UINT32_MAX - 1);
	} else {
		rc = lookup_user(s, &uid);
		if (rc == -ENOENT)
			return errmsg(err, len, -EINVAL, "--uid: unknown user '%s'", s);
		if (rc)
			return errmsg(err, len, rc, "--uid: cannot look up user '%s': %s", s,
				      strerror(-rc));
	}
	if (add_u32(f->uids, &f->nr_uids, FILTER_MAX_UIDS, uid))
		return errmsg(err, len, -EINVAL, "--uid: too many users (at most %d)",
			      FILTER_MAX_UIDS);
	return 0;
}

int filter__add_uids(struct filter *f, const char *list, char *err, size_t len)
{
	return for_each_item(f, "--uid", list, add_uid, err, len);
}

static int add_tid(struct filter *f, const char *s, char *err, size_t len)
{
	unsigned long v;

	if (parse_dec(s, INT_MAX, &v) || !v)
		return errmsg(err, len, -EINVAL, "--tid: invalid thread id '%s' (from 1 to %d)", s,
			      INT_MAX);
	if (add_u32(f->tids, &f->nr_tids, FILTER_MAX_TIDS, v))
		return errmsg(err, len, -EINVAL, "--tid: too many threads (at most %d)",
			      FILTER_MAX_TIDS);
	return 0;
}

int filter__add_tids(struct filter *f, const char *list, char *err, size_t len)
{
	return for_each_item(f, "--tid", list, add_tid, err, len);
}

/* Not split at commas: a command name may contain any byte but NUL. */
int filter__add_comm(struct filter *f, const char *name, char *err, size_t len)
{
	size_t n = strlen(name);

	if (!n)
		return errmsg(err, len, -EINVAL, "--comm: empty name");
	if (n > FILTER_COMM_LEN - 1)
		return errmsg(err, len, -EINVAL,
			      "--comm: '%s' is %zu characters long; the kernel keeps at "
			      "most %d (TASK_COMM_LEN-1)",
			      name, n, FILTER_COMM_LEN - 1);
	for (int i = 0; i < f->nr_comms; i++) {
		if (!strcmp(f->comms[i], name))
			return 0;
	}
	if (f->nr_comms >= FILTER_MAX_COMMS)
		return errmsg(err, len, -EINVAL, "--comm: too many names (at most %d)",
			      FILTER_MAX_COMMS);
	memset(f->comms[f->nr_comms], 0, FILTER_COMM_LEN);
	memcpy(f->comms[f->nr_comms++], name, n);
	return 0;
}

static int add_errno(struct filter *f, const char *s, char *err, size_t len)
{
	int e = errno_lookup(s);

	if (e < 0)
		return errmsg(err, len, -EINVAL,
			      "--errno: unknown errno '%s' (a name such as ENOENT, or a number "
			      "from 1 to %d)",
			      s, SYSRAY_ERRNO_CNT - 1);
	if (add_u32(f->errnos, &f->nr_errnos, FILTER_MAX_ERRNOS, e))
		return errmsg(err, len, -EINVAL, "--errno: too many errnos (at most %d)",
			      FILTER_MAX_ERRNOS);
	return 0;
}

int filter__add_errnos(struct filter *f, const char *list, char *err, size_t len)
{
	return for_each_item(f, "--errno", list, add_errno, err, len);
}
