// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stacks/ksyms.h"

struct ksym {
	__u64 addr;
	const char *name;   /* into the names buffer */
	const char *module; /* into the names buffer, or NULL */
};

struct ksyms {
	struct ksym *syms;
	size_t n;
	char **chunks;	      /* name storage: blocks of CHUNK bytes */
	size_t nchunks, used; /* bytes used in the last block */
};

#define CHUNK (256 * 1024)

static int cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static char *keep(struct ksyms *k, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p;

	if (!k->nchunks || k->used + len > CHUNK) {
		char **a = realloc(k->chunks, (k->nchunks + 1) * sizeof(*a));

		if (!a)
			return NULL;
		k->chunks = a;
		if (!(k->chunks[k->nchunks] = malloc(CHUNK)))
			return NULL;
		k->nchunks++;
		k->used = 0;
	}
	p = k->chunks[k->nchunks - 1] + k->used;
	memcpy(p, s, len);
	k->used += len;
	return p;
}

/* Functions only (text symbols t/T and w/W); data and absolute symbols are skipped. */
static int add_line(struct ksyms *k, size_t *cap, const char *line)
{
	char type, name[512], mod[128] = "";
	unsigned long long addr;
	int f = sscanf(line, "%llx %c %511s [%127[^]]]", &addr, &type, name, mod);

	if (f < 3 || !strchr("tTwW", type))
		return 0;
	if (k->n == *cap) {
		size_t c = *cap ? *cap * 2 : 65536;
		struct ksym *a = realloc(k->syms, c * sizeof(*a));

		if (!a)
			return -ENOMEM;
		k->syms = a;
		*cap = c;
	}
	k->syms[k->n].addr = addr;
	k->syms[k->n].name = keep(k, name);
	k->syms[k->n].module = f == 4 ? keep(k, mod) : NULL;
	if (!k->syms[k->n].name)
		return -ENOMEM;
	k->n++;
	return 0;
}

int ksyms__load(const char *path, struct ksyms **out)
{
	struct ksyms *k = calloc(1, sizeof(*k));
	char line[768];
	size_t cap = 0;
	bool nonzero = false;
	int err = 0;
	FILE *f;

	if (!k)
		return -ENOMEM;
	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		ksyms__free(k);
		return err;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		err = add_line(k, &cap, line);
		nonzero |= k->n && k->syms[k->n - 1].addr;
	}
	fclose(f);
	if (!err && !nonzero)
		err = -EPERM;
	if (err) {
		ksyms__free(k);
		return err;
	}
	qsort(k->syms, k->n, sizeof(*k->syms), cmp);
	*out = k;
	return 0;
}

const char *ksyms__find(const struct ksyms *k, __u64 addr, const char **module)
{
	size_t lo = 0, hi = k->n;

	*module = NULL;
	/* The last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	*module = k->syms[lo - 1].module;
	return k->syms[lo - 1].name;
}

void ksyms__free(struct ksyms *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nchunks; i++)
		free(k->chunks[i]);
	free(k->chunks);
	free(k->syms);
	free(k);
}
