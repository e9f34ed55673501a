/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The table of one snapshot: a header line, per filter an absolute row
 * and a delta row (size buckets, Bytes, Packets; rates on the delta
 * row), then the interface totals the same way. Pure: text into a
 * buffer, no terminal handling.
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
