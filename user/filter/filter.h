/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * In-kernel scoping: the filter options (--cgroup, --uid, --tid, --comm, -e trace=, -Z, -z,
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
#include "filter/syscall_classes.h"

#define FILTER_MAX_CGROUPS SYSRAY_FILTER_MAX
#define FILTER_MAX_UIDS	   SYSRAY_FILTER_MAX
#define FILTER_MAX_TIDS	   SYSRAY_FILTER_MAX
#define FILTER_MAX_COMMS   SYSRAY_FILTER_MAX
#define FILTER_MAX_ERRNOS  64
#define FILTER_COMM_LEN	   16 /* TASK_COMM_LEN: at most 15 characters and a NUL */

enum filter_result {
	FILTER_RESULT_ALL = 0, /* no -Z, -z or --errno */
	FILTER_RESULT_FAILED,  /* -Z, or --errno: sysray_is_error() */
	FILTER_RESULT_OK,      /* -z: any other return value */
};

struct filter {
	/* --cgroup: tasks in one of these cgroups or in any of their descendants */
	int nr_cgroups;
	__u64 cgroup_ids[FILTER_MAX_CGROUPS];	/* as bpf_get_current_cgroup_id() returns */
	int cgroup_fds[FILTER_MAX_CGROUPS];	/* O_RDONLY|O_DIRECTORY, for a CGROUP_ARRAY */
	char *cgroup_paths[FILTER_MAX_CGROUPS]; /* path in the hierarchy, "/" for the root */

	int nr_uids; /* --uid: real uid */
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

	unsigned int seen; /* internal: FILTER_SEEN_* flags for filter__finish() */
};

/* Option ids for filter__parse_opt(): a short option's id is its character. */
enum filter_opt {
	FILTER_OPT_EXPR = 'e',	     /* -e EXPR: trace=SET, t=SET or a bare SET */
	FILTER_OPT_FAILED = 'Z',     /* -Z, --failed-only (no argument) */
	FILTER_OPT_SUCCESSFUL = 'z', /* -z, --successful-only (no argument) */
	FILTER_OPT_CGROUP = 0x1000,  /* --cgroup PATH */
	FILTER_OPT_UID,		     /* --uid USER|UID[,...] (strace's -u runs a command as USER) */
	FILTER_OPT_TID,		     /* --tid TID[,...] */
	FILTER_OPT_COMM,	     /* --comm NAME */
	FILTER_OPT_TRACE,	     /* --trace SET */
	FILTER_OPT_ERRNO,	     /* --errno NAME|NUMBER[,...] */
};

/* All filters off; cgroup_fds are -1. */
void filter__init(struct filter *f);

/*
 * Apply one option (arg is NULL for -Z and -z).  0 on success; a negative errno with a one-line
 * message in err otherwise (-EINVAL for bad input, -ENOMEM, or the errno of a failed system
 * call such as opening a cgroup).
 */
int filter__parse_opt(struct filter *f, int opt_id, const char *arg, char *err, size_t len);

/* The same, one function per option. */
int filter__add_cgroup(struct filter *f, const char *path, char *err, size_t len);
int filter__add_uids(struct filter *f, const char *list, char *err, size_t len);
int filter__add_tids(struct filter *f, const char *list, char *err, size_t len);
int filter__add_comm(struct filter *f, const char *name, char *err, size_t len);
int filter__add_errnos(struct filter *f, const char *list, char *err, size_t len);
/* -e EXPR (qualifier optional); a later set replaces an earlier one, as in strace. */
int filter__set_expr(struct filter *f, const char *expr, char *err, size_t len);
/* The SET of -e trace=SET and --trace=SET. */
int filter__set_trace(struct filter *f, const char *set, char *err, size_t len);

/*
 * --cgroup with the mount table read from mounts (a /proc/mounts format file) rather than
 * /proc/mounts: for tests.
 */
int filter__add_cgroup_mounts(struct filter *f, const char *path, const char *mounts, char *err,
			      size_t len);

/* Cross-checks after the last option (-Z with -z, an empty syscall set...): 0 or -EINVAL. */
int filter__finish(struct filter *f, char *err, size_t len);

/* Close the cgroup fds and free the strings; f is then as after filter__init(). */
void filter__free(struct filter *f);

/* Whether any filter is set, i.e. whether the kernel side has anything to load. */
bool filter__active(const struct filter *f);
/* The kernel side's copy (the cgroup fds are loaded into their map separately). */
void filter__scope(const struct filter *f, struct sysray_scope *s);

/* Whether syscall nr of abi passes -e trace= (true without one). */
static inline bool filter__syscall_selected(const struct filter *f, int abi, int nr)
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
void filter__describe_json(const struct filter *f, struct json_writer *w);

/* One line "filters: cgroup=/a uid=0 trace=%file\n" for the report footer; nothing if none. */
void filter__describe_text(const struct filter *f, FILE *out);

#endif /* SYSRAY_FILTER_H */
