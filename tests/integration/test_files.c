// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The files sysray writes as root (docs/security.md): links other users plant, modes and
 * owners, full file systems. The attacks are real: another user (nobody) plants and swaps
 * the links, a real tmpfs fills up.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include "fsutil.h"
#include "harness.h"
#include "minijson.h"

TestSuite(files, .timeout = 120, .fini = bg_cleanup);

/* As nobody, swap dir/r.txt between a link to a FIFO and a link to the victim, forever. */
static pid_t start_swapper(const char *dir, const char *victim)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid)
		return pid;
	if (setgid(NOBODY) || setuid(NOBODY))
		_exit(1);
	/* After setuid, which clears the parent-death signal. */
	die_with_test();
	char *fifo = join(dir, "fifo"), *a = join(dir, ".a"), *b = join(dir, ".b");
	char *name = join(dir, "r.txt");

	mkfifo(fifo, 0666);
	for (;;) {
		unlink(a);
		if (!symlink(fifo, a))
			rename(a, name);
		unlink(b);
		if (!symlink(victim, b))
			rename(b, name);
	}
}

Test(files, a_swapped_link_never_redirects_the_report)
{
	char *dir = new_dir(0755, NOBODY), *victim = strdup("/tmp/sysray-files-victim-XXXXXX");
	char *out = join(dir, "r.txt");
	char *args[] = { "-o", out, "--", "/bin/true", NULL };
	int fd = mkstemp(victim), refused = 0;
	pid_t swapper;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "secret\n", 7), 7);
	close(fd);
	swapper = start_swapper(dir, victim);
	for (int i = 0; i < 100 && access(out, F_OK); i++)
		usleep(10000);
	for (int i = 0; i < 20; i++) {
		struct proc_result r;

		run_sysray(args, &r);
		/* The link is never followed in nobody's directory: refused every time. */
		refused += r.status == 1 && strstr(r.err, "is a symbolic link") != NULL;
		proc_result_free(&r);
		expect_untouched(victim);
	}
	kill(swapper, SIGKILL);
	waitpid(swapper, NULL, 0);
	cr_expect_eq(refused, 20);
	remove_tree(dir);
	unlink(victim);
	free(out);
	free(victim);
	free(dir);
}

Test(files, a_planted_anomaly_log_link_is_refused)
{
	char *args[] = { "--anomaly", "--anomaly-log", "@", "-o", "/dev/null",
			 "--",	      "/bin/true",     NULL };

	expect_planted_links_refused(args);
}

Test(files, a_link_planted_before_sighup_is_refused_and_counted)
{
	char *dir = new_dir(01777, 0), *victim = join(dir, "victim"), *log = join(dir, "log");
	char *moved = join(dir, "log.1"), *out = tmp_path(".txt"), pid[16];
	char *wl[] = { (char *)workload("known"), "wait", "getppid=10", NULL };
	struct bg_proc w, s;
	struct proc_result wr, sr;
	char *report;

	put_file(victim, "secret\n", 0600, 0);
	cr_assert_eq(bg_start(wl, &w), 0);
	cr_assert(bg_wait_for(w.out_fd, "ready", 10000));
	snprintf(pid, sizeof(pid), "%d", w.pid);
	char *argv[] = {
		(char *)sysray_bin(), "-p", pid, "--anomaly", "--anomaly-log", log, "-o", out, NULL
	};

	cr_assert_eq(bg_start(argv, &s), 0);
	cr_assert(bg_wait_for(s.err_fd, "sysray: tracing", 20000));
	/* rotation, and another user plants a link where the log will be reopened */
	cr_assert_eq(rename(log, moved), 0);
	cr_assert_eq(symlink(victim, log), 0);
	cr_assert_eq(lchown(log, NOBODY, NOBODY), 0);
	kill(s.pid, SIGHUP);
	cr_expect(bg_wait_for(s.err_fd, "cannot reopen the anomaly log", 10000));
	cr_assert_eq(write(w.in_fd, "g", 1), 1);
	cr_assert_eq(bg_finish(&w, &wr), 0);
	cr_assert_eq(bg_finish(&s, &sr), 0);
	cr_expect_eq(sr.status, 125, "no log at the end is a failed output: %s", sr.err);
	report = read_file(out);
	cr_assert_not_null(report);
	cr_expect(strstr(report, ": 0 lines written, 0 lost (Too many levels of symbolic links)"),
		  "%s", report);
	expect_untouched(victim);
	unlink(out);
	remove_tree(dir);
	free(report);
	free(out);
	free(victim);
	free(log);
	free(moved);
	free(dir);
	proc_result_free(&wr);
	proc_result_free(&sr);
}

