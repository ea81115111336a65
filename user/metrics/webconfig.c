// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "lib/errmsg.h"
#include "lib/escape.h"
#include "metrics/webconfig.h"

#define MAX_CONFIG (64 * 1024)
#define MAX_PEM	   (1024 * 1024)
#define MAX_USERS  256

struct web_user {
	char *name;
	char *hash;
	char *ok; /* the last password that matched, or NULL */
};

struct webconfig {
	char *cert_file, *key_file;
	char *cert, *key; /* PEM texts */
	struct web_user users[MAX_USERS];
	size_t nr_users;
};

enum section {
	SEC_NONE,
	SEC_TLS,
	SEC_USERS,
};

/* A whole small file; NULL with errno set. */
static char *slurp(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e = 0;
	struct stat st;
	char *buf = NULL;
	ssize_t n;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st))
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if ((size_t)st.st_size > max)
		e = EFBIG;
	else if (!(buf = malloc(st.st_size + 1)))
		e = ENOMEM;
	if (!e) {
		n = read(fd, buf, st.st_size);
		if (n != st.st_size) {
			e = n < 0 ? errno : EIO;
			free(buf);
			buf = NULL;
		} else {
			buf[n] = 0;
		}
	}
	close(fd);
	errno = e;
	return buf;
}

/* A scalar: plain (up to a " #" comment), or in single or double quotes; NULL if bad. */
static char *scalar(char *s)
{
	char q = *s, *end;

	if (q == '"' || q == '\'') {
		end = strchr(s + 1, q);
		if (!end)
			return NULL;
		q = end[1 + strspn(end + 1, " \t")];
		if (q && q != '#')
			return NULL;
		*end = 0;
		return s + 1;
	}
	end = strstr(s, " #");
	if (end)
		*end = 0;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = 0;
	return s;
}

/* cert_file and key_file relative to the configuration file's directory. */
static char *resolve(const char *config, const char *file)
{
	const char *slash = strrchr(config, '/');
	char *out;

	if (file[0] == '/' || !slash)
		return strdup(file);
	if (asprintf(&out, "%.*s/%s", (int)(slash - config), config, file) < 0)
		return NULL;
	return out;
}

static bool is_bcrypt(const char *hash)
{
	return strlen(hash) == 60 && hash[0] == '$' && hash[1] == '2' &&
	       (hash[2] == 'a' || hash[2] == 'b' || hash[2] == 'y') && hash[3] == '$';
}

/* key: value inside a section; 0 or an error message. */
static int set_value(struct webconfig *w, enum section sec, const char *key, const char *val,
		     const char *path, char *err, size_t len)
{
	char **dst = NULL;

	if (sec == SEC_TLS) {
		if (!strcmp(key, "cert_file"))
			dst = &w->cert_file;
		else if (!strcmp(key, "key_file"))
			dst = &w->key_file;
		else
			return errmsg(err, len, -EINVAL,
				      "unsupported key 'tls_server_config.%s' (sysray supports "
				      "cert_file and key_file)",
				      key);
		if (*dst)
			return errmsg(err, len, -EINVAL, "'%s' given twice", key);
		*dst = resolve(path, val);
		return *dst ? 0 : -ENOMEM;
	}
	if (!is_bcrypt(val))
		return errmsg(err, len, -EINVAL,
			      "the password of '%s' is not a bcrypt hash ($2y$..., from "
			      "htpasswd -nBC 10 %s)",
			      key, key);
	for (size_t i = 0; i < w->nr_users; i++)
		if (!strcmp(w->users[i].name, key))
			return errmsg(err, len, -EINVAL, "user '%s' given twice", key);
	if (w->nr_users == MAX_USERS)
		return errmsg(err, len, -EINVAL, "too many users (at most %d)", MAX_USERS);
	w->users[w->nr_users].name = strdup(key);
	w->users[w->nr_users].hash = strdup(val);
	if (!w->users[w->nr_users].name || !w->users[w->nr_users].hash)
		return -ENOMEM;
	w->nr_users++;
	return 0;
}

/* One line of the file; sec is the section it is in. */
static int parse_line(struct webconfig *w, char *line, enum section *sec, const char *path,
		      char *err, size_t len)
{
	bool indented = line[0] == ' ' || line[0] == '\t';
	char *key = line + strspn(line, " \t"), *colon, *val;

	if (!*key || *key == '#')
		return 0;
	colon = strchr(key, ':');
	if (!colon || colon == key)
		return errmsg(err, len, -EINVAL, "expected 'key: value'");
	*colon = 0;
	val = scalar(colon + 1 + strspn(colon + 1, " \t"));
	key = scalar(key);
	if (!val || !key)
		return errmsg(err, len, -EINVAL, "unterminated quotes");
	if (!indented) {
		if (*val && strcmp(val, "{}") && strcmp(val, "null"))
			return errmsg(err, len, -EINVAL, "'%s' must be a mapping", key);
		if (!strcmp(key, "tls_server_config"))
			*sec = SEC_TLS;
		else if (!strcmp(key, "basic_auth_users"))
			*sec = SEC_USERS;
		else
			return errmsg(err, len, -EINVAL,
				      "unsupported key '%s' (sysray supports tls_server_config "
				      "and basic_auth_users)",
				      key);
		return 0;
	}
	if (*sec == SEC_NONE)
		return errmsg(err, len, -EINVAL, "indented key '%s' outside a section", key);
	if (!*val)
		return errmsg(err, len, -EINVAL, "'%s' has no value", key);
	return set_value(w, *sec, key, val, path, err, len);
}

