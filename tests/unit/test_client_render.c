// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The table, whole and exact: the first snapshot (no deltas), the next
 * one (deltas and rates), a reset and a new filter (marked rows), custom
 * edges, several interfaces and directions (one missing); and --filter,
 * --interface, --direction: which rows, the messages for unknown names,
 * the JSON line reduced to the chosen filters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render.h"
#include "report.h"
#include "select.h"

#define HEAD(time, epoch)                                                      \
	"{\"version\":2,\"interval_ms\":500,\"time_ms\":" #time                \
	",\"epoch\":" #epoch ",\"size_edges\":[64,127,255,511,1023,1512],"     \
	"\"interfaces\":["
#define ENTRY(name, dir, hook, mode, present)                                  \
	"{\"interface\":\"" name "\",\"direction\":\"" dir "\",\"hook\":"      \
	"\"" hook "\",\"mode\":\"" mode "\",\"present\":" #present ","
#define ETH0 ENTRY("eth0", "ingress", "xdp", "native", true)
#define TOTALS(p, b, u, n, m)                                                  \
	"\"totals\":{\"packets\":" #p ",\"bytes\":" #b ",\"unmatched\":" #u    \
	",\"non_ip\":" #n ",\"malformed\":" #m "},"
#define FILTER(i, name, match, p, b, sizes)                                    \
	"{\"index\":" #i ",\"name\":\"" name "\",\"match\":\"" match           \
	"\",\"packets\":" #p ",\"bytes\":" #b ",\"sizes\":[" sizes "]}"

/* 2025-01-01 12:00:00.500 UTC, then half a second later. */
// clang-format off
static const char first[] = HEAD(1735732800500, 7) ETH0
	TOTALS(1000, 250000, 40, 12, 1) "\"filters\":["
	FILTER(0, "ssh", "tcp src 140.82.33.182 src port 22", 90, 12345, "50,20,10,5,3,1,1") ","
	FILTER(1, "dns", "udp port 53", 8, 900, "2,6,0,0,0,0,0") "]}]}";
static const char second[] = HEAD(1735732801000, 7) ETH0
	TOTALS(13000, 1750000, 52, 12, 1) "\"filters\":["
	FILTER(0, "ssh", "tcp src 140.82.33.182 src port 22", 12090, 1512345, "50,20,10,5,3,12001,1") ","
	FILTER(1, "dns", "udp port 53", 8, 900, "2,6,0,0,0,0,0") "]}]}";
/* ssh reset (epoch 8, below its old values), dns gone, web new. */
static const char third[] = HEAD(1735732801500, 8) ETH0
	TOTALS(13100, 1760000, 52, 12, 1) "\"filters\":["
	FILTER(0, "ssh", "tcp src 140.82.33.182 src port 22", 3, 180, "3,0,0,0,0,0,0") ","
	FILTER(1, "web", "tcp port 443", 97, 9820, "0,0,97,0,0,0,0") "]}]}";
// clang-format on

/* eth0 both ways, then eth1 added (by a reload), not attached. */
static const char multi_prev[] = HEAD(1735732800500, 7)
	ETH0 TOTALS(100, 10000, 1, 0, 0) "\"filters\":[" FILTER(
		0, "ssh", "tcp port 22", 10, 1000,
		"5,5,0,0,0,0,0") "]}," ENTRY("eth0", "egress", "tc", "clsact",
					     true)
		TOTALS(50, 5000, 0, 0, 0) "\"filters\":[" FILTER(
			0, "ssh", "tcp port 22", 4, 400, "4,0,0,0,0,0,0") "]}]"
									  "}";
static const char multi_cur[] = HEAD(1735732801000, 7)
	ETH0 TOTALS(110, 11000, 1, 0, 0) "\"filters\":[" FILTER(
		0, "ssh", "tcp port 22", 20, 2000,
		"10,10,0,0,0,0,0") "]}," ENTRY("eth0", "egress", "tc", "clsact",
					       true)
		TOTALS(60, 6000, 0, 0, 0) "\"filters\":[" FILTER(
			0, "ssh", "tcp port 22", 6, 600,
			"6,0,0,0,0,0,0") "]}," ENTRY("eth1", "ingress", "none",
						     "none", false)
			TOTALS(0, 0, 0, 0, 0) "\"filters\":[]}]}";

