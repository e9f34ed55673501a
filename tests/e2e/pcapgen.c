// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Writes the end-to-end test traffic as a classic pcap, the fixed filter
 * set the test installs, and the counters that traffic must produce.
 *
 * The expectations come from the table below: every frame is described
 * by what it is made of (tags, family, protocol, fragment, cut), and the
 * expected result of each filter is a small C predicate over that
 * description, written from doc/semantics.md. Nothing here parses the bytes it
 * wrote or runs the XDP program, so a parser bug cannot hide by agreeing
 * with itself.
 *
 * Usage: pcapgen [--max-len N] PCAP EXPECTED FILTERS [EXPECTED2 FILTERS2]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "ifstat_abi.h"

#define TCP 6
#define UDP 17
#define ICMP 1

/* The MACs frame.h writes: the test gives the receiving veth the
 * destination one, so the frames are for that host. */
#define Q 0x8100
#define AD 0x88a8

enum l3 { L3_NONE, L3_V4, L3_V6 };
enum v6frag { V6F_NONE, V6F_FIRST, V6F_LATER };

/* What one frame is made of. */
struct desc {
	const char *what;
	unsigned int repeat;
	size_t len; /* padded to this; ignored when l4cut is set */
	unsigned int ntags;
	uint16_t tpid[2], tci[2];
	enum l3 l3;
	uint16_t ethertype; /* L3_NONE only */
	uint8_t proto;
	const char *src, *dst;
	unsigned int ihl; /* IPv4; 0 means 5 */
	uint16_t frag; /* IPv4 flags + offset field */
	enum v6frag v6frag;
	bool hbh; /* IPv6 hop-by-hop header before the rest */
	uint16_t sport, dport;
	size_t l4cut; /* nonzero: only this many bytes of TCP/UDP header */
};

