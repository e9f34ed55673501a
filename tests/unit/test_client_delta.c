// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Deltas between two snapshots (the rule in src/client/delta.h): plain
 * differences, the first snapshot, counters reset (epoch changed, one
 * filter or all), any one counter going down alone (a bucket, bytes,
 * packets, each total), filters new, renamed or redefined, edges changed,
 * entries paired by interface and direction, and the time between
 * snapshots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "delta.h"

static struct ifstat_report prev, cur;

/* To the last entry of r. */
static void add_filter(struct ifstat_report *r, const char *name,
		       const char *match, uint64_t packets, uint64_t bytes)
{
	struct ifstat_report_entry *e = &r->entries[r->nentries - 1];
	struct ifstat_report_filter *f = &e->filters[e->nfilters];

	memset(f, 0, sizeof(*f));
	f->index = e->nfilters++;
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->match, sizeof(f->match), "%s", match);
	f->packets = packets;
	f->bytes = bytes;
	/* All in the first and the last bucket, half each (packets even). */
	f->sizes[0] = packets / 2;
	f->sizes[r->nedges] = packets - packets / 2;
}

static void add_entry(struct ifstat_report *r, const char *interface,
		      const char *direction)
{
	struct ifstat_report_entry *e = &r->entries[r->nentries++];

	memset(e, 0, sizeof(*e));
	snprintf(e->interface, sizeof(e->interface), "%s", interface);
	snprintf(e->direction, sizeof(e->direction), "%s", direction);
	snprintf(e->hook, sizeof(e->hook), "xdp");
	snprintf(e->mode, sizeof(e->mode), "native");
	e->present = true;
}

static void base(struct ifstat_report *r, uint64_t time_ms, uint64_t epoch)
{
	static const uint32_t edges[] = { 64, 127, 255, 511, 1023, 1512 };

	memset(r, 0, sizeof(*r));
	r->interval_ms = 500;
	r->time_ms = time_ms;
	r->epoch = epoch;
	memcpy(r->edges, edges, sizeof(edges));
	r->nedges = 6;
	add_entry(r, "eth0", "ingress");
}

static int setup(void **state)
{
	(void)state;
	base(&prev, 10000, 7);
	prev.entries[0].totals =
		(struct ifstat_report_totals){ 1000, 100000, 50, 20, 2 };
	add_filter(&prev, "ssh", "tcp port 22", 100, 10000);
	add_filter(&prev, "dns", "udp port 53", 40, 4000);
	base(&cur, 10500, 7);
	cur.entries[0].totals =
		(struct ifstat_report_totals){ 1100, 111000, 55, 21, 2 };
	add_filter(&cur, "ssh", "tcp port 22", 160, 16500);
	add_filter(&cur, "dns", "udp port 53", 40, 4000);
	return 0;
}

static void test_first_snapshot(void **state)
{
	struct ifstat_delta d;
	struct ifstat_delta_totals t;

	(void)state;
	ifstat_delta_filter(NULL, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_NONE);
	assert_false(d.reset);
	ifstat_delta_totals(NULL, &cur, 0, &t);
	assert_int_equal(t.kind, IFSTAT_DELTA_NONE);
	assert_true(ifstat_delta_seconds(NULL, &cur) == 0.0);
}

static void test_difference(void **state)
{
	struct ifstat_delta d;
	struct ifstat_delta_totals t;

	(void)state;
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_DIFF);
	assert_false(d.reset);
	assert_true(d.packets == 60 && d.bytes == 6500);
	assert_true(d.sizes[0] == 30 && d.sizes[6] == 30);
	assert_true(d.sizes[1] == 0 && d.sizes[5] == 0);
	ifstat_delta_filter(&prev, &cur, 0, 1, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_DIFF);
	assert_true(d.packets == 0 && d.bytes == 0 && d.sizes[0] == 0);
	ifstat_delta_totals(&prev, &cur, 0, &t);
	assert_int_equal(t.kind, IFSTAT_DELTA_DIFF);
	assert_true(t.t.packets == 100 && t.t.bytes == 11000 &&
		    t.t.unmatched == 5 && t.t.non_ip == 1 &&
		    t.t.malformed == 0);
	assert_true(ifstat_delta_seconds(&prev, &cur) == 0.5);
}

/* Pairing is by name, not position: a filter moved keeps its delta. */
static void test_moved(void **state)
{
	struct ifstat_delta d;

	(void)state;
	cur.entries[0].nfilters = 0;
	add_filter(&cur, "dns", "udp port 53", 44, 4400);
	add_filter(&cur, "ssh", "tcp port 22", 160, 16500);
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_DIFF);
	assert_true(d.packets == 4 && d.bytes == 400);
	ifstat_delta_filter(&prev, &cur, 0, 1, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_DIFF);
	assert_true(d.packets == 60 && d.bytes == 6500);
}

