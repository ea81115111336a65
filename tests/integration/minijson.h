/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A strict little JSON reader for checking reports: parse, then look values up by path. */
#ifndef SYSRAY_TEST_MINIJSON_H
#define SYSRAY_TEST_MINIJSON_H

#include <stdbool.h>

enum mj_type { MJ_NULL, MJ_BOOL, MJ_NUM, MJ_STR, MJ_ARR, MJ_OBJ };

struct mj {
	enum mj_type type;
	double num;
	bool b;
	char *str;	  /* MJ_STR value */
	char **keys;	  /* MJ_OBJ */
	struct mj **kids; /* MJ_ARR elements or MJ_OBJ values */
	int n;
};

/* NULL unless the whole text is one valid JSON value (trailing white space allowed). */
struct mj *mj_parse(const char *text);
void mj_free(struct mj *v);
/* Member of an object, or NULL. */
struct mj *mj_get(const struct mj *obj, const char *key);
/* Number member as a long long; def if missing or not a number. */
long long mj_num(const struct mj *obj, const char *key, long long def);
const char *mj_str(const struct mj *obj, const char *key);
/* The element of array arr whose members match name and abi. */
struct mj *mj_find_syscall(const struct mj *root, const char *name, const char *abi);

#endif
