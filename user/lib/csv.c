// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <string.h>
#include "lib/csv.h"

static bool needs_quotes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
}

static void put(char *dst, size_t len, size_t *k, char c)
{
	if (*k + 1 < len)
		dst[*k] = c;
	(*k)++;
}

size_t csv_field(char *dst, size_t len, const char *s, size_t n)
{
	bool q = needs_quotes(s, n);
	size_t k = 0;

	if (q)
		put(dst, len, &k, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			put(dst, len, &k, '"');
		put(dst, len, &k, s[i]);
	}
	if (q)
		put(dst, len, &k, '"');
	if (len)
		dst[k < len ? k : len - 1] = 0;
	return k;
}

void csv_fputs(FILE *f, const char *s)
{
	size_t n = strlen(s);

	if (!needs_quotes(s, n)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}
