// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Filter options: dispatch, users, threads, command names, results, reports. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "errnos.h"
#include "filter.h"
#include "filter_priv.h"
#include "json.h"
#include "syscalls.h"

int filter_fail(char *err, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

void filter_init(struct filter_spec *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < FILTER_MAX_CGROUPS; i++)
		f->cgroup_fds[i] = -1;
}

void filter_free(struct filter_spec *f)
{
	for (int i = 0; i < f->nr_cgroups; i++) {
		if (f->cgroup_fds[i] >= 0)
			close(f->cgroup_fds[i]);
		free(f->cgroup_paths[i]);
	}
	free(f->trace_expr);
	filter_init(f);
}

bool filter_opt_known(int opt_id)
{
	switch (opt_id) {
	case FILTER_OPT_UID:
	case FILTER_OPT_EXPR:
	case FILTER_OPT_FAILED:
	case FILTER_OPT_SUCCESSFUL:
	case FILTER_OPT_CGROUP:
	case FILTER_OPT_TID:
	case FILTER_OPT_COMM:
	case FILTER_OPT_TRACE:
	case FILTER_OPT_ERRNO:
		return true;
	}
	return false;
}

int filter_parse_opt(struct filter_spec *f, int opt_id, const char *arg, char *err, size_t len)
{
	switch (opt_id) {
	case FILTER_OPT_FAILED:
		f->seen |= FILTER_SEEN_FAILED;
		f->result = FILTER_RESULT_FAILED;
		return 0;
	case FILTER_OPT_SUCCESSFUL:
		f->seen |= FILTER_SEEN_SUCCESSFUL;
		f->result = FILTER_RESULT_OK;
		return 0;
	}
	if (!arg)
		return filter_fail(err, len, -EINVAL, "filter option without an argument");
	switch (opt_id) {
	case FILTER_OPT_CGROUP:
		return filter_add_cgroup(f, arg, err, len);
	case FILTER_OPT_UID:
		return filter_add_uids(f, arg, err, len);
	case FILTER_OPT_TID:
		return filter_add_tids(f, arg, err, len);
	case FILTER_OPT_COMM:
		return filter_add_comm(f, arg, err, len);
	case FILTER_OPT_EXPR:
		return filter_set_expr(f, arg, err, len);
	case FILTER_OPT_TRACE:
		return filter_set_trace(f, arg, err, len);
	case FILTER_OPT_ERRNO:
		return filter_add_errnos(f, arg, err, len);
	}
	return filter_fail(err, len, -EINVAL, "unknown filter option %d", opt_id);
}

/* Add v to a set of *n values unless it is there; -ENOSPC if the set is full. */
static int add_u32(__u32 *set, int *n, int max, __u32 v)
{
	for (int i = 0; i < *n; i++) {
		if (set[i] == v)
			return 0;
	}
	if (*n >= max)
		return -ENOSPC;
	set[(*n)++] = v;
	return 0;
}

