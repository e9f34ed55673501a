// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The tc programs against doc/semantics.md, through BPF_PROG_TEST_RUN.
 *
 * Same frames, same counts: every case of cases.c and a run of seeded
 * random frames (gen.c) go through XDP, tc ingress and tc egress, each
 * with its own fresh maps; the three snapshots must be equal (and equal
 * to the cases' expectations), and each program counts in its own
 * direction only.
 *
 * GSO: a tc packet standing for several wire frames (rule 11) counts as
 * those frames. The expected frames are cut here, one by one, from the
 * header length each case writes out, never computed by the program's
 * formula.
 *
 * The kernel's test run of a tc program refuses some frames that XDP's
 * takes: longer than a linear skb within a page (about 3.7 KB: the
 * multi-buffer cases), or with an IP EtherType and less than the IP
 * header. Those are left out for every program alike, and said.
 *
 * IFSTAT_SEED=<n>    reproduce the random frames (the seed is printed)
 * IFSTAT_FRAMES=<n>  random frames (default 30000)
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "cases.h"
#include "gen.h"

#define DEFAULT_FRAMES 30000u
#define BATCH 500u

static const enum ifstat_prog progs[IFSTAT_NPROGS] = {
	IFSTAT_PROG_XDP,
	IFSTAT_PROG_TC_IN,
	IFSTAT_PROG_TC_OUT,
};
static const char *const prog_names[IFSTAT_NPROGS] = { "xdp", "tc ingress",
						       "tc egress" };

/* A tc program of its own, to ask whether a tc test run takes a frame. */
static struct runner probe;

/* One runner per program, loaded once (a tc program takes 70 ms to
 * load): every test starts from a reset of all counters instead. */
static struct runner rs[IFSTAT_NPROGS];

static int open_runners(struct runner *r)
{
	unsigned int p;
	int ret = 0;

	for (p = 0; p < IFSTAT_NPROGS && !ret; p++) {
		ret = runner_open_prog(&r[p], progs[p]);
		if (ret) {
			fprintf(stderr, "loading the %s program: %s\n",
				prog_names[p], strerror(-ret));
			while (p--)
				runner_close(&r[p]);
		}
	}
	return ret;
}

static void close_runners(struct runner *r)
{
	unsigned int p;

	for (p = 0; p < IFSTAT_NPROGS; p++)
		runner_close(&r[p]);
}

/* As freshly loaded: every counter zero, no filters, the default edges,
 * no GSO fields. */
static int reset(void **state)
{
	unsigned int p;

	(void)state;
	for (p = 0; p < IFSTAT_NPROGS; p++) {
		if (runner_filters(&rs[p], NULL, 0, dp_design_edges,
				   ARRAY_SIZE(dp_design_edges)) ||
		    ifstat_engine_reset(rs[p].e, -1))
			return -1;
		rs[p].gso_segs = rs[p].gso_size = 0;
	}
	return 0;
}

static struct frame fr;

/* The counters of the direction a runner's program does not count. */
static void read_other(struct runner *r, struct ifstat_snapshot *s)
{
	unsigned int dir = r->prog == IFSTAT_PROG_TC_OUT ? IFSTAT_DIR_INGRESS
							 : IFSTAT_DIR_EGRESS;

	assert_int_equal(ifstat_link_read(r->l, dir, s), 0);
}

/* Prints every counter of b that differs from a's; 1 when one does. */
static int differ(const char *what, const struct ifstat_snapshot *a,
		  const struct ifstat_snapshot *b)
{
	const uint64_t ta[] = { a->totals.packets, a->totals.bytes,
				a->totals.unmatched, a->totals.non_ip,
				a->totals.malformed };
	const uint64_t tb[] = { b->totals.packets, b->totals.bytes,
				b->totals.unmatched, b->totals.non_ip,
				b->totals.malformed };
	static const char *const tn[] = { "packets", "bytes", "unmatched",
					  "non_ip", "malformed" };
	unsigned int i, k;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(ta); i++)
		if (ta[i] != tb[i]) {
			print_error("  %s: totals.%s %" PRIu64 ", not %" PRIu64
				    "\n",
				    what, tn[i], tb[i], ta[i]);
			bad = 1;
		}
	if (a->nfilters != b->nfilters || a->nedges != b->nedges ||
	    memcmp(a->edges, b->edges, sizeof(a->edges))) {
		print_error("  %s: %u filters and %u edges, not %u and %u\n",
			    what, b->nfilters, b->nedges, a->nfilters,
			    a->nedges);
		return 1;
	}
	for (i = 0; i < a->nfilters; i++) {
		const struct ifstat_filter_stats *fa = &a->filters[i];
		const struct ifstat_filter_stats *fb = &b->filters[i];

		if (strcmp(fa->name, fb->name) || fa->packets != fb->packets ||
		    fa->bytes != fb->bytes) {
			print_error("  %s: filter %u '%s': %" PRIu64 " packets "
				    "%" PRIu64 " bytes, not '%s' %" PRIu64
				    " %" PRIu64 "\n",
				    what, i, fb->name, fb->packets, fb->bytes,
				    fa->name, fa->packets, fa->bytes);
			bad = 1;
		}
		for (k = 0; k < IFSTAT_MAX_BUCKETS; k++)
			if (fa->buckets[k] != fb->buckets[k]) {
				print_error("  %s: filter '%s' bucket %u: "
					    "%" PRIu64 ", not %" PRIu64 "\n",
					    what, fa->name, k, fb->buckets[k],
					    fa->buckets[k]);
				bad = 1;
			}
	}
	return bad;
}

