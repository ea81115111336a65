/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * In-kernel scoping: the filter options (--cgroup, -u, --tid, --comm, -e trace=, -Z, -z,
 * --errno) parsed and resolved into plain data that the kernel side loads into BPF maps.
 * Every filter narrows the traced calls: a call is counted only if it passes all of them.
 */
#ifndef SYSRAY_FILTER_H
#define SYSRAY_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "sysray.h"
#include "syscall_classes.h"

#define FILTER_MAX_CGROUPS 64
#define FILTER_MAX_UIDS	   64
#define FILTER_MAX_TIDS	   64
#define FILTER_MAX_COMMS   64
#define FILTER_MAX_ERRNOS  64
#define FILTER_COMM_LEN	   16 /* TASK_COMM_LEN: at most 15 characters and a NUL */

enum filter_result {
	FILTER_RESULT_ALL = 0, /* no -Z, -z or --errno */
	FILTER_RESULT_FAILED,  /* -Z, or --errno: return value in -4095..-1 */
	FILTER_RESULT_OK,      /* -z: any other return value */
};

struct filter_spec {
	/* --cgroup: tasks in one of these cgroups or in any of their descendants */
	int nr_cgroups;
	__u64 cgroup_ids[FILTER_MAX_CGROUPS];	/* as bpf_get_current_cgroup_id() returns */
	int cgroup_fds[FILTER_MAX_CGROUPS];	/* O_RDONLY|O_DIRECTORY, for a CGROUP_ARRAY */
	char *cgroup_paths[FILTER_MAX_CGROUPS]; /* path in the hierarchy, "/" for the root */

	int nr_uids; /* -u: real uid */
	__u32 uids[FILTER_MAX_UIDS];
	int nr_tids; /* --tid: thread ids (the kernel's pid) */
	__u32 tids[FILTER_MAX_TIDS];
	int nr_comms; /* --comm: exact match, NUL-padded to 16 bytes */
	char comms[FILTER_MAX_COMMS][FILTER_COMM_LEN];

	/* -e trace=: bit nr of syscalls[abi] set = trace syscall nr of abi */
	bool has_syscalls;
	__u64 syscalls[SYSRAY_ABI_CNT][SYSCALL_BITMAP_WORDS];
	char *trace_expr; /* the last -e trace= set as given, for the reports */

	enum filter_result result;
	int nr_errnos; /* --errno: positive errno values; implies FILTER_RESULT_FAILED */
	__u32 errnos[FILTER_MAX_ERRNOS];

	unsigned int seen; /* internal: FILTER_SEEN_* flags for filter_finish() */
};

/*
 * Option ids for filter_parse_opt().  The short ones are the option characters and the long
 * ones are free getopt values, so opts.c can use them directly (FILTER_LONG_OPTS needs
 * <getopt.h>):
 *
 *	getopt_long(argc, argv, "...." FILTER_SHORT_OPTS, opts, NULL)
 *	struct option opts[] = { ..., FILTER_LONG_OPTS, { 0 } };
 *	default: if (filter_opt_known(c)) rc = filter_parse_opt(&f, c, optarg, err, len);
 */
enum filter_opt {
	FILTER_OPT_UID = 'u',	     /* -u, --uid USER|UID[,...] */
	FILTER_OPT_EXPR = 'e',	     /* -e EXPR: trace=SET, t=SET or a bare SET */
	FILTER_OPT_FAILED = 'Z',     /* -Z, --failed-only (no argument) */
	FILTER_OPT_SUCCESSFUL = 'z', /* -z, --successful-only (no argument) */
	FILTER_OPT_CGROUP = 0x1000,  /* --cgroup PATH */
	FILTER_OPT_TID,		     /* --tid TID[,...] */
	FILTER_OPT_COMM,	     /* --comm NAME */
	FILTER_OPT_TRACE,	     /* --trace SET */
	FILTER_OPT_ERRNO,	     /* --errno NAME|NUMBER[,...] */
};

