// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Data-path benchmark: the real XDP program through BPF_PROG_TEST_RUN,
 * against an empty XDP_PASS program, for several filter-set sizes and
 * frame shapes. Cells alternate inside every round so that frequency and
 * thermal drift hit all of them alike; the median over rounds is reported.
 * Every run's counters are checked against the repetitions it ran: a
 * benchmark that counts wrong measures the wrong program.
 *
 * Output is Markdown, ready for bench/RESULTS.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "empty_xdp.h"
#include "frame.h"
#include "runner.h"

#define EXIT_SKIP 77
#define MAX_ROUNDS 1000u
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Filter-set sizes, in the order the cells run after the empty program. */
static const unsigned int counts[] = { 0, 1, 5, 16, 32, 64 };
#define NCOUNTS ARRAY_SIZE(counts)
#define NCELLS (NCOUNTS + 1) /* cell 0: the empty program */

/*
 * The filter that a shape is meant to hit; a set of N filters is this one
 * followed by the first N - 1 of the pool below.
 */
static const char *const targets[] = {
	"web=tcp dst 192.0.2.10 dst port 80",
	"rtp=udp dst 192.0.2.20 dst port 5004-5005",
	"web6=tcp dst 2001:db8:10::/64 dst port 443",
	"bgp=vlan 100 tcp port 179",
};
#define NTARGETS ARRAY_SIZE(targets)

/*
 * A monitoring configuration as an operator might write it: services by
 * port, protocols, subnets and VLANs, IPv4 and IPv6. No frame of the
 * benchmark matches any of them, so each one is evaluated and fails; the
 * order puts different kinds of rejection (flags pre-check, protocol,
 * address, port) early, as the 5-filter set shows.
 */
static const char *const pool[] = {
	"dns=udp port 53",
	"ssh=tcp port 22",
	"icmp=icmp",
	"lan6=host 2001:db8:100::/48",
	"ntp=udp port 123",
	"dhcp=udp port 67-68",
	"snmp=udp port 161-162",
	"syslog=udp port 514",
	"radius=udp port 1812-1813",
	"vxlan=udp dst port 4789",
	"wg=udp port 51820",
	"quic=udp dst port 443",
	"smtp=tcp dst port 25",
	"imaps=tcp port 993",
	"mysql=tcp dst 192.0.2.50 dst port 3306",
	"pgsql=tcp dst 192.0.2.51 dst port 5432",
	"gre=proto 47",
	"esp=proto 50",
	"ospf=proto 89",
	"sctp=proto 132",
	"icmp6=icmpv6",
	"vlan200=vlan 200",
	"vlan300-udp=vlan 300 udp",
	"mgmt=src 203.0.113.128/26",
	"backup=host 192.0.2.200",
	"nodeexp=tcp src 192.0.2.64/27 dst port 9100",
	"ldap=tcp port 389",
	"rdp=tcp port 3389",
	"smb=tcp port 445",
	"http-alt=tcp dst port 8080",
	"redis=tcp dst 192.0.2.52 dst port 6379",
	"kafka=tcp dst port 9092",
	"dns6=udp dst 2001:db8:53::/64 dst port 53",
	"web6-80=tcp dst 2001:db8:80::/64 dst port 80",
	"peer6=src 2001:db8:ffff::/48",
	"host6=host 2001:db8:1::1",
	"nfs=tcp port 2049",
	"iscsi=tcp dst port 3260",
	"sip=udp port 5060-5061",
	"rtsp=tcp port 554",
	"mqtt=tcp port 1883",
	"amqp=tcp port 5672",
	"memcache=udp port 11211",
	"tftp=udp dst port 69",
	"bfd=udp dst port 3784-3785",
	"ipsec-nat=udp port 4500",
	"isakmp=udp port 500",
	"l2tp=udp port 1701",
	"openvpn=udp port 1194",
	"telnet=tcp dst port 23",
	"ftp=tcp dst port 20-21",
	"pop3s=tcp port 995",
	"ldaps=tcp port 636",
	"k8s-api=tcp dst 192.0.2.60 dst port 6443",
	"etcd=tcp dst port 2379-2380",
	"prom=tcp dst port 9090",
	"elastic=tcp dst port 9200-9300",
	"dmz=dst 192.0.2.128/25",
	"guest=src 198.51.100.128/25",
	"transit=host 203.0.113.0/26",
	"igmp=proto 2",
	"vlan100-udp=vlan 100 udp",
	"ssh6=tcp host 2001:db8:10::/64 port 22",
};
_Static_assert(ARRAY_SIZE(pool) == IFSTAT_MAX_FILTERS - 1, "the pool fills the "
							   "largest set");

