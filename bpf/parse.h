/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Bounded header parsers. Every header is reached through hdr_ptr(), which
 * reads from the first buffer when the header lies there and otherwise
 * copies it out of the frame's fragments, so a multi-buffer frame is parsed
 * exactly like a linear one and "inside the frame" always means inside the
 * whole frame of length L (doc/semantics.md, rules 5 and 6).
 *
 * The same parser serves the XDP program and the tc programs: every
 * function takes the program's context and skb, a constant (0: struct
 * xdp_md, 1: struct __sk_buff) that the compiler folds away, so each
 * program gets straight code for its own context.
 */
#ifndef IFSTAT_PARSE_H
#define IFSTAT_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "ifstat_abi.h"

/* No header can start beyond this: 2 tags, IPv6 and 6 extension headers of
 * at most 2048 bytes each end before 12400. The bound lets the verifier
 * accept variable packet offsets. */
#define IFSTAT_MAX_OFF 0x3fff

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_AH_ 51
#define IPPROTO_DSTOPTS_ 60

/*
 * What the parser learnt: the frame class (flags) and the field values the
 * classifier looks up. On the stack, written field by field: no memset.
 */
struct pkt {
	__u32 flags; /* IFSTAT_P_* */
	__u16 vid;
	__u8 proto;
	__u8 non_ip;
	__u8 malformed;
	__u8 tags; /* tc only: VLAN tags in the data, a cut one too */
	__u16 sport; /* network byte order: trie keys, most significant first */
	__u16 dport;
	__u16 l4off; /* tc only: where the transport header starts */
	__u32 saddr[4]; /* network byte order; IPv4 in [0] */
	__u32 daddr[4];
};

/* A scratch buffer big enough for the largest fixed header read. */
union hdr_buf {
	struct ethhdr eth;
	struct iphdr ip;
	struct ipv6hdr ip6;
	__u8 raw[40];
};

static __always_inline void *pkt_data(void *ctx, const int skb)
{
	if (skb)
		return (void *)(long)((struct __sk_buff *)ctx)->data;
	return (void *)(long)((struct xdp_md *)ctx)->data;
}

static __always_inline void *pkt_end(void *ctx, const int skb)
{
	if (skb)
		return (void *)(long)((struct __sk_buff *)ctx)->data_end;
	return (void *)(long)((struct xdp_md *)ctx)->data_end;
}

static __always_inline void *hdr_ptr(void *ctx, const int skb, __u32 off,
				     void *buf, __u32 n)
{
	void *data = pkt_data(ctx, skb);
	void *end = pkt_end(ctx, skb);
	long ret;

	if (off > IFSTAT_MAX_OFF)
		return NULL;
	if (data + off + n <= end)
		return data + off;
	/* Rare: the header continues in a fragment (or is not there). */
	if (skb)
		ret = bpf_skb_load_bytes(ctx, off, buf, n);
	else
		ret = bpf_xdp_load_bytes(ctx, off, buf, n);
	return ret ? NULL : buf;
}

static __always_inline void parse_ports(void *ctx, const int skb, struct pkt *p,
					__u32 off, union hdr_buf *buf)
{
	__u16 *ports;

	if (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP)
		return;
	ports = hdr_ptr(ctx, skb, off, buf, 4);
	if (!ports) {
		p->malformed = 1;
		return;
	}
	p->sport = ports[0];
	p->dport = ports[1];
	p->flags |= IFSTAT_P_PORTS;
	if (skb)
		p->l4off = off;
}

static __always_inline void parse_ipv4(void *ctx, const int skb, struct pkt *p,
				       __u32 off, __u32 len, union hdr_buf *buf)
{
	struct iphdr *ip;
	__u32 hlen;

	ip = hdr_ptr(ctx, skb, off, buf, sizeof(*ip));
	if (!ip || ip->version != 4 || ip->ihl < 5) {
		p->malformed = 1;
		return;
	}
	hlen = ip->ihl * 4;
	if (off + hlen > len) {
		p->malformed = 1;
		return;
	}
	p->flags |= IFSTAT_P_IPV4 | IFSTAT_P_PROTO;
	p->saddr[0] = ip->saddr;
	p->daddr[0] = ip->daddr;
	p->proto = ip->protocol;
	if (ip->frag_off & bpf_htons(0x1fff))
		return; /* non-first fragment: no ports */
	parse_ports(ctx, skb, p, off + hlen, buf);
}

