// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Differential test: seeded random frames (VLAN stacks, IPv4 options and
 * fragments, IPv6 extension chains, truncation around every header
 * boundary, multi-buffer jumbo frames) against random filter sets. The
 * real XDP program (BPF_PROG_TEST_RUN) and the independent reference
 * classifier (reference.c) must agree on every counter after each batch.
 *
 * test_random_sets: many seeded random filter sets (1 to 64 filters,
 * nested and overlapping prefixes of both families, touching and nested
 * ranges, either-direction fields, twins, filters naming nothing), each
 * installed into the same program as a reload would, with its own frames.
 *
 * IFSTAT_SEED=<n>       reproduce a run (the seed is printed)
 * IFSTAT_FRAMES=<n>     number of frames (default 100000)
 * IFSTAT_SETS=<n>       random filter sets (default 200)
 * IFSTAT_SET_FRAMES=<n> frames per set (default 5000)
 * IFSTAT_KEEP_GOING=1   report every failing batch instead of stopping
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "reference.h"
#include "runner.h"

#define DEFAULT_FRAMES 100000u
/* Each phase: a fresh program, a new filter set and bucket edges. */
#define MIN_PHASES 5u
#define FRAMES_PER_PHASE 50000u
#define BATCH 1000u
#define DEFAULT_SETS 200u
#define FRAMES_PER_SET 5000u
#define MIN_FRAME 14 /* BPF_PROG_TEST_RUN refuses less for XDP */
#define JUMBO_MAX 9000
#define MAX_BOUNDS 96
#define HEX_DUMP_MIN 128

