// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff/json_read.h"

static struct json_value *parse_ok(const char *s)
{
	struct json_value *v = NULL;
	char err[256];

	cr_assert_eq(json_parse(s, strlen(s), &v, err, sizeof(err)), 0, "%s: %s", s, err);
	return v;
}

/* The input must fail with exactly this message. */
static void parse_bad(const char *s, size_t len, const char *want)
{
	struct json_value *v = NULL;
	char err[256];

	cr_assert_eq(json_parse(s, len, &v, err, sizeof(err)), -EINVAL, "accepted: %s", s);
	cr_expect_null(v);
	cr_expect_str_eq(err, want, "for input: %s: got %s", s, err);
}

#define BAD(lit, want) parse_bad(lit, sizeof(lit) - 1, want)

Test(json_read, values_and_accessors)
{
	struct json_value *v = parse_ok(" {\"a\": [1, -2.5, true, false, null], \"s\": \"x\","
					" \"n\": 18446744073709551615, \"e\": {}} \n");
	const struct json_value *a = json_get(v, "a");
	uint64_t u;

	cr_assert_eq(v->type, JSON_OBJECT);
	cr_assert_eq(v->n, 4);
	cr_assert_eq(a->type, JSON_ARRAY);
	cr_assert_eq(a->n, 5);
	cr_expect(a->items[0]->is_uint && a->items[0]->uint == 1);
	cr_expect(!a->items[1]->is_uint && a->items[1]->num == -2.5);
	cr_expect(a->items[2]->type == JSON_BOOL && a->items[2]->boolean);
	cr_expect(a->items[3]->type == JSON_BOOL && !a->items[3]->boolean);
	cr_expect_eq(a->items[4]->type, JSON_NULL);
	cr_expect_str_eq(json_get_str(v, "s"), "x");
	cr_expect_null(json_get_str(v, "a"));
	cr_expect_eq(json_get_u64(v, "n", &u), 0);
	cr_expect_eq(u, UINT64_MAX);
	cr_expect_eq(json_get_u64(v, "s", &u), -EINVAL);
	cr_expect_eq(json_get_u64(v, "missing", &u), -ENOENT);
	cr_expect_eq(json_get(v, "e")->n, 0);
	json_value_free(v);
}

Test(json_read, numbers)
{
	struct json_value *v =
	    parse_ok("[0, -0, 1e3, 2E-2, 18446744073709551616, 1.5e308, 1e-400]");

	cr_expect(v->items[0]->is_uint && v->items[0]->uint == 0);
	cr_expect(!v->items[1]->is_uint);
	cr_expect(!v->items[2]->is_uint && v->items[2]->num == 1000);
	cr_expect(v->items[3]->num == 0.02);
	/* one past UINT64_MAX: no longer an exact integer, still a number */
	cr_expect(!v->items[4]->is_uint && v->items[4]->num == 18446744073709551616.0);
	cr_expect(v->items[5]->num == 1.5e308);
	cr_expect(v->items[6]->num == 0);
	json_value_free(v);

	BAD("[1e400]", "line 1, column 2: number out of range");
	BAD("-1e999", "line 1, column 1: number out of range");
	BAD("01", "line 1, column 1: leading zero in a number");
	BAD("[-]", "line 1, column 3: expected a digit, got ']'");
	BAD("1.", "line 1, column 3: unexpected end of input");
	BAD("1.e5", "line 1, column 3: expected a digit, got 'e'");
	BAD("1e+", "line 1, column 4: unexpected end of input");
	BAD("+1", "line 1, column 1: expected a value, got '+'");
	BAD(".5", "line 1, column 1: expected a value, got '.'");
}

Test(json_read, string_escapes)
{
	struct json_value *v = parse_ok("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\","
					" \"\\ud83d\\ude00\", \"caf\xc3\xa9\", \"a\\u0000b\"]");

	cr_expect_str_eq(v->items[0]->str, "a\"b\\c/d\b\f\n\r\t");
	cr_expect_str_eq(v->items[1]->str, "\xc3\xa9\xe2\x82\xac");
	cr_expect_str_eq(v->items[2]->str, "\xf0\x9f\x98\x80");
	cr_expect_str_eq(v->items[3]->str, "caf\xc3\xa9");
	cr_expect_eq(v->items[4]->str_len, 3);
	cr_expect_eq(memcmp(v->items[4]->str, "a\0b", 3), 0);
	json_value_free(v);

	BAD("\"\\ud83d\"", "line 1, column 2: high surrogate \\ud83d without a low one");
	BAD("\"\\ud83d\\u0041\"", "line 1, column 2: high surrogate \\ud83d without a low one");
	BAD("\"\\ude00\"", "line 1, column 2: lone low surrogate \\ude00");
	BAD("\"\\u12G4\"", "line 1, column 6: expected a hex digit, got 'G'");
	BAD("\"\\x\"", "line 1, column 2: invalid escape '\\x'");
	BAD("\"ab", "line 1, column 4: unterminated string");
	BAD("\"a\tb\"", "line 1, column 3: control character 0x09 in a string");
	BAD("\"\xff\"", "line 1, column 2: invalid UTF-8");
	BAD("\"\xc0\xaf\"", "line 1, column 2: invalid UTF-8");	    /* overlong */
	BAD("\"\xed\xa0\x80\"", "line 1, column 2: invalid UTF-8"); /* raw surrogate */
	BAD("\"\xe2\x82\"", "line 1, column 2: invalid UTF-8");	    /* truncated */
}