/* Nothing at all counted in s: the direction no program counts. */
static int untouched(const char *what, const struct ifstat_snapshot *s)
{
	static struct ifstat_snapshot zero;
	unsigned int i;

	zero.nfilters = s->nfilters;
	zero.nedges = s->nedges;
	memcpy(zero.edges, s->edges, sizeof(zero.edges));
	memcpy(zero.filters, s->filters, sizeof(zero.filters));
	for (i = 0; i < s->nfilters; i++) {
		zero.filters[i].packets = zero.filters[i].bytes = 0;
		memset(zero.filters[i].buckets, 0,
		       sizeof(zero.filters[i].buckets));
	}
	return differ(what, &zero, s);
}

/* 1 (said) unless every program's snapshot equals XDP's and the other
 * directions are empty. */
static int disagree(struct runner *r, struct ifstat_snapshot *s)
{
	static struct ifstat_snapshot other;
	char what[64];
	unsigned int p;
	int bad = 0;

	for (p = 0; p < IFSTAT_NPROGS; p++) {
		if (p) {
			snprintf(what, sizeof(what), "%s against xdp",
				 prog_names[p]);
			bad |= differ(what, &s[0], &s[p]);
		}
		read_other(&r[p], &other);
		snprintf(what, sizeof(what), "%s, the other direction",
			 prog_names[p]);
		bad |= untouched(what, &other);
	}
	return bad;
}

/* ---- the cases of cases.c, through every program ------------------------ */

