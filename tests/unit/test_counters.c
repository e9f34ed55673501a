// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Summing per-CPU counters into a snapshot, over synthetic buffers laid
 * out as the kernel returns a per-CPU map value, and the bucket of a
 * frame length at every edge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "counters.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct ifstat_counters *cpu_at(void *buf, size_t stride,
				      unsigned int cpu)
{
	return (struct ifstat_counters *)((char *)buf + cpu * stride);
}

static void test_stride(void **state)
{
	size_t s = ifstat_percpu_stride();

	(void)state;
	/* The kernel rounds each CPU's copy up to 8 bytes. */
	assert_int_equal(s % 8, 0);
	assert_true(s >= sizeof(struct ifstat_counters));
	assert_true(s - sizeof(struct ifstat_counters) < 8);
}

/* Three CPUs, one filter, numbers small enough to add up by hand. */
static void test_sum_by_hand(void **state)
{
	size_t stride = ifstat_percpu_stride();
	void *buf = calloc(3, stride);
	struct ifstat_filter_set *set = calloc(1, sizeof(*set));
	struct ifstat_snapshot *snap = malloc(sizeof(*snap));
	struct ifstat_counters *c;

	(void)state;
	assert_non_null(buf);
	assert_non_null(set);
	assert_non_null(snap);
	set->count = 1;
	set->nedges = 2;
	set->edges[0] = 100;
	set->edges[1] = 200;
	set->totals_gen = 4;
	set->filters[0].slot = 5;
	set->filters[0].gen = 9;
	strcpy(set->meta[0].name, "web");

	c = cpu_at(buf, stride, 0);
	c->totals = (struct ifstat_totals){ 4, 10, 1000, 1, 2, 3 };
	c->slots[5] = (struct ifstat_slot){ .gen = 9,
					    .bytes = 500,
					    .buckets = { 1, 4 } };
	c = cpu_at(buf, stride, 1);
	/* A previous owner of the slot and an older totals generation. */
	c->totals = (struct ifstat_totals){ 3, 100, 10000, 10, 20, 30 };
	c->slots[5] = (struct ifstat_slot){ .gen = 8,
					    .bytes = 700,
					    .buckets = { 7 } };
	c = cpu_at(buf, stride, 2);
	c->totals = (struct ifstat_totals){ 4, 20, 3000, 0, 5, 0 };
	c->slots[5] = (struct ifstat_slot){ .gen = 9,
					    .bytes = 2200,
					    .buckets = { 0, 0, 11 } };
	/* Another slot with the right generation must not leak in. */
	c->slots[4] = (struct ifstat_slot){ .gen = 9, .buckets = { 1000 } };

	memset(snap, 0xa5, sizeof(*snap));
	ifstat_snapshot_sum(buf, 3, stride, set, 77, snap);
	assert_int_equal(snap->epoch, 77);
	assert_int_equal(snap->nedges, 2);
	assert_int_equal(snap->edges[0], 100);
	assert_int_equal(snap->edges[1], 200);
	assert_int_equal(snap->edges[2], 0);
	assert_int_equal(snap->totals.packets, 30);
	assert_int_equal(snap->totals.bytes, 4000);
	assert_int_equal(snap->totals.unmatched, 1);
	assert_int_equal(snap->totals.non_ip, 7);
	assert_int_equal(snap->totals.malformed, 3);
	assert_int_equal(snap->nfilters, 1);
	assert_string_equal(snap->filters[0].name, "web");
	assert_int_equal(snap->filters[0].filter.slot, 5);
	assert_int_equal(snap->filters[0].filter.gen, 9);
	assert_int_equal(snap->filters[0].packets, 16);
	assert_int_equal(snap->filters[0].bytes, 2700);
	assert_int_equal(snap->filters[0].buckets[0], 1);
	assert_int_equal(snap->filters[0].buckets[1], 4);
	assert_int_equal(snap->filters[0].buckets[2], 11);
	assert_int_equal(snap->filters[0].buckets[3], 0);
	/* Stale bytes in the output are cleared, not added to. */
	assert_int_equal(snap->filters[1].packets, 0);
	assert_int_equal(snap->filters[1].name[0], '\0');
	free(buf);
	free(set);
	free(snap);
}

#define NCPUS 7
#define NFILT 6

