// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The Prometheus publisher: GET /metrics over HTTP (libmicrohttpd), the
 * counters read at each scrape (scrapes answered in the same round of the
 * event loop share one reading). libmicrohttpd runs without a thread of
 * its own, as watches of the daemon's event loop, and never blocks it: a
 * slow or stuck scraper costs a connection slot, not time.
 */
#include "prom.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "httpsrv.h"
#include "log.h"
#include "promtext.h"

#ifndef IFSTAT_VERSION
#define IFSTAT_VERSION "unknown"
#endif

/* One server on one address; a new address is a new server. */
struct ifstat_prom {
	struct ifstat_httpsrv srv;
	/* /metrics as read in this round of the loop, for every scrape the
	 * round answers (see metrics()); NULL between rounds. */
	struct MHD_Response *round;
};

static const char index_html[] =
	"<!DOCTYPE html>\n"
	"<html><head><meta charset=\"utf-8\"><title>ifstat exporter</title>"
	"</head>\n<body><h1>ifstat exporter</h1>\n"
	"<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *type, const char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

#define REPLY_TEXT(c, status, text)                                            \
	reply(c, status, "text/plain; charset=utf-8", text, sizeof(text) - 1)

/*
 * The counters as they are now. Scrapes answered in the same round of the
 * loop share one reading and one text: a burst of scrapers (or one that
 * pipelines requests) costs one read per round, not one per request, and
 * clients slow to take the text hold a reference to it, not a copy.
 */
static struct MHD_Response *reading(struct ifstat_prom *p)
{
	const struct ifstat_status *st = p->srv.h->status;
	struct ifstat_prom_info info = {
		.version = IFSTAT_VERSION,
		.start_time_ms = st->start_time_ms,
		.reload_time_ms = st->reload_time_ms,
		.reload_ok = st->reload_ok,
	};
	const struct ifstat_view *v;
	struct MHD_Response *r;
	struct ifstat_buf b;

	if (p->srv.h->ops->read(p->srv.h, &v))
		return NULL;
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, v, &info);
	if (b.err) {
		log_err("prometheus: %s", strerror(-b.err));
		ifstat_buf_free(&b);
		return NULL;
	}
	/* The response takes the text and frees it with its last user. */
	r = MHD_create_response_from_buffer_with_free_callback(b.len, b.data,
							       free);
	if (!r) {
		ifstat_buf_free(&b);
		return NULL;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				IFSTAT_PROM_CONTENT_TYPE);
	return r;
}

static enum MHD_Result metrics(struct ifstat_prom *p, struct MHD_Connection *c)
{
	if (!p->round)
		p->round = reading(p);
	if (!p->round)
		return REPLY_TEXT(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "cannot read the counters\n");
	return MHD_queue_response(c, MHD_HTTP_OK, p->round);
}

/* Connections still sending it keep their reference. */
static void end_round(struct ifstat_httpsrv *s)
{
	struct ifstat_prom *p = (struct ifstat_prom *)s;

	if (p->round)
		MHD_destroy_response(p->round);
	p->round = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct ifstat_prom *p = cls;
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET) ||
		   !strcmp(method, MHD_HTTP_METHOD_HEAD);
	bool is_metrics = !strcmp(url, "/metrics");
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	if (ifstat_http_first_call(c, req_cls, &ret))
		return ret;
	if (!is_metrics && strcmp(url, "/"))
		return REPLY_TEXT(c, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
	if (!get)
		return REPLY_TEXT(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "405 Method Not Allowed\n");
	if (is_metrics)
		return metrics(p, c);
	return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", index_html,
		     sizeof(index_html) - 1);
}

static struct MHD_Daemon *start_mhd(struct ifstat_httpsrv *s, int fd,
				    unsigned int flags)
{
	/* The logger first, or libmicrohttpd says so on stderr. */
	return MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
		ifstat_httpsrv_mhd_log, s, MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)IFSTAT_PROM_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)IFSTAT_PROM_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)IFSTAT_PROM_CONNECTION_MEMORY,
		IFSTAT_HTTP_GUARD_OPTIONS(&s->guard), MHD_OPTION_END);
}

static const struct ifstat_httpsrv_kind prom_kind = {
	.name = "prometheus",
	.serving = "/metrics",
	.size = sizeof(struct ifstat_prom),
	.start = start_mhd,
	.after_run = end_round,
};

/* The publisher: the server of the running prometheus setting. */
struct prompub {
	struct ifstat_publisher pub;
	struct ifstat_httpsrv *srv; /* NULL: off */
};

/* prometheus is ours. */
static int prompub_apply(struct ifstat_publisher *pub, struct ifstat_config *c,
			 struct ifstat_diags *errs)
{
	struct prompub *p = (struct prompub *)pub;
	const char *running = p->srv ? p->srv->addr : "";
	bool was_on = p->srv != NULL;
	int ret;

	if (!strcmp(running, c->prometheus))
		return 0;
	ret = ifstat_httpsrv_move(pub->host, &prom_kind, c->prometheus,
				  &p->srv);
	if (!ret)
		return 0;
	snprintf(c->prometheus, sizeof(c->prometheus), "%s",
		 p->srv ? p->srv->addr : "");
	if (was_on && !p->srv)
		ifstat_diag_add(errs, "reload", 0, "prometheus", NULL,
				"%s; the endpoint is off", strerror(-ret));
	else
		ifstat_diag_add(errs, "reload", 0, "prometheus", NULL,
				"%s; the filters were replaced, prometheus "
				"keeps its old settings",
				strerror(-ret));
	return ret;
}

static void prompub_stop(struct ifstat_publisher *pub)
{
	struct prompub *p = (struct prompub *)pub;

	ifstat_httpsrv_stop(p->srv);
}

const struct ifstat_publisher_ops ifstat_prom_ops = {
	.name = "prometheus",
	.size = sizeof(struct prompub),
	.apply = prompub_apply,
	/* No listening, no publish: each scrape reads for itself. */
	.stop = prompub_stop,
};
