// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Time sums past 2^64 ns (10,000 threads in epoll_wait for 21 days of -a): never wrapped,
 * exact in the JSON report, read back exactly by sysray diff.
 */
#include <criterion/criterion.h>
#include "memstream.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats/aggregate.h"
#include "stats/sc_stat.h"
#include "report/report_json.h"
#include "report/report_text.h"
#include "diff/diff.h"
#include "diff/json_read.h"
#include "lib/json.h"
#include "lib/u128.h"

#define TWO64 ((unsigned __int128)1 << 64)
/* Longest duration a record can carry: slots keep 48 bits of nanoseconds. */
#define LONGEST ((1ULL << 48) - 1)
/* 70000 * (2^48 - 1): 19703248369745850000, past 2^64 = 18446744073709551616 */
#define BIG_CALLS 70000
#define BIG_SUM	  "19703248369745850000"

static char *u128_text(unsigned __int128 v)
{
	char buf[U128_BUF];

	return strdup(u128_format(v, buf, sizeof(buf)));
}

Test(u128, decimal_formatting)
{
	static const struct {
		unsigned __int128 v;
		const char *want;
	} cases[] = {
		{ 0, "0" },
		{ 9, "9" },
		{ UINT64_MAX, "18446744073709551615" },
		{ TWO64, "18446744073709551616" },
		{ TWO64 + 5, "18446744073709551621" },
		{ ~(unsigned __int128)0, "340282366920938463463374607431768211455" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = u128_text(cases[i].v);

		cr_expect_str_eq(got, cases[i].want);
		free(got);
	}
}

Test(u128, json_writer_is_exact)
{
	struct json_writer w;
	struct mem m;
	char *got;

	mem_open(&m);
	json_writer__init(&w, m.f, 0);
	json_writer__begin_array(&w);
	json_writer__u128(&w, UINT64_MAX);
	json_writer__u128(&w, TWO64);
	json_writer__u128(&w, ~(unsigned __int128)0);
	json_writer__end_array(&w);
	cr_assert_eq(json_writer__end(&w), 0);
	got = mem_text(&m);
	cr_expect_str_eq(got, "[18446744073709551615,18446744073709551616,"
			      "340282366920938463463374607431768211455]\n");
	free(got);
}

Test(u128, sc_stat_sums_do_not_wrap)
{
	struct sc_stat a = { 0 }, b = { 0 };

	/* just below 2^64, then past it by adding and by merging */
	a.total_ns = TWO64 - 5;
	a.timed = 1;
	sc_stat__add_time(&a, 10);
	cr_expect(a.total_ns == TWO64 + 5, "sum wrapped");
	b.total_ns = TWO64 - 1;
	b.timed = 1;
	sc_stat__merge(&a, &b);
	cr_expect(a.total_ns == 2 * TWO64 + 4, "merge wrapped");
	cr_expect_eq(a.timed, 3);
}

static struct aggregate *big_run(void)
{
	struct aggregate_opts o = { .pid_max = 1 << 22, .group_by = GROUP_PROCESS };
	struct sysray_rec r = { .dur_ns = LONGEST, .tgid = 10, .tid = 10, .nr = 232 };
	struct aggregate *a;

	cr_assert_eq(aggregate__new(&o, &a), 0);
	for (int i = 0; i < BIG_CALLS; i++)
		cr_assert_eq(aggregate__add(a, &r, 1), 0);
	return a;
}

/* epoll_wait (232) calls of 78 hours each: the JSON totals are exact past 2^64. */
Test(u128, json_report_totals_are_exact)
{
	struct report_json_opts o = { .version = "9", .compact = true };
	struct aggregate *a = big_run();
	struct profile *p = aggregate__profile(a);
	struct mem m;
	char *got;

	cr_expect(p->total.sc[SYSRAY_ABI_NATIVE][232].total_ns ==
		      (unsigned __int128)BIG_CALLS * LONGEST,
		  "the total wrapped");
	mem_open(&m);
	cr_assert_eq(report_json_write(m.f, p, &o), 0);
	got = mem_text(&m);
	/* the syscall's total and the process's */
	cr_expect(strstr(got,
			 "\"name\":\"epoll_wait\",\"nr\":232,\"abi\":\"x86_64\",\"calls\":70000,"
			 "\"errors\":0,\"unfinished\":0,\"total_ns\":" BIG_SUM ","),
		  "%.600s", got);
	cr_expect(strstr(got, "\"calls\":70000,\"errors\":0,\"total_ns\":" BIG_SUM ","), "%s",
		  strstr(got, "processes_detail"));
	free(got);
	aggregate__free(a);
}

/* The text table: seconds from the exact sum, and 78 hours (281474.97671 s) a call. */
Test(u128, text_report_seconds)
{
	struct aggregate *a = big_run();
	struct profile *p = aggregate__profile(a);
	struct mem m;
	char *got;

	mem_open(&m);
	cr_assert_eq(report_text(m.f, &p->total, NULL), 0);
	got = mem_text(&m);
	cr_expect(strstr(got, "100.00 19703248369.745850 "), "%s", got);
	cr_expect(strstr(got, " 281474976710 "), "usecs/call: %s", got);
	free(got);
	aggregate__free(a);
}

/* sysray diff reads such a total back exactly and prints it exactly. */
Test(u128, diff_reads_and_prints_totals_past_2_64)
{
	const char *old = "{\"schema\":\"sysray.profile/1\",\"syscalls\":[{\"name\":\"epoll_wait\","
			  "\"nr\":232,\"abi\":\"x86_64\",\"calls\":70000,\"errors\":0,"
			  "\"total_ns\":" BIG_SUM ",\"p99_ns\":5}]}";
	const char *new = "{\"schema\":\"sysray.profile/1\",\"syscalls\":[{\"name\":\"epoll_wait\","
			  "\"nr\":232,\"abi\":\"x86_64\",\"calls\":80000,\"errors\":0,"
			  "\"total_ns\":340282366920938463463374607431768211455,\"p99_ns\":5}]}";
	struct diff_rules rules;
	char err[256], *out;
	struct json_value *v;
	size_t len;
	FILE *f;

	cr_assert_eq(json_parse(old, strlen(old), &v, err, sizeof(err)), 0, "%s", err);
	cr_expect_not(v->items[1]->items[0]->items[5]->is_uint, "past 2^64 is not a u64");
	json_value_free(v);
	diff_rules__default(&rules);
	f = open_memstream(&out, &len);
	cr_assert_not_null(f);
	cr_expect_eq(diff_texts(old, strlen(old), "old.json", new, strlen(new), "new.json", &rules,
				false, f),
		     1, "the calls rule breaks");
	fclose(f);
	cr_expect(strstr(out, BIG_SUM " -> 340282366920938463463374607431768211455"), "%s", out);
	free(out);
}
