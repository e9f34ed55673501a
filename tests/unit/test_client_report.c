// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The client's parse of a snapshot line (schema version 2): every field
 * of a full line, then each way a line is refused (version 1 included),
 * with the exact message.
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

/* As src/lib/snapjson.c writes it: default edges, eth0 both ways, two
 * filters ingress, one egress (missing). */
#define LINE_HEAD                                                              \
	"{\"version\":2,\"interval_ms\":500,\"time_ms\":1735732800500,"        \
	"\"epoch\":42,\"size_edges\":[64,127,255,511,1023,1512],"
#define ENTRY_HEAD                                                             \
	"{\"interface\":\"eth0\",\"direction\":\"ingress\",\"hook\":\"xdp\","  \
	"\"mode\":\"native\",\"present\":true,"
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
#define EGRESS                                                                 \
	"{\"interface\":\"eth0\",\"direction\":\"egress\",\"hook\":\"tc\","    \
	"\"mode\":\"clsact\",\"present\":false,\"totals\":{\"packets\":2,"     \
	"\"bytes\":3,\"unmatched\":4,\"non_ip\":5,\"malformed\":6},"           \
	"\"filters\":[" FILTER_SSH "]}"
/* An entry, up to its filters (for the cases that break them). */
#define ENTRY ENTRY_HEAD LINE_TOTALS
#define LINE                                                                   \
	LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[" FILTER_SSH          \
		  "," FILTER_V6 "]}," EGRESS "]}"

static struct ifstat_report r;
static char err[256];

static void test_full_line(void **state)
{
	static const uint32_t edges[] = { 64, 127, 255, 511, 1023, 1512 };
	static const uint64_t ssh[] = { 50, 20, 10, 5, 3, 1, 1 };
	const struct ifstat_report_entry *in = &r.entries[0];
	const struct ifstat_report_entry *out = &r.entries[1];

	(void)state;
	assert_int_equal(ifstat_report_parse(LINE, &r, err, sizeof(err)), 0);
	assert_int_equal(r.interval_ms, 500);
	assert_true(r.time_ms == 1735732800500ull);
	assert_true(r.epoch == 42);
	assert_int_equal(r.nedges, 6);
	assert_memory_equal(r.edges, edges, sizeof(edges));
	assert_int_equal(r.nentries, 2);
	assert_string_equal(in->interface, "eth0");
	assert_string_equal(in->direction, "ingress");
	assert_string_equal(in->hook, "xdp");
	assert_string_equal(in->mode, "native");
	assert_true(in->present);
	assert_true(in->totals.packets == 1000 && in->totals.bytes == 250000);
	assert_true(in->totals.unmatched == 7 && in->totals.non_ip == 3 &&
		    in->totals.malformed == 1);
	assert_int_equal(in->nfilters, 2);
	assert_int_equal(in->filters[0].index, 0);
	assert_string_equal(in->filters[0].name, "ssh");
	assert_string_equal(in->filters[0].match, "tcp src 140.82.33.182 src "
						  "port 22");
	assert_true(in->filters[0].packets == 90 &&
		    in->filters[0].bytes == 12345);
	assert_memory_equal(in->filters[0].sizes, ssh, sizeof(ssh));
	/* Counters above INT64_MAX come through whole. */
	assert_int_equal(in->filters[1].index, 1);
	assert_string_equal(in->filters[1].match, "host 2001:db8::/32");
	assert_true(in->filters[1].packets == UINT64_MAX);
	assert_true(in->filters[1].sizes[6] == UINT64_MAX);
	assert_int_equal(ifstat_report_find(in, "v6"), 1);
	assert_int_equal(ifstat_report_find(in, "ssh"), 0);
	assert_int_equal(ifstat_report_find(in, "dns"), -1);
	/* The second entry, its own. */
	assert_string_equal(out->direction, "egress");
	assert_string_equal(out->hook, "tc");
	assert_string_equal(out->mode, "clsact");
	assert_false(out->present);
	assert_true(out->totals.packets == 2 && out->totals.bytes == 3 &&
		    out->totals.unmatched == 4 && out->totals.non_ip == 5 &&
		    out->totals.malformed == 6);
	assert_int_equal(out->nfilters, 1);
	assert_int_equal(ifstat_report_find(out, "v6"), -1);
	assert_ptr_equal(ifstat_report_entry(&r, "eth0", "egress"), out);
	assert_ptr_equal(ifstat_report_entry(&r, "eth0", "ingress"), in);
	assert_null(ifstat_report_entry(&r, "eth1", "ingress"));
}

