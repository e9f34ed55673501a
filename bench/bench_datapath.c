// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Data-path benchmark: the real XDP program (or with --prog one of the tc
 * programs) through BPF_PROG_TEST_RUN, against an empty program of the
 * same type that passes, for several filter-set sizes and frame shapes. Cells alternate inside every round so that frequency and
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

/*
 * The filter sets, in the order the cells run after the empty program.
 * A "one" set of N filters is the shape's target followed by the first
 * N - 1 filters of the pool: exactly one filter (the target) matches a
 * hit shape. An "all" set is the shape's NMATCH matching filters (the
 * target first) followed by the first N - NMATCH of the pool: NMATCH
 * filters match; these run on the hit shapes only.
 */
#define NMATCH 5
struct setspec {
	unsigned int n; /* filters */
	int all; /* the NMATCH matching filters first, else the target only */
	const char *label; /* column */
};
static const struct setspec sets[] = {
	{ 0, 0, "0" },	   { 1, 0, "1" },	 { 5, 0, "5" },
	{ 16, 0, "16" },   { 32, 0, "32" },	 { 64, 0, "64" },
	{ 5, 1, "5 all" }, { 64, 1, "64 w/ 5" },
};
#define NSETS ARRAY_SIZE(sets)
#define NCELLS (NSETS + 1) /* cell 0: the empty program */
/* Cells by role, for the tables and the targets (cell = set index + 1). */
enum { C_EMPTY, C_0, C_1, C_5, C_16, C_32, C_64, C_5ALL, C_64W5 };
_Static_assert(NCELLS == C_64W5 + 1, "cell roles follow sets[]");

/*
 * The filter that a shape is meant to hit, first, then NMATCH - 1 more
 * that its frames match too (protocol, address, port, VLAN, nothing):
 * the "all" sets. Every one of them matches every frame of the shapes of
 * its target (checked by the counters), the random ones included. Names
 * are per target, so a switch of target restarts all of their counters.
 */
static const char *const targets[][NMATCH] = {
	{ "web=tcp dst 192.0.2.10 dst port 80", "web-tcp=tcp",
	  "web-net=dst 192.0.2.0/24", "web-port=port 80", "web-any=any" },
	{ "rtp=udp dst 192.0.2.20 dst port 5004-5005", "rtp-udp=udp",
	  "rtp-src=src 198.51.100.0/24", "rtp-port=port 5004", "rtp-any=any" },
	{ "web6=tcp dst 2001:db8:10::/64 dst port 443", "web6-tcp=tcp",
	  "web6-src=src 2001:db8:20::/48", "web6-port=port 443",
	  "web6-any=any" },
	{ "bgp=vlan 100 tcp port 179", "bgp-vlan=vlan 100",
	  "bgp-host=host 192.0.2.30", "bgp-port=tcp dst port 179",
	  "bgp-any=any" },
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

/*
 * The random shapes: NRAND frames each, precomputed from a fixed seed.
 * BPF_PROG_TEST_RUN runs one frame repeat times, so a frame cannot change
 * from one repetition to the next; a timed run of a random shape runs
 * each of its frames in turn, repeat / NRAND repetitions each, so the
 * table lookups move between those runs (not within one).
 *
 * A test run with repeat > 1 installs the program in the XDP dispatcher
 * and removes it again (bpf_prog_change_xdp(): text patching and an RCU
 * grace period, about 0.2 ms of CPU and 20 ms of waiting here), all of it
 * inside the syscall: the thread CPU time of NRAND test runs is mostly
 * that. The random shapes are therefore timed by the kernel's duration
 * (opts.duration, measured around the repetitions only), averaged over
 * the NRAND runs, for the empty program too.
 */
#define NRAND 256u
#define NRAND_QUICK 2u /* --quick: frames of a random shape per timed run */
#define RAND_SEED 0x1f57a7c0ffee2026ull

/* Frames of a random shape that a timed run goes through. */
static unsigned int nrand_timed = NRAND;

static uint64_t rng_state = RAND_SEED;

/* splitmix64: small, seedable, the same sequence everywhere. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static unsigned int rng_range(unsigned int lo, unsigned int hi)
{
	return lo + (unsigned int)(rng_next() % (hi - lo));
}

struct shape {
	const char *name; /* table row */
	const char *desc; /* the exact frame(s), for the report */
	unsigned int target; /* index into targets: the sets it runs against */
	int hits; /* does the target filter (all of targets[t]) match it */
	unsigned int nframes; /* 1, or NRAND for a random shape */
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

/* From 198.51.100.0-127, source port 30000-49999, to the web target. */
static void build_rand_hit(struct frame *f)
{
	char src[INET_ADDRSTRLEN];

	snprintf(src, sizeof(src), "198.51.100.%u", rng_range(0, 128));
	frame_eth(f, 0x0800);
	frame_ipv4(f, 6, src, "192.0.2.10", 5, 0);
	frame_tcp(f, (uint16_t)rng_range(30000, 50000), 80);
	frame_finish(f, 64);
}

/* From 198.51.100.0-127 to 203.0.113.64-127, both ports 30000-49999. */
static void build_rand_miss(struct frame *f)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	snprintf(src, sizeof(src), "198.51.100.%u", rng_range(0, 128));
	snprintf(dst, sizeof(dst), "203.0.113.%u", rng_range(64, 128));
	frame_eth(f, 0x0800);
	frame_ipv4(f, 6, src, dst, 5, 0);
	frame_tcp(f, (uint16_t)rng_range(30000, 50000),
		  (uint16_t)rng_range(30000, 50000));
	frame_finish(f, 64);
}

