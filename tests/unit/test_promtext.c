// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The Prometheus text of a snapshot, compared byte for byte with text
 * written by hand from the exposition format: families with HELP and
 * TYPE, cumulative buckets, escaped label values, the reload states.
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
#include "promtext.h"

static const char head[] =
	"# HELP ifstat_build_info The version of ifstatd serving these "
	"metrics; always 1.\n"
	"# TYPE ifstat_build_info gauge\n"
	"ifstat_build_info{version=\"1.2.3\"} 1\n"
	"# HELP ifstat_start_time_seconds When ifstatd started, in seconds "
	"since the Unix epoch.\n"
	"# TYPE ifstat_start_time_seconds gauge\n"
	"ifstat_start_time_seconds 1700000000.042\n"
	"# HELP ifstat_config_last_reload_successful 1 when the last "
	"configuration reload was applied (or none was asked for yet), 0 "
	"when it was refused.\n"
	"# TYPE ifstat_config_last_reload_successful gauge\n";

static const char reload_ts_family[] =
	"# HELP ifstat_config_last_reload_timestamp_seconds When the last "
	"configuration reload was attempted (the start when none was), in "
	"seconds since the Unix epoch.\n"
	"# TYPE ifstat_config_last_reload_timestamp_seconds gauge\n";

/* Everything after the reload timestamp, for the snapshot of fill(). */
static const char body[] =
	"# HELP ifstat_xdp_info The interface counted and how the XDP program "
	"is attached; always 1.\n"
	"# TYPE ifstat_xdp_info gauge\n"
	"ifstat_xdp_info{interface=\"eth0\",mode=\"native\"} 1\n"
	"# HELP ifstat_frames_total Frames seen at the XDP hook: all, matched "
	"by no filter, neither IPv4 nor IPv6, malformed. The kinds overlap: "
	"all includes the others.\n"
	"# TYPE ifstat_frames_total counter\n"
	"ifstat_frames_total{interface=\"eth0\",kind=\"all\"} 20\n"
	"ifstat_frames_total{interface=\"eth0\",kind=\"unmatched\"} 3\n"
	"ifstat_frames_total{interface=\"eth0\",kind=\"non_ip\"} 2\n"
	"ifstat_frames_total{interface=\"eth0\",kind=\"malformed\"} 1\n"
	"# HELP ifstat_bytes_total Bytes of all frames seen at the XDP hook "
	"(whole frames, without FCS).\n"
	"# TYPE ifstat_bytes_total counter\n"
	"ifstat_bytes_total{interface=\"eth0\"} 18446744073709551615\n"
	"# HELP ifstat_filter_info A filter: its name, position and "
	"definition in the canonical one-line form; always 1.\n"
	"# TYPE ifstat_filter_info gauge\n"
	"ifstat_filter_info{interface=\"eth0\",filter=\"ssh\",index=\"0\","
	"match=\"tcp src 192.0.2.10 src port 22\"} 1\n"
	"ifstat_filter_info{interface=\"eth0\",filter=\"doc6\",index=\"1\","
	"match=\"host 2001:db8::/32\"} 1\n"
	"# HELP ifstat_packet_size_bytes Sizes of the frames a filter matched "
	"(whole frames, without FCS); the buckets are the configured size "
	"edges.\n"
	"# TYPE ifstat_packet_size_bytes histogram\n"
	"ifstat_packet_size_bytes_bucket{interface=\"eth0\",filter=\"ssh\","
	"le=\"64\"} 1\n"
	"ifstat_packet_size_bytes_bucket{interface=\"eth0\",filter=\"ssh\","
	"le=\"127\"} 3\n"
	"ifstat_packet_size_bytes_bucket{interface=\"eth0\",filter=\"ssh\","
	"le=\"1500\"} 6\n"
	"ifstat_packet_size_bytes_bucket{interface=\"eth0\",filter=\"ssh\","
	"le=\"+Inf\"} 10\n"
	"ifstat_packet_size_bytes_sum{interface=\"eth0\",filter=\"ssh\"} "
	"4000\n"
	"ifstat_packet_size_bytes_count{interface=\"eth0\",filter=\"ssh\"} "
	"10\n"
	"ifstat_packet_size_bytes_bucket{interface=\"eth0\",filter=\"doc6\","
	"le=\"64\"} 0\n"
	"ifstat_packet_size_bytes_bucket{interface=\"eth0\",filter=\"doc6\","
	"le=\"127\"} 0\n"
	"ifstat_packet_size_bytes_bucket{interface=\"eth0\",filter=\"doc6\","
	"le=\"1500\"} 0\n"
	"ifstat_packet_size_bytes_bucket{interface=\"eth0\",filter=\"doc6\","
	"le=\"+Inf\"} 0\n"
	"ifstat_packet_size_bytes_sum{interface=\"eth0\",filter=\"doc6\"} 0\n"
	"ifstat_packet_size_bytes_count{interface=\"eth0\",filter=\"doc6\"} "
	"0\n";

