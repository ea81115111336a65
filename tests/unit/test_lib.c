// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The small shared helpers of user/lib/. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "lib/clock.h"
#include "lib/escape.h"
#include "lib/utf8.h"
#include "lib/walltime.h"
#include "memstream.h"

Test(lib, escape_like_strace)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "make", "make" },
		{ "\033[2J\033]0;pwn\a\nX", "\\33[2J\\33]0;pwn\\7\\nX" },
		{ "tab\there\r", "tab\\there\\r" },
		{ "back\\slash", "back\\\\slash" },
		{ "\0011", "\\0011" }, /* a digit after an octal escape: all three digits */
		{ "\001x", "\\1x" },
		{ "\177", "\\177" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },      /* valid UTF-8 passes */
		{ "bad\xc3(", "bad\\303(" },	       /* a truncated sequence does not */
		{ "\xed\xa0\x80", "\\355\\240\\200" }, /* a surrogate is not valid UTF-8 */
		{ "\xc2\x9b"
		  "2J",
		  "\\302\\2332J" },	    /* U+009B, CSI: a C1 control */
		{ "\xc2\xa0", "\xc2\xa0" }, /* U+00A0 prints */
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t need = escape_str(buf, sizeof(buf), cases[i].in);

		cr_expect_str_eq(buf, cases[i].out, "case %zu", i);
		cr_expect_eq(need, strlen(cases[i].out), "case %zu", i);
	}
}

/* The strings of a call's arguments, as strace prints them: UTF-8 in octal too. */
Test(lib, escape_ascii_like_strace_arguments)
{
	const char in[] = "/caf\xc3\xa9\n\033" "7\xff";
	const char want[] = "/caf\\303\\251\\n\\0337\\377";
	char buf[64];

	cr_expect_eq(escape_bytes_ascii(buf, sizeof(buf), in, strlen(in)), strlen(want));
	cr_expect_str_eq(buf, want);
}

Test(lib, escape_truncates_and_says_how_much_it_needs)
{
	char buf[5];

	cr_assert_eq(escape_str(buf, sizeof(buf), "\n\n\n"), 6);
	cr_expect_str_eq(buf, "\\n\\n");
}

Test(lib, fputs_escaped_long_strings_match_the_buffer_form)
{
	char in[600], want[2400];
	struct mem m;
	char *got;

	for (size_t i = 0; i < sizeof(in) - 1; i++)
		in[i] = i % 3 == 0 ? '\001' : i % 3 == 1 ? '7' : 'a';
	in[sizeof(in) - 1] = 0;
	escape_str(want, sizeof(want), in);
	mem_open(&m);
	fputs_escaped(in, m.f);
	got = mem_text(&m);
	cr_expect_str_eq(got, want);
	free(got);
}

Test(lib, utf8_sequences)
{
	cr_expect_eq(utf8_seq_len((const unsigned char *)"a", 1), 1);
	cr_expect_eq(utf8_seq_len((const unsigned char *)"\xc3\xa9", 2), 2);
	cr_expect_eq(utf8_seq_len((const unsigned char *)"\xc3\xa9", 1), 0);
	cr_expect_eq(utf8_seq_len((const unsigned char *)"\xc0\x80", 2), 0, "overlong");
	cr_expect_eq(utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0, "> U+10FFFF");
	cr_expect_eq(utf8_seq_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
}

Test(lib, ticker_keeps_to_the_grid_and_skips_missed_ticks)
{
	struct ticker t = { 0 };

	cr_expect_not(ticker__due(&t, 5), "not started");
	ticker__start(&t, 100, 1000);
	cr_expect_not(ticker__due(&t, 1099));
	cr_expect(ticker__due(&t, 1100));
	cr_expect_eq(t.next, 1200);
	cr_expect(ticker__due(&t, 1555), "a stall");
	cr_expect_eq(t.next, 1600, "the missed ticks are skipped");
	cr_expect_eq(clock_timeout_ms(1600, 1600 + 2500000, 100), 3, "rounded up");
	cr_expect_eq(clock_timeout_ms(1700, 1600, 100), 0);
	cr_expect_eq(clock_timeout_ms(0, 1000000000, 100), 100);
}

Test(lib, rfc3339_utc_with_truncated_microseconds)
{
	char buf[WALLTIME_LEN];

	cr_assert_str_eq(walltime_rfc3339(buf, sizeof(buf), 0), "1970-01-01T00:00:00.000000Z");
	/* 2000-02-29 (a leap day) 23:59:59.999999999: truncated, not rounded into March */
	cr_assert_str_eq(walltime_rfc3339(buf, sizeof(buf), 951868799999999999ULL),
			 "2000-02-29T23:59:59.999999Z");
	cr_assert_eq(strlen(buf), WALLTIME_LEN - 1);
}

Test(lib, monotonic_instants_convert_with_one_offset)
{
	__u64 m = now_ns(), w = walltime_now(), a = walltime_of_mono(m), b;

	/* The two readings above are taken within a millisecond, even on a loaded machine
	 * they are within a second. */
	cr_assert(a > w - 1000000000ULL && a < w + 1000000000ULL, "%llu vs %llu",
		  (unsigned long long)a, (unsigned long long)w);
	/* Later conversions keep the same offset: instants stay contiguous, to the ns. */
	for (int i = 0; i < 1000; i++) {
		b = walltime_of_mono(m + 1000);
		cr_assert_eq(b, a + 1000);
	}
}
