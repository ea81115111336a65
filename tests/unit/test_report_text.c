// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Golden tests for the strace-compatible summary table.
 *
 * The "golden" cases are real output of strace 6.1 ("strace -c -w", plus the -S/-U shown),
 * captured on this project's reference machine while tracing a libc-free program that makes
 * exactly the listed syscalls, with strace's CLOCK_MONOTONIC replaced through LD_PRELOAD so that
 * every call took exactly the listed number of nanoseconds.  The events are replayed here into
 * an sc_table and the bytes must match.  Lines strace prints about personality switches
 * ("[ Process PID=... runs in 32 bit mode. ]") are not part of the table and were dropped.
 *
 * The "derived" cases cover what strace cannot be made to produce cheaply (a billion calls,
 * calls that were never timed, an empty table); their expected text follows the same rules.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_text.h"

/* What each letter of the traced program's argument made it call; execve always came first. */
static const struct {
	char c;
	int abi;
	int nr;
	bool err;
} calls[] = {
	{ 'E', 0, 59, false },	/* execve */
	{ 'p', 0, 39, false },	/* getpid */
	{ 'P', 0, 110, false }, /* getppid */
	{ 'c', 0, 3, true },	/* close(-1): EBADF */
	{ 'u', 0, 102, false }, /* getuid */
	{ 'g', 0, 104, false }, /* getgid */
	{ 't', 0, 186, false }, /* gettid */
	{ 'm', 0, 146, false }, /* sched_get_priority_max */
	{ 'x', 1, 20, false },	/* i386 getpid, through int $0x80 */
	{ 'y', 1, 6, true },	/* i386 close(-1): EBADF */
	{ 'z', 1, 64, false },	/* i386 getppid */
};

struct golden {
	const char *seq;	       /* the calls after execve, as letters */
	unsigned long long dur_ns[12]; /* of execve, then of each call in seq */
	const char *sort;	       /* -S, or NULL */
	const char *cols;	       /* -U, or NULL */
	const char *want;
};

static void add_call(struct sc_table *t, char c, unsigned long long dur_ns)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct sc_stat *s = &t->sc[calls[i].abi][calls[i].nr];

		if (calls[i].c != c)
			continue;
		s->calls++;
		if (calls[i].err)
			s->errors++;
		sc_stat__add_time(s, dur_ns);
		return;
	}
	cr_assert_fail("unknown call letter '%c'", c);
}

static void replay(struct sc_table *t, const struct golden *g)
{
	memset(t, 0, sizeof(*t));
	add_call(t, 'E', g->dur_ns[0]);
	for (size_t i = 0; g->seq[i]; i++)
		add_call(t, g->seq[i], g->dur_ns[i + 1]);
}

/* Render t with the given -S/-U arguments; the caller frees the result. */
static char *render(const struct sc_table *t, const char *sort, const char *cols)
{
	struct report_text_opts o;
	char err[REPORT_ERR_LEN] = "";
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(&o, 0, sizeof(o));
	if (sort)
		cr_assert_eq(report_parse_sort(sort, &o, err, sizeof(err)), 0, "%s", err);
	if (cols)
		cr_assert_eq(report_parse_columns(cols, &o, err, sizeof(err)), 0, "%s", err);
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(report_text(f, t, &o), 0);
	fclose(f);
	return buf;
}

static void check_golden(const struct golden *g)
{
	struct sc_table *t = malloc(sizeof(*t));
	char *got;

	cr_assert_not_null(t);
	replay(t, g);
	got = render(t, g->sort, g->cols);
	cr_assert_str_eq(got, g->want);
	free(got);
	free(t);
}

/* strace -c -w ./prog pPPcuuu */
static const struct golden rounding = {
	"pPPcuuu",
	{ 250000, 429600, 1000, 1001, 999999, 999999, 1000000, 1000000 },
	NULL,
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 64.08    0.003000        1000         3           getuid\n"
	" 21.36    0.001000         999         1         1 close\n"
	"  9.18    0.000430         429         1           getpid\n"
	"  5.34    0.000250         250         1           execve\n"
	"  0.04    0.000002           1         2           getppid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.004682         585         8         1 total\n"
};

