// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "lib/u128.h"

char *u128_format(unsigned __int128 v, char *buf, size_t len)
{
	char tmp[U128_BUF];
	size_t n = 0, i;

	if (len < U128_BUF) {
		if (len)
			buf[0] = 0;
		return buf;
	}
	do {
		tmp[n++] = '0' + (char)(v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return buf;
}
