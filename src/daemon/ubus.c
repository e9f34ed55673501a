// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The ubus publisher (ubus = yes): the object "ifstat" (ubus_object) on
 * ubusd (ubus_socket, else $UBUS_SOCK, else libubus's default) with the
 * methods stats, filters, reset and reload (ubus_methods.c), and every
 * interval, when it has subscribers, the notifications "ifstat.data" in
 * the original tool's shape and "ifstat.stats" (the whole snapshot, as
 * stats answers). ubusd may come and go: the publisher
 * retries, alone, and nothing else waits for it.
 *
 * The connection to ubusd is driven by ifstatd's own loop
 * instead of uloop: the context's socket is a watch whose readiness runs
 * ubus_handle_event, and a timer retries the connection. libubus reports
 * a lost ubusd through connection_lost, from inside ubus_handle_event;
 * ubus_reconnect then re-registers the object on the same context.
 */
#include <errno.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "publisher.h"
#include "ubus_priv.h"
#include "ubusblob.h"

#define RETRY_FIRST_MS 100 /* after a loss: ubusd may be back at once */
#define RETRY_MS 1000
#define LINGER_STEP_MS 10
#define LINGER_STEPS 100 /* at most 1 s */

/*
 * ubusd drops the last messages of a client whose hangup it sees in the
 * same wakeup as their data (ubusd_main.c, client_cb: nothing is read
 * once the socket is at EOF). The answer to the call that made ifstatd
 * close (reload: ubus = no) or move (another object or socket) would be
 * lost: such a socket is closed only once ubusd has read everything in
 * it (SIOCOUTQ 0), or after LINGER_STEPS.
 */
static bool drained(int fd)
{
	int queued = 0;

	return ioctl(fd, SIOCOUTQ, &queued) || !queued;
}

static struct {
	struct ifstat_loop *loop;
	struct ifstat_watch timer;
	int fd;
	unsigned int steps;
} linger = { .timer.fd = -1, .fd = -1 };

static void linger_end(void)
{
	if (linger.fd < 0)
		return;
	ifstat_timer_close(linger.loop, &linger.timer);
	close(linger.fd);
	linger.fd = -1;
}

static void on_linger(struct ifstat_watch *w, uint32_t events)
{
	(void)events;
	ifstat_timer_ack(w);
	if (drained(linger.fd) || ++linger.steps >= LINGER_STEPS)
		linger_end();
}

/* Closes fd now when drained, else soon. */
static void close_drained(struct ifstat_loop *loop, int fd)
{
	if (drained(fd)) {
		close(fd);
		return;
	}
	linger_end(); /* one at a time; an older one had its chance */
	linger.loop = loop;
	linger.fd = fd;
	linger.steps = 0;
	if (ifstat_timer_init(loop, &linger.timer, on_linger, NULL) ||
	    ifstat_timer_set(&linger.timer, LINGER_STEP_MS, true)) {
		ifstat_timer_close(loop, &linger.timer);
		close(fd);
		linger.fd = -1;
	}
}

static const char *path_name(const struct ifstat_ubus *u)
{
	return u->path[0] ? u->path : "libubus's default socket";
}

/* ubus_socket, else UBUS_SOCK (as the original tool), else libubus's. */
static void settings(const struct ifstat_config *c, char *object, size_t olen,
		     char *path, size_t plen)
{
	const char *env = getenv("UBUS_SOCK");

	snprintf(object, olen, "%s", c->ubus_object);
	if (c->ubus_socket[0])
		env = c->ubus_socket;
	snprintf(path, plen, "%s", env ? env : "");
}

static void arm_retry(struct ifstat_ubus *u, uint64_t ms)
{
	int ret = ifstat_timer_set(&u->retry, ms, false);

	if (ret)
		log_err("ubus: cannot arm the retry timer: %s", strerror(-ret));
}

/* Leaves the loop; the socket itself is closed by ubus_reconnect or
 * ubus_shutdown, which own it. */
static void drop(struct ifstat_ubus *u)
{
	if (u->sock.fd >= 0)
		ifstat_loop_del(u->h->loop, &u->sock);
	u->sock.fd = -1;
	u->connected = false;
	/* ubusd tells a new connection when someone subscribes. */
	u->obj.has_subscribers = false;
}

static void on_lost(struct ubus_context *ctx)
{
	struct ifstat_ubus *u = container_of(ctx, struct ifstat_ubus, ctx);

	log_warn("ubus: connection to ubusd (%s) lost; reconnecting",
		 path_name(u));
	drop(u);
	u->failures = 0;
	arm_retry(u, RETRY_FIRST_MS);
}