/* Everything reset: epoch changed, all below the old values. */
static void test_reset_all(void **state)
{
	struct ifstat_delta d;
	struct ifstat_delta_totals t;

	(void)state;
	base(&cur, 10500, 8);
	cur.entries[0].totals =
		(struct ifstat_report_totals){ 30, 3000, 1, 0, 0 };
	add_filter(&cur, "ssh", "tcp port 22", 12, 1200);
	add_filter(&cur, "dns", "udp port 53", 2, 200);
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(d.reset);
	assert_true(d.packets == 12 && d.bytes == 1200);
	assert_true(d.sizes[0] == 6 && d.sizes[6] == 6);
	ifstat_delta_totals(&prev, &cur, 0, &t);
	assert_int_equal(t.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(t.reset);
	assert_true(t.t.packets == 30 && t.t.bytes == 3000 &&
		    t.t.unmatched == 1 && t.t.non_ip == 0 &&
		    t.t.malformed == 0);
}

/*
 * One filter reset: the epoch changes for all, but only the reset one
 * counts from zero; the others and the totals keep their difference.
 */
static void test_reset_one(void **state)
{
	struct ifstat_delta d;
	struct ifstat_delta_totals t;

	(void)state;
	cur.epoch = 8;
	cur.entries[0].filters[1].packets = 6;
	cur.entries[0].filters[1].bytes = 600;
	cur.entries[0].filters[1].sizes[0] = 3;
	cur.entries[0].filters[1].sizes[6] = 3;
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_DIFF);
	assert_true(d.reset);
	assert_true(d.packets == 60);
	ifstat_delta_filter(&prev, &cur, 0, 1, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(d.reset);
	assert_true(d.packets == 6 && d.bytes == 600 && d.sizes[0] == 3);
	ifstat_delta_totals(&prev, &cur, 0, &t);
	assert_int_equal(t.kind, IFSTAT_DELTA_DIFF);
	assert_true(t.reset);
	assert_true(t.t.packets == 100);
}

/* One bucket going down is enough, even with packets and bytes up. */
static void test_bucket_down(void **state)
{
	struct ifstat_delta d;

	(void)state;
	cur.entries[0].filters[0].sizes[0] = 49;
	cur.entries[0].filters[0].sizes[6] = 111;
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_false(d.reset);
	assert_true(d.packets == 160 && d.sizes[0] == 49 && d.sizes[6] == 111);
}

/*
 * Bytes alone going down (packets and every bucket up) is a restart too:
 * the delta is the current value, not a wrapped difference.
 */
static void test_bytes_down(void **state)
{
	struct ifstat_delta d;

	(void)state;
	cur.entries[0].filters[0].bytes =
		9000; /* was 10000; packets 100 -> 160 */
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_false(d.reset);
	assert_true(d.packets == 160 && d.bytes == 9000);
	assert_true(d.sizes[0] == 80 && d.sizes[6] == 80);
}

/* Packets alone going down, bytes up and no bucket down. */
static void test_packets_down(void **state)
{
	struct ifstat_delta d;

	(void)state;
	cur.entries[0].filters[0].packets = 99; /* was 100 */
	cur.entries[0].filters[0].bytes = 12000;
	cur.entries[0].filters[0].sizes[0] = 50; /* as before */
	cur.entries[0].filters[0].sizes[6] = 50;
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(d.packets == 99 && d.bytes == 12000);
	assert_true(d.sizes[0] == 50 && d.sizes[6] == 50);
	/* The other filter, unchanged, still differs by nothing. */
	ifstat_delta_filter(&prev, &cur, 0, 1, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_DIFF);
	assert_true(d.packets == 0 && d.bytes == 0);
}

/* Any one of the totals going down alone restarts the totals' delta. */
static void test_totals_one_down(void **state)
{
	static const struct ifstat_report_totals up = { 1100, 111000, 55, 21,
							3 };
	struct ifstat_delta_totals t;
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		uint64_t *field[] = { &cur.entries[0].totals.packets,
				      &cur.entries[0].totals.bytes,
				      &cur.entries[0].totals.unmatched,
				      &cur.entries[0].totals.non_ip,
				      &cur.entries[0].totals.malformed };
		uint64_t *was[] = { &prev.entries[0].totals.packets,
				    &prev.entries[0].totals.bytes,
				    &prev.entries[0].totals.unmatched,
				    &prev.entries[0].totals.non_ip,
				    &prev.entries[0].totals.malformed };

		cur.entries[0].totals = up;
		*field[i] = *was[i] - 1;
		ifstat_delta_totals(&prev, &cur, 0, &t);
		assert_int_equal(t.kind, IFSTAT_DELTA_FROM_ZERO);
		assert_memory_equal(&t.t, &cur.entries[0].totals, sizeof(t.t));
	}
	cur.entries[0].totals = up;
	ifstat_delta_totals(&prev, &cur, 0, &t);
	assert_int_equal(t.kind, IFSTAT_DELTA_DIFF);
	assert_true(t.t.packets == 100 && t.t.bytes == 11000 &&
		    t.t.unmatched == 5 && t.t.non_ip == 1 &&
		    t.t.malformed == 1);
}

