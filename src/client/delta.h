/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The change between two snapshots (the table's delta rows and rates).
 *
 * The rule (README, "ifstat, the client"): a filter of the new snapshot
 * is paired with the filter of the same interface, direction and name in
 * the previous one (an entry the previous snapshot lacks is new: all its
 * counters count from zero). Its
 * delta is new minus old when the pair is comparable: same match text,
 * same size edges, and none of its counters went down. Otherwise (filter
 * new, redefined, renamed, or its counters reset) the delta is new minus
 * zero: the counters restarted at zero within the interval, so that is
 * what accrued since. A delta is never negative. Without a previous
 * snapshot there is no delta at all.
 *
 * A changed epoch says that counters were reset, not which: resetting
 * one filter changes the epoch of all (ifstat_engine_reset). Treating
 * every filter as reset would show a whole cumulative count as one
 * interval's traffic, so the values decide per filter (a reset counter
 * is below its old value) and the delta is flagged as crossing a reset.
 */
#ifndef IFSTAT_DELTA_H
#define IFSTAT_DELTA_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

enum ifstat_delta_kind {
	IFSTAT_DELTA_NONE, /* first snapshot: nothing to compare with */
	IFSTAT_DELTA_DIFF, /* new minus old */
	IFSTAT_DELTA_FROM_ZERO, /* restarted since: new minus zero */
};

struct ifstat_delta {
	enum ifstat_delta_kind kind;
	bool reset; /* the epoch changed: counters were reset somewhere */
	uint64_t packets, bytes;
	uint64_t sizes[IFSTAT_MAX_BUCKETS];
};

struct ifstat_delta_totals {
	enum ifstat_delta_kind kind;
	bool reset;
	struct ifstat_report_totals t;
};

/* Delta of cur->entries[e].filters[i]; prev NULL for the first
 * snapshot. */
void ifstat_delta_filter(const struct ifstat_report *prev,
			 const struct ifstat_report *cur, unsigned int e,
			 unsigned int i, struct ifstat_delta *d);

/* The totals of cur->entries[e], by the same rule (none going down). */
void ifstat_delta_totals(const struct ifstat_report *prev,
			 const struct ifstat_report *cur, unsigned int e,
			 struct ifstat_delta_totals *d);

/* Seconds between the two snapshots; 0 when unknown or not positive. */
double ifstat_delta_seconds(const struct ifstat_report *prev,
			    const struct ifstat_report *cur);

#endif