static int tc_takes(const struct frame *f)
{
	static unsigned char out[FRAME_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = (__u32)f->len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	return !bpf_prog_test_run_opts(probe.prog_fd, &o);
}

static void test_case(void **state)
{
	static struct ifstat_snapshot s[IFSTAT_NPROGS];
	const struct dp_case *c = *state;
	unsigned int p;

	for (p = 0; p < IFSTAT_NPROGS; p++)
		dp_run_case(&rs[p], c, tc_takes, &s[p]);
	if (disagree(rs, s))
		fail_msg("'%s': the programs disagree (above)", c->name);
}

/* ---- seeded random frames ------------------------------------------------ */

/* Filters that the generator's pools meet often (gen.c). */
static const char *const random_filters[] = {
	"all=any",
	"tcp=tcp",
	"udp=udp",
	"icmp=icmp",
	"icmp6=icmpv6",
	"gre=proto 47",
	"v100=vlan 100",
	"v1tcp=vlan 1 tcp",
	"dns=udp port 53",
	"web=tcp dst port 80",
	"high=port 1024-65535",
	"ssh=src port 22",
	"net4=src 192.0.2.0/24",
	"host4=host 198.51.100.1",
	"dst4=dst 203.0.113.0/25",
	"net6=src 2001:db8::/64",
	"host6=host 2001:db8:1::1",
	"dst6=dst 2001:db8:8000::/33",
	"dns4=udp dst 192.0.2.0/24 dst port 53",
	"v6web=tcp src 2001:db8::/32 port 80-443",
};
static const uint32_t random_edges[] = { 100, 200, 1500, 3000 };

/* Frames [first, end) of the seed through every runner of x; 1 when a
 * frame came back changed or was refused. */
static int run_random(struct runner *r, uint64_t seed, uint64_t first,
		      uint64_t end, uint64_t *ran)
{
	unsigned int p;
	uint64_t i;

	for (i = first; i < end; i++) {
		gen_frame(frame_seed(seed, i), &fr);
		if (!tc_takes(&fr))
			continue;
		for (p = 0; p < IFSTAT_NPROGS; p++)
			if (runner_run(&r[p], &fr)) {
				print_error("  frame #%" PRIu64 " at %s\n", i,
					    prog_names[p]);
				return 1;
			}
		(*ran)++;
	}
	return 0;
}

static void read_all(struct runner *r, struct ifstat_snapshot *s)
{
	unsigned int p;

	for (p = 0; p < IFSTAT_NPROGS; p++)
		assert_int_equal(runner_read(&r[p], &s[p]), 0);
}

static void install_all(struct runner *r, const uint32_t *edges,
			unsigned int nedges)
{
	unsigned int p;

	for (p = 0; p < IFSTAT_NPROGS; p++)
		assert_int_equal(runner_filters(&r[p], random_filters,
						ARRAY_SIZE(random_filters),
						edges, nedges),
				 0);
}

/* A batch disagreed: replay the phase frame by frame from zero to name
 * the first frame the programs count differently. */
static void find_offender(uint64_t seed, uint64_t first, uint64_t end,
			  const uint32_t *edges, unsigned int nedges)
{
	static struct ifstat_snapshot s[IFSTAT_NPROGS];
	uint64_t i, ran = 0;
	size_t k;

	if (reset(NULL))
		return;
	install_all(rs, edges, nedges);
	for (i = first; i < end; i++) {
		if (run_random(rs, seed, i, i + 1, &ran))
			break;
		read_all(rs, s);
		if (!disagree(rs, s))
			continue;
		gen_frame(frame_seed(seed, i), &fr);
		print_error("first frame counted differently: #%" PRIu64
			    " (IFSTAT_SEED=0x%016" PRIx64 "), %zu bytes:\n",
			    i, seed, fr.len);
		for (k = 0; k < fr.len && k < 128; k++)
			print_error("%s%02x%s", k % 16 ? "" : "    ", fr.b[k],
				    k % 16 == 15 ? "\n" : " ");
		print_error("\n");
		break;
	}
}

static void test_random(void **state)
{
	static struct ifstat_snapshot s[IFSTAT_NPROGS];
	uint64_t seed = env_u64("IFSTAT_SEED", mix64((uint64_t)time(NULL) ^
						     (uint64_t)getpid() << 32));
	uint64_t n = env_u64("IFSTAT_FRAMES", DEFAULT_FRAMES), i, ran = 0;
	unsigned int phase, f, idle = 0;

	(void)state;
	printf("random: IFSTAT_SEED=0x%016" PRIx64 " IFSTAT_FRAMES=%" PRIu64
	       "\n",
	       seed, n);
	/* Two phases, each on fresh filters: the default edges, then
	 * others reaching past the default last one. */
	for (phase = 0; phase < 2; phase++) {
		const uint32_t *edges = phase ? random_edges : NULL;
		unsigned int ne = phase ? ARRAY_SIZE(random_edges) : 0;
		uint64_t lo = n * phase / 2, hi = n * (phase + 1) / 2;

		if (phase)
			assert_int_equal(reset(NULL), 0);
		install_all(rs, edges, ne);
		for (i = lo; i < hi; i += BATCH) {
			uint64_t end = i + BATCH < hi ? i + BATCH : hi;

			if (run_random(rs, seed, i, end, &ran))
				fail_msg("test run failed (IFSTAT_SEED="
					 "0x%016" PRIx64 ")",
					 seed);
			read_all(rs, s);
			if (!disagree(rs, s))
				continue;
			print_error("the programs disagree after frames "
				    "%" PRIu64 "-%" PRIu64 "\n",
				    i, end - 1);
			find_offender(seed, lo, end, edges, ne);
			fail_msg("IFSTAT_SEED=0x%016" PRIx64, seed);
		}
		for (f = 0; f < s[0].nfilters; f++)
			idle += !s[0].filters[f].packets;
	}
	printf("random: %" PRIu64 " of %" PRIu64 " frames run (the others "
	       "refused by a tc test run), %u of %zu filters never matched\n",
	       ran, n, idle, 2 * ARRAY_SIZE(random_filters));
	/* Frames that match nothing, or too few run, test nothing. */
	if (n >= DEFAULT_FRAMES)
		assert_true(ran > n * 9 / 10 && idle < 4);
}

/* ---- GSO ---------------------------------------------------------------- */

/*
 * A GSO packet: the frame (the skb's data, its length skb->len), the
 * skb's gso_segs and gso_size, and hdr: the bytes each wire frame repeats
 * (link, network and transport headers), written out; 0 when the packet
 * counts as one frame. match: one '0'/'1' per filter of the set.
 */
struct gso_case {
	const char *name;
	const char *filters[8];
	struct dp_frame frame;
	unsigned int segs, size, hdr;
	const char *match;
};

/* clang-format off */
#define GSO_FILTERS FILTERS("all=any", "tcp=tcp", "udp=udp", \
			    "web=tcp dst port 80", "v100=vlan 100")