/* Shapes of one target are neighbours: fewer set switches per round. */
static const struct shape shapes[] = {
	{ "TCP IPv4 64 B", "IPv4 TCP 198.51.100.20:40000 > 192.0.2.10:80, 64 B",
	  0, 1, 1, build_tcp4 },
	{ "TCP IPv4 random src (hit)",
	  "256 frames IPv4 TCP 198.51.100.[0,128):[30000,50000) > "
	  "192.0.2.10:80, 64 B",
	  0, 1, NRAND, build_rand_hit },
	{ "no match, TCP IPv4 64 B",
	  "IPv4 TCP 203.0.113.77:51000 > 198.51.100.99:8443, 64 B "
	  "(against the \"web\" sets)",
	  0, 0, 1, build_miss },
	{ "TCP IPv4 random (miss)",
	  "256 frames IPv4 TCP 198.51.100.[0,128):[30000,50000) > "
	  "203.0.113.[64,128):[30000,50000), 64 B (against the \"web\" "
	  "sets)",
	  0, 0, NRAND, build_rand_miss },
	{ "UDP IPv4 512 B",
	  "IPv4 UDP 198.51.100.30:5004 > 192.0.2.20:5004, 512 B", 1, 1, 1,
	  build_udp4 },
	{ "TCP IPv6 74 B",
	  "IPv6 TCP [2001:db8:20::20]:40001 > [2001:db8:10::10]:443, 74 B", 2,
	  1, 1, build_tcp6 },
	{ "VLAN IPv4 TCP 68 B",
	  "802.1Q VID 100, IPv4 TCP 198.51.100.40:50000 > 192.0.2.30:179, "
	  "68 B",
	  3, 1, 1, build_vlan4 },
};
#define NSHAPES ARRAY_SIZE(shapes)

/*
 * One loaded instance of the program per set, with its own maps. The set
 * is switched to the shape's target when the shape changes, between
 * timed runs, so that loads (and verifier time) do not multiply with the
 * shapes.
 */
struct inst {
	struct runner r;
	const struct setspec *set;
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
	enum ifstat_prog prog;
};

/* The program under test and its pass verdict (tc: TC_ACT_UNSPEC). */
static const struct {
	const char *arg, *name, *empty;
	__u32 pass;
} progs[IFSTAT_NPROGS] = {
	[IFSTAT_PROG_XDP] = { "xdp", IFSTAT_PROG_NAME,
			      "`r0 = XDP_PASS; exit`, loaded with "
			      "BPF_F_XDP_HAS_FRAGS like ifstat_xdp",
			      XDP_PASS },
	[IFSTAT_PROG_TC_IN] = { "tc_in", IFSTAT_TC_IN_NAME,
				"`r0 = TC_ACT_UNSPEC; exit`, a tc program",
				(__u32)-1 },
	[IFSTAT_PROG_TC_OUT] = { "tc_out", IFSTAT_TC_OUT_NAME,
				 "`r0 = TC_ACT_UNSPEC; exit`, a tc program",
				 (__u32)-1 },
};
static enum ifstat_prog prog = IFSTAT_PROG_XDP;