/* Deterministic, distinct values per (cpu, slot, field). */
static uint64_t val(unsigned int cpu, unsigned int slot, unsigned int field)
{
	return (uint64_t)cpu * 1000003u + (uint64_t)slot * 1009u +
	       (uint64_t)field * 7u + 1u;
}

/* Which CPUs still hold the previous owner's counts of filter i. */
static int stale(unsigned int cpu, unsigned int i)
{
	return (cpu + i) % 3 == 0;
}

/*
 * Several CPUs and filters with slots in any order: each filter sums
 * exactly the CPUs whose slot generation is its own; the stride given is
 * honoured (a larger one is used too).
 */
static void sum_many(size_t stride)
{
	static const unsigned int slots[NFILT] = { 3, 0, 63, 10, 11, 1 };
	void *buf = calloc(NCPUS, stride);
	struct ifstat_filter_set *set = calloc(1, sizeof(*set));
	struct ifstat_snapshot *snap = malloc(sizeof(*snap));
	uint64_t tot[5] = { 0 };
	unsigned int cpu, i, s, b;

	assert_non_null(buf);
	assert_non_null(set);
	assert_non_null(snap);
	set->count = NFILT;
	set->nedges = 6;
	set->totals_gen = 42;
	for (i = 0; i < NFILT; i++) {
		set->filters[i].slot = slots[i];
		set->filters[i].gen = 100 + i;
		snprintf(set->meta[i].name, IFSTAT_NAME_MAX, "f%u", i);
	}
	for (cpu = 0; cpu < NCPUS; cpu++) {
		struct ifstat_counters *c = cpu_at(buf, stride, cpu);
		int old_totals = cpu == 2 || cpu == 5;

		c->totals.gen = old_totals ? 41 : 42;
		c->totals.packets = val(cpu, 99, 0);
		c->totals.bytes = val(cpu, 99, 1);
		c->totals.unmatched = val(cpu, 99, 2);
		c->totals.non_ip = val(cpu, 99, 3);
		c->totals.malformed = val(cpu, 99, 4);
		if (!old_totals) {
			tot[0] += c->totals.packets;
			tot[1] += c->totals.bytes;
			tot[2] += c->totals.unmatched;
			tot[3] += c->totals.non_ip;
			tot[4] += c->totals.malformed;
		}
		/* Every slot holds counts, used by a filter or not. */
		for (s = 0; s < IFSTAT_MAX_FILTERS; s++) {
			c->slots[s].gen = 7;
			c->slots[s].bytes = val(cpu, s, 1);
			for (b = 0; b < IFSTAT_MAX_BUCKETS; b++)
				c->slots[s].buckets[b] = val(cpu, s, 2 + b);
		}
		for (i = 0; i < NFILT; i++)
			c->slots[slots[i]].gen = stale(cpu, i) ? 100 + i + NFILT
							       : 100 + i;
	}

	ifstat_snapshot_sum(buf, NCPUS, stride, set, 1, snap);
	assert_int_equal(snap->totals.packets, tot[0]);
	assert_int_equal(snap->totals.bytes, tot[1]);
	assert_int_equal(snap->totals.unmatched, tot[2]);
	assert_int_equal(snap->totals.non_ip, tot[3]);
	assert_int_equal(snap->totals.malformed, tot[4]);
	assert_int_equal(snap->nfilters, NFILT);
	for (i = 0; i < NFILT; i++) {
		uint64_t p = 0, by = 0, bk[IFSTAT_MAX_BUCKETS] = { 0 };
		char name[8];

		for (cpu = 0; cpu < NCPUS; cpu++) {
			if (stale(cpu, i))
				continue;
			by += val(cpu, slots[i], 1);
			/* Packets are the sum of the buckets. */
			for (b = 0; b < IFSTAT_MAX_BUCKETS; b++) {
				p += val(cpu, slots[i], 2 + b);
				bk[b] += val(cpu, slots[i], 2 + b);
			}
		}
		snprintf(name, sizeof(name), "f%u", i);
		assert_string_equal(snap->filters[i].name, name);
		assert_int_equal(snap->filters[i].packets, p);
		assert_int_equal(snap->filters[i].bytes, by);
		for (b = 0; b < IFSTAT_MAX_BUCKETS; b++)
			assert_int_equal(snap->filters[i].buckets[b], bk[b]);
	}
	free(buf);
	free(set);
	free(snap);
}

