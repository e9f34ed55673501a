// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "ubus_source.h"

#include <errno.h>
#include <libubox/blobmsg_json.h>
#include <libubus.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wait.h"

#define CALL_TIMEOUT_MS 5000

struct source {
	struct ubus_context *ctx;
	struct ubus_subscriber sub;
	const char *object, *where;
	uint32_t id;
	bool tick, gone, lost;
	int ret; /* on_line's answer to the last snapshot */
	ifstat_line_fn on_line;
	void *on_line_ctx;
};

static struct source *source_of(struct ubus_object *obj)
{
	return container_of(obj, struct source, sub.obj);
}

/* A notification only says "a new interval": the snapshot is asked for
 * once the event is handled, outside libubus' callback. */
static int on_notify(struct ubus_context *ctx, struct ubus_object *obj,
		     struct ubus_request_data *req, const char *method,
		     struct blob_attr *msg)
{
	(void)ctx;
	(void)req;
	(void)msg;
	if (!strcmp(method, "ifstat.data"))
		source_of(obj)->tick = true;
	return 0;
}

static void on_remove(struct ubus_context *ctx, struct ubus_subscriber *sub,
		      uint32_t id)
{
	(void)ctx;
	(void)id;
	container_of(sub, struct source, sub)->gone = true;
}

static struct source *lost_source; /* libubus gives only the context */

static void on_lost(struct ubus_context *ctx)
{
	(void)ctx;
	lost_source->lost = true;
}

static void on_stats(struct ubus_request *req, int type, struct blob_attr *msg)
{
	struct source *s = req->priv;
	char *json = blobmsg_format_json(msg, true);

	(void)type;
	if (!json) {
		fprintf(stderr, "ifstat: cannot format the answer of %s\n",
			s->where);
		s->ret = -ENOMEM;
		return;
	}
	s->ret = s->on_line(s->on_line_ctx, json);
	free(json);
}

/* 0 to go on, on_line's IFSTAT_DONE, or -errno. */
static int fetch(struct source *s)
{
	struct blob_buf none = { 0 };
	int ret;

	blob_buf_init(&none, 0);
	s->ret = -ENODATA; /* no answer at all */
	ret = ubus_invoke(s->ctx, s->id, "stats", none.head, on_stats, s,
			  CALL_TIMEOUT_MS);
	blob_buf_free(&none);
	/* A call that crossed the object's removal fails (or times out:
	 * ubusd does not answer for a client that left); the removal,
	 * handled meanwhile, is what the user needs to know. */
	if (ret && !s->gone && !s->lost)
		fprintf(stderr, "ifstat: ubus call %s stats on %s: %s\n",
			s->object, s->where, ubus_strerror(ret));
	return ret ? -EIO : s->ret;
}

static int subscribe(struct source *s)
{
	int ret;

	s->sub.cb = on_notify;
	s->sub.remove_cb = on_remove;
	ret = ubus_register_subscriber(s->ctx, &s->sub);
	if (!ret)
		ret = ubus_subscribe(s->ctx, &s->sub, s->id);
	if (ret)
		fprintf(stderr, "ifstat: cannot subscribe to %s on %s: %s\n",
			s->object, s->where, ubus_strerror(ret));
	return ret ? -EIO : 0;
}

/* 0 while the object is there, else -errno. */
static int gone(const struct source *s)
{
	if (s->lost)
		fprintf(stderr, "ifstat: lost the connection to ubusd (%s)\n",
			s->where);
	else if (s->gone)
		fprintf(stderr,
			"ifstat: the object %s went away (ifstatd stopped?)\n",
			s->object);
	return s->lost ? -ECONNRESET : s->gone ? -ENOENT : 0;
}

/* An event from ubusd: a notification asks for the snapshot. */
static int on_ready(void *ctx)
{
	struct source *s = ctx;
	int ret;

	ubus_handle_event(s->ctx);
	ret = gone(s);
	if (!ret && s->tick) {
		s->tick = false;
		ret = fetch(s);
		/* Failed because the object went: say so. */
		if (ret < 0)
			gone(s);
	}
	return ret;
}

int ifstat_ubus_source(const char *path, const char *object,
		       ifstat_line_fn on_line, void *ctx,
		       volatile sig_atomic_t *stop)
{
	static struct source s;
	int ret;

	/* As the original client: -s, else UBUS_SOCK, else the default. */
	if (!path)
		path = getenv("UBUS_SOCK");
	s.object = object;
	s.where = path ? path : "libubus's default socket";
	s.on_line = on_line;
	s.on_line_ctx = ctx;
	s.ctx = ubus_connect(path);
	if (!s.ctx) {
		fprintf(stderr,
			"ifstat: cannot connect to ubusd on %s (is ubusd "
			"running?)\n",
			s.where);
		return -ECONNREFUSED;
	}
	lost_source = &s;
	s.ctx->connection_lost = on_lost;
	ret = ubus_lookup_id(s.ctx, object, &s.id);
	if (ret) {
		fprintf(stderr,
			"ifstat: no object %s on %s: %s (is ifstatd running "
			"with ubus = yes?)\n",
			object, s.where, ubus_strerror(ret));
		ret = -ENOENT;
		goto out;
	}
	/* The first table at once, not one interval later. */
	ret = fetch(&s);
	if (!ret)
		ret = subscribe(&s);
	if (!ret)
		ret = ifstat_wait_fd(s.ctx->sock.fd, stop, on_ready, &s);
out:
	ubus_free(s.ctx);
	return ret;
}
