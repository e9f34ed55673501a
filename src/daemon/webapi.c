// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the web publisher answers: the page and its files (embedded,
 * webassets.h), GET /api/v1/snapshot (the socket's snapshot line, read
 * now) and GET /api/v1/stream (websse.c). Read-only: nothing here resets
 * or reloads. Every answer forbids other origins for scripts, styles and
 * connections (the page works offline and loads nothing from elsewhere)
 * and content sniffing; errors are JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "web.h"
#include "webassets.h"

static const char csp[] = "default-src 'none'; script-src 'self'; "
			  "style-src 'self'; connect-src 'self'; "
			  "img-src 'self'; base-uri 'none'; "
			  "form-action 'none'; frame-ancestors 'none'";

void ifstat_web_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *type, const void *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	ifstat_web_headers(r, type);
	/* The API changes every interval: never from a cache. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result ifstat_web_error(struct MHD_Connection *c, unsigned int status,
				 const char *msg)
{
	struct ifstat_buf b;
	enum MHD_Result ret;

	ifstat_buf_init(&b);
	ifstat_buf_add(&b, "{\"error\": ", 10);
	ifstat_buf_json_str(&b, msg);
	ifstat_buf_add(&b, "}\n", 2);
	if (b.err) {
		ifstat_buf_free(&b);
		return MHD_NO;
	}
	ret = reply(c, status, "application/json", b.data, b.len,
		    MHD_RESPMEM_MUST_COPY);
	ifstat_buf_free(&b);
	return ret;
}

int ifstat_web_reading(struct ifstat_web *w, const struct ifstat_buf **line)
{
	const struct ifstat_view *v;
	int ret = w->publishing ? 0 : w->srv.h->ops->read(w->srv.h, &v);

	return ret ? ret : w->srv.h->ops->line(w->srv.h, line);
}

/* The counters now, as the socket's line: the same schema, byte for
 * byte the same JSON for the same reading. */
static enum MHD_Result snapshot(struct ifstat_web *w, struct MHD_Connection *c)
{
	const struct ifstat_buf *line;
	int ret = ifstat_web_reading(w, &line);

	if (ret == -EAGAIN)
		return ifstat_web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
					"not counting yet");
	if (ret)
		return ifstat_web_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
					"cannot read the counters");
	return reply(c, MHD_HTTP_OK, "application/json", line->data, line->len,
		     MHD_RESPMEM_MUST_COPY);
}

static const struct ifstat_web_asset *find_asset(const char *url)
{
	unsigned int i;

	for (i = 0; i < ifstat_web_nassets; i++)
		if (!strcmp(ifstat_web_assets[i].path, url))
			return &ifstat_web_assets[i];
	return NULL;
}

/*
 * A page file. They change only with the binary: a browser revalidates
 * (no-cache) and, holding the same version (its ETag), gets 304 without
 * the body: a reload costs a router a few hundred bytes, not 72 KB.
 */
static enum MHD_Result asset(struct MHD_Connection *c,
			     const struct ifstat_web_asset *a)
{
	const char *have = MHD_lookup_connection_value(
		c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	bool same = have && !strcmp(have, a->etag);
	struct MHD_Response *r = MHD_create_response_from_buffer(
		same ? 0 : a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	ifstat_web_headers(r, a->type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, a->etag);
	ret = MHD_queue_response(c, same ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK,
				 r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result ifstat_web_request(void *cls, struct MHD_Connection *c,
				   const char *url, const char *method,
				   const char *version, const char *upload_data,
				   size_t *upload_data_size, void **req_cls)
{
	struct ifstat_web *w = cls;
	const struct ifstat_web_asset *a;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	if (ifstat_http_first_call(c, req_cls, &ret))
		return ret;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return ifstat_web_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
					"only GET and HEAD");
	if (!strcmp(url, "/api/v1/snapshot"))
		return snapshot(w, c);
	if (!strcmp(url, "/api/v1/stream"))
		return ifstat_web_stream_open(w, c);
	a = find_asset(url);
	if (!a)
		return ifstat_web_error(c, MHD_HTTP_NOT_FOUND, "no such path");
	return asset(c, a);
}
