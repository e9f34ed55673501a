// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * GET /api/v1/stream: Server-Sent Events, the current snapshot at once,
 * then one event ("data: " and the socket's JSON line) per published
 * reading, with the socket's guarantees. An event is built once and
 * shared by every stream (a reference, not a copy); libmicrohttpd takes
 * what the connection can send and a stream that has handed on its
 * whole event is suspended until the next one (no thread, no polling).
 * A stream that still holds part of the last event when the next comes
 * is behind: it is dropped and logged, so what a slow reader costs is
 * bounded by one event and the connection's buffers, never time.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "web.h"

/* Reconnect after this long when the connection is lost (the daemon
 * restarts): the browser's EventSource honours it. */
#define RETRY "retry: 1000\n"

struct web_event {
	unsigned int refs;
	size_t len;
	char data[];
};

struct web_stream {
	struct ifstat_web *w;
	struct MHD_Connection *c;
	struct web_stream *prev, *next;
	struct web_event *ev; /* NULL: nothing to send */
	size_t off; /* of ev, handed on */
	bool suspended, dropped;
	char peer[64];
};

static void put(struct web_event *e)
{
	if (e && !--e->refs)
		free(e);
}

/* line as an event; first: with the reconnection delay before it. */
static int event_of(const struct ifstat_buf *line, bool first,
		    struct web_event **out)
{
	static const char pre[] = "data: ";
	size_t retry = first ? sizeof(RETRY) - 1 : 0, n;
	struct web_event *e;

	/* The line ends with \n; SSE ends an event with an empty line. */
	n = retry + sizeof(pre) - 1 + line->len + 1;
	e = malloc(sizeof(*e) + n);
	if (!e)
		return -ENOMEM;
	e->refs = 1;
	e->len = n;
	memcpy(e->data, RETRY, retry);
	memcpy(e->data + retry, pre, sizeof(pre) - 1);
	memcpy(e->data + retry + sizeof(pre) - 1, line->data, line->len);
	e->data[n - 1] = '\n';
	*out = e;
	return 0;
}

static void name_peer(struct web_stream *s)
{
	const union MHD_ConnectionInfo *i = MHD_get_connection_info(
		s->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[INET6_ADDRSTRLEN], port[8];
	socklen_t len;

	snprintf(s->peer, sizeof(s->peer), "?");
	if (!i || !i->client_addr)
		return;
	len = i->client_addr->sa_family == AF_INET6
		      ? sizeof(struct sockaddr_in6)
		      : sizeof(struct sockaddr_in);
	if (getnameinfo(i->client_addr, len, host, sizeof(host), port,
			sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV))
		return;
	snprintf(s->peer, sizeof(s->peer),
		 i->client_addr->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		 host, port);
}

static void wake(struct web_stream *s)
{
	if (!s->suspended)
		return;
	s->suspended = false;
	MHD_resume_connection(s->c);
}

/*
 * Ends s: its reader answers an error at its next call, and the socket
 * is shut down so that a connection blocked on a reader that does not
 * read ends now rather than at its timeout.
 */
static void drop(struct web_stream *s, const char *why)
{
	const union MHD_ConnectionInfo *i = MHD_get_connection_info(
		s->c, MHD_CONNECTION_INFO_CONNECTION_FD);

	if (why)
		log_warn("http: stream client %s disconnected: %s", s->peer,
			 why);
	s->dropped = true;
	put(s->ev);
	s->ev = NULL;
	if (i)
		shutdown(i->connect_fd, SHUT_RDWR);
	wake(s);
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct web_stream *s = cls;
	size_t n;

	(void)pos;
	if (s->dropped)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (!s->ev || s->off == s->ev->len) {
		/* Until the next event; allowed from a reader, and 0 then
		 * means "later" without libmicrohttpd asking again. */
		MHD_suspend_connection(s->c);
		s->suspended = true;
		return 0;
	}
	n = s->ev->len - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->ev->data + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

/* libmicrohttpd is done with the response: the connection is gone. */
static void release(void *cls)
{
	struct web_stream *s = cls;
	struct ifstat_web *w = s->w;

	if (s->prev)
		s->prev->next = s->next;
	else
		w->streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	w->nstreams--;
	log_debug("http: stream client %s left, %u now", s->peer, w->nstreams);
	put(s->ev);
	free(s);
}

static enum MHD_Result refuse(struct ifstat_web *w, struct MHD_Connection *c)
{
	time_t now = time(NULL);

	w->refused++;
	if (now != w->refused_logged) {
		log_warn("http: refused %lu stream(s): limit of %u reached",
			 w->refused, (unsigned int)IFSTAT_WEB_MAX_STREAMS);
		w->refused_logged = now;
		w->refused = 0;
	}
	return ifstat_web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				"too many streams");
}

enum MHD_Result ifstat_web_stream_open(struct ifstat_web *w,
				       struct MHD_Connection *c)
{
	const struct ifstat_buf *line;
	struct MHD_Response *r;
	struct web_stream *s;
	enum MHD_Result ret;
	int err;

	if (w->nstreams >= IFSTAT_WEB_MAX_STREAMS)
		return refuse(w, c);
	s = calloc(1, sizeof(*s));
	if (!s)
		return MHD_NO;
	s->w = w;
	s->c = c;
	name_peer(s);
	/* The current counters at once, not the last interval's. */
	err = ifstat_web_reading(w, &line);
	if (!err)
		err = event_of(line, true, &s->ev);
	if (err) {
		free(s);
		return err == -EAGAIN
			       ? ifstat_web_error(c,
						  MHD_HTTP_SERVICE_UNAVAILABLE,
						  "not counting yet")
			       : MHD_NO;
	}
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, reader,
					      s, release);
	if (!r) {
		put(s->ev);
		free(s);
		return MHD_NO;
	}
	s->next = w->streams;
	if (w->streams)
		w->streams->prev = s;
	w->streams = s;
	w->nstreams++;
	log_debug("http: stream client %s connected, %u now", s->peer,
		  w->nstreams);
	ifstat_web_headers(r, "text/event-stream");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* Proxies that buffer would hold the events back. */
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	/* On failure this frees the stream through release(). */
	MHD_destroy_response(r);
	return ret;
}

void ifstat_web_streams_publish(struct ifstat_web *w)
{
	const struct ifstat_buf *line;
	struct web_event *e;
	struct web_stream *s;

	if (w->srv.h->ops->line(w->srv.h, &line) || event_of(line, false, &e))
		return;
	for (s = w->streams; s; s = s->next) {
		if (s->dropped)
			continue;
		if (s->ev && s->off < s->ev->len) {
			drop(s, "too slow (did not take the last snapshot "
				"before the next)");
			continue;
		}
		put(s->ev);
		e->refs++;
		s->ev = e;
		s->off = 0;
		wake(s);
	}
	put(e);
}

void ifstat_web_streams_close(struct ifstat_web *w)
{
	struct web_stream *s;

	for (s = w->streams; s; s = s->next)
		if (!s->dropped)
			drop(s, NULL);
}
