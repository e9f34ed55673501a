// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The names of the ubus notification: with the default edges exactly the
 * original tool's keys, with other edges names that follow them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ifstat_abi.h"
#include "ubusnames.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void check_keys(const uint32_t *edges, unsigned int nedges,
		       const char *const *want)
{
	char key[IFSTAT_UBUS_KEY_MAX];
	unsigned int i;

	for (i = 0; i <= nedges; i++) {
		assert_int_equal(ifstat_ubus_bucket_key(edges, nedges, i, key,
							sizeof(key)),
				 0);
		assert_string_equal(key, want[i]);
	}
	assert_int_equal(ifstat_ubus_bucket_key(edges, nedges, nedges + 1, key,
						sizeof(key)),
			 -EINVAL);
}

/* The original's nine keys, byte for byte (with the default edges). */
static void test_default_edges(void **state)
{
	static const uint32_t edges[] = { 64, 127, 255, 511, 1023, 1512 };
	static const char *const want[] = {
		"pkts_64",	"pkts_65_127",	 "pkts_128_255",
		"pkts_256_511", "pkts_512_1023", "pkts_1024_1512",
		"pkts_1513",
	};

	(void)state;
	check_keys(edges, ARRAY_SIZE(edges), want);
}

static void test_jumbo_edges(void **state)
{
	static const uint32_t edges[] = { 64, 127, 255, 511, 1023, 1512, 9000 };
	static const char *const want[] = {
		"pkts_64",	  "pkts_65_127",   "pkts_128_255",
		"pkts_256_511",	  "pkts_512_1023", "pkts_1024_1512",
		"pkts_1513_9000", "pkts_9001",
	};

	(void)state;
	check_keys(edges, ARRAY_SIZE(edges), want);
}

/* One edge: two buckets; adjacent edges: a one-size bucket. */
static void test_few_and_adjacent_edges(void **state)
{
	static const uint32_t one[] = { 100 };
	static const char *const want_one[] = { "pkts_100", "pkts_101" };
	static const uint32_t adj[] = { 64, 65, 66 };
	static const char *const want_adj[] = { "pkts_64", "pkts_65_65",
						"pkts_66_66", "pkts_67" };

	(void)state;
	check_keys(one, ARRAY_SIZE(one), want_one);
	check_keys(adj, ARRAY_SIZE(adj), want_adj);
}

/* The largest edges fit IFSTAT_UBUS_KEY_MAX, and the last bucket does
 * not wrap to 0. */
static void test_extremes(void **state)
{
	static const uint32_t edges[] = { 4294967294u, 4294967295u };
	static const char *const want[] = { "pkts_4294967294",
					    "pkts_4294967295_4294967295",
					    "pkts_4294967296" };
	uint32_t all[IFSTAT_MAX_EDGES];
	char key[IFSTAT_UBUS_KEY_MAX];
	unsigned int i;

	(void)state;
	check_keys(edges, ARRAY_SIZE(edges), want);
	for (i = 0; i < IFSTAT_MAX_EDGES; i++)
		all[i] = 4294967295u - IFSTAT_MAX_EDGES + i;
	for (i = 0; i <= IFSTAT_MAX_EDGES; i++)
		assert_int_equal(ifstat_ubus_bucket_key(all, IFSTAT_MAX_EDGES,
							i, key, sizeof(key)),
				 0);
}

static void test_errors(void **state)
{
	static const uint32_t edges[] = { 64, 127 };
	char key[IFSTAT_UBUS_KEY_MAX];

	(void)state;
	assert_int_equal(ifstat_ubus_bucket_key(edges, 0, 0, key, sizeof(key)),
			 -EINVAL);
	assert_int_equal(ifstat_ubus_bucket_key(edges, 2, 1, key, 8), -ENOSPC);
	assert_int_equal(ifstat_ubus_filter_key(0, key, sizeof(key)), 0);
	assert_string_equal(key, "filter0");
	assert_int_equal(ifstat_ubus_filter_key(63, key, sizeof(key)), 0);
	assert_string_equal(key, "filter63");
	assert_int_equal(ifstat_ubus_filter_key(10, key, 8), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_edges),
		cmocka_unit_test(test_jumbo_edges),
		cmocka_unit_test(test_few_and_adjacent_edges),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
