// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Event lines in strace's layout: [pid N] name(args) = ret <duration>. */
#include <string.h>
#include <time.h>
#include "lib/errnos.h"
#include "events/event.h"

/* strace aligns the " = " of a line at this column when the call is shorter. */
#define RESULT_COL 40

/* The kernel-internal restart codes a tracer sees when a signal interrupts a call. */
static const char *const restart_text[] = {
	"To be restarted if SA_RESTART is set", /* ERESTARTSYS */
	"To be restarted",			/* ERESTARTNOINTR */
	"To be restarted if no handler",	/* ERESTARTNOHAND */
	"No ioctl command",			/* ENOIOCTLCMD */
	"Interrupted by signal",		/* ERESTART_RESTARTBLOCK */
};

/* A descriptor, with its path under -y: 3</etc/passwd>. */
static void put_fd(struct ev_fmt *x, const struct ev_view *v, struct ev_line *l, const char *num,
		   int fd, const struct sysray_ev_file *f)
{
	const char *path = x->fdp && f ? fdpath__get(x->fdp, v->e->tgid, fd, f) : NULL;

	ev_line_printf(l, "%s", num);
	if (!path)
		return;
	ev_line_putn(l, "<", 1);
	ev_line_escaped(l, path, strlen(path));
	ev_line_putn(l, ">", 1);
}

/* A path argument: the string the kernel read, quoted, "..." when cut; else the pointer. */
static void put_path(const struct ev_view *v, struct ev_line *l, int i, const char *num)
{
	int s = v->str_of_arg[i];
	__u8 state = s >= 0 ? v->e->str_state[s] : SYSRAY_EV_STR_NONE;

	if (state != SYSRAY_EV_STR_OK && state != SYSRAY_EV_STR_TRUNCATED) {
		ev_line_printf(l, "%s", num);
		return;
	}
	ev_line_putn(l, "\"", 1);
	ev_line_escaped(l, v->str[s], v->e->str_len[s]);
	if (state == SYSRAY_EV_STR_TRUNCATED)
		ev_line_putn(l, "\"...", 4);
	else
		ev_line_putn(l, "\"", 1);
}

int format_shown_args(const struct ev_view *v)
{
	const struct sys_desc *d = v->d;
	int n = d->nargs;

	if (n >= 2 && d->args[n - 1].kind == ARG_MODE && d->args[n - 2].kind == ARG_OPEN_FLAGS &&
	    !decode_open_has_mode(v->e->args[n - 2]))
		n--;
	return n;
}

void format_strace_args(struct ev_fmt *x, const struct ev_view *v, struct ev_line *l)
{
	const struct sys_desc *d = v->d;
	int n = format_shown_args(v), nfd = 0;
	char num[160];

	for (int i = 0; i < n; i++) {
		enum arg_kind k = d->args[i].kind;
		__u64 raw = v->e->args[i];

		if (i)
			ev_line_putn(l, ", ", 2);
		decode_scalar(num, sizeof(num), k, raw, v->compat);
		if (k == ARG_PATH) {
			put_path(v, l, i, num);
		} else if (k == ARG_FD || k == ARG_DIRFD) {
			/* The kernel identified the first two descriptor arguments (-y). */
			put_fd(x, v, l, num, (int)raw,
			       nfd < SYSRAY_EV_NFD ? &v->e->files[nfd] : NULL);
			nfd++;
		} else {
			ev_line_printf(l, "%s", num);
		}
	}
}

static void put_time(struct ev_fmt *x, const struct ev_view *v, struct ev_line *l)
{
	__s64 wall = (__s64)v->e->start_ns + x->wall_off_ns;
	time_t sec = wall / 1000000000;
	long usec = (wall % 1000000000) / 1000;
	struct tm tm;

	if (x->timestamps >= 3) {
		ev_line_printf(l, "%lld.%06ld ", (long long)sec, usec);
		return;
	}
	localtime_r(&sec, &tm);
	ev_line_printf(l, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (x->timestamps == 2)
		ev_line_printf(l, ".%06ld", usec);
	ev_line_putn(l, " ", 1);
}

static void put_result(struct ev_fmt *x, const struct ev_view *v, struct ev_line *l)
{
	const struct sysray_event *e = v->e;
	const char *name;
	char num[32];

	if (v->unfinished) {
		ev_line_putn(l, "?", 1);
		return;
	}
	if (v->failed) {
		name = errno_name(v->err);
		if (v->err >= SYSRAY_ERESTARTSYS && v->err <= SYSRAY_ERESTART_RESTARTBLOCK) {
			ev_line_printf(l, "? %s (%s)", name ? name : "?",
				       restart_text[v->err - SYSRAY_ERESTARTSYS]);
			return;
		}
		if (name)
			ev_line_printf(l, "-1 %s (%s)", name, strerror(v->err));
		else
			ev_line_printf(l, "-1 %d (%s)", v->err, strerror(v->err));
		return;
	}
	if (v->d->ret == RET_HEX) {
		ev_line_printf(l, "%#llx", (unsigned long long)e->ret);
		return;
	}
	snprintf(num, sizeof(num), "%lld", (long long)e->ret);
	if (v->d->ret == RET_FD && e->ret <= 0x7fffffff)
		put_fd(x, v, l, num, (int)e->ret, &e->files[SYSRAY_EV_FD_RET]);
	else
		ev_line_printf(l, "%s", num);
}

int format_strace(struct ev_fmt *x, const struct ev_view *v)
{
	struct ev_line *l = &x->line;

	ev_line_reset(l);
	ev_line_printf(l, "[pid %5u] ", v->e->tid);
	if (x->timestamps)
		put_time(x, v, l);
	ev_line_printf(l, "%s(", v->name);
	format_strace_args(x, v, l);
	ev_line_putn(l, ")", 1);
	/* Pad to the result column, at least one space, as strace does. */
	do
		ev_line_putn(l, " ", 1);
	while (l->n < RESULT_COL && !l->oom);
	ev_line_putn(l, "= ", 2);
	put_result(x, v, l);
	if (x->durations && !v->unfinished)
		ev_line_printf(l, " <%llu.%06llu>", (unsigned long long)(v->e->dur_ns / 1000000000),
			       (unsigned long long)(v->e->dur_ns % 1000000000 / 1000));
	ev_line_putn(l, "\n", 1);
	return ev_line_write(l, x->f);
}
