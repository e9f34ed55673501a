// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The ubus publisher of an ifstatd built without libubus (WITH_UBUS):
 * ubus = yes cannot be honoured; it says so once and everything else
 * runs.
 */
#include "log.h"
#include "publisher.h"

static int ubusoff_apply(struct ifstat_publisher *p, struct ifstat_config *c,
			 struct ifstat_diags *errs)
{
	static bool told;

	(void)p;
	(void)errs;
	if (c->ubus && !told)
		log_warn("ubus = yes, but this ifstatd was built without "
			 "ubus (WITH_UBUS): not published there");
	told = told || c->ubus;
	return 0;
}

const struct ifstat_publisher_ops ifstat_ubus_ops = {
	.name = "ubus",
	.size = sizeof(struct ifstat_publisher),
	.apply = ubusoff_apply,
};
