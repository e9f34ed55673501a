/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The limits of the Prometheus publisher's HTTP server (prom.c). */
#ifndef IFSTATD_PROM_H
#define IFSTATD_PROM_H

/* Connections served at once; more wait in the listen backlog. */
#define IFSTAT_PROM_MAX_CONNECTIONS 256
/* A connection idle this long is closed (seconds). */
#define IFSTAT_PROM_TIMEOUT_S 10
/* Memory of one connection, request line and headers included: a request
 * that does not fit is answered 431 (headers) or 414 (URI). */
#define IFSTAT_PROM_CONNECTION_MEMORY (16 * 1024)

#endif
