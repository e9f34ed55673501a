// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ifstat's XDP program: parse once, match every filter, count into one
 * per-CPU value. Always XDP_PASS: ifstat observes, it never drops.
 */
#include "match.h"

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

/* Filters and bucket edges: a global, read without a map lookup. */
/* User space creates this map, so its initial value is set there. */
struct ifstat_conf conf SEC(".data.conf") = {};

/*
 * Global, so the caller gets an unknown scalar back: as a constant per
 * path, the bucket multiplied the verifier's walk of the filter loop.
 */
__noinline int size_bucket(const struct ifstat_filter_set *set, __u32 len)
{
	__u32 n, i;

	if (!set)
		return 0;
	n = set->nedges;

	for (i = 0; i < IFSTAT_MAX_EDGES; i++) {
		if (i >= n || len <= set->edges[i])
			break;
	}
	return i;
}

static __always_inline void slot_add(struct ifstat_slot *s, __u64 gen,
				     __u32 len, __u32 bucket)
{
	if (s->gen != gen) {
		/* First packet on this CPU since the slot was (re)assigned. */
		__builtin_memset(s, 0, sizeof(*s));
		s->gen = gen;
	}
	s->packets++;
	s->bytes += len;
	s->buckets[bucket & (IFSTAT_MAX_BUCKETS - 1)]++;
}

/*
 * Global (not inlined) functions are verified once, for any argument,
 * rather than once per path that reaches them: inlined, the verifier walks
 * every branch of the match for every filter of the loop and every parse
 * outcome, and gives up at a million instructions.
 */
__noinline int match_one(const struct ifstat_filter *f, const struct pkt *p)
{
	if (!f || !p)
		return 0;
	return filter_match(f, p);
}

__noinline int count_frame(const struct pkt *p, struct ifstat_counters *c,
			   __u32 len)
{
	const struct ifstat_filter_set *set;
	struct ifstat_totals *t;
	__u32 bucket, n, i, matched = 0;

	if (!p || !c)
		return 0;
	set = &conf.sets[*(volatile __u32 *)&conf.active & 1];
	bucket = size_bucket(set, len) & (IFSTAT_MAX_BUCKETS - 1);
	n = set->count;
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
		const struct ifstat_filter *f;

		if (i >= n)
			break;
		f = &set->filters[i];
		if (!match_one(f, p))
			continue;
		matched = 1;
		slot_add(&c->slots[f->slot & (IFSTAT_MAX_FILTERS - 1)], f->gen,
			 len, bucket);
	}

	t = &c->totals;
	if (t->gen != set->totals_gen) {
		__builtin_memset(t, 0, sizeof(*t));
		t->gen = set->totals_gen;
	}
	t->packets++;
	t->bytes += len;
	t->unmatched += !matched;
	t->non_ip += p->non_ip;
	t->malformed += p->malformed;
	return 0;
}

SEC("xdp.frags")
int ifstat_xdp(struct xdp_md *ctx)
{
	struct ifstat_counters *c;
	struct pkt p = {};
	__u32 zero = 0, len;

	c = bpf_map_lookup_elem(&counters, &zero);
	if (!c)
		return XDP_PASS;
	len = bpf_xdp_get_buff_len(ctx);
	parse_frame(ctx, &p, len);
	count_frame(&p, c, len);
	return XDP_PASS;
}
