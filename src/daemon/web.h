/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The web publisher (http = ADDR:PORT): the live page, its assets and
 * the JSON API (/api/v1/snapshot, /api/v1/stream as Server-Sent Events)
 * on a libmicrohttpd server run as watches of the daemon's event loop.
 * web.c runs the server, webapi.c answers requests, websse.c feeds the
 * streams.
 */
#ifndef IFSTATD_WEB_H
#define IFSTATD_WEB_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "httpsrv.h"

/* Connections served at once (streams included); more wait in the
 * listen backlog. */
#define IFSTAT_WEB_MAX_CONNECTIONS 256
/* Streams at once, below the connection limit so that the page and the
 * snapshot still load when every stream slot is taken; more get 503. */
#define IFSTAT_WEB_MAX_STREAMS 240
/* A connection that makes no progress this long is closed (seconds); a
 * stream waiting for its next event is not counted as idle. */
#define IFSTAT_WEB_TIMEOUT_S 10
/* Memory of one connection: request line and headers, and the part of
 * an event handed to libmicrohttpd but not yet sent. */
#define IFSTAT_WEB_CONNECTION_MEMORY (32 * 1024)
/* Send buffer of a connection (the kernel doubles it): room for a few
 * events of the largest snapshot (64 filters, 16 buckets: about 20 KiB). */
#define IFSTAT_WEB_SNDBUF (32 * 1024)

struct web_event;
struct web_stream;

/* One server on one address; a new address is a new server. */
struct ifstat_web {
	struct ifstat_httpsrv srv;
	struct web_stream *streams; /* open streams, a list */
	unsigned int nstreams;
	/* Inside the daemon's publish: the reading is fresh and the
	 * publishers after this one still get it, so it is not read
	 * again (ifstat_web_reading). */
	bool publishing;
	time_t refused_logged; /* one log line a second when refusing */
	unsigned long refused;
};

/* webapi.c: libmicrohttpd's request handler (cls: the server). */
enum MHD_Result ifstat_web_request(void *cls, struct MHD_Connection *c,
				   const char *url, const char *method,
				   const char *version, const char *upload_data,
				   size_t *upload_data_size, void **req_cls);
/* The headers every answer carries (read-only page, no foreign host). */
void ifstat_web_headers(struct MHD_Response *r, const char *type);
/* A JSON error {"error": msg}. */
enum MHD_Result ifstat_web_error(struct MHD_Connection *c, unsigned int status,
				 const char *msg);

/* The counters now as the socket's line: read, or while publishing the
 * reading being published. 0, -EAGAIN before counting, or -errno. */
int ifstat_web_reading(struct ifstat_web *w, const struct ifstat_buf **line);

/* websse.c */
/* Answers GET /api/v1/stream: the current snapshot at once, then one
 * event per published reading. */
enum MHD_Result ifstat_web_stream_open(struct ifstat_web *w,
				       struct MHD_Connection *c);
/* A new reading for every stream; a stream that has not taken the last
 * event yet is dropped (logged). */
void ifstat_web_streams_publish(struct ifstat_web *w);
/* Ends every stream (before the server stops). */
void ifstat_web_streams_close(struct ifstat_web *w);

#endif
