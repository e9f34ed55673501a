// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "counters.h"

#include <string.h>

void ifstat_snapshot_sum(const void *percpu, unsigned int ncpus, size_t stride,
			 const struct ifstat_filter_set *set, uint64_t epoch,
			 struct ifstat_snapshot *out)
{
	unsigned int cpu, i, b;
	uint32_t n = set->count > IFSTAT_MAX_FILTERS ? IFSTAT_MAX_FILTERS
						     : set->count;

	memset(out, 0, sizeof(*out));
	out->epoch = epoch;
	out->nedges = set->nedges > IFSTAT_MAX_EDGES ? IFSTAT_MAX_EDGES
						     : set->nedges;
	memcpy(out->edges, set->edges, sizeof(out->edges));
	out->nfilters = n;
	for (i = 0; i < n; i++) {
		memcpy(out->filters[i].name, set->meta[i].name,
		       IFSTAT_NAME_MAX);
		out->filters[i].name[IFSTAT_NAME_MAX - 1] = '\0';
		out->filters[i].filter = set->filters[i];
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		const struct ifstat_counters *c =
			(const void *)((const char *)percpu + cpu * stride);

		if (c->totals.gen == set->totals_gen) {
			out->totals.packets += c->totals.packets;
			out->totals.bytes += c->totals.bytes;
			out->totals.unmatched += c->totals.unmatched;
			out->totals.non_ip += c->totals.non_ip;
			out->totals.malformed += c->totals.malformed;
		}
		for (i = 0; i < n; i++) {
			const struct ifstat_filter *f = &set->filters[i];
			const struct ifstat_slot *s =
				&c->slots[f->slot % IFSTAT_MAX_FILTERS];
			struct ifstat_filter_stats *fs = &out->filters[i];

			if (s->gen != f->gen)
				continue;
			fs->bytes += s->bytes;
			for (b = 0; b < IFSTAT_MAX_BUCKETS; b++) {
				/* The program keeps no packet count: every
				 * frame lands in exactly one bucket. */
				fs->packets += s->buckets[b];
				fs->buckets[b] += s->buckets[b];
			}
		}
	}
}

unsigned int ifstat_bucket_of(const uint32_t *edges, unsigned int nedges,
			      uint32_t len)
{
	unsigned int i;

	for (i = 0; i < nedges; i++)
		if (len <= edges[i])
			break;
	return i;
}
