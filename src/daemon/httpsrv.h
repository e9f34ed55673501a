/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * An HTTP server of ifstatd: libmicrohttpd without a thread of its own,
 * as watches of the daemon's event loop (its epoll set, and a timer for
 * its connection timeouts), on one address, moved to another without
 * giving up the port when it cannot be had twice. Prometheus (prom.c) and
 * the web page (web.c) are its two kinds.
 */
#ifndef IFSTATD_HTTPSRV_H
#define IFSTATD_HTTPSRV_H

#include <microhttpd.h>
#include <stdarg.h>
#include <stddef.h>

#include "httpguard.h"
#include "loop.h"
#include "publisher.h"

struct ifstat_httpsrv;

struct ifstat_httpsrv_kind {
	const char *name; /* in messages: "prometheus", "http" */
	const char *serving; /* logged as "serving http://ADDR" serving */
	size_t size; /* of the kind's server, which starts with the common part */
	int sndbuf; /* SO_SNDBUF of its connections; 0: the kernel's */
	/*
	 * libmicrohttpd on the listening socket fd, with flags (epoll,
	 * error log, IPv6 as the address asks) and the kind's own: its
	 * handler and options, ifstat_httpsrv_mhd_log first. NULL on
	 * failure.
	 */
	struct MHD_Daemon *(*start)(struct ifstat_httpsrv *s, int fd,
				    unsigned int flags);
	void (*after_run)(struct ifstat_httpsrv *s); /* optional */
	void (*before_stop)(struct ifstat_httpsrv *s); /* optional */
};

struct ifstat_httpsrv {
	const struct ifstat_httpsrv_kind *kind;
	struct ifstat_host *h;
	struct MHD_Daemon *mhd;
	struct ifstat_watch io; /* libmicrohttpd's epoll set */
	struct ifstat_watch timer; /* its next connection timeout */
	struct ifstat_http_guard guard; /* header deadline (httpguard.h) */
	char addr[64];
};

/*
 * Moves *s to addr ("" stops it; *s NULL: nothing runs yet). The new
 * socket is bound before the old one is closed; only when the port is
 * taken by the old one (127.0.0.1:9877 to 0.0.0.0:9877) is the old one
 * closed first, and brought back if the new one still fails. On an
 * error *s is unchanged or, when it could not be brought back, NULL.
 */
int ifstat_httpsrv_move(struct ifstat_host *h,
			const struct ifstat_httpsrv_kind *k, const char *addr,
			struct ifstat_httpsrv **s);

void ifstat_httpsrv_stop(struct ifstat_httpsrv *s);

/* One round of libmicrohttpd now (what the loop's watches do). */
void ifstat_httpsrv_run(struct ifstat_httpsrv *s);

/* Connections open now. */
unsigned int ifstat_httpsrv_connections(struct ifstat_httpsrv *s);

/* libmicrohttpd's logger (cls: the server): its messages, at debug. */
void ifstat_httpsrv_mhd_log(void *cls, const char *fmt, va_list ap);

#endif