/* strace -c -w ./prog ugtpP */
static const struct golden ties_time = {
	"ugtpP",
	{ 7000, 5000, 5000, 5000, 5000, 5000 },
	NULL,
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 21.88    0.000007           7         1           execve\n"
	" 15.63    0.000005           5         1           getpid\n"
	" 15.63    0.000005           5         1           getuid\n"
	" 15.63    0.000005           5         1           getgid\n"
	" 15.63    0.000005           5         1           getppid\n"
	" 15.63    0.000005           5         1           gettid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000032           5         6           total\n"
};

/* strace -c -w -S calls ./prog ppPPugtcc */
static const struct golden sort_calls = {
	"ppPPugtcc",
	{ 3000, 1500, 2500, 2000, 2000, 4000, 1000, 1000, 1200, 800 },
	"calls",
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 10.53    0.000002           1         2         2 close\n"
	" 21.05    0.000004           2         2           getpid\n"
	" 21.05    0.000004           2         2           getppid\n"
	" 15.79    0.000003           3         1           execve\n"
	" 21.05    0.000004           4         1           getuid\n"
	"  5.26    0.000001           1         1           getgid\n"
	"  5.26    0.000001           1         1           gettid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000019           1        10         2 total\n"
};

/* strace -c -w -S errors ./prog ppPPugtcc */
static const struct golden sort_errors = {
	"ppPPugtcc",
	{ 3000, 1500, 2500, 2000, 2000, 4000, 1000, 1000, 1200, 800 },
	"errors",
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 10.53    0.000002           1         2         2 close\n"
	" 21.05    0.000004           2         2           getpid\n"
	" 15.79    0.000003           3         1           execve\n"
	" 21.05    0.000004           4         1           getuid\n"
	"  5.26    0.000001           1         1           getgid\n"
	" 21.05    0.000004           2         2           getppid\n"
	"  5.26    0.000001           1         1           gettid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000019           1        10         2 total\n"
};

/* strace -c -w -S name ./prog ppPPugtcc */
static const struct golden sort_name = {
	"ppPPugtcc",
	{ 3000, 1500, 2500, 2000, 2000, 4000, 1000, 1000, 1200, 800 },
	"name",
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 10.53    0.000002           1         2         2 close\n"
	" 15.79    0.000003           3         1           execve\n"
	"  5.26    0.000001           1         1           getgid\n"
	" 21.05    0.000004           2         2           getpid\n"
	" 21.05    0.000004           2         2           getppid\n"
	"  5.26    0.000001           1         1           gettid\n"
	" 21.05    0.000004           4         1           getuid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000019           1        10         2 total\n"
};

/* strace -c -w -S nothing ./prog ppPPugtcc */
static const struct golden sort_nothing = {
	"ppPPugtcc",
	{ 3000, 1500, 2500, 2000, 2000, 4000, 1000, 1000, 1200, 800 },
	"nothing",
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 10.53    0.000002           1         2         2 close\n"
	" 21.05    0.000004           2         2           getpid\n"
	" 15.79    0.000003           3         1           execve\n"
	" 21.05    0.000004           4         1           getuid\n"
	"  5.26    0.000001           1         1           getgid\n"
	" 21.05    0.000004           2         2           getppid\n"
	"  5.26    0.000001           1         1           gettid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000019           1        10         2 total\n"
};

/* strace -c -w -S avg-time ./prog ppPPugtcc */
static const struct golden sort_avg = {
	"ppPPugtcc",
	{ 3000, 1500, 2500, 2000, 2000, 4000, 1000, 1000, 1200, 800 },
	"avg-time",
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 21.05    0.000004           4         1           getuid\n"
	" 15.79    0.000003           3         1           execve\n"
	" 21.05    0.000004           2         2           getpid\n"
	" 21.05    0.000004           2         2           getppid\n"
	" 10.53    0.000002           1         2         2 close\n"
	"  5.26    0.000001           1         1           getgid\n"
	"  5.26    0.000001           1         1           gettid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000019           1        10         2 total\n"
};

