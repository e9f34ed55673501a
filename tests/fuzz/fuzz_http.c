// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for ifstatd's HTTP request path: the Prometheus
 * publisher (prom.c, with httpguard.c) on the real libmicrohttpd, in the
 * daemon's own event loop, on a loopback port. Each input is sent as the
 * bytes of one TCP connection, which is then half-closed; the answers
 * are read until the server closes it or stays quiet for 10 ms
 * (libmicrohttpd keeps a half-closed keep-alive connection until a
 * timeout, seconds away). Every answer must begin with a status line,
 * and a first request with two different Content-Length is refused
 * (400, or 505 for a version libmicrohttpd refuses first) and alone.
 *
 * The counters come from a fixed reading (two filters, names with
 * control characters), given through the same host interface the daemon
 * gives its publishers.
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"
#include "filter.h"
#include "loop.h"
#include "publisher.h"
#include "snapjson.h"

static struct ifstat_snapshot snap;
static struct ifstat_entry view_entry = { .interface = "e\x1b[31m\xff",
					  .direction = "ingress",
					  .hook = "xdp",
					  .mode = "native",
					  .present = true,
					  .snap = &snap };
static struct ifstat_view view = { .interval_ms = 1000,
				   .time_ms = 1795737897275,
				   .nentries = 1,
				   .entries = &view_entry };
static struct ifstat_buf line;
static struct ifstat_status status = { 1, 1, true };

static int host_read(struct ifstat_host *h, const struct ifstat_view **out)
{
	(void)h;
	*out = &view;
	return 0;
}

static int host_line(struct ifstat_host *h, const struct ifstat_buf **out)
{
	(void)h;
	*out = &line;
	return 0;
}

static int host_reset(struct ifstat_host *h, int index, uint64_t *epoch)
{
	(void)h;
	(void)index;
	(void)epoch;
	return -EOPNOTSUPP;
}

static int host_reload(struct ifstat_host *h, struct ifstat_diags *errs)
{
	(void)h;
	(void)errs;
	return -EOPNOTSUPP;
}

static const struct ifstat_host_ops host_ops = {
	.read = host_read,
	.line = host_line,
	.reset = host_reset,
	.reload = host_reload,
};
static struct ifstat_host host = { .ops = &host_ops, .status = &status };
static unsigned short port;
static struct ifstat_publisher *pub; /* the server, for the whole run */

#define QUIET_MS 10

struct peer {
	struct ifstat_watch w;
	struct ifstat_watch timer;
	char *got;
	size_t len, cap;
};

static void on_peer(struct ifstat_watch *w, uint32_t events)
{
	struct peer *p = w->ctx;
	ssize_t n;

	(void)events;
	if (p->len + 4096 > p->cap) {
		p->cap = p->cap ? p->cap * 2 : 65536;
		p->got = realloc(p->got, p->cap);
		if (!p->got)
			abort();
	}
	n = recv(w->fd, p->got + p->len, p->cap - p->len - 1, MSG_DONTWAIT);
	if (n > 0) {
		p->len += (size_t)n;
		ifstat_timer_set(&p->timer, QUIET_MS, false);
		return;
	}
	if (n < 0 && errno == EAGAIN)
		return;
	ifstat_loop_stop(host.loop, 0); /* EOF or reset: the end */
}

static void on_timeout(struct ifstat_watch *w, uint32_t events)
{
	(void)events;
	ifstat_timer_ack(w);
	ifstat_loop_stop(host.loop, 0);
}

static void setup(void)
{
	static struct ifstat_config c;
	const struct ifstat_publisher_ops *ops = &ifstat_prom_ops;
	struct ifstat_diag ferr;
	struct ifstat_diags errs;
	int i;

	if (ifstat_loop_new(&host.loop))
		abort();
	snap.nedges = 2;
	snap.edges[0] = 64;
	snap.edges[1] = 1512;
	snap.nfilters = 2;
	snprintf(snap.filters[0].name, sizeof(snap.filters[0].name), "ssh");
	snprintf(snap.filters[1].name, sizeof(snap.filters[1].name),
		 "x\"\\\n\x07");
	if (ifstat_filter_parse("tcp port 22", &snap.filters[0].filter,
				&ferr) ||
	    ifstat_filter_parse("udp", &snap.filters[1].filter, &ferr))
		abort();
	ifstat_buf_init(&line);
	ifstat_json_snapshot(&line, &view, -1);
	pub = calloc(1, ops->size);
	if (!pub)
		abort();
	pub->ops = ops;
	pub->host = &host;
	ifstat_config_defaults(&c);
	for (i = 0; i < 50; i++) {
		port = (unsigned short)(20000 + (getpid() + i * 7919) % 40000);
		snprintf(c.prometheus, sizeof(c.prometheus), "127.0.0.1:%u",
			 port);
		ifstat_diags_init(&errs);
		if (!ops->apply(pub, &c, &errs))
			return;
	}
	fprintf(stderr, "fuzz_http: no free port\n");
	abort();
}

