// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The XDP program against doc/semantics.md, through BPF_PROG_TEST_RUN:
 * the cases of cases.c, the most filters a set can have, and the edges
 * API. Every case gets freshly loaded maps, so expectations are absolute
 * rather than deltas.
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

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "cases.h"

/* Per test: freshly loaded program and maps. */
struct ctx {
	struct runner r;
	const void *arg;
};

static struct frame fr;
static struct ifstat_snapshot snap;

static int open_runner(void **state)
{
	struct ctx *x = calloc(1, sizeof(*x));
	int ret;

	if (!x)
		return -1;
	x->arg = *state;
	ret = runner_open(&x->r);
	if (ret) {
		print_error("runner_open: %s\n", strerror(-ret));
		free(x);
		return -1;
	}
	*state = x;
	return 0;
}

static int close_runner(void **state)
{
	struct ctx *x = *state;

	runner_close(&x->r);
	free(x);
	return 0;
}

static void test_case(void **state)
{
	struct ctx *x = *state;

	dp_run_case(&x->r, x->arg, NULL, &snap);
}

/* IFSTAT_MAX_FILTERS filters, all matching one frame: each counts it. */
static void test_max_filters(void **state)
{
	const struct dp_case *c = dp_max_filters_case();
	struct ctx *x = *state;

	/* One more than the limit is refused and changes nothing. */
	assert_int_equal(runner_filters(&x->r, c->filters,
					IFSTAT_MAX_FILTERS + 1, NULL, 0),
			 -E2BIG);
	dp_run_case(&x->r, c, NULL, &snap);
}

/* edges NULL keeps the running edges; bad edges are refused and change
 * nothing. */
static void test_edges_api(void **state)
{
	static const char *const any[] = { "all=any" };
	static const uint32_t down[] = { 200, 100 };
	static const uint32_t same[] = { 100, 100 };
	static const uint32_t sixteen[16] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	};
	static struct ifstat_snapshot s;
	struct ctx *x = *state;
	struct runner *r = &x->r;

	assert_int_equal(runner_filters(r, any, 1, dp_edges_3, 3), 0);
	assert_int_equal(runner_filters(r, any, 1, NULL, 0), 0);
	assert_int_equal(runner_read(r, &s), 0);
	assert_int_equal(s.nedges, 3);
	assert_memory_equal(s.edges, dp_edges_3, sizeof(dp_edges_3));

	assert_int_equal(runner_filters(r, any, 1, down, 2), -EINVAL);
	assert_int_equal(runner_filters(r, any, 1, same, 2), -EINVAL);
	assert_int_equal(runner_filters(r, any, 1, sixteen, 16), -EINVAL);
	assert_int_equal(runner_filters(r, any, 1, dp_edges_3, 0), -EINVAL);
	assert_int_equal(runner_read(r, &s), 0);
	assert_int_equal(s.nedges, 3);
	assert_memory_equal(s.edges, dp_edges_3, sizeof(dp_edges_3));

	/* 150 bytes: bucket 1 under 100/200/9000, 2 under the defaults. */
	frame_init(&fr);
	frame_eth(&fr, 0x0800);
	frame_ipv4(&fr, 17, S4, D4, 5, 0);
	frame_udp(&fr, 1024, 53);
	frame_finish(&fr, 150);
	assert_int_equal(runner_run(r, &fr), 0);
	assert_int_equal(runner_read(r, &s), 0);
	assert_int_equal(s.filters[0].packets, 1);
	assert_int_equal(s.filters[0].buckets[1], 1);
	assert_int_equal(s.filters[0].buckets[2], 0);
}

int main(void)
{
	struct CMUnitTest *tests = calloc(dp_ncases + 2, sizeof(*tests));
	unsigned int i, n = 0;
	int ret = dp_can_load();

	if (ret || !tests)
		return ret ? ret : 1;
	for (i = 0; i < dp_ncases; i++)
		tests[n++] = (struct CMUnitTest){ dp_cases[i].name, test_case,
						  open_runner, close_runner,
						  (void *)&dp_cases[i] };
	tests[n++] = (struct CMUnitTest){ "64 filters all matching one frame",
					  test_max_filters, open_runner,
					  close_runner, NULL };
	tests[n++] = (struct CMUnitTest){ "edges: NULL keeps, bad refused",
					  test_edges_api, open_runner,
					  close_runner, NULL };
	return _cmocka_run_group_tests("datapath", tests, n, NULL, NULL);
}
