// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The snapshot as one JSON line (README, "The snapshot", version 2):
 * every member exact and in its place for two entries, one filter alone
 * (ubus stats with a filter), strings escaped, 64-bit counters whole.
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

/* The second entry's snapshot: other totals, ssh alone, other buckets. */
static struct ifstat_snapshot *fill_egress(void)
{
	struct ifstat_snapshot *s = fill();

	s->totals.packets = 9;
	s->totals.bytes = 900;
	s->totals.unmatched = 8;
	s->totals.non_ip = 0;
	s->totals.malformed = 0;
	s->nfilters = 0;
	add_filter(s, "ssh", "tcp src 192.0.2.10 src port 22", 1, 60);
	return s;
}

static const char head[] = "{\"version\":2,\"interval_ms\":500,\"time_ms\":"
			   "1795737897275,"
			   "\"epoch\":1795737881063,\"size_edges\":[64,127,"
			   "1500],"
			   "\"interfaces\":[";
static const char eth0_in[] = "{\"interface\":\"eth0\",\"direction\":"
			      "\"ingress\",\"hook\":\"xdp\","
			      "\"mode\":\"native\",\"present\":true,"
			      "\"totals\":{\"packets\":20,\"bytes\":"
			      "18446744073709551615,"
			      "\"unmatched\":3,\"non_ip\":2,\"malformed\":1},"
			      "\"filters\":[";
static const char eth0_out[] = "{\"interface\":\"eth0\",\"direction\":"
			       "\"egress\",\"hook\":\"tc\","
			       "\"mode\":\"clsact\",\"present\":true,"
			       "\"totals\":{\"packets\":9,\"bytes\":900,"
			       "\"unmatched\":8,"
			       "\"non_ip\":0,\"malformed\":0},\"filters\":[";
static const char ssh[] = "{\"index\":0,\"name\":\"ssh\",\"match\":\"tcp src "
			  "192.0.2.10 src port 22\",\"packets\":7,\"bytes\":"
			  "4000,\"sizes\":[70,71,72,73]}";
static const char doc6[] = "{\"index\":1,\"name\":\"doc6\",\"match\":\"host "
			   "2001:db8::/32\",\"packets\":5,\"bytes\":300,"
			   "\"sizes\":[50,51,52,53]}";
static const char ssh_out[] = "{\"index\":0,\"name\":\"ssh\",\"match\":\"tcp "
			      "src 192.0.2.10 src port 22\",\"packets\":1,"
			      "\"bytes\":60,\"sizes\":[10,11,12,13]}";

/* eth0 both ways: the line, with only as given, is exactly want. */
static void expect(int only, const char *want)
{
	struct ifstat_snapshot *in = fill(), *out = fill_egress();
	const struct ifstat_entry e[] = {
		{ "eth0", "ingress", "xdp", "native", true, in },
		{ "eth0", "egress", "tc", "clsact", true, out },
	};
	const struct ifstat_view v = { .interval_ms = 500,
				       .time_ms = 1795737897275ull,
				       .epoch = in->epoch,
				       .nedges = in->nedges,
				       .edges = in->edges,
				       .nentries = 2,
				       .entries = e };
	struct ifstat_buf b;

	ifstat_buf_init(&b);
	ifstat_json_snapshot(&b, &v, only);
	assert_int_equal(b.err, 0);
	assert_string_equal(b.data, want);
	ifstat_buf_free(&b);
	free(in);
	free(out);
}

static void test_all(void **state)
{
	char want[2048];

	(void)state;
	snprintf(want, sizeof(want), "%s%s%s,%s]},%s%s]}]}\n", head, eth0_in,
		 ssh, doc6, eth0_out, ssh_out);
	expect(-1, want);
}

/* One filter index in every entry; an index an entry lacks leaves its
 * totals alone. */
static void test_only(void **state)
{
	char want[2048];

	(void)state;
	snprintf(want, sizeof(want), "%s%s%s]},%s%s]}]}\n", head, eth0_in, ssh,
		 eth0_out, ssh_out);
	expect(0, want);
	snprintf(want, sizeof(want), "%s%s%s]},%s]}]}\n", head, eth0_in, doc6,
		 eth0_out);
	expect(1, want);
	snprintf(want, sizeof(want), "%s%s]},%s]}]}\n", head, eth0_in,
		 eth0_out);
	expect(2, want);
}

/* Names escaped; an entry never read (no snap) is zero totals, no filters;
 * no entries at all is an empty array. */
static void test_missing_escaped(void **state)
{
	const struct ifstat_entry e = { "a\"b\\c", "egress", "none",
					"none",	   false,    NULL };
	struct ifstat_view v = {
		.interval_ms = 10, .time_ms = 0, .nentries = 1, .entries = &e
	};
	struct ifstat_buf b;

	(void)state;
	ifstat_buf_init(&b);
	ifstat_json_snapshot(&b, &v, -1);
	assert_string_equal(b.data,
			    "{\"version\":2,\"interval_ms\":10,\"time_ms\":0,"
			    "\"epoch\":0,\"size_edges\":[],\"interfaces\":["
			    "{\"interface\":\"a\\\"b\\\\c\",\"direction\":"
			    "\"egress\",\"hook\":\"none\",\"mode\":\"none\","
			    "\"present\":false,\"totals\":{\"packets\":0,"
			    "\"bytes\":0,\"unmatched\":0,\"non_ip\":0,"
			    "\"malformed\":0},\"filters\":[]}]}\n");
	ifstat_buf_reset(&b);
	v.nentries = 0;
	ifstat_json_snapshot(&b, &v, -1);
	assert_string_equal(b.data, "{\"version\":2,\"interval_ms\":10,\"time_"
				    "ms\":0,"
				    "\"epoch\":0,\"size_edges\":[],"
				    "\"interfaces\":[]}"
				    "\n");
	ifstat_buf_free(&b);
}

/* The entry ifstat.data shows: the first ingress, else the first. */
static void test_main_entry(void **state)
{
	const struct ifstat_entry e[] = {
		{ "eth0", "egress", "tc", "clsact", true, NULL },
		{ "eth1", "ingress", "xdp", "generic", true, NULL },
		{ "eth1", "egress", "tc", "clsact", true, NULL },
	};
	struct ifstat_view v = { .nentries = 3, .entries = e };

	(void)state;
	assert_ptr_equal(ifstat_view_main(&v), &e[1]);
	v.nentries = 1;
	assert_ptr_equal(ifstat_view_main(&v), &e[0]);
	v.nentries = 0;
	assert_null(ifstat_view_main(&v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_missing_escaped),
		cmocka_unit_test(test_main_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
