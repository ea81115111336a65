// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Signal dispositions, shown and set, for the tests of what a traced command inherits and
 * of stop signals passed on to it.
 *
 * usage: sigs [show] [ignore=SIG,...] [catch=SIG,...] [wait] [getppid=N]
 *   show         print "ignored: N N..." and "caught: N..." (dispositions read with
 *                sigaction) and "blocked: N..." (the signal mask), signals 1..64
 *   ignore=LIST  set these signals to SIG_IGN
 *   catch=LIST   catch these: the handler prints "caught N"
 *   wait         print "ready pid=PID", then wait for a byte on stdin (through signals)
 *   getppid=N    then N getppid calls, and print "done"
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static void on_signal(int sig)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "caught %d\n", sig);

	if (write(1, buf, n) < 0)
		_exit(9);
}

/* glibc keeps 32 and 33 for itself; the raw syscall tells about them too. */
static int disposition(int sig, struct sigaction *sa)
{
	return syscall(SYS_rt_sigaction, sig, NULL, sa, 8);
}

static void show(void)
{
	const char *what[] = { "ignored:", "caught:" };
	sigset_t mask;

	for (int k = 0; k < 2; k++) {
		printf("%s", what[k]);
		for (int sig = 1; sig <= 64; sig++) {
			/* the kernel's struct: handler, flags, restorer, mask */
			struct sigaction sa;
			unsigned long raw[4] = { 0 };

			if (sig == SIGKILL || sig == SIGSTOP || disposition(sig, (void *)raw))
				continue;
			sa.sa_handler = (void (*)(int))raw[0];
			if ((k == 0 && sa.sa_handler == SIG_IGN) ||
			    (k == 1 && sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL))
				printf(" %d", sig);
		}
		printf("\n");
	}
	sigprocmask(SIG_BLOCK, NULL, &mask);
	printf("blocked:");
	for (int sig = 1; sig <= 64; sig++)
		if (sigismember(&mask, sig) == 1)
			printf(" %d", sig);
	printf("\n");
	fflush(stdout);
}

static void set_all(const char *list, void (*handler)(int))
{
	char *copy = strdup(list), *save = NULL;

	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		struct sigaction sa = { .sa_handler = handler };

		sigemptyset(&sa.sa_mask);
		if (sigaction(atoi(t), &sa, NULL)) {
			fprintf(stderr, "sigs: cannot set signal %s: %s\n", t, strerror(errno));
			exit(2);
		}
	}
	free(copy);
}

int main(int argc, char **argv)
{
	long getppid_n = -1;
	char c;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "show")) {
			show();
		} else if (!strncmp(argv[i], "ignore=", 7)) {
			set_all(argv[i] + 7, SIG_IGN);
		} else if (!strncmp(argv[i], "catch=", 6)) {
			set_all(argv[i] + 6, on_signal);
		} else if (!strcmp(argv[i], "wait")) {
			printf("ready pid=%d\n", getpid());
			while (read(0, &c, 1) < 0 && errno == EINTR)
				continue;
		} else if (!strncmp(argv[i], "getppid=", 8)) {
			getppid_n = atol(argv[i] + 8);
		} else {
			fprintf(stderr, "sigs: bad argument '%s'\n", argv[i]);
			return 2;
		}
	}
	for (long i = 0; i < getppid_n; i++)
		syscall(SYS_getppid);
	if (getppid_n >= 0)
		printf("done\n");
	return 0;
}
