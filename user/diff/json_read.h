/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A strict JSON reader (RFC 8259) for files sysray reads back, such as its own reports. */
#ifndef SYSRAY_JSON_READ_H
#define SYSRAY_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_READ_MAX_DEPTH 64

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_value {
	enum json_type type;
	bool boolean;
	/*
	 * Numbers: num always; is_uint and uint when it is an integer that fits in 64 bits,
	 * is_uint128 and uint128 when it fits in 128 (sysray's time sums may exceed 2^64).
	 */
	double num;
	bool is_uint;
	uint64_t uint;
	bool is_uint128;
	unsigned __int128 uint128;
	/* Strings: decoded UTF-8, NUL-terminated; str_len counts an embedded \u0000. */
	char *str;
	size_t str_len;
	/* Arrays and objects: n items; objects also have n keys, in document order. */
	size_t n;
	struct json_value **items;
	char **keys;
};

/*
 * Parse exactly one JSON value from text[0..len) (no NUL needed), with whitespace around it.
 * Returns 0 and *out, or -EINVAL with "line L, column C: what" in err (1-based, columns in
 * bytes), or -ENOMEM.  Rejected: trailing data, invalid UTF-8, raw control characters in
 * strings, lone surrogates, leading zeros, numbers beyond the double range, nesting deeper
 * than JSON_READ_MAX_DEPTH.
 */
int json_parse(const char *text, size_t len, struct json_value **out, char *err, size_t errlen);
void json_value_free(struct json_value *v);

/* The first member named key, or NULL (also when obj is not an object). */
const struct json_value *json_get(const struct json_value *obj, const char *key);
/* The member's string, or NULL when it is missing or not a string. */
const char *json_get_str(const struct json_value *obj, const char *key);
/* 0, -ENOENT when missing, -EINVAL when not an unsigned 64-bit integer. */
int json_get_u64(const struct json_value *obj, const char *key, uint64_t *out);
/* The same for an unsigned 128-bit integer. */
int json_get_u128(const struct json_value *obj, const char *key, unsigned __int128 *out);

#endif /* SYSRAY_JSON_READ_H */
