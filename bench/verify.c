// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What a start and a reload cost the kernel and the engine, by number of
 * filters: the XDP program's load (verification and JIT, ms and verified
 * instructions) with 1, 5 and 64 filters installed before it, and the
 * replacement of the whole set by as many changed filters (tables built,
 * set flipped, RCU grace period waited). Medians over RUNS; nothing is
 * attached or pinned. Then the same load for each program (XDP, tc
 * ingress, tc egress) with 64 filters. Markdown on stdout.
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

/* Load time and verified instructions of each program, 64 filters. */
static int per_program(unsigned int runs, const struct ifstat_filter_def *defs)
{
	static const char *const names[IFSTAT_NPROGS] = { "xdp", "tc ingress",
							  "tc egress" };
	double load[MAX_RUNS];
	unsigned int p, r, verified = 0;

	printf("\n| program (64 filters) | load ms (median of %u) | verified "
	       "insns |\n|---|---:|---:|\n",
	       runs);
	for (p = 0; p < IFSTAT_NPROGS; p++) {
		for (r = 0; r < runs; r++) {
			struct ifstat_link_opts lo = { 0 };
			struct bpf_prog_info info = { 0 };
			__u32 len = sizeof(info);
			struct ifstat_engine *e;
			struct ifstat_link *l = NULL;
			double t;
			int ret, fd = -1;

			ret = ifstat_engine_open(&e, NULL);
			if (!ret)
				ret = ifstat_link_open(e, &lo, &l);
			if (!ret)
				ret = ifstat_engine_set_filters(
					e, defs, IFSTAT_MAX_FILTERS, NULL, 0);
			t = now_ms();
			if (!ret)
				fd = ifstat_link_prog_fd(l,
							 (enum ifstat_prog)p);
			load[r] = now_ms() - t;
			if (!ret && fd >= 0 &&
			    !bpf_obj_get_info_by_fd(fd, &info, &len))
				verified = info.verified_insns;
			ifstat_link_close(l, false);
			ifstat_engine_destroy(e);
			if (ret || fd < 0) {
				fprintf(stderr, "%s: %s\n", names[p],
					strerror(ret ? -ret : -fd));
				return 1;
			}
		}
		printf("| %s | %.1f | %u |\n", names[p],
		       bench_median(load, runs), verified);
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
	if (make_defs(defs[0], IFSTAT_MAX_FILTERS, 0))
		return 1;
	return per_program(runs, defs[0]);
}