/* Runs the server's loop for ms. */
static void run_loop(unsigned int ms)
{
	struct ifstat_watch t = { .fd = -1 };

	if (ifstat_timer_init(host.loop, &t, on_timeout, NULL) ||
	    ifstat_timer_set(&t, ms, false))
		abort();
	ifstat_loop_run(host.loop);
	ifstat_timer_close(host.loop, &t);
}

/* Whether the non-blocking connect of fd completes within about 2 s,
 * the server's loop running meanwhile (it may have to accept first, or
 * close connections to make room under its limit: a blocking connect
 * would wait on a server that cannot run). */
static bool connected(int fd)
{
	struct pollfd pf = { .fd = fd, .events = POLLOUT };
	int err = 0, i;
	socklen_t len = sizeof(err);

	for (i = 0; i < 200; i++) {
		if (poll(&pf, 1, 0) == 1)
			return !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
					   &len) &&
			       !err;
		run_loop(10);
	}
	return false;
}

/*
 * A connection to the server. Closed with a reset (linger 0): thousands
 * of runs a minute would otherwise leave as many TIME_WAIT sockets and
 * run the machine out of local ports. A refusal the machine may lift
 * (ports, descriptors, the server at its connection limit) is tried
 * again, the server's loop running, before the harness gives up saying
 * why.
 */
static int connect_server(void)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd, tries, err = 0;

	for (tries = 0; tries < 10; tries++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0);
		if (fd < 0) {
			err = errno;
			run_loop(10);
			continue;
		}
		if (!setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) &&
		    (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
		     ((errno == EINPROGRESS || errno == EINTR) &&
		      connected(fd))) &&
		    !fcntl(fd, F_SETFL, 0))
			return fd;
		err = errno;
		close(fd);
		run_loop(10);
	}
	fprintf(stderr, "fuzz_http: cannot connect to the server: %s\n",
		strerror(err));
	abort();
}

/* The end of the first request's headers: its first empty line, which
 * libmicrohttpd also finds after a bare LF ("\n\r\n", "\n\n"). */
static const char *headers_end(const char *in)
{
	static const char *const blank[] = { "\r\n\r\n", "\n\r\n", "\n\n" };
	const char *end = NULL, *e;
	unsigned int i;

	for (i = 0; i < sizeof(blank) / sizeof(blank[0]); i++) {
		e = strstr(in, blank[i]);
		if (e && (!end || e < end))
			end = e;
	}
	return end;
}

/* Whether the first request names two different Content-Length. */
static bool conflicting_length(const char *in)
{
	const char *end = headers_end(in), *p = in, *first = NULL;
	size_t n;

	while (end && (p = strcasestr(p, "\r\nContent-Length: ")) && p < end) {
		p += 18;
		n = strspn(p, "0123456789");
		if (!n || (p[n] != '\r'))
			return false; /* not this harness's simple form */
		if (first && (strncmp(first, p, n) || first[n] != '\r'))
			return true;
		first = p;
	}
	return false;
}

/*
 * Whether any answer on the connection is not an error: a request after
 * an ambiguous body was read as one. libmicrohttpd may write its own 400
 * twice; that is still a refusal.
 */
static bool answered(const char *got)
{
	const char *s = got;

	while ((s = strstr(s, "HTTP/1.")) && strlen(s) > 9) {
		if (s[9] < '4')
			return true;
		s += 9;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct peer p = { 0 };
	char *in;
	int fd;

	if (size > 16384)
		return 0;
	if (!ready) {
		setup();
		ready = true;
	}
	fd = connect_server();
	/* The whole input fits the socket buffers: no writer to wait on. */
	if (size && send(fd, data, size, MSG_NOSIGNAL) != (ssize_t)size)
		abort();
	shutdown(fd, SHUT_WR);
	p.w.fd = fd;
	p.w.cb = on_peer;
	p.w.ctx = &p;
	if (ifstat_loop_add(host.loop, &p.w, EPOLLIN) ||
	    ifstat_timer_init(host.loop, &p.timer, on_timeout, &p) ||
	    ifstat_timer_set(&p.timer, QUIET_MS, false))
		abort();
	ifstat_loop_run(host.loop);
	ifstat_loop_del(host.loop, &p.w);
	ifstat_timer_close(host.loop, &p.timer);
	close(fd);
	if (p.len && (p.len < 12 || strncmp(p.got, "HTTP/1.", 7))) {
		fprintf(stderr, "an answer without a status line\n");
		abort();
	}
	in = malloc(size + 1);
	if (!in)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	if (p.got)
		p.got[p.len] = '\0';
	if (!memchr(data, '\0', size) && conflicting_length(in) && p.len &&
	    answered(p.got)) {
		fprintf(stderr, "two Content-Length not refused alone:\n%s\n",
			p.got);
		abort();
	}
	free(in);
	free(p.got);
	return 0;
}