static void add_filter(struct ifstat_snapshot *s, const char *name,
		       const char *text)
{
	struct ifstat_filter_stats *f = &s->filters[s->nfilters++];
	struct ifstat_diag err;

	snprintf(f->name, sizeof(f->name), "%s", name);
	assert_int_equal(ifstat_filter_parse(text, &f->filter, &err), 0);
}

/* Three edges, two filters; totals that include a full 64-bit value. */
static struct ifstat_snapshot *fill(void)
{
	struct ifstat_snapshot *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->nedges = 3;
	s->edges[0] = 64;
	s->edges[1] = 127;
	s->edges[2] = 1500;
	s->totals.packets = 20;
	s->totals.bytes = UINT64_MAX;
	s->totals.unmatched = 3;
	s->totals.non_ip = 2;
	s->totals.malformed = 1;
	add_filter(s, "ssh", "tcp src 192.0.2.10 src port 22");
	add_filter(s, "doc6", "host 2001:db8::/32");
	s->filters[0].packets = 10;
	s->filters[0].bytes = 4000;
	s->filters[0].buckets[0] = 1;
	s->filters[0].buckets[1] = 2;
	s->filters[0].buckets[2] = 3;
	s->filters[0].buckets[3] = 4;
	return s;
}

static const struct ifstat_prom_info info_start = {
	.version = "1.2.3",
	.start_time_ms = 1700000000042ull,
};

static void expect(struct ifstat_buf *b, const char *reload)
{
	size_t n = strlen(head) + strlen(reload) + strlen(body) + 1;
	char *want = malloc(n);

	assert_non_null(want);
	snprintf(want, n, "%s%s%s", head, reload, body);
	assert_int_equal(b->err, 0);
	assert_string_equal(b->data, want);
	assert_int_equal(b->len, strlen(want));
	free(want);
}

/* Before any reload: the start counts as a successful load. */
static void test_exact_at_start(void **state)
{
	struct ifstat_snapshot *s = fill();
	struct ifstat_entry e = { .interface = "eth0",
				  .direction = "ingress",
				  .hook = "xdp",
				  .mode = "native",
				  .present = true,
				  .snap = s };
	struct ifstat_view v = { .interval_ms = 1000,
				 .time_ms = 1700000001000ull,
				 .nentries = 1,
				 .entries = &e };
	struct ifstat_buf b;
	char reload[512];

	(void)state;
	snprintf(reload, sizeof(reload),
		 "ifstat_config_last_reload_successful 1\n%s"
		 "ifstat_config_last_reload_timestamp_seconds "
		 "1700000000.042\n",
		 reload_ts_family);
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &v, &info_start);
	expect(&b, reload);
	ifstat_buf_free(&b);
	free(s);
}

/* A refused reload: 0, and its own time (milliseconds kept, 0-padded). */
static void test_exact_refused_reload(void **state)
{
	struct ifstat_snapshot *s = fill();
	struct ifstat_entry e = { .interface = "eth0",
				  .direction = "ingress",
				  .hook = "xdp",
				  .mode = "native",
				  .present = true,
				  .snap = s };
	struct ifstat_view v = { .nentries = 1, .entries = &e };
	struct ifstat_prom_info info = info_start;
	struct ifstat_buf b;
	char reload[512];

	(void)state;
	info.reload_time_ms = 1700000100007ull;
	info.reload_ok = false;
	snprintf(reload, sizeof(reload),
		 "ifstat_config_last_reload_successful 0\n%s"
		 "ifstat_config_last_reload_timestamp_seconds "
		 "1700000100.007\n",
		 reload_ts_family);
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &v, &info);
	expect(&b, reload);

	/* The next one applied. */
	info.reload_time_ms = 1700000200000ull;
	info.reload_ok = true;
	snprintf(reload, sizeof(reload),
		 "ifstat_config_last_reload_successful 1\n%s"
		 "ifstat_config_last_reload_timestamp_seconds "
		 "1700000200.000\n",
		 reload_ts_family);
	ifstat_buf_reset(&b);
	ifstat_prom_text(&b, &v, &info);
	expect(&b, reload);
	ifstat_buf_free(&b);
	free(s);
}