struct sample {
	double kns; /* the kernel's duration per repetition (ns; floor per
		     * test run, averaged over a random shape's runs) */
	double cns; /* thread CPU time per repetition (ns) */
};

/* Filters [0, inst_matching()) match a hit shape's frames, the rest none. */
static unsigned int inst_matching(const struct inst *in)
{
	unsigned int m = in->set->all ? NMATCH : 1;

	return m < in->set->n ? m : in->set->n;
}

static int inst_use(struct inst *in, unsigned int target)
{
	const char *specs[IFSTAT_MAX_FILTERS];
	unsigned int i, n = in->set->n, m = inst_matching(in);
	int ret;

	if (in->target == (int)target || (!n && in->target >= 0))
		return 0;
	for (i = 0; i < m; i++)
		specs[i] = targets[target][i];
	for (i = m; i < n; i++)
		specs[i] = pool[i - m];
	/* The pool filters keep their slots and counters (same name and
	 * definition); only the target's restart at zero. */
	ret = runner_filters(&in->r, specs, n, NULL, 0);
	if (!ret)
		ret = runner_read(&in->r, &in->prev);
	if (ret)
		return ret;
	in->target = (int)target;
	in->hit_packets = 0;
	return 0;
}

static int inst_open(struct inst *in, const struct setspec *set)
{
	in->set = set;
	in->target = -1;
	return runner_open_prog(&in->r, prog);
}

static double cputime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * One test run of repeat repetitions; checks verdict and frame. Adds the
 * kernel's duration (per repetition, times repeat) and the thread CPU
 * time of the syscall to s when given.
 */
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
	if (o.retval != progs[prog].pass || o.data_size_out != f->len ||
	    memcmp(out, f->b, f->len)) {
		fprintf(stderr, "verdict %u or the frame changed\n", o.retval);
		return -EPROTO;
	}
	if (s) {
		s->kns += (double)o.duration * repeat;
		s->cns += t1 - t0;
	}
	return 0;
}

/* Frames of a shape in a timed run. */
static unsigned int timed_frames(const struct shape *sh)
{
	return sh->nframes > 1 ? nrand_timed : 1;
}

/* Repetitions per frame of a run of nframes frames: repeat in all. */
static unsigned int per_frame(unsigned int repeat, unsigned int nframes)
{
	return repeat / nframes ? repeat / nframes : 1;
}

/*
 * One timed run of a shape: each of its nf frames with per_frame()
 * repetitions. The sample is per repetition over the whole run. Returns
 * the repetitions run, 0 on an error (in *ret).
 */
static uint64_t run_frames(int prog_fd, const struct frame *f, unsigned int nf,
			   unsigned int repeat, struct sample *sm, int *ret)
{
	unsigned int i, per = per_frame(repeat, nf);
	struct sample acc = { 0, 0 };
	uint64_t total = (uint64_t)per * nf;

	for (i = 0; i < nf; i++) {
		*ret = run_once(prog_fd, &f[i], per, &acc);
		if (*ret)
			return 0;
	}
	if (sm) {
		sm->kns = acc.kns / (double)total;
		/* several test runs: the dispatcher cost swamps CPU time */
		sm->cns = nf > 1 ? sm->kns : acc.cns / (double)total;
	}
	return total;
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
				"COUNT ERROR: %u filters (%s), %s: %s: "       \
				"%" PRIu64 " counted, %" PRIu64 " expected\n", \
				in->set->n, in->set->label, where, (what),     \
				(uint64_t)(got), (uint64_t)(want));            \
			bad = 1;                                               \
		}                                                              \
	} while (0)

/*
 * Compares the counters after a run with those before it: every total and
 * every filter must have moved by exactly the repetitions that should
 * have reached it (all frames of a shape have the same length).
 */
