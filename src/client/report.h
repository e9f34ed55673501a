/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A snapshot as the client receives it: one JSON line of schema version 2
 * (README, "The snapshot"; written by src/lib/snapjson.c), parsed with
 * json-c into a plain struct and checked field by field, so render and
 * delta never see a half-valid snapshot. A line of version 1 (one
 * interface, before ifstatd counted several) is refused, saying so.
 */
#ifndef IFSTAT_REPORT_H
#define IFSTAT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "filter.h"
#include "ifstat_abi.h"

#define IFSTAT_REPORT_VERSION 2
/* Entries one line may hold: every interface ifstatd counts, both ways. */
#define IFSTAT_REPORT_MAX_ENTRIES (IFSTAT_MAX_IFACES * IFSTAT_NDIRS)

struct ifstat_report_filter {
	unsigned int index;
	char name[IFSTAT_NAME_MAX];
	char match[IFSTAT_FILTER_TEXT_MAX];
	uint64_t packets, bytes;
	uint64_t sizes[IFSTAT_MAX_BUCKETS]; /* nedges + 1 of them */
};

struct ifstat_report_totals {
	uint64_t packets, bytes, unmatched, non_ip, malformed;
};

/* One (interface, direction). */
struct ifstat_report_entry {
	char interface[64];
	char direction[16]; /* "ingress", "egress" */
	char hook[16];
	char mode[16];
	bool present;
	struct ifstat_report_totals totals;
	unsigned int nfilters;
	struct ifstat_report_filter filters[IFSTAT_MAX_FILTERS];
};

struct ifstat_report {
	unsigned int interval_ms;
	uint64_t time_ms; /* the daemon's wall clock, ms since 1970 */
	uint64_t epoch; /* changes only when the counters restart */
	uint32_t edges[IFSTAT_MAX_EDGES];
	unsigned int nedges;
	unsigned int nentries; /* only these of entries[] are written */
	struct ifstat_report_entry entries[IFSTAT_REPORT_MAX_ENTRIES];
};

/*
 * Parses one line. On error returns -EINVAL (-ENOMEM) and writes what is
 * wrong to err, naming the field ("interfaces[1].filters[2].sizes: 6
 * values, expected 7"). Members the schema does not know are ignored.
 */
int ifstat_report_parse(const char *line, struct ifstat_report *r, char *err,
			size_t errlen);

/* Index of the filter called name in e, or -1. */
int ifstat_report_find(const struct ifstat_report_entry *e, const char *name);

/* The entry of r for (interface, direction), or NULL. */
const struct ifstat_report_entry *
ifstat_report_entry(const struct ifstat_report *r, const char *interface,
		    const char *direction);

#endif
