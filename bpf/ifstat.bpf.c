// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ifstat's programs: parse once, classify with per-field tables of
 * filter bitmasks, count the matched filters into one per-CPU value. The
 * XDP program counts ingress; the tc programs count ingress where XDP is
 * not used, and egress. They always let the frame pass: ifstat observes,
 * it never drops.
 */
#include "classify.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * All counters of a CPU and direction in one value (key: enum
 * ifstat_dir), so a packet costs one map lookup however many filters
 * match it. One map per interface.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IFSTAT_NDIRS);
	__type(key, __u32);
	__type(value, struct ifstat_counters);
} counters SEC(".maps");

/*
 * Filters' tables and bucket edges: a global, read without a map lookup.
 * User space creates this map and fills it. In .bss, the object carries
 * no image of its 2 MB (libbpf 1.1 knows no .bss.* sections, so this is
 * the program's only zero-initialised global).
 */
struct ifstat_conf conf;

/*
 * Set by user space before the load of a tc program for an interface
 * without a link-layer header (ifstat_link_object): the verifier then
 * sees a constant and keeps one of the two parsers.
 */
const volatile __u32 l3_dev = 0;

/* Index of the lowest set bit (BPF has no count-trailing-zeros). */
static const __u8 debruijn[64] = {
	0,  1,	48, 2,	57, 49, 28, 3,	61, 58, 50, 42, 38, 29, 17, 4,
	62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
	63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
	46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,	13, 8,	7,  6,
};

static __always_inline __u32 lowest_bit(__u64 m)
{
	return debruijn[((m & -m) * 0x03f79d71b4cb0a89ull) >> 58];
}

static __always_inline __u32 size_bucket(const struct ifstat_filter_set *set,
					 __u32 len)
{
	__u32 n, i;

	if (len < IFSTAT_LEN_TABLE)
		return set->t.bucket[len];
	/* Jumbo multi-buffer frames: past the table, walk the edges. */
	n = set->nedges;
	for (i = 0; i < IFSTAT_MAX_EDGES; i++) {
		if (i >= n || len <= set->edges[i])
			break;
	}
	return i;
}

/* Counts one frame of len bytes (bucket) into every matched filter m. */
static __always_inline void count(struct ifstat_counters *c,
				  const struct ifstat_filter_set *set, __u64 m,
				  __u64 len, __u32 bucket)
{
	int k;

	for (k = 0; k < IFSTAT_MAX_FILTERS; k++) {
		struct ifstat_slot *s;
		__u32 i;
		__u64 gen;

		if (!m)
			break;
		/* A filter's bit is its slot. */
		i = lowest_bit(m) & (IFSTAT_MAX_FILTERS - 1);
		m &= m - 1;
		s = &c->slots[i];
		gen = set->gen[i];
		if (s->gen != gen) {
			/* First frame on this CPU since the slot was
			 * (re)assigned: its old counts are another
			 * filter's. */
			__builtin_memset(s, 0, sizeof(*s));
			s->gen = gen;
		}
		s->bytes += len;
		s->buckets[bucket & (IFSTAT_MAX_BUCKETS - 1)]++;
	}
}

/*
 * The other frames of a GSO packet (doc/semantics.md: a GSO packet),
 * after count() counted its last frame and all its bytes: n more frames
 * in bucket. The slots are current: count() just saw to that.
 */
static __always_inline void count_more(struct ifstat_counters *c, __u64 m,
				       __u32 n, __u32 bucket)
{
	int k;

	for (k = 0; k < IFSTAT_MAX_FILTERS; k++) {
		__u32 i;

		if (!m)
			break;
		i = lowest_bit(m) & (IFSTAT_MAX_FILTERS - 1);
		m &= m - 1;
		c->slots[i].buckets[bucket & (IFSTAT_MAX_BUCKETS - 1)] += n;
	}
}

static __always_inline void count_totals(struct ifstat_counters *c,
					 const struct ifstat_filter_set *set,
					 const struct pkt *p, __u64 m,
					 __u64 frames, __u64 bytes)
{
	struct ifstat_totals *t = &c->totals;

	if (t->gen != set->totals_gen) {
		__builtin_memset(t, 0, sizeof(*t));
		t->gen = set->totals_gen;
	}
	t->packets += frames;
	t->bytes += bytes;
	t->unmatched += frames * !m;
	t->non_ip += p->non_ip;
	t->malformed += p->malformed;
}

static __always_inline const struct ifstat_filter_set *active_set(void)
{
	return &conf.sets[*(volatile __u32 *)&conf.active & 1];
}

