// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "minijson.h"

struct mj_parser {
	const char *s;
	bool bad;
};

static struct mj *parse_value(struct mj_parser *p, int depth);

static void skip_ws(struct mj_parser *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
		p->s++;
}

static struct mj *node(enum mj_type t)
{
	struct mj *v = calloc(1, sizeof(*v));

	v->type = t;
	return v;
}

static char *parse_string(struct mj_parser *p)
{
	size_t cap = 16, len = 0;
	char *out;

	if (*p->s != '"') {
		p->bad = true;
		return NULL;
	}
	p->s++;
	out = malloc(cap);
	while (*p->s != '"') {
		unsigned char c = *p->s++;

		if (!c || c < 0x20) {
			p->bad = true;
			break;
		}
		if (c == '\\') {
			c = *p->s++;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u': {
				unsigned v = 0;

				for (int i = 0; i < 4; i++) {
					if (!isxdigit((unsigned char)p->s[i])) {
						p->bad = true;
						break;
					}
					v = v * 16 + (isdigit((unsigned char)p->s[i])
							  ? p->s[i] - '0'
							  : (tolower(p->s[i]) - 'a' + 10));
				}
				p->s += 4;
				c = v < 0x80 ? v : '?';
				break;
			}
			default:
				p->bad = true;
			}
		}
		if (p->bad)
			break;
		if (len + 2 > cap)
			out = realloc(out, cap *= 2);
		out[len++] = c;
	}
	out[len] = 0;
	if (!p->bad)
		p->s++;
	return out;
}

static struct mj *parse_container(struct mj_parser *p, int depth, bool obj)
{
	struct mj *v = node(obj ? MJ_OBJ : MJ_ARR);
	char close = obj ? '}' : ']';

	p->s++;
	skip_ws(p);
	if (*p->s == close) {
		p->s++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct mj *kid;

		skip_ws(p);
		if (obj) {
			key = parse_string(p);
			skip_ws(p);
			if (p->bad || *p->s != ':') {
				p->bad = true;
				free(key);
				return v;
			}
			p->s++;
		}
		kid = parse_value(p, depth + 1);
		v->kids = realloc(v->kids, (v->n + 1) * sizeof(*v->kids));
		if (obj)
			v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys)),
			v->keys[v->n] = key;
		v->kids[v->n++] = kid;
		if (p->bad)
			return v;
		skip_ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s == close) {
			p->s++;
			return v;
		}
		p->bad = true;
		return v;
	}
}

static struct mj *parse_value(struct mj_parser *p, int depth)
{
	struct mj *v;
	char *end;

	skip_ws(p);
	if (depth > 64) {
		p->bad = true;
		return NULL;
	}
	switch (*p->s) {
	case '{':
		return parse_container(p, depth, true);
	case '[':
		return parse_container(p, depth, false);
	case '"':
		v = node(MJ_STR);
		v->str = parse_string(p);
		return v;
	case 't':
	case 'f':
	case 'n': {
		static const char *const words[] = { "true", "false", "null" };

		for (int i = 0; i < 3; i++) {
			if (!strncmp(p->s, words[i], strlen(words[i]))) {
				p->s += strlen(words[i]);
				v = node(i == 2 ? MJ_NULL : MJ_BOOL);
				v->b = i == 0;
				return v;
			}
		}
		p->bad = true;
		return NULL;
	}
	default:
		if (*p->s != '-' && !isdigit((unsigned char)*p->s)) {
			p->bad = true;
			return NULL;
		}
		v = node(MJ_NUM);
		v->num = strtod(p->s, &end);
		p->s = end;
		return v;
	}
}

struct mj *mj_parse(const char *text)
{
	struct mj_parser p = { .s = text };
	struct mj *v = parse_value(&p, 0);

	skip_ws(&p);
	if (p.bad || *p.s) {
		mj_free(v);
		return NULL;
	}
	return v;
}

void mj_free(struct mj *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->n; i++) {
		mj_free(v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->str);
	free(v);
}

struct mj *mj_get(const struct mj *obj, const char *key)
{
	if (!obj || obj->type != MJ_OBJ)
		return NULL;
	for (int i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->kids[i];
	return NULL;
}

long long mj_num(const struct mj *obj, const char *key, long long def)
{
	struct mj *v = mj_get(obj, key);

	return v && v->type == MJ_NUM ? (long long)v->num : def;
}

const char *mj_str(const struct mj *obj, const char *key)
{
	struct mj *v = mj_get(obj, key);

	return v && v->type == MJ_STR ? v->str : NULL;
}

struct mj *mj_find_syscall(const struct mj *root, const char *name, const char *abi)
{
	struct mj *arr = mj_get(root, "syscalls");

	if (!arr || arr->type != MJ_ARR)
		return NULL;
	for (int i = 0; i < arr->n; i++) {
		const char *n = mj_str(arr->kids[i], "name"), *a = mj_str(arr->kids[i], "abi");

		if (n && a && !strcmp(n, name) && !strcmp(a, abi))
			return arr->kids[i];
	}
	return NULL;
}
