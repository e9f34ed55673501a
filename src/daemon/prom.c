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
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addrport.h"
#include "log.h"
#include "promtext.h"
#include "publisher.h"

#ifndef IFSTAT_VERSION
#define IFSTAT_VERSION "unknown"
#endif

/* One server on one address; a new address is a new server. */
struct ifstat_prom {
	struct ifstat_host *h;
	struct MHD_Daemon *mhd;
	struct ifstat_watch io; /* libmicrohttpd's epoll set */
	struct ifstat_watch timer; /* its next connection timeout */
	/* /metrics as read in this round of the loop, for every scrape the
	 * round answers (see metrics()); NULL between rounds. */
	struct MHD_Response *round;
	char addr[64];
};

static const char index_html[] =
	"<!DOCTYPE html>\n"
	"<html><head><meta charset=\"utf-8\"><title>ifstat exporter</title>"
	"</head>\n<body><h1>ifstat exporter</h1>\n"
	"<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

static int parse_addr(const char *addr, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct ifstat_addrport ap;
	int ret = ifstat_addrport_parse(addr, &ap);

	if (!ret)
		ifstat_addrport_sockaddr(&ap, ss, len);
	return ret ? -EINVAL : 0;
}

/* Our own socket, so that a taken port is a clear errno and message;
 * quiet: no message for a taken port, which the caller handles. */
static int listen_on(const char *addr, bool quiet)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, ret = parse_addr(addr, &ss, &len);

	if (ret) {
		log_err("prometheus: not ADDRESS:PORT ('%s')", addr);
		return ret;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		goto fail;
	/* A restart must not wait for TIME_WAIT connections of the last. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		goto fail;
	/* [::]:PORT means IPv6 only, as written; 0.0.0.0 is another line. */
	if (ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))
		goto fail;
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, SOMAXCONN))
		goto fail;
	return fd;
fail:
	ret = -errno;
	if (!quiet || ret != -EADDRINUSE)
		log_err("prometheus: cannot listen on %s: %s", addr,
			strerror(-ret));
	if (fd >= 0)
		close(fd);
	return ret;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	/* Mostly about single clients (bad requests, resets): debug. */
	log_debug("prometheus: %s", msg);
}

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
	const struct ifstat_status *st = p->h->status;
	struct ifstat_prom_info info = {
		.version = IFSTAT_VERSION,
		.start_time_ms = st->start_time_ms,
		.reload_time_ms = st->reload_time_ms,
		.reload_ok = st->reload_ok,
	};
	const struct ifstat_view *v;
	struct MHD_Response *r;
	struct ifstat_buf b;

	if (p->h->ops->read(p->h, &v))
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
static void end_round(struct ifstat_prom *p)
{
	if (p->round)
		MHD_destroy_response(p->round);
	p->round = NULL;
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	static int seen;
	struct ifstat_prom *p = cls;
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET) ||
		   !strcmp(method, MHD_HTTP_METHOD_HEAD);
	bool is_metrics = !strcmp(url, "/metrics");

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	/*
	 * libmicrohttpd closes the connection after a response given at
	 * the first call (the request headers only), so a request without
	 * a body is answered at the second and the connection can be kept
	 * alive; one with a body is answered at once, its body never read.
	 */
	if (!*req_cls && !has_body(c)) {
		*req_cls = &seen;
		return MHD_YES;
	}
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

/*
 * After every run: wake up again at libmicrohttpd's next deadline. 0
 * means work is pending without a new event (a connection with buffered
 * input), which the 1 ms timer picks up without spinning the loop.
 */
static void rearm(struct ifstat_prom *p)
{
	MHD_UNSIGNED_LONG_LONG ms;
	int ret;

	if (MHD_get_timeout(p->mhd, &ms) != MHD_YES)
		ms = 0;
	else if (ms == 0)
		ms = 1;
	ret = ifstat_timer_set(&p->timer, ms, false);
	if (ret)
		log_err("prometheus: cannot arm the timer: %s", strerror(-ret));
}

static unsigned int connections(struct ifstat_prom *p)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(
		p->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return i ? i->num_connections : 0;
}

static void run(struct ifstat_prom *p)
{
	unsigned int before = connections(p);

	if (MHD_run(p->mhd) != MHD_YES)
		log_err("prometheus: the HTTP server stopped working");
	/*
	 * At the connection limit libmicrohttpd takes its listening socket
	 * out of its epoll set and puts it back only at the start of a run:
	 * after a run that closed connections, one more at once, or those
	 * waiting in the backlog would wait for an unrelated event.
	 */
	if (connections(p) < before)
		MHD_run(p->mhd);
	end_round(p);
	rearm(p);
}