struct shape {
	const char *name; /* table row */
	const char *desc; /* the exact frame, for the report */
	unsigned int target; /* index into targets: the set it runs against */
	int hits; /* does the target filter match it */
	void (*build)(struct frame *f);
};

static void build_tcp4(struct frame *f)
{
	frame_eth(f, 0x0800);
	frame_ipv4(f, 6, "198.51.100.20", "192.0.2.10", 5, 0);
	frame_tcp(f, 40000, 80);
	frame_finish(f, 64);
}

static void build_udp4(struct frame *f)
{
	frame_eth(f, 0x0800);
	frame_ipv4(f, 17, "198.51.100.30", "192.0.2.20", 5, 0);
	frame_udp(f, 5004, 5004);
	frame_finish(f, 512);
}

static void build_tcp6(struct frame *f)
{
	frame_eth(f, 0x86dd);
	frame_ipv6(f, 6, "2001:db8:20::20", "2001:db8:10::10");
	frame_tcp(f, 40001, 443);
	frame_finish(f, 74);
}

static void build_vlan4(struct frame *f)
{
	static const uint16_t tpid[] = { 0x8100 }, vid[] = { 100 };

	frame_eth_tags(f, 1, tpid, vid, 0x0800);
	frame_ipv4(f, 6, "198.51.100.40", "192.0.2.30", 5, 0);
	frame_tcp(f, 50000, 179);
	frame_finish(f, 68);
}

static void build_miss(struct frame *f)
{
	frame_eth(f, 0x0800);
	frame_ipv4(f, 6, "203.0.113.77", "198.51.100.99", 5, 0);
	frame_tcp(f, 51000, 8443);
	frame_finish(f, 64);
}

static const struct shape shapes[] = {
	{ "TCP IPv4 64 B", "IPv4 TCP 198.51.100.20:40000 > 192.0.2.10:80, 64 B",
	  0, 1, build_tcp4 },
	{ "UDP IPv4 512 B",
	  "IPv4 UDP 198.51.100.30:5004 > 192.0.2.20:5004, 512 B", 1, 1,
	  build_udp4 },
	{ "TCP IPv6 74 B",
	  "IPv6 TCP [2001:db8:20::20]:40001 > [2001:db8:10::10]:443, 74 B", 2,
	  1, build_tcp6 },
	{ "VLAN IPv4 TCP 68 B",
	  "802.1Q VID 100, IPv4 TCP 198.51.100.40:50000 > 192.0.2.30:179, "
	  "68 B",
	  3, 1, build_vlan4 },
	{ "no match, TCP IPv4 64 B",
	  "IPv4 TCP 203.0.113.77:51000 > 198.51.100.99:8443, 64 B "
	  "(against the \"web\" sets)",
	  0, 0, build_miss },
};
#define NSHAPES ARRAY_SIZE(shapes)

/*
 * One loaded instance of the program per set size, with its own maps.
 * The set is switched to the shape's target when the shape changes,
 * between timed runs, so that loads (and verifier time) do not multiply
 * with the shapes.
 */
struct inst {
	struct runner r;
	unsigned int n;
	int target; /* installed target, -1 before the first */
	struct ifstat_snapshot prev;
	uint64_t runs_packets; /* repetitions run on it, all sets */
	uint64_t hit_packets; /* frames the installed target matched */
};

struct opts {
	unsigned int repeat;
	unsigned int rounds;
	int cpu;
	int quick;
};

struct sample {
	uint32_t kns; /* the kernel's duration per repetition (ns, floor) */
	double cns; /* thread CPU time per repetition (ns) */
};

static int inst_use(struct inst *in, unsigned int target)
{
	const char *specs[IFSTAT_MAX_FILTERS];
	unsigned int i;
	int ret;

	if (in->target == (int)target || (!in->n && in->target >= 0))
		return 0;
	if (in->n)
		specs[0] = targets[target];
	for (i = 1; i < in->n; i++)
		specs[i] = pool[i - 1];
	/* The pool filters keep their slots and counters (same name and
	 * definition); only the target's restart at zero. */
	ret = runner_filters(&in->r, specs, in->n, NULL, 0);
	if (!ret)
		ret = runner_read(&in->r, &in->prev);
	if (ret)
		return ret;
	in->target = (int)target;
	in->hit_packets = 0;
	return 0;
}