#define FILTER_SHORT_OPTS "u:e:Zz"
#define FILTER_LONG_OPTS                                                                           \
	{ "cgroup", required_argument, NULL, FILTER_OPT_CGROUP },                                  \
	    { "uid", required_argument, NULL, FILTER_OPT_UID },                                    \
	    { "tid", required_argument, NULL, FILTER_OPT_TID },                                    \
	    { "comm", required_argument, NULL, FILTER_OPT_COMM },                                  \
	    { "trace", required_argument, NULL, FILTER_OPT_TRACE },                                \
	    { "failed-only", no_argument, NULL, FILTER_OPT_FAILED },                               \
	    { "successful-only", no_argument, NULL, FILTER_OPT_SUCCESSFUL },                       \
	{                                                                                          \
		"errno", required_argument, NULL, FILTER_OPT_ERRNO                                 \
	}

/* All filters off; cgroup_fds are -1. */
void filter_init(struct filter_spec *f);

/* Whether opt_id is one of enum filter_opt. */
bool filter_opt_known(int opt_id);

/*
 * Apply one option (arg is NULL for -Z and -z).  0 on success; a negative errno with a one-line
 * message in err otherwise (-EINVAL for bad input, -ENOMEM, or the errno of a failed system
 * call such as opening a cgroup).
 */
int filter_parse_opt(struct filter_spec *f, int opt_id, const char *arg, char *err, size_t len);

/* The same, one function per option. */
int filter_add_cgroup(struct filter_spec *f, const char *path, char *err, size_t len);
int filter_add_uids(struct filter_spec *f, const char *list, char *err, size_t len);
int filter_add_tids(struct filter_spec *f, const char *list, char *err, size_t len);
int filter_add_comm(struct filter_spec *f, const char *name, char *err, size_t len);
int filter_add_errnos(struct filter_spec *f, const char *list, char *err, size_t len);
/* -e EXPR (qualifier optional); a later set replaces an earlier one, as in strace. */
int filter_set_expr(struct filter_spec *f, const char *expr, char *err, size_t len);
/* The SET of -e trace=SET and --trace=SET. */
int filter_set_trace(struct filter_spec *f, const char *set, char *err, size_t len);

/*
 * --cgroup with the mount table read from mounts (a /proc/mounts format file) rather than
 * /proc/mounts: for tests.
 */
int filter_add_cgroup_mounts(struct filter_spec *f, const char *path, const char *mounts, char *err,
			     size_t len);

/* Cross-checks after the last option (-Z with -z, an empty syscall set...): 0 or -EINVAL. */
int filter_finish(struct filter_spec *f, char *err, size_t len);

/* Close the cgroup fds and free the strings; f is then as after filter_init(). */
void filter_free(struct filter_spec *f);

/* Whether any filter is set, i.e. whether the kernel side has anything to load. */
bool filter_active(const struct filter_spec *f);

/* Whether syscall nr of abi passes -e trace= (true without one). */
static inline bool filter_syscall_selected(const struct filter_spec *f, int abi, int nr)
{
	if (!f->has_syscalls)
		return true;
	if (abi < 0 || abi >= SYSRAY_ABI_CNT || nr < 0 || nr >= SYSRAY_MAX_NR)
		return false;
	return f->syscalls[abi][nr / 64] >> (nr % 64) & 1;
}

struct json_writer;

/*
 * Write "filters": {...} (key and object) into the object being written: only the filters that
 * are set, so {} means none.  See docs/filters.md for the members.
 */
void filter_describe_json(const struct filter_spec *f, struct json_writer *w);

/* One line "filters: cgroup=/a uid=0 trace=%file\n" for the report footer; nothing if none. */
void filter_describe_text(const struct filter_spec *f, FILE *out);

/* The "Filters" block of --help. */
void filter_usage(FILE *out);

#endif /* SYSRAY_FILTER_H */
