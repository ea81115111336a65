// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "lib/safe_open.h"
#include "report/output.h"

/* A stream over a file descriptor that remembers the errno of its first failed write. */
struct wstream {
	FILE *f;
	int fd;
	int err;
	off_t written;
};

struct output {
	struct wstream target;
	struct wstream fallback; /* stderr, after a failure */
	struct safe_file sf;	 /* -o FILE */
	const char *name;
	char *tmp_path;
	off_t good; /* bytes of the whole reports written to the target */
	unsigned int reports, kept;
	int err; /* the target's failure */
	bool failed, keep_tmp;
};

static ssize_t ws_write(void *cookie, const char *buf, size_t n)
{
	struct wstream *w = cookie;
	size_t done = 0;

	/* After a failure nothing more goes out: a file must not get a hole in a report. */
	if (w->err) {
		errno = w->err;
		return 0;
	}
	while (done < n) {
		ssize_t k = write(w->fd, buf + done, n - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->err = k < 0 ? errno : EIO;
			errno = w->err;
			return 0;
		}
		done += k;
		w->written += k;
	}
	return n;
}

static int ws_open(struct wstream *w, int fd)
{
	cookie_io_functions_t io = { .write = ws_write };

	w->fd = fd;
	w->f = fopencookie(w, "w", io);
	return w->f ? 0 : -errno;
}

/*
 * /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: sysray's own descriptor, written
 * through a dup that shares its file offset, as a shell redirection does (opening the path
 * would start at offset 0 over the command's own output, or replace the file). -1 if not.
 */
static int own_fd(const char *path)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/" };
	char *end;
	long n;

	if (!strcmp(path, "/dev/stdout"))
		return STDOUT_FILENO;
	if (!strcmp(path, "/dev/stderr"))
		return STDERR_FILENO;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t len = strlen(dirs[i]);

		if (strncmp(path, dirs[i], len) || !isdigit((unsigned char)path[len]))
			continue;
		errno = 0;
		n = strtol(path + len, &end, 10);
		if (!errno && !*end && n <= INT_MAX)
			return n;
	}
	return -1;
}

static int open_own(const char *path, int fd, struct safe_file *sf, char *err, size_t errlen)
{
	struct stat st;

	sf->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (sf->fd < 0 || fstat(sf->fd, &st)) {
		int rc = -errno;

		snprintf(err, errlen, "cannot write to '%s': %s", path, strerror(-rc));
		return rc;
	}
	if (S_ISBLK(st.st_mode) || S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s' is a %s: refused", path,
			 S_ISDIR(st.st_mode) ? "directory" : "block device");
		return S_ISDIR(st.st_mode) ? -EISDIR : -ENOTBLK;
	}
	return 0;
}

static int open_as(const char *path, enum safe_open_mode mode, struct output **out, char *err,
		   size_t errlen)
{
	struct output *o = calloc(1, sizeof(*o));
	int rc, fd;

	if (!o)
		return -ENOMEM;
	o->sf = (struct safe_file){ .fd = -1, .dirfd = -1 };
	o->name = !path ? "stderr" : strcmp(path, "-") ? path : "stdout";
	if (path && !*path) {
		free(o);
		snprintf(err, errlen, "-o needs a file name");
		return -ENOENT;
	}
	if (path && strcmp(path, "-")) {
		fd = own_fd(path);
		rc = fd >= 0 ? open_own(path, fd, &o->sf, err, errlen)
			     : safe_open(path, mode, &o->sf, err, errlen);
		if (rc) {
			safe_file_close(&o->sf);
			free(o);
			return rc;
		}
		fd = o->sf.fd;
	} else {
		fd = path ? STDOUT_FILENO : STDERR_FILENO;
	}
	rc = ws_open(&o->target, fd);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		output__free(o);
		return rc;
	}
	*out = o;
	return 0;
}

int output__open(const char *path, struct output **out, char *err, size_t errlen)
{
	return open_as(path, SAFE_REPLACE, out, err, errlen);
}

int output__open_stream(const char *path, struct output **out, char *err, size_t errlen)
{
	return open_as(path, SAFE_TRUNCATE, out, err, errlen);
}

int output__mark(struct output *o)
{
	if (o->failed)
		return o->err;
	if (fflush(o->target.f) || ferror(o->target.f))
		return o->target.err ? -o->target.err : -EIO;
	o->good = o->target.written;
	return 0;
}

int output__write_error(const struct output *o)
{
	return o->target.err ? -o->target.err : 0;
}

FILE *output__file(struct output *o)
{
	return o->failed && o->fallback.f ? o->fallback.f : o->target.f;
}

const char *output__name(const struct output *o)
{
	return o->name;
}

int output__end_report(struct output *o)
{
	struct wstream *w = o->failed && o->fallback.f ? &o->fallback : &o->target;

	if (!fflush(w->f) && !ferror(w->f)) {
		if (w == &o->target) {
			o->good = w->written;
			o->reports++;
		}
		return 0;
	}
	return w->err ? -w->err : -EIO;
}

bool output__fail(struct output *o, int err)
{
	if (o->failed)
		return o->fallback.f != NULL;
	o->failed = true;
	o->err = err ? err : -EIO;
	o->kept = o->reports;
	/* What is still buffered never reaches the file; the file ends after a whole report. */
	__fpurge(o->target.f);
	if (!o->target.err)
		o->target.err = -o->err;
	if (o->sf.is_reg && ftruncate(o->sf.fd, o->good))
		o->kept = 0;
	if (o->target.fd == STDERR_FILENO || ws_open(&o->fallback, STDERR_FILENO))
		return false;
	return true;
}

bool output__failed(const struct output *o)
{
	return o->failed;
}

int output__error(const struct output *o)
{
	return o->failed ? o->err : 0;
}

unsigned int output__kept(const struct output *o)
{
	return o->kept;
}

const char *output__tmp_path(struct output *o)
{
	const char *slash;

	if (!o->sf.tmp)
		return NULL;
	if (!o->tmp_path) {
		slash = strrchr(o->name, '/');
		if (asprintf(&o->tmp_path, "%.*s%s", slash ? (int)(slash - o->name + 1) : 0,
			     o->name, o->sf.tmp) < 0)
			o->tmp_path = NULL;
	}
	return o->tmp_path ? o->tmp_path : o->sf.tmp;
}

int output__commit(struct output *o)
{
	int rc;

	if (!o->sf.tmp)
		return 0;
	/* A failed file is kept only if it holds whole reports; else it is removed. */
	if (o->failed && !o->kept)
		return 0;
	rc = safe_file_commit(&o->sf);
	if (rc) {
		output__tmp_path(o);
		o->keep_tmp = true;
	}
	return rc;
}

int output__dirfd(const struct output *o)
{
	return o->sf.tmp ? o->sf.dirfd : -1;
}

const char *output__basename(const struct output *o)
{
	return o->sf.tmp ? o->sf.name : NULL;
}

void output__free(struct output *o)
{
	if (!o)
		return;
	if (o->target.f) {
		if (o->failed)
			__fpurge(o->target.f);
		fclose(o->target.f);
	}
	if (o->fallback.f)
		fclose(o->fallback.f);
	if (o->keep_tmp) {
		free(o->sf.tmp);
		o->sf.tmp = NULL;
	}
	safe_file_close(&o->sf);
	free(o->tmp_path);
	free(o);
}