static int inst_open(struct inst *in, unsigned int n)
{
	in->n = n;
	in->target = -1;
	return runner_open(&in->r);
}

static double cputime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One timed test run of repeat repetitions; checks verdict and frame. */
static int run_once(int prog_fd, const struct frame *f, unsigned int repeat,
		    struct sample *s)
{
	static unsigned char out[FRAME_MAX + 4096];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = (__u32)f->len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = repeat);
	double t0, t1;
	int ret;

	t0 = cputime_ns();
	ret = bpf_prog_test_run_opts(prog_fd, &o);
	t1 = cputime_ns();
	if (ret) {
		ret = -errno;
		fprintf(stderr, "test run failed: %s\n", strerror(-ret));
		return ret;
	}
	if (o.retval != XDP_PASS || o.data_size_out != f->len ||
	    memcmp(out, f->b, f->len)) {
		fprintf(stderr, "verdict %u or the frame changed\n", o.retval);
		return -EPROTO;
	}
	if (s) {
		s->kns = o.duration;
		s->cns = (t1 - t0) / repeat;
	}
	return 0;
}

/* Bucket of len under the default edges, straight from doc/semantics.md rule 2:
 * the number of upper edges the length exceeds. */
static unsigned int bucket_of(uint32_t len)
{
	static const uint32_t edges[] = IFSTAT_DEFAULT_EDGES;
	unsigned int i, b = 0;

	for (i = 0; i < ARRAY_SIZE(edges); i++)
		b += len > edges[i];
	return b;
}

#define CHECK_DELTA(what, got, want)                                           \
	do {                                                                   \
		if ((got) != (want)) {                                         \
			fprintf(stderr,                                        \
				"COUNT ERROR: %u filters, %s: %s: %" PRIu64    \
				" counted, %" PRIu64 " expected\n",            \
				in->n, where, (what), (uint64_t)(got),         \
				(uint64_t)(want));                             \
			bad = 1;                                               \
		}                                                              \
	} while (0)

/*
 * Compares the counters after a run with those before it: every total and
 * every filter must have moved by exactly the repetitions that should
 * have reached it.
 */
static int check_run(struct inst *in, const struct shape *sh, size_t len,
		     uint64_t rep, struct ifstat_snapshot *cur)
{
	const struct ifstat_snapshot *p = &in->prev;
	const char *where = sh->name;
	unsigned int i, j, b = bucket_of((uint32_t)len);
	int ret, bad = 0;

	ret = runner_read(&in->r, cur);
	if (ret)
		return ret;
	CHECK_DELTA("nfilters", cur->nfilters, in->n);
	CHECK_DELTA("packets", cur->totals.packets - p->totals.packets, rep);
	CHECK_DELTA("bytes", cur->totals.bytes - p->totals.bytes, rep * len);
	CHECK_DELTA("unmatched", cur->totals.unmatched - p->totals.unmatched,
		    in->n && sh->hits ? 0 : rep);
	CHECK_DELTA("non_ip", cur->totals.non_ip - p->totals.non_ip, 0);
	CHECK_DELTA("malformed", cur->totals.malformed - p->totals.malformed,
		    0);
	for (i = 0; i < in->n && i < cur->nfilters; i++) {
		const struct ifstat_filter_stats *c = &cur->filters[i];
		const struct ifstat_filter_stats *o = &p->filters[i];
		uint64_t want = i == 0 && sh->hits ? rep : 0;
		char what[IFSTAT_NAME_MAX + 16];

		snprintf(what, sizeof(what), "%s packets", c->name);
		CHECK_DELTA(what, c->packets - o->packets, want);
		snprintf(what, sizeof(what), "%s bytes", c->name);
		CHECK_DELTA(what, c->bytes - o->bytes, want * len);
		for (j = 0; j < IFSTAT_MAX_BUCKETS; j++) {
			snprintf(what, sizeof(what), "%s bucket %u", c->name,
				 j);
			CHECK_DELTA(what, c->buckets[j] - o->buckets[j],
				    j == b ? want : 0);
		}
	}
	in->prev = *cur;
	return bad ? -EPROTO : 0;
}

