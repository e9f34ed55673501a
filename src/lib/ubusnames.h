/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The names in the ubus notification "ifstat.data", kept as the original
 * tool wrote them so that its subscribers go on working: one table per
 * filter, "filter<index>" (0-based, the filter's position), holding
 * "pkts_<lo>_<hi>" per size bucket ("pkts_<edge>" for the first,
 * "pkts_<lo>" for the open last one), "pkts_bytes" and "pkts_cnt".
 * With the default edges these are exactly the original's keys.
 */
#ifndef IFSTAT_UBUSNAMES_H
#define IFSTAT_UBUSNAMES_H

#include <stddef.h>
#include <stdint.h>

#define IFSTAT_UBUS_KEY_MAX 32 /* "pkts_4294967295_4294967295" + NUL */

/*
 * The key of bucket i (0 .. nedges) for the upper edges edges[0..nedges).
 * Returns 0, -EINVAL (i out of range, no edges) or -ENOSPC.
 */
int ifstat_ubus_bucket_key(const uint32_t *edges, unsigned int nedges,
			   unsigned int i, char *buf, size_t len);

/* "filter<index>". Returns 0 or -ENOSPC. */
int ifstat_ubus_filter_key(unsigned int index, char *buf, size_t len);

#endif
