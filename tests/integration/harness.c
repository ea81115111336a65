// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include "harness.h"
#include "minijson.h"

const char *sysray_bin(void)
{
	const char *s = getenv("SYSRAY");

	return s ? s : "./sysray";
}

const char *workload(const char *name)
{
	static char buf[8][512];
	static int i;
	const char *dir = getenv("WORKLOADS");
	char *b = buf[i++ % 8];

	snprintf(b, 512, "%s/%s", dir ? dir : ".output/workloads", name);
	return b;
}

bool ia32_available(void)
{
	static int known = -1;
	int st;
	pid_t pid;

	if (known >= 0)
		return known;
	pid = fork();
	if (pid == 0) {
		long ret = 20; /* __NR_getpid in the i386 table */
		int devnull = open("/dev/null", O_WRONLY);

		/* Quiet: under SANITIZE=1 the expected SIGSEGV is a full ASan report. */
		dup2(devnull, 2);

		__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
		_exit(ret == getpid() ? 0 : 1);
	}
	known = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	return known;
}

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

/* Drain two fds to EOF into malloc'ed strings. */
static void drain(int ofd, int efd, char **out, char **err)
{
	size_t olen = 0, elen = 0, ocap = 4096, ecap = 4096;
	struct pollfd pfd[2] = { { ofd, POLLIN, 0 }, { efd, POLLIN, 0 } };
	int open = 2;

	*out = malloc(ocap);
	*err = malloc(ecap);
	while (open) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		for (int k = 0; k < 2; k++) {
			char **buf = k ? err : out;
			size_t *len = k ? &elen : &olen, *cap = k ? &ecap : &ocap;
			ssize_t n;

			if (pfd[k].fd < 0 || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (*cap - *len < 4096) {
				*cap *= 2;
				*buf = realloc(*buf, *cap);
			}
			n = read(pfd[k].fd, *buf + *len, *cap - *len - 1);
			if (n <= 0) {
				close(pfd[k].fd);
				pfd[k].fd = -1;
				open--;
				continue;
			}
			*len += n;
		}
	}
	(*out)[olen] = 0;
	(*err)[elen] = 0;
}

void die_with_test(void)
{
	/* No getppid() check: a system-wide test counting getppid would see it. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/*
 * In a child: be killed with the test that started it. A failed assertion ends the test's
 * process before bg_finish or waitpid, and a sysray -a, strace or stopped workload left
 * running would skew every test and benchmark after it. False if the prctl fails.
 */
static bool die_with_parent(pid_t parent)
{
	/*
	 * No getppid() to catch a test that died before the prctl: the child's calls before
	 * exec are traced and named after the command it becomes, and tests count getppid.
	 * A test process dying in those few instructions is not worth a wrong count.
	 */
	(void)parent;
	return !prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/*
 * Every background process a test starts, so that bg_cleanup() can end the ones the test
 * did not (a failed assertion leaves the test before its own bg_finish). Each test runs in
 * its own worker process, so this list is the current test's.
 */
#define BG_MAX 64
static pid_t bg_pids[BG_MAX];

/*
 * In the child, before exec: its own process group, so that its children (the command of
 * sysray -- CMD) can be ended with it, and SIGKILL when the test's process dies, which
 * covers what no cleanup code can: Criterion killing a test that timed out.
 */
static void child_tie_to(pid_t parent)
{
	setpgid(0, 0);
	if (!die_with_parent(parent))
		_exit(127);
}

int bg_start(char *const argv[], struct bg_proc *p)
{
	pid_t parent = getpid();
	int in[2], out[2], err[2];

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		child_tie_to(parent);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], argv);
		_exit(126);
	}
	/* Also from the parent: the group must exist before anyone signals it. */
	setpgid(p->pid, p->pid);
	for (int i = 0; i < BG_MAX; i++) {
		if (!bg_pids[i]) {
			bg_pids[i] = p->pid;
			break;
		}
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->in_fd = in[1];
	p->out_fd = out[0];
	p->err_fd = err[0];
	return 0;
}

/* Wait up to ms for pid to exit; whether it was reaped (or was already). */
static bool reap_within(pid_t pid, int ms)
{
	for (int i = 0; i <= ms / 10; i++) {
		pid_t w = waitpid(pid, NULL, WNOHANG);

		if (w == pid || (w < 0 && errno == ECHILD))
			return true;
		usleep(10000);
	}
	return false;
}

void bg_cleanup(void)
{
	for (int i = 0; i < BG_MAX; i++) {
		pid_t pid = bg_pids[i];

		if (!pid)
			continue;
		bg_pids[i] = 0;
		/* Not reaped yet (alive or a zombie): its pid, and so its group, are ours. */
		if (waitpid(pid, NULL, WNOHANG) == 0) {
			kill(-pid, SIGTERM);
			if (reap_within(pid, 3000))
				continue;
			kill(-pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		/* What the group's leader left behind (a command sysray started). */
		kill(-pid, SIGKILL);
	}
}

bool bg_read_line(int fd, const char *needle, char *buf, size_t size, int timeout_ms)
{
	size_t len = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };

	/* Byte by byte so nothing after the line is consumed. */
	while (len < size - 1) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return false;
		if (read(fd, buf + len, 1) != 1)
			return false;
		buf[++len] = 0;
		if (buf[len - 1] == '\n') {
			if (strstr(buf, needle))
				return true;
			len = 0;
		}
	}
	return false;
}