/* strace -c -w -S min-time -U name,min-time,max-time,calls ./prog ppPPugtcc */
static const struct golden sort_min = { "ppPPugtcc",
					{ 3000, 1500, 2500, 2000, 2000, 4000, 1000, 1000, 1200,
					  800 },
					"min-time",
					"name,min-time,max-time,calls",
					"syscall          shortest  longest     calls\n"
					"---------------- -------- -------- ---------\n"
					"getuid           0.000004 0.000004         1\n"
					"execve           0.000003 0.000003         1\n"
					"getppid          0.000002 0.000002         2\n"
					"getpid           0.000002 0.000003         2\n"
					"getgid           0.000001 0.000001         1\n"
					"gettid           0.000001 0.000001         1\n"
					"close            0.000001 0.000001         2\n"
					"---------------- -------- -------- ---------\n"
					"total            0.000001 0.000004        10\n" };

/* strace -c -w -S longest -U max-time,shortest,avg-time ./prog ppPPugtcc */
static const struct golden sort_max = { "ppPPugtcc",
					{ 3000, 1500, 2500, 2000, 2000, 4000, 1000, 1000, 1200,
					  800 },
					"longest",
					"max-time,shortest,avg-time",
					" longest shortest  usecs/call syscall\n"
					"-------- -------- ----------- ----------------\n"
					"0.000004 0.000004           4 getuid\n"
					"0.000003 0.000003           3 execve\n"
					"0.000003 0.000002           2 getpid\n"
					"0.000002 0.000002           2 getppid\n"
					"0.000001 0.000001           1 close\n"
					"0.000001 0.000001           1 getgid\n"
					"0.000001 0.000001           1 gettid\n"
					"-------- -------- ----------- ----------------\n"
					"0.000004 0.000001           1 total\n" };

/* strace -c -w -S count -U calls,syscall,errors ./prog ppPPugtcc */
static const struct golden cols_name_mid = { "ppPPugtcc",
					     { 3000, 1500, 2500, 2000, 2000, 4000, 1000, 1000, 1200,
					       800 },
					     "count",
					     "calls,syscall,errors",
					     "    calls syscall             errors\n"
					     "--------- ---------------- ---------\n"
					     "        2 close                    2\n"
					     "        2 getpid                    \n"
					     "        2 getppid                   \n"
					     "        1 execve                    \n"
					     "        1 getuid                    \n"
					     "        1 getgid                    \n"
					     "        1 gettid                    \n"
					     "--------- ---------------- ---------\n"
					     "       10 total                    2\n" };

/* strace -c -w ./prog ppcm */
static const struct golden big = {
	"ppcm",
	{ 98765432109876543, 12345678901234567, 5, 10000000000, 77 },
	NULL,
	NULL,
	"% time          seconds     usecs/call     calls    errors syscall\n"
	"------ ---------------- -------------- --------- --------- -----------------------\n"
	" 88.89  98765432.109877 98765432109876         1           execve\n"
	" 11.11  12345678.901235  6172839450617         2           getpid\n"
	"  0.00        10.000000       10000000         1         1 close\n"
	"  0.00         0.000000              0         1           sched_get_priority_max\n"
	"------ ---------------- -------------- --------- --------- -----------------------\n"
	"100.00 111111121.011111 22222224202222         5         1 total\n"
};

