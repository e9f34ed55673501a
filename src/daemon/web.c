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
#include <fcntl.h>
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

/* Our own socket, so that a taken port is a clear errno and message;
 * quiet: no message for a taken port, which the caller handles. */
static int listen_on(const char *addr, bool quiet)
{
	struct ifstat_addrport ap;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = -1, one = 1, sndbuf = IFSTAT_WEB_SNDBUF, ret;

	if (ifstat_addrport_parse(addr, &ap)) {
		log_err("http: not ADDRESS:PORT ('%s')", addr);
		return -EINVAL;
	}
	ifstat_addrport_sockaddr(&ap, &ss, &len);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		goto fail;
	/* A restart must not wait for TIME_WAIT connections of the last. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		goto fail;
	/*
	 * Connections inherit it: a fixed send buffer instead of the
	 * kernel's autotuned one (megabytes), so that a stream whose reader
	 * stops is behind after a few events, not after minutes of
	 * buffering.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)))
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
		log_err("http: cannot listen on %s: %s", addr, strerror(-ret));
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
	log_debug("http: %s", msg);
}

/*
 * After every run: wake up again at libmicrohttpd's next deadline. 0
 * means work is pending without a new event (a connection with buffered
 * input), which the 1 ms timer picks up without spinning the loop.
 */
static void rearm(struct ifstat_web *w)
{
	MHD_UNSIGNED_LONG_LONG ms;
	int ret;

	if (MHD_get_timeout(w->mhd, &ms) != MHD_YES)
		ms = 0;
	else if (ms == 0)
		ms = 1;
	ret = ifstat_timer_set(&w->timer, ms, false);
	if (ret)
		log_err("http: cannot arm the timer: %s", strerror(-ret));
}

static unsigned int connections(struct ifstat_web *w)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(
		w->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return i ? i->num_connections : 0;
}

static void run(struct ifstat_web *w)
{
	unsigned int before = connections(w);

	if (MHD_run(w->mhd) != MHD_YES)
		log_err("http: the HTTP server stopped working");
	/*
	 * At the connection limit libmicrohttpd takes its listening socket
	 * out of its epoll set and puts it back only at the start of a run:
	 * after a run that closed connections, those waiting in the backlog
	 * would wait for an unrelated event.
	 */
	if (connections(w) < before)
		MHD_run(w->mhd);
	rearm(w);
}

static void on_io(struct ifstat_watch *watch, uint32_t events)
{
	(void)events;
	run(watch->ctx);
}

static void on_timer(struct ifstat_watch *watch, uint32_t events)
{
	(void)events;
	ifstat_timer_ack(watch);
	run(watch->ctx);
}

static int start_mhd(struct ifstat_web *w, int fd)
{
	/* Suspend and resume: a stream waits for its next event without a
	 * thread and without being polled (websse.c). */
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			     MHD_ALLOW_SUSPEND_RESUME;
	const union MHD_DaemonInfo *info;

	if (strchr(w->addr, '['))
		flags |= MHD_USE_IPv6;
	/* The logger first, or libmicrohttpd says so on stderr. */
	w->mhd = MHD_start_daemon(flags, 0, NULL, NULL, ifstat_web_request, w,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, w,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_LIMIT,
				  (unsigned int)IFSTAT_WEB_MAX_CONNECTIONS,
				  MHD_OPTION_CONNECTION_TIMEOUT,
				  (unsigned int)IFSTAT_WEB_TIMEOUT_S,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				  (size_t)IFSTAT_WEB_CONNECTION_MEMORY,
				  MHD_OPTION_END);
	if (!w->mhd) {
		/* Whether it closed fd depends on where it failed; in this
		 * one thread, an fd still open is still ours. */
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		log_err("http: cannot start the HTTP server on %s", w->addr);
		return -EIO;
	}
	info = MHD_get_daemon_info(w->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info)
		return -EIO;
	w->io.fd = info->epoll_fd;
	w->io.cb = on_io;
	w->io.ctx = w;
	return 0;
}

static void stop(struct ifstat_web *w)
{
	if (!w)
		return;
	ifstat_timer_close(w->h->loop, &w->timer);
	if (w->io.fd >= 0)
		ifstat_loop_del(w->h->loop, &w->io);
	if (w->mhd) {
		/* libmicrohttpd refuses to stop with connections suspended. */
		ifstat_web_streams_close(w);
		MHD_run(w->mhd);
		MHD_stop_daemon(w->mhd);
	}
	free(w);
}

static int start(struct ifstat_host *h, const char *addr, bool quiet,
		 struct ifstat_web **out)
{
	struct ifstat_web *w = calloc(1, sizeof(*w));
	int fd, ret;

	if (!w)
		return -ENOMEM;
	w->h = h;
	w->io.fd = -1;
	w->timer.fd = -1;
	snprintf(w->addr, sizeof(w->addr), "%s", addr);
	fd = listen_on(addr, quiet);
	if (fd < 0) {
		free(w);
		return fd;
	}
	ret = start_mhd(w, fd);
	if (!ret)
		ret = ifstat_loop_add(h->loop, &w->io, EPOLLIN);
	if (!ret)
		ret = ifstat_timer_init(h->loop, &w->timer, on_timer, w);
	if (ret) {
		if (ret != -EIO)
			log_err("http: %s", strerror(-ret));
		stop(w);
		return ret;
	}
	log_info("http: serving http://%s/ (page) and /api/v1/", w->addr);
	*out = w;
	return 0;
}

static bool same_port(const char *a, const char *b)
{
	const char *pa = strrchr(a, ':'), *pb = strrchr(b, ':');

	return pa && pb && !strcmp(pa, pb);
}

/*
 * Moves *w to addr ("" stops it). The new socket is bound before the old
 * one is closed; only when the port is taken (by the old one, as from
 * 127.0.0.1:8080 to 0.0.0.0:8080) is the old one closed first, and
 * brought back if the new one still fails. On an error *w is unchanged
 * or, when it could not be brought back, NULL. Open streams end with
 * the old server; browsers reconnect to the address they know.
 */
static int move(struct ifstat_host *h, const char *addr, struct ifstat_web **w)
{
	struct ifstat_web *n = NULL;
	char old[64];
	bool mine;
	int ret;

	if (!*addr) {
		stop(*w);
		*w = NULL;
		return 0;
	}
	mine = *w && same_port((*w)->addr, addr);
	ret = start(h, addr, mine, &n);
	if (ret == -EADDRINUSE && mine) {
		snprintf(old, sizeof(old), "%s", (*w)->addr);
		log_info("http: closing %s to take %s", old, addr);
		stop(*w);
		*w = NULL;
		ret = start(h, addr, false, &n);
		if (ret && !start(h, old, false, &n))
			*w = n;
		if (ret)
			return ret;
	}
	if (ret)
		return ret;
	stop(*w);
	*w = n;
	return 0;
}

/* The publisher: the server of the running http setting. */
struct webpub {
	struct ifstat_publisher pub;
	struct ifstat_web *srv; /* NULL: off */
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
	ret = move(pub->host, c->http, &p->srv);
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

	return p->srv && p->srv->nstreams;
}

static void webpub_publish(struct ifstat_publisher *pub,
			   const struct ifstat_view *v)
{
	struct webpub *p = (struct webpub *)pub;

	(void)v; /* the host's line is this reading */
	if (!webpub_listening(pub))
		return;
	ifstat_web_streams_publish(p->srv);
	/*
	 * Resumed streams are served at libmicrohttpd's next run, which is
	 * ours to call: now, so that the event reaches every connection in
	 * this round, as the socket's line does. Left to a later round, a
	 * busy loop would make a reader that keeps up look behind. Requests
	 * answered in this run take this reading (publishing).
	 */
	p->srv->publishing = true;
	run(p->srv);
	p->srv->publishing = false;
}

static void webpub_stop(struct ifstat_publisher *pub)
{
	struct webpub *p = (struct webpub *)pub;

	stop(p->srv);
}

const struct ifstat_publisher_ops ifstat_web_ops = {
	.name = "http",
	.size = sizeof(struct webpub),
	.apply = webpub_apply,
	.listening = webpub_listening,
	.publish = webpub_publish,
	.stop = webpub_stop,
};