Test(json_read, malformed_with_line_and_column)
{
	BAD("", "line 1, column 1: unexpected end of input");
	BAD("  \n ", "line 2, column 2: unexpected end of input");
	BAD("{\"a\": 1,\n  \"b\" 2}", "line 2, column 7: expected ':', got '2'");
	BAD("{\"a\": 1\n,}", "line 2, column 2: expected a string key, got '}'");
	BAD("[1,\n\n 2 3]", "line 3, column 4: expected ',' or ']', got '3'");
	BAD("{\"a\": 1 \"b\"}", "line 1, column 9: expected ',' or '}', got '\"'");
	BAD("{1: 2}", "line 1, column 2: expected a string key, got '1'");
	BAD("[tru]", "line 1, column 2: expected a value, got 't'");
	BAD("nul", "line 1, column 1: expected a value, got 'n'");
	BAD("{} {}", "line 1, column 4: unexpected data after the JSON value");
	BAD("[1]\n\n]", "line 3, column 1: unexpected data after the JSON value");
	BAD("[", "line 1, column 2: unexpected end of input");
	BAD("[\x01]", "line 1, column 2: expected a value, got byte 0x01");
	BAD("\xef\xbb\xbf{}", "line 1, column 1: expected a value, got byte 0xef");
	/* the length bounds the input, not a NUL */
	parse_bad("[1]xyz", 2, "line 1, column 3: unexpected end of input");
	parse_bad("[1,\0]", 5, "line 1, column 4: expected a value, got byte 0x00");
}

Test(json_read, nesting_limit)
{
	char deep[2 * JSON_READ_MAX_DEPTH + 3], want[64];
	struct json_value *v;
	int d = JSON_READ_MAX_DEPTH;

	memset(deep, '[', d);
	memset(deep + d, ']', d);
	deep[2 * d] = 0;
	v = parse_ok(deep);
	json_value_free(v);

	/* one more level fails at the bracket that goes too deep */
	memset(deep, '[', d + 1);
	memset(deep + d + 1, ']', d + 1);
	deep[2 * d + 2] = 0;
	snprintf(want, sizeof(want), "line 1, column %d: nesting deeper than %d", d + 1, d);
	parse_bad(deep, strlen(deep), want);
}

Test(json_read, no_leak_on_partial_documents)
{
	/* freed halfway through containers, keys and strings; run under ASan or valgrind */
	BAD("{\"a\": [1, {\"b\": \"c\"", "line 1, column 20: unexpected end of input");
	BAD("{\"a\": [1, {\"b\": \"c", "line 1, column 19: unterminated string");
	BAD("{\"a\"", "line 1, column 5: unexpected end of input");
}

Test(json_read, duplicate_keys_are_an_error)
{
	char big[4096], want[64];
	size_t n = 0;

	BAD("{\"a\": 1, \"b\": 2, \"a\": 3}", "line 1, column 18: duplicate key \"a\"");
	BAD("{\"x\": {\"k\": [], \"k\": []}}", "line 1, column 17: duplicate key \"k\"");
	/* the same key spelled with an escape is the same key */
	BAD("{\"name\": 1, \"n\\u0061me\": 2}", "line 1, column 13: duplicate key \"name\"");
	/* a name made to look like another: shown escaped */
	BAD("{\"\\u001b[2J\": 1, \"\\u001b[2J\": 2}",
	    "line 1, column 18: duplicate key \"\\33[2J\"");
	/* no key may hide behind a NUL: "a\u0000b" would read as "a" */
	BAD("{\"a\\u0000b\": 1}", "line 1, column 2: a key with \\u0000");
	/* a large object is checked too (sorted, not pairwise), at the later of the two */
	n += snprintf(big + n, sizeof(big) - n, "{");
	for (int i = 0; i < 200; i++)
		n += snprintf(big + n, sizeof(big) - n, "\"k%d\":%d,", i, i);
	snprintf(want, sizeof(want), "line 1, column %zu: duplicate key \"k17\"", n + 1);
	n += snprintf(big + n, sizeof(big) - n, "\"k17\":0}");
	parse_bad(big, n, want);
	big[n - 6] = 'A', big[n - 5] = 'B'; /* "kAB": no longer a duplicate */
	json_value_free(parse_ok(big));
}

Test(json_read, first_value_of_json_lines)
{
	const char *lines = "{\"a\": 1}\n{\"b\": 2}\n";
	struct json_value *v = NULL;
	char err[128];
	size_t end;

	cr_assert_eq(json_parse_first(lines, strlen(lines), &v, &end, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect_eq(json_get(v, "a")->uint, 1);
	cr_expect_eq(end, 9, "after the first value and its newline");
	json_value_free(v);
	parse_bad(lines, strlen(lines), "line 2, column 1: unexpected data after the JSON value");
}
