/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Snapshots: per-CPU counter values summed into one view of the active
 * filter set. Pure functions, no I/O, so they are unit-tested directly.
 */
#ifndef IFSTAT_COUNTERS_H
#define IFSTAT_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "ifstat_abi.h"

struct ifstat_filter_stats {
	char name[IFSTAT_NAME_MAX];
	struct ifstat_filter filter;
	uint64_t packets;
	uint64_t bytes;
	uint64_t buckets[IFSTAT_MAX_BUCKETS];
};

struct ifstat_snapshot {
	uint64_t epoch;
	uint32_t nedges;
	uint32_t edges[IFSTAT_MAX_EDGES];
	struct {
		uint64_t packets, bytes, unmatched, non_ip, malformed;
	} totals;
	uint32_t nfilters;
	struct ifstat_filter_stats filters[IFSTAT_MAX_FILTERS];
};

/* Bytes one CPU's value takes in a per-CPU map read (8-byte rounded). */
static inline size_t ifstat_percpu_stride(void)
{
	return (sizeof(struct ifstat_counters) + 7) & ~(size_t)7;
}

/*
 * Sums ncpus values laid out stride bytes apart, counting a slot only on
 * CPUs whose generation is the filter's (the others hold counts of a
 * filter that owned the slot before, see ifstat_slot).
 */
void ifstat_snapshot_sum(const void *percpu, unsigned int ncpus, size_t stride,
			 const struct ifstat_filter_set *set, uint64_t epoch,
			 struct ifstat_snapshot *out);

/* Index of the bucket of a frame of len bytes (doc/semantics.md rule 2). */
unsigned int ifstat_bucket_of(const uint32_t *edges, unsigned int nedges,
			      uint32_t len);

#endif
