// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Slot and generation planning (src/lib/plan.c): which filters of a new
 * set continue their counters, which start at zero, where new ones go,
 * and what a reset changes. Exact slots and generations.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"

static struct ifstat_filter_set sets[2];
static uint64_t next_gen;
static int cur;

static void def(struct ifstat_filter_def *d, const char *name, const char *text)
{
	struct ifstat_diag err;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	assert_int_equal(ifstat_filter_parse(text, &d->filter, &err), 0);
}

/* Plans the next set from the current one and makes it current. */
static int plan(const struct ifstat_filter_def *d, unsigned int n,
		const uint32_t *edges, unsigned int nedges)
{
	int ret = ifstat_plan_set(&sets[cur], d, n, edges, nedges, &next_gen,
				  &sets[!cur]);

	if (!ret)
		cur = !cur;
	return ret;
}

static int setup(void **state)
{
	(void)state;
	memset(sets, 0, sizeof(sets));
	next_gen = 1;
	cur = 0;
	return 0;
}

static void expect(unsigned int i, const char *name, unsigned int slot,
		   uint64_t gen)
{
	const struct ifstat_filter_set *s = &sets[cur];

	assert_string_equal(s->meta[i].name, name);
	assert_int_equal(s->filters[i].slot, slot);
	assert_int_equal(s->filters[i].gen, gen);
	/* What the program reads: the generation by slot. */
	assert_int_equal(s->gen[slot], gen);
}

static void test_first_set(void **state)
{
	struct ifstat_filter_def d[3];
	static const uint32_t edges[] = IFSTAT_DEFAULT_EDGES;

	(void)state;
	def(&d[0], "web", "tcp port 80");
	def(&d[1], "dns", "udp port 53");
	def(&d[2], "all", "any");
	assert_int_equal(plan(d, 3, NULL, 0), 0);
	assert_int_equal(sets[cur].count, 3);
	assert_int_equal(sets[cur].nedges, IFSTAT_DEFAULT_NEDGES);
	assert_memory_equal(sets[cur].edges, edges, sizeof(edges));
	expect(0, "web", 0, 1);
	expect(1, "dns", 1, 2);
	expect(2, "all", 2, 3);
	assert_int_equal(next_gen, 4);
}

static void test_keep_change_add_remove(void **state)
{
	struct ifstat_filter_def d[4];

	(void)state;
	def(&d[0], "web", "tcp port 80");
	def(&d[1], "dns", "udp port 53");
	def(&d[2], "all", "any");
	assert_int_equal(plan(d, 3, NULL, 0), 0);
	/* dns changed, all removed, web moved, new added: slot 2 (all's)
	 * is the lowest free one for the new filter; dns changed gets a
	 * new generation in a free slot. */
	def(&d[0], "new", "vlan 7");
	def(&d[1], "web", "tcp port 80");
	def(&d[2], "dns", "udp port 5353");
	assert_int_equal(plan(d, 3, NULL, 0), 0);
	expect(0, "new", 1, 4);
	expect(1, "web", 0, 1);
	expect(2, "dns", 2, 5);
	/* The slot of a removed filter's generation is overwritten. */
	assert_int_equal(sets[cur].gen[3], 0);
}

static void test_twins_and_names(void **state)
{
	struct ifstat_filter_def d[3];

	(void)state;
	def(&d[0], "a", "tcp");
	def(&d[1], "b", "tcp");
	assert_int_equal(plan(d, 2, NULL, 0), 0);
	/* Same definition under another name: a new filter. */
	def(&d[0], "b", "tcp");
	def(&d[1], "c", "tcp");
	assert_int_equal(plan(d, 2, NULL, 0), 0);
	expect(0, "b", 1, 2);
	expect(1, "c", 0, 3);
}