static __always_inline int is_ext_hdr(__u8 nh)
{
	return nh == IPPROTO_HOPOPTS_ || nh == IPPROTO_ROUTING_ ||
	       nh == IPPROTO_DSTOPTS_ || nh == IPPROTO_AH_ ||
	       nh == IPPROTO_FRAGMENT_;
}

static __always_inline void parse_ipv6(void *ctx, const int skb, struct pkt *p,
				       __u32 off, __u32 len, union hdr_buf *buf)
{
	struct ipv6hdr *ip6;
	__u8 nh;
	int i;

	ip6 = hdr_ptr(ctx, skb, off, buf, sizeof(*ip6));
	if (!ip6 || ip6->version != 6) {
		p->malformed = 1;
		return;
	}
	p->flags |= IFSTAT_P_IPV6;
	__builtin_memcpy(p->saddr, &ip6->saddr, 16);
	__builtin_memcpy(p->daddr, &ip6->daddr, 16);
	nh = ip6->nexthdr;
	off += sizeof(*ip6);

	for (i = 0; i < IFSTAT_MAX_EXT_HDRS; i++) {
		__u8 *eh;
		__u32 hlen;

		if (!is_ext_hdr(nh))
			break;
		eh = hdr_ptr(ctx, skb, off, buf, 4);
		if (!eh)
			goto unknown;
		if (nh == IPPROTO_FRAGMENT_)
			hlen = 8;
		else if (nh == IPPROTO_AH_)
			hlen = ((__u32)eh[1] + 2) * 4;
		else
			hlen = ((__u32)eh[1] + 1) * 8;
		if (off + hlen > len || off + hlen > IFSTAT_MAX_OFF)
			goto unknown;
		if (nh == IPPROTO_FRAGMENT_ && (eh[2] || (eh[3] & 0xf8))) {
			/* Non-first fragment: its next header is the
			 * protocol, the rest of the chain is elsewhere. */
			p->proto = eh[0];
			p->flags |= IFSTAT_P_PROTO;
			return;
		}
		nh = eh[0];
		off += hlen;
	}
	if (is_ext_hdr(nh))
		goto unknown; /* a seventh extension header */
	p->proto = nh;
	p->flags |= IFSTAT_P_PROTO;
	parse_ports(ctx, skb, p, off, buf);
	return;
unknown:
	p->malformed = 1;
}

/* Bytes the common frames need in the first buffer: Ethernet, IPv6 and
 * the ports. */
#define COMMON_LEN (sizeof(struct ethhdr) + sizeof(struct ipv6hdr) + 4)

/*
 * The frames most links carry (untagged IPv4 without options, IPv6
 * without extension headers), parsed with one bounds check: 1 when done,
 * 0 (nothing written) to take the general path.
 */
static __always_inline int parse_common(void *ctx, const int skb, struct pkt *p)
{
	void *data = pkt_data(ctx, skb);
	void *end = pkt_end(ctx, skb);
	struct ethhdr *eth = data;
	__u16 *ports;
	__u8 proto;

	if (data + COMMON_LEN > end)
		return 0;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if (ip->version != 4 || ip->ihl != 5)
			return 0;
		proto = ip->protocol;
		p->flags = IFSTAT_P_IPV4 | IFSTAT_P_PROTO;
		p->saddr[0] = ip->saddr;
		p->daddr[0] = ip->daddr;
		p->proto = proto;
		if (ip->frag_off & bpf_htons(0x1fff))
			return 1; /* non-first fragment: no ports */
		ports = (void *)(ip + 1);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		proto = ip6->nexthdr;
		if (ip6->version != 6 || is_ext_hdr(proto))
			return 0;
		p->flags = IFSTAT_P_IPV6 | IFSTAT_P_PROTO;
		__builtin_memcpy(p->saddr, &ip6->saddr, 16);
		__builtin_memcpy(p->daddr, &ip6->daddr, 16);
		p->proto = proto;
		ports = (void *)(ip6 + 1);
	} else {
		return 0;
	}
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		p->sport = ports[0];
		p->dport = ports[1];
		p->flags |= IFSTAT_P_PORTS;
		if (skb)
			p->l4off = (__u16)((void *)ports - data);
	}
	return 1;
}