static int check_run(struct inst *in, const struct shape *sh, size_t len,
		     uint64_t rep, struct ifstat_snapshot *cur)
{
	const struct ifstat_snapshot *p = &in->prev;
	const char *where = sh->name;
	unsigned int i, j, b = bucket_of((uint32_t)len);
	unsigned int n = in->set->n, m = sh->hits ? inst_matching(in) : 0;
	int ret, bad = 0;

	ret = runner_read(&in->r, cur);
	if (ret)
		return ret;
	CHECK_DELTA("nfilters", cur->nfilters, n);
	CHECK_DELTA("packets", cur->totals.packets - p->totals.packets, rep);
	CHECK_DELTA("bytes", cur->totals.bytes - p->totals.bytes, rep * len);
	CHECK_DELTA("unmatched", cur->totals.unmatched - p->totals.unmatched,
		    m ? 0 : rep);
	CHECK_DELTA("non_ip", cur->totals.non_ip - p->totals.non_ip, 0);
	CHECK_DELTA("malformed", cur->totals.malformed - p->totals.malformed,
		    0);
	for (i = 0; i < n && i < cur->nfilters; i++) {
		const struct ifstat_filter_stats *c = &cur->filters[i];
		const struct ifstat_filter_stats *o = &p->filters[i];
		uint64_t want = i < m ? rep : 0;
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
	unsigned int i, m = inst_matching(in);
	int ret, bad = 0;

	ret = runner_read(&in->r, cur);
	if (ret)
		return ret;
	CHECK_DELTA("packets", cur->totals.packets, in->runs_packets);
	for (i = 0; i < in->set->n && i < cur->nfilters; i++)
		CHECK_DELTA(cur->filters[i].name, cur->filters[i].packets,
			    i < m ? in->hit_packets : 0);
	return bad ? -EPROTO : 0;
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
	int na; /* not run: an "all" set on a miss shape */
};

static struct result median(const struct sample *s, unsigned int n)
{
	double k[MAX_ROUNDS], c[MAX_ROUNDS];
	struct result r;
	unsigned int i;

	for (i = 0; i < n; i++) {
		k[i] = s[i].kns;
		c[i] = s[i].cns;
	}
	qsort(k, n, sizeof(k[0]), cmp_dbl);
	qsort(c, n, sizeof(c[0]), cmp_dbl);
	r.kns = n % 2 ? k[n / 2] : (k[n / 2 - 1] + k[n / 2]) / 2.0;
	r.cns = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2.0;
	r.spread = r.cns > 0 ? (c[n - 1] - c[0]) / r.cns : 0;
	r.na = 0;
	return r;
}

/* 1 when arg names a program (it is then in *p), else 0. */
static int prog_parse(const char *arg, enum ifstat_prog *p)
{
	unsigned int i;

	for (i = 0; i < IFSTAT_NPROGS; i++)
		if (!strcmp(arg, progs[i].arg)) {
			*p = (enum ifstat_prog)i;
			return 1;
		}
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int i;

	o->repeat = 1000000;
	o->rounds = 9;
	o->cpu = -1;
	o->quick = 0;
	o->prog = IFSTAT_PROG_XDP;
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
		} else if (!strcmp(argv[i], "--rand-frames") && i + 1 < argc) {
			nrand_timed = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--prog") && i + 1 < argc &&
			   prog_parse(argv[++i], &o->prog)) {
			continue;
		} else {
			fprintf(stderr,
				"usage: %s [--quick] [--repeat N] [--rounds N] "
				"[--cpu N] [--prog xdp|tc_in|tc_out] "
				"[--rand-frames N]\n",
				argv[0]);
			return -EINVAL;
		}
	}
	if (!o->repeat || !o->rounds || o->rounds > MAX_ROUNDS ||
	    !nrand_timed || nrand_timed > NRAND) {
		fprintf(stderr,
			"repeat must be > 0, rounds 1..%u and "
			"rand-frames 1..%u\n",
			MAX_ROUNDS, NRAND);
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
	printf("- %s as loaded: %u BPF insns (%u verified), %u B of "
	       "x86 code in %u functions\n",
	       progs[prog].name, info.xlated_prog_len / 8, info.verified_insns,
	       info.jited_prog_len, info.nr_jited_func_lens);
}

