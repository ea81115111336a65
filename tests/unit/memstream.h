/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A FILE that writes into memory, for comparing rendered reports with expected text. */
#ifndef SYSRAY_TEST_MEMSTREAM_H
#define SYSRAY_TEST_MEMSTREAM_H

#include <criterion/criterion.h>
#include <stdio.h>

struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static inline void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->f = open_memstream(&m->buf, &m->len);
	cr_assert_not_null(m->f);
}

/* Close the stream; the caller frees what was written. */
static inline char *mem_text(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

#endif /* SYSRAY_TEST_MEMSTREAM_H */