/* strace -c -w -U time,total-time,min-time,max-time,avg-time,calls,errors,name ./prog ppcm */
static const struct golden big_all = {
	"ppcm",
	{ 98765432109876543, 12345678901234567, 5, 10000000000, 77 },
	NULL,
	"time,total-time,min-time,max-time,avg-time,calls,errors,name",
	"% time          seconds        shortest         longest     usecs/call     calls    "
	"errors "
	"syscall\n"
	"------ ---------------- --------------- --------------- -------------- --------- "
	"--------- "
	"-----------------------\n"
	" 88.89  98765432.109877 98765432.109877 98765432.109877 98765432109876         1          "
	" "
	"execve\n"
	" 11.11  12345678.901235        0.000000 12345678.901235  6172839450617         2          "
	" "
	"getpid\n"
	"  0.00        10.000000       10.000000       10.000000       10000000         1         "
	"1 "
	"close\n"
	"  0.00         0.000000        0.000000        0.000000              0         1          "
	" "
	"sched_get_priority_max\n"
	"------ ---------------- --------------- --------------- -------------- --------- "
	"--------- "
	"-----------------------\n"
	"100.00 111111121.011111        0.000000 98765432.109877 22222224202222         5         "
	"1 "
	"total\n"
};

/* strace -c -w ./prog pxyzxpcy */
static const struct golden i386 = {
	"pxyzxpcy",
	{ 9000, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000 },
	NULL,
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 39.13    0.000009           9         1           execve\n"
	" 30.43    0.000007           7         1         1 close\n"
	" 30.43    0.000007           3         2           getpid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000023           5         4         1 total\n"
	"System call usage summary for 32 bit mode:\n"
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 50.00    0.000011           5         2         2 close\n"
	" 31.82    0.000007           3         2           getpid\n"
	" 18.18    0.000004           4         1           getppid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000022           4         5         2 total\n"
};

/* strace -c -w -S calls -U calls,errors ./prog pxyzxpcy */
static const struct golden i386_calls = { "pxyzxpcy",
					  { 9000, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000 },
					  "calls",
					  "calls,errors",
					  "    calls    errors syscall\n"
					  "--------- --------- ----------------\n"
					  "        2           getpid\n"
					  "        1         1 close\n"
					  "        1           execve\n"
					  "--------- --------- ----------------\n"
					  "        4         1 total\n"
					  "System call usage summary for 32 bit mode:\n"
					  "    calls    errors syscall\n"
					  "--------- --------- ----------------\n"
					  "        2         2 close\n"
					  "        2           getpid\n"
					  "        1           getppid\n"
					  "--------- --------- ----------------\n"
					  "        5         2 total\n" };

/* strace -c -w ./prog pcPuc */
static const struct golden zero = {
	"pcPuc",
	{ 0, 0, 0, 0, 0, 0 },
	NULL,
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"  0.00    0.000000           0         2         2 close\n"
	"  0.00    0.000000           0         1           getpid\n"
	"  0.00    0.000000           0         1           execve\n"
	"  0.00    0.000000           0         1           getuid\n"
	"  0.00    0.000000           0         1           getppid\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.000000           0         6         2 total\n"
};

/* strace -c -w -U min-time,max-time,avg-time,errors ./prog pcPuc */
static const struct golden zero_minmax = {
	"pcPuc",
	{ 0, 0, 0, 0, 0, 0 },
	NULL,
	"min-time,max-time,avg-time,errors",
	"shortest  longest  usecs/call    errors syscall\n"
	"-------- -------- ----------- --------- ----------------\n"
	"0.000000 0.000000           0         2 close\n"
	"0.000000 0.000000           0           getpid\n"
	"0.000000 0.000000           0           execve\n"
	"0.000000 0.000000           0           getuid\n"
	"0.000000 0.000000           0           getppid\n"
	"-------- -------- ----------- --------- ----------------\n"
	"0.000000 0.000000           0         2 total\n"
};

/* strace -c -w ./prog mmpc */
static const struct golden long_name = {
	"mmpc",
	{ 1000, 2000, 3000, 4000, 5000 },
	NULL,
	NULL,
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- -----------------------\n"
	" 33.33    0.000005           5         1         1 close\n"
	" 33.33    0.000005           2         2           sched_get_priority_max\n"
	" 26.67    0.000004           4         1           getpid\n"
	"  6.67    0.000001           1         1           execve\n"
	"------ ----------- ----------- --------- --------- -----------------------\n"
	"100.00    0.000015           3         5         1 total\n"
};