static const struct gso_case gso_cases[] = {
	{ "TCP/IPv4, 1448-byte segments, a short last one", GSO_FILTERS,
	  { TCP4(40000, 80), .len = 14 + 20 + 20 + 2 * 1448 + 300 },
	  .segs = 3, .size = 1448, .hdr = 14 + 20 + 20, .match = "11010" },
	{ "TCP/IPv4, payload 7 x 500 exactly", GSO_FILTERS,
	  { TCP4(40000, 80), .len = 14 + 20 + 20 + 7 * 500 },
	  .segs = 7, .size = 500, .hdr = 14 + 20 + 20, .match = "11010" },
	{ "TCP/IPv6, 1428-byte segments", GSO_FILTERS,
	  { TCP6(40000, 443), .len = 14 + 40 + 20 + 2 * 1428 + 1 },
	  .segs = 3, .size = 1428, .hdr = 14 + 40 + 20, .match = "11000" },
	{ "TCP/IPv6 after a hop-by-hop header, 100-byte segments",
	  GSO_FILTERS,
	  { TCP6(40000, 80), .next = 1, .ext = { EXT(0, 0) },
	    .len = 14 + 40 + 8 + 20 + 33 * 100 + 17 },
	  .segs = 34, .size = 100, .hdr = 14 + 40 + 8 + 20, .match = "11010" },
	{ "TCP with options (doff 8), 1436-byte segments", GSO_FILTERS,
	  { TCP4(40000, 80), .doff = 8, .len = 14 + 20 + 32 + 2 * 1436 + 700 },
	  .segs = 3, .size = 1436, .hdr = 14 + 20 + 32, .match = "11010" },
	{ "TCP, IPv4 options (ihl 6), doff 15", GSO_FILTERS,
	  { TCP4(40000, 80), .ihl = 6, .doff = 15,
	    .len = 14 + 24 + 60 + 3 * 1000 + 1 },
	  .segs = 4, .size = 1000, .hdr = 14 + 24 + 60, .match = "11010" },
	{ "UDP/IPv4 (UDP_SEGMENT), 1200-byte segments, a short last one",
	  GSO_FILTERS,
	  { UDP4(5000, 6000), .len = 14 + 20 + 8 + 2 * 1200 + 64 },
	  .segs = 3, .size = 1200, .hdr = 14 + 20 + 8, .match = "10100" },
	{ "UDP/IPv6, payload 3 x 1000 exactly", GSO_FILTERS,
	  { UDP6(5000, 6000), .len = 14 + 40 + 8 + 3 * 1000 },
	  .segs = 3, .size = 1000, .hdr = 14 + 40 + 8, .match = "10100" },
	{ "a VLAN tag in the data: TCP/IPv4 on VID 100", GSO_FILTERS,
	  { TAG1(0x8100, 100), TCP4(40000, 80),
	    .len = 18 + 20 + 20 + 2 * 1448 + 10 },
	  .segs = 3, .size = 1448, .hdr = 18 + 20 + 20, .match = "11011" },
	{ "two tags in the data: UDP/IPv6 under 802.1ad 100", GSO_FILTERS,
	  { TAG2(0x88a8, 100, 0x8100, 200), UDP6(5000, 6000),
	    .len = 22 + 40 + 8 + 5 * 512 + 511 },
	  .segs = 6, .size = 512, .hdr = 22 + 40 + 8, .match = "10101" },
	{ "matched by no filter: every frame unmatched",
	  FILTERS("udp=udp", "ssh=tcp port 22"),
	  { TCP4(40000, 80), .len = 14 + 20 + 20 + 3 * 1000 + 5 },
	  .segs = 4, .size = 1000, .hdr = 14 + 20 + 20, .match = "00" },
	{ "the payload decides: gso_segs 2, 5 segments of payload",
	  GSO_FILTERS,
	  { TCP4(40000, 80), .len = 14 + 20 + 20 + 4 * 600 + 1 },
	  .segs = 2, .size = 600, .hdr = 14 + 20 + 20, .match = "11010" },
	{ "payload no longer than gso_size: one frame", GSO_FILTERS,
	  { TCP4(40000, 80), .len = 14 + 20 + 20 + 1448 },
	  .segs = 2, .size = 1448, .hdr = 0, .match = "11010" },
	{ "headers only: one frame", GSO_FILTERS,
	  { UDP4(5000, 6000), .len = 14 + 20 + 8 },
	  .segs = 2, .size = 100, .hdr = 0, .match = "10100" },
	{ "gso_segs 0 (from a VM, not checked yet): the payload decides",
	  GSO_FILTERS,
	  { TCP4(40000, 80), .len = 14 + 20 + 20 + 3000 },
	  .segs = 0, .size = 1000, .hdr = 14 + 20 + 20, .match = "11010" },
	{ "gso_size 0: one frame", GSO_FILTERS,
	  { UDP4(5000, 6000), .len = 14 + 20 + 8 + 3000 },
	  .segs = 3, .size = 0, .hdr = 0, .match = "10100" },
	{ "not TCP or UDP (GRE): one frame", GSO_FILTERS,
	  { .ip = 4, .proto = 47, .len = 14 + 20 + 3000 },
	  .segs = 3, .size = 1000, .hdr = 0, .match = "10000" },
	{ "ICMPv6: one frame", GSO_FILTERS,
	  { .ip = 6, .proto = 58, .len = 14 + 40 + 3000 },
	  .segs = 3, .size = 1000, .hdr = 0, .match = "10000" },
	{ "non-first UDP fragment (no ports): one frame", GSO_FILTERS,
	  { UDP4(5000, 6000), .frag = 0x00b9, .len = 14 + 20 + 3000 },
	  .segs = 3, .size = 1000, .hdr = 0, .match = "10100" },
	{ "TCP header cut after the ports: one frame", GSO_FILTERS,
	  { TCP4(40000, 80), .len = 14 + 20 + 8 },
	  .segs = 2, .size = 10, .hdr = 0, .match = "11010" },
};
/* clang-format on */

