// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The table's small formatters: rates in human units at every prefix
 * boundary, bucket titles for the default and custom edges, intervals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fmt.h"

static void rate_is(double v, const char *unit, const char *want)
{
	char s[32];

	ifstat_fmt_rate(s, sizeof(s), v, unit);
	if (strcmp(s, want))
		fail_msg("%.17g %s: '%s', expected '%s'", v, unit, s, want);
}

static void test_rates(void **state)
{
	(void)state;
	rate_is(0, "pps", "0.0 pps");
	rate_is(0.04, "pps", "0.0 pps");
	rate_is(0.5, "pps", "0.5 pps");
	rate_is(999.9, "pps", "999.9 pps");
	rate_is(999.94, "pps", "999.9 pps");
	/* Rounds to 1000.0: shown with the next prefix instead. */
	rate_is(999.96, "pps", "1.0 kpps");
	rate_is(1000, "pps", "1.0 kpps");
	rate_is(12345, "pps", "12.3 kpps");
	rate_is(999940, "pps", "999.9 kpps");
	rate_is(999960, "pps", "1.0 Mpps");
	rate_is(14880952, "pps", "14.9 Mpps");
	rate_is(45.6e6, "bit/s", "45.6 Mbit/s");
	rate_is(999.96e6, "bit/s", "1.0 Gbit/s");
	rate_is(100e9, "bit/s", "100.0 Gbit/s");
	rate_is(1e12, "bit/s", "1.0 Tbit/s");
	rate_is(1e15, "bit/s", "1.0 Pbit/s");
	/* Beyond the last prefix the number grows instead. */
	rate_is(2e18, "bit/s", "2000.0 Pbit/s");
	rate_is(-5, "pps", "0.0 pps");
	rate_is(0.0 / 0.0, "pps", "0.0 pps");
}

static void titles_are(const uint32_t *edges, unsigned int n,
		       const char *const *want)
{
	unsigned int b;
	char s[32];

	for (b = 0; b <= n; b++) {
		ifstat_fmt_bucket(s, sizeof(s), edges, n, b);
		if (strcmp(s, want[b]))
			fail_msg("bucket %u: '%s', expected '%s'", b, s,
				 want[b]);
	}
}

static void test_bucket_titles(void **state)
{
	static const uint32_t def[] = { 64, 127, 255, 511, 1023, 1512 };
	static const char *const def_t[] = { "<=64",	"65-127",   "128-255",
					     "256-511", "512-1023", "1024-1512",
					     ">=1513" };
	static const uint32_t one[] = { 1500 };
	static const char *const one_t[] = { "<=1500", ">=1501" };
	/* A one-value bucket is that value; edge 0 and the largest edge. */
	static const uint32_t odd[] = { 0, 1, 2, 100, 4294967295u };
	static const char *const odd_t[] = {
		"<=0", "1", "2", "3-100", "101-4294967295", ">=4294967296"
	};

	(void)state;
	titles_are(def, 6, def_t);
	titles_are(one, 1, one_t);
	titles_are(odd, 5, odd_t);
}

static void test_interval(void **state)
{
	char s[16];

	(void)state;
	ifstat_fmt_interval(s, sizeof(s), 500);
	assert_string_equal(s, "500 ms");
	ifstat_fmt_interval(s, sizeof(s), 1000);
	assert_string_equal(s, "1 s");
	ifstat_fmt_interval(s, sizeof(s), 1500);
	assert_string_equal(s, "1500 ms");
	ifstat_fmt_interval(s, sizeof(s), 3600000);
	assert_string_equal(s, "3600 s");
	ifstat_fmt_interval(s, sizeof(s), 0);
	assert_string_equal(s, "0 ms");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_bucket_titles),
		cmocka_unit_test(test_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