/* The expected tables, one row per line. */
// clang-format off
static const char first_table[] =
	"ifstat, interval 500 ms, 2025-01-01 12:00:00.500\n"
	"eth0 ingress (xdp native)\n"
	"Filter  <=64 65-127 128-255 256-511 512-1023 1024-1512 >=1513 Bytes Packets  Rate  Bitrate  Match\n"
	"ssh       50     20      10       5        3         1      1 12345      90                 tcp src 140.82.33.182 src port 22\n"
	"  delta    -      -       -       -        -         -      -     -       -     -        -\n"
	"dns        2      6       0       0        0         0      0   900       8                 udp port 53\n"
	"  delta    -      -       -       -        -         -      -     -       -     -        -\n"
	"Interface Packets  Bytes Unmatched Non-IP Malformed  Rate  Bitrate\n"
	"eth0         1000 250000        40     12         1\n"
	"  delta         -      -         -      -         -     -        -\n";
static const char second_table[] =
	"ifstat, interval 500 ms, 2025-01-01 12:00:01.000\n"
	"eth0 ingress (xdp native)\n"
	"Filter  <=64 65-127 128-255 256-511 512-1023 1024-1512 >=1513   Bytes Packets       Rate      Bitrate  Match\n"
	"ssh       50     20      10       5        3     12001      1 1512345   12090                          tcp src 140.82.33.182 src port 22\n"
	"  delta    0      0       0       0        0     12000      0 1500000   12000  24.0 kpps  24.0 Mbit/s\n"
	"dns        2      6       0       0        0         0      0     900       8                          udp port 53\n"
	"  delta    0      0       0       0        0         0      0       0       0    0.0 pps    0.0 bit/s\n"
	"Interface Packets   Bytes Unmatched Non-IP Malformed       Rate      Bitrate\n"
	"eth0        13000 1750000        52     12         1\n"
	"  delta     12000 1500000        12      0         0  24.0 kpps  24.0 Mbit/s\n";
static const char third_table[] =
	"ifstat, interval 500 ms, 2025-01-01 12:00:01.500\n"
	"eth0 ingress (xdp native)\n"
	"Filter   <=64 65-127 128-255 256-511 512-1023 1024-1512 >=1513 Bytes Packets       Rate       Bitrate  Match\n"
	"ssh         3      0       0       0        0         0      0   180       3                           tcp src 140.82.33.182 src port 22\n"
	"  delta*    3      0       0       0        0         0      0   180       3    6.0 pps    2.9 kbit/s\n"
	"web         0      0      97       0        0         0      0  9820      97                           tcp port 443\n"
	"  delta*    0      0      97       0        0         0      0  9820      97  194.0 pps  157.1 kbit/s\n"
	"Interface Packets   Bytes Unmatched Non-IP Malformed       Rate       Bitrate\n"
	"eth0        13100 1760000        52     12         1\n"
	"  delta       100   10000         0      0         0  200.0 pps  160.0 kbit/s\n"
	"counters were reset since the previous snapshot\n"
	"* counted from zero: new or changed filter, or its counters were reset\n";
static const char edges_table[] =
	"ifstat, interval 2 s, 2025-01-01 12:00:00.000\n"
	"veth-a ingress (xdp generic)\n"
	"Filter  <=100 101-1500 >=1501 Bytes Packets  Rate  Bitrate  Match\n"
	"all         2        2      1  3100       5                 any\n"
	"  delta     -        -      -     -       -     -        -\n"
	"Interface Packets Bytes Unmatched Non-IP Malformed  Rate  Bitrate\n"
	"veth-a          5  3100         0      0         0\n"
	"  delta         -     -         -      -         -     -        -\n";
