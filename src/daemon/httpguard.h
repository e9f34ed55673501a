/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What libmicrohttpd 0.9.75 (Debian 12) leaves to its user, for every
 * HTTP server of ifstatd: a deadline for a request's headers (its
 * connection timeout is an idle timeout, which a client sending a byte
 * every few seconds never meets: slowloris), and a request whose body
 * framing is ambiguous (two different Content-Length, or one beside
 * Transfer-Encoding), which it would answer and then read the body of
 * as the next request (request smuggling behind a proxy).
 */
#ifndef IFSTATD_HTTPGUARD_H
#define IFSTATD_HTTPGUARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

/* One per connection, from its start to its end. */
struct ifstat_http_conn {
	struct ifstat_http_conn *next, **pprev;
	uint64_t since_ms; /* waiting for a request's headers since */
	bool in_request; /* headers in, the answer not finished */
	bool cut; /* the deadline passed: shut down */
	int fd;
};

struct ifstat_http_guard {
	struct ifstat_http_conn *head;
	unsigned int deadline_ms;
};

/* MHD_OPTION_NOTIFY_CONNECTION, with the guard as its closure. */
void ifstat_http_guard_notify(void *cls, struct MHD_Connection *c,
			      void **socket_context,
			      enum MHD_ConnectionNotificationCode toe);
/* The request's headers are in (the first call of the handler). */
void ifstat_http_guard_headers(struct MHD_Connection *c);
/* The request is answered: the next one's headers are awaited. */
void ifstat_http_guard_done(struct MHD_Connection *c);
/* ifstat_http_guard_done as MHD_OPTION_NOTIFY_COMPLETED. */
void ifstat_http_guard_completed(void *cls, struct MHD_Connection *c,
				 void **req_cls,
				 enum MHD_RequestTerminationCode toe);

/* A request's headers must be in this long after the connection (or the
 * last answer on it) at the latest, however slowly they trickle in
 * (slowloris); a scraper or a browser sends them at once. */
#define IFSTAT_HTTP_HEADER_DEADLINE_MS 5000

/* What a server's MHD_start_daemon adds for its guard g. */
#define IFSTAT_HTTP_GUARD_OPTIONS(g)                                           \
	MHD_OPTION_NOTIFY_CONNECTION, ifstat_http_guard_notify, (g),           \
		MHD_OPTION_NOTIFY_COMPLETED, ifstat_http_guard_completed, NULL

/*
 * For a handler's first call (the headers are in): marks the request
 * and checks its framing. MHD_YES to go on; else the 400 is queued and
 * *ret is what the handler returns.
 */
bool ifstat_http_guard_request(struct MHD_Connection *c, enum MHD_Result *ret);

/*
 * The start of every handler of ours: true when the handler returns *ret
 * now (a 400 from the guard, or the first call of a request without a
 * body, deferred), false when it answers (the second call, or a request
 * with a body, answered at once and its body never read).
 */
bool ifstat_http_first_call(struct MHD_Connection *c, void **req_cls,
			    enum MHD_Result *ret);
/*
 * Shuts down the connections still without their headers at the
 * deadline (libmicrohttpd then sees EOF and closes them). Returns the
 * ms until the next deadline, or UINT64_MAX when none is pending.
 */
uint64_t ifstat_http_guard_sweep(struct ifstat_http_guard *g);

/*
 * The request's body framing: 0 when at most one Content-Length value
 * (repeats of the same value allowed, RFC 9110 8.6) and not beside a
 * Transfer-Encoding; -EBADMSG otherwise, to be answered 400 and closed.
 */
int ifstat_http_framing(struct MHD_Connection *c);

/* A 400 answer that closes the connection. */
enum MHD_Result ifstat_http_bad_request(struct MHD_Connection *c);

#endif
