/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One event as the formats see it: the kernel's record, checked, with its strings found. */
#ifndef SYSRAY_EVENTS_EVENT_H
#define SYSRAY_EVENTS_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "sysray_events.h"
#include "lib/syscalls.h"
#include "events/decode.h"
#include "events/fdpath.h"

/* The schema of every JSON event line (docs/events.md). */
#define EVENTS_JSON_SCHEMA "sysray.event/1"

struct ev_view {
	const struct sysray_event *e;
	const struct sys_desc *d;
	const char *name; /* the syscall's name (name_buf for one without) */
	char name_buf[SYSCALL_NAME_BUF];
	const char *str[SYSRAY_EV_NSTR]; /* the strings, str_len bytes each, not terminated */
	int str_of_arg[6];		 /* which string an argument is, or -1 */
	bool compat;			 /* 32-bit arguments */
	bool unfinished;
	bool failed; /* returned -errno */
	int err;     /* the errno when failed */
};

/* Check an event of len bytes and find its parts; -EINVAL if it does not hold together. */
int ev_view_init(struct ev_view *v, const struct sysray_event *e, size_t len);

/* A growing line buffer: formats build a whole line, then write it at once. */
struct ev_line {
	char *p;
	size_t n, cap;
	bool oom;
};

void ev_line_reset(struct ev_line *l);
void ev_line_printf(struct ev_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ev_line_putn(struct ev_line *l, const char *s, size_t n);
/* bytes escaped as strace does, '"' too: for strings shown in quotes. */
void ev_line_escaped(struct ev_line *l, const char *s, size_t n);
/* s (n bytes) as one CSV field (RFC 4180 quoting). */
void ev_line_csv(struct ev_line *l, const char *s, size_t n);
/* Write the line to f: 0, -ENOMEM if it could not be built, -EIO if f failed. */
int ev_line_write(struct ev_line *l, FILE *f);
void ev_line_free(struct ev_line *l);

/* What every format needs besides the event. */
struct ev_fmt {
	FILE *f;
	int timestamps;	    /* -t: 1 seconds, 2 microseconds, 3 epoch seconds.microseconds */
	bool durations;	    /* -T */
	struct fdpath *fdp; /* -y: NULL without */
	__s64 wall_off_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC when tracing began */
	struct ev_line line;
	struct ev_line aux; /* CSV: a field built before it is quoted */
};

/* "2025-06-01T10:00:00.123456789Z" for a CLOCK_MONOTONIC time. */
void ev_rfc3339(const struct ev_fmt *x, __u64 mono_ns, char *buf, size_t len);

/* One event in each format: 0, or -ENOMEM / -EIO (the output failed). */
int format_strace(struct ev_fmt *x, const struct ev_view *v);
int format_json(struct ev_fmt *x, const struct ev_view *v);
int format_csv(struct ev_fmt *x, const struct ev_view *v);
/* The CSV header row, written before any event. */
int format_csv_header(struct ev_fmt *x);
/* JSON: a line saying how many events were not shown since the last such line. */
int format_json_lost(FILE *f, const struct ev_fmt *x, __u64 now_mono, __u64 suppressed, __u64 lost);
/* How many arguments strace shows: open and openat show their mode only when they create. */
int format_shown_args(const struct ev_view *v);
/* The arguments as strace shows them between the parentheses (strace and CSV). */
void format_strace_args(struct ev_fmt *x, const struct ev_view *v, struct ev_line *l);

#endif /* SYSRAY_EVENTS_EVENT_H */
