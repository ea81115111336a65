// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Outputs that fail while sysray writes them, on a real full tmpfs (docs/security.md): the
 * report reaches stderr with the real errno, whole intervals stay, the anomaly log counts
 * what it lost; and outputs that are not regular files (a FIFO) are written in place.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fsutil.h"
#include "harness.h"
#include "minijson.h"

/* "--- interval N:" numbers in text, in order; returns how many. */
static int interval_numbers(const char *text, int *seq, int max)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, "--- interval ")) && n < max; p++)
		seq[n++] = atoi(p + 13);
	return n;
}

Test(files, a_full_disk_sends_the_report_to_stderr, .timeout = 120, .fini = fsutil_fini)
{
	char *dir = full_fs(0, "r.txt"), *out = join(dir, "r.txt");
	char *args[] = { "-U", "calls,errors,name",	  "-o",		out,
			 "--", (char *)workload("known"), "getppid=77", "exit=3",
			 NULL };
	struct proc_result r;
	struct report_rows rows;
	char *old;

	/* an old report is there, and no room for a new one */
	run_sysray(args, &r);
	cr_expect_eq(r.status, 125, "%s", r.err);
	cr_expect(strstr(r.err, "sysray: error: cannot write the report to '") &&
		      strstr(r.err, "': No space left on device; it and the rest of the run follow "
				    "on stderr\n"),
		  "%s", r.err);
	cr_expect(strstr(r.err, "exit status 125; the command's was 3\n"), "%s", r.err);
	parse_report(r.err, &rows);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 77, "the report is on stderr: %s", r.err);
	old = read_file(out);
	cr_expect_str_eq(old, "old\n", "the old report was replaced");
	cr_expect_eq(leftovers(dir), 0);
	free(old);
	free(rows.rows);
	proc_result_free(&r);
	free(out);
	unmount(dir);
}

Test(files, a_full_disk_keeps_the_intervals_written_before, .timeout = 120, .fini = fsutil_fini)
{
	char *dir = full_fs(1, NULL), *out = join(dir, "i.txt");
	char *args[] = { "-i", "0.1", "-o", out, "--", (char *)workload("phases"), "sleep:1000:1.5",
			 NULL };
	int in_file[64], on_stderr[64], nf, ne;
	struct proc_result r;
	const char *last;
	char *text;

	run_sysray(args, &r);
	cr_expect_eq(r.status, 125, "%s", r.err);
	text = read_file(out);
	cr_assert_not_null(text, "the intervals written before the failure are gone");
	nf = interval_numbers(text, in_file, 64);
	ne = interval_numbers(r.err, on_stderr, 64);
	cr_expect_geq(nf, 1, "%s", text);
	cr_expect_geq(ne, 1, "%s", r.err);
	/* whole intervals in the file, 1..k; k+1 onwards and the total on stderr */
	for (int i = 0; i < nf; i++)
		cr_expect_eq(in_file[i], i + 1);
	for (int i = 0; i < ne; i++)
		cr_expect_eq(on_stderr[i], nf + 1 + i);
	/* and the file ends with an interval's last line, the footer */
	last = text + strlen(text) - 1;
	cr_assert_eq(*last, '\n');
	while (last > text && last[-1] != '\n')
		last--;
	cr_expect(strstr(last, " events received, ") && strstr(last, " s\n"),
		  "the file ends inside an interval: %s", last);
	cr_expect(strstr(r.err, "--- total:"), "%s", r.err);
	cr_expect(strstr(r.err, "No space left on device"), "%s", r.err);
	free(text);
	proc_result_free(&r);
	free(out);
	unmount(dir);
}

