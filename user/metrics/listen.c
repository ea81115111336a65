// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "lib/errmsg.h"
#include "metrics/listen.h"

#define BACKLOG 64

/* Split "host:port" / "[v6]:port" / ":port"; host is "" for every address. */
static int split(const char *spec, char *host, size_t hlen, char *port, size_t plen)
{
	const char *colon;
	size_t n;

	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');

		if (!end || end[1] != ':')
			return -EINVAL;
		n = end - spec - 1;
		colon = end + 1;
		spec++;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || memchr(spec, ':', colon - spec))
			return -EINVAL; /* an IPv6 address needs its brackets */
		n = colon - spec;
	}
	if (n >= hlen || strlen(colon + 1) >= plen || !colon[1] ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) || atol(colon + 1) > 65535)
		return -EINVAL;
	memcpy(host, spec, n);
	host[n] = 0;
	strcpy(port, colon + 1);
	return 0;
}

static int bind_one(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol),
	    one = 1, zero = 0;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* ":PORT" on the IPv6 wildcard also takes IPv4, whatever bindv6only says. */
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, BACKLOG)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int listen_open(const char *spec, char *err, size_t len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_ADDRCONFIG },
			*res, *ai;
	char host[256], port[8];
	int fd = -EADDRNOTAVAIL, rc;

	if (split(spec, host, sizeof(host), port, sizeof(port)))
		return errmsg(err, len, -EINVAL,
			      "invalid --listen: '%s' (ADDR:PORT, e.g. 127.0.0.1:9464, "
			      "[::1]:9464 or :9464 for every address)",
			      spec);
	/* The wildcard: IPv6 first (it takes IPv4 too), IPv4 on hosts without IPv6. */
	if (!*host)
		hints.ai_family = AF_INET6;
	rc = getaddrinfo(*host ? host : NULL, port, &hints, &res);
	if (rc && !*host) {
		hints.ai_family = AF_INET;
		rc = getaddrinfo(NULL, port, &hints, &res);
	}
	if (rc)
		return errmsg(err, len, -EINVAL, "--listen %s: %s", spec, gai_strerror(rc));
	for (ai = res; ai && fd < 0; ai = ai->ai_next)
		fd = bind_one(ai);
	freeaddrinfo(res);
	if (fd < 0)
		return errmsg(err, len, fd, "cannot listen on %s: %s", spec, strerror(-fd));
	return fd;
}

bool listen_is_loopback(int fd)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t n = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &n))
		return false;
	if (ss.ss_family == AF_INET)
		return (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24) == 127;
	if (ss.ss_family == AF_INET6) {
		const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

void listen_describe(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t n = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (!getsockname(fd, (struct sockaddr *)&ss, &n)) {
		if (ss.ss_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host,
				  sizeof(host));
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host,
				  sizeof(host));
			port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		}
	}
	snprintf(buf, len, ss.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", host, port);
}
