// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "anomaly/anomaly_log.h"
#include "lib/errmsg.h"
#include "lib/log.h"
#include "lib/safe_open.h"

static int open_fd(struct anomaly_log *l, char *err, size_t errlen)
{
	struct safe_file f;
	int rc = safe_open(l->stats.path, SAFE_APPEND, &f, err, errlen);

	if (rc)
		return rc;
	/* The file is written in place: only the descriptor is kept. */
	l->fd = f.fd;
	l->is_reg = f.is_reg;
	f.fd = -1;
	safe_file_close(&f);
	return 0;
}

int anomaly_log__open(struct anomaly_log *l, const char *path, char *err, size_t errlen)
{
	*l = (struct anomaly_log){ .stats.path = path, .fd = -1 };
	return open_fd(l, err, errlen);
}

int anomaly_log__reopen(struct anomaly_log *l)
{
	char msg[ERRMSG_LEN];
	int rc;

	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	rc = open_fd(l, msg, sizeof(msg));
	if (rc) {
		p_warn("cannot reopen the anomaly log: %s", msg);
		if (!l->stats.err)
			l->stats.err = -rc;
	}
	return rc;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

void anomaly_log__write(struct anomaly_log *l, const char *line, size_t len)
{
	off_t end = -1;
	int rc;

	if (l->fd < 0) {
		/* A reopen failed: what would have gone there is lost, and counted. */
		l->stats.lost++;
		return;
	}
	if (l->is_reg)
		end = lseek(l->fd, 0, SEEK_END);
	rc = write_all(l->fd, line, len);
	if (!rc) {
		l->stats.written++;
		return;
	}
	/* Half a line would spoil the JSON Lines: cut it off again. */
	if (end >= 0 && ftruncate(l->fd, end))
		end = -1;
	l->stats.lost++;
	if (!l->stats.err)
		l->stats.err = -rc;
	if (!l->warned)
		p_warn("cannot write to the anomaly log '%s': %s; events still go to stderr, and "
		       "the final report counts the lines the log misses",
		       l->stats.path, strerror(-rc));
	l->warned = true;
}

void anomaly_log__close(struct anomaly_log *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