/* Bucket of a frame under the default edges (doc/semantics.md rule 2). */
static unsigned int default_bucket(size_t len)
{
	unsigned int b = 0;

	while (b < ARRAY_SIZE(dp_design_edges) && len > dp_design_edges[b])
		b++;
	return b;
}

/* The wire frames of g: the payload after hdr cut in pieces of size. */
static unsigned int wire_frames(const struct gso_case *g, size_t *lens)
{
	size_t off, n = 0;

	if (!g->hdr) {
		lens[0] = g->frame.len;
		return 1;
	}
	for (off = g->hdr; off < g->frame.len; off += g->size)
		lens[n++] = g->hdr + (g->frame.len - off < g->size
					      ? g->frame.len - off
					      : g->size);
	return (unsigned int)n;
}

static void test_gso(void **state)
{
	static struct ifstat_snapshot s, other;
	static size_t lens[FRAME_MAX];
	const struct gso_case *g = *state;
	unsigned int nf = 0, n, i, j, p, any, bad = 0;
	uint64_t bytes = 0, buckets[IFSTAT_MAX_BUCKETS] = { 0 };
	char what[64];

	while (g->filters[nf])
		nf++;
	assert_int_equal(strlen(g->match), nf);
	dp_build(&fr, &g->frame);
	assert_int_equal(fr.len, g->frame.len);
	assert_true(tc_takes(&fr));
	n = wire_frames(g, lens);
	for (i = 0; i < n; i++) {
		bytes += lens[i];
		buckets[default_bucket(lens[i])]++;
	}
	any = strchr(g->match, '1') != NULL;
	/* GSO is an skb's: tc only. */
	for (p = 1; p < IFSTAT_NPROGS; p++) {
		struct runner *r = &rs[p];

		assert_int_equal(runner_filters(r, g->filters, nf, NULL, 0), 0);
		r->gso_segs = g->segs;
		r->gso_size = g->size;
		assert_int_equal(runner_run(r, &fr), 0);
		assert_int_equal(runner_read(r, &s), 0);
		snprintf(what, sizeof(what), "%s: %u frames, %" PRIu64 " bytes",
			 prog_names[p], n, bytes);
		if (s.totals.packets != n || s.totals.bytes != bytes ||
		    s.totals.unmatched != (any ? 0 : n) || s.totals.non_ip ||
		    s.totals.malformed) {
			print_error("  %s: totals %" PRIu64 " packets %" PRIu64
				    " bytes %" PRIu64 " unmatched %" PRIu64
				    " non-IP %" PRIu64 " malformed\n",
				    what, s.totals.packets, s.totals.bytes,
				    s.totals.unmatched, s.totals.non_ip,
				    s.totals.malformed);
			bad = 1;
		}
		for (j = 0; j < nf; j++) {
			const struct ifstat_filter_stats *f = &s.filters[j];
			int m = g->match[j] == '1';

			if (f->packets != (m ? n : 0) ||
			    f->bytes != (m ? bytes : 0)) {
				print_error("  %s: filter '%s' %" PRIu64
					    " packets %" PRIu64 " bytes\n",
					    what, g->filters[j], f->packets,
					    f->bytes);
				bad = 1;
			}
			for (i = 0; i < IFSTAT_MAX_BUCKETS; i++)
				if (f->buckets[i] != (m ? buckets[i] : 0)) {
					print_error("  %s: filter '%s' bucket "
						    "%u: %" PRIu64 ", not "
						    "%" PRIu64 "\n",
						    what, g->filters[j], i,
						    f->buckets[i],
						    m ? buckets[i] : 0);
					bad = 1;
				}
		}
		read_other(r, &other);
		bad |= untouched(prog_names[p], &other);
	}
	if (bad)
		fail_msg("'%s': counters differ (above)", g->name);
}