/* The end state, from totals kept by the benchmark alone. */
static int check_final(struct inst *in, struct ifstat_snapshot *cur)
{
	const char *where = "all runs";
	unsigned int i;
	int ret, bad = 0;

	ret = runner_read(&in->r, cur);
	if (ret)
		return ret;
	CHECK_DELTA("packets", cur->totals.packets, in->runs_packets);
	for (i = 0; i < in->n && i < cur->nfilters; i++)
		CHECK_DELTA(cur->filters[i].name, cur->filters[i].packets,
			    i == 0 ? in->hit_packets : 0);
	return bad ? -EPROTO : 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct result {
	double kns; /* median of the kernel's durations */
	double cns; /* median of the CPU-time durations */
	double spread; /* (max - min) / median of the CPU-time durations */
};

static struct result median(const struct sample *s, unsigned int n)
{
	uint32_t k[MAX_ROUNDS];
	double c[MAX_ROUNDS];
	struct result r;
	unsigned int i;

	for (i = 0; i < n; i++) {
		k[i] = s[i].kns;
		c[i] = s[i].cns;
	}
	qsort(k, n, sizeof(k[0]), cmp_u32);
	qsort(c, n, sizeof(c[0]), cmp_dbl);
	r.kns = n % 2 ? k[n / 2] : (k[n / 2 - 1] + k[n / 2]) / 2.0;
	r.cns = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2.0;
	r.spread = r.cns > 0 ? (c[n - 1] - c[0]) / r.cns : 0;
	return r;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int i;

	o->repeat = 1000000;
	o->rounds = 9;
	o->cpu = -1;
	o->quick = 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			o->quick = 1;
			o->repeat = 2000;
			o->rounds = 3;
		} else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			o->repeat = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			o->rounds = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--cpu") && i + 1 < argc) {
			o->cpu = atoi(argv[++i]);
		} else {
			fprintf(stderr,
				"usage: %s [--quick] [--repeat N] [--rounds N] "
				"[--cpu N]\n",
				argv[0]);
			return -EINVAL;
		}
	}
	if (!o->repeat || !o->rounds || o->rounds > MAX_ROUNDS) {
		fprintf(stderr, "repeat must be > 0 and rounds 1..%u\n",
			MAX_ROUNDS);
		return -EINVAL;
	}
	return 0;
}

/* Pins the process so every run's per-CPU values and caches stay put. */
static int pin_cpu(struct opts *o)
{
	cpu_set_t set;
	int i;

	if (o->cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set))
			return -errno;
		for (i = CPU_SETSIZE - 1; i >= 0 && !CPU_ISSET(i, &set); i--)
			;
		o->cpu = i;
	}
	CPU_ZERO(&set);
	CPU_SET(o->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "cannot pin to CPU %d: %s\n", o->cpu,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static void print_prog(int prog_fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return;
	printf("- ifstat_xdp as loaded: %u BPF insns (%u verified), %u B of "
	       "x86 code in %u functions\n",
	       info.xlated_prog_len / 8, info.verified_insns,
	       info.jited_prog_len, info.nr_jited_func_lens);
}

static void print_header(const struct opts *o, int prog_fd)
{
	struct utsname u;
	char date[64];
	time_t now = time(NULL);

	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M %Z", localtime(&now));
	printf("## ifstat data path, BPF_PROG_TEST_RUN%s\n\n",
	       o->quick ? " (--quick: numbers not meaningful)" : "");
	printf("- %s, kernel %s %s, %ld CPUs online, pinned to CPU %d\n", date,
	       u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN), o->cpu);
	printf("- repeat=%u per run, %u rounds; every round runs, for each "
	       "frame, the empty program then 0, 1, 5, 16, 32, 64 filters; "
	       "median over rounds\n",
	       o->repeat, o->rounds);
	printf("- ns = thread CPU time of the test-run syscall / repeat "
	       "(fractional); kernel = the kernel's own duration "
	       "(opts.duration, whole ns)\n");
	printf("- empty = `r0 = XDP_PASS; exit`, loaded with "
	       "BPF_F_XDP_HAS_FRAGS like ifstat_xdp\n");
	print_prog(prog_fd);
	printf("\n");
}

static double spread_median(struct result res[NSHAPES][NCELLS],
			    unsigned int *ws, unsigned int *wc)
{
	double v[NSHAPES * NCELLS];
	unsigned int s, c, n = 0;

	*ws = *wc = 0;
	for (s = 0; s < NSHAPES; s++) {
		for (c = 0; c < NCELLS; c++) {
			v[n++] = res[s][c].spread;
			if (res[s][c].spread > res[*ws][*wc].spread) {
				*ws = s;
				*wc = c;
			}
		}
	}
	qsort(v, n, sizeof(v[0]), cmp_dbl);
	return v[n / 2];
}