/* drain: the answer to a call may still be in the socket (drained()). */
static void destroy(struct ifstat_ubus *u, bool drain)
{
	if (drain && u->ctx_ready && u->ctx.sock.fd >= 0) {
		close_drained(u->h->loop, u->ctx.sock.fd);
		u->ctx.sock.fd = -1;
	}
	/* Closing is enough: ubusd removes the object of a client that
	 * leaves. */
	if (u->ctx_ready)
		ubus_shutdown(&u->ctx);
	blob_buf_free(&u->note);
	blob_buf_free(&u->reply);
	ifstat_buf_free(&u->json);
	free(u);
}

static void on_sock(struct ifstat_watch *w, uint32_t events)
{
	struct ifstat_ubus *u = w->ctx;

	(void)events;
	u->depth++;
	ubus_handle_event(&u->ctx);
	u->depth--;
	if (u->dying && !u->depth)
		destroy(u, true);
}

/* 0, a UBUS_STATUS_* or, when the socket could not be reached, -errno. */
static int try_connect(struct ifstat_ubus *u)
{
	const char *path = u->path[0] ? u->path : NULL;
	int ret;

	errno = 0;
	if (!u->ctx_ready) {
		if (ubus_connect_ctx(&u->ctx, path))
			return errno ? -errno : UBUS_STATUS_CONNECTION_FAILED;
		u->ctx_ready = true;
		u->ctx.connection_lost = on_lost;
	} else {
		/* Also registers the object again (and under a new name). */
		ret = ubus_reconnect(&u->ctx, path);
		if (ret) {
			/* Closed, or never opened: not ours to close again. */
			u->ctx.sock.fd = -1;
			return ret == UBUS_STATUS_CONNECTION_FAILED && errno
				       ? -errno
				       : ret;
		}
	}
	ret = u->obj.id ? 0 : ubus_add_object(&u->ctx, &u->obj);
	if (ret) {
		log_err("ubus: cannot register the object '%s': %s", u->object,
			ubus_strerror(ret));
		close(u->ctx.sock.fd);
		u->ctx.sock.fd = -1;
		return ret;
	}
	u->sock.fd = u->ctx.sock.fd;
	ret = ifstat_loop_add(u->h->loop, &u->sock, EPOLLIN);
	if (ret) {
		log_err("ubus: cannot watch the connection: %s",
			strerror(-ret));
		u->sock.fd = -1;
		close(u->ctx.sock.fd);
		u->ctx.sock.fd = -1;
		return UBUS_STATUS_SYSTEM_ERROR;
	}
	u->connected = true;
	return 0;
}

static void connect_now(struct ifstat_ubus *u)
{
	int ret = try_connect(u);
	const char *why = ret < 0 ? strerror(-ret) : ubus_strerror(ret);

	if (!ret) {
		log_info("ubus: object '%s' registered on %s", u->object,
			 path_name(u));
		u->failures = 0;
		u->backlog_logged = false;
		return;
	}
	if (!u->failures++)
		log_warn("ubus: cannot connect to ubusd on %s (%s); retrying "
			 "every %u s",
			 path_name(u), why, RETRY_MS / 1000);
	else
		log_debug("ubus: connection attempt %u failed: %s", u->failures,
			  why);
	arm_retry(u, RETRY_MS);
}

static void on_retry(struct ifstat_watch *w, uint32_t events)
{
	struct ifstat_ubus *u = w->ctx;

	(void)events;
	ifstat_timer_ack(w);
	if (u->reconnect) {
		u->reconnect = false;
		if (u->connected) {
			drop(u);
			/* Not ubus_reconnect's close: see drained(). */
			close_drained(u->h->loop, u->ctx.sock.fd);
			u->ctx.sock.fd = -1;
		}
	}
	if (!u->connected)
		connect_now(u);
}

static int start(struct ifstat_host *h, const struct ifstat_config *c,
		 struct ifstat_ubus **out)
{
	struct ifstat_ubus *u = calloc(1, sizeof(*u));
	int ret;

	if (!u)
		return -ENOMEM;
	u->h = h;
	u->sock.fd = -1;
	u->sock.cb = on_sock;
	u->sock.ctx = u;
	ifstat_buf_init(&u->json);
	settings(c, u->object, sizeof(u->object), u->path, sizeof(u->path));
	u->type.name = u->object;
	u->type.methods = ifstat_ubus_methods;
	u->type.n_methods = ifstat_ubus_nmethods;
	u->obj.name = u->object;
	u->obj.type = &u->type;
	u->obj.methods = ifstat_ubus_methods;
	u->obj.n_methods = ifstat_ubus_nmethods;
	ret = ifstat_timer_init(h->loop, &u->retry, on_retry, u);
	if (ret) {
		free(u);
		return ret;
	}
	/* Never waits for ubusd: without it, the retry timer takes over. */
	connect_now(u);
	*out = u;
	return 0;
}

