// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The event stream (--events -o FILE) is written in place as events come, and goes through
 * the same checks as a report file (docs/security.md): no planted link is followed, new
 * files follow the umask, an existing file keeps its owner and mode, and a full disk loses
 * nothing in silence.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fsutil.h"
#include "harness.h"

Test(files, the_event_stream_refuses_planted_links)
{
	char *args[] = { "--events", "-o", "@", "--", "/bin/true", NULL };

	expect_planted_links_refused(args);
}

Test(files, the_event_stream_follows_the_umask_and_keeps_owner_and_mode)
{
	char *dir = new_dir(0755, 0), *out = join(dir, "ev.txt"), cmd[1024], *text;
	char *sh[] = { "/bin/sh", "-c", cmd, NULL };
	char *args[] = { "--events", "-e", "trace=getppid", "-o", out, "--",
			 (char *)workload("known"), "getppid=3", NULL };
	struct proc_result r;
	struct stat st;

	snprintf(cmd, sizeof(cmd), "umask 077; exec %s --events -o %s -- /bin/true",
		 sysray_bin(), out);
	cr_assert_eq(run_proc(sh, -1, &r), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	proc_result_free(&r);
	cr_assert_eq(stat(out, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0600, "mode %o", st.st_mode & 07777);
	unlink(out);
	/* written in place: truncated, its owner and mode stay */
	put_file(out, "old old old old old old old old old old old old old old\n", 0640, NOBODY);
	run_sysray(args, &r);
	cr_expect_eq(r.status, 0, "%s", r.err);
	proc_result_free(&r);
	cr_assert_eq(stat(out, &st), 0);
	cr_expect_eq(st.st_uid, NOBODY);
	cr_expect_eq(st.st_mode & 07777, 0640);
	text = read_file(out);
	cr_assert_not_null(text);
	cr_expect(!strstr(text, "old") && strstr(text, "getppid()"), "%s", text);
	free(text);
	cr_expect_eq(leftovers(dir), 0);
	remove_tree(dir);
	free(out);
	free(dir);
}

Test(files, a_full_disk_under_the_event_stream, .timeout = 120, .fini = fsutil_fini)
{
	char *dir = full_fs(2, NULL), *out = join(dir, "ev.txt"), *text;
	char *args[] = { "--events", "-C", "--events-max-rate", "0", "-U", "calls,errors,name",
			 "-o", out, "--", (char *)workload("known"), "getppid=3000", "exit=3",
			 NULL };
	struct proc_result r;
	struct report_rows rows;
	size_t len;

	run_sysray(args, &r);
	cr_expect_eq(r.status, 125, "%s", r.err);
	cr_expect(strstr(r.err, "sysray: error: cannot write the events to ") &&
		      strstr(r.err, ": No space left on device; the rest are not written\n"),
		  "%s", r.err);
	cr_expect(strstr(r.err, "exit status 125; the command's was 3\n"), "%s", r.err);
	/* the summary (-C) reached stderr, whole */
	parse_report(r.err, &rows);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 3000, "%s", r.err);
	/* the events written before stay, in whole lines */
	text = read_file(out);
	cr_assert_not_null(text);
	len = strlen(text);
	cr_expect(len > 0 && text[len - 1] == '\n', "a cut line: ...%s",
		  text + (len > 40 ? len - 40 : 0));
	cr_expect(strstr(text, "execve("), "%.200s", text);
	free(text);
	free(rows.rows);
	proc_result_free(&r);
	free(out);
	unmount(dir);
}