static void print_header(const struct opts *o, int prog_fd, double sys_cpu,
			 double sys_wall)
{
	unsigned int per = per_frame(o->repeat, nrand_timed);
	struct utsname u;
	char date[64];
	time_t now = time(NULL);

	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M %Z", localtime(&now));
	printf("## ifstat data path, BPF_PROG_TEST_RUN, %s%s\n\n",
	       progs[prog].name,
	       o->quick ? " (--quick: numbers not meaningful)" : "");
	printf("- %s, kernel %s %s, %ld CPUs online, pinned to CPU %d\n", date,
	       u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN), o->cpu);
	printf("- repeat=%u per run, %u rounds; every round runs, for each "
	       "frame, the empty program then 0, 1, 5, 16, 32, 64 filters "
	       "of which one matches, 5 filters that all match (\"5 all\") "
	       "and 64 of which those 5 match (\"64 w/ 5\"); median over "
	       "rounds\n",
	       o->repeat, o->rounds);
	printf("- ns = thread CPU time of the test-run syscall / repeat "
	       "(fractional); kernel = the kernel's own duration "
	       "(opts.duration, whole ns per test run, rounded down)\n");
	printf("- empty = %s\n", progs[prog].empty);
	printf("- random shapes: %u frames each, precomputed by splitmix64 "
	       "seeded 0x%llx. BPF_PROG_TEST_RUN repeats one frame, so the "
	       "frame cannot vary from one repetition to the next: a timed "
	       "run of a random shape runs %u of its frames in turn with "
	       "repeat/%u = %u repetitions each (the empty program too), "
	       "which rotates the table lookups between test runs, not "
	       "within one\n",
	       NRAND, (unsigned long long)RAND_SEED, nrand_timed, nrand_timed,
	       per);
	printf("- a test run with repeat > 1 costs, besides its "
	       "repetitions, about %.0f us of CPU and %.1f ms of wall time "
	       "here (%s; empty program, "
	       "repeat=2, median of 11). That is %.2f ns per repetition in "
	       "the CPU-time ns of the fixed frames, but %.0f ns in a random "
	       "shape's: **the random rows' ns are the kernel's duration** "
	       "(averaged over their %u test runs; each whole ns rounded "
	       "down, so low by up to 1 ns, the empty program too)\n",
	       sys_cpu / 1e3, sys_wall / 1e6,
	       prog == IFSTAT_PROG_XDP ? "the kernel installs the program in "
					 "the XDP "
					 "dispatcher and removes it, "
					 "bpf_prog_change_xdp()"
				       : "the kernel builds an skb around the "
					 "frame",
	       sys_cpu / o->repeat, sys_cpu / per, nrand_timed);
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
			if (res[s][c].na)
				continue;
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

static const char *cell_label(unsigned int c)
{
	return c ? sets[c - 1].label : "empty";
}

/* The cells of the first table, after the empty program. */
static const unsigned int main_cells[] = { C_0, C_1, C_5, C_64, C_5ALL, C_64W5 };

static void print_tables(struct result res[NSHAPES][NCELLS])
{
	unsigned int s, c, i, ws, wc;

	printf("### ns per frame and ratio to the empty program\n\n");
	printf("| Frame | empty ns | 0 filters ns (x) | 1 filter ns (x) | "
	       "5 filters ns (x) | 64 filters ns (x) | 5 all matching ns (x) "
	       "| 64 w/ 5 matching ns (x) |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (s = 0; s < NSHAPES; s++) {
		double e = res[s][C_EMPTY].cns;

		printf("| %s | %.1f", shapes[s].name, e);
		for (i = 0; i < ARRAY_SIZE(main_cells); i++) {
			const struct result *v = &res[s][main_cells[i]];

			if (v->na)
				printf(" | n/a");
			else
				printf(" | %.1f (%.2fx)", v->cns, v->cns / e);
		}
		printf(" |\n");
	}

	printf("\n### Cost curve: ns per frame by filter set\n\n");
	printf("| Frame |");
	for (c = 0; c < NCELLS; c++)
		printf(" %s |", cell_label(c));
	printf(" ns/filter (1..64) | ns per extra match ((5 all - 5) / 4) "
	       "|\n|---|");
	for (c = 0; c < NCELLS; c++)
		printf("---:|");
	printf("---:|---:|\n");
	for (s = 0; s < NSHAPES; s++) {
		printf("| %s |", shapes[s].name);
		for (c = 0; c < NCELLS; c++)
			if (res[s][c].na)
				printf(" n/a |");
			else
				printf(" %.1f |", res[s][c].cns);
		/* slope between the 1- and 64-filter cells */
		printf(" %.2f |", (res[s][C_64].cns - res[s][C_1].cns) / 63.0);
		if (res[s][C_5ALL].na)
			printf(" n/a |\n");
		else
			printf(" %.2f |\n",
			       (res[s][C_5ALL].cns - res[s][C_5].cns) /
				       (NMATCH - 1));
	}
	printf("\nRound-to-round spread of a cell ((max - min) / median): "
	       "median over cells %.1f%%, ",
	       spread_median(res, &ws, &wc) * 100);
	if (wc)
		printf("worst %.1f%% (%s, %s filters).\n",
		       res[ws][wc].spread * 100, shapes[ws].name,
		       cell_label(wc));
	else
		printf("worst %.1f%% (%s, empty program).\n",
		       res[ws][wc].spread * 100, shapes[ws].name);
	printf("\nThe kernel's own figure (opts.duration, whole ns per test "
	       "run, averaged over the runs of a random shape; median):\n\n"
	       "| Frame |");
	for (c = 0; c < NCELLS; c++)
		printf(" %s |", cell_label(c));
	printf("\n|---|");
	for (c = 0; c < NCELLS; c++)
		printf("---:|");
	printf("\n");
	for (s = 0; s < NSHAPES; s++) {
		printf("| %s |", shapes[s].name);
		for (c = 0; c < NCELLS; c++)
			if (res[s][c].na)
				printf(" n/a |");
			else
				printf(" %.1f |", res[s][c].kns);
		printf("\n");
	}
}