Test(files, a_full_disk_under_the_anomaly_log_is_counted, .timeout = 120, .fini = fsutil_fini)
{
	char *dir = full_fs(0, NULL), *log = join(dir, "events.jsonl"), *out = tmp_path(".json");
	char *evil_dir, *evil = evil_name("phases", &evil_dir);
	char *args[] = { "--anomaly",
			 "--window-interval",
			 "0.25",
			 "--anomaly-log",
			 log,
			 "--format",
			 "json",
			 "-o",
			 out,
			 "--",
			 evil,
			 "sleep:1000:3.5",
			 "sleep:20000:1.5",
			 NULL };
	struct json_value *root, *sum;
	struct proc_result r;
	const char *first;
	char *text, *logged;

	run_sysray(args, &r);
	cr_expect_eq(r.status, 125, "%s", r.err);
	first = strstr(r.err, "cannot write to the anomaly log");
	cr_expect(first && strstr(first, "No space left on device"), "%s", r.err);
	cr_expect(first && !strstr(first + 1, "cannot write to the anomaly log"), "warned twice");
	/* the events still reach stderr, and the task's name is escaped there */
	cr_expect(strstr(r.err, "sysray: anomaly high clock_nanosleep"), "%s", r.err);
	cr_expect(strstr(r.err, "(\\33[2J\\7\\nX)"), "slow calls name the task: %s", r.err);
	cr_expect_null(strchr(r.err, '\033'), "a raw escape reached stderr");
	text = read_file(out);
	root = mj_parse(text);
	cr_assert_not_null(root, "%s", text);
	sum = mj_get(root, "anomaly_summary");
	cr_assert_not_null(sum);
	cr_expect_geq(mj_num(sum, "log_lost", 0), 2);
	cr_expect_eq(mj_num(sum, "log_written", -1), 0);
	logged = read_file(log);
	cr_expect_str_empty(logged, "half a line stayed in the log");
	free(logged);
	mj_free(root);
	free(text);
	unlink(out);
	free(out);
	free(log);
	proc_result_free(&r);
	unmount(dir);
	remove_tree(evil_dir);
	free(evil_dir);
	free(evil);
}

Test(files, a_full_disk_sends_the_html_page_to_stderr, .timeout = 120, .fini = fsutil_fini)
{
	char *dir = full_fs(0, NULL), *out = join(dir, "r.html");
	char *args[] = { "--format", "html",	 "-o", out, "--", (char *)workload("known"),
			 "getppid=77", "exit=3", NULL };
	struct proc_result r;
	const char *page;

	run_sysray(args, &r);
	cr_expect_eq(r.status, 125, "%s", r.err);
	cr_expect(strstr(r.err, "sysray: error: cannot write the report to '") &&
		      strstr(r.err, "': No space left on device; the page follows on stderr\n"),
		  "%s", r.err);
	cr_expect(strstr(r.err, "exit status 125; the command's was 3\n"), "%s", r.err);
	/* the whole page, after the error line */
	page = strstr(r.err, "<!DOCTYPE html>");
	cr_expect(page && strstr(page, "getppid") && strstr(page, "</html>"), "%s", r.err);
	cr_expect_eq(access(out, F_OK), -1, "a page was left in the full file system");
	cr_expect_eq(leftovers(dir), 0);
	proc_result_free(&r);
	free(out);
	unmount(dir);
}

Test(files, a_fifo_is_written_in_place, .timeout = 120)
{
	char *dir = new_dir(0755, 0), *fifo = join(dir, "r.fifo");
	char *args[] = { "-U", "calls,errors,name", "-o", fifo, "--", (char *)workload("known"),
			 "getppid=33", NULL };
	struct proc_result r;
	struct report_rows rows;
	char buf[65536];
	struct stat st;
	ssize_t n;
	int fd;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	/* a reader is there before sysray opens it; the report fits the pipe's buffer */
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(fd, 0);
	run_sysray(args, &r);
	cr_expect_eq(r.status, 0, "%s", r.err);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	cr_assert_gt(n, 0);
	buf[n] = 0;
	parse_report(buf, &rows);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 33, "%s", buf);
	cr_assert_eq(lstat(fifo, &st), 0);
	cr_expect(S_ISFIFO(st.st_mode), "the FIFO was replaced");
	cr_expect_eq(leftovers(dir), 0);
	free(rows.rows);
	proc_result_free(&r);
	remove_tree(dir);
	free(fifo);
	free(dir);
}
