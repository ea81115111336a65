// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diff/diff.h"
#include "diff/json_read.h"

#define PROFILE(rows) "{\"schema\":\"sysray.profile/1\",\"syscalls\":[" rows "]}"
#define ROW(name, calls, errors, p99)                                                              \
	"{\"name\":\"" name "\",\"nr\":1,\"abi\":\"x86_64\",\"calls\":" #calls                     \
	",\"errors\":" #errors ",\"total_ns\":" #calls "000,\"p99_ns\":" #p99 "}"

struct run {
	int code;
	char *out;
};

/* diff_texts on two literals; out holds what it printed. */
static struct run run_rules(const char *old, const char *new, const struct diff_rules *rules,
			    bool json)
{
	struct run r = { 0 };
	size_t len;
	FILE *f = open_memstream(&r.out, &len);

	cr_assert_not_null(f);
	r.code =
	    diff_texts(old, strlen(old), "old.json", new, strlen(new), "new.json", rules, json, f);
	fclose(f);
	return r;
}

static struct run run(const char *old, const char *new)
{
	struct diff_rules rules;

	diff_rules__default(&rules);
	return run_rules(old, new, &rules, false);
}

/* The comparison itself: its rows and regressions. */
static void compare(const char *old, const char *new, const struct diff_rules *rules,
		    struct diff_result *res, struct json_value **o, struct json_value **n)
{
	char err[256];