static void test_new_renamed_redefined(void **state)
{
	struct ifstat_delta d;

	(void)state;
	snprintf(cur.entries[0].filters[0].name, IFSTAT_NAME_MAX,
		 "ssh2"); /* renamed */
	snprintf(cur.entries[0].filters[1].match, IFSTAT_FILTER_TEXT_MAX,
		 "udp port 5353");
	add_filter(&cur, "web", "tcp port 443", 8, 800); /* new */
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(d.packets == 160 && d.bytes == 16500);
	ifstat_delta_filter(&prev, &cur, 0, 1, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(d.packets == 40 && d.bytes == 4000);
	ifstat_delta_filter(&prev, &cur, 0, 2, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_false(d.reset);
	assert_true(d.packets == 8 && d.bytes == 800 && d.sizes[6] == 4);
}

/* Other edges: the buckets no longer compare, whatever the values. */
static void test_edges_changed(void **state)
{
	struct ifstat_delta d;

	(void)state;
	cur.edges[5] = 1500;
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(d.packets == 160);
	cur.edges[5] = 1512;
	cur.nedges = 5;
	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
}

/*
 * Several entries: a filter pairs with the same name of the same
 * interface and direction only, wherever the entry moved; an entry the
 * previous snapshot lacks counts from zero, filters and totals.
 */
static void test_entries(void **state)
{
	struct ifstat_delta_totals t;
	struct ifstat_delta d;

	(void)state;
	add_entry(&prev, "eth0", "egress");
	prev.entries[1].totals =
		(struct ifstat_report_totals){ 500, 50000, 5, 0, 0 };
	add_filter(&prev, "ssh", "tcp port 22", 10, 1000);
	/* cur: eth1 ingress (new), eth0 egress, eth0 ingress. */
	cur.entries[2] = cur.entries[0];
	cur.nentries = 0;
	add_entry(&cur, "eth1", "ingress");
	cur.entries[0].totals =
		(struct ifstat_report_totals){ 7, 700, 0, 0, 0 };
	add_filter(&cur, "ssh", "tcp port 22", 4, 400);
	add_entry(&cur, "eth0", "egress");
	cur.entries[1].totals =
		(struct ifstat_report_totals){ 520, 52000, 6, 0, 0 };
	add_filter(&cur, "ssh", "tcp port 22", 12, 1300);
	cur.nentries = 3;

	ifstat_delta_filter(&prev, &cur, 0, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(d.packets == 4 && d.bytes == 400);
	ifstat_delta_totals(&prev, &cur, 0, &t);
	assert_int_equal(t.kind, IFSTAT_DELTA_FROM_ZERO);
	assert_true(t.t.packets == 7 && t.t.bytes == 700);

	ifstat_delta_filter(&prev, &cur, 1, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_DIFF);
	assert_true(d.packets == 2 && d.bytes == 300);
	ifstat_delta_totals(&prev, &cur, 1, &t);
	assert_int_equal(t.kind, IFSTAT_DELTA_DIFF);
	assert_true(t.t.packets == 20 && t.t.bytes == 2000 &&
		    t.t.unmatched == 1);

	ifstat_delta_filter(&prev, &cur, 2, 0, &d);
	assert_int_equal(d.kind, IFSTAT_DELTA_DIFF);
	assert_true(d.packets == 60 && d.bytes == 6500);
	ifstat_delta_totals(&prev, &cur, 2, &t);
	assert_int_equal(t.kind, IFSTAT_DELTA_DIFF);
	assert_true(t.t.packets == 100);
}

static void test_seconds(void **state)
{
	(void)state;
	cur.time_ms = 11250;
	assert_true(ifstat_delta_seconds(&prev, &cur) == 1.25);
	cur.time_ms = 10000; /* same time: no rate rather than infinity */
	assert_true(ifstat_delta_seconds(&prev, &cur) == 0.0);
	cur.time_ms = 9000; /* the clock went back */
	assert_true(ifstat_delta_seconds(&prev, &cur) == 0.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_first_snapshot, setup),
		cmocka_unit_test_setup(test_difference, setup),
		cmocka_unit_test_setup(test_moved, setup),
		cmocka_unit_test_setup(test_reset_all, setup),
		cmocka_unit_test_setup(test_reset_one, setup),
		cmocka_unit_test_setup(test_bucket_down, setup),
		cmocka_unit_test_setup(test_bytes_down, setup),
		cmocka_unit_test_setup(test_packets_down, setup),
		cmocka_unit_test_setup(test_totals_one_down, setup),
		cmocka_unit_test_setup(test_new_renamed_redefined, setup),
		cmocka_unit_test_setup(test_edges_changed, setup),
		cmocka_unit_test_setup(test_entries, setup),
		cmocka_unit_test_setup(test_seconds, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
