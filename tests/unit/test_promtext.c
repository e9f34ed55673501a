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

/*
 * Everything after the reload timestamp, for two entries: eth0 ingress
 * counted (fill()), eth1 egress missing and never read (zero totals, no
 * filters).
 */
static const char body[] =
	"# HELP ifstat_interface_info An interface and direction counted and "
	"how: the hook (xdp, tc; none while not attached) and its mode; "
	"always 1.\n"
	"# TYPE ifstat_interface_info gauge\n"
	"ifstat_interface_info{interface=\"eth0\",direction=\"ingress\","
	"hook=\"xdp\",mode=\"native\"} 1\n"
	"ifstat_interface_info{interface=\"eth1\",direction=\"egress\","
	"hook=\"none\",mode=\"none\"} 1\n"
	"# HELP ifstat_interface_present 1 while the interface exists and is "
	"counted, 0 while it is missing (its counters do not move).\n"
	"# TYPE ifstat_interface_present gauge\n"
	"ifstat_interface_present{interface=\"eth0\",direction=\"ingress\"} "
	"1\n"
	"ifstat_interface_present{interface=\"eth1\",direction=\"egress\"} "
	"0\n"
	"# HELP ifstat_frames_total Frames seen at the hook: all, matched by "
	"no filter, neither IPv4 nor IPv6, malformed. The kinds overlap: all "
	"includes the others.\n"
	"# TYPE ifstat_frames_total counter\n"
	"ifstat_frames_total{interface=\"eth0\",direction=\"ingress\","
	"kind=\"all\"} 20\n"
	"ifstat_frames_total{interface=\"eth0\",direction=\"ingress\","
	"kind=\"unmatched\"} 3\n"
	"ifstat_frames_total{interface=\"eth0\",direction=\"ingress\","
	"kind=\"non_ip\"} 2\n"
	"ifstat_frames_total{interface=\"eth0\",direction=\"ingress\","
	"kind=\"malformed\"} 1\n"
	"ifstat_frames_total{interface=\"eth1\",direction=\"egress\","
	"kind=\"all\"} 0\n"
	"ifstat_frames_total{interface=\"eth1\",direction=\"egress\","
	"kind=\"unmatched\"} 0\n"
	"ifstat_frames_total{interface=\"eth1\",direction=\"egress\","
	"kind=\"non_ip\"} 0\n"
	"ifstat_frames_total{interface=\"eth1\",direction=\"egress\","
	"kind=\"malformed\"} 0\n"
	"# HELP ifstat_bytes_total Bytes of all frames seen at the hook "
	"(whole frames, without FCS).\n"
	"# TYPE ifstat_bytes_total counter\n"
	"ifstat_bytes_total{interface=\"eth0\",direction=\"ingress\"} "
	"18446744073709551615\n"
	"ifstat_bytes_total{interface=\"eth1\",direction=\"egress\"} 0\n"
	"# HELP ifstat_filter_info A filter: its name, position and "
	"definition in the canonical one-line form; always 1.\n"
	"# TYPE ifstat_filter_info gauge\n"
	"ifstat_filter_info{interface=\"eth0\",direction=\"ingress\","
	"filter=\"ssh\",index=\"0\",match=\"tcp src 192.0.2.10 src port 22\"}"
	" 1\n"
	"ifstat_filter_info{interface=\"eth0\",direction=\"ingress\","
	"filter=\"doc6\",index=\"1\",match=\"host 2001:db8::/32\"} 1\n"
	"# HELP ifstat_packet_size_bytes Sizes of the frames a filter matched "
	"(whole frames, without FCS); the buckets are the configured size "
	"edges.\n"
	"# TYPE ifstat_packet_size_bytes histogram\n"
#define SSH "{interface=\"eth0\",direction=\"ingress\",filter=\"ssh\""
#define DOC6 "{interface=\"eth0\",direction=\"ingress\",filter=\"doc6\""
	"ifstat_packet_size_bytes_bucket" SSH ",le=\"64\"} 1\n"
	"ifstat_packet_size_bytes_bucket" SSH ",le=\"127\"} 3\n"
	"ifstat_packet_size_bytes_bucket" SSH ",le=\"1500\"} 6\n"
	"ifstat_packet_size_bytes_bucket" SSH ",le=\"+Inf\"} 10\n"
	"ifstat_packet_size_bytes_sum" SSH "} 4000\n"
	"ifstat_packet_size_bytes_count" SSH "} 10\n"
	"ifstat_packet_size_bytes_bucket" DOC6 ",le=\"64\"} 0\n"
	"ifstat_packet_size_bytes_bucket" DOC6 ",le=\"127\"} 0\n"
	"ifstat_packet_size_bytes_bucket" DOC6 ",le=\"1500\"} 0\n"
	"ifstat_packet_size_bytes_bucket" DOC6 ",le=\"+Inf\"} 0\n"
	"ifstat_packet_size_bytes_sum" DOC6 "} 0\n"
	"ifstat_packet_size_bytes_count" DOC6 "} 0\n";
#undef SSH
#undef DOC6

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