static void test_sum_many(void **state)
{
	(void)state;
	sum_many(ifstat_percpu_stride());
	sum_many(ifstat_percpu_stride() + 64);
}

/* A totals generation matched by no CPU: all totals read zero. */
static void test_totals_gen_mismatch(void **state)
{
	size_t stride = ifstat_percpu_stride();
	void *buf = calloc(4, stride);
	struct ifstat_filter_set *set = calloc(1, sizeof(*set));
	struct ifstat_snapshot *snap = malloc(sizeof(*snap));
	unsigned int cpu;

	(void)state;
	assert_non_null(buf);
	assert_non_null(set);
	assert_non_null(snap);
	set->count = 1;
	set->totals_gen = 2;
	set->filters[0].gen = 1;
	for (cpu = 0; cpu < 4; cpu++) {
		struct ifstat_counters *c = cpu_at(buf, stride, cpu);

		c->totals = (struct ifstat_totals){ 1, 5, 6, 7, 8, 9 };
		c->slots[0].gen = 1;
		c->slots[0].buckets[1] = cpu + 1;
	}
	ifstat_snapshot_sum(buf, 4, stride, set, 0, snap);
	assert_int_equal(snap->totals.packets, 0);
	assert_int_equal(snap->totals.bytes, 0);
	assert_int_equal(snap->totals.unmatched, 0);
	assert_int_equal(snap->totals.non_ip, 0);
	assert_int_equal(snap->totals.malformed, 0);
	/* The filters do not depend on the totals generation. */
	assert_int_equal(snap->filters[0].packets, 1 + 2 + 3 + 4);

	/* No CPU at all: nothing summed, names still there. */
	strcpy(set->meta[0].name, "x");
	ifstat_snapshot_sum(buf, 0, stride, set, 0, snap);
	assert_int_equal(snap->nfilters, 1);
	assert_string_equal(snap->filters[0].name, "x");
	assert_int_equal(snap->filters[0].packets, 0);
	free(buf);
	free(set);
	free(snap);
}

/*
 * A corrupt set (count, nedges, slot or name out of range) must not make
 * the reader walk out of its arrays.
 */
static void test_clamps(void **state)
{
	size_t stride = ifstat_percpu_stride();
	void *buf = calloc(2, stride);
	struct ifstat_filter_set *set = calloc(1, sizeof(*set));
	struct ifstat_snapshot *snap = malloc(sizeof(*snap));
	unsigned int cpu, i;

	(void)state;
	assert_non_null(buf);
	assert_non_null(set);
	assert_non_null(snap);
	set->count = 100;
	set->nedges = 20;
	for (i = 0; i < IFSTAT_MAX_EDGES; i++)
		set->edges[i] = 10 * (i + 1);
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
		set->filters[i].slot = IFSTAT_MAX_FILTERS - 1 - i;
		set->filters[i].gen = 1000 + i;
	}
	/* The program folds a slot with & 63; the reader must agree. */
	set->filters[0].slot = IFSTAT_MAX_FILTERS + 6;
	set->filters[IFSTAT_MAX_FILTERS - 1 - 6].slot = 63;
	memset(set->meta[0].name, 'n', IFSTAT_NAME_MAX);
	for (cpu = 0; cpu < 2; cpu++) {
		struct ifstat_counters *c = cpu_at(buf, stride, cpu);

		for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
			unsigned int s =
				set->filters[i].slot % IFSTAT_MAX_FILTERS;

			c->slots[s].gen = set->filters[i].gen;
			c->slots[s].buckets[i % IFSTAT_MAX_BUCKETS] = i + 1;
			c->slots[s].bytes = (i + 1) * 100;
		}
	}
	ifstat_snapshot_sum(buf, 2, stride, set, 0, snap);
	assert_int_equal(snap->nfilters, IFSTAT_MAX_FILTERS);
	assert_int_equal(snap->nedges, IFSTAT_MAX_EDGES);
	for (i = 0; i < IFSTAT_MAX_EDGES; i++)
		assert_int_equal(snap->edges[i], 10 * (i + 1));
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
		assert_int_equal(snap->filters[i].packets, 2 * (i + 1));
		assert_int_equal(snap->filters[i].bytes, 200 * (i + 1));
	}
	assert_int_equal(strlen(snap->filters[0].name), IFSTAT_NAME_MAX - 1);
	free(buf);
	free(set);
	free(snap);
}