/* One frame kind per entry; a table reads better unwrapped. */
/* clang-format off */
static const struct desc descs[] = {
	/* IPv4: TCP and UDP on both sides of the 64 and 127 edges */
	{ .what = "v4 tcp min", .repeat = 3, .len = 60, .l3 = L3_V4,
	  .proto = TCP, .src = "192.0.2.1", .dst = "203.0.113.7",
	  .sport = 40000, .dport = 80 },
	{ .what = "v4 udp dns query", .repeat = 2, .len = 64, .l3 = L3_V4,
	  .proto = UDP, .src = "192.0.2.2", .dst = "203.0.113.8",
	  .sport = 5353, .dport = 53 },
	{ .what = "v4 udp dns answer, other net", .repeat = 1, .len = 65,
	  .l3 = L3_V4, .proto = UDP, .src = "198.51.100.5",
	  .dst = "192.0.2.9", .sport = 53, .dport = 33000 },
	{ .what = "v4 tcp to 443", .repeat = 1, .len = 100, .l3 = L3_V4,
	  .proto = TCP, .src = "198.51.100.6", .dst = "203.0.113.1",
	  .sport = 50000, .dport = 443 },
	{ .what = "v4 icmp", .repeat = 2, .len = 98, .l3 = L3_V4,
	  .proto = ICMP, .src = "192.0.2.5", .dst = "203.0.113.2" },
	/* IPv6, extension headers, fragments */
	{ .what = "v6 tcp in the /48", .repeat = 1, .len = 127, .l3 = L3_V6,
	  .proto = TCP, .src = "2001:db8:1::1", .dst = "2001:db8:2::2",
	  .sport = 443, .dport = 50000 },
	{ .what = "v6 udp dns outside the /48", .repeat = 2, .len = 128,
	  .l3 = L3_V6, .proto = UDP, .src = "2001:db8:3::5",
	  .dst = "2001:db8:2::6", .sport = 53, .dport = 1000 },
	{ .what = "v6 hop-by-hop tcp", .repeat = 1, .len = 200, .l3 = L3_V6,
	  .proto = TCP, .src = "2001:db8:2::7", .dst = "2001:db8:1::8",
	  .hbh = true, .sport = 1234, .dport = 80 },
	{ .what = "v6 first fragment udp", .repeat = 1, .len = 300,
	  .l3 = L3_V6, .proto = UDP, .src = "2001:db8:1::9",
	  .dst = "2001:db8:2::a", .v6frag = V6F_FIRST, .sport = 53,
	  .dport = 53 },
	{ .what = "v6 later fragment udp", .repeat = 1, .len = 1513,
	  .l3 = L3_V6, .proto = UDP, .src = "2001:db8:1::9",
	  .dst = "2001:db8:2::a", .v6frag = V6F_LATER },
	/* VLAN: one tag (priority bits set once), another VID, two tags */
	{ .what = "vlan 100 v4 tcp", .repeat = 2, .len = 255, .ntags = 1,
	  .tpid = { Q }, .tci = { 100 }, .l3 = L3_V4, .proto = TCP,
	  .src = "192.0.2.3", .dst = "198.51.100.4", .sport = 22,
	  .dport = 2222 },
	{ .what = "vlan 100 pcp 5 v4 udp", .repeat = 1, .len = 150,
	  .ntags = 1, .tpid = { Q }, .tci = { 0xa000 | 100 }, .l3 = L3_V4,
	  .proto = UDP, .src = "192.0.2.6", .dst = "198.51.100.7", .sport = 7,
	  .dport = 7 },
	{ .what = "vlan 200 v4 udp dns", .repeat = 1, .len = 256, .ntags = 1,
	  .tpid = { Q }, .tci = { 200 }, .l3 = L3_V4, .proto = UDP,
	  .src = "192.0.2.4", .dst = "203.0.113.9", .sport = 3000,
	  .dport = 53 },
	{ .what = "qinq 100/300 v6 udp", .repeat = 1, .len = 511, .ntags = 2,
	  .tpid = { AD, Q }, .tci = { 100, 300 }, .l3 = L3_V6, .proto = UDP,
	  .src = "2001:db8:1::b", .dst = "2001:db8:1::c", .sport = 4000,
	  .dport = 4001 },
	{ .what = "qinq 10/100 v4 tcp", .repeat = 1, .len = 512, .ntags = 2,
	  .tpid = { Q, Q }, .tci = { 10, 100 }, .l3 = L3_V4, .proto = TCP,
	  .src = "192.0.2.7", .dst = "203.0.113.3", .sport = 80,
	  .dport = 8080 },
	/* IPv4 options and fragments */
	{ .what = "v4 options udp dns", .repeat = 1, .len = 1023,
	  .l3 = L3_V4, .proto = UDP, .src = "192.0.2.10", .dst = "203.0.113.4",
	  .ihl = 8, .sport = 53, .dport = 5000 },
	{ .what = "v4 first fragment udp dns", .repeat = 1, .len = 1024,
	  .l3 = L3_V4, .proto = UDP, .src = "192.0.2.11", .dst = "203.0.113.5",
	  .frag = 0x2000, .sport = 6000, .dport = 53 },
	{ .what = "v4 later fragment udp", .repeat = 1, .len = 1512,
	  .l3 = L3_V4, .proto = UDP, .src = "192.0.2.11", .dst = "203.0.113.5",
	  .frag = 185 },
	{ .what = "v4 middle fragment tcp", .repeat = 1, .len = 700,
	  .l3 = L3_V4, .proto = TCP, .src = "198.51.100.8",
	  .dst = "203.0.113.6", .frag = 0x2000 | 90 },
	/* non-IP, malformed, truncated L4 */
	{ .what = "non-ip 0x88b5", .repeat = 2, .len = 60, .l3 = L3_NONE,
	  .ethertype = 0x88b5 },
	{ .what = "vlan 100 non-ip 0x88b5", .repeat = 1, .len = 400,
	  .ntags = 1, .tpid = { Q }, .tci = { 100 }, .l3 = L3_NONE,
	  .ethertype = 0x88b5 },
	{ .what = "v4 ihl 4", .repeat = 1, .len = 80, .l3 = L3_V4,
	  .proto = UDP, .src = "192.0.2.12", .dst = "203.0.113.7", .ihl = 4 },
	{ .what = "vlan 100 v4 ihl 3", .repeat = 1, .len = 70, .ntags = 1,
	  .tpid = { Q }, .tci = { 100 }, .l3 = L3_V4, .proto = TCP,
	  .src = "192.0.2.13", .dst = "203.0.113.7", .ihl = 3 },
	{ .what = "v4 udp with 2 bytes of header", .repeat = 1, .l3 = L3_V4,
	  .proto = UDP, .src = "192.0.2.14", .dst = "203.0.113.8",
	  .sport = 53, .dport = 53, .l4cut = 2 },
	/* above 1512, and one multi-buffer frame at MTU 9000 */
	{ .what = "v4 tcp 1513", .repeat = 1, .len = 1513, .l3 = L3_V4,
	  .proto = TCP, .src = "192.0.2.15", .dst = "203.0.113.9",
	  .sport = 443, .dport = 443 },
	{ .what = "v4 udp 9000", .repeat = 1, .len = 9000, .l3 = L3_V4,
	  .proto = UDP, .src = "192.0.2.16", .dst = "203.0.113.10",
	  .sport = 9000, .dport = 53 },
};
/* clang-format on */