static void test_label_escaping(void **state)
{
	struct ifstat_buf b;

	(void)state;
	ifstat_buf_init(&b);
	ifstat_prom_label(&b, "a\"b\\c\nd'e\tf");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd'e\\\\x09f\"");
	/* An interface named with ESC and 0xFF (legal on Linux): the value
	 * stays UTF-8 and shows the bytes as text; UTF-8 passes. */
	ifstat_buf_reset(&b);
	ifstat_prom_label(&b, "e\x1b[31m\xff\xc3\xa9");
	assert_string_equal(b.data, "\"e\\\\x1b[31m\\\\xff\xc3\xa9\"");
	ifstat_buf_reset(&b);
	ifstat_prom_label(&b, "");
	assert_string_equal(b.data, "\"\"");
	ifstat_buf_free(&b);
}

/* Every value a caller passes goes through the escaping. */
static void test_escaped_everywhere(void **state)
{
	struct ifstat_snapshot *s = fill();
	struct ifstat_entry e = { .interface = "e\"th\\0\n",
				  .direction = "ingress",
				  .hook = "xdp",
				  .mode = "gen\"eric",
				  .present = true,
				  .snap = s };
	struct ifstat_view v = { .nentries = 1, .entries = &e };
	struct ifstat_prom_info info = info_start;
	struct ifstat_buf b;

	(void)state;
	info.version = "1\\2";
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &v, &info);
	assert_int_equal(b.err, 0);
	assert_non_null(strstr(b.data, "ifstat_build_info{version=\"1\\\\2\"} "
				       "1\n"));
	assert_non_null(strstr(b.data, "ifstat_xdp_info{interface="
				       "\"e\\\"th\\\\0\\n\","
				       "mode=\"gen\\\"eric\"} 1\n"));
	assert_non_null(strstr(b.data, "ifstat_packet_size_bytes_count{"
				       "interface=\"e\\"
				       "\"th\\\\0\\n\",filter=\"doc6\"} 0\n"));
	/* No raw newline inside a sample line: every line is well formed. */
	assert_null(strstr(b.data, "\\0\n\""));
	ifstat_buf_free(&b);
	free(s);
}

/*
 * A read that races with the program can see a frame in the buckets but
 * not yet in packets (or the reverse): the histogram stays valid, its
 * +Inf bucket and count both the sum of the buckets.
 */
static void test_count_is_bucket_sum(void **state)
{
	struct ifstat_snapshot *s = fill();
	struct ifstat_entry e = { .interface = "eth0",
				  .direction = "ingress",
				  .hook = "xdp",
				  .mode = "native",
				  .present = true,
				  .snap = s };
	struct ifstat_view v = { .nentries = 1, .entries = &e };
	struct ifstat_buf b;

	(void)state;
	s->filters[0].packets = 9;
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &v, &info_start);
	assert_non_null(strstr(b.data, "filter=\"ssh\",le=\"+Inf\"} 10\n"));
	assert_non_null(strstr(b.data, "_count{interface=\"eth0\","
				       "filter=\"ssh\"} 10\n"));
	ifstat_buf_free(&b);
	free(s);
}

/* 64 filters and 15 edges, the largest text: every line counted. */
static void test_largest(void **state)
{
	struct ifstat_snapshot *s = calloc(1, sizeof(*s));
	struct ifstat_entry e = { .interface = "eth0",
				  .direction = "ingress",
				  .hook = "xdp",
				  .mode = "native",
				  .present = true,
				  .snap = s };
	struct ifstat_view v = { .nentries = 1, .entries = &e };
	unsigned int i, lines = 0, buckets = 0;
	struct ifstat_buf b;
	char name[IFSTAT_NAME_MAX];
	const char *p;

	(void)state;
	assert_non_null(s);
	s->nedges = IFSTAT_MAX_EDGES;
	for (i = 0; i < s->nedges; i++)
		s->edges[i] = 100 * (i + 1);
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
		snprintf(name, sizeof(name), "f%u", i);
		add_filter(s, name, "any");
		s->filters[i].buckets[i % IFSTAT_MAX_BUCKETS] = i;
	}
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &v, &info_start);
	assert_int_equal(b.err, 0);
	for (p = b.data; *p; p++)
		lines += *p == '\n';
	for (p = b.data; (p = strstr(p, "_bucket{")); p++)
		buckets++;
	/* 9 families x 2 comment lines; 6 single samples; 4 kinds; one
	 * info, 16 buckets, sum and count per filter. */
	assert_int_equal(lines, 9 * 2 + 6 + 4 + 64 * (1 + 16 + 2));
	assert_int_equal(buckets, 64 * 16);
	assert_true(b.len < 200 * 1024);
	ifstat_buf_free(&b);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_at_start),
		cmocka_unit_test(test_exact_refused_reload),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_escaped_everywhere),
		cmocka_unit_test(test_count_is_bucket_sum),
		cmocka_unit_test(test_largest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
