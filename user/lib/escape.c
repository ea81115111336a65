// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "lib/escape.h"
#include "lib/utf8.h"

/* Put c at out[*k] if it fits; *k counts what the whole escape needs. */
static void put(char *out, size_t len, size_t *k, char c)
{
	if (*k + 1 < len)
		out[*k] = c;
	(*k)++;
}

static void put_escape(char *out, size_t len, size_t *k, unsigned char c, bool digit_next)
{
	static const char named[] = "\n\t\r\v\f\\";
	static const char letter[] = "ntrvf\\";
	const char *p = c ? strchr(named, c) : NULL;

	put(out, len, k, '\\');
	if (p) {
		put(out, len, k, letter[p - named]);
		return;
	}
	/* Octal with as few digits as strace uses, all three when a digit follows. */
	if (c >= 64 || digit_next)
		put(out, len, k, '0' + (c >> 6));
	if (c >= 8 || digit_next)
		put(out, len, k, '0' + ((c >> 3) & 7));
	put(out, len, k, '0' + (c & 7));
}

/*
 * A valid UTF-8 sequence that prints: not one of the C1 controls U+0080..U+009F, which
 * terminals in UTF-8 mode may obey (U+009B is CSI). 0 otherwise.
 */
static size_t printable_seq(const unsigned char *s, size_t n)
{
	size_t u = s[0] >= 0x80 ? utf8_seq_len(s, n) : 0;

	return u == 2 && s[0] == 0xc2 && s[1] < 0xa0 ? 0 : u;
}

static size_t escape(char *dst, size_t len, const char *src, size_t n, bool utf8)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t k = 0, i = 0;

	while (i < n) {
		size_t u = utf8 ? printable_seq(s + i, n - i) : 0;

		if (u) {
			for (size_t j = 0; j < u; j++)
				put(dst, len, &k, s[i + j]);
			i += u;
		} else if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\') {
			put(dst, len, &k, s[i++]);
		} else {
			bool digit_next = i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7';

			put_escape(dst, len, &k, s[i++], digit_next);
		}
	}
	if (len)
		dst[k < len ? k : len - 1] = 0;
	return k;
}

size_t escape_bytes(char *dst, size_t len, const char *src, size_t n)
{
	return escape(dst, len, src, n, true);
}

size_t escape_bytes_ascii(char *dst, size_t len, const char *src, size_t n)
{
	return escape(dst, len, src, n, false);
}

size_t escape_str(char *dst, size_t len, const char *src)
{
	return escape_bytes(dst, len, src, strlen(src));
}

void fputs_escaped(const char *src, FILE *f)
{
	char buf[256];
	size_t n = strlen(src), need = escape_bytes(buf, sizeof(buf), src, n);

	if (need < sizeof(buf)) {
		fputs(buf, f);
		return;
	}
	/* Long: byte by byte, each escaped alone (its UTF-8 sequence stays whole). */
	for (size_t i = 0; i < n;) {
		size_t u = printable_seq((const unsigned char *)src + i, n - i);
		size_t step = u ? u : 1;
		bool digit_next = i + step < n && src[i + step] >= '0' && src[i + step] <= '7';

		escape_bytes(buf, sizeof(buf), src + i, step);
		/* A lone octal escape must not run into a following digit. */
		if (!u && digit_next && buf[0] == '\\' && strlen(buf) < 4 && buf[1] >= '0' &&
		    buf[1] <= '7') {
			unsigned char c = src[i];

			fprintf(f, "\\%03o", c);
		} else {
			fputs(buf, f);
		}
		i += step;
	}
}
