/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Run sysray and the workloads as real processes, and read their reports back. */
#ifndef SYSRAY_TEST_HARNESS_H
#define SYSRAY_TEST_HARNESS_H

#include <stdbool.h>
#include <sys/types.h>

struct proc_result {
	int status; /* exit code, or 128 + signal */
	char *out;  /* captured stdout */
	char *err;  /* captured stderr */
};

/* Paths from the environment the Makefile sets: $SYSRAY and $WORKLOADS/<name>. */
const char *sysray_bin(void);
const char *workload(const char *name);

/* Run argv to completion with stdin from /dev/null; uid >= 0 drops to that uid first. */
int run_proc(char *const argv[], int uid, struct proc_result *r);
void proc_result_free(struct proc_result *r);

/* A background process with pipes, for -p tests. */
struct bg_proc {
	pid_t pid;
	int in_fd, out_fd, err_fd;
};
int bg_start(char *const argv[], struct bg_proc *p);
/* Read from fd until a line containing needle appears; false on EOF or timeout. */
bool bg_wait_for(int fd, const char *needle, int timeout_ms);
int bg_finish(struct bg_proc *p, struct proc_result *r);

/* One row of a text report: calls and errors of a syscall in one ABI section. */
struct report_row {
	char name[64];
	int abi; /* 0 native, 1 i386, 2 x32 */
	long calls, errors;
};
struct report_rows {
	struct report_row *rows;
	int n;
};
/* Parse a report written with -U calls,errors,name (sysray or strace). */
int parse_report(const char *text, struct report_rows *out);
const struct report_row *find_row(const struct report_rows *rr, int abi, const char *name);
long row_calls(const struct report_rows *rr, int abi, const char *name);
long row_errors(const struct report_rows *rr, int abi, const char *name);

char *read_file(const char *path);

/*
 * Whether this kernel runs i386 syscalls (int $0x80): some are booted with ia32 emulation
 * off, where it raises SIGSEGV. Probed once, in a child.
 */
bool ia32_available(void);
/* Skip the calling test, visibly, when ia32 emulation is off. */
#define SKIP_WITHOUT_IA32()                                                                        \
	do {                                                                                       \
		if (!ia32_available())                                                             \
			cr_skip_test("ia32 emulation is disabled on this kernel (int $0x80 "       \
				     "faults): the i386 checks need it");                          \
	} while (0)
char *tmp_path(const char *suffix);

/* The first child of a process (from /proc/PID/task/PID/children), waiting up to 10 s. */
pid_t child_of(pid_t parent);
/* The pid of a process in its own (innermost) pid namespace: the last NSpid field. */
pid_t ns_pid_of(pid_t pid);
/* Whether a process is stopped (state T in /proc/PID/stat). */
bool proc_stopped(pid_t pid);
/* Whether a process has an open fd whose link is exactly target ("anon_inode:[pidfd]"). */
bool proc_has_fd(pid_t pid, const char *target);

/*
 * A private pid namespace with its own /proc: unshare -p -f --mount-proc --kill-child runs
 * sleep as its init, and commands run inside with nsenter. Stopping it kills what is left.
 */
struct pidns {
	struct bg_proc holder; /* unshare */
	pid_t init;	       /* its child, pid 1 inside */
	char target[16];
};
void pidns_start(struct pidns *ns);
void pidns_stop(struct pidns *ns);
/* argv run inside ns: nsenter -t INIT -p -m ARGV...; out holds up to 48 entries. */
void pidns_argv(struct pidns *ns, char *const argv[], char **out);

struct json_value;
/*
 * sysray OPTS -o FILE -- WL, which must succeed: its report's text (r keeps the command's
 * output; free both). opts may be NULL.
 */
char *sysray_report(char *const opts[], char *const wl[], struct proc_result *r);
/* The same with --format json, parsed (asserted to be valid JSON). */
struct json_value *sysray_json(char *const opts[], char *const wl[], struct proc_result *r);
/* sysray ARGS (as uid, or -1) must fail with exactly one line "sysray: error: ...msg...". */
void expect_error(char *const args[], int uid, const char *msg);

#endif