static void print_tables(struct result res[NSHAPES][NCELLS])
{
	unsigned int s, c, ws, wc;
	int ok5 = 1, ok64 = 1;
	double worst5 = 0, worst64 = 0;

	printf("### ns per frame and ratio to the empty program\n\n");
	printf("| Frame | empty ns | 1 filter ns (x) | 5 filters ns (x) | "
	       "64 filters ns (x) |\n");
	printf("|---|---:|---:|---:|---:|\n");
	for (s = 0; s < NSHAPES; s++) {
		double e = res[s][0].cns;

		printf("| %s | %.1f", shapes[s].name, e);
		for (c = 1; c < NCELLS; c++) {
			double v = res[s][c].cns;

			if (counts[c - 1] != 1 && counts[c - 1] != 5 &&
			    counts[c - 1] != 64)
				continue;
			printf(" | %.1f (%.2fx)", v, v / e);
			if (counts[c - 1] == 5 && v / e > worst5)
				worst5 = v / e;
			if (counts[c - 1] == 64 && v / e > worst64)
				worst64 = v / e;
		}
		printf(" |\n");
	}
	ok5 = worst5 <= 1.15;
	ok64 = worst64 <= 2.0;
	printf("\nTargets: 5 filters <= 1.15x empty on every frame: %s "
	       "(worst %.2fx); 64 filters <= 2x: %s (worst %.2fx)\n\n",
	       ok5 ? "met" : "NOT met", worst5, ok64 ? "met" : "NOT met",
	       worst64);

	printf("### Cost curve: ns per frame by number of filters\n\n");
	printf("| Frame | empty |");
	for (c = 0; c < NCOUNTS; c++)
		printf(" %u |", counts[c]);
	printf(" ns/filter (1..64) |\n|---|---:|");
	for (c = 0; c < NCOUNTS; c++)
		printf("---:|");
	printf("---:|\n");
	for (s = 0; s < NSHAPES; s++) {
		printf("| %s | %.1f |", shapes[s].name, res[s][0].cns);
		for (c = 1; c < NCELLS; c++)
			printf(" %.1f |", res[s][c].cns);
		/* slope between the 1- and 64-filter cells */
		printf(" %.2f |\n",
		       (res[s][NCELLS - 1].cns - res[s][2].cns) / 63.0);
	}
	printf("\nRound-to-round spread of a cell ((max - min) / median): "
	       "median over cells %.1f%%, ",
	       spread_median(res, &ws, &wc) * 100);
	if (wc)
		printf("worst %.1f%% (%s, %u filters).\n",
		       res[ws][wc].spread * 100, shapes[ws].name,
		       counts[wc - 1]);
	else
		printf("worst %.1f%% (%s, empty program).\n",
		       res[ws][wc].spread * 100, shapes[ws].name);
	printf("\nThe kernel's own figure (opts.duration, whole ns, "
	       "median):\n\n| Frame | empty |");
	for (c = 0; c < NCOUNTS; c++)
		printf(" %u |", counts[c]);
	printf("\n|---|---:|");
	for (c = 0; c < NCOUNTS; c++)
		printf("---:|");
	printf("\n");
	for (s = 0; s < NSHAPES; s++) {
		printf("| %s |", shapes[s].name);
		for (c = 0; c < NCELLS; c++)
			printf(" %.1f |", res[s][c].kns);
		printf("\n");
	}
}

static void print_sets(void)
{
	unsigned int s, i;

	printf("\n### Frames and filter sets\n\n");
	printf("A set of N filters is the frame's target filter followed by "
	       "the first N - 1 filters of the pool, in this order. Exactly "
	       "the target matches its frames; every pool filter is "
	       "evaluated and fails on every frame (checked by the "
	       "counters).\n\n");
	printf("| Frame | exact frame | target filter (matches?) |\n");
	printf("|---|---|---|\n");
	for (s = 0; s < NSHAPES; s++)
		printf("| %s | %s | `%s` (%s) |\n", shapes[s].name,
		       shapes[s].desc, targets[shapes[s].target],
		       shapes[s].hits ? "yes" : "no");
	printf("\nPool (filter 2 to 64 of a set):\n\n");
	for (i = 0; i < ARRAY_SIZE(pool); i++)
		printf("%s`%s`", i ? (i % 4 ? ", " : ",\n") : "", pool[i]);
	printf("\n\nThe 5-filter sets thus add `%s`, `%s`, `%s`, `%s`.\n",
	       pool[0], pool[1], pool[2], pool[3]);
}

