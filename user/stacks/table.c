// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "stacks/table.h"

struct stack_table {
	struct stack_entry **entries; /* in order of first sight */
	size_t n, cap, max;
	struct stack_entry **slots; /* open addressing on the key's hash */
	size_t nslots;
};

/* FNV-1a over the key's bytes (keys are built zeroed, so padding is zero). */
static __u64 key_hash(const struct stack_key *k)
{
	const unsigned char *p = (const unsigned char *)k;
	size_t len = stack_key_size(k);
	__u64 h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

int stack_table__new(size_t max_entries, struct stack_table **out)
{
	struct stack_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->max = max_entries;
	t->nslots = 1024;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

static int grow(struct stack_table *t)
{
	size_t n = t->nslots * 2;
	struct stack_entry **s = calloc(n, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		size_t j = t->entries[i]->hash & (n - 1);

		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = t->entries[i];
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

static struct stack_entry *insert(struct stack_table *t, const struct stack_key *key, __u64 h,
				  size_t slot)
{
	size_t ksize = stack_key_size(key);
	struct stack_entry *e, **a;

	if (t->n >= t->max)
		return NULL;
	e = calloc(1, sizeof(*e) - sizeof(e->key) + ksize);
	if (!e)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;

		a = realloc(t->entries, cap * sizeof(*a));
		if (!a) {
			free(e);
			return NULL;
		}
		t->entries = a;
		t->cap = cap;
	}
	memcpy(&e->key, key, ksize);
	e->hash = h;
	t->entries[t->n++] = e;
	t->slots[slot] = e;
	return e;
}

int stack_table__add(struct stack_table *t, const struct stack_key *key,
		     const struct stack_sample *s)
{
	__u64 h = key_hash(key);
	size_t ksize = stack_key_size(key), i;
	struct stack_entry *e;

	if (t->n * 2 >= t->nslots && grow(t))
		return -ENOMEM;
	for (i = h & (t->nslots - 1); (e = t->slots[i]); i = (i + 1) & (t->nslots - 1))
		if (e->hash == h && stack_key_size(&e->key) == ksize &&
		    !memcmp(&e->key, key, ksize))
			break;
	if (!e) {
		e = insert(t, key, h, i);
		if (!e)
			return t->n >= t->max ? -ENOSPC : -ENOMEM;
	}
	e->captured++;
	e->calls += s->weight;
	e->errors += s->error ? s->weight : 0;
	e->time_ns += s->time_ns;
	if (s->dur_ns > e->max_ns)
		e->max_ns = s->dur_ns;
	return 0;
}

size_t stack_table__count(const struct stack_table *t)
{
	return t->n;
}

const struct stack_entry *stack_table__at(const struct stack_table *t, size_t i)
{
	return i < t->n ? t->entries[i] : NULL;
}

void stack_table__free(struct stack_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->entries[i]);
	free(t->entries);
	free(t->slots);
	free(t);
}
