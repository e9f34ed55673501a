// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The client's parse of a snapshot line (schema v1): every field of a
 * full line, then each way a line is refused, with the exact message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

/* As src/lib/snapjson.c writes it: two filters, default edges. */
#define LINE_HEAD                                                              \
	"{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","       \
	"\"interval_ms\":500,\"time_ms\":1735732800500,\"epoch\":42,"          \
	"\"size_edges\":[64,127,255,511,1023,1512],"
#define LINE_TOTALS                                                            \
	"\"totals\":{\"packets\":1000,\"bytes\":250000,\"unmatched\":7,"       \
	"\"non_ip\":3,\"malformed\":1},"
#define FILTER_SSH                                                             \
	"{\"index\":0,\"name\":\"ssh\",\"match\":\"tcp src "                   \
	"140.82.33.182 src port 22\",\"packets\":90,\"bytes\":12345,"          \
	"\"sizes\":[50,20,10,5,3,1,1]}"
#define FILTER_V6                                                              \
	"{\"index\":1,\"name\":\"v6\",\"match\":\"host 2001:db8::/32\","       \
	"\"packets\":18446744073709551615,\"bytes\":0,"                        \
	"\"sizes\":[0,0,0,0,0,0,18446744073709551615]}"
#define LINE LINE_HEAD LINE_TOTALS "\"filters\":[" FILTER_SSH "," FILTER_V6 "]}"

static struct ifstat_report r;
static char err[256];

static void test_full_line(void **state)
{
	static const uint32_t edges[] = { 64, 127, 255, 511, 1023, 1512 };
	static const uint64_t ssh[] = { 50, 20, 10, 5, 3, 1, 1 };

	(void)state;
	assert_int_equal(ifstat_report_parse(LINE, &r, err, sizeof(err)), 0);
	assert_string_equal(r.interface, "eth0");
	assert_string_equal(r.xdp_mode, "native");
	assert_int_equal(r.interval_ms, 500);
	assert_true(r.time_ms == 1735732800500ull);
	assert_true(r.epoch == 42);
	assert_int_equal(r.nedges, 6);
	assert_memory_equal(r.edges, edges, sizeof(edges));
	assert_true(r.totals.packets == 1000 && r.totals.bytes == 250000);
	assert_true(r.totals.unmatched == 7 && r.totals.non_ip == 3 &&
		    r.totals.malformed == 1);
	assert_int_equal(r.nfilters, 2);
	assert_int_equal(r.filters[0].index, 0);
	assert_string_equal(r.filters[0].name, "ssh");
	assert_string_equal(r.filters[0].match, "tcp src 140.82.33.182 src "
						"port 22");
	assert_true(r.filters[0].packets == 90 && r.filters[0].bytes == 12345);
	assert_memory_equal(r.filters[0].sizes, ssh, sizeof(ssh));
	/* Counters above INT64_MAX come through whole. */
	assert_int_equal(r.filters[1].index, 1);
	assert_string_equal(r.filters[1].match, "host 2001:db8::/32");
	assert_true(r.filters[1].packets == UINT64_MAX);
	assert_true(r.filters[1].sizes[6] == UINT64_MAX);
	assert_int_equal(ifstat_report_find(&r, "v6"), 1);
	assert_int_equal(ifstat_report_find(&r, "ssh"), 0);
	assert_int_equal(ifstat_report_find(&r, "dns"), -1);
}

/* Unknown members are a later minor addition, not an error. */
static void test_unknown_members_ignored(void **state)
{
	(void)state;
	assert_int_equal(ifstat_report_parse(LINE_HEAD LINE_TOTALS "\"filters\""
								   ":[],"
								   "\"later\":["
								   "1,{\"x\":2}"
								   "]}  ",
					     &r, err, sizeof(err)),
			 0);
	assert_int_equal(r.nfilters, 0);
	assert_true(r.totals.packets == 1000);
}

/* Each case: a line and the exact complaint. */
struct bad {
	const char *line, *msg;
};