#define NDESCS (sizeof(descs) / sizeof(descs[0]))

/* What doc/semantics.md says the program must learn from a frame. */
struct cls {
	bool ip4, ip6; /* valid IP header: addresses known */
	bool proto_known, ports_known;
	bool non_ip, malformed;
	bool tagged;
	uint16_t vid;
};

static struct cls classify(const struct desc *d)
{
	struct cls c = { 0 };
	unsigned int ihl = d->ihl ? d->ihl : 5;
	bool later, l4;

	c.tagged = d->ntags > 0;
	c.vid = d->tci[0] & 0xfff;
	c.non_ip = d->l3 == L3_NONE;
	if (d->l3 == L3_V4 && ihl < 5) {
		c.malformed = true;
		return c;
	}
	c.ip4 = d->l3 == L3_V4;
	c.ip6 = d->l3 == L3_V6;
	c.proto_known = c.ip4 || c.ip6;
	later = (c.ip4 && (d->frag & 0x1fff)) || d->v6frag == V6F_LATER;
	l4 = c.proto_known && !later && (d->proto == TCP || d->proto == UDP);
	c.ports_known = l4 && !d->l4cut;
	c.malformed = l4 && d->l4cut;
	return c;
}

static bool in_prefix(int af, const char *addr, const char *net,
		      unsigned int plen)
{
	uint8_t a[16], n[16];
	unsigned int i;

	if (!addr || inet_pton(af, addr, a) != 1 || inet_pton(af, net, n) != 1)
		return false;
	for (i = 0; i < plen; i++) {
		uint8_t bit = (uint8_t)(0x80 >> (i % 8));

		if ((a[i / 8] & bit) != (n[i / 8] & bit))
			return false;
	}
	return true;
}

static bool m_all(const struct desc *d, const struct cls *c)
{
	(void)d;
	(void)c;
	return true;
}

static bool m_tcp(const struct desc *d, const struct cls *c)
{
	return c->proto_known && d->proto == TCP;
}

static bool m_udp4(const struct desc *d, const struct cls *c)
{
	return c->ip4 && d->proto == UDP &&
	       in_prefix(AF_INET, d->src, "192.0.2.0", 24);
}

static bool m_v6(const struct desc *d, const struct cls *c)
{
	return c->ip6 && (in_prefix(AF_INET6, d->src, "2001:db8:1::", 48) ||
			  in_prefix(AF_INET6, d->dst, "2001:db8:1::", 48));
}

