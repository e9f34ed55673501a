// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "print.h"

#include <inttypes.h>

#include "filter.h"

/* Column titles follow the edges: "<=64", "65-127", ..., ">=1513". */
static void bucket_title(const struct ifstat_snapshot *s, unsigned int b,
			 char *buf, size_t len)
{
	if (b == 0)
		snprintf(buf, len, "<=%u", s->edges[0]);
	else if (b == s->nedges)
		snprintf(buf, len, ">=%u", s->edges[b - 1] + 1);
	else
		snprintf(buf, len, "%u-%u", s->edges[b - 1] + 1, s->edges[b]);
}

void ifstat_print_table(FILE *out, const struct ifstat_snapshot *s)
{
	char title[24], match[IFSTAT_FILTER_TEXT_MAX];
	unsigned int i, b;

	fprintf(out, "%-16s", "filter");
	for (b = 0; b <= s->nedges; b++) {
		bucket_title(s, b, title, sizeof(title));
		fprintf(out, " %10s", title);
	}
	fprintf(out, " %14s %12s  match\n", "bytes", "packets");
	for (i = 0; i < s->nfilters; i++) {
		const struct ifstat_filter_stats *f = &s->filters[i];

		fprintf(out, "%-16s", f->name);
		for (b = 0; b <= s->nedges; b++)
			fprintf(out, " %10" PRIu64, f->buckets[b]);
		if (ifstat_filter_format(&f->filter, match, sizeof(match)) < 0)
			match[0] = '\0';
		fprintf(out, " %14" PRIu64 " %12" PRIu64 "  %s\n", f->bytes,
			f->packets, match);
	}
	fprintf(out,
		"totals: packets %" PRIu64 " bytes %" PRIu64 " unmatched "
		"%" PRIu64 " non_ip %" PRIu64 " malformed %" PRIu64 "\n\n",
		s->totals.packets, s->totals.bytes, s->totals.unmatched,
		s->totals.non_ip, s->totals.malformed);
}
