/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* sysray diff: compare two JSON profiles and fail on regressions (docs/diff.md). */
#ifndef SYSRAY_DIFF_H
#define SYSRAY_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DIFF_OK	       0
#define DIFF_REGRESSED 1
#define DIFF_BAD_INPUT 2

/* Profile files larger than this are refused before they are read. */
#define DIFF_MAX_FILE (256UL << 20)

/* Percentages relative to OLD; a negative one turns its rule off. */
struct diff_rules {
	double max_calls_pct;
	double max_errors_pct;
	double max_p99_pct;
	uint64_t min_calls; /* p99 is compared only with this many calls in both */
	bool new_syscalls;  /* a syscall only in NEW is a regression */
};

enum diff_break {
	DIFF_BREAK_CALLS = 1,
	DIFF_BREAK_ERRORS = 2,
	DIFF_BREAK_P99 = 4,
	DIFF_BREAK_NEW = 8,
};

struct diff_side {
	bool present;
	uint64_t calls, errors, p99_ns;
	unsigned __int128 total_ns; /* may exceed 2^64 in a long run */
};

/* name and abi point into the parsed profiles, which must outlive the result. */
struct diff_row {
	const char *name;
	const char *abi;
	struct diff_side old, new;
	unsigned int broken; /* enum diff_break bits */
};

struct diff_result {
	struct diff_row *rows; /* the rows to show, rule breaks first */
	size_t n;
	size_t regressions; /* rows with at least one broken rule */
	size_t compared;    /* syscalls in either profile */
};

void diff_rules__default(struct diff_rules *r);

/*
 * Compare two parsed profiles. -EINVAL with "'NAME': reason" in err when one is not a
 * sysray.profile/1 whole-run document.
 */
struct json_value;
int diff_profiles(const struct json_value *old, const char *old_name, const struct json_value *new,
		  const char *new_name, const struct diff_rules *rules, struct diff_result *res,
		  char *err, size_t errlen);
void diff_result__free(struct diff_result *res);

int diff_write_text(FILE *f, const struct diff_result *res, const struct diff_rules *rules,
		    const char *old_name, const char *new_name);
int diff_write_json(FILE *f, const struct diff_result *res, const struct diff_rules *rules,
		    const char *old_name, const char *new_name);

/*
 * Parse and compare two profile texts and write the result to f: returns DIFF_OK,
 * DIFF_REGRESSED or DIFF_BAD_INPUT (after one "sysray: error:" line naming the file).
 */
int diff_texts(const char *old_text, size_t old_len, const char *old_name, const char *new_text,
	       size_t new_len, const char *new_name, const struct diff_rules *rules, bool json,
	       FILE *f);

/* sysray diff ARGS: argv[0] is "diff". Returns the exit status. */
int diff_main(int argc, char **argv);

#endif /* SYSRAY_DIFF_H */