/* ---- random numbers ---------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return mix64(r->s);
}

/* Uniform in [0, n). */
static unsigned int below(struct rng *r, unsigned int n)
{
	return (unsigned int)(((rnd(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static unsigned int between(struct rng *r, unsigned int lo, unsigned int hi)
{
	return lo + below(r, hi - lo + 1);
}

static int chance(struct rng *r, unsigned int pct)
{
	return below(r, 100) < pct;
}

#define PICK(r, a) ((a)[below((r), sizeof(a) / sizeof((a)[0]))])

/* ---- pools: small, so that filters and frames meet often -------------- */

static const char *const v4_pool[] = {
	"192.0.2.1",	  "192.0.2.2",	 "192.0.2.129",	  "198.51.100.1",
	"198.51.100.200", "203.0.113.7", "203.0.113.255",
};
static const char *const v6_pool[] = {
	"2001:db8::1",	 "2001:db8::2",	     "2001:db8::1:0:0:1",
	"2001:db8:1::1", "2001:db8:8000::1", "2001:db8:ffff:ffff::ff",
};
static const uint16_t port_pool[] = { 22,   53, 80,    443,  8000,
				      8080, 0,	65535, 1023, 1024 };
static const uint16_t vid_pool[] = { 1, 2, 100, 200, 4094 };

static void rand_v4(struct rng *r, uint8_t *a)
{
	static const uint8_t nets[3][3] = { { 192, 0, 2 },
					    { 198, 51, 100 },
					    { 203, 0, 113 } };

	if (chance(r, 88)) {
		inet_pton(AF_INET, PICK(r, v4_pool), a);
		return;
	}
	memcpy(a, nets[below(r, 3)], 3);
	a[3] = (uint8_t)rnd(r);
}

static void rand_v6(struct rng *r, uint8_t *a)
{
	unsigned int i;

	if (chance(r, 88)) {
		inet_pton(AF_INET6, PICK(r, v6_pool), a);
		return;
	}
	inet_pton(AF_INET6, "2001:db8::", a);
	for (i = 4; i < 16; i++)
		a[i] = chance(r, 50) ? 0 : (uint8_t)rnd(r);
}

static uint16_t rand_port(struct rng *r)
{
	return chance(r, 85) ? PICK(r, port_pool) : (uint16_t)rnd(r);
}

/* ---- frame generator --------------------------------------------------- */

struct gen {
	struct rng r;
	uint8_t *b;
	size_t len;
	size_t bounds[MAX_BOUNDS]; /* header boundaries, for truncation */
	unsigned int nb;
	int jumbo;
};

static void bound(struct gen *g, size_t at)
{
	if (g->nb < MAX_BOUNDS)
		g->bounds[g->nb++] = at;
}

static void put8(struct gen *g, unsigned int v)
{
	g->b[g->len++] = (uint8_t)v;
}

static void put16(struct gen *g, unsigned int v)
{
	put8(g, v >> 8);
	put8(g, v);
}

static void put_mem(struct gen *g, const void *p, size_t n)
{
	memcpy(g->b + g->len, p, n);
	g->len += n;
}

static void put_rand(struct gen *g, size_t n)
{
	while (n--)
		put8(g, (unsigned int)rnd(&g->r));
}

static uint8_t rand_proto(struct rng *r)
{
	static const uint8_t odd[] = { 0,   2,	47, 50, 59, 132,
				       255, 43, 44, 60, 51 };
	unsigned int x = below(r, 100);

	if (x < 35)
		return 6;
	if (x < 65)
		return 17;
	if (x < 73)
		return 1;
	if (x < 81)
		return 58;
	if (x < 95)
		return PICK(r, odd);
	return (uint8_t)rnd(r);
}

/* A non-zero fragment offset; the extremes (1 and the largest) often. */
static unsigned int rand_offset(struct rng *r)
{
	unsigned int x = below(r, 100);

	return x < 15 ? 1 : x < 30 ? 0x1fff : between(r, 2, 0x1ffe);
}

static void gen_l4(struct gen *g, uint8_t proto)
{
	size_t l4 = g->len;

	bound(g, l4);
	bound(g, l4 + 2);
	bound(g, l4 + 3);
	bound(g, l4 + 4);
	switch (proto) {
	case 6:
		put16(g, rand_port(&g->r));
		put16(g, rand_port(&g->r));
		put_rand(g, 8); /* seq, ack */
		put8(g, 0x50);
		put_rand(g, 7);
		break;
	case 17:
		put16(g, rand_port(&g->r));
		put16(g, rand_port(&g->r));
		put_rand(g, 4);
		break;
	case 1:
	case 58:
		put_rand(g, 8);
		break;
	default:
		put_rand(g, below(&g->r, 17));
	}
	bound(g, g->len);
}

static void gen_ipv4(struct gen *g)
{
	unsigned int ihl, ver = 4, frag, x;
	size_t ip = g->len, hlen;
	uint8_t a[4], proto = rand_proto(&g->r);

	x = below(&g->r, 100);
	ihl = x < 70 ? 5 : x < 90 ? between(&g->r, 6, 15) : below(&g->r, 5);
	if (chance(&g->r, 3))
		ver = below(&g->r, 16);
	x = below(&g->r, 100);
	if (x < 55)
		frag = 0;
	else if (x < 65)
		frag = 0x4000; /* DF */
	else if (x < 77)
		frag = 0x2000; /* MF, first fragment */
	else if (x < 82)
		frag = 0x8000; /* the reserved bit is not an offset */
	else
		frag = (chance(&g->r, 50) ? 0x2000 : 0) | rand_offset(&g->r);
	bound(g, ip);
	put8(g, ver << 4 | ihl);
	put_rand(g, 5); /* tos, total length (not consulted), id */
	put16(g, frag);
	put8(g, (unsigned int)rnd(&g->r)); /* ttl */
	put8(g, proto);
	bound(g, g->len);
	put_rand(g, 2);
	rand_v4(&g->r, a);
	put_mem(g, a, 4);
	rand_v4(&g->r, a);
	put_mem(g, a, 4);
	bound(g, ip + 20);
	hlen = ihl > 5 ? ihl * 4u : 20u;
	while (g->len < ip + hlen)
		put8(g, chance(&g->r, 50) ? 1 : (unsigned int)rnd(&g->r));
	bound(g, ip + hlen - 1);
	gen_l4(g, proto);
}

static const uint8_t ext_types[] = { 0, 43, 60, 51, 44 };

/* How gen_ext() picks the length byte when not given one. */
#define EXT_LEN_RANDOM -1
#define EXT_LEN_LONG -2

static void gen_ext(struct gen *g, uint8_t type, uint8_t next, int len)
{
	size_t start = g->len, hlen;
	unsigned int n, x;

	bound(g, start);
	bound(g, start + 1);
	bound(g, start + 2);
	if (type == 44) {
		put8(g, next);
		put8(g, (unsigned int)rnd(&g->r)); /* reserved */
		x = (unsigned int)rnd(&g->r) & 0x7; /* res + M */
		if (chance(&g->r, 40))
			x |= rand_offset(&g->r) << 3;
		put16(g, x);
		put_rand(g, 4);
		bound(g, g->len - 1);
		bound(g, g->len);
		return;
	}
	x = below(&g->r, 100);
	if (len >= 0)
		n = (unsigned int)len;
	else if (len == EXT_LEN_LONG)
		n = between(&g->r, 100, 255);
	else if (type == 51)
		n = x < 80 ? below(&g->r, 5) : between(&g->r, 5, 40);
	else
		n = x < 70   ? below(&g->r, 3)
		    : x < 97 ? between(&g->r, 3, 10)
			     : between(&g->r, 11, 60);
	hlen = type == 51 ? (n + 2) * 4 : (n + 1) * 8;
	if (start + hlen > JUMBO_MAX - 100) {
		n = 0;
		hlen = 8;
	}
	put8(g, next);
	put8(g, n);
	put_rand(g, hlen - 2);
	bound(g, g->len - 1);
	bound(g, g->len);
}

/*
 * An extension chain that ends (the L4 header starts) within a few bytes
 * of where a multi-buffer test frame changes buffers: the first buffer
 * holds a page less the XDP headroom and tailroom (about 3.5 KiB), the
 * next ones a page each. Lengths go by 8 (by 4 with AH), so the L4
 * header lands on either side of the boundary or across it.
 */
static unsigned int straddle_chain(struct gen *g, size_t pos, uint8_t *type,
				   int *len)
{
	static const uint8_t fill[] = { 0, 60, 43 };
	size_t target = chance(&g->r, 50) ? between(&g->r, 3480, 3560)
					  : between(&g->r, 7580, 7660);
	size_t rest = target - pos, ah = 0, h;
	unsigned int n = 0;

	if (rest % 8 >= 4) {
		ah = 12; /* AH of (1 + 2) * 4 bytes takes the odd 4 */
		rest -= 12;
	}
	rest -= rest % 8;
	while (rest >= 8) {
		h = rest > 2048 ? 2048 : rest;
		type[n] = n ? fill[1 + below(&g->r, 2)] : PICK(&g->r, fill);
		len[n++] = (int)(h / 8 - 1);
		rest -= h;
	}
	if (ah) {
		type[n] = 51;
		len[n++] = 1;
	}
	return n;
}

static void gen_ipv6(struct gen *g)
{
	uint8_t chain[8], a[16], proto = rand_proto(&g->r);
	unsigned int n, i, x = below(&g->r, 100), ver = 6;
	size_t ip = g->len;
	/* Long extension headers push the L4 header into the fragments of
	 * a multi-buffer frame, and some header across a buffer boundary. */
	int longer = g->jumbo && chance(&g->r, 60);
	int len[8];

	n = x < 35   ? 0
	    : x < 70 ? between(&g->r, 1, 2)
	    : x < 90 ? between(&g->r, 3, 6)
		     : between(&g->r, 7, 8);
	if (longer && n < 2)
		n = between(&g->r, 2, 5);
	for (i = 0; i < n; i++) {
		chain[i] = PICK(&g->r, ext_types);
		len[i] = longer && chance(&g->r, 70) ? EXT_LEN_LONG
						     : EXT_LEN_RANDOM;
	}
	if (g->jumbo && chance(&g->r, 30))
		n = straddle_chain(g, ip + 40, chain, len);
	if (chance(&g->r, 3))
		ver = below(&g->r, 16);
	bound(g, ip);
	put8(g, ver << 4 | below(&g->r, 16));
	put_rand(g, 5); /* flow label, payload length (not consulted) */
	put8(g, n ? chain[0] : proto);
	put8(g, (unsigned int)rnd(&g->r));
	rand_v6(&g->r, a);
	put_mem(g, a, 16);
	rand_v6(&g->r, a);
	put_mem(g, a, 16);
	bound(g, ip + 39);
	for (i = 0; i < n; i++)
		gen_ext(g, chain[i], i + 1 < n ? chain[i + 1] : proto, len[i]);
	gen_l4(g, proto);
}

static size_t rand_size(struct rng *r, int jumbo)
{
	static const uint16_t edges[] = { 64,  65,  127,  128,	255,  256,
					  511, 512, 1023, 1024, 1512, 1513 };
	static const uint16_t ranges[][2] = {
		{ 14, 64 },    { 65, 127 },    { 128, 255 },   { 256, 511 },
		{ 512, 1023 }, { 1024, 1512 }, { 1513, 1600 }, { 1600, 4096 },
	};
	unsigned int i;

	if (jumbo)
		return chance(r, 20) ? between(r, 3400, 4200)
				     : between(r, 4097, JUMBO_MAX);
	if (chance(r, 20))
		return PICK(r, edges);
	i = below(r, sizeof(ranges) / sizeof(ranges[0]));
	return between(r, ranges[i][0], ranges[i][1]);
}

/* Builds frame number seed into f; the same seed gives the same frame. */
static void gen_frame(uint64_t seed, struct frame *f)
{
	static const uint16_t other_types[] = { 0x0806, 0x88cc, 0x9100, 0x8847,
						0x0801, 0x86dc, 0x0000, 0xffff,
						0x0008, 0xdd86 };
	struct gen g = { .r = { seed }, .b = f->b };
	size_t hdr_end, len, target;
	unsigned int ntags, i, x;

	frame_init(f);
	g.jumbo = chance(&g.r, 4);
	put_rand(&g, 12);
	x = below(&g.r, 100);
	ntags = x < 50 ? 0 : x < 78 ? 1 : x < 94 ? 2 : 3;
	for (i = 0; i < ntags; i++) {
		uint16_t vid = chance(&g.r, 75) ? PICK(&g.r, vid_pool)
			       : chance(&g.r, 30)
				       ? (chance(&g.r, 50) ? 0 : 4095)
				       : (uint16_t)(rnd(&g.r) & 0xfff);

		bound(&g, g.len);
		put16(&g, chance(&g.r, 50) ? 0x8100 : 0x88a8);
		bound(&g, g.len);
		put16(&g, (rnd(&g.r) & 0xf000) | vid); /* PCP/DEI random */
		bound(&g, g.len + 1);
	}
	bound(&g, g.len);
	x = below(&g.r, 100);
	if (x < 45) {
		put16(&g, 0x0800);
		if (chance(&g.r, 3))
			gen_ipv6(&g); /* wrong version behind the EtherType */
		else
			gen_ipv4(&g);
	} else if (x < 85) {
		put16(&g, 0x86dd);
		if (chance(&g.r, 3))
			gen_ipv4(&g); /* likewise */
		else
			gen_ipv6(&g);
	} else {
		put16(&g, chance(&g.r, 80) ? PICK(&g.r, other_types)
					   : (unsigned int)rnd(&g.r) & 0xffff);
		put_rand(&g, below(&g.r, 64));
	}
	hdr_end = g.len;
	x = below(&g.r, 100);
	if (x < 25 && g.nb) {
		long at = (long)g.bounds[below(&g.r, g.nb)] +
			  (long)between(&g.r, 0, 6) - 3;

		len = at < MIN_FRAME ? MIN_FRAME : (size_t)at;
	} else {
		target = rand_size(&g.r, g.jumbo);
		len = target >= hdr_end || chance(&g.r, 50) ? target : hdr_end;
	}
	if (len > hdr_end)
		put_rand(&g, len - hdr_end);
	f->len = len;
}

/* ---- random filters ----------------------------------------------------- */

static void rand_prefix(struct rng *r, int family, struct ref_prefix *p)
{
	static const uint8_t v4_lens[] = { 0, 8, 16, 24, 25, 31 };
	static const uint8_t v6_lens[] = { 0, 32, 33, 48, 64, 96, 127 };
	unsigned int max = family == 6 ? 128 : 32, x = below(r, 100), i;

	memset(p, 0, sizeof(*p));
	if (family == 6)
		rand_v6(r, p->addr);
	else
		rand_v4(r, p->addr);
	if (x < 30)
		p->len = max;
	else if (x < 70)
		p->len = below(r, max + 1);
	else
		p->len = family == 6 ? PICK(r, v6_lens) : PICK(r, v4_lens);
	/* The filter parser refuses host bits beyond the prefix. */
	for (i = 0; i < 16; i++) {
		if (i * 8 >= p->len)
			p->addr[i] = 0;
		else if (i * 8 + 8 > p->len)
			p->addr[i] &= (uint8_t)(0xff00 >> (p->len - i * 8));
	}
}

static void rand_range(struct rng *r, struct ref_range *g)
{
	unsigned int x = below(r, 100);

	g->lo = rand_port(r);
	if (x < 60)
		g->hi = g->lo;
	else if (x < 85)
		g->hi = (uint16_t)(g->lo + below(r, 65536u - g->lo) % 100);
	else
		g->hi = (uint16_t)between(r, g->lo, 65535);
}

static void rand_fields(struct rng *r, struct ref_filter *f)
{
	static const uint8_t named[] = { 6, 17, 1, 58 };
	static const uint8_t numbers[] = { 0, 2, 47, 132, 255, 43, 44, 59, 51 };

	if (chance(r, 45)) {
		f->fields |= REF_F_PROTO;
		f->proto = chance(r, 80) ? PICK(r, named) : PICK(r, numbers);
	}
	if (chance(r, 50)) {
		f->family = chance(r, 50) ? 4 : 6;
		do {
			if (chance(r, 40)) {
				f->fields |= REF_F_SRC;
				rand_prefix(r, f->family, &f->src);
			}
			if (chance(r, 40)) {
				f->fields |= REF_F_DST;
				rand_prefix(r, f->family, &f->dst);
			}
			if (chance(r, 35)) {
				f->fields |= REF_F_HOST;
				rand_prefix(r, f->family, &f->host);
			}
		} while (!(f->fields & (REF_F_SRC | REF_F_DST | REF_F_HOST)));
	}
	/* Ports need tcp or udp when a protocol is named (the parser says). */
	if (chance(r, 40) &&
	    (!(f->fields & REF_F_PROTO) || f->proto == 6 || f->proto == 17)) {
		if (chance(r, 45)) {
			f->fields |= REF_F_SRC_PORT;
			rand_range(r, &f->src_port);
		}
		if (chance(r, 45)) {
			f->fields |= REF_F_DST_PORT;
			rand_range(r, &f->dst_port);
		}
		if (chance(r, 45) ||
		    !(f->fields & (REF_F_SRC_PORT | REF_F_DST_PORT))) {
			f->fields |= REF_F_PORT;
			rand_range(r, &f->port);
		}
	}
	if (chance(r, 18)) {
		f->fields |= REF_F_VLAN;
		f->vlan = PICK(r, vid_pool);
	}
}

static void rand_filter(struct rng *r, struct ref_filter *f, int allow_any)
{
	do {
		memset(f, 0, sizeof(*f));
		if (allow_any && chance(r, 6))
			return; /* "any" */
		rand_fields(r, f);
	} while (!f->fields);
}

static void rand_edges(struct rng *r, uint32_t *edges, unsigned int *n)
{
	static const uint32_t defaults[] = { 64, 127, 255, 511, 1023, 1512 };
	unsigned int i;

	if (chance(r, 50)) {
		memcpy(edges, defaults, sizeof(defaults));
		*n = 6;
		return;
	}
	*n = between(r, 1, 15);
	edges[0] = between(r, 14, 200);
	for (i = 1; i < *n; i++)
		edges[i] = edges[i - 1] + between(r, 1, 1200);
}

/* ---- expected counters -------------------------------------------------- */

struct counts {
	uint64_t packets, bytes, unmatched, non_ip, malformed;
	struct {
		uint64_t packets, bytes, buckets[16];
	} f[REF_MAX_FILTERS];
};

struct phase {
	char tag[12]; /* filter names are TAG0, TAG1...: a new tag, new filters */
	struct ref_filter filters[REF_MAX_FILTERS];
	char text[REF_MAX_FILTERS][300];
	unsigned int nf;
	uint32_t edges[16];
	unsigned int nedges;
};

static void account(struct counts *c, const struct ref_result *res, size_t len,
		    unsigned int nf)
{
	unsigned int i;

	c->packets++;
	c->bytes += len;
	c->unmatched += !res->match;
	c->non_ip += res->pkt.non_ip;
	c->malformed += res->pkt.malformed;
	for (i = 0; i < nf; i++) {
		if (!(res->match >> i & 1))
			continue;
		c->f[i].packets++;
		c->f[i].bytes += len;
		c->f[i].buckets[res->bucket]++;
	}
}

/* The snapshot as struct counts, filters found by name. 0 or -errno. */
static int actual(struct runner *r, const struct phase *ph, struct counts *a)
{
	static struct ifstat_snapshot s;
	unsigned int i, j, k;
	char name[IFSTAT_NAME_MAX];
	int ret = runner_read(r, &s);

	if (ret)
		return ret;
	memset(a, 0, sizeof(*a));
	a->packets = s.totals.packets;
	a->bytes = s.totals.bytes;
	a->unmatched = s.totals.unmatched;
	a->non_ip = s.totals.non_ip;
	a->malformed = s.totals.malformed;
	if (s.nfilters != ph->nf || s.nedges != ph->nedges ||
	    memcmp(s.edges, ph->edges, ph->nedges * sizeof(s.edges[0]))) {
		fprintf(stderr, "snapshot has %u filters/%u edges, set %u/%u\n",
			s.nfilters, s.nedges, ph->nf, ph->nedges);
		return -EPROTO;
	}
	for (i = 0; i < ph->nf; i++) {
		snprintf(name, sizeof(name), "%s%u", ph->tag, i);
		for (j = 0; j < s.nfilters; j++)
			if (!strcmp(s.filters[j].name, name))
				break;
		if (j == s.nfilters) {
			fprintf(stderr, "filter %s missing from snapshot\n",
				name);
			return -EPROTO;
		}
		a->f[i].packets = s.filters[j].packets;
		a->f[i].bytes = s.filters[j].bytes;
		for (k = 0; k < IFSTAT_MAX_BUCKETS && k < 16; k++)
			a->f[i].buckets[k] = s.filters[j].buckets[k];
	}
	return 0;
}

static int same(const struct counts *a, const struct counts *b, unsigned int nf)
{
	return !memcmp(a, b, offsetof(struct counts, f) + nf * sizeof(a->f[0]));
}

static void print_diff(const struct phase *ph, const struct counts *exp,
		       const struct counts *act)
{
	static const char *const tn[] = { "packets", "bytes", "unmatched",
					  "non_ip", "malformed" };
	const uint64_t *e = &exp->packets, *a = &act->packets;
	unsigned int i, k;

	for (i = 0; i < 5; i++)
		if (e[i] != a[i])
			fprintf(stderr,
				"  totals.%s: expected %" PRIu64
				", actual %" PRIu64 "\n",
				tn[i], e[i], a[i]);
	for (i = 0; i < ph->nf; i++) {
		if (!memcmp(&exp->f[i], &act->f[i], sizeof(exp->f[i])))
			continue;
		fprintf(stderr,
			"  f%u '%s': packets %" PRIu64 "/%" PRIu64
			" bytes %" PRIu64 "/%" PRIu64 " (expected/actual)\n",
			i, ph->text[i], exp->f[i].packets, act->f[i].packets,
			exp->f[i].bytes, act->f[i].bytes);
		for (k = 0; k < 16; k++)
			if (exp->f[i].buckets[k] != act->f[i].buckets[k])
				fprintf(stderr,
					"    bucket %u: expected %" PRIu64
					", actual %" PRIu64 "\n",
					k, exp->f[i].buckets[k],
					act->f[i].buckets[k]);
	}
}

static void hex_dump(const struct frame *f, size_t upto)
{
	size_t i, n = f->len < upto ? f->len : upto;

	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%02x%s", i % 16 ? "" : "    ", f->b[i],
			i % 16 == 15 || i + 1 == n ? "\n" : " ");
	if (n < f->len)
		fprintf(stderr, "    ... %zu more bytes (payload)\n",
			f->len - n);
}

static uint64_t frame_seed(uint64_t seed, uint64_t index)
{
	return mix64(seed ^ mix64(index + 1));
}

static int install(struct runner *r, const struct phase *ph)
{
	static char specs[REF_MAX_FILTERS][340];
	const char *p[REF_MAX_FILTERS];
	unsigned int i;

	for (i = 0; i < ph->nf; i++) {
		snprintf(specs[i], sizeof(specs[i]), "%s%u=%s", ph->tag, i,
			 ph->text[i]);
		p[i] = specs[i];
	}
	return runner_filters(r, p, ph->nf, ph->edges, ph->nedges);
}

static void report_frame(const struct phase *ph, uint64_t seed, uint64_t index,
			 const struct frame *f, const struct ref_result *res)
{
	char desc[512];
	size_t upto = res->pkt.reach + 32;
	unsigned int i;

	ref_pkt_describe(&res->pkt, desc, sizeof(desc));
	fprintf(stderr,
		"first offending frame: #%" PRIu64 " (IFSTAT_SEED=0x%016" PRIx64
		"), %zu bytes, bucket %u\n  reference: %s\n",
		index, seed, f->len, res->bucket, desc);
	hex_dump(f, upto < HEX_DUMP_MIN ? HEX_DUMP_MIN : upto);
	fprintf(stderr, "  filters the reference says match:\n");
	for (i = 0; i < ph->nf; i++)
		if (res->match >> i & 1)
			fprintf(stderr, "    f%u '%s'\n", i, ph->text[i]);
	if (!res->match)
		fprintf(stderr, "    (none)\n");
}

/*
 * A batch disagreed: replay it frame by frame on a fresh program with the
 * same filters and stop at the first frame whose counts differ.
 */
static void find_offender(const struct phase *ph, uint64_t seed, uint64_t first,
			  unsigned int n)
{
	static struct frame f;
	static struct counts exp, act;
	struct ref_result res;
	struct runner r;
	unsigned int i;

	if (runner_open(&r) || install(&r, ph)) {
		fprintf(stderr, "cannot reopen the program to replay\n");
		return;
	}
	memset(&exp, 0, sizeof(exp));
	for (i = 0; i < n; i++) {
		gen_frame(frame_seed(seed, first + i), &f);
		ref_classify(f.b, f.len, ph->filters, ph->nf, ph->edges,
			     ph->nedges, &res);
		account(&exp, &res, f.len, ph->nf);
		if (runner_run(&r, &f) || actual(&r, ph, &act) ||
		    !same(&exp, &act, ph->nf)) {
			report_frame(ph, seed, first + i, &f, &res);
			print_diff(ph, &exp, &act);
			runner_close(&r);
			return;
		}
	}
	fprintf(stderr, "replayed frame by frame, the batch agrees: the "
			"disagreement depends on earlier state\n");
	runner_close(&r);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long x;

	if (!v || !*v)
		return def;
	errno = 0;
	x = strtoull(v, &end, 0);
	if (errno || *end) {
		fprintf(stderr, "%s: not a number: '%s'\n", name, v);
		exit(2);
	}
	return x;
}

static void make_phase(uint64_t seed, unsigned int k, struct phase *ph)
{
	struct rng r = { mix64(seed ^ (0xf117e5ull + k)) };
	/* One "any" leaves totals.unmatched at 0 for the whole phase:
	 * allow it only in every other phase. */
	int allow_any = k % 2;
	unsigned int i;

	snprintf(ph->tag, sizeof(ph->tag), "f");
	ph->nf = between(&r, 8, REF_MAX_FILTERS);
	for (i = 0; i < ph->nf; i++) {
		rand_filter(&r, &ph->filters[i], allow_any);
		assert_true(ref_filter_format(&ph->filters[i], ph->text[i],
					      sizeof(ph->text[i])) > 0);
	}
	rand_edges(&r, ph->edges, &ph->nedges);
}

/*
 * A filter made from an earlier one of the set, so that sets hold what
 * the classifier's tables must keep apart: a prefix nested in or around
 * another (either family), a range touching or inside another, the same
 * field in the other direction (src as host, port as dst_port).
 */
static void nest_prefix(struct rng *r, struct ref_prefix *p, int family)
{
	unsigned int max = family == 6 ? 128 : 32, len, i;

	len = below(r, max + 1);
	/* Longer: random bits below the old prefix; shorter: cut. */
	for (i = p->len; i < len; i++)
		if (chance(r, 50))
			p->addr[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	p->len = len;
	for (i = 0; i < 16; i++) {
		if (i * 8 >= len)
			p->addr[i] = 0;
		else if (i * 8 + 8 > len)
			p->addr[i] &= (uint8_t)(0xff00 >> (len - i * 8));
	}
}

static void near_range(struct rng *r, struct ref_range *g)
{
	unsigned int x = below(r, 4), lo = g->lo, hi = g->hi;

	if (x == 0 && hi < 65535) { /* touching above */
		g->lo = (uint16_t)(hi + 1);
		g->hi = (uint16_t)between(r, hi + 1,
					  hi + 1 + (65534 - hi) % 50);
	} else if (x == 1 && lo > 0) { /* touching below */
		g->hi = (uint16_t)(lo - 1);
		g->lo = (uint16_t)(lo - 1 - below(r, lo) % 50);
	} else if (x == 2) { /* inside */
		g->lo = (uint16_t)between(r, lo, hi);
		g->hi = (uint16_t)between(r, g->lo, hi);
	} else { /* around */
		g->lo = (uint16_t)between(r, 0, lo);
		g->hi = (uint16_t)between(r, hi, 65535);
	}
}

static void derive_filter(struct rng *r, const struct ref_filter *from,
			  struct ref_filter *f)
{
	struct ref_prefix *pfx[] = { &f->src, &f->dst, &f->host };
	struct ref_range *rng[] = { &f->src_port, &f->dst_port, &f->port };
	static const unsigned int pf[] = { REF_F_SRC, REF_F_DST, REF_F_HOST };
	static const unsigned int rf[] = { REF_F_SRC_PORT, REF_F_DST_PORT,
					   REF_F_PORT };
	unsigned int i, j;

	*f = *from;
	for (i = 0; i < 3; i++) {
		if ((f->fields & pf[i]) && chance(r, 60))
			nest_prefix(r, pfx[i], f->family);
		if ((f->fields & rf[i]) && chance(r, 60))
			near_range(r, rng[i]);
	}
	/* The same value in another direction's field. */
	for (i = 0; i < 3; i++) {
		j = below(r, 3);
		if ((f->fields & pf[i]) && !(f->fields & pf[j]) &&
		    chance(r, 30)) {
			*pfx[j] = *pfx[i];
			f->fields = (f->fields & ~pf[i]) | pf[j];
		}
		if ((f->fields & rf[i]) && !(f->fields & rf[j]) &&
		    chance(r, 30)) {
			*rng[j] = *rng[i];
			f->fields = (f->fields & ~rf[i]) | rf[j];
		}
	}
}

/* A set for test_random_sets: 1 to 64 filters, often small. */
static void make_set(uint64_t seed, unsigned int k, struct phase *ph)
{
	struct rng r = { mix64(seed ^ (0x5e75ull + k)) };
	unsigned int i, x;

	snprintf(ph->tag, sizeof(ph->tag), "s%u.", k);
	ph->nf = chance(&r, 30) ? between(&r, 1, 8)
				: between(&r, 1, REF_MAX_FILTERS);
	for (i = 0; i < ph->nf; i++) {
		x = below(&r, 100);
		if (i && x < 10)
			ph->filters[i] = ph->filters[below(&r, i)]; /* twin */
		else if (i && x < 45)
			derive_filter(&r, &ph->filters[below(&r, i)],
				      &ph->filters[i]);
		else
			rand_filter(&r, &ph->filters[i], 1);
		assert_true(ref_filter_format(&ph->filters[i], ph->text[i],
					      sizeof(ph->text[i])) > 0);
	}
	rand_edges(&r, ph->edges, &ph->nedges);
}

/* What the generated traffic covered, by the reference's account. */
struct stats {
	uint64_t frames, jumbo, non_ip, malformed, unmatched, hits, ports;
	uint64_t vid, ext, frag, deep, filters, idle;
};

static void note(struct stats *st, const struct ref_result *res, size_t len)
{
	st->frames++;
	st->jumbo += len > 4096;
	st->non_ip += res->pkt.non_ip;
	st->malformed += res->pkt.malformed;
	st->unmatched += !res->match;
	st->hits += (uint64_t)__builtin_popcountll(res->match);
	st->ports += res->pkt.ports_known;
	st->vid += res->pkt.has_vid;
	st->ext += res->pkt.next_ext > 0;
	st->frag += res->pkt.nonfirst_frag;
	st->deep += res->pkt.l4_off > 3072;
}

/*
 * Runs frames [index, end) against a fresh program with ph's filters,
 * comparing every counter after each batch. Returns the failing batches.
 */
static uint64_t run_frames(struct runner *rn, const struct phase *ph,
			   uint64_t seed, uint64_t index, uint64_t end,
			   int keep_going, struct stats *st)
{
	static struct frame f;
	static struct counts exp, act;
	struct ref_result res;
	uint64_t bad = 0;
	unsigned int i;

	/* Every filter of the set is new: they start at zero, the totals
	 * carry on. */
	assert_int_equal(actual(rn, ph, &exp), 0);
	for (i = 0; i < ph->nf; i++)
		assert_true(!exp.f[i].packets && !exp.f[i].bytes);
	while (index < end) {
		uint64_t first = index;
		unsigned int n = 0;

		for (; index < end && n < BATCH; index++, n++) {
			gen_frame(frame_seed(seed, index), &f);
			ref_classify(f.b, f.len, ph->filters, ph->nf, ph->edges,
				     ph->nedges, &res);
			account(&exp, &res, f.len, ph->nf);
			note(st, &res, f.len);
			if (runner_run(rn, &f)) {
				report_frame(ph, seed, index, &f, &res);
				fail_msg("test run failed or the frame was "
					 "not passed unchanged");
			}
		}
		assert_int_equal(actual(rn, ph, &act), 0);
		if (same(&exp, &act, ph->nf))
			continue;
		bad++;
		fprintf(stderr,
			"counters disagree after frames %" PRIu64 "-%" PRIu64
			":\n",
			first, index - 1);
		print_diff(ph, &exp, &act);
		find_offender(ph, seed, first, n);
		if (!keep_going)
			break;
		exp = act; /* carry on from the program's view */
	}
	for (i = 0; i < ph->nf; i++)
		st->idle += !exp.f[i].packets;
	st->filters += ph->nf;
	return bad;
}

/* Frames [index, end) against a fresh program with ph's filters. */
static uint64_t run_phase(const struct phase *ph, uint64_t seed, uint64_t index,
			  uint64_t end, int keep_going, struct stats *st)
{
	struct runner r;
	uint64_t bad;

	assert_int_equal(runner_open(&r), 0);
	assert_int_equal(install(&r, ph), 0);
	bad = run_frames(&r, ph, seed, index, end, keep_going, st);
	runner_close(&r);
	return bad;
}

static void test_differential(void **state)
{
	static struct phase ph;
	uint64_t seed = env_u64("IFSTAT_SEED", mix64((uint64_t)time(NULL) ^
						     (uint64_t)getpid() << 32));
	uint64_t nframes = env_u64("IFSTAT_FRAMES", DEFAULT_FRAMES);
	int keep_going = env_u64("IFSTAT_KEEP_GOING", 0) != 0;
	unsigned int k, i, nphases = MIN_PHASES;
	struct stats st = { 0 };
	struct timespec t0, t1;
	uint64_t bad = 0;

	(void)state;
	printf("differential: IFSTAT_SEED=0x%016" PRIx64 " IFSTAT_FRAMES="
	       "%" PRIu64 "\n",
	       seed, nframes);
	if (nframes / FRAMES_PER_PHASE > MIN_PHASES)
		nphases = (unsigned int)(nframes / FRAMES_PER_PHASE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (k = 0; k < nphases && (!bad || keep_going); k++) {
		make_phase(seed, k, &ph);
		if (getenv("IFSTAT_SHOW_FILTERS"))
			for (i = 0; i < ph.nf; i++)
				printf("phase %u f%u: %s\n", k, i, ph.text[i]);
		bad += run_phase(&ph, seed, nframes * k / nphases,
				 nframes * (k + 1) / nphases, keep_going, &st);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("differential: %" PRIu64 " frames in %u phases, %.2f s, "
	       "%" PRIu64 " failing batches\n",
	       st.frames, k,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       bad);
	printf("differential: %" PRIu64 " > 4096 bytes, %" PRIu64
	       " non-IP, %" PRIu64 " malformed, %" PRIu64 " unmatched, %" PRIu64
	       " filter hits, %" PRIu64 " with ports, %" PRIu64 " with VID, "
	       "%" PRIu64 " with IPv6 extension headers, %" PRIu64 " non-first "
	       "fragments, "
	       "%" PRIu64 " with L4 past 3 KiB; %" PRIu64 " of %" PRIu64 " filt"
	       "ers "
	       "never"
	       " "
	       "matched\n",
	       st.jumbo, st.non_ip, st.malformed, st.unmatched, st.hits,
	       st.ports, st.vid, st.ext, st.frag, st.deep, st.idle, st.filters);
	if (bad)
		fail_msg("program and reference disagree "
			 "(IFSTAT_SEED=0x%016" PRIx64 ")",
			 seed);
	/* A generator gone blind must not pass quietly: every kind of
	 * frame has to show up in a run of the default size. */
	if (st.frames >= DEFAULT_FRAMES) {
		uint64_t least = st.frames / 200;

		assert_true(st.jumbo > least && st.non_ip > least);
		assert_true(st.malformed > least && st.unmatched > least);
		assert_true(st.ports > least && st.vid > least);
		assert_true(st.ext > least && st.frag > least);
		assert_true(st.deep > 0 && st.idle < st.filters / 2);
	}
}

/*
 * Many random filter sets through one program, as reloads: every set is
 * built into the classifier's tables and checked against the reference
 * on its own frames.
 */
static void test_random_sets(void **state)
{
	static struct phase ph;
	uint64_t seed = env_u64("IFSTAT_SEED", mix64((uint64_t)time(NULL) ^
						     (uint64_t)getpid() << 32));
	uint64_t nsets = env_u64("IFSTAT_SETS", DEFAULT_SETS);
	uint64_t per = env_u64("IFSTAT_SET_FRAMES", FRAMES_PER_SET);
	int keep_going = env_u64("IFSTAT_KEEP_GOING", 0) != 0;
	struct stats st = { 0 };
	uint64_t bad = 0, k, filters = 0;
	struct runner r;

	(void)state;
	printf("random sets: IFSTAT_SEED=0x%016" PRIx64 " IFSTAT_SETS=%" PRIu64
	       " IFSTAT_SET_FRAMES=%" PRIu64 "\n",
	       seed, nsets, per);
	assert_int_equal(runner_open(&r), 0);
	for (k = 0; k < nsets && (!bad || keep_going); k++) {
		make_set(seed, (unsigned int)k, &ph);
		filters += ph.nf;
		if (install(&r, &ph)) {
			unsigned int i;

			for (i = 0; i < ph.nf; i++)
				fprintf(stderr, "f%u: %s\n", i, ph.text[i]);
			fail_msg("set %" PRIu64
				 " refused (IFSTAT_SEED=0x%016" PRIx64 ")",
				 k, seed);
		}
		bad += run_frames(&r, &ph, seed ^ mix64(k), 0, per, keep_going,
				  &st);
	}
	runner_close(&r);
	printf("random sets: %" PRIu64 " sets, %" PRIu64 " filters, %" PRIu64
	       " frames, %" PRIu64 " filter hits, %" PRIu64 " unmatched, "
	       "%" PRIu64 " failing batches\n",
	       k, filters, st.frames, st.hits, st.unmatched, bad);
	if (bad)
		fail_msg("program and reference disagree "
			 "(IFSTAT_SEED=0x%016" PRIx64 ")",
			 seed);
	/* Sets that never match test nothing. */
	if (nsets >= DEFAULT_SETS)
		assert_true(st.hits > st.frames && st.idle < st.filters / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_random_sets),
	};
	struct runner r;
	int ret = runner_open(&r);

	/* Loading BPF needs privileges; without them the test cannot run. */
	if (ret == -EPERM || ret == -EACCES || ret == -ENOSYS) {
		fprintf(stderr, "skipped: cannot load the program (%s)\n",
			strerror(-ret));
		return 77;
	}
	if (!ret)
		runner_close(&r);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
