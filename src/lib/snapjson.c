// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "snapjson.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "filter.h"

static void u64_array(struct ifstat_buf *b, const uint64_t *v, unsigned int n)
{
	unsigned int i;

	ifstat_buf_add(b, "[", 1);
	for (i = 0; i < n; i++)
		ifstat_buf_printf(b, "%s%" PRIu64, i ? "," : "", v[i]);
	ifstat_buf_add(b, "]", 1);
}

static void filter_obj(struct ifstat_buf *b, const struct ifstat_view *v,
		       const struct ifstat_snapshot *s, unsigned int i)
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
	u64_array(b, f->buckets, v->nedges + 1);
	ifstat_buf_add(b, "}", 1);
}

/* "name":"value" after a ',' (every member but an object's first). */
static void str_member(struct ifstat_buf *b, const char *name,
		       const char *value)
{
	ifstat_buf_printf(b, ",\"%s\":", name);
	ifstat_buf_json_str(b, value);
}

static void entry_obj(struct ifstat_buf *b, const struct ifstat_view *v,
		      const struct ifstat_entry *e, int only)
{
	const struct ifstat_snapshot *s = ifstat_entry_snap(e);
	unsigned int i;
	bool first = true;

	ifstat_buf_add(b, "{\"interface\":", 13);
	ifstat_buf_json_str(b, e->interface);
	str_member(b, "direction", e->direction);
	str_member(b, "hook", e->hook);
	str_member(b, "mode", e->mode);
	ifstat_buf_printf(b,
			  ",\"present\":%s,\"totals\":{\"packets\":%" PRIu64
			  ",\"bytes\":%" PRIu64 ",\"unmatched\":%" PRIu64
			  ",\"non_ip\":%" PRIu64 ",\"malformed\":%" PRIu64
			  "},\"filters\":[",
			  e->present ? "true" : "false", s->totals.packets,
			  s->totals.bytes, s->totals.unmatched,
			  s->totals.non_ip, s->totals.malformed);
	for (i = 0; i < s->nfilters; i++) {
		if (only >= 0 && (unsigned int)only != i)
			continue;
		if (!first)
			ifstat_buf_add(b, ",", 1);
		first = false;
		filter_obj(b, v, s, i);
	}
	ifstat_buf_add(b, "]}", 2);
}

void ifstat_json_snapshot(struct ifstat_buf *b, const struct ifstat_view *v,
			  int only)
{
	unsigned int i;

	ifstat_buf_printf(b,
			  "{\"version\":%d,\"interval_ms\":%u,\"time_ms\":"
			  "%" PRIu64 ",\"epoch\":%" PRIu64 ",\"size_edges\":[",
			  IFSTAT_SCHEMA_VERSION, v->interval_ms, v->time_ms,
			  v->epoch);
	for (i = 0; i < v->nedges; i++)
		ifstat_buf_printf(b, "%s%u", i ? "," : "", v->edges[i]);
	ifstat_buf_add(b, "],\"interfaces\":[", 16);
	for (i = 0; i < v->nentries; i++) {
		if (i)
			ifstat_buf_add(b, ",", 1);
		entry_obj(b, v, &v->entries[i], only);
	}
	ifstat_buf_add(b, "]}\n", 3);
}

const struct ifstat_snapshot *ifstat_entry_snap(const struct ifstat_entry *e)
{
	static const struct ifstat_snapshot none;

	return e->snap ? e->snap : &none;
}

const struct ifstat_entry *ifstat_view_main(const struct ifstat_view *v)
{
	unsigned int i;

	for (i = 0; i < v->nentries; i++)
		if (!strcmp(v->entries[i].direction, "ingress"))
			return &v->entries[i];
	return v->nentries ? &v->entries[0] : NULL;
}