static int load_pem(const char *file, char **out, char *err, size_t len)
{
	*out = slurp(file, MAX_PEM);
	if (!*out)
		return errmsg(err, len, -errno, "cannot read '%s': %s", file, strerror(errno));
	if (!strstr(*out, "-----BEGIN "))
		return errmsg(err, len, -EINVAL, "'%s' is not a PEM file", file);
	return 0;
}

/* The whole file read: TLS needs both files, which are loaded now. */
static int finish(struct webconfig *w, char *err, size_t len)
{
	int rc;

	if (!!w->cert_file != !!w->key_file)
		return errmsg(err, len, -EINVAL, "tls_server_config needs cert_file and key_file");
	if (!w->cert_file)
		return 0;
	rc = load_pem(w->cert_file, &w->cert, err, len);
	return rc ? rc : load_pem(w->key_file, &w->key, err, len);
}

int webconfig_parse(const char *text, const char *path, struct webconfig **out, char *err,
		    size_t len)
{
	struct webconfig *w = calloc(1, sizeof(*w));
	char *copy = strdup(text), *line, *save = NULL, msg[ERRMSG_LEN], emsg[ERRMSG_LEN];
	enum section sec = SEC_NONE;
	int rc = 0, lineno = 0;

	if (!w || !copy) {
		rc = -ENOMEM;
		goto out;
	}
	/* strtok_r would skip empty lines and lose the count: split by hand. */
	for (line = copy; line && !rc; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = 0;
		lineno++;
		line[strcspn(line, "\r")] = 0;
		msg[0] = 0;
		rc = parse_line(w, line, &sec, path, msg, sizeof(msg));
		if (!rc)
			continue;
		/* The message quotes the file's bytes: escaped, they cannot drive a terminal. */
		escape_str(emsg, sizeof(emsg), msg[0] ? msg : strerror(-rc));
		errmsg(err, len, rc, "--web-config %s, line %d: %s", path, lineno, emsg);
	}
	if (!rc) {
		rc = finish(w, msg, sizeof(msg));
		if (rc) {
			escape_str(emsg, sizeof(emsg), msg);
			errmsg(err, len, rc, "--web-config %s: %s", path, emsg);
		}
	}
out:
	free(copy);
	if (rc) {
		webconfig__free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int webconfig_load(const char *path, struct webconfig **out, char *err, size_t len)
{
	char *text = slurp(path, MAX_CONFIG);
	int rc;

	if (!text)
		return errmsg(err, len, -errno, "--web-config: cannot read '%s': %s", path,
			      strerror(errno));
	rc = webconfig_parse(text, path, out, err, len);
	free(text);
	return rc;
}

void webconfig__free(struct webconfig *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nr_users; i++) {
		free(w->users[i].name);
		free(w->users[i].hash);
		free(w->users[i].ok);
	}
	free(w->cert_file);
	free(w->key_file);
	free(w->cert);
	if (w->key) {
		explicit_bzero(w->key, strlen(w->key));
		free(w->key);
	}
	free(w);
}

bool webconfig__tls(const struct webconfig *w)
{
	return w && w->cert;
}

bool webconfig__auth(const struct webconfig *w)
{
	return w && w->nr_users;
}

const char *webconfig__cert(const struct webconfig *w)
{
	return w->cert;
}

const char *webconfig__key(const struct webconfig *w)
{
	return w->key;
}

/* Equal strings, in a time that depends only on b's length. */
static bool same(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;

	for (size_t i = 0; i < nb; i++)
		d |= (unsigned char)a[i < na ? i : 0] ^ (unsigned char)b[i];
	return !d;
}

bool webconfig__check(struct webconfig *w, const char *user, const char *password)
{
	struct crypt_data data;
	struct web_user *u = NULL;
	const char *h;

	for (size_t i = 0; i < w->nr_users; i++)
		if (same(user, w->users[i].name))
			u = &w->users[i];
	if (!u)
		return false;
	if (u->ok && same(password, u->ok))
		return true;
	memset(&data, 0, sizeof(data));
	h = crypt_r(password, u->hash, &data);
	if (!h || !same(h, u->hash))
		return false;
	free(u->ok);
	u->ok = strdup(password);
	return true;
}