static bool m_vlan(const struct desc *d, const struct cls *c)
{
	(void)d;
	return c->tagged && c->vid == 100;
}

static bool m_dns(const struct desc *d, const struct cls *c)
{
	return c->ports_known && d->proto == UDP &&
	       (d->sport == 53 || d->dport == 53);
}

static bool m_web(const struct desc *d, const struct cls *c)
{
	return c->ports_known && d->proto == TCP && d->dport >= 80 &&
	       d->dport <= 443;
}

static bool m_https(const struct desc *d, const struct cls *c)
{
	return c->ports_known && d->proto == TCP && d->dport == 443;
}

static bool m_icmp(const struct desc *d, const struct cls *c)
{
	return c->ip4 && d->proto == ICMP;
}

/*
 * Two filter sets: the test replays the traffic under the first, installs
 * the second from another process, and replays again. A filter present in
 * both (same name, same definition) keeps counting; "web" changes its
 * definition and so starts again; "all" leaves, so frames become
 * unmatched; "icmp" arrives.
 */
#define SET1 1u
#define SET2 2u
#define NSETS 2

static const struct {
	const char *name, *spec;
	bool (*match)(const struct desc *d, const struct cls *c);
	unsigned int sets;
} filters[] = {
	{ "all", "any", m_all, SET1 },
	{ "tcp", "tcp", m_tcp, SET1 | SET2 },
	{ "udp4", "udp src 192.0.2.0/24", m_udp4, SET1 | SET2 },
	{ "v6", "host 2001:db8:1::/48", m_v6, SET1 | SET2 },
	{ "vlan", "vlan 100", m_vlan, SET1 | SET2 },
	{ "dns", "udp port 53", m_dns, SET1 | SET2 },
	{ "web", "tcp dst port 80-443", m_web, SET1 },
	{ "web", "tcp dst port 443", m_https, SET2 },
	{ "icmp", "icmp", m_icmp, SET2 },
};

#define NFILTERS (sizeof(filters) / sizeof(filters[0]))

static const uint32_t edges[] = IFSTAT_DEFAULT_EDGES;
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

static unsigned int bucket_of(size_t len)
{
	unsigned int i;

	for (i = 0; i < NEDGES; i++)
		if (len <= edges[i])
			break;
	return i;
}

/* Same labels as attach_check prints: "0-64", ..., "1513+". */
static void bucket_label(unsigned int i, char *buf, size_t n)
{
	uint32_t lo = i ? edges[i - 1] + 1 : 0;

	if (i < NEDGES)
		snprintf(buf, n, "%u-%u", lo, edges[i]);
	else
		snprintf(buf, n, "%u+", lo);
}

static uint16_t ethertype(const struct desc *d)
{
	if (d->l3 == L3_V4)
		return 0x0800;
	if (d->l3 == L3_V6)
		return 0x86dd;
	return d->ethertype;
}

static void build(const struct desc *d, struct frame *f)
{
	unsigned int ihl = d->ihl ? d->ihl : 5;
	uint8_t nh = d->proto;
	size_t l4off;

	frame_init(f);
	frame_eth_tags(f, d->ntags, d->tpid, d->tci, ethertype(d));
	if (d->l3 == L3_V4) {
		frame_ipv4(f, d->proto, d->src, d->dst, ihl, d->frag);
	} else if (d->l3 == L3_V6) {
		if (d->v6frag != V6F_NONE)
			nh = 44;
		if (d->hbh)
			nh = 0;
		frame_ipv6(f, nh, d->src, d->dst);
		if (d->hbh)
			frame_ext(f, 0, d->v6frag != V6F_NONE ? 44 : d->proto,
				  0);
		if (d->v6frag != V6F_NONE)
			frame_frag6(f, d->proto,
				    d->v6frag == V6F_LATER ? 100 : 0,
				    d->v6frag == V6F_FIRST);
	}
	l4off = f->len;
	if (d->sport || d->dport) {
		if (d->proto == TCP)
			frame_tcp(f, d->sport, d->dport);
		else
			frame_udp(f, d->sport, d->dport);
	}
	if (d->l4cut) {
		frame_cut(f, l4off + d->l4cut);
		frame_finish(f, 0);
	} else {
		frame_finish(f, d->len);
	}
}