/* strace -c -w -U name,calls ./prog mmpc */
static const struct golden long_name_mid = { "mmpc",
					     { 1000, 2000, 3000, 4000, 5000 },
					     NULL,
					     "name,calls",
					     "syscall                     calls\n"
					     "----------------------- ---------\n"
					     "close                           1\n"
					     "sched_get_priority_max          2\n"
					     "getpid                          1\n"
					     "execve                          1\n"
					     "----------------------- ---------\n"
					     "total                           5\n" };

#define GOLDEN(name)                                                                               \
	Test(report_text_golden, name)                                                             \
	{                                                                                          \
		check_golden(&name);                                                               \
	}

GOLDEN(rounding)
GOLDEN(ties_time)
GOLDEN(sort_calls)
GOLDEN(sort_errors)
GOLDEN(sort_name)
GOLDEN(sort_nothing)
GOLDEN(sort_avg)
GOLDEN(sort_min)
GOLDEN(sort_max)
GOLDEN(cols_name_mid)
GOLDEN(big)
GOLDEN(big_all)
GOLDEN(i386)
GOLDEN(i386_calls)
GOLDEN(zero)
GOLDEN(zero_minmax)
GOLDEN(long_name)
GOLDEN(long_name_mid)

/* One row set by hand: calls, errors, timed and the durations' total, min and max. */
static void set(struct sc_table *t, int abi, int nr, __u64 calls, __u64 errors, __u64 timed,
		__u64 total, __u64 min, __u64 max)
{
	struct sc_stat *s = &t->sc[abi][nr];

	*s = (struct sc_stat){ .calls = calls,
			       .errors = errors,
			       .unfinished = calls - timed,
			       .timed = timed,
			       .total_ns = total,
			       .min_ns = min,
			       .max_ns = max };
}

static void check_table(const struct sc_table *t, const char *sort, const char *cols,
			const char *want)
{
	char *got = render(t, sort, cols);

	cr_assert_str_eq(got, want);
	free(got);
}

/* Derived: the calls and errors columns grow with their totals. */
Test(report_text_derived, wide_counts)
{
	struct sc_table *t = calloc(1, sizeof(*t));

	set(t, 0, 39, 1234567890, 0, 1234567890, 2469135780ULL, 2, 2);
	set(t, 0, 3, 1000000001, 1000000000, 1000000001, 1000000001000ULL, 1000, 1000);
	check_table(t, NULL, NULL,
		    "% time     seconds  usecs/call      calls     errors syscall\n"
		    "------ ----------- ----------- ---------- ---------- ----------------\n"
		    " 99.75 1000.000001           1 1000000001 1000000000 close\n"
		    "  0.25    2.469136           0 1234567890            getpid\n"
		    "------ ----------- ----------- ---------- ---------- ----------------\n"
		    "100.00 1002.469137           0 2234567891 1000000000 total\n");
	free(t);
}

/*
 * Derived: calls that were never timed (unfinished, or their record dropped) count as calls but
 * not in usecs/call, which divides by the timed calls; an untimed row has no minimum to offer.
 */
Test(report_text_derived, untimed_calls)
{
	struct sc_table *t = calloc(1, sizeof(*t));

	set(t, 0, 39, 3, 0, 1, 5000, 5000, 5000);
	set(t, 0, 0, 2, 0, 2, 3000, 1000, 2000);
	set(t, 0, 231, 1, 0, 0, 0, 0, 0);
	check_table(t, NULL, NULL,
		    "% time     seconds  usecs/call     calls    errors syscall\n"
		    "------ ----------- ----------- --------- --------- ----------------\n"
		    " 62.50    0.000005           5         3           getpid\n"
		    " 37.50    0.000003           1         2           read\n"
		    "  0.00    0.000000           0         1           exit_group\n"
		    "------ ----------- ----------- --------- --------- ----------------\n"
		    "100.00    0.000008           2         6           total\n");
	check_table(t, "min-time", "min-time,max-time",
		    "shortest  longest syscall\n"
		    "-------- -------- ----------------\n"
		    "0.000005 0.000005 getpid\n"
		    "0.000001 0.000002 read\n"
		    "0.000000 0.000000 exit_group\n"
		    "-------- -------- ----------------\n"
		    "0.000001 0.000005 total\n");
	free(t);
}