/* New object name or socket: reconnects soon, not from inside the caller. */
static int update(struct ifstat_ubus *u, const struct ifstat_config *c)
{
	char object[sizeof(u->object)], path[sizeof(u->path)];

	settings(c, object, sizeof(object), path, sizeof(path));
	if (!strcmp(object, u->object) && !strcmp(path, u->path))
		return 0;
	log_info("ubus: now object '%s' on %s", object,
		 path[0] ? path : "libubus's default socket");
	memcpy(u->object, object, sizeof(object));
	memcpy(u->path, path, sizeof(path));
	/* Not now: this may run inside one of the object's own methods
	 * (reload), whose connection must outlive it. */
	u->reconnect = true;
	u->failures = 0;
	arm_retry(u, 1);
	return 0;
}

static void stop(struct ifstat_ubus *u)
{
	/* Nothing waits any more for an older socket either. */
	linger_end();
	if (!u)
		return;
	drop(u);
	ifstat_timer_close(u->h->loop, &u->retry);
	if (u->depth) {
		/* Inside ubus_handle_event: on_sock finishes the job. */
		u->dying = true;
		return;
	}
	destroy(u, false);
}

/*
 * libubus writes blocking: a ubusd that stopped reading would stop the
 * daemon. A notification is skipped instead while the socket holds more
 * than half its send buffer unread.
 */
static bool backlogged(struct ifstat_ubus *u)
{
	int queued = 0, sndbuf = 0;
	socklen_t len = sizeof(sndbuf);

	if (ioctl(u->ctx.sock.fd, SIOCOUTQ, &queued) ||
	    getsockopt(u->ctx.sock.fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len))
		return false;
	return queued > sndbuf / 2;
}

/* No reply wanted: nothing to wait for. */
static void notify(struct ifstat_ubus *u, const char *type)
{
	int ret = ubus_notify(&u->ctx, &u->obj, type, u->note.head, -1);

	if (ret)
		log_debug("ubus: notification %s not sent: %s", type,
			  ubus_strerror(ret));
}

/*
 * ifstat.data in the original's shape for its subscribers, then
 * ifstat.stats: the whole snapshot, as stats answers.
 */
static void publish(struct ifstat_ubus *u, const struct ifstat_view *v)
{
	const struct ifstat_buf *line;
	int ret;

	if (!u || !u->connected || u->dying || !u->obj.has_subscribers)
		return;
	if (backlogged(u)) {
		if (!u->backlog_logged)
			log_warn("ubus: ubusd is not reading; notifications "
				 "skipped until it does");
		u->backlog_logged = true;
		return;
	}
	u->backlog_logged = false;
	ret = ifstat_ubus_blob_data(&u->note, v);
	if (ret) {
		log_err("ubus: notification: %s", strerror(-ret));
		return;
	}
	notify(u, "ifstat.data");
	ret = u->h->ops->line(u->h, &line);
	if (!ret)
		ret = blob_buf_init(&u->note, 0) ? -ENOMEM : 0;
	if (!ret)
		ret = ifstat_ubus_blob_json(&u->note, line->data);
	if (ret) {
		log_err("ubus: notification: %s", strerror(-ret));
		return;
	}
	notify(u, "ifstat.stats");
}

/* The publisher: the connection of the running settings, if ubus = yes. */
struct ubuspub {
	struct ifstat_publisher pub;
	struct ifstat_ubus *u; /* NULL: ubus = no */
};

/* ubus, ubus_object and ubus_socket are ours. */
static int ubuspub_apply(struct ifstat_publisher *pub, struct ifstat_config *c,
			 struct ifstat_diags *errs)
{
	struct ubuspub *p = (struct ubuspub *)pub;
	int ret;

	if (!c->ubus) {
		stop(p->u);
		p->u = NULL;
		return 0;
	}
	if (p->u)
		return update(p->u, c);
	ret = start(pub->host, c, &p->u);
	if (ret) {
		c->ubus = false;
		ifstat_diag_add(errs, "reload", 0, "ubus", NULL, "%s",
				strerror(-ret));
	}
	return ret;
}

/* Connected or trying to: the notification needs a reading. */
static bool ubuspub_listening(const struct ifstat_publisher *pub)
{
	return ((const struct ubuspub *)pub)->u != NULL;
}

static void ubuspub_publish(struct ifstat_publisher *pub,
			    const struct ifstat_view *v)
{
	publish(((struct ubuspub *)pub)->u, v);
}

static void ubuspub_stop(struct ifstat_publisher *pub)
{
	struct ubuspub *p = (struct ubuspub *)pub;

	stop(p->u);
}

const struct ifstat_publisher_ops ifstat_ubus_ops = {
	.name = "ubus",
	.size = sizeof(struct ubuspub),
	.apply = ubuspub_apply,
	.listening = ubuspub_listening,
	.publish = ubuspub_publish,
	.stop = ubuspub_stop,
};
