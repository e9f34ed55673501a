/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The classifier's lookups (doc/internals.md): per-field tables of filter
 * bitmasks, ANDed. The work per frame is a fixed number of table reads
 * whatever the number of filters; only an address trie's depth depends on
 * the prefixes configured (one step per byte past the 16th bit at which
 * prefixes covering the address part ways).
 */
#ifndef IFSTAT_CLASSIFY_H
#define IFSTAT_CLASSIFY_H

#include "parse.h"

/*
 * One node: index the key byte the entry names, unless the bytes the path
 * skipped differ from the node's (then the walk ends at its miss leaf).
 * Written out, not looped: straight code the CPU runs ahead in.
 */
#define STEP()                                                                 \
	do {                                                                   \
		const struct ifstat_trie_node *n;                              \
		__u32 d, next;                                                 \
                                                                               \
		if (e & IFSTAT_TRIE_LEAF)                                      \
			goto done;                                             \
		n = &t->nodes[e & (IFSTAT_TRIE_NODES - 1)];                    \
		d = (e >> IFSTAT_TRIE_DEPTH_SHIFT) & 15;                       \
		next = n->e[((d & 8 ? k1 : k0) >> (56 - ((d & 7) << 3))) &     \
			    0xff];                                             \
		if (((k0 & n->mask[0]) ^ n->val[0]) |                          \
		    ((k1 & n->mask[1]) ^ n->val[1]))                           \
			next = n->miss;                                        \
		e = next;                                                      \
	} while (0)

static __always_inline const struct ifstat_trie_leaf *
leaf(const struct ifstat_tables *t, __u32 e)
{
	return &t->leaves[e & (IFSTAT_TRIE_LEAVES - 1)];
}

/* A port: its 16 bits are the first level, a leaf at once. */
static __always_inline const struct ifstat_trie_leaf *
port_leaf(const struct ifstat_tables *t, int trie, __u16 port_be)
{
	return leaf(t, t->root[trie][bpf_ntohs(port_be)]);
}

/* The builder guarantees a leaf at the key's last byte at the latest. */
static __always_inline const struct ifstat_trie_leaf *
walk4(const struct ifstat_tables *t, int trie, __u32 addr_be)
{
	__u64 k0 = (__u64)bpf_ntohl(addr_be) << 32, k1 = 0;
	__u32 e = t->root[trie][k0 >> 48];

	STEP();
	STEP();
done:
	return leaf(t, e);
}

static __always_inline const struct ifstat_trie_leaf *
walk16(const struct ifstat_tables *t, int trie, const __u32 *a)
{
	__u64 k0 = (__u64)bpf_ntohl(a[0]) << 32 | bpf_ntohl(a[1]);
	__u64 k1 = (__u64)bpf_ntohl(a[2]) << 32 | bpf_ntohl(a[3]);
	__u32 e = t->root[trie][k0 >> 48];

	/* Each node takes at least one of bytes 2-15: 14 at most. */
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
	STEP();
done:
	return leaf(t, e);
}

/* Own field of each direction, and the either-direction one by OR. */
static __always_inline __u64 pair(const struct ifstat_trie_leaf *s,
				  const struct ifstat_trie_leaf *d)
{
	return s->own & d->own & (s->any | d->any);
}

#define USED(t) (tries & (1u << (t)))
#define USED2(a, b) (tries & ((1u << (a)) | (1u << (b))))

/*
 * m: the filters the frame's class allows; returns those that match. A
 * trie no filter uses is not walked: its leaf would be all ones.
 */
static __always_inline __u64 classify(const struct ifstat_tables *t,
				      const struct pkt *p, __u64 m)
{
	const struct ifstat_trie_leaf *ls = &t->ones, *ld = &t->ones;
	__u32 flags = p->flags, tries = t->tries;

	m &= t->proto[p->proto] & t->vlan[p->vid & 0x0fff];
	/* A port is the whole key of its first level: a leaf at once. */
	if ((flags & IFSTAT_P_PORTS) &&
	    USED2(IFSTAT_TRIE_SPORT, IFSTAT_TRIE_DPORT)) {
		if (USED(IFSTAT_TRIE_SPORT))
			ls = port_leaf(t, IFSTAT_TRIE_SPORT, p->sport);
		if (USED(IFSTAT_TRIE_DPORT))
			ld = port_leaf(t, IFSTAT_TRIE_DPORT, p->dport);
		m &= pair(ls, ld);
	}
	if (!m)
		return 0;
	ls = ld = &t->ones;
	if ((flags & IFSTAT_P_IPV4) &&
	    USED2(IFSTAT_TRIE_SADDR4, IFSTAT_TRIE_DADDR4)) {
		if (USED(IFSTAT_TRIE_SADDR4))
			ls = walk4(t, IFSTAT_TRIE_SADDR4, p->saddr[0]);
		if (USED(IFSTAT_TRIE_DADDR4))
			ld = walk4(t, IFSTAT_TRIE_DADDR4, p->daddr[0]);
		m &= pair(ls, ld);
	} else if ((flags & IFSTAT_P_IPV6) &&
		   USED2(IFSTAT_TRIE_SADDR6, IFSTAT_TRIE_DADDR6)) {
		if (USED(IFSTAT_TRIE_SADDR6))
			ls = walk16(t, IFSTAT_TRIE_SADDR6, p->saddr);
		if (USED(IFSTAT_TRIE_DADDR6))
			ld = walk16(t, IFSTAT_TRIE_DADDR6, p->daddr);
		m &= pair(ls, ld);
	}
	return m;
}

#endif /* IFSTAT_CLASSIFY_H */