bool bg_wait_for(int fd, const char *needle, int timeout_ms)
{
	char buf[4096];

	return bg_read_line(fd, needle, buf, sizeof(buf), timeout_ms);
}

int bg_finish(struct bg_proc *p, struct proc_result *r)
{
	int st;

	close(p->in_fd);
	drain(p->out_fd, p->err_fd, &r->out, &r->err);
	if (waitpid(p->pid, &st, 0) < 0)
		return -errno;
	r->status = status_code(st);
	for (int i = 0; i < BG_MAX; i++)
		if (bg_pids[i] == p->pid)
			bg_pids[i] = 0;
	return 0;
}

int run_proc(char *const argv[], int uid, struct proc_result *r)
{
	pid_t parent = getpid();
	int out[2], err[2], st;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		/* Killed with the test if it times out; no group of its own (the test waits). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);

		dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		/*
		 * Again after setuid, which clears the parent-death signal, but without the
		 * check: a call made as uid would be counted by the --uid tests.
		 */
		if (!die_with_parent(parent) ||
		    (uid >= 0 && (setgroups(0, NULL) || setgid(uid) || setuid(uid) ||
				  prctl(PR_SET_PDEATHSIG, SIGKILL))))
			_exit(125);
		execv(argv[0], argv);
		_exit(126);
	}
	close(out[1]);
	close(err[1]);
	drain(out[0], err[0], &r->out, &r->err);
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	r->status = status_code(st);
	return 0;
}

void proc_result_free(struct proc_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int parse_report(const char *text, struct report_rows *rr)
{
	const char *line = text;
	int abi = 0;

	rr->rows = NULL;
	rr->n = 0;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[256], a[64], b[64], c[64];
		int k;

		snprintf(buf, sizeof(buf), "%.*s", (int)(len < 255 ? len : 255), line);
		line = nl ? nl + 1 : NULL;
		if (strstr(buf, "32 bit mode") || strstr(buf, "x32 mode")) {
			abi = strstr(buf, "x32 mode") ? 2 : 1;
			continue;
		}
		if (buf[0] == '-' || strstr(buf, "calls") || strstr(buf, "events received") ||
		    !strncmp(buf, "traced from ", 12))
			continue;
		k = sscanf(buf, "%63s %63s %63s", a, b, c);
		if (k < 2 || !strcmp(k == 2 ? b : c, "total"))
			continue;
		rr->rows = realloc(rr->rows, (rr->n + 1) * sizeof(*rr->rows));
		struct report_row *row = &rr->rows[rr->n++];

		row->abi = abi;
		row->calls = atol(a);
		row->errors = k == 3 ? atol(b) : 0;
		snprintf(row->name, sizeof(row->name), "%s", k == 3 ? c : b);
	}
	return 0;
}

const struct report_row *find_row(const struct report_rows *rr, int abi, const char *name)
{
	for (int i = 0; i < rr->n; i++)
		if (rr->rows[i].abi == abi && !strcmp(rr->rows[i].name, name))
			return &rr->rows[i];
	return NULL;
}

long row_calls(const struct report_rows *rr, int abi, const char *name)
{
	const struct report_row *r = find_row(rr, abi, name);

	return r ? r->calls : 0;
}

long row_errors(const struct report_rows *rr, int abi, const char *name)
{
	const struct report_row *r = find_row(rr, abi, name);

	return r ? r->errors : 0;
}

char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, 0, f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

char *tmp_path(const char *suffix)
{
	static int seq;
	char *p;

	if (asprintf(&p, "/tmp/sysray-test-%d-%d%s", getpid(), seq++, suffix) < 0)
		return NULL;
	return p;
}

char *sysray_report(char *const opts[], char *const wl[], struct proc_result *r)
{
	char *out = tmp_path(".report"), *argv[48] = { (char *)sysray_bin(), "-o", out };
	char *text;
	int n = 3;

	for (int i = 0; opts && opts[i]; i++)
		argv[n++] = opts[i];
	argv[n++] = "--";
	for (int i = 0; wl[i]; i++)
		argv[n++] = wl[i];
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, -1, r), 0);
	cr_assert_eq(r->status, 0, "sysray failed: %s", r->err);
	text = read_file(out);
	cr_assert_not_null(text, "no report written; stderr: %s", r->err);
	unlink(out);
	free(out);
	return text;
}

struct json_value *sysray_json(char *const opts[], char *const wl[], struct proc_result *r)
{
	char *args[40] = { "--format", "json" };
	struct json_value *root;
	char *text;
	int n = 2;

