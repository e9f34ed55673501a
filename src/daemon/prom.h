/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The Prometheus endpoint: GET /metrics over HTTP (libmicrohttpd), the
 * counters read at each scrape (scrapes answered in the same round of the
 * event loop share one reading). libmicrohttpd runs without a thread of
 * its own, as watches of the daemon's event loop, and never blocks it: a
 * slow or stuck scraper costs a connection slot, not time.
 *
 * Without libmicrohttpd (WITH_PROMETHEUS, CMake) the same calls exist and
 * do nothing but say, once, that prometheus = ... cannot be honoured.
 */
#ifndef IFSTATD_PROM_H
#define IFSTATD_PROM_H

struct ifstatd;
struct ifstat_prom;

/* Connections served at once; more wait in the listen backlog. */
#define IFSTAT_PROM_MAX_CONNECTIONS 256
/* A connection idle this long is closed (seconds). */
#define IFSTAT_PROM_TIMEOUT_S 10
/* Memory of one connection, request line and headers included: a request
 * that does not fit is answered 431 (headers) or 414 (URI). */
#define IFSTAT_PROM_CONNECTION_MEMORY (16 * 1024)

#ifdef IFSTAT_HAVE_PROMETHEUS

/* addr: ADDR:PORT or [ADDR6]:PORT, as the configuration stores it. */
int ifstat_prom_start(struct ifstatd *d, const char *addr,
		      struct ifstat_prom **out);
/* Closes the listening socket and every connection. NULL: nothing. */
void ifstat_prom_stop(struct ifstat_prom *p);

/*
 * Moves *p to addr ("" stops it). The new socket is bound before the old
 * one is closed; only when the port is taken (by the old one, as from
 * 127.0.0.1:9877 to 0.0.0.0:9877) is the old one closed first, and
 * brought back if the new one still fails. On an error *p is unchanged
 * or, when it could not be brought back, NULL.
 */
int ifstat_prom_move(struct ifstatd *d, const char *addr,
		     struct ifstat_prom **p);

#else

#include <stdbool.h>

#include "log.h"

static inline int ifstat_prom_move(struct ifstatd *d, const char *addr,
				   struct ifstat_prom **p)
{
	static bool told;

	(void)d;
	if (addr[0] && !told)
		log_warn("prometheus = %s, but this ifstatd was built without "
			 "Prometheus (WITH_PROMETHEUS): not served",
			 addr);
	told = told || addr[0];
	*p = NULL;
	return 0;
}

static inline void ifstat_prom_stop(struct ifstat_prom *p)
{
	(void)p;
}

#endif

#endif
