// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * An experiment for bench/verify_cap.sh, not a part of ifstat: how long
 * the kernel takes to verify the XDP program when the filter loop is
 * bounded by a load-time constant (a `const volatile` loop_cap in
 * .rodata) instead of IFSTAT_MAX_FILTERS, and whether the bound costs
 * anything per filter.
 *
 *   verify_cap load OBJ [CAP]       load once: ms, verified insns, JIT size
 *   verify_cap run ORIG CAPPED CAP NFILTERS
 *       BPF_PROG_TEST_RUN of both objects (CAPPED with loop_cap = CAP),
 *       NFILTERS filters that each reach the port compare and fail, on a
 *       64-byte IPv4 TCP frame; 9 alternating rounds of 2 000 000
 *       repetitions; prints the median ns per frame of each.
 *
 * Objects are opened with libbpf, which creates their maps; nothing is
 * pinned or attached. Exit: 0, 1 error, 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "frame.h"
#include "ifstat_abi.h"

#define ROUNDS 9
#define REPEAT 2000000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Filters that every frame of the test reaches the port compare of. */
static void fill_conf(struct ifstat_conf *c, unsigned int n)
{
	static const __u32 edges[] = IFSTAT_DEFAULT_EDGES;
	struct ifstat_filter_set *s = &c->sets[0];
	unsigned int i;

	c->active = 0;
	s->count = n;
	s->nedges = IFSTAT_DEFAULT_NEDGES;
	memcpy(s->edges, edges, sizeof(edges));
	for (i = 0; i < n; i++) {
		struct ifstat_filter *f = &s->filters[i];

		f->need = IFSTAT_P_IPV4 | IFSTAT_P_PROTO | IFSTAT_P_PORTS;
		f->fields = IFSTAT_F_DST_PORT;
		f->dst_port.lo = (__u16)(9000 + i);
		f->slot = i;
		f->gen = 1;
	}
}

/* cap < 0: the object has no loop_cap. nfilters: 0 leaves conf empty. */
static int open_load(const char *path, int cap, unsigned int nfilters,
		     struct bpf_object **out, double *ms)
{
	struct bpf_object *o = bpf_object__open_file(path, NULL);
	struct bpf_program *p;
	struct bpf_map *m;
	double t;
	size_t sz;
	int ret;

	if (!o)
		return -errno;
	bpf_object__for_each_map(m, o)
	{
		void *v = (void *)bpf_map__initial_value(m, &sz);

		if (cap >= 0 && strstr(bpf_map__name(m), ".rodata") &&
		    sz >= sizeof(__u32))
			*(__u32 *)v = (__u32)cap;
		if (nfilters && strstr(bpf_map__name(m), ".data.conf") &&
		    sz >= sizeof(struct ifstat_conf))
			fill_conf(v, nfilters);
	}
	t = now_ms();
	ret = bpf_object__load(o);
	*ms = now_ms() - t;
	p = bpf_object__find_program_by_name(o, IFSTAT_PROG_NAME);
	if (ret || !p) {
		bpf_object__close(o);
		return ret ? ret : -ENOENT;
	}
	*out = o;
	return bpf_program__fd(p);
}

static int do_load(const char *path, int cap)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	struct bpf_object *o;
	char capstr[16];
	double ms;
	int fd = open_load(path, cap, 0, &o, &ms);

	if (fd < 0) {
		fprintf(stderr, "verify_cap: cannot load %s: %s\n", path,
			strerror(-fd));
		return 1;
	}
	bpf_obj_get_info_by_fd(fd, &info, &len);
	if (cap < 0)
		snprintf(capstr, sizeof(capstr), "none (%d)",
			 IFSTAT_MAX_FILTERS);
	else
		snprintf(capstr, sizeof(capstr), "%d", cap);
	printf("| %s | %.1f | %u | %u |\n", capstr, ms, info.verified_insns,
	       info.jited_prog_len);
	bpf_object__close(o);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return (x > y) - (x < y);
}

static int do_run(const char *orig, const char *capped, int cap, unsigned int n)
{
	static struct frame f;
	__u32 d[2][ROUNDS];
	struct bpf_object *o[2];
	unsigned int r, k;
	int fd[2];
	double ms;

	/* IPv4 TCP 198.51.100.1:40000 > 192.0.2.10:80, 64 bytes. */
	frame_init(&f);
	frame_eth(&f, 0x0800);
	frame_ipv4(&f, 6, "198.51.100.1", "192.0.2.10", 5, 0);
	frame_tcp(&f, 40000, 80);
	frame_finish(&f, 64);
	fd[0] = open_load(orig, -1, n, &o[0], &ms);
	fd[1] = open_load(capped, cap, n, &o[1], &ms);
	if (fd[0] < 0 || fd[1] < 0) {
		fprintf(stderr, "verify_cap: cannot load the objects\n");
		return 1;
	}
	for (r = 0; r < ROUNDS; r++) {
		for (k = 0; k < 2; k++) {
			LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = f.b,
				    .data_size_in = f.len, .repeat = REPEAT);

			if (bpf_prog_test_run_opts(fd[k], &t) ||
			    t.retval != 2 /* XDP_PASS */) {
				fprintf(stderr, "verify_cap: test run "
						"failed\n");
				return 1;
			}
			d[k][r] = t.duration;
		}
	}
	for (k = 0; k < 2; k++)
		qsort(d[k], ROUNDS, sizeof(d[k][0]), cmp_u32);
	printf("| %u | %d | %u | %u |\n", n, cap, d[0][ROUNDS / 2],
	       d[1][ROUNDS / 2]);
	bpf_object__close(o[0]);
	bpf_object__close(o[1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && argc <= 4 && !strcmp(argv[1], "load"))
		return do_load(argv[2], argc == 4 ? atoi(argv[3]) : -1);
	if (argc == 6 && !strcmp(argv[1], "run"))
		return do_run(argv[2], argv[3], atoi(argv[4]),
			      (unsigned int)atoi(argv[5]));
	fprintf(stderr, "Usage: verify_cap load OBJ [CAP]\n"
			"       verify_cap run ORIG CAPPED CAP NFILTERS\n");
	return 2;
}
