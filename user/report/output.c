// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "report/output.h"

struct output {
	FILE *f;
	char *path; /* final name; NULL for stdout/stderr */
	char *tmp;
	bool committed;
	bool stream; /* opened in place: closed on free */
};

int output__open(const char *path, struct output **out)
{
	struct output *o = calloc(1, sizeof(*o));
	struct stat st;
	int fd, err;

	if (!o)
		return -ENOMEM;
	if (path && !*path) {
		free(o);
		return -ENOENT;
	}
	if (!path || !strcmp(path, "-")) {
		o->f = path ? stdout : stderr;
		*out = o;
		return 0;
	}
	/* A device or a FIFO (/dev/null, a pipe) is written in place, never replaced. */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		o->f = fopen(path, "we");
		if (!o->f) {
			err = -errno;
			goto cleanup;
		}
		o->stream = true;
		*out = o;
		return 0;
	}
	o->path = strdup(path);
	if (!o->path || asprintf(&o->tmp, "%s.sysray-XXXXXX", path) < 0) {
		o->tmp = NULL;
		err = -ENOMEM;
		goto cleanup;
	}
	/* Close-on-exec: the traced command must not inherit the report's file. */
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(o->tmp);
		o->tmp = NULL;
		goto cleanup;
	}
	/* mkstemp makes 0600; a report is an ordinary file. */
	fchmod(fd, 0644 & ~umask(umask(0)));
	o->f = fdopen(fd, "w");
	if (!o->f) {
		err = -errno;
		close(fd);
		goto cleanup;
	}
	*out = o;
	return 0;
cleanup:
	output__free(o);
	return err;
}

int output__open_stream(const char *path, struct output **out)
{
	struct output *o;
	int fd, err;

	if (!path || !strcmp(path, "-") || !*path)
		return output__open(path, out);
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	/* Close-on-exec: the traced command must not inherit the stream. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
	o->f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!o->f) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		free(o);
		return err;
	}
	o->stream = true;
	*out = o;
	return 0;
}

FILE *output__file(struct output *o)
{
	return o->f;
}

int output__commit(struct output *o)
{
	int err = 0;

	if (fflush(o->f) || ferror(o->f))
		err = errno ? -errno : -EIO;
	if (!o->path)
		return err;
	if (fclose(o->f) && !err)
		err = -errno;
	o->f = NULL;
	if (!err && rename(o->tmp, o->path))
		err = -errno;
	if (!err)
		o->committed = true;
	return err;
}

void output__free(struct output *o)
{
	if (!o)
		return;
	if (o->stream && o->f)
		fclose(o->f);
	if (o->path) {
		if (o->f)
			fclose(o->f);
		if (o->tmp && !o->committed)
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	free(o);
}
