// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reference classifier, written from doc/semantics.md alone. It favours
 * being obviously right over being fast: every length check is spelled out against the whole frame.
 */
#include "reference.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ETH_HDR 14
#define TAG_LEN 4
#define TPID_8021Q 0x8100
#define TPID_8021AD 0x88a8
#define ETYPE_IPV4 0x0800
#define ETYPE_IPV6 0x86dd
#define MAX_TAGS 2
#define MAX_EXT 6
#define IPV6_HDR 40

static uint16_t rd16(const uint8_t *b, size_t off)
{
	return (uint16_t)(b[off] << 8 | b[off + 1]);
}

static void want(struct ref_pkt *p, size_t upto)
{
	if (upto > p->reach)
		p->reach = (unsigned int)upto;
}

static void mark(struct ref_pkt *p, bool non_ip, const char *why)
{
	p->malformed = p->malformed || !non_ip;
	p->non_ip = p->non_ip || non_ip;
	if (!p->why)
		p->why = why;
}

/* Rule 6: ports only for TCP/UDP first fragments with 4 bytes of L4. */
static void parse_ports(const uint8_t *b, size_t len, struct ref_pkt *p)
{
	if (p->proto != 6 && p->proto != 17)
		return;
	if (p->nonfirst_frag)
		return;
	want(p, (size_t)p->l4_off + 4);
	if ((size_t)p->l4_off + 4 > len) {
		mark(p, false, "L4 header shorter than 4 bytes");
		return;
	}
	p->ports_known = true;
	p->sport = rd16(b, p->l4_off);
	p->dport = rd16(b, p->l4_off + 2);
}

static void parse_ipv4(const uint8_t *b, size_t len, size_t off,
		       struct ref_pkt *p)
{
	unsigned int ihl;

	want(p, off + 20);
	if (off + 1 > len) {
		mark(p, false, "no IPv4 header");
		return;
	}
	if (b[off] >> 4 != 4) {
		mark(p, false, "IPv4 EtherType, version not 4");
		return;
	}
	ihl = b[off] & 0x0f;
	want(p, off + ihl * 4);
	if (ihl < 5) {
		mark(p, false, "IPv4 IHL < 5");
		return;
	}
	if (off + ihl * 4 > len) {
		mark(p, false, "IPv4 header (IHL) beyond the frame");
		return;
	}
	p->family = 4;
	memcpy(p->src, b + off + 12, 4);
	memcpy(p->dst, b + off + 16, 4);
	p->proto = b[off + 9];
	p->proto_known = true;
	p->nonfirst_frag = (rd16(b, off + 6) & 0x1fff) != 0;
	p->l4_off = (unsigned int)(off + ihl * 4);
	parse_ports(b, len, p);
}

static bool is_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60 || nh == 51 || nh == 44;
}

static void parse_ipv6(const uint8_t *b, size_t len, size_t off,
		       struct ref_pkt *p)
{
	size_t pos = off + IPV6_HDR;
	uint8_t nh;

	want(p, pos);
	if (off + IPV6_HDR > len) {
		mark(p, false, "IPv6 header beyond the frame");
		return;
	}
	if (b[off] >> 4 != 6) {
		mark(p, false, "IPv6 EtherType, version not 6");
		return;
	}
	p->family = 6;
	memcpy(p->src, b + off + 8, 16);
	memcpy(p->dst, b + off + 24, 16);
	nh = b[off + 6];
	while (is_ext(nh)) {
		size_t hlen;

		if (p->next_ext == MAX_EXT) {
			mark(p, false, "more than 6 extension headers");
			return;
		}
		/* The length byte itself must be there to know the size. */
		want(p, pos + 2);
		if (pos + 2 > len) {
			mark(p, false, "extension header leaves the frame");
			return;
		}
		if (nh == 44)
			hlen = 8;
		else if (nh == 51)
			hlen = ((size_t)b[pos + 1] + 2) * 4;
		else
			hlen = ((size_t)b[pos + 1] + 1) * 8;
		want(p, pos + hlen);
		if (pos + hlen > len) {
			mark(p, false, "extension header leaves the frame");
			return;
		}
		p->next_ext++;
		if (nh == 44 && rd16(b, pos + 2) >> 3) {
			p->nonfirst_frag = true;
			nh = b[pos];
			pos += hlen;
			break;
		}
		nh = b[pos];
		pos += hlen;
	}
	p->proto = nh;
	p->proto_known = true;
	p->l4_off = (unsigned int)pos;
	parse_ports(b, len, p);
}

