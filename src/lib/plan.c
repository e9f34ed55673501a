// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "plan.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static const uint32_t default_edges[] = IFSTAT_DEFAULT_EDGES;

static int check_edges(const uint32_t *edges, unsigned int n)
{
	unsigned int i;

	if (n < 1 || n > IFSTAT_MAX_EDGES)
		return -EINVAL;
	for (i = 1; i < n; i++)
		if (edges[i] <= edges[i - 1])
			return -EINVAL;
	return 0;
}

/* What the program reads of the filter in slot s: its generation. */
static void publish_gens(struct ifstat_filter_set *set)
{
	unsigned int i;

	memset(set->gen, 0, sizeof(set->gen));
	for (i = 0; i < set->count && i < IFSTAT_MAX_FILTERS; i++)
		set->gen[set->filters[i].slot % IFSTAT_MAX_FILTERS] =
			set->filters[i].gen;
}

/* The filter of cur that filter def continues, or -1. */
static int continues(const struct ifstat_filter_set *cur,
		     const struct ifstat_filter_def *def, const bool *taken)
{
	unsigned int j;

	for (j = 0; j < cur->count && j < IFSTAT_MAX_FILTERS; j++)
		if (!taken[j] &&
		    !strncmp(cur->meta[j].name, def->name, IFSTAT_NAME_MAX) &&
		    ifstat_filter_same(&cur->filters[j], &def->filter))
			return (int)j;
	return -1;
}

int ifstat_plan_set(const struct ifstat_filter_set *cur,
		    const struct ifstat_filter_def *defs, unsigned int n,
		    const uint32_t *edges, unsigned int nedges,
		    uint64_t *next_gen, struct ifstat_filter_set *nxt)
{
	bool slot_used[IFSTAT_MAX_FILTERS] = { false };
	bool taken[IFSTAT_MAX_FILTERS] = { false };
	bool kept[IFSTAT_MAX_FILTERS] = { false };
	bool same_edges;
	unsigned int i, s = 0;
	int j;

	if (n > IFSTAT_MAX_FILTERS)
		return -E2BIG;
	if (!edges) {
		edges = cur->nedges ? cur->edges : default_edges;
		nedges = cur->nedges ? cur->nedges : IFSTAT_DEFAULT_NEDGES;
	}
	if (check_edges(edges, nedges))
		return -EINVAL;
	/* New edges restart every filter: old buckets mean other sizes. */
	same_edges = cur->nedges == nedges &&
		     !memcmp(cur->edges, edges, nedges * sizeof(*edges));

	nxt->count = n;
	nxt->nedges = nedges;
	memset(nxt->edges, 0, sizeof(nxt->edges));
	memcpy(nxt->edges, edges, nedges * sizeof(*edges));
	nxt->totals_gen = cur->totals_gen;
	memset(nxt->filters, 0, sizeof(nxt->filters));
	memset(nxt->meta, 0, sizeof(nxt->meta));
	for (i = 0; i < n; i++) {
		nxt->filters[i] = defs[i].filter;
		memcpy(nxt->meta[i].name, defs[i].name, IFSTAT_NAME_MAX);
		nxt->meta[i].name[IFSTAT_NAME_MAX - 1] = '\0';
		j = same_edges ? continues(cur, &defs[i], taken) : -1;
		if (j < 0)
			continue;
		taken[j] = kept[i] = true;
		nxt->filters[i].slot = cur->filters[j].slot;
		nxt->filters[i].gen = cur->filters[j].gen;
		slot_used[cur->filters[j].slot % IFSTAT_MAX_FILTERS] = true;
	}
	for (i = 0; i < n; i++) {
		if (kept[i])
			continue;
		while (slot_used[s])
			s++;
		slot_used[s] = true;
		nxt->filters[i].slot = s;
		nxt->filters[i].gen = (*next_gen)++;
	}
	publish_gens(nxt);
	return 0;
}

int ifstat_plan_reset(const struct ifstat_filter_set *cur, int index,
		      uint64_t *next_gen, struct ifstat_filter_set *nxt)
{
	unsigned int i;

	if (index < -1)
		return -EINVAL;
	if (index >= (int)cur->count)
		return -ENOENT;
	memcpy(nxt, cur, sizeof(*nxt));
	for (i = 0; i < cur->count; i++)
		if (index < 0 || (int)i == index)
			nxt->filters[i].gen = (*next_gen)++;
	publish_gens(nxt);
	if (index < 0)
		nxt->totals_gen = (*next_gen)++;
	return 0;
}