Test(files, new_files_follow_the_umask)
{
	static const char *const masks[] = { "077", "027", "000" };
	static const mode_t modes[] = { 0600, 0640, 0666 };
	char *dir = new_dir(0755, 0), *out = join(dir, "r.txt"), *log = join(dir, "a.log");
	char cmd[1024];
	struct stat st;

	for (int i = 0; i < 3; i++) {
		char *argv[] = { "/bin/sh", "-c", cmd, NULL };
		struct proc_result r;

		unlink(out);
		unlink(log);
		snprintf(cmd, sizeof(cmd),
			 "umask %s; exec %s --anomaly --anomaly-log %s -o %s -- /bin/true",
			 masks[i], sysray_bin(), log, out);
		cr_assert_eq(run_proc(argv, -1, &r), 0);
		cr_expect_eq(r.status, 0, "%s", r.err);
		proc_result_free(&r);
		cr_assert_eq(stat(out, &st), 0);
		cr_expect_eq(st.st_mode & 07777, modes[i], "umask %s: report mode %o", masks[i],
			     st.st_mode & 07777);
		cr_assert_eq(stat(log, &st), 0);
		cr_expect_eq(st.st_mode & 07777, modes[i], "umask %s: log mode %o", masks[i],
			     st.st_mode & 07777);
	}
	remove_tree(dir);
	free(out);
	free(log);
	free(dir);
}

Test(files, a_replaced_file_keeps_its_owner_and_mode)
{
	char *dir = new_dir(0755, 0), *out = join(dir, "r.txt");
	char *args[] = { "-U", "calls,errors,name",	  "-o",		out,
			 "--", (char *)workload("known"), "getppid=42", NULL };
	struct proc_result r;
	struct report_rows rows;
	struct stat st;
	char *text;

	put_file(out, "old\n", 0640, NOBODY);
	run_sysray(args, &r);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(stat(out, &st), 0);
	cr_expect_eq(st.st_uid, NOBODY);
	cr_expect_eq(st.st_gid, NOBODY);
	cr_expect_eq(st.st_mode & 07777, 0640);
	text = read_file(out);
	parse_report(text, &rows);
	cr_expect_eq(row_calls(&rows, 0, "getppid"), 42, "%s", text);
	cr_expect_eq(leftovers(dir), 0);
	free(rows.rows);
	free(text);
	proc_result_free(&r);
	remove_tree(dir);
	free(out);
	free(dir);
}

Test(files, block_devices_and_directories_are_refused)
{
	char *dir = new_dir(0755, 0), *blk = join(dir, "blk");
	char *to_blk[] = { "-o", blk, "--", "/bin/true", NULL };
	char *to_dir[] = { "-o", dir, "--", "/bin/true", NULL };
	char *to_null[] = { "-o", "/dev/null", "--", "/bin/true", NULL };
	struct proc_result r;
	struct stat st;

	/* an unassigned major: opening it for real would fail, O_PATH and fstat do not */
	cr_assert_eq(mknod(blk, S_IFBLK | 0600, makedev(250, 250)), 0);
	expect_error(to_blk, -1, "is a block device: refused");
	expect_error(to_dir, -1, "is a directory");
	cr_assert_eq(stat(blk, &st), 0);
	cr_expect(S_ISBLK(st.st_mode), "the device node was replaced");
	run_sysray(to_null, &r);
	cr_expect_eq(r.status, 0, "a character device is written in place: %s", r.err);
	cr_expect_eq(leftovers(dir), 0);
	proc_result_free(&r);
	remove_tree(dir);
	free(blk);
	free(dir);
}

