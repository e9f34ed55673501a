/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which counter slot and generation every filter of a new set gets, from
 * the running set: the policy behind "a filter whose name and definition
 * did not change keeps its counters". Pure: the engine writes the result
 * into the inactive set of the configuration map and flips.
 */
#ifndef IFSTAT_PLAN_H
#define IFSTAT_PLAN_H

#include <stdint.h>

#include "filter.h"

/*
 * Fills nxt's header, filters, names, slots and generations (not its
 * tables) for defs[0..n) and the bucket edges (NULL: the running ones,
 * or the defaults on a fresh start). A filter with the name and
 * definition of one in cur, under the same edges, takes its slot and
 * generation (counts continue); any other takes the lowest free slot and
 * a new generation from *next_gen (counts start at zero). Returns 0,
 * -E2BIG (too many filters) or -EINVAL (edges not 1-15 increasing).
 */
int ifstat_plan_set(const struct ifstat_filter_set *cur,
		    const struct ifstat_filter_def *defs, unsigned int n,
		    const uint32_t *edges, unsigned int nedges,
		    uint64_t *next_gen, struct ifstat_filter_set *nxt);

/*
 * nxt = cur with new generations for filter index (all and the totals
 * for -1): their counts restart at zero. -EINVAL or -ENOENT for a bad
 * index. Copies the tables too.
 */
int ifstat_plan_reset(const struct ifstat_filter_set *cur, int index,
		      uint64_t *next_gen, struct ifstat_filter_set *nxt);

#endif