	for (int i = 0; opts && opts[i]; i++)
		args[n++] = opts[i];
	args[n] = NULL;
	text = sysray_report(args, wl, r);
	root = mj_parse(text);
	cr_assert_not_null(root, "report is not valid JSON:\n%s", text);
	free(text);
	return root;
}

void expect_error(char *const args[], int uid, const char *msg)
{
	char *argv[24] = { (char *)sysray_bin() };
	struct proc_result r;
	int n = 1;

	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cr_assert_eq(run_proc(argv, uid, &r), 0);
	cr_expect(r.status != 0 && r.status < 128, "status %d for %s", r.status, args[0]);
	cr_expect_eq(strncmp(r.err, "sysray: error: ", 15), 0, "stderr: %s", r.err);
	cr_expect(strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "not one line: %s", r.err);
	cr_expect(strstr(r.err, msg) != NULL, "'%s' not in: %s", msg, r.err);
	proc_result_free(&r);
}

/* "2025-06-01T12:00:00.123456Z" as µs since the epoch; -1 if it is not in that form. */
long long rfc3339_us(const char *s)
{
	struct tm tm = { 0 };
	unsigned int us;
	char *rest;
	int n = 0;

	if (!s)
		return -1;
	rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest || sscanf(rest, ".%6u%n", &us, &n) != 1 || n != 7 || strcmp(rest + n, "Z"))
		return -1;
	return (long long)timegm(&tm) * 1000000 + us;
}

long long wall_minus_mono_us(void)
{
	struct timespec w, m;

	clock_gettime(CLOCK_REALTIME, &w);
	clock_gettime(CLOCK_MONOTONIC, &m);
	return (w.tv_sec - m.tv_sec) * 1000000LL + (w.tv_nsec - m.tv_nsec) / 1000;
}

pid_t child_of(pid_t parent)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", parent, parent);
	for (int i = 0; i < 1000; i++) {
		char *text = read_file(path);
		long pid = text ? atol(text) : 0;

		free(text);
		if (pid > 0)
			return pid;
		usleep(10000);
	}
	cr_assert_fail("process %d has no child after 10 s", parent);
	return -1;
}

pid_t ns_pid_of(pid_t pid)
{
	char path[64], *text, *line, *last;
	pid_t nspid = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	text = read_file(path);
	cr_assert_not_null(text, "no %s", path);
	line = strstr(text, "\nNSpid:");
	cr_assert_not_null(line, "no NSpid in %s", path);
	*strchrnul(line + 1, '\n') = 0;
	last = strrchr(line, '\t') ?: strrchr(line, ' ');
	if (last)
		nspid = atol(last + 1);
	free(text);
	return nspid;
}

bool proc_stopped(pid_t pid)
{
	char path[64], *text, *p;
	bool stopped = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	text = read_file(path);
	p = text ? strrchr(text, ')') : NULL;
	if (p)
		stopped = p[1] == ' ' && p[2] == 'T';
	free(text);
	return stopped;
}

bool proc_has_fd(pid_t pid, const char *target)
{
	char dir[64], path[320], link[256];
	bool found = false;
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	dp = opendir(dir);
	while (dp && !found && (d = readdir(dp))) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = 0;
			found = !strcmp(link, target);
		}
	}
	if (dp)
		closedir(dp);
	return found;
}

void pidns_start(struct pidns *ns)
{
	char *argv[] = { "/usr/bin/unshare", "-p",	   "-f",  "--mount-proc",
			 "--kill-child",     "/bin/sleep", "600", NULL };

	cr_assert_eq(access(argv[0], X_OK), 0, "unshare (util-linux) is not installed");
	cr_assert_eq(bg_start(argv, &ns->holder), 0);
	ns->init = child_of(ns->holder.pid);
	snprintf(ns->target, sizeof(ns->target), "%d", ns->init);
	/* sleep has replaced unshare's child once the namespace's /proc is mounted */
	for (int i = 0; i < 1000; i++) {
		char path[64], *comm;
		bool ready;

		snprintf(path, sizeof(path), "/proc/%d/comm", ns->init);
		comm = read_file(path);
		ready = comm && !strcmp(comm, "sleep\n");
		free(comm);
		if (ready)
			return;
		usleep(10000);
	}
	cr_assert_fail("the pid namespace's init did not start");
}

void pidns_stop(struct pidns *ns)
{
	struct proc_result r;

	/* --kill-child: the init dies with unshare, and the namespace with its init */
	kill(ns->holder.pid, SIGKILL);
	bg_finish(&ns->holder, &r);
	proc_result_free(&r);
}

void pidns_argv(struct pidns *ns, char *const argv[], char **out)
{
	int n = 0;

	out[n++] = "/usr/bin/nsenter";
	out[n++] = "-t";
	out[n++] = ns->target;
	out[n++] = "-p";
	out[n++] = "-m";
	/* the init's working directory, which is ours: relative SYSRAY/WORKLOADS paths work */
	out[n++] = "-w";
	for (int i = 0; argv[i] && n < 47; i++)
		out[n++] = argv[i];
	out[n] = NULL;
}