static void put32(FILE *fp, uint32_t v)
{
	fwrite(&v, 4, 1, fp); /* host order: readers check the magic */
}

static void put16(FILE *fp, uint16_t v)
{
	fwrite(&v, 2, 1, fp);
}

/* What one replay of the pcap gives, whatever filters are installed. */
struct round {
	uint64_t packets, bytes, non_ip, malformed;
	uint64_t unmatched[NSETS]; /* under set 1, under set 2 */
	uint64_t fp[NFILTERS], fb[NFILTERS], fbk[NFILTERS][NEDGES + 1];
};

static void count(const struct desc *d, size_t len, struct round *x)
{
	struct cls c = classify(d);
	bool hit[NSETS] = { false };
	unsigned int k, s;

	x->packets++;
	x->bytes += len;
	x->non_ip += c.non_ip;
	x->malformed += c.malformed;
	for (k = 0; k < NFILTERS; k++) {
		if (!filters[k].match(d, &c))
			continue;
		for (s = 0; s < NSETS; s++)
			if (filters[k].sets & (1u << s))
				hit[s] = true;
		x->fp[k]++;
		x->fb[k] += len;
		x->fbk[k][bucket_of(len)]++;
	}
	for (s = 0; s < NSETS; s++)
		x->unmatched[s] += !hit[s];
}

