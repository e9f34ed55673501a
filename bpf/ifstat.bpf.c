// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ifstat's XDP program: parse once, classify with per-field tables of
 * filter bitmasks, count the matched filters into one per-CPU value.
 * Always XDP_PASS: ifstat observes, it never drops.
 */
#include "classify.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * All counters of a CPU in one value, so a packet costs one map lookup
 * however many filters match it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
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

static __always_inline void count(struct ifstat_counters *c,
				  const struct ifstat_filter_set *set, __u64 m,
				  __u32 len, __u32 bucket)
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

SEC("xdp.frags")
int ifstat_xdp(struct xdp_md *ctx)
{
	const struct ifstat_filter_set *set;
	struct ifstat_counters *c;
	struct ifstat_totals *t;
	struct pkt p;
	__u32 zero = 0, len;
	__u64 m;

	c = bpf_map_lookup_elem(&counters, &zero);
	if (!c)
		return XDP_PASS;
	set = &conf.sets[*(volatile __u32 *)&conf.active & 1];
	len = bpf_xdp_get_buff_len(ctx);
	parse_frame(ctx, &p, len);
	/* p stays in memory: kept in registers, every parse outcome would be
	 * a set of values merged and spilled on the way out. */
	asm volatile("" : : "r"(&p) : "memory");

	m = set->t.classes[p.flags & (IFSTAT_NCLASSES - 1)];
	if (m)
		m = classify(&set->t, &p, m);
	if (m)
		count(c, set, m, len, size_bucket(set, len));

	t = &c->totals;
	if (t->gen != set->totals_gen) {
		__builtin_memset(t, 0, sizeof(*t));
		t->gen = set->totals_gen;
	}
	t->packets++;
	t->bytes += len;
	t->unmatched += !m;
	t->non_ip += p.non_ip;
	t->malformed += p.malformed;
	return XDP_PASS;
}