/* A ratio target of issue 11: cell num over cell den on every frame. */
struct target {
	const char *what;
	unsigned int num, den;
	double max;
};

static const struct target ratio_targets[] = {
	{ "0 filters <= 1.3x empty", C_0, C_EMPTY, 1.3 },
	{ "5 filters, one matching, <= 1.7x empty", C_5, C_EMPTY, 1.7 },
	{ "64 filters, one matching, <= 2.2x empty", C_64, C_EMPTY, 2.2 },
	{ "64 filters <= 1.3x the 5 filters on the same frame (flat)", C_64,
	  C_5, 1.3 },
	{ "5 filters all matching <= 2.2x empty", C_5ALL, C_EMPTY, 2.2 },
	{ "64 filters of which 5 match <= 2.6x empty", C_64W5, C_EMPTY, 2.6 },
};

static void print_verdict(double worst, double max, const char *unit,
			  unsigned int ws, unsigned int over, unsigned int nf)
{
	if (worst <= max)
		printf("met (worst %.2f%s: %s)\n", worst, unit,
		       shapes[ws].name);
	else
		printf("NOT met, by %.2f%s (+%.0f%%): worst %.2f%s on %s; "
		       "%u of %u frames over\n",
		       worst - max, unit, (worst / max - 1) * 100, worst, unit,
		       shapes[ws].name, over, nf);
}

static void print_targets(struct result res[NSHAPES][NCELLS])
{
	unsigned int t, s, ws, over, nf;
	double worst;

	printf("\n### Targets (issue 11), every frame of the table, ns "
	       "ratios of the same run\n\n");
	printf("On the no-match frames the one-matching sets match nothing; "
	       "the all-matching sets run on the hit frames only.\n\n");
	for (t = 0; t < ARRAY_SIZE(ratio_targets); t++) {
		const struct target *g = &ratio_targets[t];

		worst = -1;
		ws = over = nf = 0;
		for (s = 0; s < NSHAPES; s++) {
			double v;

			if (res[s][g->num].na || res[s][g->den].na)
				continue;
			v = res[s][g->num].cns / res[s][g->den].cns;
			nf++;
			over += v > g->max;
			if (v > worst) {
				worst = v;
				ws = s;
			}
		}
		printf("- %s: ", g->what);
		print_verdict(worst, g->max, "x", ws, over, nf);
	}
	worst = -1e9;
	ws = over = nf = 0;
	for (s = 0; s < NSHAPES; s++) {
		double v;

		if (res[s][C_5ALL].na)
			continue;
		v = (res[s][C_5ALL].cns - res[s][C_5].cns) / (NMATCH - 1);
		nf++;
		over += v > 1.0;
		if (v > worst) {
			worst = v;
			ws = s;
		}
	}
	printf("- cost per additional matching filter, (5 all - 5 one "
	       "matching) / %u, <= 1 ns: ",
	       NMATCH - 1);
	print_verdict(worst, 1.0, " ns", ws, over, nf);
}

