// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "httpsrv.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
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
static int listen_on(const struct ifstat_httpsrv_kind *k, const char *addr,
		     bool quiet)
{
	struct ifstat_addrport ap;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = -1, one = 1, ret;

	if (ifstat_addrport_parse(addr, &ap)) {
		log_err("%s: not ADDRESS:PORT ('%s')", k->name, addr);
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
	/* Connections inherit it (see the kinds for why they set one). */
	if (k->sndbuf && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &k->sndbuf,
				    sizeof(k->sndbuf)))
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
		log_err("%s: cannot listen on %s: %s", k->name, addr,
			strerror(-ret));
	if (fd >= 0)
		close(fd);
	return ret;
}

void ifstat_httpsrv_mhd_log(void *cls, const char *fmt, va_list ap)
{
	const struct ifstat_httpsrv *s = cls;
	char msg[256];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	/* Mostly about single clients (bad requests, resets): debug. */
	log_debug("%s: %s", s->kind->name, msg);
}

/*
 * After every run: wake up again at libmicrohttpd's next deadline. 0
 * means work is pending without a new event (a connection with buffered
 * input), which the 1 ms timer picks up without spinning the loop.
 */
static void rearm(struct ifstat_httpsrv *s)
{
	uint64_t guard = ifstat_http_guard_sweep(&s->guard);
	MHD_UNSIGNED_LONG_LONG ms;
	int ret;

	if (MHD_get_timeout(s->mhd, &ms) != MHD_YES)
		ms = 0;
	else if (ms == 0)
		ms = 1;
	/* Or the next header deadline, whichever comes first. */
	if (guard != UINT64_MAX && (!ms || guard < ms))
		ms = guard ? guard : 1;
	ret = ifstat_timer_set(&s->timer, ms, false);
	if (ret)
		log_err("%s: cannot arm the timer: %s", s->kind->name,
			strerror(-ret));
}

unsigned int ifstat_httpsrv_connections(struct ifstat_httpsrv *s)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(
		s->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return i ? i->num_connections : 0;
}

void ifstat_httpsrv_run(struct ifstat_httpsrv *s)
{
	unsigned int before = ifstat_httpsrv_connections(s);

	if (MHD_run(s->mhd) != MHD_YES)
		log_err("%s: the HTTP server stopped working", s->kind->name);
	/*
	 * At the connection limit libmicrohttpd takes its listening socket
	 * out of its epoll set and puts it back only at the start of a run:
	 * after a run that closed connections, those waiting in the backlog
	 * would wait for an unrelated event.
	 */
	if (ifstat_httpsrv_connections(s) < before)
		MHD_run(s->mhd);
	if (s->kind->after_run)
		s->kind->after_run(s);
	rearm(s);
}

static void on_io(struct ifstat_watch *w, uint32_t events)
{
	(void)events;
	ifstat_httpsrv_run(w->ctx);
}

static void on_timer(struct ifstat_watch *w, uint32_t events)
{
	(void)events;
	ifstat_timer_ack(w);
	ifstat_httpsrv_run(w->ctx);
}

static int start_mhd(struct ifstat_httpsrv *s, int fd)
{
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;

	if (strchr(s->addr, '['))
		flags |= MHD_USE_IPv6;
	s->guard.deadline_ms = IFSTAT_HTTP_HEADER_DEADLINE_MS;
	s->mhd = s->kind->start(s, fd, flags);
	if (!s->mhd) {
		/* Whether it closed fd depends on where it failed; in this
		 * one thread, an fd still open is still ours. */
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		log_err("%s: cannot start the HTTP server on %s", s->kind->name,
			s->addr);
		return -EIO;
	}
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info)
		return -EIO;
	s->io.fd = info->epoll_fd;
	s->io.cb = on_io;
	s->io.ctx = s;
	return 0;
}

void ifstat_httpsrv_stop(struct ifstat_httpsrv *s)
{
	if (!s)
		return;
	ifstat_timer_close(s->h->loop, &s->timer);
	if (s->io.fd >= 0)
		ifstat_loop_del(s->h->loop, &s->io);
	if (s->mhd) {
		if (s->kind->before_stop)
			s->kind->before_stop(s);
		/* Closes the listening socket, the connections and the
		 * epoll set. */
		MHD_stop_daemon(s->mhd);
	}
	free(s);
}

static int start(struct ifstat_host *h, const struct ifstat_httpsrv_kind *k,
		 const char *addr, bool quiet, struct ifstat_httpsrv **out)
{
	struct ifstat_httpsrv *s = calloc(1, k->size);
	int fd, ret;

	if (!s)
		return -ENOMEM;
	s->kind = k;
	s->h = h;
	s->io.fd = -1;
	s->timer.fd = -1;
	snprintf(s->addr, sizeof(s->addr), "%s", addr);
	fd = listen_on(k, addr, quiet);
	if (fd < 0) {
		free(s);
		return fd;
	}
	ret = start_mhd(s, fd);
	if (!ret)
		ret = ifstat_loop_add(h->loop, &s->io, EPOLLIN);
	if (!ret)
		ret = ifstat_timer_init(h->loop, &s->timer, on_timer, s);
	if (ret) {
		if (ret != -EIO)
			log_err("%s: %s", k->name, strerror(-ret));
		ifstat_httpsrv_stop(s);
		return ret;
	}
	log_info("%s: serving http://%s%s", k->name, s->addr, k->serving);
	*out = s;
	return 0;
}

static bool same_port(const char *a, const char *b)
{
	const char *pa = strrchr(a, ':'), *pb = strrchr(b, ':');

	return pa && pb && !strcmp(pa, pb);
}

int ifstat_httpsrv_move(struct ifstat_host *h,
			const struct ifstat_httpsrv_kind *k, const char *addr,
			struct ifstat_httpsrv **s)
{
	struct ifstat_httpsrv *n = NULL;
	char old[64];
	bool mine;
	int ret;

	if (!*addr) {
		ifstat_httpsrv_stop(*s);
		*s = NULL;
		return 0;
	}
	/* Only our own server can hold the port it keeps (a new address on
	 * the same port); any other holder is another process, and said. */
	mine = *s && same_port((*s)->addr, addr);
	ret = start(h, k, addr, mine, &n);
	if (ret == -EADDRINUSE && mine) {
		snprintf(old, sizeof(old), "%s", (*s)->addr);
		log_info("%s: closing %s to take %s", k->name, old, addr);
		ifstat_httpsrv_stop(*s);
		*s = NULL;
		ret = start(h, k, addr, false, &n);
		if (ret && !start(h, k, old, false, &n))
			*s = n;
		if (ret)
			return ret;
	}
	if (ret)
		return ret;
	ifstat_httpsrv_stop(*s);
	*s = n;
	return 0;
}