static const char selected_table[] =
	"ifstat, interval 500 ms, 2025-01-01 12:00:01.000\n"
	"eth0 ingress (xdp native)\n"
	"Filter  <=64 65-127 128-255 256-511 512-1023 1024-1512 >=1513 Bytes Packets     Rate    Bitrate  Match\n"
	"dns        2      6       0       0        0         0      0   900       8                      udp port 53\n"
	"  delta    0      0       0       0        0         0      0     0       0  0.0 pps  0.0 bit/s\n"
	"Interface Packets   Bytes Unmatched Non-IP Malformed       Rate      Bitrate\n"
	"eth0        13000 1750000        52     12         1\n"
	"  delta     12000 1500000        12      0         0  24.0 kpps  24.0 Mbit/s\n";
static const char multi_table[] =
	"ifstat, interval 500 ms, 2025-01-01 12:00:01.000\n"
	"eth0 ingress (xdp native)\n"
	"Filter  <=64 65-127 128-255 256-511 512-1023 1024-1512 >=1513 Bytes Packets      Rate      Bitrate  Match\n"
	"ssh       10     10       0       0        0         0      0  2000      20                         tcp port 22\n"
	"  delta    5      5       0       0        0         0      0  1000      10  20.0 pps  16.0 kbit/s\n"
	"Interface Packets Bytes Unmatched Non-IP Malformed      Rate      Bitrate\n"
	"eth0          110 11000         1      0         0\n"
	"  delta        10  1000         0      0         0  20.0 pps  16.0 kbit/s\n"
	"\n"
	"eth0 egress (tc clsact)\n"
	"Filter  <=64 65-127 128-255 256-511 512-1023 1024-1512 >=1513 Bytes Packets     Rate     Bitrate  Match\n"
	"ssh        6      0       0       0        0         0      0   600       6                       tcp port 22\n"
	"  delta    2      0       0       0        0         0      0   200       2  4.0 pps  3.2 kbit/s\n"
	"Interface Packets Bytes Unmatched Non-IP Malformed      Rate      Bitrate\n"
	"eth0           60  6000         0      0         0\n"
	"  delta        10  1000         0      0         0  20.0 pps  16.0 kbit/s\n"
	"\n"
	"eth1 ingress (not attached), missing\n"
	"Filter <=64 65-127 128-255 256-511 512-1023 1024-1512 >=1513 Bytes Packets  Rate  Bitrate  Match\n"
	"Interface Packets Bytes Unmatched Non-IP Malformed     Rate    Bitrate\n"
	"eth1            0     0         0      0         0\n"
	"  delta*        0     0         0      0         0  0.0 pps  0.0 bit/s\n"
	"* counted from zero: new or changed filter, or its counters were reset\n";
// clang-format on

static struct ifstat_report r1, r2, r3, m1, m2;
static struct ifstat_buf out;

static int setup(void **state)
{
	char err[128];

	(void)state;
	setenv("TZ", "UTC", 1);
	if (ifstat_report_parse(first, &r1, err, sizeof(err)) ||
	    ifstat_report_parse(second, &r2, err, sizeof(err)) ||
	    ifstat_report_parse(third, &r3, err, sizeof(err)) ||
	    ifstat_report_parse(multi_prev, &m1, err, sizeof(err)) ||
	    ifstat_report_parse(multi_cur, &m2, err, sizeof(err))) {
		fprintf(stderr, "bad test line: %s\n", err);
		return -1;
	}
	ifstat_buf_init(&out);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ifstat_buf_free(&out);
	return 0;
}

static void render_is(const struct ifstat_report *cur,
		      const struct ifstat_report *prev,
		      const struct ifstat_select *sel, const char *want)
{
	ifstat_buf_reset(&out);
	ifstat_render_table(&out, cur, prev, sel);
	assert_int_equal(out.err, 0);
	if (strcmp(out.data, want))
		fail_msg("got:\n%s\nexpected:\n%s", out.data, want);
}

static const struct ifstat_select all;

static void test_first(void **state)
{
	(void)state;
	render_is(&r1, NULL, &all, first_table);
}

static void test_second(void **state)
{
	(void)state;
	render_is(&r2, &r1, &all, second_table);
}