/* Two entries, the first counted by s (its edges the view's), the second
 * missing; v points into t. */
struct two {
	struct ifstat_entry e[2];
	struct ifstat_view v;
};

static void two(struct two *t, const struct ifstat_snapshot *s)
{
	const struct ifstat_entry e[2] = {
		{ "eth0", "ingress", "xdp", "native", true, s },
		{ "eth1", "egress", "none", "none", false, NULL },
	};

	memcpy(t->e, e, sizeof(e));
	memset(&t->v, 0, sizeof(t->v));
	t->v.nedges = s->nedges;
	t->v.edges = s->edges;
	t->v.nentries = 2;
	t->v.entries = t->e;
}

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
	struct ifstat_buf b;
	char reload[512];
	struct two t;

	(void)state;
	two(&t, s);
	t.v.interval_ms = 1000;
	t.v.time_ms = 1700000001000ull;
	snprintf(reload, sizeof(reload),
		 "ifstat_config_last_reload_successful 1\n%s"
		 "ifstat_config_last_reload_timestamp_seconds "
		 "1700000000.042\n",
		 reload_ts_family);
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &t.v, &info_start);
	expect(&b, reload);
	ifstat_buf_free(&b);
	free(s);
}

/* A refused reload: 0, and its own time (milliseconds kept, 0-padded). */
static void test_exact_refused_reload(void **state)
{
	struct ifstat_snapshot *s = fill();
	struct ifstat_prom_info info = info_start;
	struct ifstat_buf b;
	char reload[512];
	struct two t;

	(void)state;
	two(&t, s);
	info.reload_time_ms = 1700000100007ull;
	info.reload_ok = false;
	snprintf(reload, sizeof(reload),
		 "ifstat_config_last_reload_successful 0\n%s"
		 "ifstat_config_last_reload_timestamp_seconds "
		 "1700000100.007\n",
		 reload_ts_family);
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &t.v, &info);
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
	ifstat_prom_text(&b, &t.v, &info);
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
	struct ifstat_prom_info info = info_start;
	struct ifstat_buf b;
	struct two t;

	(void)state;
	two(&t, s);
	t.e[0].interface = "e\"th\\0\n";
	t.e[0].direction = "in\"gress";
	t.e[0].hook = "x\\dp";
	t.e[0].mode = "gen\"eric";
	info.version = "1\\2";
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &t.v, &info);
	assert_int_equal(b.err, 0);
	assert_non_null(strstr(b.data, "ifstat_build_info{version=\"1\\\\2\"} "
				       "1\n"));
	assert_non_null(strstr(b.data, "ifstat_interface_info{interface="
				       "\"e\\\"th\\\\0\\n\",direction=\"in\\"
				       "\"gress\",hook=\"x\\\\dp\",mode=\"gen"
				       "\\\"eric\"} 1\n"));
	assert_non_null(strstr(b.data, "ifstat_interface_present{interface="
				       "\"e\\\"th\\\\0\\n\",direction=\"in\\"
				       "\"gress\"} 1\n"));
	assert_non_null(strstr(b.data, "ifstat_packet_size_bytes_count{"
				       "interface=\"e\\\"th\\\\0\\n\","
				       "direction=\"in\\\"gress\",filter="
				       "\"doc6\"} 0\n"));
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
	struct ifstat_buf b;
	struct two t;

	(void)state;
	two(&t, s);
	s->filters[0].packets = 9;
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &t.v, &info_start);
	assert_non_null(strstr(b.data, "filter=\"ssh\",le=\"+Inf\"} 10\n"));
	assert_non_null(strstr(b.data, "_count{interface=\"eth0\",direction="
				       "\"ingress\",filter=\"ssh\"} 10\n"));
	ifstat_buf_free(&b);
	free(s);
}

/*
 * 64 filters and 15 edges on two entries (one interface both ways), the
 * largest text of an interface: every line counted.
 */
static void test_largest(void **state)
{
	struct ifstat_snapshot *s = calloc(1, sizeof(*s));
	unsigned int i, lines = 0, buckets = 0;
	struct ifstat_buf b;
	char name[IFSTAT_NAME_MAX];
	const char *p;
	struct two t;

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
	two(&t, s);
	t.e[1] = t.e[0];
	t.e[1].direction = "egress";
	t.e[1].hook = "tc";
	t.e[1].mode = "clsact";
	ifstat_buf_init(&b);
	ifstat_prom_text(&b, &t.v, &info_start);
	assert_int_equal(b.err, 0);
	for (p = b.data; *p; p++)
		lines += *p == '\n';
	for (p = b.data; (p = strstr(p, "_bucket{")); p++)
		buckets++;
	/* 10 families x 2 comment lines; 4 single samples; per entry the
	 * info, present, 4 kinds and bytes; per filter its info, 16
	 * buckets, sum and count. */
	assert_int_equal(lines,
			 10 * 2 + 4 +
				 2 * (7 + IFSTAT_MAX_FILTERS * (1 + 16 + 2)));
	assert_int_equal(buckets, 2 * IFSTAT_MAX_FILTERS * 16);
	assert_true(b.len < 2 * 200 * 1024);
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
