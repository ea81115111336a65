/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A user's credentials from the user database, for running a command as that user (-u). */
#ifndef SYSRAY_LIB_USERS_H
#define SYSRAY_LIB_USERS_H

#include <stddef.h>
#include <sys/types.h>

struct user_creds {
	char *name;
	uid_t uid;
	gid_t gid;   /* the primary group */
	int ngroups; /* supplementary groups, as initgroups(3) would set them */
	gid_t *groups;
};

/*
 * spec: a user name, or a uid that has an entry in the user database. 0, or a negative
 * errno with a one-line message in err (-EINVAL for an unknown user).
 */
int user_creds_resolve(const char *spec, struct user_creds *c, char *err, size_t len);
void user_creds_free(struct user_creds *c);

#endif /* SYSRAY_LIB_USERS_H */