static void test_reset_and_new(void **state)
{
	(void)state;
	render_is(&r3, &r2, &all, third_table);
}

/* Two edges of one's own: three buckets, titles from them. */
static void test_custom_edges(void **state)
{
	static const char line[] =
		"{\"version\":2,\"interval_ms\":2000,\"time_ms\":"
		"1735732800000,\"epoch\":1,\"size_edges\":[100,1500],"
		"\"interfaces\":[" ENTRY("veth-a", "ingress", "xdp", "generic",
					 true)
			TOTALS(5, 3100, 0, 0, 0) "\"filters\":[" FILTER(
				0, "all", "any", 5, 3100, "2,2,1") "]}]}";
	static struct ifstat_report r;
	char err[128];

	(void)state;
	assert_int_equal(ifstat_report_parse(line, &r, err, sizeof(err)), 0);
	render_is(&r, NULL, &all, edges_table);
}

/* --filter dns nope: dns alone; the totals stay whole. */
static void test_selected_rows(void **state)
{
	struct ifstat_select sel = { 0 };

	(void)state;
	assert_int_equal(ifstat_select_add(&sel.filters, "dns"), 0);
	assert_int_equal(ifstat_select_add(&sel.filters, "nope"), 0);
	assert_true(ifstat_select_wants(&sel.filters, "dns"));
	assert_false(ifstat_select_wants(&sel.filters, "ssh"));
	assert_true(ifstat_select_wants(&all.filters, "ssh"));
	render_is(&r2, &r1, &sel, selected_table);
}

static void check_is(const struct ifstat_select *sel,
		     const struct ifstat_report *r, int ret, const char *want)
{
	ifstat_buf_reset(&out);
	assert_int_equal(ifstat_select_check(sel, r, &out), ret);
	assert_string_equal(out.data ? out.data : "", want);
}

static void test_unknown_names(void **state)
{
	struct ifstat_select sel = { 0 };
	static struct ifstat_report none;
	unsigned int i;

	(void)state;
	none = r1;
	check_is(&all, &r1, 0, "");
	ifstat_select_add(&sel.filters, "dns");
	check_is(&sel, &r1, 0, "");
	/* Some known: a warning per unknown name, and on. */
	ifstat_select_add(&sel.filters, "nope");
	ifstat_select_add(&sel.filters, "web");
	check_is(&sel, &r1, 0,
		 "ifstat: no filter named 'nope' (known: ssh, dns)\n"
		 "ifstat: no filter named 'web' (known: ssh, dns)\n");
	/* None known: one error line. */
	sel.filters.names[0] = "x";
	check_is(&sel, &r1, -2,
		 "ifstat: no filter named 'x', 'nope', 'web' (known: ssh, "
		 "dns)\n");
	none.entries[0].nfilters = 0;
	check_is(&sel, &none, -2,
		 "ifstat: no filter named 'x', 'nope', 'web' (known: none)\n");
	for (i = sel.filters.n; i < IFSTAT_MAX_FILTERS; i++)
		assert_int_equal(ifstat_select_add(&sel.filters, "more"), 0);
	assert_int_equal(ifstat_select_add(&sel.filters, "one too many"), -7);
}

/* --json --filter: the line with the other filters left out. */
static void test_selected_json(void **state)
{
	struct ifstat_select sel = { 0 };

	(void)state;
	ifstat_select_add(&sel.filters, "dns");
	ifstat_buf_reset(&out);
	assert_int_equal(ifstat_select_json(&sel, first, &out), 0);
	assert_string_equal(
		out.data,
		HEAD(1735732800500, 7) ETH0 TOTALS(
			1000, 250000, 40, 12,
			1) "\"filters\":[" FILTER(1, "dns", "udp port 53", 8,
						  900, "2,6,0,0,0,0,0") "]}]}"
									"\n");
	ifstat_buf_reset(&out);
	assert_int_equal(ifstat_select_json(&sel, "[]", &out), -22);
}

/* Every interface and direction, grouped; a missing one marked. */
static void test_entries(void **state)
{
	(void)state;
	render_is(&m2, &m1, &all, multi_table);
}

