// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for what sysray reads from files other people may write: the profile
 * reader (diff/json_read.c) and sysray diff on top of it (make fuzz FUZZ_SECONDS=N).
 *
 * An input is OLD and NEW separated by the first NUL byte (without one, the input is both).
 * Each pair goes through the whole of diff_texts(), text and JSON output, and the input
 * through json_parse_first() (the JSON Lines path); the sanitizers (address, undefined)
 * turn any memory error or undefined behaviour into a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff/diff.h"
#include "diff/json_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	const char *text = (const char *)data;
	const char *sep = memchr(text, 0, size);
	size_t old_len = sep ? (size_t)(sep - text) : size;
	const char *new = sep ? sep + 1 : text;
	size_t new_len = sep ? size - old_len - 1 : size, end;
	struct json_value *v = NULL;
	struct diff_rules rules;
	char err[256];

	if (!out)
		out = fopen("/dev/null", "w");
	diff_rules__default(&rules);
	diff_texts(text, old_len, "old", new, new_len, "new", &rules, false, out);
	rules.new_syscalls = true;
	rules.max_p99_pct = -1;
	diff_texts(text, old_len, "old", new, new_len, "new", &rules, true, out);
	if (!json_parse_first(text, size, &v, &end, err, sizeof(err)) && end > size)
		abort();
	json_value_free(v);
	return 0;
}