/* A decimal number without sign or blanks in 0..max; -EINVAL otherwise. */
static int parse_dec(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Call fn for each comma-separated item of list; an empty item is an error. */
static int for_each_item(struct filter_spec *f, const char *opt, const char *list,
			 int (*fn)(struct filter_spec *, const char *, char *, size_t), char *err,
			 size_t len)
{
	char *copy, *p, *item;
	int rc = 0;

	if (!*list)
		return filter_fail(err, len, -EINVAL, "%s: empty argument", opt);
	copy = strdup(list);
	if (!copy)
		return filter_fail(err, len, -ENOMEM, "%s: out of memory", opt);
	for (p = copy; !rc && p; p = item) {
		item = strchr(p, ',');
		if (item)
			*item++ = '\0';
		if (!*p)
			rc = filter_fail(err, len, -EINVAL, "%s: empty item in '%s'", opt, list);
		else
			rc = fn(f, p, err, len);
	}
	free(copy);
	return rc;
}

/* The uid of a user name; -ENOENT if there is no such user. */
static int lookup_user(const char *name, uid_t *uid)
{
	long sz = sysconf(_SC_GETPW_R_SIZE_MAX);
	struct passwd pw, *res = NULL;
	size_t buflen = sz > 0 ? (size_t)sz : 1024;
	char *buf = NULL;
	int rc;

	for (;;) {
		char *nb = realloc(buf, buflen);

		if (!nb) {
			free(buf);
			return -ENOMEM;
		}
		buf = nb;
		rc = getpwnam_r(name, &pw, buf, buflen, &res);
		if (rc != ERANGE || buflen >= (1U << 20))
			break;
		buflen *= 2;
	}
	free(buf);
	if (res) {
		*uid = pw.pw_uid;
		return 0;
	}
	/* getpwnam_r(3): these mean "not found" too */
	if (!rc || rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM)
		return -ENOENT;
	return -rc;
}

static int add_uid(struct filter_spec *f, const char *s, char *err, size_t len)
{
	unsigned long v;
	uid_t uid;
	int rc;

	/* (uid_t)-1 is no uid: chown(2) and setreuid(2) use it for "unchanged" */
	if (!parse_dec(s, UINT32_MAX - 1, &v)) {
		uid = v;
	} else if (isdigit((unsigned char)*s)) {
		return filter_fail(err, len, -EINVAL, "--uid: invalid uid '%s'", s);
	} else {
		rc = lookup_user(s, &uid);
		if (rc == -ENOENT)
			return filter_fail(err, len, -EINVAL, "--uid: unknown user '%s'", s);
		if (rc)
			return filter_fail(err, len, rc, "--uid: cannot look up user '%s': %s", s,
					   strerror(-rc));
	}
	if (add_u32(f->uids, &f->nr_uids, FILTER_MAX_UIDS, uid))
		return filter_fail(err, len, -EINVAL, "--uid: too many users (at most %d)",
				   FILTER_MAX_UIDS);
	return 0;
}

int filter_add_uids(struct filter_spec *f, const char *list, char *err, size_t len)
{
	return for_each_item(f, "--uid", list, add_uid, err, len);
}

static int add_tid(struct filter_spec *f, const char *s, char *err, size_t len)
{
	unsigned long v;

	if (parse_dec(s, INT_MAX, &v) || !v)
		return filter_fail(err, len, -EINVAL,
				   "--tid: invalid thread id '%s' (a number > 0)", s);
	if (add_u32(f->tids, &f->nr_tids, FILTER_MAX_TIDS, v))
		return filter_fail(err, len, -EINVAL, "--tid: too many threads (at most %d)",
				   FILTER_MAX_TIDS);
	return 0;
}

int filter_add_tids(struct filter_spec *f, const char *list, char *err, size_t len)
{
	return for_each_item(f, "--tid", list, add_tid, err, len);
}

/* Not split at commas: a command name may contain any byte but NUL. */
int filter_add_comm(struct filter_spec *f, const char *name, char *err, size_t len)
{
	size_t n = strlen(name);

	if (!n)
		return filter_fail(err, len, -EINVAL, "--comm: empty name");
	if (n > FILTER_COMM_LEN - 1)
		return filter_fail(err, len, -EINVAL,
				   "--comm: '%s' is %zu characters long; the kernel keeps at "
				   "most %d (TASK_COMM_LEN-1)",
				   name, n, FILTER_COMM_LEN - 1);
	for (int i = 0; i < f->nr_comms; i++) {
		if (!strcmp(f->comms[i], name))
			return 0;
	}
	if (f->nr_comms >= FILTER_MAX_COMMS)
		return filter_fail(err, len, -EINVAL, "--comm: too many names (at most %d)",
				   FILTER_MAX_COMMS);
	memset(f->comms[f->nr_comms], 0, FILTER_COMM_LEN);
	memcpy(f->comms[f->nr_comms++], name, n);
	return 0;
}

static int add_errno(struct filter_spec *f, const char *s, char *err, size_t len)
{
	int e = errno_lookup(s);

	if (e < 0)
		return filter_fail(err, len, -EINVAL, "--errno: unknown errno '%s'", s);
	if (add_u32(f->errnos, &f->nr_errnos, FILTER_MAX_ERRNOS, e))
		return filter_fail(err, len, -EINVAL, "--errno: too many errnos (at most %d)",
				   FILTER_MAX_ERRNOS);
	return 0;
}

int filter_add_errnos(struct filter_spec *f, const char *list, char *err, size_t len)
{
	return for_each_item(f, "--errno", list, add_errno, err, len);
}

static bool bitmap_empty(const __u64 *bits)
{
	for (int i = 0; i < SYSCALL_BITMAP_WORDS; i++) {
		if (bits[i])
			return false;
	}
	return true;
}

int filter_finish(struct filter_spec *f, char *err, size_t len)
{
	if ((f->seen & FILTER_SEEN_FAILED) && (f->seen & FILTER_SEEN_SUCCESSFUL))
		return filter_fail(err, len, -EINVAL,
				   "-Z (--failed-only) and -z "
				   "(--successful-only) exclude each other");
	if (f->nr_errnos && f->result == FILTER_RESULT_OK)
		return filter_fail(err, len, -EINVAL,
				   "--errno selects failed calls: it cannot be combined with -z");
	if (f->nr_errnos)
		f->result = FILTER_RESULT_FAILED;
	if (f->has_syscalls) {
		bool none = true;

		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++)
			none = none && bitmap_empty(f->syscalls[abi]);
		if (none)
			return filter_fail(err, len, -EINVAL, "-e trace: '%s' selects no syscall",
					   f->trace_expr ? f->trace_expr : "");
	}
	return 0;
}

