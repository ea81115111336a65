// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/errnos.h"
#include "stats/sc_detail.h"

struct sc_detail *sc_detail__new(void)
{
	/* struct hist asks for 64-byte alignment, which malloc does not promise. */
	struct sc_detail *d = aligned_alloc(_Alignof(struct sc_detail), sizeof(*d));

	if (!d)
		return NULL;
	memset(d, 0, sizeof(*d));
	hist__init(&d->hist);
	return d;
}

void sc_detail__free(struct sc_detail *d)
{
	if (!d)
		return;
	free(d->rare);
	free(d);
}

void sc_detail__reset(struct sc_detail *d)
{
	/* Nothing was counted since the last reset: skip the 34 KiB of stores. */
	if (!hist__count(&d->hist))
		return;
	hist__reset(&d->hist);
	memset(d->errnos, 0, sizeof(d->errnos));
	d->nr_rare = 0;
}

int sc_detail__add_rare(struct sc_detail *d, __u32 err)
{
	struct errno_count *r;

	for (__u32 i = 0; i < d->nr_rare; i++) {
		if (d->rare[i].err == err) {
			d->rare[i].count++;
			return 0;
		}
	}
	if (d->nr_rare == d->cap_rare) {
		__u32 cap = d->cap_rare ? 2 * d->cap_rare : 4;

		r = realloc(d->rare, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		d->rare = r;
		d->cap_rare = cap;
	}
	d->rare[d->nr_rare++] = (struct errno_count){ .err = err, .count = 1 };
	return 0;
}

static int errno_cmp(const void *pa, const void *pb)
{
	const struct errno_count *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return a->err < b->err ? -1 : a->err > b->err;
}

int sc_detail__errnos(const struct sc_detail *d, struct errno_count **out, size_t *n)
{
	struct errno_count *e;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return 0;
	for (int i = 1; i < SC_ERRNO_FLAT; i++)
		k += d->errnos[i] != 0;
	k += d->nr_rare;
	if (!k)
		return 0;
	e = malloc(k * sizeof(*e));
	if (!e)
		return -ENOMEM;
	k = 0;
	for (int i = 1; i < SC_ERRNO_FLAT; i++) {
		if (d->errnos[i])
			e[k++] = (struct errno_count){ .err = i, .count = d->errnos[i] };
	}
	for (__u32 i = 0; i < d->nr_rare; i++)
		e[k++] = d->rare[i];
	qsort(e, k, sizeof(*e), errno_cmp);
	*out = e;
	*n = k;
	return 0;
}

const char *sc_errno_label(__u32 err, char *buf, size_t len)
{
	const char *name = errno_name((int)err);

	if (name)
		return name;
	/* errno_lookup() reads the number back. */
	snprintf(buf, len, "%u", err);
	return buf;
}
