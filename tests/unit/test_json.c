// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include "memstream.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/json.h"
#include "report/report_json.h"

/* The JSON text of one string value. */
static char *str_json(const char *s, size_t len)
{
	struct json_writer w;
	struct mem m;

	mem_open(&m);
	json_writer__init(&w, m.f, 0);
	cr_assert_eq(json_writer__string_len(&w, s, len), 0);
	cr_assert_eq(json_writer__end(&w), 0);
	return mem_text(&m);
}

static void check_str(const char *s, size_t len, const char *want)
{
	char *got = str_json(s, len);

	cr_assert_str_eq(got, want);
	free(got);
}

#define CHECK_STR(lit, want) check_str(lit, sizeof(lit) - 1, want "\n")

Test(json, escaping)
{
	CHECK_STR("plain", "\"plain\"");
	CHECK_STR("", "\"\"");
	CHECK_STR("a\"b", "\"a\\\"b\"");
	CHECK_STR("a\\b", "\"a\\\\b\"");
	CHECK_STR("/", "\"/\"");
	CHECK_STR("\n\t\r\b\f", "\"\\u000a\\u0009\\u000d\\u0008\\u000c\"");
	CHECK_STR("\x01\x1f", "\"\\u0001\\u001f\"");
	CHECK_STR("a\0b", "\"a\\u0000b\"");
	CHECK_STR("\x7f", "\"\x7f\"");
}