int main(void)
{
	size_t ncases = dp_ncases + 1 + 1 + ARRAY_SIZE(gso_cases), i, n = 0;
	struct CMUnitTest *tests = calloc(ncases, sizeof(*tests));
	int ret = dp_can_load();

	if (ret || !tests)
		return ret ? ret : 1;
	ret = runner_open_prog(&probe, IFSTAT_PROG_TC_IN);
	if (ret) {
		fprintf(stderr, "cannot load the tc program: %s\n",
			strerror(-ret));
		return 1;
	}
	if (open_runners(rs)) {
		runner_close(&probe);
		return 1;
	}
	for (i = 0; i < dp_ncases; i++)
		tests[n++] = (struct CMUnitTest){ dp_cases[i].name, test_case,
						  reset, NULL,
						  (void *)&dp_cases[i] };
	tests[n++] = (struct CMUnitTest){ dp_max_filters_case()->name,
					  test_case, reset, NULL,
					  (void *)dp_max_filters_case() };
	tests[n++] = (struct CMUnitTest){ "random frames", test_random, reset,
					  NULL, NULL };
	for (i = 0; i < ARRAY_SIZE(gso_cases); i++)
		tests[n++] = (struct CMUnitTest){ gso_cases[i].name, test_gso,
						  reset, NULL,
						  (void *)&gso_cases[i] };
	ret = _cmocka_run_group_tests("tc", tests, n, NULL, NULL);
	close_runners(rs);
	runner_close(&probe);
	return ret;
}
