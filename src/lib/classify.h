/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Builds the XDP program's classifier tables (struct ifstat_tables) from a
 * filter set: the frame-class, protocol and VLAN arrays, the tries of the
 * address and port fields, and the bucket of every tabled frame length.
 * Pure: no I/O, unit-tested and used to check a configuration before it
 * reaches the kernel.
 */
#ifndef IFSTAT_CLASSIFY_H
#define IFSTAT_CLASSIFY_H

#include <stdint.h>

#include "ifstat_abi.h"

struct ifstat_tables_use {
	unsigned int nodes; /* trie nodes taken, of IFSTAT_TRIE_NODES */
	unsigned int leaves; /* distinct leaves, of IFSTAT_TRIE_LEAVES */
};

/*
 * Fills *t for filters f[0..n) and the bucket edges. A filter's bit in the
 * masks is its slot (f[i].slot, distinct, below IFSTAT_MAX_FILTERS), so
 * the program finds its counters without another lookup.
 * Returns 0, or -ENOSPC when the tries need more nodes than the table
 * holds (use->nodes then says how many were needed up to the failure);
 * the tables are exact or refused, never approximated.
 */
int ifstat_tables_build(struct ifstat_tables *t, const struct ifstat_filter *f,
			unsigned int n, const uint32_t *edges,
			unsigned int nedges, struct ifstat_tables_use *use);

/*
 * The first filter of f[0..n) with which the set no longer fits the
 * tables, or n when all fit; slots need not be set. scratch: a struct
 * ifstat_tables to build in.
 */
unsigned int ifstat_tables_fit(struct ifstat_tables *scratch,
			       const struct ifstat_filter *f, unsigned int n);

#endif
