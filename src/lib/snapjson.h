/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The published snapshot (README, "The snapshot", schema version 1) as
 * one JSON line. The socket, ubus (stats) and the tests share it.
 */
#ifndef IFSTAT_SNAPJSON_H
#define IFSTAT_SNAPJSON_H

#include <stdint.h>

#include "buf.h"
#include "counters.h"

#define IFSTAT_SCHEMA_VERSION 1

/* What a publisher shows besides the counters. */
struct ifstat_view {
	const char *interface;
	const char *xdp_mode; /* "native", "generic" */
	unsigned int interval_ms;
	uint64_t time_ms; /* wall clock, ms since 1970 */
	const struct ifstat_snapshot *snap;
};

/* Appends the snapshot and a '\n'. only: when >= 0, that filter alone. */
void ifstat_json_snapshot(struct ifstat_buf *b, const struct ifstat_view *v,
			  int only);

#endif
