// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "addrport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

int ifstat_addrport_parse(const char *v, struct ifstat_addrport *out)
{
	char addr[INET6_ADDRSTRLEN];
	const char *a, *port;
	unsigned long p;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (v[0] == '[') {
		const char *end = strchr(v, ']');

		if (!end || end[1] != ':')
			return -EINVAL;
		out->family = AF_INET6;
		a = v + 1;
		n = (size_t)(end - a);
		port = end + 2;
	} else {
		const char *colon = strrchr(v, ':');

		if (!colon)
			return -EINVAL;
		if (memchr(v, ':', (size_t)(colon - v)))
			return -EAFNOSUPPORT;
		out->family = AF_INET;
		a = v;
		n = (size_t)(colon - v);
		port = colon + 1;
	}
	if (n >= sizeof(addr))
		return -EADDRNOTAVAIL;
	memcpy(addr, a, n);
	addr[n] = '\0';
	if (inet_pton(out->family, addr, out->addr) != 1)
		return -EADDRNOTAVAIL;
	if (ifstat_parse_uint(port, strlen(port), 65535, &p) || !p)
		return -ERANGE;
	out->port = (unsigned short)p;
	return 0;
}

int ifstat_addrport_format(const struct ifstat_addrport *a, char *buf,
			   size_t len)
{
	char text[INET6_ADDRSTRLEN];
	int n;

	inet_ntop(a->family, a->addr, text, sizeof(text));
	n = snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		     text, a->port);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

void ifstat_addrport_sockaddr(const struct ifstat_addrport *a,
			      struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(a->port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		*len = sizeof(*s6);
		return;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(a->port);
	memcpy(&s4->sin_addr, a->addr, 4);
	*len = sizeof(*s4);
}
