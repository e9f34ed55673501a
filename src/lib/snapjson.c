// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "snapjson.h"

#include <inttypes.h>
#include <stdbool.h>

#include "filter.h"

static void u64_array(struct ifstat_buf *b, const uint64_t *v, unsigned int n)
{
	unsigned int i;

	ifstat_buf_add(b, "[", 1);
	for (i = 0; i < n; i++)
		ifstat_buf_printf(b, "%s%" PRIu64, i ? "," : "", v[i]);
	ifstat_buf_add(b, "]", 1);
}

static void filter_obj(struct ifstat_buf *b, const struct ifstat_snapshot *s,
		       unsigned int i)
{
	const struct ifstat_filter_stats *f = &s->filters[i];
	char match[IFSTAT_FILTER_TEXT_MAX];

	if (ifstat_filter_format(&f->filter, match, sizeof(match)) < 0)
		match[0] = '\0';
	ifstat_buf_printf(b, "{\"index\":%u,\"name\":", i);
	ifstat_buf_json_str(b, f->name);
	ifstat_buf_add(b, ",\"match\":", 9);
	ifstat_buf_json_str(b, match);
	ifstat_buf_printf(b,
			  ",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"siz"
			  "es\":",
			  f->packets, f->bytes);
	u64_array(b, f->buckets, s->nedges + 1);
	ifstat_buf_add(b, "}", 1);
}

void ifstat_json_snapshot(struct ifstat_buf *b, const struct ifstat_view *v,
			  int only)
{
	/* Transitional: the first entry in version 1's shape until the
	 * publishers read version 2. */
	const struct ifstat_entry *e = &v->entries[0];
	const struct ifstat_snapshot *s = e->snap;
	unsigned int i;
	bool first = true;

	ifstat_buf_add(b, "{\"version\":1,\"interface\":", 25);
	ifstat_buf_json_str(b, e->interface);
	ifstat_buf_add(b, ",\"xdp_mode\":", 12);
	ifstat_buf_json_str(b, e->mode);
	ifstat_buf_printf(b,
			  ",\"interval_ms\":%u,\"time_ms\":%" PRIu64
			  ",\"epoch\":%" PRIu64 ",\"size_edges\":[",
			  v->interval_ms, v->time_ms, s->epoch);
	for (i = 0; i < s->nedges; i++)
		ifstat_buf_printf(b, "%s%u", i ? "," : "", s->edges[i]);
	ifstat_buf_printf(b,
			  "],\"totals\":{\"packets\":%" PRIu64 ",\"bytes\":"
			  "%" PRIu64 ",\"unmatched\":%" PRIu64 ",\"non_ip\":"
			  "%" PRIu64 ",\"malformed\":%" PRIu64 "},\"filters\":"
			  "[",
			  s->totals.packets, s->totals.bytes,
			  s->totals.unmatched, s->totals.non_ip,
			  s->totals.malformed);
	for (i = 0; i < s->nfilters; i++) {
		if (only >= 0 && (unsigned int)only != i)
			continue;
		if (!first)
			ifstat_buf_add(b, ",", 1);
		first = false;
		filter_obj(b, s, i);
	}
	ifstat_buf_add(b, "]}\n", 3);
}