/*
 * Runs one cell (a frame through one instance), checks its counters and
 * keeps the totals that check_final() compares with at the end.
 */
static int run_cell(struct inst *in, unsigned int s, const struct frame *f,
		    unsigned int repeat, struct sample *sm,
		    struct ifstat_snapshot *snap)
{
	int ret = inst_use(in, shapes[s].target);

	if (!ret)
		ret = run_once(in->r.prog_fd, f, repeat, sm);
	if (!ret)
		ret = check_run(in, &shapes[s], f->len, repeat, snap);
	if (ret)
		return ret;
	in->runs_packets += repeat;
	in->hit_packets += shapes[s].hits ? repeat : 0;
	return 0;
}

int main(int argc, char **argv)
{
	static struct result res[NSHAPES][NCELLS];
	static struct ifstat_snapshot snap;
	struct frame *frames = NULL;
	struct inst *insts = NULL; /* [count] */
	struct sample *samples = NULL; /* [shape][cell][round] */
	unsigned int s, c, r, t, ninst = NCOUNTS;
	uint64_t checked = 0;
	int empty_fd = -1, ret, rc = 1;
	struct opts o;

	if (parse_args(argc, argv, &o))
		return 2;
	libbpf_set_print(NULL);
	if (pin_cpu(&o))
		return 1;
	frames = calloc(NSHAPES, sizeof(*frames));
	insts = calloc(ninst, sizeof(*insts));
	samples = calloc(NSHAPES * NCELLS * o.rounds, sizeof(*samples));
	if (!frames || !insts || !samples)
		goto out;
	for (s = 0; s < NSHAPES; s++) {
		frame_init(&frames[s]);
		shapes[s].build(&frames[s]);
	}

	empty_fd = bench_load_empty_xdp("bench_empty");
	if (empty_fd < 0) {
		fprintf(stderr, "cannot load the empty program: %s\n",
			strerror(-empty_fd));
		rc = empty_fd == -EPERM ? EXIT_SKIP : 1;
		goto out;
	}
	for (c = 0; c < NCOUNTS; c++) {
		ret = inst_open(&insts[c], counts[c]);
		if (ret) {
			fprintf(stderr, "cannot load the program: %s\n",
				strerror(-ret));
			rc = ret == -EPERM ? EXIT_SKIP : 1;
			goto out;
		}
	}

	/* Warm-up round, untimed: JIT pages, caches, CPU frequency. */
	for (s = 0; s < NSHAPES; s++) {
		ret = run_once(empty_fd, &frames[s], o.repeat / 4 + 1, NULL);
		for (c = 0; c < NCOUNTS && !ret; c++)
			ret = run_cell(&insts[c], s, &frames[s],
				       o.repeat / 4 + 1, NULL, &snap);
		if (ret)
			goto fail;
	}

	for (r = 0; r < o.rounds; r++) {
		for (s = 0; s < NSHAPES; s++) {
			struct sample *sm = &samples[s * NCELLS * o.rounds];

			ret = run_once(empty_fd, &frames[s], o.repeat, &sm[r]);
			for (c = 0; c < NCOUNTS && !ret; c++)
				ret = run_cell(&insts[c], s, &frames[s],
					       o.repeat,
					       &sm[(c + 1) * o.rounds + r],
					       &snap);
			if (ret)
				goto fail;
			checked += (uint64_t)o.repeat * NCOUNTS;
		}
	}
	for (t = 0; t < ninst && !ret; t++)
		ret = check_final(&insts[t], &snap);
	if (ret)
		goto fail;

	for (s = 0; s < NSHAPES; s++)
		for (c = 0; c < NCELLS; c++)
			res[s][c] =
				median(&samples[(s * NCELLS + c) * o.rounds],
				       o.rounds);
	print_header(&o, insts[0].r.prog_fd);
	print_tables(res);
	print_sets();
	printf("\nCounters: every run moved every total and every filter's "
	       "packets, bytes and buckets by exactly its repetitions "
	       "(%" PRIu64 " timed frames checked): OK\n",
	       checked);
	rc = 0;
	goto out;
fail:
	/* A wrong count makes every number above meaningless. */
	rc = ret == -EPROTO ? 3 : 1;
out:
	if (insts)
		for (t = 0; t < ninst; t++)
			if (insts[t].r.e)
				runner_close(&insts[t].r);
	if (empty_fd >= 0)
		close(empty_fd);
	free(samples);
	free(insts);
	free(frames);
	return rc;
}