/* Unknown members are a later minor addition, not an error; no entry at
 * all is a snapshot too. */
static void test_unknown_members_ignored(void **state)
{
	(void)state;
	assert_int_equal(ifstat_report_parse(LINE_HEAD "\"interfaces\":[" ENTRY
						       "\"filters\":[],"
						       "\"later\":1}],"
						       "\"later\":["
						       "1,{\"x\":2}"
						       "]}  ",
					     &r, err, sizeof(err)),
			 0);
	assert_int_equal(r.nentries, 1);
	assert_int_equal(r.entries[0].nfilters, 0);
	assert_true(r.entries[0].totals.packets == 1000);
	assert_int_equal(ifstat_report_parse(LINE_HEAD "\"interfaces\":[]}", &r,
					     err, sizeof(err)),
			 0);
	assert_int_equal(r.nentries, 0);
}

/* Each case: a line and the exact complaint. */
struct bad {
	const char *line, *msg;
};

#define V2 "{\"version\":2,"
#define E0 LINE_HEAD "\"interfaces\":[{"
static const struct bad bad[] = {
	{ "", "not JSON: unexpected end of line" },
	{ "garbage", "not JSON: unexpected character at offset 0" },
	{ "{\"version\":2", "not JSON: unexpected end of line" },
	{ "[1,2]", "not a JSON object" },
	{ LINE " x", "not JSON: text after the object at offset 854" },
	{ "{}", "version: missing" },
	{ "{\"version\":\"2\"}", "version: not an integer" },
	/* Version 1, as ifstatd wrote it before it counted several. */
	{ "{\"version\":1,\"interface\":\"eth0\",\"xdp_mode\":\"native\"}",
	  "schema version 1 (an older ifstatd), this ifstat reads version 2" },
	{ "{\"version\":3}", "schema version 3 (a newer ifstatd), this ifstat "
			     "reads version 2" },
	{ V2 "\"interval_ms\":1.5}", "interval_ms: not an integer" },
	{ V2 "\"interval_ms\":-500}", "interval_ms: negative" },
	{ V2 "\"interval_ms\":4294967296}", "interval_ms: 4294967296 is too "
					    "large" },
	{ V2 "\"interval_ms\":500,\"time_ms\":1}", "epoch: missing" },
	{ V2 "\"interval_ms\":500,\"time_ms\":1,\"epoch\":1,\"size_edges\":[]}",
	  "size_edges: 0 edges, expected 1 to 15" },
	{ V2 "\"interval_ms\":500,\"time_ms\":1,\"epoch\":1,"
	     "\"size_edges\":[64,64]}",
	  "size_edges: not increasing at 1" },
	{ V2 "\"interval_ms\":500,\"time_ms\":1,\"epoch\":1,"
	     "\"size_edges\":[64,\"x\"]}",
	  "size_edges[1]: not an integer" },
	{ LINE_HEAD "\"totals\":{},\"filters\":[]}", "interfaces: missing" },
	{ LINE_HEAD "\"interfaces\":{}}", "interfaces: not an array" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[]},7]}", "interfaces"
								    "[1]: not "
								    "an "
								    "object" },
	{ E0 "}]}", "interfaces[0].interface: missing" },
	{ E0 "\"interface\":\"eth0\",\"direction\":1}]}", "interfaces[0]."
							  "direction: not a "
							  "string" },
	{ E0 "\"interface\":\"eth0\",\"direction\":\"ingress\",\"hook\":"
	     "\"xdp\"}]}",
	  "interfaces[0].mode: missing" },
	{ E0 "\"interface\":\"eth0\",\"direction\":\"ingress\",\"hook\":"
	     "\"xdp\",\"mode\":\"native\",\"present\":1}]}",
	  "interfaces[0].present: not a boolean" },
	{ E0 "\"interface\":\"0123456789012345678901234567890123456789"
	     "012345678901234567890123\"}]}",
	  "interfaces[0].interface: longer than 63 characters" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY_HEAD "\"filters\":[]}]}", "interfa"
								       "ces[0]."
								       "totals:"
								       " missin"
								       "g" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY_HEAD "\"totals\":{\"packets\":1,"
		    "\"bytes\":2,\"unmatched\":3,"
		    "\"non_ip\":4},\"filters\":[]}]}",
	  "interfaces[0].totals.malformed: missing" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":{}}]}", "interfaces["
								  "0].filters: "
								  "not an "
								  "array" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[7]}]}", "interfaces["
								   "0].filters["
								   "0]: not an "
								   "object" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[" FILTER_SSH
		    ",{\"index\":1,\"name\":\"x\",\"match\":\"\","
		    "\"packets\":0,\"bytes\":0}]}]}",
	  "interfaces[0].filters[1].sizes: missing" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[{\"index\":0,"
		    "\"name\":\"x\",\"match\":\"\",\"packets\":0,\"bytes\":0,"
		    "\"sizes\":[0,0,0,0,0,0]}]}]}",
	  "interfaces[0].filters[0].sizes: 6 values, expected 7" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[{\"index\":0,"
		    "\"name\":\"x\",\"match\":\"\",\"packets\":0,\"bytes\":0,"
		    "\"sizes\":[0,0,0,-1,0,0,0]}]}]}",
	  "interfaces[0].filters[0].sizes[3]: negative" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[{\"index\":64,"
		    "\"name\":\"x\",\"match\":\"\"}]}]}",
	  "interfaces[0].filters[0].index: 64 is too large" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[{\"index\":0,"
		    "\"name\":\"abcdefghijklmnopqrstuvwxyz0123456\"}]}]}",
	  "interfaces[0].filters[0].name: longer than 31 characters" },
	{ LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[" FILTER_SSH
		    "," FILTER_SSH "]}]}",
	  "interfaces[0].filters[1].name: 'ssh' twice" },
	/* Deltas pair entries by interface and direction. */
	{ LINE_HEAD "\"interfaces\":[" EGRESS "," EGRESS "]}", "interfaces[1]: "
							       "eth0 egress "
							       "twice" },
};
#undef V2
#undef E0

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

/* Writes the i-th of a line's repeated items at p; its length. */
typedef int item_fn(char *p, size_t i);

/*
 * head, 64 items, tail parses (r holds it for the caller's checks);
 * with 65 the line is refused saying refusal.
 */
static void at_limit(const char *head, item_fn *item, const char *tail,
		     const char *refusal)
{
	char *line = malloc(64 * 1024);
	size_t n, i;

	assert_non_null(line);
	for (int total = 65; total >= 64; total--) {
		n = (size_t)sprintf(line, "%s", head);
		for (i = 0; i < (size_t)total; i++) {
			if (i)
				line[n++] = ',';
			n += (size_t)item(line + n, i);
		}
		strcpy(line + n, tail);
		err[0] = '\0';
		assert_int_equal(ifstat_report_parse(line, &r, err,
						     sizeof(err)),
				 total == 64 ? 0 : -22);
		assert_string_equal(err, total == 64 ? "" : refusal);
	}
	free(line);
}

static int filter_item(char *p, size_t i)
{
	return sprintf(p,
		       "{\"index\":%zu,\"name\":\"f%zu\",\"match\":\"udp port "
		       "%zu\",\"packets\":%zu,\"bytes\":0,\"sizes\":[0,0,0,0,"
		       "0,0,%zu]}",
		       i % 64, i, i, i, i);
}

/* 64 filters are the limit; 65 are refused. */
static void test_filter_count(void **state)
{
	(void)state;
	at_limit(LINE_HEAD "\"interfaces\":[" ENTRY "\"filters\":[",
		 filter_item, "]}]}",
		 "interfaces[0].filters: 65 filters, at most 64");
	assert_int_equal(r.entries[0].nfilters, 64);
	assert_string_equal(r.entries[0].filters[63].name, "f63");
	assert_true(r.entries[0].filters[63].sizes[6] == 63);
}

static int entry_item(char *p, size_t i)
{
	return sprintf(p,
		       "{\"interface\":\"if%zu\",\"direction\":\"%s\","
		       "\"hook\":\"xdp\",\"mode\":\"native\",\"present\":"
		       "true," LINE_TOTALS "\"filters\":[]}",
		       i / 2, i % 2 ? "egress" : "ingress");
}

/* 64 entries are the limit (32 interfaces both ways); 65 are refused. */
static void test_entry_count(void **state)
{
	(void)state;
	at_limit(LINE_HEAD "\"interfaces\":[", entry_item, "]}",
		 "interfaces: 65 entries, at most 64");
	assert_int_equal(r.nentries, 64);
	assert_string_equal(r.entries[63].interface, "if31");
	assert_string_equal(r.entries[63].direction, "egress");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_line),
		cmocka_unit_test(test_unknown_members_ignored),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_filter_count),
		cmocka_unit_test(test_entry_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
