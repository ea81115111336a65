// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Events as JSON Lines, schema sysray.event/1 (docs/events.md). */
#include <string.h>
#include "lib/errnos.h"
#include "lib/json.h"
#include "events/event.h"

/* A descriptor's path under -y, as "path" (key) when known. */
static void put_fd_path(struct ev_fmt *x, const struct ev_view *v, struct json_writer *w,
			const char *key, int fd, const struct sysray_ev_file *f)
{
	const char *path = x->fdp && f ? fdpath__get(x->fdp, v->e->tgid, fd, f) : NULL;

	if (path)
		json_writer__kv_string(w, key, path);
}

/* An argument's decoded value, typed by its kind. */
static void put_value(const struct ev_view *v, struct json_writer *w, int i, enum arg_kind k,
		      const char *text)
{
	__u64 raw = v->e->args[i];
	int s;

	if (v->compat)
		raw &= 0xffffffffULL;
	json_writer__key(w, "value");
	switch (k) {
	case ARG_INT:
	case ARG_FD:
		json_writer__s64(w, (int)raw);
		break;
	case ARG_LONG:
		json_writer__s64(w, v->compat ? (int)raw : (__s64)raw);
		break;
	case ARG_UINT:
		json_writer__u64(w, (unsigned int)raw);
		break;
	case ARG_ULONG:
		json_writer__u64(w, raw);
		break;
	case ARG_DIRFD:
		if ((int)raw == SYSRAY_EV_AT_FDCWD)
			json_writer__string(w, text);
		else
			json_writer__s64(w, (int)raw);
		break;
	case ARG_PTR:
		if (raw)
			json_writer__string(w, text);
		else
			json_writer__null(w);
		break;
	case ARG_PATH:
		s = v->str_of_arg[i];
		if (s < 0 || (v->e->str_state[s] != SYSRAY_EV_STR_OK &&
			      v->e->str_state[s] != SYSRAY_EV_STR_TRUNCATED)) {
			json_writer__null(w);
			break;
		}
		json_writer__string_len(w, v->str[s], v->e->str_len[s]);
		json_writer__key(w, "truncated");
		json_writer__bool(w, v->e->str_state[s] == SYSRAY_EV_STR_TRUNCATED);
		break;
	default: /* hex, mode, open flags, raw: strings as strace shows them */
		json_writer__string(w, text);
	}
}

static void put_args(struct ev_fmt *x, const struct ev_view *v, struct json_writer *w)
{
	const struct sys_desc *d = v->d;
	char text[160], raw[24];
	int nfd = 0;

	json_writer__key(w, "args");
	json_writer__begin_array(w);
	for (int i = 0; i < format_shown_args(v); i++) {
		enum arg_kind k = d->args[i].kind;

		decode_scalar(text, sizeof(text), k, v->e->args[i], v->compat);
		snprintf(raw, sizeof(raw), "%#llx", (unsigned long long)v->e->args[i]);
		json_writer__begin_object(w);
		json_writer__kv_string(w, "name", d->args[i].name);
		json_writer__kv_string(w, "type", decode_kind_name(k));
		json_writer__kv_string(w, "raw", raw);
		put_value(v, w, i, k, text);
		if (k == ARG_FD || k == ARG_DIRFD) {
			if (nfd < SYSRAY_EV_NFD)
				put_fd_path(x, v, w, "path", (int)v->e->args[i], &v->e->files[nfd]);
			nfd++;
		}
		json_writer__end_object(w);
	}
	json_writer__end_array(w);
}

static void put_result(struct ev_fmt *x, const struct ev_view *v, struct json_writer *w)
{
	const struct sysray_event *e = v->e;
	const char *name;
	char num[16];

	json_writer__key(w, "ret");
	if (v->unfinished)
		json_writer__null(w);
	else
		json_writer__s64(w, e->ret);
	json_writer__key(w, "errno");
	if (v->failed) {
		name = errno_name(v->err);
		snprintf(num, sizeof(num), "%d", v->err);
		json_writer__string(w, name ? name : num);
	} else {
		json_writer__null(w);
	}
	if (!v->unfinished && !v->failed && v->d->ret == RET_FD && e->ret <= 0x7fffffff)
		put_fd_path(x, v, w, "ret_path", (int)e->ret, &e->files[SYSRAY_EV_FD_RET]);
}

int format_json(struct ev_fmt *x, const struct ev_view *v)
{
	const struct sysray_event *e = v->e;
	struct json_writer w;
	char time[40];

	ev_rfc3339(x, e->start_ns, time, sizeof(time));
	json_writer__init(&w, x->f, 0);
	json_writer__begin_object(&w);
	json_writer__kv_string(&w, "schema", EVENTS_JSON_SCHEMA);
	json_writer__kv_string(&w, "type", "syscall");
	json_writer__kv_string(&w, "time", time);
	json_writer__kv_u64(&w, "mono_ns", e->start_ns);
	json_writer__kv_u64(&w, "pid", e->tgid);
	json_writer__kv_u64(&w, "tid", e->tid);
	json_writer__key(&w, "comm");
	json_writer__string_len(&w, e->comm, strnlen(e->comm, sizeof(e->comm)));
	json_writer__kv_string(&w, "syscall", v->name);
	json_writer__kv_u64(&w, "nr", e->nr);
	json_writer__kv_string(&w, "abi", abi_name(e->abi) ? abi_name(e->abi) : "?");
	put_args(x, v, &w);
	put_result(x, v, &w);
	json_writer__kv_u64(&w, "duration_ns", e->dur_ns);
	json_writer__key(&w, "unfinished");
	json_writer__bool(&w, v->unfinished);
	json_writer__end_object(&w);
	return json_writer__end(&w);
}

int format_json_lost(FILE *f, const struct ev_fmt *x, __u64 now_mono, __u64 suppressed, __u64 lost)
{
	struct json_writer w;
	char time[40];

	ev_rfc3339(x, now_mono, time, sizeof(time));
	json_writer__init(&w, f, 0);
	json_writer__begin_object(&w);
	json_writer__kv_string(&w, "schema", EVENTS_JSON_SCHEMA);
	json_writer__kv_string(&w, "type", "lost");
	json_writer__kv_string(&w, "time", time);
	json_writer__kv_u64(&w, "mono_ns", now_mono);
	json_writer__kv_u64(&w, "suppressed", suppressed);
	json_writer__kv_u64(&w, "lost", lost);
	json_writer__end_object(&w);
	return json_writer__end(&w);
}
