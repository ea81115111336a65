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

struct json_value;

/* Percentages relative to OLD; a negative one turns its rule off. */
struct diff_rules {
	double max_calls_pct;
	double max_errors_pct;
	double max_p99_pct;
	double max_total_pct; /* the sum of calls over all syscalls */
	uint64_t min_calls;   /* p99 is compared only with this many calls in both */
	bool new_syscalls;    /* a syscall only in NEW is a regression */
	bool new_anomalies;   /* an episode in NEW that OLD lacks is a regression */
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

/* An anomaly episode of NEW whose (group, syscall, abi, kind) has none in OLD. */
struct diff_anomaly {
	const char *group; /* "" without --anomaly-by */
	const char *syscall, *abi, *kind, *metric, *severity;
};

struct diff_result {
	struct diff_row *rows; /* the rows to show, rule breaks first */
	size_t n;
	/* Broken rules: rows with at least one, the total, and one per new anomaly. */
	size_t regressions;
	size_t compared;	       /* syscalls in either profile */
	uint64_t old_total, new_total; /* calls summed over the syscalls listed */
	bool total_broken;
	bool anomalies_compared; /* both profiles carry an "anomalies" section */
	struct diff_anomaly *new_anoms;
	size_t n_new_anoms;
};

void diff_rules__default(struct diff_rules *r);
/* The increase from old to new exceeds pct % of old; any increase from 0 does. */
bool diff_exceeds(uint64_t old, uint64_t new, double pct);
/*
 * The new-anomalies rule: fills res->new_anoms with the episodes of NEW that OLD lacks, when
 * both documents have an "anomalies" array. -ENOMEM, or -EINVAL with "'NAME': reason" in err.
 */
int diff_anomalies(const struct json_value *old, const char *old_name, const struct json_value *new,
		   const char *new_name, struct diff_result *res, char *err, size_t errlen);

/*
 * Compare two parsed profiles. -EINVAL with "'NAME': reason" in err when one is not a
 * sysray.profile/1 whole-run document.
 */
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