void ref_parse(const uint8_t *b, size_t len, struct ref_pkt *p)
{
	size_t off = ETH_HDR;
	uint16_t type;

	memset(p, 0, sizeof(*p));
	want(p, ETH_HDR);
	if (len < ETH_HDR) {
		mark(p, true, "shorter than Ethernet");
		p->malformed = true;
		return;
	}
	type = rd16(b, 12);
	while (type == TPID_8021Q || type == TPID_8021AD) {
		if (p->ntags == MAX_TAGS) {
			mark(p, true, "third VLAN tag");
			return;
		}
		want(p, off + TAG_LEN);
		if (off + TAG_LEN > len) {
			mark(p, true, "VLAN tag beyond the frame");
			p->malformed = true;
			return;
		}
		if (!p->ntags) {
			p->has_vid = true;
			p->vid = rd16(b, off) & 0x0fff;
		}
		type = rd16(b, off + 2);
		off += TAG_LEN;
		p->ntags++;
	}
	if (type == ETYPE_IPV4)
		parse_ipv4(b, len, off, p);
	else if (type == ETYPE_IPV6)
		parse_ipv6(b, len, off, p);
	else
		mark(p, true, "not IPv4/IPv6 EtherType");
}

static bool prefix_match(const struct ref_prefix *f, const uint8_t *a)
{
	unsigned int full = f->len / 8, rest = f->len % 8;

	if (memcmp(f->addr, a, full))
		return false;
	if (!rest)
		return true;
	return ((f->addr[full] ^ a[full]) & (0xff00 >> rest) & 0xff) == 0;
}

static bool in_range(const struct ref_range *r, uint16_t v)
{
	return v >= r->lo && v <= r->hi;
}

bool ref_match(const struct ref_filter *f, const struct ref_pkt *p)
{
	unsigned int fl = f->fields;

	if ((fl & REF_F_VLAN) && (!p->has_vid || p->vid != f->vlan))
		return false;
	if ((fl & REF_F_PROTO) && (!p->proto_known || p->proto != f->proto))
		return false;
	if (fl & (REF_F_SRC | REF_F_DST | REF_F_HOST)) {
		if (p->family != f->family)
			return false;
		if ((fl & REF_F_SRC) && !prefix_match(&f->src, p->src))
			return false;
		if ((fl & REF_F_DST) && !prefix_match(&f->dst, p->dst))
			return false;
		if ((fl & REF_F_HOST) && !prefix_match(&f->host, p->src) &&
		    !prefix_match(&f->host, p->dst))
			return false;
	}
	if (fl & (REF_F_SRC_PORT | REF_F_DST_PORT | REF_F_PORT)) {
		if (!p->ports_known)
			return false;
		if ((fl & REF_F_SRC_PORT) && !in_range(&f->src_port, p->sport))
			return false;
		if ((fl & REF_F_DST_PORT) && !in_range(&f->dst_port, p->dport))
			return false;
		if ((fl & REF_F_PORT) && !in_range(&f->port, p->sport) &&
		    !in_range(&f->port, p->dport))
			return false;
	}
	return true;
}

unsigned int ref_bucket(const uint32_t *edges, unsigned int nedges, size_t len)
{
	unsigned int i;

	for (i = 0; i < nedges; i++)
		if (len <= edges[i])
			return i;
	return nedges;
}

void ref_classify(const uint8_t *b, size_t len, const struct ref_filter *fs,
		  unsigned int nf, const uint32_t *edges, unsigned int nedges,
		  struct ref_result *r)
{
	unsigned int i;

	ref_parse(b, len, &r->pkt);
	r->match = 0;
	for (i = 0; i < nf && i < REF_MAX_FILTERS; i++)
		if (ref_match(&fs[i], &r->pkt))
			r->match |= 1ull << i;
	r->bucket = ref_bucket(edges, nedges, len);
}