/* --interface eth1 --interface nope, --direction egress. */
static void test_selected_entries(void **state)
{
	struct ifstat_select sel = { 0 };

	(void)state;
	ifstat_select_add(&sel.interfaces, "eth1");
	ifstat_select_add(&sel.interfaces, "nope");
	render_is(&m2, &m1, &sel,
		  "ifstat, interval 500 ms, 2025-01-01 12:00:01.000\n"
		  "eth1 ingress (not attached), missing\n"
		  "Filter <=64 65-127 128-255 256-511 512-1023 1024-1512 "
		  ">=1513 Bytes Packets  Rate  Bitrate  Match\n"
		  "Interface Packets Bytes Unmatched Non-IP Malformed     Rate "
		  "   Bitrate\n"
		  "eth1            0     0         0      0         0\n"
		  "  delta*        0     0         0      0         0  0.0 pps "
		  " 0.0 bit/s\n"
		  "* counted from zero: new or changed filter, or its counters "
		  "were reset\n");
	check_is(&sel, &m2, 0,
		 "ifstat: no interface named 'nope' (known: eth0, eth1)\n");
	sel.interfaces.n = 0;
	sel.direction = "egress";
	render_is(&m2, NULL, &sel,
		  "ifstat, interval 500 ms, 2025-01-01 12:00:01.000\n"
		  "eth0 egress (tc clsact)\n"
		  "Filter  <=64 65-127 128-255 256-511 512-1023 1024-1512 "
		  ">=1513 Bytes Packets  Rate  Bitrate  Match\n"
		  "ssh        6      0       0       0        0         0      "
		  "0"
		  "   600       6                 tcp port 22\n"
		  "  delta    -      -       -       -        -         -      "
		  "-"
		  "     -       -     -        -\n"
		  "Interface Packets Bytes Unmatched Non-IP Malformed  Rate  "
		  "Bitrate\n"
		  "eth0           60  6000         0      0         0\n"
		  "  delta         -     -         -      -         -     -    "
		  "    -\n");
	check_is(&sel, &m2, 0, "");
	/* Nothing of what was asked for: an error naming what there is. */
	ifstat_select_add(&sel.interfaces, "eth1");
	check_is(&sel, &m2, -2,
		 "ifstat: nothing counted egress (known: eth0 ingress, eth0 "
		 "egress, eth1 ingress)\n");
	sel.interfaces.names[0] = "x";
	ifstat_select_add(&sel.interfaces, "y");
	check_is(&sel, &m2, -2,
		 "ifstat: no interface named 'x', 'y' (known: eth0, eth1)\n");
	/* Filters are known from every entry, each name once. */
	sel = all;
	ifstat_select_add(&sel.filters, "dns");
	ifstat_select_add(&sel.filters, "ssh");
	check_is(&sel, &m2, 0, "ifstat: no filter named 'dns' (known: ssh)\n");
}

/* --json --filter on several entries: each keeps the wanted filters,
 * every entry stays (--interface does not apply to --json). */
static void test_selected_json_entries(void **state)
{
	struct ifstat_select sel = { 0 };

	(void)state;
	ifstat_select_add(&sel.filters, "nope");
	ifstat_select_add(&sel.interfaces, "eth1");
	ifstat_buf_reset(&out);
	assert_int_equal(ifstat_select_json(&sel, multi_prev, &out), 0);
	assert_string_equal(out.data,
			    HEAD(1735732800500, 7) ETH0 TOTALS(
				    100, 10000, 1, 0,
				    0) "\"filters\":[]}," ENTRY("eth0",
								"egress", "tc",
								"clsact", true)
				    TOTALS(50, 5000, 0, 0, 0) "\"filters\":[]}]"
							      "}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first),
		cmocka_unit_test(test_second),
		cmocka_unit_test(test_reset_and_new),
		cmocka_unit_test(test_custom_edges),
		cmocka_unit_test(test_selected_rows),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_selected_json),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_selected_entries),
		cmocka_unit_test(test_selected_json_entries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
