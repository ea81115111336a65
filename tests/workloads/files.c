// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Path-taking syscalls with known arguments and results, in two threads, for comparing
 * sysray's event lines with strace's.
 *
 * usage: files [stop] DIR
 *   stop  first stop itself (SIGSTOP), so that tracers can attach before anything runs;
 *         it goes on when it gets SIGCONT
 *   DIR   an empty directory it may write in (absolute)
 * It prints "files: sleep_ns=REQ own_ns=OWN" for its one 20 ms sleep, timed by itself.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static char dir[256];

static void at(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *second(void *arg)
{
	char t[300];
	int fd;

	(void)arg;
	at(t, sizeof(t), "thread-file");
	fd = syscall(SYS_openat, AT_FDCWD, t, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	syscall(SYS_write, fd, "thread", 6);
	syscall(SYS_close, fd);
	syscall(SYS_unlink, t);
	syscall(SYS_access, "/no/such/file/for/the/thread", F_OK);
	return NULL;
}

int main(int argc, char **argv)
{
	char a[300], b[300], d[300], lng[400];
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	unsigned long long t0, own;
	pthread_t th;
	struct stat st;
	char buf[64];
	int fd;

	if (argc == 3 && !strcmp(argv[1], "stop"))
		raise(SIGSTOP);
	if (argc < 2 || argv[argc - 1][0] != '/') {
		fprintf(stderr, "usage: files [stop] DIR\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[argc - 1]);
	at(a, sizeof(a), "a");
	at(b, sizeof(b), "b");
	at(d, sizeof(d), "d");
	at(lng, sizeof(lng), "a-name-longer-than-thirty-two-bytes-to-cut");
	fd = syscall(SYS_openat, AT_FDCWD, a, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	syscall(SYS_write, fd, "hello", 5);
	syscall(SYS_stat, a, &st);
	syscall(SYS_access, lng, F_OK);
	syscall(SYS_mkdir, d, 0755);
	syscall(SYS_mkdir, d, 0755);
	syscall(SYS_rename, a, b);
	syscall(SYS_readlink, b, buf, sizeof(buf));
	syscall(SYS_chdir, dir);
	syscall(SYS_openat, AT_FDCWD, "no-such-relative", O_RDONLY);
	/* Bytes a hostile process may put in a path: control, quote, backslash, UTF-8, 0xff,
	 * DEL, and an escape before a digit (strace writes it with three digits then). */
	syscall(SYS_access, "/no/\n\33[2J\"q\\\303\251\377\177\t\033" "7", F_OK);
	pthread_create(&th, NULL, second, NULL);
	pthread_join(th, NULL);
	t0 = now_ns();
	syscall(SYS_nanosleep, &ts, NULL);
	own = now_ns() - t0;
	syscall(SYS_write, fd, "bye", 3);
	syscall(SYS_close, fd);
	syscall(SYS_unlink, b);
	syscall(SYS_rmdir, d);
	syscall(SYS_rmdir, d);
	printf("files: sleep_ns=%llu own_ns=%llu\n", 20ULL * 1000 * 1000, own);
	return 0;
}
