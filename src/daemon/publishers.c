// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The publishers of ifstatd, in the order they start (the socket first:
 * a path it cannot take stops a start before anything else is bound).
 * A new publisher is one more line here and its own file.
 */
#include <stddef.h>

#include "publisher.h"

const struct ifstat_publisher_ops *const ifstat_publishers[] = {
	&ifstat_sockpub_ops,
	&ifstat_prom_ops,
	&ifstat_web_ops,
	&ifstat_ubus_ops,
	NULL,
};
