// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The Prometheus publisher of an ifstatd built without libmicrohttpd
 * (WITH_PROMETHEUS): prometheus = ADDR:PORT cannot be honoured; it says so
 * once and everything else runs.
 */
#include "log.h"
#include "publisher.h"

static int promoff_apply(struct ifstat_publisher *p, struct ifstat_config *c,
			 struct ifstat_diags *errs)
{
	static bool told;

	(void)p;
	(void)errs;
	if (c->prometheus[0] && !told)
		log_warn("prometheus = %s, but this ifstatd was built without "
			 "Prometheus (WITH_PROMETHEUS): not served",
			 c->prometheus);
	told = told || c->prometheus[0];
	return 0;
}

const struct ifstat_publisher_ops ifstat_prom_ops = {
	.name = "prometheus",
	.size = sizeof(struct ifstat_publisher),
	.apply = promoff_apply,
};
