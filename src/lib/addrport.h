/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* ADDR:PORT and [ADDR6]:PORT, as the configuration writes an endpoint. */
#ifndef IFSTAT_ADDRPORT_H
#define IFSTAT_ADDRPORT_H

#include <stddef.h>
#include <sys/socket.h>

struct ifstat_addrport {
	int family; /* AF_INET, AF_INET6 */
	unsigned char addr[16];
	unsigned short port;
};

/*
 * Returns 0, -EINVAL (not ADDR:PORT), -EAFNOSUPPORT (an IPv6 address
 * without brackets), -EADDRNOTAVAIL (not an address of out->family) or
 * -ERANGE (port not 1-65535).
 */
int ifstat_addrport_parse(const char *text, struct ifstat_addrport *out);

/* The canonical text ("192.0.2.1:9877", "[2001:db8::1]:9877"); its
 * length or -ENOSPC. */
int ifstat_addrport_format(const struct ifstat_addrport *a, char *buf,
			   size_t len);

void ifstat_addrport_sockaddr(const struct ifstat_addrport *a,
			      struct sockaddr_storage *ss, socklen_t *len);

#endif
