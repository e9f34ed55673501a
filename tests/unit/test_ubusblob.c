// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The blobmsg forms ifstatd sends over ubus, read back with the real
 * libubox: the notification in the original tool's shape (for the first
 * ingress entry), and the JSON snapshot with every integer as a 64-bit
 * blobmsg integer.
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
#include <libubox/blobmsg_json.h>

#include "ubusblob.h"

static const uint32_t default_edges[] = { 64, 127, 255, 511, 1023, 1512 };

static void snap_init(struct ifstat_snapshot *s, const uint32_t *edges,
		      unsigned int nedges, unsigned int nfilters)
{
	unsigned int i, k;

	memset(s, 0, sizeof(*s));
	s->nedges = nedges;
	memcpy(s->edges, edges, nedges * sizeof(*edges));
	s->nfilters = nfilters;
	for (i = 0; i < nfilters; i++) {
		struct ifstat_filter_stats *f = &s->filters[i];

		snprintf(f->name, sizeof(f->name), "f%u", i);
		for (k = 0; k <= nedges; k++) {
			/* Distinct everywhere, one beyond 32 bits. */
			f->buckets[k] = 1000 * (i + 1) + k;
			f->packets += f->buckets[k];
		}
		f->bytes = 5000000000ull + i;
	}
}

/* v shows s alone, as ifstatd counting one interface's ingress. */
static void view_of(struct ifstat_view *v, struct ifstat_entry *e,
		    const struct ifstat_snapshot *s)
{
	memset(e, 0, sizeof(*e));
	e->interface = "eth0";
	e->direction = "ingress";
	e->hook = "xdp";
	e->mode = "native";
	e->present = true;
	e->snap = s;
	memset(v, 0, sizeof(*v));
	v->nedges = s->nedges;
	v->edges = s->edges;
	v->nentries = 1;
	v->entries = e;
}

/* The keys and values of one filter table, in order. */
static void check_table(struct blob_attr *t, const char *const *keys,
			unsigned int nkeys, const struct ifstat_filter_stats *f)
{
	struct blob_attr *cur;
	unsigned int n = 0;
	size_t rem;

	assert_int_equal(blobmsg_type(t), BLOBMSG_TYPE_TABLE);
	blobmsg_for_each_attr(cur, t, rem)
	{
		uint64_t want;

		assert_true(n < nkeys);
		assert_string_equal(blobmsg_name(cur), keys[n]);
		assert_int_equal(blobmsg_type(cur), BLOBMSG_TYPE_INT64);
		if (n + 2 < nkeys)
			want = f->buckets[n];
		else if (n + 2 == nkeys)
			want = f->bytes;
		else
			want = f->packets;
		assert_true(blobmsg_get_u64(cur) == want);
		n++;
	}
	assert_int_equal(n, nkeys);
}

static void test_data_default_edges(void **state)
{
	static const char *const keys[] = {
		"pkts_64",	"pkts_65_127",	 "pkts_128_255",
		"pkts_256_511", "pkts_512_1023", "pkts_1024_1512",
		"pkts_1513",	"pkts_bytes",	 "pkts_cnt",
	};
	struct blob_buf b = { 0 };
	struct ifstat_snapshot *s = malloc(sizeof(*s));
	struct ifstat_entry e;
	struct ifstat_view v;
	struct blob_attr *cur;
	unsigned int n = 0;
	char name[16];
	size_t rem;

	(void)state;
	assert_non_null(s);
	snap_init(s, default_edges, 6, 3);
	view_of(&v, &e, s);
	assert_int_equal(ifstat_ubus_blob_data(&b, &v), 0);
	blob_for_each_attr(cur, b.head, rem)
	{
		snprintf(name, sizeof(name), "filter%u", n);
		assert_string_equal(blobmsg_name(cur), name);
		check_table(cur, keys, 9, &s->filters[n]);
		n++;
	}
	assert_int_equal(n, 3);
	blob_buf_free(&b);
	free(s);
}

