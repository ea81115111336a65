/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Looking values up in sysray's JSON reports, on top of the product's reader. */
#ifndef SYSRAY_TEST_MINIJSON_H
#define SYSRAY_TEST_MINIJSON_H

#include "diff/json_read.h"

/* NULL unless the whole text is one valid JSON document. */
struct json_value *mj_parse(const char *text);
void mj_free(struct json_value *v);
/* Member of an object, or NULL. */
struct json_value *mj_get(const struct json_value *obj, const char *key);
/* Number member as a long long; def if missing or not a number. */
long long mj_num(const struct json_value *obj, const char *key, long long def);
const char *mj_str(const struct json_value *obj, const char *key);
/* The entry of the report's "syscalls" with that name and abi, or NULL. */
struct json_value *mj_find_syscall(const struct json_value *root, const char *name,
				   const char *abi);

#endif