SEC("xdp.frags")
int ifstat_xdp(struct xdp_md *ctx)
{
	const struct ifstat_filter_set *set;
	struct ifstat_counters *c;
	struct pkt p;
	__u32 key = IFSTAT_DIR_INGRESS, len;
	__u64 m;

	c = bpf_map_lookup_elem(&counters, &key);
	if (!c)
		return XDP_PASS;
	set = active_set();
	len = bpf_xdp_get_buff_len(ctx);
	parse_frame(ctx, 0, &p, len);
	/* p stays in memory: kept in registers, every parse outcome would be
	 * a set of values merged and spilled on the way out. */
	asm volatile("" : : "r"(&p) : "memory");

	m = set->t.classes[p.flags & (IFSTAT_NCLASSES - 1)];
	if (m)
		m = classify(&set->t, &p, m);
	if (m)
		count(c, set, m, len, size_bucket(set, len));
	count_totals(c, set, &p, m, 1, len);
	return XDP_PASS;
}

/* TC_ACT_UNSPEC: the next filter (or the qdisc's default) decides. */
#define TC_PASS (-1)

/*
 * The frames a GSO packet (egress) or a GRO-merged one (ingress) stands
 * for: the headers up to the transport payload repeat in each, the
 * payload is cut in gso_size pieces, the last one holding the rest (as
 * the kernel itself counts a GSO packet it cannot trust).
 * Returns how many full frames come before the last (0: one frame).
 */
static __always_inline __u32 gso_split(struct __sk_buff *skb,
				       const struct pkt *p, __u32 *hdr,
				       __u32 *last)
{
	__u32 size = skb->gso_size, dlen = skb->len, h, pay, n;
	union hdr_buf buf;

	/* gso_segs is not read: a packet from a VM or a tun with a vnet
	 * header carries 0 there until the stack checks it (SKB_GSO_DODGY),
	 * while gso_size is set for every GSO packet. */
	if (!size || !(p->flags & IFSTAT_P_PORTS))
		return 0;
	h = p->l4off;
	if (p->proto == IPPROTO_TCP) {
		__u8 *doff = hdr_ptr(skb, 1, h + 12, &buf, 1);

		if (!doff)
			return 0;
		h += (*doff >> 4) * 4;
	} else {
		h += 8; /* UDP (UDP_SEGMENT, UDP GRO) */
	}
	if (h >= dlen)
		return 0;
	pay = dlen - h;
	n = (pay + size - 1) / size;
	if (n < 2)
		return 0;
	*hdr = h;
	*last = pay - (n - 1) * size;
	return n - 1;
}

static __always_inline int count_skb(struct __sk_buff *skb, __u32 dir)
{
	const struct ifstat_filter_set *set;
	struct ifstat_counters *c;
	struct pkt p;
	__u32 key = dir, len, tag = 0, nfull, hdr = 0, last = 0;
	__u64 m, bytes;

	c = bpf_map_lookup_elem(&counters, &key);
	if (!c)
		return TC_PASS;
	set = active_set();
	if (l3_dev)
		parse_l3(skb, &p, skb->len);
	else
		parse_frame(skb, 1, &p, skb->len);
	/* Out of line: the verifier walks the common case first, and the
	 * tagged one then joins states it has seen (half the instructions
	 * to verify). */
	if (__builtin_expect(skb->vlan_present, 0)) {
		outer_tag(&p, skb->vlan_tci);
		tag = 4; /* on the wire the tag is in the frame */
	}
	asm volatile("" : : "r"(&p) : "memory");

	m = set->t.classes[p.flags & (IFSTAT_NCLASSES - 1)];
	if (m)
		m = classify(&set->t, &p, m);

	/* After the classifier: the frame count does not change it. */
	len = skb->len + tag;
	bytes = len;
	nfull = gso_split(skb, &p, &hdr, &last);
	if (nfull) {
		/* Wire frames: nfull of hdr + gso_size, then hdr + last. */
		hdr += tag;
		bytes = (__u64)(nfull + 1) * hdr + skb->len + tag - hdr;
		len = hdr + last;
	}
	if (m) {
		count(c, set, m, bytes, size_bucket(set, len));
		if (nfull)
			count_more(c, m, nfull,
				   size_bucket(set, hdr + skb->gso_size));
	}
	count_totals(c, set, &p, m, nfull + 1, bytes);
	return TC_PASS;
}

SEC("tc")
int ifstat_tc_in(struct __sk_buff *skb)
{
	return count_skb(skb, IFSTAT_DIR_INGRESS);
}

SEC("tc")
int ifstat_tc_out(struct __sk_buff *skb)
{
	return count_skb(skb, IFSTAT_DIR_EGRESS);
}