Test(json, utf8)
{
	/* valid sequences pass through: 2, 3 and 4 bytes, and the extremes */
	CHECK_STR("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	CHECK_STR("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	CHECK_STR("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	CHECK_STR("\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf",
		  "\"\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\"");
	/* every byte not part of a valid sequence becomes U+FFFD */
	CHECK_STR("\xff", "\"\\ufffd\"");
	CHECK_STR("a\x80z", "\"a\\ufffdz\"");
	CHECK_STR("\xe2\x82z", "\"\\ufffd\\ufffdz\"");		/* truncated */
	CHECK_STR("\xe2\x82", "\"\\ufffd\\ufffd\"");		/* truncated at the end */
	CHECK_STR("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* overlong '/' */
	CHECK_STR("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""); /* overlong */
	CHECK_STR("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
	CHECK_STR("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
	CHECK_STR("\xf8\x88\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

Test(json, compact_structure)
{
	struct json_writer w;
	struct mem m;
	char *got;

	mem_open(&m);
	json_writer__init(&w, m.f, 0);
	cr_assert_eq(json_writer__begin_object(&w), 0);
	cr_assert_eq(json_writer__key(&w, "a"), 0);
	json_writer__begin_array(&w);
	json_writer__u64(&w, 18446744073709551615ULL);
	json_writer__s64(&w, -9223372036854775807LL - 1);
	json_writer__bool(&w, true);
	json_writer__bool(&w, false);
	json_writer__null(&w);
	json_writer__string(&w, "x");
	json_writer__begin_array(&w);
	json_writer__end_array(&w);
	json_writer__begin_object(&w);
	json_writer__end_object(&w);
	json_writer__end_array(&w);
	json_writer__kv_string(&w, "k\"", "v");
	json_writer__kv_u64(&w, "n", 0);
	cr_assert_eq(json_writer__end_object(&w), 0);
	cr_assert_eq(json_writer__end(&w), 0);
	got = mem_text(&m);
	cr_assert_str_eq(got, "{\"a\":[18446744073709551615,-9223372036854775808,true,false,null,"
			      "\"x\",[],{}],\"k\\\"\":\"v\",\"n\":0}\n");
	free(got);
}

Test(json, pretty_structure)
{
	struct json_writer w;
	struct mem m;
	char *got;

	mem_open(&m);
	json_writer__init(&w, m.f, 2);
	json_writer__begin_object(&w);
	json_writer__key(&w, "a");
	json_writer__begin_array(&w);
	json_writer__u64(&w, 1);
	json_writer__begin_object(&w);
	json_writer__kv_s64(&w, "b", -1);
	json_writer__end_object(&w);
	json_writer__end_array(&w);
	json_writer__key(&w, "e");
	json_writer__begin_array(&w);
	json_writer__end_array(&w);
	json_writer__end_object(&w);
	cr_assert_eq(json_writer__end(&w), 0);
	got = mem_text(&m);
	cr_assert_str_eq(got, "{\n"
			      "  \"a\": [\n"
			      "    1,\n"
			      "    {\n"
			      "      \"b\": -1\n"
			      "    }\n"
			      "  ],\n"
			      "  \"e\": []\n"
			      "}\n");
	free(got);
}

Test(json, doubles)
{
	struct json_writer w;
	struct mem m;
	char *got;

	mem_open(&m);
	json_writer__init(&w, m.f, 0);
	json_writer__begin_array(&w);
	json_writer__double(&w, 0.1);
	json_writer__double(&w, -2.5);
	json_writer__double(&w, 3);
	json_writer__double(&w, 1.0 / 3);
	json_writer__double(&w, 1e300);
	json_writer__double(&w, NAN);
	json_writer__double(&w, INFINITY);
	json_writer__double(&w, -INFINITY);
	json_writer__end_array(&w);
	cr_assert_eq(json_writer__end(&w), 0);
	got = mem_text(&m);
	cr_assert_str_eq(got, "[0.1,-2.5,3,0.33333333333333331,1e+300,null,null,null]\n");
	free(got);
}

/* Run a misuse after a valid prefix; the misuse and json_writer__end() must both fail. */
#define MISUSE(prefix, bad)                                                                        \
	do {                                                                                       \
		struct json_writer w;                                                              \
		FILE *f = fopen("/dev/null", "w");                                                 \
                                                                                                   \
		json_writer__init(&w, f, 0);                                                       \
		prefix;                                                                            \
		cr_assert_eq(bad, -EINVAL, "%s", #bad);                                            \
		cr_assert_eq(json_writer__u64(&w, 1), -EINVAL, "sticky");                          \
		cr_assert_eq(json_writer__end(&w), -EINVAL, "%s", #bad);                           \
		fclose(f);                                                                         \
	} while (0)

Test(json, misuse)
{
	/* a value without a key, keys where they cannot be, two keys, a key without a value */
	MISUSE(json_writer__begin_object(&w), json_writer__u64(&w, 1));
	MISUSE(json_writer__begin_array(&w), json_writer__key(&w, "k"));
	MISUSE(, json_writer__key(&w, "k"));
	MISUSE(json_writer__begin_object(&w); json_writer__key(&w, "a"), json_writer__key(&w, "b"));
	MISUSE(json_writer__begin_object(&w);
	       json_writer__key(&w, "a"), json_writer__end_object(&w));
	/* mismatched ends, or nothing to end */
	MISUSE(json_writer__begin_object(&w), json_writer__end_array(&w));
	MISUSE(json_writer__begin_array(&w), json_writer__end_object(&w));
	MISUSE(, json_writer__end_object(&w));
	/* a second top-level value */
	MISUSE(json_writer__u64(&w, 1), json_writer__u64(&w, 2));
	MISUSE(json_writer__begin_array(&w);
	       json_writer__end_array(&w), json_writer__begin_array(&w));
	/* NULL strings */
	MISUSE(json_writer__begin_object(&w), json_writer__key(&w, NULL));
	MISUSE(json_writer__begin_array(&w), json_writer__string(&w, NULL));
}

Test(json, unbalanced_end)
{
	struct json_writer w;
	FILE *f = fopen("/dev/null", "w");

	json_writer__init(&w, f, 0);
	cr_assert_eq(json_writer__end(&w), -EINVAL); /* empty document */
	json_writer__init(&w, f, 0);
	json_writer__begin_array(&w);
	json_writer__begin_object(&w);
	json_writer__end_object(&w);
	cr_assert_eq(json_writer__end(&w), -EINVAL); /* array still open */
	json_writer__init(&w, f, 0);
	json_writer__u64(&w, 1);
	cr_assert_eq(json_writer__end(&w), 0);
	cr_assert_eq(json_writer__end(&w), -EINVAL); /* already ended */
	fclose(f);
}

Test(json, depth_limit)
{
	struct json_writer w;
	FILE *f = fopen("/dev/null", "w");

	json_writer__init(&w, f, 0);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		cr_assert_eq(json_writer__begin_array(&w), 0);
	cr_assert_eq(json_writer__begin_array(&w), -EINVAL);
	cr_assert_eq(json_writer__end(&w), -EINVAL);
	fclose(f);
}

static struct profile *sample_profile(void)
{
	static char *argv[] = { "sh", "-c", "echo \"hi\"\n", NULL };
	struct profile *p = calloc(1, sizeof(*p));
	struct sc_stat *s;

	cr_assert_not_null(p);
	p->run.mode = TARGET_COMMAND;
	p->run.argv = argv;
	p->run.exit_status = 3;
	p->duration_ns = 1500000000ULL;
	p->procs = 2;
	p->received = 10;
	p->dropped = 1;

	/* read: 3 calls, one of them never returned */
	s = &p->total.sc[SYSRAY_ABI_NATIVE][0];
	s->calls = 3;
	s->unfinished = 1;
	sc_stat__add_time(s, 400);
	sc_stat__add_time(s, 100);
	s->errors = 1;
	/* close ties with read on time: the name decides */
	s = &p->total.sc[SYSRAY_ABI_NATIVE][3];
	s->calls = 1;
	sc_stat__add_time(s, 500);
	/* i386 getpid, most time */
	s = &p->total.sc[SYSRAY_ABI_COMPAT][20];
	s->calls = 1;
	sc_stat__add_time(s, 9000);
	/* exit_group: counted, never timed */
	s = &p->total.sc[SYSRAY_ABI_NATIVE][231];
	s->calls = 1;
	s->unfinished = 1;
	/* an unnamed number */
	s = &p->total.sc[SYSRAY_ABI_NATIVE][511];
	s->calls = 2;
	s->errors = 2;
	sc_stat__add_time(s, 7);
	sc_stat__add_time(s, 5);
	return p;
}

static char *json_of(const struct profile *p)
{
	struct mem m;

	mem_open(&m);
	cr_assert_eq(report_json(m.f, p, "1.2.3"), 0);
	return mem_text(&m);
}

/* What a syscall without a struct sc_detail (no record) gets. */
#define NO_DETAIL                                                                                  \
	",\n      \"mean_ns\": 0,\n      \"stddev_ns\": 0,\n      \"p50_ns\": 0,\n"                \
	"      \"p75_ns\": 0,\n      \"p90_ns\": 0,\n      \"p95_ns\": 0,\n"                       \
	"      \"p99_ns\": 0,\n      \"p999_ns\": 0,\n      \"outliers\": null,\n"                 \
	"      \"outlier_share\": null,\n      \"errnos\": {},\n"                                  \
	"      \"histogram\": []"

#define SC(name, nr, abi, calls, errors, unfinished, total, min, max)                              \
	"    {\n      \"name\": \"" name "\",\n      \"nr\": " #nr ",\n      \"abi\": \"" abi      \
	"\",\n      \"calls\": " #calls ",\n      \"errors\": " #errors                            \
	",\n      \"unfinished\": " #unfinished ",\n      \"total_ns\": " #total                   \
	",\n      \"min_ns\": " #min ",\n      \"max_ns\": " #max NO_DETAIL "\n    }"

Test(report_json, command)
{
	struct profile *p = sample_profile();
	char *got = json_of(p);

	cr_assert_str_eq(
	    got, "{\n"
		 "  \"schema\": \"sysray.profile/1\",\n"
		 "  \"tool\": {\n"
		 "    \"name\": \"sysray\",\n"
		 "    \"version\": \"1.2.3\"\n"
		 "  },\n"
		 "  \"target\": {\n"
		 "    \"mode\": \"command\",\n"
		 "    \"argv\": [\n"
		 "      \"sh\",\n"
		 "      \"-c\",\n"
		 "      \"echo \\\"hi\\\"\\u000a\"\n"
		 "    ],\n"
		 "    \"exit_status\": 3\n"
		 "  },\n"
		 "  \"duration_ns\": 1500000000,\n"
		 "  \"processes\": 2,\n"
		 "  \"events\": {\n"
		 "    \"received\": 10,\n"
		 "    \"dropped\": 1,\n"
		 "    \"missed\": 0\n"
		 "  },\n"
		 "  \"filters\": {},\n"
		 "  \"syscalls\": [\n" SC("getpid", 20, "i386", 1, 0, 0, 9000, 9000, 9000) ",\n" SC(
		     "close", 3, "x86_64", 1, 0, 0, 500, 500,
		     500) ",\n" SC("read", 0, "x86_64", 3, 1, 1, 500, 100,
				   400) ",\n" SC("syscall_511", 511, "x86_64", 2, 2, 0, 12, 5,
						 7) ",\n" SC("exit_group", 231, "x86_64", 1, 0, 1,
							     0, 0, 0) "\n"
								      "  ]\n"
								      "}\n");
	free(got);
	free(p);
}

Test(report_json, pid_and_system)
{
	static const int pids[] = { 42, 7 };
	struct profile *p = calloc(1, sizeof(*p));
	char *got;

	p->run.mode = TARGET_PID;
	p->run.pids = pids;
	p->run.nr_pids = 2;
	p->run.exit_status = -1;
	got = json_of(p);
	cr_assert(strstr(got, "  \"target\": {\n"
			      "    \"mode\": \"pid\",\n"
			      "    \"pids\": [\n"
			      "      42,\n"
			      "      7\n"
			      "    ]\n"
			      "  },\n"),
		  "%s", got);
	cr_assert(strstr(got, "  \"syscalls\": []\n}\n"), "%s", got);
	cr_assert_null(strstr(got, "exit_status"));
	free(got);

	p->run.mode = TARGET_SYSTEM;
	got = json_of(p);
	cr_assert(strstr(got, "  \"target\": {\n"
			      "    \"mode\": \"system\"\n"
			      "  },\n"),
		  "%s", got);
	free(got);
	free(p);
}

Test(report_json, bad_mode_writes_nothing)
{
	struct profile *p = calloc(1, sizeof(*p));
	struct mem m;
	char *got;

	p->run.mode = 7;
	mem_open(&m);
	cr_assert_eq(report_json(m.f, p, "x"), -EINVAL);
	got = mem_text(&m);
	cr_assert_str_eq(got, "");
	free(got);
	free(p);
}
