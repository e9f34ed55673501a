/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The tables of one snapshot: a header line, then per entry shown
 * (interface and direction, in the snapshot's order: grouped by
 * interface) a line naming it, per filter an absolute row and a delta
 * row (size buckets, Bytes, Packets; rates on the delta row), then the
 * entry's totals the same way. Pure: text into a buffer, no terminal
 * handling.
 */
#ifndef IFSTAT_RENDER_H
#define IFSTAT_RENDER_H

#include "buf.h"
#include "report.h"
#include "select.h"

/* prev: the snapshot before cur, NULL for the first one. */
void ifstat_render_table(struct ifstat_buf *b, const struct ifstat_report *cur,
			 const struct ifstat_report *prev,
			 const struct ifstat_select *sel);

#endif