static void test_data_other_edges(void **state)
{
	static const uint32_t edges[] = { 64, 127, 255, 511, 1023, 1512, 9000 };
	static const char *const keys[] = {
		"pkts_64",	  "pkts_65_127",   "pkts_128_255",
		"pkts_256_511",	  "pkts_512_1023", "pkts_1024_1512",
		"pkts_1513_9000", "pkts_9001",	   "pkts_bytes",
		"pkts_cnt",
	};
	struct blob_buf b = { 0 };
	struct ifstat_snapshot *s = malloc(sizeof(*s));
	struct ifstat_entry e;
	struct ifstat_view v;
	struct blob_attr *cur;
	unsigned int n = 0;
	size_t rem;

	(void)state;
	assert_non_null(s);
	snap_init(s, edges, 7, 1);
	view_of(&v, &e, s);
	assert_int_equal(ifstat_ubus_blob_data(&b, &v), 0);
	blob_for_each_attr(cur, b.head, rem)
	{
		assert_string_equal(blobmsg_name(cur), "filter0");
		check_table(cur, keys, 10, &s->filters[0]);
		n++;
	}
	assert_int_equal(n, 1);
	/* No filter: an empty table, still a valid message. */
	s->nfilters = 0;
	assert_int_equal(ifstat_ubus_blob_data(&b, &v), 0);
	assert_int_equal(blob_len(b.head), 0);
	/* No entry at all: the same. */
	v.nentries = 0;
	assert_int_equal(ifstat_ubus_blob_data(&b, &v), 0);
	assert_int_equal(blob_len(b.head), 0);
	blob_buf_free(&b);
	free(s);
}

/*
 * Several interfaces and directions: ifstat.data keeps the original's
 * shape for the first ingress entry (the first configured interface's),
 * whatever comes before it; with no ingress at all, the first entry.
 */
static void test_data_first_ingress(void **state)
{
	static const char *const keys[] = {
		"pkts_64",	"pkts_65_127",	 "pkts_128_255",
		"pkts_256_511", "pkts_512_1023", "pkts_1024_1512",
		"pkts_1513",	"pkts_bytes",	 "pkts_cnt",
	};
	struct ifstat_snapshot *s = calloc(3, sizeof(*s));
	struct blob_buf b = { 0 };
	struct ifstat_entry e[3];
	struct ifstat_view v;
	struct blob_attr *cur;
	unsigned int i, n = 0;
	size_t rem;

	(void)state;
	assert_non_null(s);
	for (i = 0; i < 3; i++) {
		snap_init(&s[i], default_edges, 6, i + 1);
		s[i].filters[0].packets = 100 + i; /* which one was sent */
	}
	view_of(&v, &e[0], &s[0]);
	e[1] = e[0];
	e[2] = e[0];
	e[0].direction = "egress";
	e[1].interface = "eth1";
	e[1].snap = &s[1];
	e[2].interface = "eth1";
	e[2].direction = "egress";
	e[2].snap = &s[2];
	v.nentries = 3;
	assert_int_equal(ifstat_ubus_blob_data(&b, &v), 0);
	blob_for_each_attr(cur, b.head, rem)
	{
		check_table(cur, keys, 9, &s[1].filters[n]);
		n++;
	}
	assert_int_equal(n, 2);
	e[1].direction = "egress";
	n = 0;
	assert_int_equal(ifstat_ubus_blob_data(&b, &v), 0);
	blob_for_each_attr(cur, b.head, rem)
	{
		check_table(cur, keys, 9, &s[0].filters[n]);
		n++;
	}
	assert_int_equal(n, 1);
	blob_buf_free(&b);
	free(s);
}

