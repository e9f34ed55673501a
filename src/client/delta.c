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

/* The entry of prev that cur->entries[e] continues, or NULL. */
static const struct ifstat_report_entry *
before(const struct ifstat_report *prev, const struct ifstat_report *cur,
       unsigned int e)
{
	return ifstat_report_entry(prev, cur->entries[e].interface,
				   cur->entries[e].direction);
}

void ifstat_delta_filter(const struct ifstat_report *prev,
			 const struct ifstat_report *cur, unsigned int e,
			 unsigned int i, struct ifstat_delta *d)
{
	const struct ifstat_report_filter *n = &cur->entries[e].filters[i];
	const struct ifstat_report_filter *o = NULL;
	const struct ifstat_report_entry *pe;
	unsigned int b, nbuckets = cur->nedges + 1;
	int j;

	memset(d, 0, sizeof(*d));
	if (!prev)
		return;
	pe = before(prev, cur, e);
	j = pe ? ifstat_report_find(pe, n->name) : -1;
	d->reset = prev->epoch != cur->epoch;
	if (j >= 0 && same_edges(prev, cur) &&
	    comparable(&pe->filters[j], n, nbuckets))
		o = &pe->filters[j];
	d->kind = o ? IFSTAT_DELTA_DIFF : IFSTAT_DELTA_FROM_ZERO;
	d->packets = n->packets - (o ? o->packets : 0);
	d->bytes = n->bytes - (o ? o->bytes : 0);
	for (b = 0; b < nbuckets; b++)
		d->sizes[b] = n->sizes[b] - (o ? o->sizes[b] : 0);
}

void ifstat_delta_totals(const struct ifstat_report *prev,
			 const struct ifstat_report *cur, unsigned int e,
			 struct ifstat_delta_totals *d)
{
	const struct ifstat_report_totals *n = &cur->entries[e].totals, *o;
	const struct ifstat_report_entry *pe;

	memset(d, 0, sizeof(*d));
	if (!prev)
		return;
	pe = before(prev, cur, e);
	d->reset = prev->epoch != cur->epoch;
	o = pe ? &pe->totals : NULL;
	if (!o || n->packets < o->packets || n->bytes < o->bytes ||
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
