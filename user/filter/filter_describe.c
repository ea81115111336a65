// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The filters in effect, as reports state them: JSON and a text line. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "filter/filter.h"
#include "lib/errnos.h"
#include "lib/json.h"
#include "lib/syscalls.h"

static int count_selected(const struct filter *f, int abi)
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

void filter__describe_json(const struct filter *f, struct json_writer *w)
{
	char buf[16];

	json_writer__key(w, "filters");
	json_writer__begin_object(w);
	if (f->nr_cgroups) {
		json_writer__key(w, "cgroups");
		json_writer__begin_array(w);
		for (int i = 0; i < f->nr_cgroups; i++) {
			json_writer__begin_object(w);
			json_writer__kv_string(w, "path",
					       f->cgroup_paths[i] ? f->cgroup_paths[i] : "");
			json_writer__kv_u64(w, "id", f->cgroup_ids[i]);
			json_writer__end_object(w);
		}
		json_writer__end_array(w);
	}
	if (f->nr_uids) {
		json_writer__key(w, "uids");
		json_writer__begin_array(w);
		for (int i = 0; i < f->nr_uids; i++)
			json_writer__u64(w, f->uids[i]);
		json_writer__end_array(w);
	}
	if (f->nr_tids) {
		json_writer__key(w, "tids");
		json_writer__begin_array(w);
		for (int i = 0; i < f->nr_tids; i++)
			json_writer__u64(w, f->tids[i]);
		json_writer__end_array(w);
	}
	if (f->nr_comms) {
		json_writer__key(w, "comms");
		json_writer__begin_array(w);
		for (int i = 0; i < f->nr_comms; i++)
			json_writer__string(w, f->comms[i]);
		json_writer__end_array(w);
	}
	if (f->has_syscalls) {
		json_writer__key(w, "trace");
		json_writer__begin_object(w);
		json_writer__kv_string(w, "set", f->trace_expr ? f->trace_expr : "");
		json_writer__key(w, "selected");
		json_writer__begin_object(w);
		for (int abi = 0; abi < SYSRAY_ABI_CNT; abi++)
			json_writer__kv_u64(w, abi_name(abi), count_selected(f, abi));
		json_writer__end_object(w);
		json_writer__end_object(w);
	}
	if (f->result != FILTER_RESULT_ALL)
		json_writer__kv_string(w, "result",
				       f->result == FILTER_RESULT_FAILED ? "failed" : "successful");
	if (f->nr_errnos) {
		json_writer__key(w, "errnos");
		json_writer__begin_array(w);
		for (int i = 0; i < f->nr_errnos; i++)
			json_writer__string(w, errno_str(f->errnos[i], buf, sizeof(buf)));
		json_writer__end_array(w);
	}
	json_writer__end_object(w);
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

void filter__describe_text(const struct filter *f, FILE *out)
{
	char buf[16];

	if (!filter__active(f))
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