/* Fills *p from the frame; len is the whole frame's length L. */
static __always_inline void parse_frame(void *ctx, const int skb, struct pkt *p,
					__u32 len)
{
	union hdr_buf buf;
	struct ethhdr *eth;
	__u16 type;
	__u32 off = sizeof(*eth);
	int i;

	p->flags = 0;
	p->vid = 0;
	p->proto = 0;
	p->non_ip = 0;
	p->malformed = 0;
	if (skb) {
		p->l4off = 0;
		p->tags = 0;
	}
	if (parse_common(ctx, skb, p))
		return;

	eth = hdr_ptr(ctx, skb, 0, &buf, sizeof(*eth));
	if (!eth) {
		/* No EtherType to call it IP: non-IP, and truncated. */
		p->non_ip = 1;
		p->malformed = 1;
		return;
	}
	type = eth->h_proto;
	for (i = 0; i < IFSTAT_MAX_VLAN_TAGS; i++) {
		__u16 *tag;

		if (type != bpf_htons(ETH_P_8021Q) &&
		    type != bpf_htons(ETH_P_8021AD))
			break;
		/* Its TPID is enough: behind a tag in the metadata a second
		 * one, cut or not, is the wire's third (outer_tag). */
		if (skb)
			p->tags = i + 1;
		tag = hdr_ptr(ctx, skb, off, &buf, 4);
		if (!tag) {
			p->non_ip = 1;
			p->malformed = 1;
			return;
		}
		if (i == 0) {
			p->flags |= IFSTAT_P_VLAN;
			p->vid = bpf_ntohs(tag[0]) & 0x0fff;
		}
		type = tag[1];
		off += 4;
	}
	if (type == bpf_htons(ETH_P_IP))
		parse_ipv4(ctx, skb, p, off, len, &buf);
	else if (type == bpf_htons(ETH_P_IPV6))
		parse_ipv6(ctx, skb, p, off, len, &buf);
	else
		p->non_ip = 1;
}

/*
 * tc on an interface without a link-layer header (WireGuard, PPP, tun):
 * the packet starts with its IP header, and the skb's protocol says
 * which. No VLAN tag is possible.
 */
static __always_inline void parse_l3(struct __sk_buff *skb, struct pkt *p,
				     __u32 len)
{
	union hdr_buf buf;

	p->flags = 0;
	p->vid = 0;
	p->proto = 0;
	p->non_ip = 0;
	p->malformed = 0;
	p->l4off = 0;
	p->tags = 0;
	if (skb->protocol == bpf_htons(ETH_P_IP))
		parse_ipv4(skb, 1, p, 0, len, &buf);
	else if (skb->protocol == bpf_htons(ETH_P_IPV6))
		parse_ipv6(skb, 1, p, 0, len, &buf);
	else
		p->non_ip = 1;
}

/*
 * tc: the outermost VLAN tag may be in the skb's metadata (taken out of
 * the data by the driver or, at ingress, by the kernel). It is the
 * frame's first tag on the wire: its VID is the frame's, and the tags in
 * the data come after it. With two of them the frame has three, one
 * more than is parsed: not IP, as the XDP program finds such a frame,
 * and not malformed when the third is cut, since XDP does not read it.
 */
static __always_inline void outer_tag(struct pkt *p, __u32 tci)
{
	if (p->tags >= IFSTAT_MAX_VLAN_TAGS) {
		p->flags = 0;
		p->proto = 0;
		p->non_ip = 1;
		p->malformed = 0;
	}
	p->flags |= IFSTAT_P_VLAN;
	p->vid = tci & 0x0fff;
}

#endif /* IFSTAT_PARSE_H */