bool filter_active(const struct filter_spec *f)
{
	return f->nr_cgroups || f->nr_uids || f->nr_tids || f->nr_comms || f->has_syscalls ||
	       f->result != FILTER_RESULT_ALL || f->nr_errnos;
}

static int count_selected(const struct filter_spec *f, int abi)
{
	int n = 0;

	for (int i = 0; i < SYSCALL_BITMAP_WORDS; i++)
		n += __builtin_popcountll(f->syscalls[abi][i]);
	return n;
}

static const char *errno_str(int e, char *buf, size_t len)
{
	const char *name = errno_name(e);

	if (name)
		return name;
	snprintf(buf, len, "%d", e);
	return buf;
}

void filter_describe_json(const struct filter_spec *f, struct json_writer *w)
{
	char buf[16];

	json_key(w, "filters");
	json_begin_object(w);
	if (f->nr_cgroups) {
		json_key(w, "cgroups");
		json_begin_array(w);
		for (int i = 0; i < f->nr_cgroups; i++) {
			json_begin_object(w);
			json_kv_string(w, "path", f->cgroup_paths[i] ? f->cgroup_paths[i] : "");
			json_kv_u64(w, "id", f->cgroup_ids[i]);
			json_end_object(w);
		}
		json_end_array(w);
	}
	if (f->nr_uids) {
		json_key(w, "uids");
		json_begin_array(w);
		for (int i = 0; i < f->nr_uids; i++)
			json_u64(w, f->uids[i]);
		json_end_array(w);
	}
	if (f->nr_tids) {
		json_key(w, "tids");
		json_begin_array(w);
		for (int i = 0; i < f->nr_tids; i++)
			json_u64(w, f->tids[i]);
		json_end_array(w);
	}
	if (f->nr_comms) {
		json_key(w, "comms");
		json_begin_array(w);
		for (int i = 0; i < f->nr_comms; i++)
			json_string(w, f->comms[i]);
		json_end_array(w);
	}
	if (f->has_syscalls) {
		json_key(w, "trace");
		json_begin_object(w);
		json_kv_string(w, "set", f->trace_expr ? f->trace_expr : "");
		json_key(w, "selected");
		json_begin_object(w);
		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++)
			json_kv_u64(w, abi_name(abi), count_selected(f, abi));
		json_end_object(w);
		json_end_object(w);
	}
	if (f->result != FILTER_RESULT_ALL)
		json_kv_string(w, "result",
			       f->result == FILTER_RESULT_FAILED ? "failed" : "successful");
	if (f->nr_errnos) {
		json_key(w, "errnos");
		json_begin_array(w);
		for (int i = 0; i < f->nr_errnos; i++)
			json_string(w, errno_str(f->errnos[i], buf, sizeof(buf)));
		json_end_array(w);
	}
	json_end_object(w);
}