static void print_sets(void)
{
	unsigned int s, i;

	printf("\n### Frames and filter sets\n\n");
	printf("A set of N filters with one matching is the frame's target "
	       "filter followed by the first N - 1 filters of the pool, in "
	       "this order. Exactly the target matches its frames; every "
	       "pool filter is evaluated and fails on every frame (checked "
	       "by the counters). The \"5 all\" set is the target and the "
	       "four other filters of its row, all matching the frame; "
	       "\"64 w/ 5\" is those 5 followed by the first %u pool "
	       "filters: filters 1-5 count every repetition, the others "
	       "none (checked).\n\n",
	       IFSTAT_MAX_FILTERS - NMATCH);
	printf("| Frame | exact frame | target filter (matches?) | other "
	       "filters of the \"5 all\" set |\n");
	printf("|---|---|---|---|\n");
	for (s = 0; s < NSHAPES; s++) {
		const char *const *t = targets[shapes[s].target];

		printf("| %s | %s | `%s` (%s) |", shapes[s].name,
		       shapes[s].desc, t[0], shapes[s].hits ? "yes" : "no");
		if (shapes[s].hits)
			for (i = 1; i < NMATCH; i++)
				printf("%s`%s`", i > 1 ? ", " : " ", t[i]);
		else
			printf(" n/a");
		printf(" |\n");
	}
	printf("\nPool (filter 2 to 64 of a one-matching set):\n\n");
	for (i = 0; i < ARRAY_SIZE(pool); i++)
		printf("%s`%s`", i ? (i % 4 ? ", " : ",\n") : "", pool[i]);
	printf("\n\nThe 5-filter sets thus add `%s`, `%s`, `%s`, `%s`.\n",
	       pool[0], pool[1], pool[2], pool[3]);
}

/*
 * Runs one cell (a shape's frames through one instance), checks its
 * counters and keeps the totals that check_final() compares with at the
 * end. With each (the warm-up), every frame runs repeat times and is
 * checked on its own; otherwise a timed run of the shape's frames, of
 * repeat repetitions in all, is checked as a whole.
 * Returns the repetitions run, 0 on an error (in *ret).
 */
static uint64_t run_cell(struct inst *in, unsigned int s, const struct frame *f,
			 unsigned int repeat, struct sample *sm,
			 struct ifstat_snapshot *snap, int each, int *ret)
{
	const struct shape *sh = &shapes[s];
	unsigned int i, nf = each ? sh->nframes : timed_frames(sh);
	unsigned int per = each ? repeat : per_frame(repeat, nf);
	uint64_t rep = 0;

	*ret = inst_use(in, sh->target);
	if (*ret)
		return 0;
	if (each) {
		for (i = 0; i < nf && !*ret; i++) {
			*ret = run_once(in->r.prog_fd, &f[i], per, NULL);
			if (!*ret)
				*ret = check_run(in, sh, f[i].len, per, snap);
			rep += per;
		}
	} else {
		rep = run_frames(in->r.prog_fd, f, nf, repeat, sm, ret);
		if (!*ret)
			*ret = check_run(in, sh, f[0].len, rep, snap);
	}
	if (*ret)
		return 0;
	in->runs_packets += rep;
	in->hit_packets += sh->hits ? rep : 0;
	return rep;
}

/* Does cell c run on shape s (the all-matching sets: hit shapes only). */
static int cell_runs(unsigned int s, unsigned int c)
{
	return !c || !sets[c - 1].all || shapes[s].hits;
}

/*
 * What a test run with repeat > 1 costs besides its repetitions (the
 * dispatcher install and removal): thread CPU time and wall time of a run
 * of the empty program with repeat=2, less two repetitions; medians.
 */
static void syscall_cost(int empty_fd, const struct frame *f, double rep_ns,
			 double *cpu_ns, double *wall_ns)
{
	double c[11], w[11];
	struct timespec a, b;
	unsigned int i;

	*cpu_ns = *wall_ns = 0;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct sample sm = { 0, 0 };

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (run_once(empty_fd, f, 2, &sm))
			return;
		clock_gettime(CLOCK_MONOTONIC, &b);
		c[i] = sm.cns - 2 * rep_ns;
		w[i] = (double)(b.tv_sec - a.tv_sec) * 1e9 +
		       (double)(b.tv_nsec - a.tv_nsec) - 2 * rep_ns;
	}
	qsort(c, ARRAY_SIZE(c), sizeof(c[0]), cmp_dbl);
	qsort(w, ARRAY_SIZE(w), sizeof(w[0]), cmp_dbl);
	*cpu_ns = c[ARRAY_SIZE(c) / 2];
	*wall_ns = w[ARRAY_SIZE(w) / 2];
}