	cr_assert_eq(json_parse(old, strlen(old), o, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(json_parse(new, strlen(new), n, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(diff_profiles(*o, "old", *n, "new", rules, res, err, sizeof(err)), 0, "%s",
		     err);
}

Test(diff, calls_rule_at_the_default_10_percent)
{
	struct run r;

	r = run(PROFILE(ROW("read", 100, 0, 500)), PROFILE(ROW("read", 111, 0, 500)));
	cr_expect_eq(r.code, DIFF_REGRESSED);
	cr_expect(strstr(r.out, "calls ") && strstr(r.out, "100 -> 111 (+11.0%)"), "%s", r.out);
	free(r.out);
	r = run(PROFILE(ROW("read", 100, 0, 500)), PROFILE(ROW("read", 109, 0, 500)));
	cr_expect_eq(r.code, DIFF_OK, "%s", r.out);
	cr_expect(strstr(r.out, "100 -> 109 (+9.0%)"), "a changed row is listed: %s", r.out);
	free(r.out);
	/* exactly the limit is allowed */
	r = run(PROFILE(ROW("read", 100, 0, 500)), PROFILE(ROW("read", 110, 0, 500)));
	cr_expect_eq(r.code, DIFF_OK, "%s", r.out);
	free(r.out);
	/* fewer calls are never a regression */
	r = run(PROFILE(ROW("read", 100, 0, 500)), PROFILE(ROW("read", 10, 0, 500)));
	cr_expect_eq(r.code, DIFF_OK, "%s", r.out);
	free(r.out);
}

Test(diff, p99_rule_needs_min_calls_in_both)
{
	struct diff_rules rules;
	struct diff_result res;
	struct json_value *o, *n;

	diff_rules__default(&rules);
	/* 99 calls: p99 x10 is ignored, and the unchanged row is not even listed */
	compare(PROFILE(ROW("read", 99, 0, 100)), PROFILE(ROW("read", 99, 0, 1000)), &rules, &res,
		&o, &n);
	cr_expect_eq(res.regressions, 0);
	cr_expect_eq(res.n, 0);
	cr_expect_eq(res.compared, 1);
	diff_result__free(&res);
	json_value_free(o);
	json_value_free(n);

	compare(PROFILE(ROW("read", 100, 0, 100)), PROFILE(ROW("read", 100, 0, 121)), &rules, &res,
		&o, &n);
	cr_expect_eq(res.regressions, 1);
	cr_assert_eq(res.n, 1);
	cr_expect_eq(res.rows[0].broken, DIFF_BREAK_P99);
	diff_result__free(&res);
	json_value_free(o);
	json_value_free(n);

	rules.max_p99_pct = -1;
	compare(PROFILE(ROW("read", 100, 0, 100)), PROFILE(ROW("read", 100, 0, 500)), &rules, &res,
		&o, &n);
	cr_expect_eq(res.regressions, 0, "a negative percentage turns the rule off");
	diff_result__free(&res);
	json_value_free(o);
	json_value_free(n);
}

Test(diff, errors_from_zero_break_unless_off)
{
	const char *old = PROFILE(ROW("openat", 10, 0, 100));
	const char *new = PROFILE(ROW("openat", 10, 1, 100));
	struct diff_rules rules;
	struct run r;

	diff_rules__default(&rules);
	rules.max_errors_pct = 1000;
	r = run_rules(old, new, &rules, false);
	cr_expect_eq(r.code, DIFF_REGRESSED);
	cr_expect(strstr(r.out, "0 -> 1 (+inf%)"), "%s", r.out);
	free(r.out);
	rules.max_errors_pct = -1;
	r = run_rules(old, new, &rules, false);
	cr_expect_eq(r.code, DIFF_OK, "%s", r.out);
	free(r.out);
}

Test(diff, new_syscall_is_listed_and_breaks_only_on_request)
{
	const char *old = PROFILE(ROW("read", 10, 0, 100));
	const char *new = PROFILE(ROW("read", 10, 0, 100) "," ROW("ptrace", 1, 0, 100));
	struct diff_rules rules;
	struct run r;

	diff_rules__default(&rules);
	r = run_rules(old, new, &rules, false);
	cr_expect_eq(r.code, DIFF_OK);
	cr_expect(strstr(r.out, "ptrace") && strstr(r.out, "- -> 1"), "%s", r.out);
	cr_expect_null(strstr(r.out, "read "), "unchanged rows are not listed: %s", r.out);
	free(r.out);
	rules.new_syscalls = true;
	r = run_rules(old, new, &rules, false);
	cr_expect_eq(r.code, DIFF_REGRESSED);
	cr_expect(strstr(r.out, "new          ptrace"), "%s", r.out);
	free(r.out);
	/* a syscall gone from NEW is listed, never a regression */
	r = run_rules(new, old, &rules, false);
	cr_expect_eq(r.code, DIFF_OK);
	cr_expect(strstr(r.out, "1 -> -"), "%s", r.out);
	free(r.out);
}

Test(diff, same_name_in_two_abis_is_two_rows)
{
	const char *old = "{\"schema\":\"sysray.profile/1\",\"syscalls\":["
			  "{\"name\":\"getppid\",\"abi\":\"x86_64\",\"calls\":10,\"errors\":0},"
			  "{\"name\":\"getppid\",\"abi\":\"i386\",\"calls\":10,\"errors\":0}]}";
	const char *new = "{\"schema\":\"sysray.profile/1\",\"syscalls\":["
			  "{\"name\":\"getppid\",\"abi\":\"x86_64\",\"calls\":10,\"errors\":0},"
			  "{\"name\":\"getppid\",\"abi\":\"i386\",\"calls\":20,\"errors\":0}]}";
	struct diff_rules rules;
	struct diff_result res;
	struct json_value *o, *n;

	diff_rules__default(&rules);
	compare(old, new, &rules, &res, &o, &n);
	cr_assert_eq(res.n, 1);
	cr_expect_str_eq(res.rows[0].abi, "i386");
	cr_expect_eq(res.rows[0].broken, DIFF_BREAK_CALLS);
	diff_result__free(&res);
	json_value_free(o);
	json_value_free(n);
}

Test(diff, text_golden)
{
	const char *old = PROFILE(ROW("read", 200, 0, 1000) "," ROW("write", 100, 2, 300) "," ROW(
	    "close", 5, 0, 100) "," ROW("brk", 3, 0, 50));
	const char *new = PROFILE(ROW("read", 200, 0, 1300) "," ROW("write", 105, 2, 300) "," ROW(
	    "close", 5, 0, 900) "," ROW("mmap", 4, 0, 70));
	const char *want =
	    "sysray diff: old.json -> new.json\n"
	    "broken       syscall              abi     calls                        errors         "
	    "        p99_ns                       total_ns\n"
	    "p99          read                 x86_64  200 -> 200                   0 -> 0         "
	    "        1000 -> 1300 (+30.0%)        200000 -> 200000\n"
	    "-            write                x86_64  100 -> 105 (+5.0%)           2 -> 2         "
	    "        300 -> 300                   100000 -> 105000 (+5.0%)\n"
	    "-            mmap                 x86_64  - -> 4                       - -> 0         "
	    "        - -> 70                      - -> 4000\n"
	    "-            brk                  x86_64  3 -> -                       0 -> -         "
	    "        50 -> -                      3000 -> -\n"
	    "total calls 308 -> 314 (+1.9%) (rule +10%)\n"
	    "1 regression, 4 of 5 syscalls changed; rules: calls +10%, errors +10%, p99 +20% "
	    "(>= 100 calls), total +10%, new syscalls allowed, new anomalies break\n";
	struct run r = run(old, new);

	cr_expect_eq(r.code, DIFF_REGRESSED);
	cr_expect_str_eq(r.out, want, "got:\n%s", r.out);
	free(r.out);
}

Test(diff, json_output)
{
	struct diff_rules rules;
	struct json_value *v;
	char err[256];
	struct run r;
	uint64_t n;

	diff_rules__default(&rules);
	r = run_rules(PROFILE("{\"name\":\"read\",\"abi\":\"x86_64\",\"calls\":0,\"errors\":0}"),
		      PROFILE(ROW("read", 5, 0, 10)), &rules, true);
	cr_expect_eq(r.code, DIFF_REGRESSED);
	cr_assert_eq(json_parse(r.out, strlen(r.out), &v, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(json_get_str(v, "schema"), "sysray.diff/1");
	/* the row, and the total of all calls: 0 -> 5 */
	cr_expect_eq(json_get_u64(v, "regressions", &n), 0);
	cr_expect_eq(n, 2);
	cr_expect_eq(json_get_u64(json_get(v, "total"), "new_calls", &n), 0);
	cr_expect_eq(n, 5);
	cr_expect(json_get(json_get(v, "total"), "broken")->boolean);
	cr_expect_eq(json_get(v, "new_anomalies")->type, JSON_NULL);
	cr_assert_eq(json_get(v, "rows")->n, 1);
	/* an increase from 0 is infinite: null */
	cr_expect_eq(json_get(json_get(v, "rows")->items[0], "calls_pct")->type, JSON_NULL);
	cr_expect_str_eq(json_get(json_get(v, "rows")->items[0], "broken")->items[0]->str, "calls");
	json_value_free(v);
	free(r.out);
}

/* diff_main on files with up to two options: returns the exit status. */
static int diff_files2(const char *old, const char *new, const char *opt, const char *opt2)
{
	char po[] = "/tmp/sysray-unit-diff-XXXXXX", pn[] = "/tmp/sysray-unit-diff-XXXXXX";
	int fo = mkstemp(po), fn = mkstemp(pn), code;
	char *argv[] = { "diff", po, pn, (char *)opt, (char *)opt2, NULL };

	cr_assert(fo >= 0 && fn >= 0);
	cr_assert_eq(write(fo, old, strlen(old)), (ssize_t)strlen(old));
	cr_assert_eq(write(fn, new, strlen(new)), (ssize_t)strlen(new));
	close(fo);
	close(fn);
	code = diff_main(3 + !!opt + !!opt2, argv);
	unlink(po);
	unlink(pn);
	return code;
}

static int diff_files(const char *old, const char *new, const char *opt)
{
	return diff_files2(old, new, opt, NULL);
}

static void quiet(void)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
}

Test(diff, exit_codes, .init = quiet)
{
	const char *a = PROFILE(ROW("read", 100, 0, 100)), *b = PROFILE(ROW("read", 120, 0, 100));
	char *missing[] = { "diff", "/nonexistent/old.json", "/nonexistent/new.json", NULL };
	char *one[] = { "diff", "old.json", NULL };
	char *bad_opt[] = { "diff", "--max-calls-increase", "lots", "a", "b", NULL };

	cr_expect_eq(diff_files(a, a, NULL), DIFF_OK);
	cr_expect_eq(diff_files(a, b, NULL), DIFF_REGRESSED);
	/* the total of all calls grows as much as read's: both rules must allow it */
	cr_expect_eq(diff_files(a, b, "--max-calls-increase=25"), DIFF_REGRESSED);
	cr_expect_eq(diff_files2(a, b, "--max-calls-increase=25", "--max-total-increase=20"),
		     DIFF_OK);
	cr_expect_eq(diff_files2(a, b, "--max-calls-increase=off", "--max-total-increase=off"),
		     DIFF_OK);
	cr_expect_eq(diff_files(a, b, "--max-total-increase=x"), DIFF_BAD_INPUT);
	cr_expect_eq(diff_files(a, b, "--new-anomalies=maybe"), DIFF_BAD_INPUT);
	cr_expect_eq(diff_files(a, "{\"schema\": ", NULL), DIFF_BAD_INPUT);
	cr_expect_eq(diff_files(a, "{\"schema\":\"sysray.diff/1\",\"rows\":[]}", NULL),
		     DIFF_BAD_INPUT);
	cr_expect_eq(diff_files("{\"schema\":\"sysray.profile/1\",\"syscalls\":[{}]}", a, NULL),
		     DIFF_BAD_INPUT);
	cr_expect_eq(diff_main(3, missing), DIFF_BAD_INPUT);
	cr_expect_eq(diff_main(2, one), DIFF_BAD_INPUT);
	cr_expect_eq(diff_main(5, bad_opt), DIFF_BAD_INPUT);
}

Test(diff, bad_input_names_the_file, .init = cr_redirect_stderr)
{
	struct run r = run(PROFILE(ROW("read", 1, 0, 1)), "{\n  \"schema\" \"x\"}");

	cr_expect_eq(r.code, DIFF_BAD_INPUT);
	cr_expect_str_empty(r.out);
	free(r.out);
	fflush(stderr);
	cr_expect_stderr_eq_str("sysray: error: invalid JSON in 'new.json': line 2, column 12: "
				"expected ':', got '\"'\n");
}

Test(diff, total_rule_sums_every_syscall)
{
	struct diff_rules rules;
	struct run r;

	/* each row grows by 8 %, below its rule; so does the total */
	r = run(PROFILE(ROW("read", 100, 0, 5) "," ROW("write", 100, 0, 5)),
		PROFILE(ROW("read", 108, 0, 5) "," ROW("write", 108, 0, 5)));
	cr_expect_eq(r.code, DIFF_OK, "%s", r.out);
	cr_expect(strstr(r.out, "total calls 200 -> 216 (+8.0%) (rule +10%)\n"), "%s", r.out);
	free(r.out);
	diff_rules__default(&rules);
	rules.max_total_pct = 5;
	r = run_rules(PROFILE(ROW("read", 100, 0, 5) "," ROW("write", 100, 0, 5)),
		      PROFILE(ROW("read", 108, 0, 5) "," ROW("write", 108, 0, 5)), &rules, false);
	cr_expect_eq(r.code, DIFF_REGRESSED);
	cr_expect(strstr(r.out, "total calls 200 -> 216 (+8.0%): broken (rule +5%)\n"), "%s",
		  r.out);
	cr_expect(strstr(r.out, "\n1 regression, "), "%s", r.out);
	free(r.out);
	/* a new syscall alone can break it, though the row is only listed */
	r = run(PROFILE(ROW("read", 100, 0, 5)),
		PROFILE(ROW("read", 100, 0, 5) "," ROW("fsync", 11, 0, 5)));
	cr_expect_eq(r.code, DIFF_REGRESSED, "%s", r.out);
	free(r.out);
}

Test(diff, broken_column_is_as_wide_as_its_widest_cell)
{
	const char *old = PROFILE(ROW("read", 200, 1, 1000) "," ROW("write", 100, 0, 300));
	const char *new = PROFILE(ROW("read", 300, 5, 2000) "," ROW("write", 100, 0, 300));
	struct run r = run(old, new);
	char *line2;

	cr_expect_eq(r.code, DIFF_REGRESSED);
	/* "calls,errors,p99" is 16 characters: the header and the rows line up after it */
	cr_expect(strstr(r.out, "\nbroken           syscall "), "%s", r.out);
	line2 = strstr(r.out, "\ncalls,errors,p99 read ");
	cr_expect_not_null(line2, "%s", r.out);
	free(r.out);
}

#define EPISODE(sc, kind, sev)                                                                     \
	"{\"syscall\":\"" sc "\",\"nr\":1,\"abi\":\"x86_64\",\"kind\":\"" kind                     \
	"\",\"metric\":\"p99\",\"max_severity\":\"" sev "\"}"
#define WITH_ANOMALIES(rows, eps)                                                                  \
	"{\"schema\":\"sysray.profile/1\",\"syscalls\":[" rows "],\"anomalies\":[" eps "]}"

Test(diff, new_anomalies_rule)
{
	const char *old = WITH_ANOMALIES(ROW("read", 100, 0, 5), EPISODE("read", "latency", "low"));
	const char *new =
	    WITH_ANOMALIES(ROW("read", 100, 0, 5),
			   EPISODE("read", "latency", "high") "," EPISODE(
			       "fsync", "new", "medium") "," EPISODE("fsync", "new", "low"));
	struct diff_rules rules;
	struct run r = run(old, new);

	/* read's latency episode is known: its severity does not matter; fsync's is new, once */
	cr_expect_eq(r.code, DIFF_REGRESSED);
	cr_expect(strstr(r.out, "new anomalies: 1\n  medium fsync (x86_64) new p99\n"), "%s",
		  r.out);
	cr_expect(strstr(r.out, "\n1 regression, "), "%s", r.out);
	free(r.out);
	/* no anomaly section in OLD: nothing to compare */
	r = run(PROFILE(ROW("read", 100, 0, 5)), new);
	cr_expect_eq(r.code, DIFF_OK, "%s", r.out);
	cr_expect(!strstr(r.out, "new anomalies:"), "%s", r.out);
	free(r.out);
	diff_rules__default(&rules);
	rules.new_anomalies = false;
	r = run_rules(old, new, &rules, false);
	cr_expect_eq(r.code, DIFF_OK, "%s", r.out);
	free(r.out);
}

Test(diff, interval_reports_get_their_message_for_any_line_count, .init = cr_redirect_stderr)
{
#define IV(seq) "{\"schema\":\"sysray.profile/1\",\"interval\":{\"seq\":" #seq "},\"syscalls\":[]}"
	const char *files[] = {
		IV(1),
		IV(1) "\n",
		IV(1) "\n" PROFILE(ROW("read", 1, 0, 1)) "\n",
		IV(1) "\n" IV(2) "\n" PROFILE(ROW("read", 1, 0, 1)),
	};
	const char *line = "sysray: error: 'new.json': interval reports (-i, JSON Lines): give a "
			   "profile made without -i\n";
	char want[1024] = "";

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct run r = run(PROFILE(ROW("read", 1, 0, 1)), files[i]);

		cr_expect_eq(r.code, DIFF_BAD_INPUT, "file %zu", i);
		free(r.out);
		strcat(want, line);
	}
	fflush(stderr);
	cr_expect_stderr_eq_str(want);
#undef IV
}
