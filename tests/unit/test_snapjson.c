// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The snapshot as one JSON line (README, "The snapshot"): every member
 * exact and in its place, one filter alone (ubus stats with a filter),
 * strings escaped, 64-bit counters whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter.h"
#include "snapjson.h"

static void add_filter(struct ifstat_snapshot *s, const char *name,
		       const char *text, uint64_t packets, uint64_t bytes)
{
	struct ifstat_filter_stats *f = &s->filters[s->nfilters++];
	struct ifstat_diag err;
	unsigned int b;

	snprintf(f->name, sizeof(f->name), "%s", name);
	assert_int_equal(ifstat_filter_parse(text, &f->filter, &err), 0);
	f->packets = packets;
	f->bytes = bytes;
	/* Buckets unlike packets and bytes, and unlike each other. */
	for (b = 0; b <= s->nedges; b++)
		f->buckets[b] = packets * 10 + b;
}

/* Three edges, two filters whose every number differs from the rest. */
static struct ifstat_snapshot *fill(void)
{
	struct ifstat_snapshot *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->epoch = 1795737881063ull;
	s->nedges = 3;
	s->edges[0] = 64;
	s->edges[1] = 127;
	s->edges[2] = 1500;
	s->totals.packets = 20;
	s->totals.bytes = UINT64_MAX;
	s->totals.unmatched = 3;
	s->totals.non_ip = 2;
	s->totals.malformed = 1;
	add_filter(s, "ssh", "tcp src 192.0.2.10 src port 22", 7, 4000);
	add_filter(s, "doc6", "host 2001:db8::/32", 5, 300);
	return s;
}

static const char head[] =
	"{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\","
	"\"interval_ms\":500,\"time_ms\":1795737897275,"
	"\"epoch\":1795737881063,\"size_edges\":[64,127,1500],"
	"\"totals\":{\"packets\":20,\"bytes\":18446744073709551615,"
	"\"unmatched\":3,\"non_ip\":2,\"malformed\":1},\"filters\":[";
static const char ssh[] = "{\"index\":0,\"name\":\"ssh\",\"match\":\"tcp src "
			  "192.0.2.10 src "
			  "port "
			  "22\",\"packets\":7,\"bytes\":4000,\"sizes\":[70,71,"
			  "72,73]}";
static const char doc6[] = "{\"index\":1,\"name\":\"doc6\",\"match\":\"host "
			   "2001:db8::/32\","
			   "\"packets\":5,\"bytes\":300,\"sizes\":[50,51,52,53]"
			   "}";

static void expect(int only, const char *want_filters)
{
	struct ifstat_snapshot *s = fill();
	struct ifstat_entry e = { .interface = "eth0",
				  .direction = "ingress",
				  .hook = "xdp",
				  .mode = "native",
				  .present = true,
				  .snap = s };
	struct ifstat_view v = { .interval_ms = 500,
				 .time_ms = 1795737897275ull,
				 .nentries = 1,
				 .entries = &e };
	char want[1024];
	struct ifstat_buf b;

	snprintf(want, sizeof(want), "%s%s]}\n", head, want_filters);
	ifstat_buf_init(&b);
	ifstat_json_snapshot(&b, &v, only);
	assert_int_equal(b.err, 0);
	assert_string_equal(b.data, want);
	ifstat_buf_free(&b);
	free(s);
}

static void test_all(void **state)
{
	char filters[512];

	(void)state;
	snprintf(filters, sizeof(filters), "%s,%s", ssh, doc6);
	expect(-1, filters);
}

static void test_only(void **state)
{
	(void)state;
	expect(0, ssh);
	expect(1, doc6);
	expect(2, ""); /* no such filter: the totals alone */
}

static void test_no_filters_escaped(void **state)
{
	struct ifstat_snapshot *s = calloc(1, sizeof(*s));
	struct ifstat_entry e = { .interface = "a\"b\\c",
				  .direction = "ingress",
				  .hook = "xdp",
				  .mode = "generic",
				  .present = true,
				  .snap = s };
	struct ifstat_view v = {
		.interval_ms = 10, .time_ms = 0, .nentries = 1, .entries = &e
	};
	struct ifstat_buf b;

	(void)state;
	assert_non_null(s);
	ifstat_buf_init(&b);
	ifstat_json_snapshot(&b, &v, -1);
	assert_string_equal(b.data, "{\"version\":1,\"interface\":"
				    "\"a\\\"b\\\\c\",\"xdp_mode\":"
				    "\"generic\",\"interval_ms\":10,\"time_"
				    "ms\":0,\"epoch\":0,"
				    "\"size_edges\":[],\"totals\":{\"packets\":"
				    "0,\"bytes\":0,"
				    "\"unmatched\":0,\"non_ip\":0,"
				    "\"malformed\":0},\"filters\":[]}"
				    "\n");
	ifstat_buf_free(&b);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_no_filters_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
