// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Processes of two kinds, for --clusters: READERS children that only read /dev/zero and
 * STATERS children that only stat "/", CALLS calls each, reaped at the end. Prints
 * "reader PID" and "stater PID" for each child, so a test knows which is which. The children
 * start at once (waiting for each other would add a blocking call to their mix).
 *
 * usage: mix READERS STATERS CALLS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void reader(long calls)
{
	char buf[4096];
	long fd = syscall(SYS_openat, AT_FDCWD, "/dev/zero", O_RDONLY);

	for (long i = 0; i < calls; i++)
		syscall(SYS_read, fd, buf, sizeof(buf));
}

static void stater(long calls)
{
	struct stat st;

	for (long i = 0; i < calls; i++)
		syscall(SYS_newfstatat, AT_FDCWD, "/", &st, 0);
}

int main(int argc, char **argv)
{
	long readers, staters, calls;

	if (argc != 4 || (readers = atol(argv[1])) < 0 || (staters = atol(argv[2])) < 0 ||
	    (calls = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: mix READERS STATERS CALLS\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (long i = 0; i < readers + staters; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			if (i < readers)
				reader(calls);
			else
				stater(calls);
			_exit(0);
		}
		printf("%s %d\n", i < readers ? "reader" : "stater", pid);
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