Test(files, a_task_name_cannot_drive_the_terminal)
{
	char *evil_dir, *evil = evil_name("known", &evil_dir);
	char *opts[] = { "-P", NULL }, *wl[] = { evil, "getppid=5", NULL };
	struct json_value *root, *groups;
	struct proc_result r;
	char *text;

	text = sysray_report(opts, wl, &r);
	cr_expect(strstr(text, " (\\33[2J\\7\\nX): calls "), "%s", text);
	cr_expect_null(strchr(text, '\033'), "a raw escape in the report");
	cr_expect_null(strchr(text, '\a'));
	free(text);
	proc_result_free(&r);
	/* JSON keeps the exact name (escaped the JSON way) */
	root = sysray_json(opts, wl, &r);
	groups = mj_get(root, "processes_detail");
	cr_assert(groups && groups->n == 1);
	cr_expect_str_eq(mj_str(groups->items[0], "comm"), "\033[2J\a\nX");
	mj_free(root);
	proc_result_free(&r);
	remove_tree(evil_dir);
	free(evil_dir);
	free(evil);
}

Test(files, dev_stdout_is_the_descriptor_not_a_file_to_replace)
{
	char *out = tmp_path(".txt"), cmd[1024], *text;
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct proc_result r;
	struct stat st;
	ino_t ino;

	/* stdout appends to a file: the report goes after the command's line, in that file */
	put_file(out, "before\n", 0644, 0);
	cr_assert_eq(stat(out, &st), 0);
	ino = st.st_ino;
	snprintf(cmd, sizeof(cmd), "exec %s -o /dev/stdout -- /bin/echo hello >> %s", sysray_bin(),
		 out);
	cr_assert_eq(run_proc(argv, -1, &r), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	text = read_file(out);
	cr_expect(text && !strncmp(text, "before\nhello\n% time", 19), "%s", text);
	cr_expect(text && strstr(text, " total\n"), "%s", text);
	cr_assert_eq(stat(out, &st), 0);
	cr_expect_eq(st.st_ino, ino, "the file was replaced");
	free(text);
	proc_result_free(&r);
	unlink(out);
	free(out);
}

Test(files, a_closed_stdout_sends_json_to_stderr_with_the_real_errno)
{
	char *argv[] = { (char *)sysray_bin(), "--format", "json", "-o", "-", "--",
			 "/bin/true",	       NULL };
	char err[65536], *json;
	size_t len = 0;
	int out[2], ep[2], st;
	ssize_t n;
	pid_t pid;

	/* stdout a pipe nobody reads: EPIPE (sysray ignores SIGPIPE) */
	cr_assert_eq(pipe(out), 0);
	cr_assert_eq(pipe(ep), 0);
	close(out[0]);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(ep[1], 2);
		close(ep[0]);
		execv(argv[0], argv);
		_exit(126);
	}
	close(out[1]);
	close(ep[1]);
	while (len < sizeof(err) - 1 && (n = read(ep[0], err + len, sizeof(err) - 1 - len)) > 0)
		len += n;
	err[len] = 0;
	close(ep[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 125, "status %d: %s", st, err);
	cr_expect(strstr(err, "cannot write the report to 'stdout': Broken pipe"), "%s", err);
	cr_expect_null(strstr(err, "Input/output error"), "%s", err);
	json = strchr(err, '{');
	cr_assert_not_null(json, "%s", err);
	cr_expect(strstr(json, "\"schema\": \"sysray.profile/1\""), "%s", json);
}

Test(files, a_signal_at_start_up_leaves_no_temporary_file)
{
	char *dir = new_dir(0755, 0), *out = join(dir, "r.txt");
	char *argv[] = { (char *)sysray_bin(), "-o", out, "--", "/bin/sleep", "0.2", NULL };

	/* SIGTERM from 0 to 40 ms after the exec: before, during and after start-up */
	for (int i = 0; i < 40; i++) {
		struct timespec ts = { 0, i * 1000000L };
		pid_t pid = fork();

		cr_assert_geq(pid, 0);
		if (pid == 0) {
			int devnull = open("/dev/null", O_RDWR);

			dup2(devnull, 1);
			dup2(devnull, 2);
			execv(argv[0], argv);
			_exit(126);
		}
		nanosleep(&ts, NULL);
		kill(pid, SIGTERM);
		cr_assert_eq(waitpid(pid, NULL, 0), pid);
		cr_expect_eq(leftovers(dir), 0, "a temporary file after SIGTERM at %d ms", i);
	}
	remove_tree(dir);
	free(out);
	free(dir);
}