/* Derived: nothing traced still prints the native table, with no rows. */
Test(report_text_derived, empty)
{
	struct sc_table *t = calloc(1, sizeof(*t));

	check_table(t, NULL, NULL,
		    "% time     seconds  usecs/call     calls    errors syscall\n"
		    "------ ----------- ----------- --------- --------- ----------------\n"
		    "------ ----------- ----------- --------- --------- ----------------\n"
		    "100.00    0.000000           0         0           total\n");
	free(t);
}

/* Derived: as strace, a personality without calls gets no table, even the first one. */
Test(report_text_derived, only_i386)
{
	struct sc_table *t = calloc(1, sizeof(*t));

	set(t, 1, 20, 2, 0, 2, 4000, 1000, 3000);
	check_table(t, NULL, "calls",
		    "System call usage summary for 32 bit mode:\n"
		    "    calls syscall\n"
		    "--------- ----------------\n"
		    "        2 getpid\n"
		    "--------- ----------------\n"
		    "        2 total\n");
	free(t);
}

/* Derived: numbers without a name print as syscall_NNN. */
Test(report_text_derived, unknown_syscall)
{
	struct sc_table *t = calloc(1, sizeof(*t));

	set(t, 0, 500, 1, 1, 1, 1234, 1234, 1234);
	set(t, 0, 0, 1, 0, 1, 1000, 1000, 1000);
	check_table(t, NULL, NULL,
		    "% time     seconds  usecs/call     calls    errors syscall\n"
		    "------ ----------- ----------- --------- --------- ----------------\n"
		    " 55.24    0.000001           1         1         1 syscall_500\n"
		    " 44.76    0.000001           1         1           read\n"
		    "------ ----------- ----------- --------- --------- ----------------\n"
		    "100.00    0.000002           1         2         1 total\n");
	free(t);
}

Test(report_text_derived, null_opts_are_defaults)
{
	struct sc_table *t = malloc(sizeof(*t));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	replay(t, &rounding);
	cr_assert_eq(report_text(f, t, NULL), 0);
	fclose(f);
	cr_assert_str_eq(buf, rounding.want);
	free(buf);
	free(t);
}

Test(report_text_derived, bad_opts)
{
	struct sc_table *t = calloc(1, sizeof(*t));
	struct report_text_opts o = { .cols = { REPORT_COL_CALLS, REPORT_COL_CALLS } };
	FILE *f = fopen("/dev/null", "w");

	cr_assert_eq(report_text(f, t, &o), -EINVAL);
	o = (struct report_text_opts){ .sort = 42 };
	cr_assert_eq(report_text(f, t, &o), -EINVAL);
	o = (struct report_text_opts){ .cols = { 99 } };
	cr_assert_eq(report_text(f, t, &o), -EINVAL);
	fclose(f);
	free(t);
}

static void parse_fails(int (*parse)(const char *, struct report_text_opts *, char *, size_t),
			const char *arg, const char *msg)
{
	struct report_text_opts o = { .sort = REPORT_SORT_CALLS, .cols = { REPORT_COL_CALLS } };
	char err[REPORT_ERR_LEN] = "";

	cr_assert_eq(parse(arg, &o, err, sizeof(err)), -EINVAL, "%s", arg);
	cr_assert_str_eq(err, msg);
	/* unchanged on failure */
	cr_assert_eq(o.sort, REPORT_SORT_CALLS);
	cr_assert_eq(o.cols[0], REPORT_COL_CALLS);
	cr_assert_eq(o.cols[1], REPORT_COL_END);
}

