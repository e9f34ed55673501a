// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Seeded random frames (gen.h). */
#include "gen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JUMBO_MAX 9000
#define MAX_BOUNDS 96

/* ---- random numbers ---------------------------------------------------- */

uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t rnd(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return mix64(r->s);
}

unsigned int below(struct rng *r, unsigned int n)
{
	return (unsigned int)(((rnd(r) >> 32) * n) >> 32);
}

unsigned int between(struct rng *r, unsigned int lo, unsigned int hi)
{
	return lo + below(r, hi - lo + 1);
}

int chance(struct rng *r, unsigned int pct)
{
	return below(r, 100) < pct;
}

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
const uint16_t vid_pool[5] = { 1, 2, 100, 200, 4094 };

void rand_v4(struct rng *r, uint8_t *a)
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

void rand_v6(struct rng *r, uint8_t *a)
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

uint16_t rand_port(struct rng *r)
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

void gen_frame(uint64_t seed, struct frame *f)
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

uint64_t frame_seed(uint64_t seed, uint64_t index)
{
	return mix64(seed ^ mix64(index + 1));
}

uint64_t env_u64(const char *name, uint64_t def)
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
