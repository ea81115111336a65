// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/errmsg.h"
#include "lib/users.h"

/* getpwnam_r or getpwuid_r, growing the buffer; 0, -ENOENT or -errno. */
static int lookup(const char *name, uid_t uid, struct passwd *pw, char **buf)
{
	long sz = sysconf(_SC_GETPW_R_SIZE_MAX);
	size_t len = sz > 0 ? (size_t)sz : 1024;
	struct passwd *res = NULL;
	int rc;

	for (;;) {
		char *nb = realloc(*buf, len);

		if (!nb)
			return -ENOMEM;
		*buf = nb;
		rc = name ? getpwnam_r(name, pw, *buf, len, &res)
			  : getpwuid_r(uid, pw, *buf, len, &res);
		if (rc != ERANGE || len >= (1U << 20))
			break;
		len *= 2;
	}
	if (res)
		return 0;
	/* getpwnam_r(3): these mean "not found" too */
	if (!rc || rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM)
		return -ENOENT;
	return -rc;
}

/* The supplementary groups initgroups(3) would set: the database's, and gid. */
static int groups_of(struct user_creds *c)
{
	int n = 16;

	for (int tries = 0; tries < 8; tries++) {
		gid_t *g = realloc(c->groups, n * sizeof(*g));
		int want = n;

		if (!g)
			return -ENOMEM;
		c->groups = g;
		if (getgrouplist(c->name, c->gid, g, &want) >= 0) {
			c->ngroups = want;
			return 0;
		}
		n = want > n ? want : n * 2;
	}
	return -E2BIG;
}

int user_creds_resolve(const char *spec, struct user_creds *c, char *err, size_t len)
{
	struct passwd pw;
	char *buf = NULL, *end;
	unsigned long v = 0;
	bool number = isdigit((unsigned char)*spec) ||
		      ((*spec == '-' || *spec == '+') && isdigit((unsigned char)spec[1]));
	int rc;

	memset(c, 0, sizeof(*c));
	if (number) {
		errno = 0;
		v = strtoul(spec, &end, 10);
		if (errno || !isdigit((unsigned char)*spec) || *end || v >= (uid_t)-1) {
			free(buf);
			return errmsg(err, len, -EINVAL,
				      "-u: invalid user '%s' (a name, or a uid from 0 to %u)", spec,
				      (unsigned int)(uid_t)-2);
		}
	}
	rc = lookup(number ? NULL : spec, v, &pw, &buf);
	if (rc == -ENOENT)
		rc = errmsg(err, len, -EINVAL, "-u: unknown user '%s'", spec);
	else if (rc)
		rc = errmsg(err, len, rc, "-u: cannot look up user '%s': %s", spec, strerror(-rc));
	if (!rc) {
		c->uid = pw.pw_uid;
		c->gid = pw.pw_gid;
		c->name = strdup(pw.pw_name);
		rc = c->name ? groups_of(c) : -ENOMEM;
		if (rc)
			rc = errmsg(err, len, rc, "-u: cannot read the groups of '%s': %s", spec,
				    strerror(-rc));
	}
	free(buf);
	if (rc)
		user_creds_free(c);
	return rc;
}

void user_creds_free(struct user_creds *c)
{
	free(c->name);
	free(c->groups);
	memset(c, 0, sizeof(*c));
}
