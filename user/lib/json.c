// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lib/json.h"
#include "lib/u128.h"
#include "lib/utf8.h"

void json_writer__init(struct json_writer *w, FILE *f, int indent)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->indent = indent > 0 ? indent : 0;
}

void json_writer__set_indent(struct json_writer *w, int indent)
{
	w->indent = indent > 0 ? indent : 0;
}

static int fail(struct json_writer *w)
{
	if (!w->err)
		w->err = -EINVAL;
	return w->err;
}

static void newline(struct json_writer *w)
{
	if (!w->indent)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth * w->indent; i++)
		fputc(' ', w->f);
}

/* Separator before an array element or an object member. */
static void next_item(struct json_writer *w)
{
	if (w->nonempty[w->depth - 1])
		fputc(',', w->f);
	w->nonempty[w->depth - 1] = true;
	newline(w);
}

/* Check that a value may come here and write what goes before it. */
static int before_value(struct json_writer *w)
{
	if (w->err)
		return w->err;
	if (w->done)
		return fail(w);
	if (w->depth && !w->in_array[w->depth - 1]) {
		if (!w->has_key)
			return fail(w);
		w->has_key = false;
	} else if (w->depth) {
		next_item(w);
	}
	return 0;
}

static void after_value(struct json_writer *w)
{
	if (!w->depth)
		w->done = true;
}

static int begin(struct json_writer *w, bool array)
{
	int err;

	if (!w->err && w->depth >= JSON_MAX_DEPTH)
		return fail(w);
	err = before_value(w);
	if (err)
		return err;
	fputc(array ? '[' : '{', w->f);
	w->in_array[w->depth] = array;
	w->nonempty[w->depth] = false;
	w->depth++;
	return 0;
}

static int end(struct json_writer *w, bool array)
{
	if (w->err)
		return w->err;
	if (!w->depth || w->in_array[w->depth - 1] != array || w->has_key)
		return fail(w);
	w->depth--;
	if (w->nonempty[w->depth])
		newline(w);
	fputc(array ? ']' : '}', w->f);
	after_value(w);
	return 0;
}

int json_writer__begin_object(struct json_writer *w)
{
	return begin(w, false);
}

int json_writer__end_object(struct json_writer *w)
{
	return end(w, false);
}

int json_writer__begin_array(struct json_writer *w)
{
	return begin(w, true);
}

int json_writer__end_array(struct json_writer *w)
{
	return end(w, true);
}

static void put_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	fputc('"', f);
	while (i < n) {
		unsigned char c = s[i];
		size_t len;

		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
			i++;
		} else if (c < 0x20) {
			fprintf(f, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			fputc(c, f);
			i++;
		} else if ((len = utf8_seq_len(s + i, n - i))) {
			fwrite(s + i, 1, len, f);
			i += len;
		} else {
			fputs("\\ufffd", f);
			i++;
		}
	}
	fputc('"', f);
}

int json_writer__key(struct json_writer *w, const char *key)
{
	if (w->err)
		return w->err;
	if (!w->depth || w->in_array[w->depth - 1] || w->has_key || !key)
		return fail(w);
	next_item(w);
	put_string(w->f, key, strlen(key));
	fputs(w->indent ? ": " : ":", w->f);
	w->has_key = true;
	return 0;
}

int json_writer__string_len(struct json_writer *w, const char *s, size_t len)
{
	int err = s ? before_value(w) : fail(w);

	if (err)
		return err;
	put_string(w->f, s, len);
	after_value(w);
	return 0;
}

int json_writer__string(struct json_writer *w, const char *s)
{
	return json_writer__string_len(w, s, s ? strlen(s) : 0);
}

/* A bare token: a number, true, false or null. */
static int put_raw(struct json_writer *w, const char *tok)
{
	int err = before_value(w);

	if (err)
		return err;
	fputs(tok, w->f);
	after_value(w);
	return 0;
}

int json_writer__u64(struct json_writer *w, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return put_raw(w, buf);
}

int json_writer__u128(struct json_writer *w, unsigned __int128 v)
{
	char buf[U128_BUF];

	return put_raw(w, u128_format(v, buf, sizeof(buf)));
}

int json_writer__s64(struct json_writer *w, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return put_raw(w, buf);
}

int json_writer__double(struct json_writer *w, double v)
{
	char buf[40];

	if (!isfinite(v))
		return put_raw(w, "null");
	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	/* A locale with a decimal comma would make this invalid JSON. */
	for (char *p = buf; *p; p++) {
		if (*p == ',')
			*p = '.';
	}
	return put_raw(w, buf);
}

int json_writer__bool(struct json_writer *w, bool v)
{
	return put_raw(w, v ? "true" : "false");
}

int json_writer__null(struct json_writer *w)
{
	return put_raw(w, "null");
}

int json_writer__kv_string(struct json_writer *w, const char *key, const char *s)
{
	int err = json_writer__key(w, key);

	return err ? err : json_writer__string(w, s);
}

int json_writer__kv_u64(struct json_writer *w, const char *key, uint64_t v)
{
	int err = json_writer__key(w, key);

	return err ? err : json_writer__u64(w, v);
}

int json_writer__kv_u128(struct json_writer *w, const char *key, unsigned __int128 v)
{
	int err = json_writer__key(w, key);

	return err ? err : json_writer__u128(w, v);
}

int json_writer__kv_s64(struct json_writer *w, const char *key, int64_t v)
{
	int err = json_writer__key(w, key);

	return err ? err : json_writer__s64(w, v);
}

int json_writer__end(struct json_writer *w)
{
	if (w->err)
		return w->err;
	if (w->depth || !w->done)
		return fail(w);
	fputc('\n', w->f);
	w->err = -EINVAL; /* the document is closed: anything more is misuse */
	if (fflush(w->f) || ferror(w->f))
		return -EIO;
	return 0;
}
