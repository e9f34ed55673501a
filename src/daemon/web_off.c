// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The web publisher of an ifstatd built without libmicrohttpd
 * (WITH_PROMETHEUS): http = ADDR:PORT cannot be honoured; it says so once
 * and everything else runs.
 */
#include "log.h"
#include "publisher.h"

static int weboff_apply(struct ifstat_publisher *p, struct ifstat_config *c,
			struct ifstat_diags *errs)
{
	static bool told;

	(void)p;
	(void)errs;
	if (c->http[0] && !told)
		log_warn("http = %s, but this ifstatd was built without "
			 "libmicrohttpd (WITH_PROMETHEUS): not served",
			 c->http);
	told = told || c->http[0];
	return 0;
}

const struct ifstat_publisher_ops ifstat_web_ops = {
	.name = "http",
	.size = sizeof(struct ifstat_publisher),
	.apply = weboff_apply,
};