static const struct bad bad[] = {
	{ "", "not JSON: unexpected end of line" },
	{ "garbage", "not JSON: unexpected character at offset 0" },
	{ "{\"version\":1", "not JSON: unexpected end of line" },
	{ "[1,2]", "not a JSON object" },
	{ LINE " x", "not JSON: text after the object at offset 498" },
	{ "{}", "version: missing" },
	{ "{\"version\":\"1\"}", "version: not an integer" },
	{ "{\"version\":2}", "schema version 2, this ifstat reads 1" },
	{ "{\"version\":1}", "interface: missing" },
	{ "{\"version\":1,\"interface\":7}", "interface: not a string" },
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\"}",
	  "interval_ms: missing" },
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","
	  "\"interval_ms\":1.5}",
	  "interval_ms: not an integer" },
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","
	  "\"interval_ms\":-500}",
	  "interval_ms: negative" },
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","
	  "\"interval_ms\":4294967296}",
	  "interval_ms: 4294967296 is too large" },
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","
	  "\"interval_ms\":500,\"time_ms\":1}",
	  "epoch: missing" },
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","
	  "\"interval_ms\":500,\"time_ms\":1,\"epoch\":1,\"size_edges\":[]}",
	  "size_edges: 0 edges, expected 1 to 15" },
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","
	  "\"interval_ms\":500,\"time_ms\":1,\"epoch\":1,"
	  "\"size_edges\":[64,64]}",
	  "size_edges: not increasing at 1" },
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","
	  "\"interval_ms\":500,\"time_ms\":1,\"epoch\":1,"
	  "\"size_edges\":[64,\"x\"]}",
	  "size_edges[1]: not an integer" },
	{ LINE_HEAD "\"filters\":[]}", "totals: missing" },
	{ LINE_HEAD "\"totals\":{\"packets\":1,\"bytes\":2,\"unmatched\":3,"
		    "\"non_ip\":4},\"filters\":[]}",
	  "totals.malformed: missing" },
	{ LINE_HEAD LINE_TOTALS "\"filters\":{}}", "filters: not an array" },
	{ LINE_HEAD LINE_TOTALS "\"filters\":[7]}", "filters[0]: not an "
						    "object" },
	{ LINE_HEAD LINE_TOTALS "\"filters\":[" FILTER_SSH ",{\"index\":1,"
				"\"name\":\"x\","
				"\"match\":\"\","
				"\"packets\":0,\"bytes\":0}]}",
	  "filters[1].sizes: missing" },
	{ LINE_HEAD LINE_TOTALS "\"filters\":[{\"index\":0,\"name\":\"x\","
				"\"match\":\"\","
				"\"packets\":0,\"bytes\":0,\"sizes\":[0,0,0,0,"
				"0,0]}]}",
	  "filters[0].sizes: 6 values, expected 7" },
	{ LINE_HEAD LINE_TOTALS "\"filters\":[{\"index\":0,\"name\":\"x\","
				"\"match\":\"\","
				"\"packets\":0,\"bytes\":0,\"sizes\":[0,0,0,-1,"
				"0,0,0]}]}",
	  "filters[0].sizes[3]: negative" },
	{ LINE_HEAD LINE_TOTALS "\"filters\":[{\"index\":64,\"name\":\"x\","
				"\"match\":\"\"}]}",
	  "filters[0].index: 64 is too large" },
	{ LINE_HEAD LINE_TOTALS "\"filters\":[{\"index\":0,\"name\":"
				"\"abcdefghijklmnopqrstuvwxyz0123456\"}]}",
	  "filters[0].name: longer than 31 characters" },
	{ LINE_HEAD LINE_TOTALS "\"filters\":[" FILTER_SSH "," FILTER_SSH "]}",
	  "filters[1].name: 'ssh' twice" },
};

static void test_refused(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (ifstat_report_parse(bad[i].line, &r, err, sizeof(err)) !=
		    -22)
			fail_msg("case %zu accepted: %s", i, bad[i].line);
		if (strcmp(err, bad[i].msg))
			fail_msg("case %zu: '%s', expected '%s'", i, err,
				 bad[i].msg);
	}
}

/* 64 filters are the limit; 65 are refused. */
static void test_filter_count(void **state)
{
	char *line = malloc(64 * 1024);
	size_t n, i;

	(void)state;
	for (int total = 64; total <= 65; total++) {
		n = (size_t)sprintf(line, LINE_HEAD LINE_TOTALS "\"filters\":"
								"[");
		for (i = 0; i < (size_t)total; i++)
			n += (size_t)sprintf(line + n,
					     "%s{\"index\":%zu,\"name\":\"f%"
					     "zu\",\"match\":"
					     "\"udp port "
					     "%zu\",\"packets\":%zu,\"bytes\":"
					     "0,"
					     "\"sizes\":[0,0,0,0,0,0,%zu]}",
					     i ? "," : "", i % 64, i, i, i, i);
		strcpy(line + n, "]}");
		if (total == 64) {
			assert_int_equal(ifstat_report_parse(line, &r, err,
							     sizeof(err)),
					 0);
			assert_int_equal(r.nfilters, 64);
			assert_string_equal(r.filters[63].name, "f63");
			assert_true(r.filters[63].sizes[6] == 63);
		} else {
			assert_int_equal(ifstat_report_parse(line, &r, err,
							     sizeof(err)),
					 -22);
			assert_string_equal(err, "filters: 65 filters, at most "
						 "64");
		}
	}
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_line),
		cmocka_unit_test(test_unknown_members_ignored),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_filter_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