static void on_io(struct ifstat_watch *w, uint32_t events)
{
	(void)events;
	run(w->ctx);
}

static void on_timer(struct ifstat_watch *w, uint32_t events)
{
	(void)events;
	ifstat_timer_ack(w);
	run(w->ctx);
}

static int start_mhd(struct ifstat_prom *p, int fd)
{
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;

	if (strchr(p->addr, '['))
		flags |= MHD_USE_IPv6;
	p->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, p,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_LIMIT,
				  (unsigned int)IFSTAT_PROM_MAX_CONNECTIONS,
				  MHD_OPTION_CONNECTION_TIMEOUT,
				  (unsigned int)IFSTAT_PROM_TIMEOUT_S,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				  (size_t)IFSTAT_PROM_CONNECTION_MEMORY,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, p,
				  MHD_OPTION_END);
	if (!p->mhd) {
		/* Whether it closed fd depends on where it failed; in this
		 * one thread, an fd still open is still ours. */
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		log_err("prometheus: cannot start the HTTP server on %s",
			p->addr);
		return -EIO;
	}
	info = MHD_get_daemon_info(p->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info)
		return -EIO;
	p->io.fd = info->epoll_fd;
	p->io.cb = on_io;
	p->io.ctx = p;
	return 0;
}

static void stop(struct ifstat_prom *p)
{
	if (!p)
		return;
	ifstat_timer_close(p->h->loop, &p->timer);
	if (p->io.fd >= 0)
		ifstat_loop_del(p->h->loop, &p->io);
	/* Closes the listening socket, the connections and the epoll set. */
	if (p->mhd)
		MHD_stop_daemon(p->mhd);
	free(p);
}

static int start(struct ifstat_host *h, const char *addr, bool quiet,
		 struct ifstat_prom **out)
{
	struct ifstat_prom *p = calloc(1, sizeof(*p));
	int fd, ret;

	if (!p)
		return -ENOMEM;
	p->h = h;
	p->io.fd = -1;
	p->timer.fd = -1;
	snprintf(p->addr, sizeof(p->addr), "%s", addr);
	fd = listen_on(addr, quiet);
	if (fd < 0) {
		free(p);
		return fd;
	}
	ret = start_mhd(p, fd);
	if (!ret)
		ret = ifstat_loop_add(h->loop, &p->io, EPOLLIN);
	if (!ret)
		ret = ifstat_timer_init(h->loop, &p->timer, on_timer, p);
	if (ret) {
		if (ret != -EIO)
			log_err("prometheus: %s", strerror(-ret));
		stop(p);
		return ret;
	}
	log_info("prometheus: serving http://%s/metrics", p->addr);
	*out = p;
	return 0;
}

static bool same_port(const char *a, const char *b)
{
	const char *pa = strrchr(a, ':'), *pb = strrchr(b, ':');

	return pa && pb && !strcmp(pa, pb);
}

/*
 * Moves *p to addr ("" stops it). The new socket is bound before the old
 * one is closed; only when the port is taken (by the old one, as from
 * 127.0.0.1:9877 to 0.0.0.0:9877) is the old one closed first, and
 * brought back if the new one still fails. On an error *p is unchanged
 * or, when it could not be brought back, NULL.
 */
static int move(struct ifstat_host *h, const char *addr, struct ifstat_prom **p)
{
	struct ifstat_prom *n = NULL;
	char old[64];
	bool mine;
	int ret;

	if (!*addr) {
		stop(*p);
		*p = NULL;
		return 0;
	}
	/* Only our own server can hold the port it keeps (a new address on
	 * the same port); any other holder is another process, and said. */
	mine = *p && same_port((*p)->addr, addr);
	ret = start(h, addr, mine, &n);
	if (ret == -EADDRINUSE && mine) {
		snprintf(old, sizeof(old), "%s", (*p)->addr);
		log_info("prometheus: closing %s to take %s", old, addr);
		stop(*p);
		*p = NULL;
		ret = start(h, addr, false, &n);
		if (ret && !start(h, old, false, &n))
			*p = n;
		if (ret)
			return ret;
	}
	if (ret)
		return ret;
	stop(*p);
	*p = n;
	return 0;
}

/* The publisher: the server of the running prometheus setting. */
struct prompub {
	struct ifstat_publisher pub;
	struct ifstat_prom *srv; /* NULL: off */
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
	ret = move(pub->host, c->prometheus, &p->srv);
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

	stop(p->srv);
}

const struct ifstat_publisher_ops ifstat_prom_ops = {
	.name = "prometheus",
	.size = sizeof(struct prompub),
	.apply = prompub_apply,
	/* No listening, no publish: each scrape reads for itself. */
	.stop = prompub_stop,
};
