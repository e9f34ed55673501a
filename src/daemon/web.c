// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The web publisher's server: libmicrohttpd without a thread of its own,
 * as watches of the daemon's event loop (its epoll set and a timer for
 * its connection timeouts), on the address of the http key. It never
 * makes the loop wait: a slow or stuck browser costs a connection slot,
 * and a stream that falls behind is dropped (websse.c).
 *
 * The page has its own key rather than sharing prometheus' endpoint:
 * scrapers and browsers are bound and exposed differently (a metrics
 * network, a management LAN), streams are long-lived connections that
 * must not eat the scrapers' slots, and either can be off alone.
 */
#include "web.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static struct MHD_Daemon *start_mhd(struct ifstat_httpsrv *s, int fd,
				    unsigned int flags)
{
	/* Suspend and resume: a stream waits for its next event without a
	 * thread and without being polled (websse.c). The logger first, or
	 * libmicrohttpd says so on stderr. */
	return MHD_start_daemon(
		flags | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
		ifstat_web_request, s, MHD_OPTION_EXTERNAL_LOGGER,
		ifstat_httpsrv_mhd_log, s, MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)IFSTAT_WEB_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)IFSTAT_WEB_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)IFSTAT_WEB_CONNECTION_MEMORY,
		IFSTAT_HTTP_GUARD_OPTIONS(&s->guard), MHD_OPTION_END);
}

/* libmicrohttpd refuses to stop with connections suspended. */
static void before_stop(struct ifstat_httpsrv *s)
{
	ifstat_web_streams_close((struct ifstat_web *)s);
	MHD_run(s->mhd);
}

/*
 * A fixed send buffer instead of the kernel's autotuned one (megabytes),
 * so that a stream whose reader stops is behind after a few events, not
 * after minutes of buffering. Open streams end with a server that moves;
 * browsers reconnect to the address they know.
 */
static const struct ifstat_httpsrv_kind web_kind = {
	.name = "http",
	.serving = "/ (page) and /api/v1/",
	.size = sizeof(struct ifstat_web),
	.sndbuf = IFSTAT_WEB_SNDBUF,
	.start = start_mhd,
	.before_stop = before_stop,
};

/* The publisher: the server of the running http setting. */
struct webpub {
	struct ifstat_publisher pub;
	struct ifstat_httpsrv *srv; /* NULL: off; a struct ifstat_web */
};

/* http is ours. */
static int webpub_apply(struct ifstat_publisher *pub, struct ifstat_config *c,
			struct ifstat_diags *errs)
{
	struct webpub *p = (struct webpub *)pub;
	const char *running = p->srv ? p->srv->addr : "";
	bool was_on = p->srv != NULL;
	int ret;

	if (!strcmp(running, c->http))
		return 0;
	ret = ifstat_httpsrv_move(pub->host, &web_kind, c->http, &p->srv);
	if (!ret)
		return 0;
	snprintf(c->http, sizeof(c->http), "%s", p->srv ? p->srv->addr : "");
	if (was_on && !p->srv)
		ifstat_diag_add(errs, "reload", 0, "http", NULL,
				"%s; the page is off", strerror(-ret));
	else
		ifstat_diag_add(errs, "reload", 0, "http", NULL,
				"%s; the filters were replaced, http keeps "
				"its old settings",
				strerror(-ret));
	return ret;
}

static bool webpub_listening(const struct ifstat_publisher *pub)
{
	const struct webpub *p = (const struct webpub *)pub;

	return p->srv && ((const struct ifstat_web *)p->srv)->nstreams;
}

static void webpub_publish(struct ifstat_publisher *pub,
			   const struct ifstat_view *v)
{
	struct webpub *p = (struct webpub *)pub;
	struct ifstat_web *w = (struct ifstat_web *)p->srv;

	(void)v; /* the host's line is this reading */
	if (!webpub_listening(pub))
		return;
	ifstat_web_streams_publish(w);
	/*
	 * Resumed streams are served at libmicrohttpd's next run, which is
	 * ours to call: now, so that the event reaches every connection in
	 * this round, as the socket's line does. Left to a later round, a
	 * busy loop would make a reader that keeps up look behind. Requests
	 * answered in this run take this reading (publishing).
	 */
	w->publishing = true;
	ifstat_httpsrv_run(p->srv);
	w->publishing = false;
}

static void webpub_stop(struct ifstat_publisher *pub)
{
	struct webpub *p = (struct webpub *)pub;

	ifstat_httpsrv_stop(p->srv);
}

const struct ifstat_publisher_ops ifstat_web_ops = {
	.name = "http",
	.size = sizeof(struct webpub),
	.apply = webpub_apply,
	.listening = webpub_listening,
	.publish = webpub_publish,
	.stop = webpub_stop,
};
