/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The classifier's lookups (doc/internals.md): per-field tables of filter
 * bitmasks, ANDed. The work per frame is a fixed number of table reads
 * whatever the number of filters; only an address trie's depth depends on
 * the prefixes configured (one step per byte past the 16th bit of the
 * longest prefix that covers the address).
 */
#ifndef IFSTAT_CLASSIFY_H
#define IFSTAT_CLASSIFY_H

#include "parse.h"

/* Written out, not looped: straight code the CPU runs ahead in. */
#define STEP(k)                                                                \
	do {                                                                   \
		if (!(e & IFSTAT_TRIE_LEAF))                                   \
			e = t->nodes[e & (IFSTAT_TRIE_NODES - 1)][key[k]];     \
	} while (0)

static __always_inline __u32 first16(const struct ifstat_tables *t, int trie,
				     const __u8 *key)
{
	return t->root[trie][((__u32)key[0] << 8) | key[1]];
}

static __always_inline const struct ifstat_trie_leaf *
leaf(const struct ifstat_tables *t, __u32 e)
{
	return &t->leaves[e & (IFSTAT_TRIE_LEAVES - 1)];
}

/* The builder guarantees a leaf at the key's last byte at the latest. */
static __always_inline const struct ifstat_trie_leaf *
walk4(const struct ifstat_tables *t, int trie, const __u8 *key)
{
	__u32 e = first16(t, trie, key);

	STEP(2);
	STEP(3);
	return leaf(t, e);
}

static __always_inline const struct ifstat_trie_leaf *
walk16(const struct ifstat_tables *t, int trie, const __u8 *key)
{
	__u32 e = first16(t, trie, key);

	STEP(2);
	STEP(3);
	STEP(4);
	STEP(5);
	STEP(6);
	STEP(7);
	STEP(8);
	STEP(9);
	STEP(10);
	STEP(11);
	STEP(12);
	STEP(13);
	STEP(14);
	STEP(15);
	return leaf(t, e);
}

/* Own field of each direction, and the either-direction one by OR. */
static __always_inline __u64 pair(const struct ifstat_trie_leaf *s,
				  const struct ifstat_trie_leaf *d)
{
	return s->own & d->own & (s->any | d->any);
}

#define TRIES(a, b) ((1u << (a)) | (1u << (b)))

/* m: the filters the frame's class allows; returns those that match. */
static __always_inline __u64 classify(const struct ifstat_tables *t,
				      const struct pkt *p, __u64 m)
{
	__u32 flags = p->flags, tries = t->tries;

	m &= t->proto[p->proto] & t->vlan[p->vid & 0x0fff];
	/* A port is the whole key of its first level: a leaf at once. */
	if ((flags & IFSTAT_P_PORTS) &&
	    (tries & TRIES(IFSTAT_TRIE_SPORT, IFSTAT_TRIE_DPORT)))
		m &= pair(leaf(t, first16(t, IFSTAT_TRIE_SPORT,
					  (const __u8 *)&p->sport)),
			  leaf(t, first16(t, IFSTAT_TRIE_DPORT,
					  (const __u8 *)&p->dport)));
	if (!m)
		return 0;
	if ((flags & IFSTAT_P_IPV4) &&
	    (tries & TRIES(IFSTAT_TRIE_SADDR4, IFSTAT_TRIE_DADDR4)))
		m &= pair(walk4(t, IFSTAT_TRIE_SADDR4, (const __u8 *)p->saddr),
			  walk4(t, IFSTAT_TRIE_DADDR4, (const __u8 *)p->daddr));
	else if ((flags & IFSTAT_P_IPV6) &&
		 (tries & TRIES(IFSTAT_TRIE_SADDR6, IFSTAT_TRIE_DADDR6)))
		m &= pair(walk16(t, IFSTAT_TRIE_SADDR6, (const __u8 *)p->saddr),
			  walk16(t, IFSTAT_TRIE_DADDR6,
				 (const __u8 *)p->daddr));
	return m;
}

#endif /* IFSTAT_CLASSIFY_H */