/* s as it is if it is plain, else in double quotes with C escapes. */
static void put_word(FILE *out, const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("_-.:/+@%", *p))
			break;
	}
	if (*s && !*p) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (p = s; *p; p++) {
		unsigned char c = *p;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void filter_describe_text(const struct filter_spec *f, FILE *out)
{
	char buf[16];

	if (!filter_active(f))
		return;
	fputs("filters:", out);
	for (int i = 0; i < f->nr_cgroups; i++) {
		fputs(i ? "," : " cgroup=", out);
		put_word(out, f->cgroup_paths[i] ? f->cgroup_paths[i] : "?");
	}
	for (int i = 0; i < f->nr_uids; i++)
		fprintf(out, "%s%u", i ? "," : " uid=", f->uids[i]);
	for (int i = 0; i < f->nr_tids; i++)
		fprintf(out, "%s%u", i ? "," : " tid=", f->tids[i]);
	for (int i = 0; i < f->nr_comms; i++) {
		fputs(i ? "," : " comm=", out);
		put_word(out, f->comms[i]);
	}
	if (f->has_syscalls) {
		fputs(" trace=", out);
		put_word(out, f->trace_expr ? f->trace_expr : "?");
	}
	if (f->nr_errnos) {
		for (int i = 0; i < f->nr_errnos; i++)
			fprintf(out, "%s%s",
				i ? "," : " errno=", errno_str(f->errnos[i], buf, sizeof(buf)));
	} else if (f->result != FILTER_RESULT_ALL) {
		fputs(f->result == FILTER_RESULT_FAILED ? " failed-only" : " successful-only", out);
	}
	fputc('\n', out);
}

void filter_usage(FILE *out)
{
	fputs("Filters (in the kernel; a call is counted only if it passes every filter\n"
	      "given; several values of one filter pass a call that matches any of them):\n"
	      "      --cgroup PATH  tasks in cgroup v2 PATH or in a cgroup below it; PATH is\n"
	      "                     absolute or relative to the cgroup2 mount\n"
	      "  -u, --uid USER     tasks whose real uid is USER (a name or a number)\n"
	      "      --tid TID      the threads with these thread ids\n"
	      "      --comm NAME    tasks whose command name (comm, <= 15 characters) is NAME\n"
	      "  -e trace=SET, -e SET, --trace=SET\n"
	      "                     syscalls, as in strace: comma-separated names, numbers,\n"
	      "                     %CLASS, /REGEX, all, none; VALUE@64 or VALUE@32 limits\n"
	      "                     VALUE to one ABI, ?VALUE ignores an unknown one, a\n"
	      "                     leading ! negates the set; the last -e trace= wins.\n"
	      "                     Classes: %file %desc %network (%net) %process %memory\n"
	      "                     %signal %ipc %creds %clock %stat %lstat %fstat %%stat\n"
	      "                     %statfs %fstatfs %%statfs %pure (see docs/filters.md)\n"
	      "  -Z, --failed-only  only calls that returned an error\n"
	      "  -z, --successful-only\n"
	      "                     only calls that did not return an error\n"
	      "      --errno ERRS   only calls that failed with one of ERRS (ENOENT, 2...);\n"
	      "                     implies -Z\n"
	      "-u, --tid and --errno also take comma-separated lists; all filter options but\n"
	      "-e, --trace, -Z and -z can be repeated to add values.\n",
	      out);
}