int main(int argc, char **argv)
{
	static struct result res[NSHAPES][NCELLS];
	static struct ifstat_snapshot snap;
	struct frame *frames[NSHAPES] = { 0 };
	struct inst *insts = NULL; /* [set] */
	struct sample *samples = NULL; /* [shape][cell][round] */
	unsigned int s, c, r, t, i, ninst = NSETS;
	uint64_t checked = 0;
	int empty_fd = -1, ret = 0, rc = 1;
	double sys_cpu, sys_wall;
	struct opts o;

	if (parse_args(argc, argv, &o))
		return 2;
	libbpf_set_print(NULL);
	if (pin_cpu(&o))
		return 1;
	if (o.quick)
		nrand_timed = NRAND_QUICK;
	prog = o.prog;
	insts = calloc(ninst, sizeof(*insts));
	samples = calloc(NSHAPES * NCELLS * o.rounds, sizeof(*samples));
	if (!insts || !samples)
		goto out;
	for (s = 0; s < NSHAPES; s++) {
		frames[s] = calloc(shapes[s].nframes, sizeof(*frames[s]));
		if (!frames[s])
			goto out;
		for (i = 0; i < shapes[s].nframes; i++) {
			frame_init(&frames[s][i]);
			shapes[s].build(&frames[s][i]);
			/* check_run() takes one length for a whole run */
			if (frames[s][i].len != frames[s][0].len)
				goto out;
		}
	}

	empty_fd = prog == IFSTAT_PROG_XDP ? bench_load_empty_xdp("bench_empty")
					   : bench_load_empty_tc("bench_empty");
	if (empty_fd < 0) {
		fprintf(stderr, "cannot load the empty program: %s\n",
			strerror(-empty_fd));
		rc = empty_fd == -EPERM ? EXIT_SKIP : 1;
		goto out;
	}
	for (t = 0; t < ninst; t++) {
		ret = inst_open(&insts[t], &sets[t]);
		if (ret) {
			fprintf(stderr, "cannot load the program: %s\n",
				strerror(-ret));
			rc = ret == -EPERM ? EXIT_SKIP : 1;
			goto out;
		}
	}

	/* Warm-up round, untimed: JIT pages, caches, CPU frequency. Every
	 * frame of a random shape is checked on its own here, with one
	 * repetition (no dispatcher change: fast). */
	for (s = 0; s < NSHAPES; s++) {
		unsigned int wrep = shapes[s].nframes > 1 ? 1
							  : o.repeat / 4 + 1;

		run_frames(empty_fd, frames[s], shapes[s].nframes,
			   wrep * shapes[s].nframes, NULL, &ret);
		for (c = 1; c < NCELLS && !ret; c++)
			if (cell_runs(s, c))
				run_cell(&insts[c - 1], s, frames[s], wrep,
					 NULL, &snap, 1, &ret);
		if (ret)
			goto fail;
	}

	for (r = 0; r < o.rounds; r++) {
		for (s = 0; s < NSHAPES; s++) {
			struct sample *sm = &samples[s * NCELLS * o.rounds];

			run_frames(empty_fd, frames[s],
				   timed_frames(&shapes[s]), o.repeat, &sm[r],
				   &ret);
			for (c = 1; c < NCELLS && !ret; c++)
				if (cell_runs(s, c))
					checked += run_cell(
						&insts[c - 1], s, frames[s],
						o.repeat, &sm[c * o.rounds + r],
						&snap, 0, &ret);
			if (ret)
				goto fail;
		}
	}
	for (t = 0; t < ninst && !ret; t++)
		ret = check_final(&insts[t], &snap);
	if (ret)
		goto fail;

	for (s = 0; s < NSHAPES; s++)
		for (c = 0; c < NCELLS; c++) {
			res[s][c] =
				median(&samples[(s * NCELLS + c) * o.rounds],
				       o.rounds);
			res[s][c].na = !cell_runs(s, c);
		}
	syscall_cost(empty_fd, &frames[0][0], res[0][C_EMPTY].cns, &sys_cpu,
		     &sys_wall);
	print_header(&o, insts[0].r.prog_fd, sys_cpu, sys_wall);
	print_tables(res);
	print_targets(res);
	print_sets();
	printf("\nCounters: every timed run moved every total and every "
	       "filter's packets, bytes and buckets by exactly its "
	       "repetitions (%" PRIu64 " timed frames checked; a random "
	       "shape's timed run of %u frames as a whole, and each of its "
	       "%u frames on its own in the warm-up round): OK\n",
	       checked, nrand_timed, NRAND);
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
	for (s = 0; s < NSHAPES; s++)
		free(frames[s]);
	return rc;
}
