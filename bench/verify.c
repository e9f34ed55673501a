// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What a start and a reload cost the kernel and the engine, by number of
 * filters: the XDP program's load (verification and JIT, ms and verified
 * instructions) with 1, 5 and 64 filters installed before it, and the
 * replacement of the whole set by as many changed filters (tables built,
 * set flipped, RCU grace period waited). Medians over RUNS; nothing is
 * attached or pinned. Markdown on stdout.
 *
 *   verify [RUNS]
 *
 * Exit: 0, 1 error, 77 cannot load BPF here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine.h"
#include "filter.h"
#include "stats.h"

#define MAX_RUNS 99

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* n filters of every field kind; gen picks other definitions and names. */
static int make_defs(struct ifstat_filter_def *d, unsigned int n,
		     unsigned int gen)
{
	struct ifstat_diag err;
	char text[128];
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		k = i + gen * 7;
		switch (k % 5) {
		case 0:
			snprintf(text, sizeof(text), "tcp dst port %u",
				 1000 + k);
			break;
		case 1:
			snprintf(text, sizeof(text), "udp src 192.0.2.%u",
				 k % 256);
			break;
		case 2:
			snprintf(text, sizeof(text), "host 2001:db8:%x::/48",
				 k);
			break;
		case 3:
			snprintf(text, sizeof(text), "vlan %u tcp port %u-%u",
				 k % 4095, 2000 + k, 2100 + k);
			break;
		default:
			snprintf(text, sizeof(text),
				 "tcp dst 198.51.100.0/24 src port %u", k);
			break;
		}
		snprintf(d[i].name, sizeof(d[i].name), "g%u.%u", gen, i);
		if (ifstat_filter_parse(text, &d[i].filter, &err)) {
			fprintf(stderr, "'%s': %s: %s\n", text, err.key,
				err.msg);
			return -EINVAL;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned int counts[] = { 1, 5, 64 };
	static struct ifstat_filter_def defs[2][IFSTAT_MAX_FILTERS];
	unsigned int runs = argc > 1 ? (unsigned int)atoi(argv[1]) : 9;
	double load[MAX_RUNS], reload[MAX_RUNS];
	unsigned int c, r, verified = 0, xlated = 0;

	if (!runs || runs > MAX_RUNS) {
		fprintf(stderr, "usage: verify [RUNS 1-%u]\n", MAX_RUNS);
		return 1;
	}
	libbpf_set_print(NULL);
	printf("| filters | load ms (median of %u) | verified insns | BPF "
	       "insns "
	       "| reload of all filters ms |\n|---:|---:|---:|---:|---:|\n",
	       runs);
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		unsigned int n = counts[c];

		for (r = 0; r < runs; r++) {
			struct bpf_prog_info info = { 0 };
			__u32 len = sizeof(info);
			struct ifstat_link_opts lo = { 0 };
			struct ifstat_engine *e;
			struct ifstat_link *l = NULL;
			double t;
			int ret, fd;

			ret = ifstat_engine_open(&e, NULL);
			if (!ret)
				ret = ifstat_link_open(e, &lo, &l);
			if (!ret)
				ret = make_defs(defs[0], n, r);
			if (!ret)
				ret = make_defs(defs[1], n, r + 1000);
			if (!ret)
				ret = ifstat_engine_set_filters(e, defs[0], n,
								NULL, 0);
			if (ret) {
				fprintf(stderr, "engine: %s\n", strerror(-ret));
				return ret == -EPERM ? 77 : 1;
			}
			t = now_ms();
			fd = ifstat_link_prog_fd(l, IFSTAT_PROG_XDP);
			load[r] = now_ms() - t;
			if (fd < 0) {
				fprintf(stderr, "load: %s\n", strerror(-fd));
				return fd == -EPERM ? 77 : 1;
			}
			if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
				verified = info.verified_insns;
				xlated = info.xlated_prog_len / 8;
			}
			t = now_ms();
			ret = ifstat_engine_set_filters(e, defs[1], n, NULL, 0);
			reload[r] = now_ms() - t;
			ifstat_link_close(l, false);
			ifstat_engine_destroy(e);
			if (ret) {
				fprintf(stderr, "reload: %s\n", strerror(-ret));
				return 1;
			}
		}
		printf("| %u | %.1f | %u | %u | %.2f |\n", n,
		       bench_median(load, runs), verified, xlated,
		       bench_median(reload, runs));
	}
	return 0;
}
