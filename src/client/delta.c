// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "delta.h"

#include <string.h>

static bool same_edges(const struct ifstat_report *a,
		       const struct ifstat_report *b)
{
	return a->nedges == b->nedges &&
	       !memcmp(a->edges, b->edges, a->nedges * sizeof(a->edges[0]));
}

static bool comparable(const struct ifstat_report_filter *o,
		       const struct ifstat_report_filter *n,
		       unsigned int nbuckets)
{
	unsigned int b;

	if (strcmp(o->match, n->match) || n->packets < o->packets ||
	    n->bytes < o->bytes)
		return false;
	for (b = 0; b < nbuckets; b++)
		if (n->sizes[b] < o->sizes[b])
			return false;
	return true;
}

void ifstat_delta_filter(const struct ifstat_report *prev,
			 const struct ifstat_report *cur, unsigned int i,
			 struct ifstat_delta *d)
{
	const struct ifstat_report_filter *n = &cur->filters[i], *o = NULL;
	unsigned int b, nbuckets = cur->nedges + 1;
	int j;

	memset(d, 0, sizeof(*d));
	if (!prev)
		return;
	j = ifstat_report_find(prev, n->name);
	d->reset = prev->epoch != cur->epoch;
	if (j >= 0 && same_edges(prev, cur) &&
	    comparable(&prev->filters[j], n, nbuckets))
		o = &prev->filters[j];
	d->kind = o ? IFSTAT_DELTA_DIFF : IFSTAT_DELTA_FROM_ZERO;
	d->packets = n->packets - (o ? o->packets : 0);
	d->bytes = n->bytes - (o ? o->bytes : 0);
	for (b = 0; b < nbuckets; b++)
		d->sizes[b] = n->sizes[b] - (o ? o->sizes[b] : 0);
}

void ifstat_delta_totals(const struct ifstat_report *prev,
			 const struct ifstat_report *cur,
			 struct ifstat_delta_totals *d)
{
	const struct ifstat_report_totals *n = &cur->totals, *o;

	memset(d, 0, sizeof(*d));
	if (!prev)
		return;
	o = &prev->totals;
	d->reset = prev->epoch != cur->epoch;
	if (n->packets < o->packets || n->bytes < o->bytes ||
	    n->unmatched < o->unmatched || n->non_ip < o->non_ip ||
	    n->malformed < o->malformed) {
		d->kind = IFSTAT_DELTA_FROM_ZERO;
		d->t = *n;
		return;
	}
	d->kind = IFSTAT_DELTA_DIFF;
	d->t.packets = n->packets - o->packets;
	d->t.bytes = n->bytes - o->bytes;
	d->t.unmatched = n->unmatched - o->unmatched;
	d->t.non_ip = n->non_ip - o->non_ip;
	d->t.malformed = n->malformed - o->malformed;
}

double ifstat_delta_seconds(const struct ifstat_report *prev,
			    const struct ifstat_report *cur)
{
	if (!prev || cur->time_ms <= prev->time_ms)
		return 0;
	return (double)(cur->time_ms - prev->time_ms) / 1000.0;
}