/* The messages are strace 6.1's, as printed after "strace: " by "strace -c -S/-U ...". */
Test(report_text_parse, errors)
{
	parse_fails(report_parse_sort, "foo", "invalid sortby: 'foo'");
	parse_fails(report_parse_sort, "", "invalid sortby: ''");
	parse_fails(report_parse_sort, "seconds", "invalid sortby: 'seconds'");
	parse_fails(report_parse_columns, "foo,bar", "unknown column name: 'foo'");
	parse_fails(report_parse_columns, "calls,,name", "unknown column name: ''");
	parse_fails(report_parse_columns, "calls,", "unknown column name: ''");
	parse_fails(report_parse_columns, "none", "unknown column name: 'none'");
	parse_fails(report_parse_columns, "usecs", "unknown column name: 'usecs'");
	parse_fails(report_parse_columns, "calls,count,name",
		    "call summary column has been provided more than once: 'count' "
		    "(-U option residual: 'count,name')");
}

Test(report_text_parse, sort_keys)
{
	static const struct {
		const char *s;
		enum report_sort key;
	} keys[] = {
		{ "time", REPORT_SORT_TIME },	      { "time-percent", REPORT_SORT_TIME },
		{ "time_percent", REPORT_SORT_TIME }, { "total-time", REPORT_SORT_TIME },
		{ "time_total", REPORT_SORT_TIME },   { "min-time", REPORT_SORT_MIN_TIME },
		{ "shortest", REPORT_SORT_MIN_TIME }, { "time_min", REPORT_SORT_MIN_TIME },
		{ "max-time", REPORT_SORT_MAX_TIME }, { "longest", REPORT_SORT_MAX_TIME },
		{ "avg-time", REPORT_SORT_AVG_TIME }, { "time-avg", REPORT_SORT_AVG_TIME },
		{ "calls", REPORT_SORT_CALLS },	      { "count", REPORT_SORT_CALLS },
		{ "errors", REPORT_SORT_ERRORS },     { "error", REPORT_SORT_ERRORS },
		{ "name", REPORT_SORT_NAME },	      { "syscall", REPORT_SORT_NAME },
		{ "syscall-name", REPORT_SORT_NAME }, { "none", REPORT_SORT_NOTHING },
		{ "nothing", REPORT_SORT_NOTHING },
	};
	char err[REPORT_ERR_LEN];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct report_text_opts o = { .sort = 99 };

		cr_assert_eq(report_parse_sort(keys[i].s, &o, err, sizeof(err)), 0, "%s",
			     keys[i].s);
		cr_assert_eq(o.sort, keys[i].key, "%s", keys[i].s);
	}
}

Test(report_text_parse, columns)
{
	struct report_text_opts o = { 0 };
	char err[REPORT_ERR_LEN];

	cr_assert_eq(
	    report_parse_columns("count,shortest,syscall_name,error", &o, err, sizeof(err)), 0);
	cr_assert_eq(o.cols[0], REPORT_COL_CALLS);
	cr_assert_eq(o.cols[1], REPORT_COL_MIN_TIME);
	cr_assert_eq(o.cols[2], REPORT_COL_NAME);
	cr_assert_eq(o.cols[3], REPORT_COL_ERRORS);
	cr_assert_eq(o.cols[4], REPORT_COL_END);
	/* the name is appended when missing */
	cr_assert_eq(report_parse_columns("time-max,time_avg", &o, err, sizeof(err)), 0);
	cr_assert_eq(o.cols[0], REPORT_COL_MAX_TIME);
	cr_assert_eq(o.cols[1], REPORT_COL_AVG_TIME);
	cr_assert_eq(o.cols[2], REPORT_COL_NAME);
	cr_assert_eq(o.cols[3], REPORT_COL_END);
	/* all eight at once fit */
	cr_assert_eq(report_parse_columns("name,errors,calls,avg-time,max-time,min-time,"
					  "total-time,time-percent",
					  &o, err, sizeof(err)),
		     0);
	cr_assert_eq(o.cols[7], REPORT_COL_TIME_PERCENT);
	cr_assert_eq(o.cols[8], REPORT_COL_END);
}
