/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Filter matching (doc/semantics.md, rules 4 and 7). */
#ifndef IFSTAT_MATCH_H
#define IFSTAT_MATCH_H

#include "parse.h"

/*
 * Frame fields are read afresh for every filter. Kept in registers across
 * the loop, the verifier would carry what one filter's compare taught it
 * about them into the next iteration, and paths that differ only in that
 * would never merge.
 */
#define PKT(field) (*(volatile __typeof__(field) *)&(field))

static __always_inline int prefix_match(const struct ifstat_prefix *pf,
					const __u32 *a, __u8 family)
{
	if ((PKT(a[0]) & pf->mask[0]) != pf->addr[0])
		return 0;
	if (family != 6)
		return 1;
	return (PKT(a[1]) & pf->mask[1]) == pf->addr[1] &&
	       (PKT(a[2]) & pf->mask[2]) == pf->addr[2] &&
	       (PKT(a[3]) & pf->mask[3]) == pf->addr[3];
}

/* One compare per range: lo <= port <= lo + span. */
static __always_inline int port_in(const struct ifstat_ports *r, __u16 port)
{
	return (__u16)(port - r->lo) <= r->span;
}

static __always_inline int filter_match(const struct ifstat_filter *f,
					const struct pkt *p)
{
	__u32 fields = f->fields;

	/* Cheap pre-check: VLAN, family, known protocol, known ports. */
	if ((PKT(p->flags) & f->need) != f->need)
		return 0;
	if (!fields)
		return 1;
	if ((fields & IFSTAT_F_VLAN) && PKT(p->vid) != f->vlan)
		return 0;
	if ((fields & IFSTAT_F_PROTO) && PKT(p->proto) != f->proto)
		return 0;
	if (fields & IFSTAT_F_ADDRS) {
		if ((fields & IFSTAT_F_SRC) &&
		    !prefix_match(&f->src, p->saddr, f->family))
			return 0;
		if ((fields & IFSTAT_F_DST) &&
		    !prefix_match(&f->dst, p->daddr, f->family))
			return 0;
		if ((fields & IFSTAT_F_HOST) &&
		    !prefix_match(&f->host, p->saddr, f->family) &&
		    !prefix_match(&f->host, p->daddr, f->family))
			return 0;
	}
	if (fields & IFSTAT_F_PORTS) {
		if ((fields & IFSTAT_F_SRC_PORT) &&
		    !port_in(&f->src_port, PKT(p->sport)))
			return 0;
		if ((fields & IFSTAT_F_DST_PORT) &&
		    !port_in(&f->dst_port, PKT(p->dport)))
			return 0;
		if ((fields & IFSTAT_F_PORT) &&
		    !port_in(&f->port, PKT(p->sport)) &&
		    !port_in(&f->port, PKT(p->dport)))
			return 0;
	}
	return 1;
}

#endif /* IFSTAT_MATCH_H */