static int write_pcap(const char *path, size_t max_len, struct round *x)
{
	static struct frame f;
	unsigned int i, r, n = 0;
	FILE *fp = fopen(path, "wb");

	if (!fp) {
		fprintf(stderr, "pcapgen: cannot create %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	put32(fp, 0xa1b2c3d4);
	put16(fp, 2);
	put16(fp, 4);
	put32(fp, 0); /* thiszone */
	put32(fp, 0); /* sigfigs */
	put32(fp, 65535); /* snaplen */
	put32(fp, 1); /* LINKTYPE_ETHERNET */
	for (i = 0; i < NDESCS; i++) {
		build(&descs[i], &f);
		if (f.len > max_len)
			continue;
		for (r = 0; r < descs[i].repeat; r++, n++) {
			put32(fp, 1700000000u + n / 1000);
			put32(fp, (n % 1000) * 1000);
			put32(fp, (uint32_t)f.len);
			put32(fp, (uint32_t)f.len);
			fwrite(f.b, 1, f.len, fp);
			count(&descs[i], f.len, x);
		}
	}
	if (fclose(fp)) {
		fprintf(stderr, "pcapgen: cannot write %s: %s\n", path,
			strerror(errno));
		return -EIO;
	}
	return 0;
}

/* The set installed before replay r: set 1 first, set 2 from then on. */
static unsigned int set_of_round(unsigned int r)
{
	return r ? 1 : 0;
}

/*
 * How many replays filter k has counted after `rounds` replays: those
 * since it last arrived or changed.
 */
static unsigned int kept_rounds(unsigned int k, unsigned int rounds)
{
	unsigned int r, n = 0;

	for (r = 0; r < rounds; r++)
		n = filters[k].sets & (1u << set_of_round(r)) ? n + 1 : 0;
	return n;
}

/* The counters after `rounds` replays of the traffic. */
static int write_expect(const char *path, const struct round *x,
			unsigned int rounds)
{
	uint64_t unmatched = 0;
	unsigned int k, b, r, m, n = 0;
	char label[32];
	FILE *fp = fopen(path, "w");

	if (!fp) {
		fprintf(stderr, "pcapgen: cannot create %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	for (r = 0; r < rounds; r++)
		unmatched += x->unmatched[set_of_round(r)];
	for (k = 0; k < NFILTERS; k++)
		n += !!(filters[k].sets & (1u << set_of_round(rounds - 1)));
	fprintf(fp, "totals.packets %llu\n",
		(unsigned long long)(x->packets * rounds));
	fprintf(fp, "totals.bytes %llu\n",
		(unsigned long long)(x->bytes * rounds));
	fprintf(fp, "totals.unmatched %llu\n", (unsigned long long)unmatched);
	fprintf(fp, "totals.non_ip %llu\n",
		(unsigned long long)(x->non_ip * rounds));
	fprintf(fp, "totals.malformed %llu\n",
		(unsigned long long)(x->malformed * rounds));
	fprintf(fp, "filters %u\n", n);
	for (k = 0; k < NFILTERS; k++) {
		if (!(filters[k].sets & (1u << set_of_round(rounds - 1))))
			continue;
		m = kept_rounds(k, rounds);
		fprintf(fp, "filter.%s.packets %llu\n", filters[k].name,
			(unsigned long long)(x->fp[k] * m));
		fprintf(fp, "filter.%s.bytes %llu\n", filters[k].name,
			(unsigned long long)(x->fb[k] * m));
		for (b = 0; b <= NEDGES; b++) {
			bucket_label(b, label, sizeof(label));
			fprintf(fp, "filter.%s.bucket.%s %llu\n",
				filters[k].name, label,
				(unsigned long long)(x->fbk[k][b] * m));
		}
	}
	if (fclose(fp)) {
		fprintf(stderr, "pcapgen: cannot write %s\n", path);
		return -EIO;
	}
	return 0;
}

static int write_filters(const char *path, unsigned int set)
{
	unsigned int k;
	FILE *fp = fopen(path, "w");

	if (!fp) {
		fprintf(stderr, "pcapgen: cannot create %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	for (k = 0; k < NFILTERS; k++)
		if (filters[k].sets & set)
			fprintf(fp, "%s=%s\n", filters[k].name,
				filters[k].spec);
	if (fclose(fp)) {
		fprintf(stderr, "pcapgen: cannot write %s\n", path);
		return -EIO;
	}
	return 0;
}

static void usage(FILE *fp)
{
	fprintf(fp, "Usage: pcapgen [--max-len N] [--rounds N] PCAP EXPECTED "
		    "FILTERS\n"
		    "               [EXPECTED2 FILTERS2]\n"
		    "  Writes the test traffic to PCAP, the counters it must "
		    "give\n"
		    "  to EXPECTED (\"key value\" lines) and the filter set "
		    "to\n"
		    "  FILTERS (\"name=one-line filter\" lines).\n"
		    "  --max-len N  leave out frames longer than N bytes (for "
		    "a\n"
		    "               link whose MTU cannot carry them)\n"
		    "  EXPECTED2: the counters after N replays (--rounds, "
		    "default 2),\n"
		    "  the first under FILTERS, the others under FILTERS2.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max-len", required_argument, NULL, 'l' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct round x;
	size_t max_len = FRAME_MAX;
	unsigned long rounds = 2;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "l:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			errno = 0;
			rounds = strtoul(optarg, &end, 10);
			if (errno || *end || rounds < 2 || rounds > 1000) {
				fprintf(stderr, "pcapgen: bad --rounds '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'l':
			errno = 0;
			max_len = strtoul(optarg, &end, 10);
			if (errno || *end || !max_len) {
				fprintf(stderr, "pcapgen: bad --max-len '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argv += optind;
	argc -= optind;
	if (argc != 3 && argc != 5) {
		usage(stderr);
		return 2;
	}
	if (write_pcap(argv[0], max_len, &x) || write_expect(argv[1], &x, 1) ||
	    write_filters(argv[2], SET1))
		return 1;
	if (argc == 5 && (write_expect(argv[3], &x, (unsigned int)rounds) ||
			  write_filters(argv[4], SET2)))
		return 1;
	return 0;
}
