// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "httpguard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct ifstat_http_conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return i ? i->socket_context : NULL;
}

void ifstat_http_guard_notify(void *cls, struct MHD_Connection *c,
			      void **socket_context,
			      enum MHD_ConnectionNotificationCode toe)
{
	struct ifstat_http_guard *g = cls;
	struct ifstat_http_conn *k = *socket_context;
	const union MHD_ConnectionInfo *i;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (!k)
			return;
		*k->pprev = k->next;
		if (k->next)
			k->next->pprev = k->pprev;
		free(k);
		*socket_context = NULL;
		return;
	}
	/* Without memory the connection goes unguarded, not refused: the
	 * idle timeout still holds it. */
	k = calloc(1, sizeof(*k));
	if (!k)
		return;
	i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	k->fd = i ? i->connect_fd : -1;
	k->since_ms = now_ms();
	k->next = g->head;
	k->pprev = &g->head;
	if (g->head)
		g->head->pprev = &k->next;
	g->head = k;
	*socket_context = k;
}

void ifstat_http_guard_headers(struct MHD_Connection *c)
{
	struct ifstat_http_conn *k = conn_of(c);

	if (k)
		k->in_request = true;
}

void ifstat_http_guard_done(struct MHD_Connection *c)
{
	struct ifstat_http_conn *k = conn_of(c);

	if (!k)
		return;
	k->in_request = false;
	k->since_ms = now_ms();
}

void ifstat_http_guard_completed(void *cls, struct MHD_Connection *c,
				 void **req_cls,
				 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)req_cls;
	(void)toe;
	ifstat_http_guard_done(c);
}

uint64_t ifstat_http_guard_sweep(struct ifstat_http_guard *g)
{
	uint64_t now = now_ms(), next = UINT64_MAX, end;
	struct ifstat_http_conn *k;

	for (k = g->head; k; k = k->next) {
		if (k->in_request || k->cut || k->fd < 0)
			continue;
		end = k->since_ms + g->deadline_ms;
		if (end <= now) {
			/* Both ways: its reads see EOF, so libmicrohttpd
			 * closes it in this run or the next. */
			shutdown(k->fd, SHUT_RDWR);
			k->cut = true;
			continue;
		}
		if (end - now < next)
			next = end - now;
	}
	return next;
}

struct framing {
	const char *length; /* the first Content-Length */
	bool conflict;
	bool te;
};

static enum MHD_Result header(void *cls, enum MHD_ValueKind kind,
			      const char *key, const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		f->te = true;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		return MHD_YES;
	value = value ? value : "";
	if (!f->length)
		f->length = value;
	else if (strcmp(f->length, value))
		f->conflict = true;
	/* A list in one header ("5, 7") is a conflict as well. */
	if (strchr(value, ','))
		f->conflict = true;
	return MHD_YES;
}

int ifstat_http_framing(struct MHD_Connection *c)
{
	struct framing f = { 0 };

	MHD_get_connection_values(c, MHD_HEADER_KIND, header, &f);
	return f.conflict || (f.te && f.length) ? -EBADMSG : 0;
}

enum MHD_Result ifstat_http_bad_request(struct MHD_Connection *c)
{
	static const char body[] = "400 Bad Request\n";
	struct MHD_Response *r = MHD_create_response_from_buffer(
		sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; charset=utf-8");
	/* The body's end is unknown: nothing after it can be read. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, MHD_HTTP_BAD_REQUEST, r);
	MHD_destroy_response(r);
	return ret;
}

bool ifstat_http_guard_request(struct MHD_Connection *c, enum MHD_Result *ret)
{
	ifstat_http_guard_headers(c);
	if (!ifstat_http_framing(c))
		return true;
	*ret = ifstat_http_bad_request(c);
	return false;
}

/* A request that announces a body, which none of ours takes. */
static bool has_body(struct MHD_Connection *c)
{
	const char *len = MHD_lookup_connection_value(
		c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	return (len && strcmp(len, "0")) ||
	       MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_TRANSFER_ENCODING);
}

/*
 * libmicrohttpd closes the connection after a response given at the
 * first call (the request headers only), so a request without a body is
 * answered at the second and the connection can be kept alive.
 */
bool ifstat_http_first_call(struct MHD_Connection *c, void **req_cls,
			    enum MHD_Result *ret)
{
	static int seen;

	if (*req_cls)
		return false;
	if (!ifstat_http_guard_request(c, ret))
		return true;
	if (has_body(c))
		return false;
	*req_cls = &seen;
	*ret = MHD_YES;
	return true;
}
