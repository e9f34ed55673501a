/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The published snapshot (README, "The snapshot", schema version 2) as
 * one JSON line. The socket, ubus (stats) and the tests share it.
 */
#ifndef IFSTAT_SNAPJSON_H
#define IFSTAT_SNAPJSON_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "counters.h"

#define IFSTAT_SCHEMA_VERSION 2

/* One (interface, direction) as published. */
struct ifstat_entry {
	const char *interface;
	const char *direction; /* "ingress", "egress" */
	const char *hook; /* "xdp", "tc"; "none" while not attached */
	const char *mode; /* xdp: "native", "generic"; tc: "clsact"; "none" */
	bool present; /* the interface exists and is counted now */
	/* totals and filters; NULL: never read, published as zero totals
	 * and no filters (ifstat_entry_snap) */
	const struct ifstat_snapshot *snap;
};

/* What a publisher shows: every (interface, direction) of the daemon in
 * configured order, each interface's ingress before its egress. */
struct ifstat_view {
	unsigned int interval_ms;
	uint64_t time_ms; /* wall clock, ms since 1970 */
	uint64_t epoch; /* moves when counters are reset (all entries) */
	unsigned int nedges; /* the size buckets' edges, as in every snap */
	const uint32_t *edges;
	unsigned int nentries;
	const struct ifstat_entry *entries;
};

/* Appends the snapshot and a '\n'. only: when >= 0, that filter alone
 * (in every entry). */
void ifstat_json_snapshot(struct ifstat_buf *b, const struct ifstat_view *v,
			  int only);

/* e's counters: e->snap, or an empty snapshot when it has none. */
const struct ifstat_snapshot *ifstat_entry_snap(const struct ifstat_entry *e);

/*
 * The entry that stands for the daemon where a publisher shows one (ubus
 * ifstat.data, the version 1 shape; the filter names of ubus's filters
 * and reset): the first ingress, else the first; NULL without entries.
 */
const struct ifstat_entry *ifstat_view_main(const struct ifstat_view *v);

#endif
