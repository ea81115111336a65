/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A small streaming JSON writer. */
#ifndef SYSRAY_JSON_H
#define SYSRAY_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

/*
 * Commas, and with indent > 0 newlines and indentation, are written automatically.  Misuse
 * (a value without a key inside an object, a key inside an array, a mismatched end, too deep,
 * a second top-level value) makes that call and every later one return -EINVAL without
 * writing; json_writer__end() reports the first error.
 */
struct json_writer {
	FILE *f;
	int indent;
	int depth;
	int err;
	bool has_key; /* a key was written and waits for its value */
	bool done;    /* the top-level value is complete */
	bool in_array[JSON_MAX_DEPTH];
	bool nonempty[JSON_MAX_DEPTH];
};

/* indent: 0 for compact output on one line, else the number of spaces per level. */
void json_writer__init(struct json_writer *w, FILE *f, int indent);
/*
 * Change the indentation from the next separator on: set 0 right after opening a container
 * and restore the old value right after closing it to keep that container on one line.
 */
void json_writer__set_indent(struct json_writer *w, int indent);

int json_writer__begin_object(struct json_writer *w);
int json_writer__end_object(struct json_writer *w);
int json_writer__begin_array(struct json_writer *w);
int json_writer__end_array(struct json_writer *w);
int json_writer__key(struct json_writer *w, const char *key);

/*
 * Strings are expected in UTF-8.  '"' and '\\' are escaped, and so is every control character
 * (below 0x20) as \u00XX.  Valid UTF-8 sequences are copied as they are; every byte that is not
 * part of one (stray continuation bytes, truncated or overlong sequences, surrogates, values
 * above U+10FFFF) becomes U+FFFD, written as \ufffd, so the output is always valid JSON and
 * valid UTF-8.
 */
int json_writer__string(struct json_writer *w, const char *s);
int json_writer__string_len(struct json_writer *w, const char *s, size_t len);
int json_writer__u64(struct json_writer *w, uint64_t v);
/* Exact beyond 2^64: JSON numbers have no size limit (readers may need big integers). */
int json_writer__u128(struct json_writer *w, unsigned __int128 v);
int json_writer__s64(struct json_writer *w, int64_t v);
/* The shortest form that reads back as the same double; NaN and infinities as null. */
int json_writer__double(struct json_writer *w, double v);
int json_writer__bool(struct json_writer *w, bool v);
int json_writer__null(struct json_writer *w);

/* Key and value in one call. */
int json_writer__kv_string(struct json_writer *w, const char *key, const char *s);
int json_writer__kv_u64(struct json_writer *w, const char *key, uint64_t v);
int json_writer__kv_u128(struct json_writer *w, const char *key, unsigned __int128 v);
int json_writer__kv_s64(struct json_writer *w, const char *key, int64_t v);

/*
 * Finish the document: writes a newline after a complete top-level value.  Returns the first
 * error seen, -EINVAL if the document is unbalanced or empty, or -EIO if the stream failed.
 */
int json_writer__end(struct json_writer *w);

#endif /* SYSRAY_JSON_H */
