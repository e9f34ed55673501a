/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ubus publisher (ubus = yes): the object "ifstat" (ubus_object) on
 * ubusd (ubus_socket, else $UBUS_SOCK, else libubus's default) with the
 * methods stats, filters, reset and reload, and every interval, when it
 * has subscribers, the notification "ifstat.data" in the original tool's
 * shape. ubusd may come and go: the publisher retries, alone, and nothing
 * else waits for it.
 *
 * Without libubus (WITH_UBUS, CMake) the same calls exist and do nothing
 * but say, once, that ubus = yes cannot be honoured.
 */
#ifndef IFSTATD_UBUS_H
#define IFSTATD_UBUS_H

#include "daemon.h"
#include "snapjson.h"

#ifdef IFSTAT_HAVE_UBUS

/* Starts, stops or updates d->ubus to match d->conf. 0 or -errno. */
int ifstat_ubus_apply(struct ifstatd *d);

int ifstat_ubus_start(struct ifstatd *d, struct ifstat_ubus **out);
/* Takes d->conf's object name and socket, reconnecting when they
 * changed (soon, not from inside the caller). */
int ifstat_ubus_update(struct ifstat_ubus *u);
void ifstat_ubus_stop(struct ifstat_ubus *u); /* NULL: nothing */
/* The notification, when connected and someone subscribed. */
void ifstat_ubus_publish(struct ifstat_ubus *u, const struct ifstat_view *v);

#else

#include "log.h"

static inline int ifstat_ubus_apply(struct ifstatd *d)
{
	static bool told;

	if (d->conf.ubus && !told)
		log_warn("ubus = yes, but this ifstatd was built without "
			 "ubus (WITH_UBUS): not published there");
	told = told || d->conf.ubus;
	return 0;
}

static inline void ifstat_ubus_stop(struct ifstat_ubus *u)
{
	(void)u;
}

static inline void ifstat_ubus_publish(struct ifstat_ubus *u,
				       const struct ifstat_view *v)
{
	(void)u;
	(void)v;
}

#endif

#endif