static int put(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int put(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return -ENOSPC;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - *pos)
		return -ENOSPC;
	*pos += (size_t)n;
	return 0;
}

static int put_addr(char *buf, size_t len, size_t *pos, const char *word,
		    const struct ref_prefix *p, int family)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family == 6 ? AF_INET6 : AF_INET, p->addr, a, sizeof(a));
	if (p->len == (family == 6 ? 128u : 32u))
		return put(buf, len, pos, " %s %s", word, a);
	return put(buf, len, pos, " %s %s/%u", word, a, p->len);
}

static int put_range(char *buf, size_t len, size_t *pos, const char *word,
		     const struct ref_range *r)
{
	if (r->lo == r->hi)
		return put(buf, len, pos, " %s %u", word, r->lo);
	return put(buf, len, pos, " %s %u-%u", word, r->lo, r->hi);
}

int ref_filter_format(const struct ref_filter *f, char *buf, size_t len)
{
	static const char *const names[256] = {
		[1] = "icmp", [6] = "tcp", [17] = "udp", [58] = "icmpv6"
	};
	size_t pos = 0;
	int ret = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	/* Each piece starts with a space; the first one is skipped below. */
	if (f->fields & REF_F_PROTO)
		ret = names[f->proto]
			      ? put(buf, len, &pos, " %s", names[f->proto])
			      : put(buf, len, &pos, " proto %u", f->proto);
	if (!ret && (f->fields & REF_F_VLAN))
		ret = put(buf, len, &pos, " vlan %u", f->vlan);
	if (!ret && (f->fields & REF_F_SRC))
		ret = put_addr(buf, len, &pos, "src", &f->src, f->family);
	if (!ret && (f->fields & REF_F_DST))
		ret = put_addr(buf, len, &pos, "dst", &f->dst, f->family);
	if (!ret && (f->fields & REF_F_HOST))
		ret = put_addr(buf, len, &pos, "host", &f->host, f->family);
	if (!ret && (f->fields & REF_F_SRC_PORT))
		ret = put_range(buf, len, &pos, "src port", &f->src_port);
	if (!ret && (f->fields & REF_F_DST_PORT))
		ret = put_range(buf, len, &pos, "dst port", &f->dst_port);
	if (!ret && (f->fields & REF_F_PORT))
		ret = put_range(buf, len, &pos, "port", &f->port);
	if (!ret && !pos)
		ret = put(buf, len, &pos, " any");
	if (ret)
		return ret;
	memmove(buf, buf + 1, pos);
	return (int)pos - 1;
}

void ref_pkt_describe(const struct ref_pkt *p, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN] = "-", d[INET6_ADDRSTRLEN] = "-";
	size_t pos = 0;

	if (p->family) {
		inet_ntop(p->family == 6 ? AF_INET6 : AF_INET, p->src, s,
			  sizeof(s));
		inet_ntop(p->family == 6 ? AF_INET6 : AF_INET, p->dst, d,
			  sizeof(d));
	}
	put(buf, len, &pos, "tags=%u vid=", p->ntags);
	if (p->has_vid)
		put(buf, len, &pos, "%u", p->vid);
	else
		put(buf, len, &pos, "-");
	put(buf, len, &pos, " family=%d src=%s dst=%s ext=%u proto=", p->family,
	    s, d, p->next_ext);
	if (p->proto_known)
		put(buf, len, &pos, "%u", p->proto);
	else
		put(buf, len, &pos, "-");
	put(buf, len, &pos, "%s l4_off=%u ports=",
	    p->nonfirst_frag ? " (non-first fragment)" : "", p->l4_off);
	if (p->ports_known)
		put(buf, len, &pos, "%u>%u", p->sport, p->dport);
	else
		put(buf, len, &pos, "-");
	put(buf, len, &pos, "%s%s%s%s", p->non_ip ? " non_ip" : "",
	    p->malformed ? " malformed" : "", p->why ? ": " : "",
	    p->why ? p->why : "");
}
