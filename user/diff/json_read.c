// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff/json_read.h"
#include "lib/utf8.h"

struct parser {
	const char *s;
	size_t len;
	size_t pos;
	int depth;
	char *err;
	size_t errlen;
};

static int parse_value(struct parser *p, struct json_value **out);

/* Line and column are only needed on failure, so they are counted then. */
__attribute__((format(printf, 3, 4))) static int fail_at(struct parser *p, size_t pos,
							 const char *fmt, ...)
{
	size_t line = 1, col = 1, n;
	va_list ap;

	for (size_t i = 0; i < pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	n = snprintf(p->err, p->errlen, "line %zu, column %zu: ", line, col);
	if (n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* "unexpected end of input", or what was expected and the byte found instead. */
static int unexpected(struct parser *p, const char *expected)
{
	unsigned char c;

	if (p->pos >= p->len)
		return fail_at(p, p->pos, "unexpected end of input");
	c = p->s[p->pos];
	if (c > 0x20 && c < 0x7f)
		return fail_at(p, p->pos, "expected %s, got '%c'", expected, c);
	return fail_at(p, p->pos, "expected %s, got byte 0x%02x", expected, c);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static struct json_value *new_value(enum json_type type)
{
	struct json_value *v = calloc(1, sizeof(*v));

	if (v)
		v->type = type;
	return v;
}

struct buf {
	char *data;
	size_t len, cap;
};

static int buf_put(struct buf *b, const char *bytes, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 16;
		char *d;

		while (b->len + n + 1 > cap)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, bytes, n);
	b->len += n;
	b->data[b->len] = 0;
	return 0;
}

static int put_utf8(struct buf *b, unsigned int cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = 0xc0 | cp >> 6;
		u[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = 0xe0 | cp >> 12;
		u[1] = 0x80 | (cp >> 6 & 0x3f);
		u[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | cp >> 18;
		u[1] = 0x80 | (cp >> 12 & 0x3f);
		u[2] = 0x80 | (cp >> 6 & 0x3f);
		u[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	return buf_put(b, u, n);
}

static int hex4(struct parser *p, unsigned int *out)
{
	unsigned int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p->pos < p->len ? p->s[p->pos] : 0;

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return unexpected(p, "a hex digit");
		p->pos++;
	}
	*out = v;
	return 0;
}

/* \uXXXX at p->pos - 2, with a surrogate pair joined into one code point. */
static int parse_u_escape(struct parser *p, struct buf *b)
{
	size_t start = p->pos - 2;
	unsigned int cp, lo;
	int err;

	err = hex4(p, &cp);
	if (err)
		return err;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail_at(p, start, "lone low surrogate \\u%04x", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
			return fail_at(p, start, "high surrogate \\u%04x without a low one", cp);
		p->pos += 2;
		err = hex4(p, &lo);
		if (err)
			return err;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail_at(p, start, "high surrogate \\u%04x without a low one", cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	return put_utf8(b, cp);
}

static int parse_string(struct parser *p, char **out, size_t *out_len)
{
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
	struct buf b = { 0 };
	int err = 0;

	p->pos++; /* the opening quote */
	for (;;) {
		unsigned char c;
		const char *e;
		size_t n;

		if (p->pos >= p->len) {
			err = fail_at(p, p->pos, "unterminated string");
			break;
		}
		c = p->s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20) {
			err = fail_at(p, p->pos, "control character 0x%02x in a string", c);
			break;
		}
		if (c != '\\') {
			n = utf8_seq_len((const unsigned char *)p->s + p->pos, p->len - p->pos);
			if (!n) {
				err = fail_at(p, p->pos, "invalid UTF-8");
				break;
			}
			err = buf_put(&b, p->s + p->pos, n);
			p->pos += n;
			if (err)
				break;
			continue;
		}
		p->pos++;
		c = p->pos < p->len ? p->s[p->pos] : 0;
		if (c == 'u') {
			p->pos++;
			err = parse_u_escape(p, &b);
		} else if (c && (e = strchr(esc_in, c))) {
			p->pos++;
			err = buf_put(&b, &esc_out[e - esc_in], 1);
		} else if (p->pos >= p->len) {
			err = fail_at(p, p->pos, "unterminated string");
		} else {
			err = fail_at(p, p->pos - 1, "invalid escape '\\%c'", c);
		}
		if (err)
			break;
	}
	if (!err && !b.data)
		err = buf_put(&b, "", 0);
	if (err) {
		free(b.data);
		return err;
	}
	*out = b.data;
	*out_len = b.len;
	return 0;
}

static bool is_digit(struct parser *p)
{
	return p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9';
}

static int parse_number(struct parser *p, struct json_value *v)
{
	size_t start = p->pos;
	bool integer = true, overflow = false;
	unsigned __int128 u = 0;
	char *copy, *end;

	if (p->s[p->pos] == '-') {
		integer = false;
		p->pos++;
	}
	if (!is_digit(p))
		return unexpected(p, "a digit");
	if (p->s[p->pos] == '0' && (p->pos++, is_digit(p)))
		return fail_at(p, p->pos - 1, "leading zero in a number");
	while (is_digit(p)) {
		unsigned int d = p->s[p->pos++] - '0';

		if (u > (~(unsigned __int128)0 - d) / 10)
			overflow = true;
		u = u * 10 + d;
	}
	if (p->pos < p->len && p->s[p->pos] == '.') {
		integer = false;
		p->pos++;
		if (!is_digit(p))
			return unexpected(p, "a digit");
		while (is_digit(p))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		integer = false;
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!is_digit(p))
			return unexpected(p, "a digit");
		while (is_digit(p))
			p->pos++;
	}
	v->is_uint128 = integer && !overflow;
	v->uint128 = v->is_uint128 ? u : 0;
	v->is_uint = v->is_uint128 && u <= UINT64_MAX;
	v->uint = v->is_uint ? (uint64_t)u : 0;
	/* strtod needs a NUL-terminated copy: the text may go on without one. */
	copy = strndup(p->s + start, p->pos - start);
	if (!copy)
		return -ENOMEM;
	v->num = strtod(copy, &end);
	free(copy);
	if (isinf(v->num))
		return fail_at(p, start, "number out of range");
	return 0;
}

static int parse_container(struct parser *p, struct json_value *v)
{
	bool obj = v->type == JSON_OBJECT;
	char close = obj ? '}' : ']';
	size_t cap = 0;
	int err;

	if (++p->depth > JSON_READ_MAX_DEPTH)
		return fail_at(p, p->pos, "nesting deeper than %d", JSON_READ_MAX_DEPTH);
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		size_t key_len;

		if (v->n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			void *items = realloc(v->items, ncap * sizeof(*v->items));

			if (!items)
				return -ENOMEM;
			v->items = items;
			if (obj) {
				void *keys = realloc(v->keys, ncap * sizeof(*v->keys));

				if (!keys)
					return -ENOMEM;
				v->keys = keys;
			}
			cap = ncap;
		}
		skip_ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return unexpected(p, "a string key");
			err = parse_string(p, &key, &key_len);
			if (err)
				return err;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				return unexpected(p, "':'");
			}
			p->pos++;
			v->keys[v->n] = key;
		}
		v->items[v->n] = NULL;
		/* Counted before parsing so that free() sees the key even if the value fails. */
		v->n++;
		err = parse_value(p, &v->items[v->n - 1]);
		if (err)
			return err;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			p->depth--;
			return 0;
		}
		return unexpected(p, obj ? "',' or '}'" : "',' or ']'");
	}
}

static int parse_literal(struct parser *p, struct json_value *v)
{
	static const char *const words[] = { "true", "false", "null" };

	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if (p->len - p->pos >= n && !memcmp(p->s + p->pos, words[i], n)) {
			p->pos += n;
			v->type = i == 2 ? JSON_NULL : JSON_BOOL;
			v->boolean = i == 0;
			return 0;
		}
	}
	return unexpected(p, "a value");
}

