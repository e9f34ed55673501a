/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What the ubus connection (ubus.c) and the object's methods
 * (ubus_methods.c) share. */
#ifndef IFSTATD_UBUS_PRIV_H
#define IFSTATD_UBUS_PRIV_H

#include <libubus.h>
#include <stdbool.h>

#include "buf.h"
#include "config.h"
#include "loop.h"
#include "publisher.h"

struct ifstat_ubus {
	struct ifstat_host *h;
	struct ubus_context ctx;
	bool ctx_ready; /* ubus_connect_ctx succeeded once */
	bool connected; /* and the object is registered */
	bool reconnect; /* settings changed: reconnect at the next retry */
	bool dying; /* stopped from inside a callback: freed after it */
	unsigned int depth; /* inside ubus_handle_event */
	unsigned int failures; /* connection attempts failed in a row */
	bool backlog_logged;
	struct ifstat_watch sock, retry;
	struct ubus_object obj;
	struct ubus_object_type type;
	char object[sizeof(((struct ifstat_config *)0)->ubus_object)];
	char path[sizeof(((struct ifstat_config *)0)->ubus_socket)];
	struct blob_buf note; /* the notification */
	struct blob_buf reply; /* a method's reply */
	struct ifstat_buf json;
};

extern const struct ubus_method ifstat_ubus_methods[];
extern const int ifstat_ubus_nmethods;

#endif
