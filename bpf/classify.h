/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The classifier's lookups (doc/internals.md): per-field tables of filter
 * bitmasks, ANDed. The work per frame is a fixed number of table reads
 * whatever the number of filters; only the tries' depth depends on the
 * prefixes and ranges configured.
 */
#ifndef IFSTAT_CLASSIFY_H
#define IFSTAT_CLASSIFY_H

#include "parse.h"

/*
 * The leaf a key leads to. The builder guarantees that every entry at the
 * key's last byte is a leaf, so the walk never needs more than width steps.
 */
static __always_inline const struct ifstat_trie_leaf *
walk(const struct ifstat_tables *t, int trie, const __u8 *key, int width)
{
	__u32 e = t->root[trie];
	int i;

#pragma unroll
	for (i = 0; i < width; i++) {
		/* No break: a loop that exits early is not unrolled. Past the
		 * leaf each step is one predictable branch. */
		if (!(e & IFSTAT_TRIE_LEAF))
			e = t->nodes[e & (IFSTAT_TRIE_NODES - 1)][key[i]];
	}
	return &t->leaves[e & (IFSTAT_TRIE_LEAVES - 1)];
}

/* Own field of each direction, and the either-direction one by OR. */
static __always_inline __u64 pair(const struct ifstat_trie_leaf *s,
				  const struct ifstat_trie_leaf *d)
{
	return s->own & d->own & (s->any | d->any);
}

/* m: the filters the frame's class allows; returns those that match. */
static __always_inline __u64 classify(const struct ifstat_tables *t,
				      const struct pkt *p, __u64 m)
{
	__u32 flags = p->flags;

	m &= t->proto[p->proto] & t->vlan[p->vid & 0x0fff];
	if (m && (flags & IFSTAT_P_PORTS))
		m &= pair(walk(t, IFSTAT_TRIE_SPORT, (const __u8 *)&p->sport,
			       2),
			  walk(t, IFSTAT_TRIE_DPORT, (const __u8 *)&p->dport,
			       2));
	if (!m)
		return 0;
	if (flags & IFSTAT_P_IPV4)
		m &= pair(walk(t, IFSTAT_TRIE_SADDR4,
			       (const __u8 *)p->saddr, 4),
			  walk(t, IFSTAT_TRIE_DADDR4,
			       (const __u8 *)p->daddr, 4));
	else if (flags & IFSTAT_P_IPV6)
		m &= pair(walk(t, IFSTAT_TRIE_SADDR6,
			       (const __u8 *)p->saddr, 16),
			  walk(t, IFSTAT_TRIE_DADDR6,
			       (const __u8 *)p->daddr, 16));
	return m;
}

#endif /* IFSTAT_CLASSIFY_H */
