// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "stacks/strpool.h"

struct strpool {
	char **slots;
	size_t n, nslots;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

int strpool__new(struct strpool **out)
{
	struct strpool *p = calloc(1, sizeof(*p));

	if (!p || !(p->slots = calloc(256, sizeof(*p->slots)))) {
		free(p);
		return -ENOMEM;
	}
	p->nslots = 256;
	*out = p;
	return 0;
}

static int grow(struct strpool *p)
{
	size_t n = p->nslots * 2;
	char **s = calloc(n, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < p->nslots; i++) {
		size_t j;

		if (!p->slots[i])
			continue;
		for (j = str_hash(p->slots[i]) & (n - 1); s[j]; j = (j + 1) & (n - 1))
			;
		s[j] = p->slots[i];
	}
	free(p->slots);
	p->slots = s;
	p->nslots = n;
	return 0;
}

const char *strpool__intern(struct strpool *p, const char *s)
{
	size_t i;

	if (p->n * 2 >= p->nslots && grow(p))
		return NULL;
	for (i = str_hash(s) & (p->nslots - 1); p->slots[i]; i = (i + 1) & (p->nslots - 1))
		if (!strcmp(p->slots[i], s))
			return p->slots[i];
	p->slots[i] = strdup(s);
	if (!p->slots[i])
		return NULL;
	p->n++;
	return p->slots[i];
}

void strpool__free(struct strpool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nslots; i++)
		free(p->slots[i]);
	free(p->slots);
	free(p);
}