static int parse_value(struct parser *p, struct json_value **out)
{
	struct json_value *v;
	char c;

	skip_ws(p);
	if (p->pos >= p->len)
		return unexpected(p, "a value");
	c = p->s[p->pos];
	if (c != '{' && c != '[' && c != '"' && c != 't' && c != 'f' && c != 'n' && c != '-' &&
	    (c < '0' || c > '9'))
		return unexpected(p, "a value");
	v = new_value(c == '{' ? JSON_OBJECT : c == '[' ? JSON_ARRAY : JSON_NUMBER);
	if (!v)
		return -ENOMEM;
	*out = v;
	if (c == '{' || c == '[')
		return parse_container(p, v);
	if (c == '"') {
		v->type = JSON_STRING;
		return parse_string(p, &v->str, &v->str_len);
	}
	if (c == 't' || c == 'f' || c == 'n')
		return parse_literal(p, v);
	return parse_number(p, v);
}

int json_parse(const char *text, size_t len, struct json_value **out, char *err, size_t errlen)
{
	struct parser p = { .s = text, .len = len, .err = err, .errlen = errlen };
	struct json_value *v = NULL;
	int rc;

	if (errlen)
		err[0] = 0;
	rc = parse_value(&p, &v);
	if (!rc) {
		skip_ws(&p);
		if (p.pos < p.len)
			rc = fail_at(&p, p.pos, "unexpected data after the JSON value");
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc) {
		json_value_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void json_value_free(struct json_value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		json_value_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->items[i];
	return NULL;
}

const char *json_get_str(const struct json_value *obj, const char *key)
{
	const struct json_value *v = json_get(obj, key);

	return v && v->type == JSON_STRING ? v->str : NULL;
}

int json_get_u64(const struct json_value *obj, const char *key, uint64_t *out)
{
	const struct json_value *v = json_get(obj, key);

	if (!v)
		return -ENOENT;
	if (v->type != JSON_NUMBER || !v->is_uint)
		return -EINVAL;
	*out = v->uint;
	return 0;
}

int json_get_u128(const struct json_value *obj, const char *key, unsigned __int128 *out)
{
	const struct json_value *v = json_get(obj, key);

	if (!v)
		return -ENOENT;
	if (v->type != JSON_NUMBER || !v->is_uint128)
		return -EINVAL;
	*out = v->uint128;
	return 0;
}
