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
 * Set by the loader to the number of filters it installs: the verifier
 * reads it as a constant and walks the filter loop that many times, not
 * IFSTAT_MAX_FILTERS (18 ms instead of 0.3-0.4 s for 5 filters, see
 * bench/RESULTS.md). More filters later mean a new program, swapped in
 * atomically (engine.c, grow()).
 */
const volatile __u32 loop_cap = IFSTAT_MAX_FILTERS;

static __always_inline __u32 size_bucket(const struct ifstat_filter_set *set,
					 __u32 len)
{
	__u32 n = set->nedges;
	__u32 i;

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
 * Everything is inlined: on CPUs that return through a thunk (SRSO, retbleed
 * mitigations) a BPF-to-BPF call costs about as much as matching several
 * filters. The price is verification time (about 260 000 instructions,
 * some 0.4 s at start); launder() and PKT() keep it from growing without
 * bound. See doc/internals.md.
 */
SEC("xdp.frags")
int ifstat_xdp(struct xdp_md *ctx)
{
	const struct ifstat_filter_set *set;
	struct ifstat_counters *c;
	struct ifstat_totals *t;
	struct pkt *p;
	__u32 zero = 0, len, bucket, n, i, matched = 0;

	c = bpf_map_lookup_elem(&counters, &zero);
	if (!c)
		return XDP_PASS;
	_Static_assert(sizeof(*p) <= sizeof(c->scratch), "scratch too small");
	p = (struct pkt *)c->scratch;
	__builtin_memset(p, 0, sizeof(*p));
	set = &conf.sets[*(volatile __u32 *)&conf.active & 1];
	len = bpf_xdp_get_buff_len(ctx);
	parse_frame(ctx, p, len);

	/* From here on the verifier sees one path, not one per parse
	 * outcome and bucket (see launder()). */
	len = launder(p, len);
	bucket = launder(p, size_bucket(set, len)) & (IFSTAT_MAX_BUCKETS - 1);
	n = set->count;
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
		const struct ifstat_filter *f;

		if (i >= n || i >= loop_cap)
			break;
		f = &set->filters[i];
		if (!filter_match(f, p))
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
	return XDP_PASS;
}
