// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "minijson.h"

struct json_value *mj_parse(const char *text)
{
	struct json_value *v;
	char err[128];

	if (!text || json_parse(text, strlen(text), &v, err, sizeof(err)))
		return NULL;
	return v;
}

void mj_free(struct json_value *v)
{
	json_value_free(v);
}

struct json_value *mj_get(const struct json_value *obj, const char *key)
{
	return obj ? (struct json_value *)json_get(obj, key) : NULL;
}

long long mj_num(const struct json_value *obj, const char *key, long long def)
{
	const struct json_value *v = mj_get(obj, key);

	if (!v || v->type != JSON_NUMBER)
		return def;
	return v->is_uint ? (long long)v->uint : (long long)v->num;
}

const char *mj_str(const struct json_value *obj, const char *key)
{
	return obj ? json_get_str(obj, key) : NULL;
}

struct json_value *mj_find_syscall(const struct json_value *root, const char *name, const char *abi)
{
	struct json_value *arr = mj_get(root, "syscalls");

	if (!arr || arr->type != JSON_ARRAY)
		return NULL;
	for (size_t i = 0; i < arr->n; i++) {
		const char *n = mj_str(arr->items[i], "name"), *a = mj_str(arr->items[i], "abi");

		if (n && a && !strcmp(n, name) && !strcmp(a, abi))
			return arr->items[i];
	}
	return NULL;
}
