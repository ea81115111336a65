// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include "html/html_priv.h"
#include "lib/escape.h"

static void put_entities(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void html_puts(FILE *f, const char *s)
{
	char small[256], *buf = small;
	size_t need = escape_str(small, sizeof(small), s);

	/* Control bytes and broken UTF-8 become strace escapes first: the page stays text. */
	if (need >= sizeof(small)) {
		buf = malloc(need + 1);
		if (!buf) {
			fputs("?", f);
			return;
		}
		escape_str(buf, need + 1, s);
	}
	put_entities(f, buf);
	if (buf != small)
		free(buf);
}

const char *html_dur(char *buf, size_t len, double ns)
{
	static const char *const units[] = { "ns", "µs", "ms", "s" };
	unsigned int u = 0;

	if (ns < 0)
		ns = 0;
	/* Three significant digits, the unit chosen after rounding (999.96 µs is 1.00 ms). */
	while (u < 3 && ns >= 999.5) {
		ns /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns >= 99.95)
		snprintf(buf, len, "%.0f %s", ns, units[u]);
	else if (ns >= 9.995)
		snprintf(buf, len, "%.1f %s", ns, units[u]);
	else
		snprintf(buf, len, "%.2f %s", ns, units[u]);
	return buf;
}

const char *html_abi(int abi)
{
	const char *n = abi_name(abi);

	return n ? n : "?";
}