/* Each type as the JSON has it; integers always 64-bit, small or not. */
static void test_json_types(void **state)
{
	static const char json[] = "{\"version\":1,\"name\":\"a\\\"b\",\"big\":"
				   "18446744073709551615,"
				   "\"neg\":-5,\"t\":true,\"d\":0.5,\"n\":null,"
				   "\"arr\":[0,1,[2]],\"obj\":{\"x\":7}}";
	enum { V, NAME, BIG, NEG, T, D, NUL, ARR, OBJ, MAX };
	static const struct blobmsg_policy pol[MAX] = {
		[V] = { "version", BLOBMSG_TYPE_INT64 },
		[NAME] = { "name", BLOBMSG_TYPE_STRING },
		[BIG] = { "big", BLOBMSG_TYPE_INT64 },
		[NEG] = { "neg", BLOBMSG_TYPE_INT64 },
		[T] = { "t", BLOBMSG_TYPE_BOOL },
		[D] = { "d", BLOBMSG_TYPE_DOUBLE },
		[NUL] = { "n", BLOBMSG_TYPE_UNSPEC },
		[ARR] = { "arr", BLOBMSG_TYPE_ARRAY },
		[OBJ] = { "obj", BLOBMSG_TYPE_TABLE },
	};
	struct blob_attr *tb[MAX], *cur;
	struct blob_buf b = { 0 };
	unsigned int n = 0;
	size_t rem;
	int i;

	(void)state;
	blob_buf_init(&b, 0);
	assert_int_equal(ifstat_ubus_blob_json(&b, json), 0);
	assert_int_equal(blobmsg_parse(pol, MAX, tb, blob_data(b.head),
				       blob_len(b.head)),
			 0);
	for (i = 0; i < MAX; i++)
		assert_non_null(tb[i]);
	assert_true(blobmsg_get_u64(tb[V]) == 1);
	assert_string_equal(blobmsg_get_string(tb[NAME]), "a\"b");
	assert_true(blobmsg_get_u64(tb[BIG]) == UINT64_MAX);
	assert_true((int64_t)blobmsg_get_u64(tb[NEG]) == -5);
	assert_true(blobmsg_get_bool(tb[T]));
	assert_true(blobmsg_get_double(tb[D]) == 0.5);
	blobmsg_for_each_attr(cur, tb[ARR], rem)
	{
		if (n < 2) {
			assert_int_equal(blobmsg_type(cur), BLOBMSG_TYPE_INT64);
			assert_true(blobmsg_get_u64(cur) == n);
		} else {
			assert_int_equal(blobmsg_type(cur), BLOBMSG_TYPE_ARRAY);
		}
		n++;
	}
	assert_int_equal(n, 3);
	blob_buf_free(&b);
}

/* The snapshot as ubus shows it (stats, ifstat.stats) is the JSON that
 * went in, the line of version 2 with its array of entries. */
static void test_json_round_trip(void **state)
{
	static const char json[] =
		"{\"version\":2,\"interval_ms\":1000,\"time_ms\":"
		"1700000000000,\"epoch\":3,\"size_edges\":[64,127],"
		"\"interfaces\":[{\"interface\":\"eth0\",\"direction\":"
		"\"ingress\",\"hook\":\"xdp\",\"mode\":\"native\","
		"\"present\":true,\"totals\":{\"packets\":9,\"bytes\":"
		"4294967296},\"filters\":[{\"index\":0,\"name\":\"all\","
		"\"match\":\"any\",\"packets\":9,\"bytes\":4294967296,"
		"\"sizes\":[1,2,6]}]},{\"interface\":\"eth0\",\"direction\":"
		"\"egress\",\"hook\":\"none\",\"mode\":\"none\","
		"\"present\":false,\"totals\":{\"packets\":0,\"bytes\":0},"
		"\"filters\":[]}]}";
	struct blob_buf b = { 0 };
	char *out;

	(void)state;
	blob_buf_init(&b, 0);
	assert_int_equal(ifstat_ubus_blob_json(&b, json), 0);
	out = blobmsg_format_json(b.head, true);
	assert_non_null(out);
	assert_string_equal(out, json);
	free(out);
	blob_buf_free(&b);
}

static void test_json_errors(void **state)
{
	struct blob_buf b = { 0 };

	(void)state;
	blob_buf_init(&b, 0);
	assert_int_equal(ifstat_ubus_blob_json(&b, "[1,2]"), -EINVAL);
	assert_int_equal(ifstat_ubus_blob_json(&b, "{\"a\":"), -EINVAL);
	assert_int_equal(ifstat_ubus_blob_json(&b, "42"), -EINVAL);
	blob_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_default_edges),
		cmocka_unit_test(test_data_other_edges),
		cmocka_unit_test(test_data_first_ingress),
		cmocka_unit_test(test_json_types),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