/* doc/semantics.md rule 2, as the columns are labelled: [lo, hi] per bucket. */
static const struct {
	uint32_t lo, hi;
} design_buckets[] = {
	{ 0, 64 },     { 65, 127 },    { 128, 255 },	     { 256, 511 },
	{ 512, 1023 }, { 1024, 1512 }, { 1513, UINT32_MAX },
};

static void test_bucket_default_edges(void **state)
{
	static const uint32_t edges[] = IFSTAT_DEFAULT_EDGES;
	unsigned int b;

	(void)state;
	assert_int_equal(ARRAY_SIZE(edges), IFSTAT_DEFAULT_NEDGES);
	assert_int_equal(ARRAY_SIZE(design_buckets), IFSTAT_DEFAULT_NEDGES + 1);
	for (b = 0; b < ARRAY_SIZE(design_buckets); b++) {
		uint32_t lo = design_buckets[b].lo, hi = design_buckets[b].hi;

		assert_int_equal(
			ifstat_bucket_of(edges, IFSTAT_DEFAULT_NEDGES, lo), b);
		assert_int_equal(
			ifstat_bucket_of(edges, IFSTAT_DEFAULT_NEDGES, hi), b);
		assert_int_equal(ifstat_bucket_of(edges, IFSTAT_DEFAULT_NEDGES,
						  lo + (hi - lo) / 2),
				 b);
	}
	/* The off-by-one of the original tool: 127 is not in 128-255. */
	assert_int_equal(ifstat_bucket_of(edges, IFSTAT_DEFAULT_NEDGES, 127),
			 1);
	/* Smallest and largest frames XDP can see here. */
	assert_int_equal(ifstat_bucket_of(edges, IFSTAT_DEFAULT_NEDGES, 14), 0);
	assert_int_equal(ifstat_bucket_of(edges, IFSTAT_DEFAULT_NEDGES, 9018),
			 6);
}

static void test_bucket_other_edges(void **state)
{
	uint32_t edges[IFSTAT_MAX_EDGES] = { 0 };
	static const uint32_t low[] = { 0, 1 };
	static const uint32_t one[] = { 100 };
	unsigned int i;

	(void)state;
	/* No edges: one open bucket. */
	assert_int_equal(ifstat_bucket_of(edges, 0, 0), 0);
	assert_int_equal(ifstat_bucket_of(edges, 0, UINT32_MAX), 0);

	assert_int_equal(ifstat_bucket_of(one, 1, 0), 0);
	assert_int_equal(ifstat_bucket_of(one, 1, 100), 0);
	assert_int_equal(ifstat_bucket_of(one, 1, 101), 1);

	assert_int_equal(ifstat_bucket_of(low, 2, 0), 0);
	assert_int_equal(ifstat_bucket_of(low, 2, 1), 1);
	assert_int_equal(ifstat_bucket_of(low, 2, 2), 2);

	/* The most edges a set holds; the last bucket is open. */
	for (i = 0; i < IFSTAT_MAX_EDGES; i++)
		edges[i] = 100 * (i + 1);
	for (i = 0; i < IFSTAT_MAX_EDGES; i++) {
		assert_int_equal(ifstat_bucket_of(edges, IFSTAT_MAX_EDGES,
						  100 * (i + 1)),
				 i);
		assert_int_equal(ifstat_bucket_of(edges, IFSTAT_MAX_EDGES,
						  100 * (i + 1) + 1),
				 i + 1);
	}
	assert_int_equal(ifstat_bucket_of(edges, IFSTAT_MAX_EDGES, UINT32_MAX),
			 IFSTAT_MAX_BUCKETS - 1);
	/* Fewer edges given than stored: the rest are not looked at. */
	assert_int_equal(ifstat_bucket_of(edges, 3, 1000), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stride),
		cmocka_unit_test(test_sum_by_hand),
		cmocka_unit_test(test_sum_many),
		cmocka_unit_test(test_totals_gen_mismatch),
		cmocka_unit_test(test_clamps),
		cmocka_unit_test(test_bucket_default_edges),
		cmocka_unit_test(test_bucket_other_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