static void test_new_edges_restart_all(void **state)
{
	static const uint32_t edges[] = { 100, 200 };
	struct ifstat_filter_def d[2];

	(void)state;
	def(&d[0], "web", "tcp port 80");
	def(&d[1], "dns", "udp port 53");
	assert_int_equal(plan(d, 2, NULL, 0), 0);
	assert_int_equal(plan(d, 2, edges, 2), 0);
	expect(0, "web", 0, 3);
	expect(1, "dns", 1, 4);
	assert_int_equal(sets[cur].nedges, 2);
	/* NULL edges: the running ones, so the filters continue. */
	assert_int_equal(plan(d, 2, NULL, 0), 0);
	expect(0, "web", 0, 3);
	assert_int_equal(sets[cur].edges[1], 200);
}

static void test_refused(void **state)
{
	static const uint32_t down[] = { 200, 100 };
	static struct ifstat_filter_def d[IFSTAT_MAX_FILTERS + 1];
	uint64_t before;

	(void)state;
	def(&d[0], "web", "tcp port 80");
	before = next_gen;
	assert_int_equal(plan(d, 1, down, 2), -EINVAL);
	assert_int_equal(plan(d, 1, down, 0), -EINVAL);
	assert_int_equal(plan(d, IFSTAT_MAX_FILTERS + 1, NULL, 0), -E2BIG);
	assert_int_equal(next_gen, before);
}

static void test_sixty_four_slots(void **state)
{
	static struct ifstat_filter_def d[IFSTAT_MAX_FILTERS];
	unsigned int i;
	char name[16], text[32];

	(void)state;
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
		snprintf(name, sizeof(name), "f%u", i);
		snprintf(text, sizeof(text), "tcp port %u", i + 1);
		def(&d[i], name, text);
	}
	assert_int_equal(plan(d, IFSTAT_MAX_FILTERS, NULL, 0), 0);
	/* Reversed and one changed: all slots stay taken, each once. */
	for (i = 0; i < IFSTAT_MAX_FILTERS / 2; i++) {
		struct ifstat_filter_def t = d[i];

		d[i] = d[IFSTAT_MAX_FILTERS - 1 - i];
		d[IFSTAT_MAX_FILTERS - 1 - i] = t;
	}
	def(&d[10], "f53", "udp port 1");
	assert_int_equal(plan(d, IFSTAT_MAX_FILTERS, NULL, 0), 0);
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
		unsigned int k = IFSTAT_MAX_FILTERS - 1 - i;

		snprintf(name, sizeof(name), "f%u", k);
		expect(i, name, k, i == 10 ? IFSTAT_MAX_FILTERS + 1 : k + 1);
	}
}

static void test_reset(void **state)
{
	struct ifstat_filter_def d[2];
	uint64_t totals;

	(void)state;
	def(&d[0], "web", "tcp port 80");
	def(&d[1], "dns", "udp port 53");
	assert_int_equal(plan(d, 2, NULL, 0), 0);
	totals = sets[cur].totals_gen;
	assert_int_equal(
		ifstat_plan_reset(&sets[cur], 1, &next_gen, &sets[!cur]), 0);
	cur = !cur;
	expect(0, "web", 0, 1);
	expect(1, "dns", 1, 3);
	assert_int_equal(sets[cur].totals_gen, totals);
	assert_int_equal(
		ifstat_plan_reset(&sets[cur], -1, &next_gen, &sets[!cur]), 0);
	cur = !cur;
	expect(0, "web", 0, 4);
	expect(1, "dns", 1, 5);
	assert_int_equal(sets[cur].totals_gen, 6);
	assert_int_equal(ifstat_plan_reset(&sets[cur], 2, &next_gen,
					   &sets[!cur]),
			 -ENOENT);
	assert_int_equal(ifstat_plan_reset(&sets[cur], -2, &next_gen,
					   &sets[!cur]),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_first_set, setup),
		cmocka_unit_test_setup(test_keep_change_add_remove, setup),
		cmocka_unit_test_setup(test_twins_and_names, setup),
		cmocka_unit_test_setup(test_new_edges_restart_all, setup),
		cmocka_unit_test_setup(test_refused, setup),
		cmocka_unit_test_setup(test_sixty_four_slots, setup),
		cmocka_unit_test_setup(test_reset, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
